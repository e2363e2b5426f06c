"""render_svg: lay a journey out and draw it through the theme's templates."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from journeymap.diagnostics import Diagnostic

from journeymap.layouts import Layout, Text, compute_layout
from journeymap.model import Journey
from journeymap.render.theme import Theme, ThemeError, load_theme


def _used_text(layout: Layout) -> dict[int, str]:
    used: dict[int, set[str]] = {}
    for item in layout.items():
        if isinstance(item, Text):
            used.setdefault(item.weight, set()).update("".join(item.lines))
    return {w: "".join(sorted(chars)) for w, chars in used.items()}


TEMPLATE_CPU_SECONDS = 5  # a big map's templates take well under a second
_OUT_OF_TIME = f"the theme's templates ran for more than {TEMPLATE_CPU_SECONDS} seconds of CPU time"


class _OutOfTime(Exception):
    pass


@contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """Stop a runaway template (`range(100000)` inside `range(100000)`) after `seconds` of CPU time.

    The sandbox bounds each operation, not how many a template performs; a CPU-time timer does.
    Signals reach only the main thread, so elsewhere the template runs unbounded.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _OutOfTime()

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def render_layout(layout: Layout, theme: Theme, *, embed_fonts: bool = True) -> str:
    from journeymap.render.fonts import font_face_css

    family = theme.tokens["fonts"]["family"]
    # The subset is generated from our own font file, never from user text as markup: safe to emit raw.
    face = Markup(font_face_css(_used_text(layout))) if embed_fonts else ""
    template = theme.template()
    try:
        with _cpu_budget(TEMPLATE_CPU_SECONDS):
            return template.render(layout=layout, tokens=theme.tokens, font_family=", ".join(family), font_face=face)
    except jinja2.TemplateNotFound as exc:
        file, line = _template_position(exc, theme)
        raise ThemeError([Diagnostic(f"template not found: {exc.name}", file, line, 1, code="T004")]) from None
    except (jinja2.TemplateError, SecurityError, TypeError, ValueError, AttributeError) as exc:
        file, line = _template_position(exc, theme)
        message = getattr(exc, "message", None) or str(exc)
        raise ThemeError([Diagnostic(f"template error: {message}", file, line, 1, code="T003")]) from None
    except Exception as exc:  # a theme's templates are untrusted code: whatever they raise is the theme's error
        file, line = _template_position(exc, theme)
        message = _OUT_OF_TIME if isinstance(exc, _OutOfTime) else (
            "RecursionError: maximum recursion depth exceeded" if isinstance(exc, RecursionError)
            else f"{type(exc).__name__}: {exc}")
        raise ThemeError([Diagnostic(f"template error: {message}", file, line, 1, code="T003")]) from None


def _template_position(exc: BaseException, theme: Theme) -> tuple[str, int]:
    """The innermost template file and line in the traceback (Jinja2 rewrites frames to point at templates)."""
    file, line = str(theme.folders[0] / "map.svg.j2"), 1
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            file, line = name, tb.tb_lineno
        tb = tb.tb_next
    return file, line


def render_svg(journey: Journey, theme: str | os.PathLike[str] | Theme = "default", *, embed_fonts: bool = True) -> str:
    """The journey as an SVG document: deterministic bytes for the same input and theme."""
    loaded = load_theme(theme)
    layout = compute_layout(journey, loaded)
    return render_layout(layout, loaded, embed_fonts=embed_fonts)
