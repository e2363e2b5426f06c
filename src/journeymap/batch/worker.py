"""Render one map into its stale outputs; runs in a worker process.

Kept importable without the renderer: the heavy modules load on the first task,
so that a build with nothing to do never pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.files import write_atomic
from journeymap.batch.manifest import digest
from journeymap.diagnostics import Diagnostic, JourneyError

# Preloaded by the process pool so that each worker starts with them imported; the PNG/PDF exporter
# (cairosvg: about 0.15 s to import) only when a task asks for PNG or PDF.
PRELOAD = ("journeymap.api", "journeymap.validation", "journeymap.render")
PRELOAD_EXPORT = ("journeymap.export", "journeymap.export.cairo_render")


@dataclass(frozen=True)
class Task:
    source: Path
    outputs: dict[str, Path]  # format -> path, only the outputs to (re)build
    theme: str
    options: dict[str, dict[str, Any]]  # format -> render options
    write: bool = True  # False: render only, to compare with the files (build --check without a manifest)


@dataclass(frozen=True)
class Failure:
    message: str
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class Done:
    source: Path
    written: dict[str, str] = field(default_factory=dict)  # format -> sha256 of the bytes written (or rendered)
    failures: dict[str, Failure] = field(default_factory=dict)  # format ("" for the map itself) -> why


def failure_of(exc: BaseException) -> Failure:
    from journeymap.export.errors import ExportError

    if isinstance(exc, ExportError):  # about the output, not a place in the map: one plain line
        return Failure(exc.message)
    if isinstance(exc, JourneyError):
        return Failure(str(exc), tuple(exc.diagnostics))
    if isinstance(exc, OSError):
        return Failure(f"cannot write {exc.filename}: {exc.strerror}" if exc.filename else str(exc))
    return Failure(f"internal error: {type(exc).__name__}: {exc}")


def _svg(journey: Any, theme: str, view: str, embed_fonts: bool) -> str:
    from journeymap.render import render_svg

    if view == "map":
        return render_svg(journey, theme, embed_fonts=embed_fonts)
    from journeymap import views
    from journeymap.render.svg import render_layout
    from journeymap.render.theme import load_theme

    loaded = load_theme(theme)
    return render_layout(views.compute(journey, loaded, view=view), loaded, embed_fonts=embed_fonts)


def _render(journey: Any, fmt: str, task: Task, cache: dict[str, Any]) -> bytes:
    options = dict(task.options.get(fmt, {}))
    view = options.pop("view", "map")  # part of every format's options, so a changed view rebuilds them all
    if fmt == "svg":
        return _svg(journey, task.theme, view, options.get("embed_fonts", True)).encode("utf-8")
    from journeymap.export import convert
    from journeymap.render.theme import load_theme

    if "svg" not in cache:
        cache["svg"] = _svg(journey, task.theme, view, False)
    return convert(cache["svg"], fmt, theme_dirs=load_theme(task.theme).folders, **options)


def run(task: Task) -> Done:
    """Render and write each output; a failure leaves that output's previous file untouched."""
    done = Done(task.source)
    try:
        from journeymap.api import load

        journey = load(task.source)
    except Exception as exc:  # a broken map is reported, never raised: the other maps go on
        done.failures[""] = failure_of(exc)
        return done
    cache: dict[str, Any] = {}
    for fmt, path in task.outputs.items():
        try:
            data = _render(journey, fmt, task, cache)
            if task.write:
                path.parent.mkdir(parents=True, exist_ok=True)  # the source tree, mirrored
                write_atomic(path, data)
        except Exception as exc:
            done.failures[fmt] = failure_of(exc)
        else:
            done.written[fmt] = digest(data)
    return done


def send_run(render: Any, task: Task, connection: Any) -> None:
    """Run `render(task)` (run, above) in a process of its own and send its Done back."""
    connection.send(render(task))
    connection.close()
