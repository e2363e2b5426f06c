"""Batch builds: many maps into a mirrored output tree, incrementally and in parallel.

    report = build([Path("maps")], out_dir=Path("docs/maps"), formats=("svg", "png"))

Each output is skipped when the manifest says it was built from the same input,
theme, options and journeymap version and the file on disk is the one recorded.
Deciding that reads and hashes files only: nothing is rendered or imported (except by
--check for an output the manifest has no entry for: it is rendered in memory and compared).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from journeymap import files
from journeymap.batch import manifest
from journeymap.batch.sources import Source, expand, in_shard, parse_shard, plan, tree_root
from journeymap.batch.pool import results
from journeymap.batch.worker import Done, Failure, Task
from journeymap.config import Config, ConfigError, load_config, parse_formats

__all__ = ["BuildReport", "ConfigError", "Failure", "MapFailure", "Stale", "build"]

DEFAULT_FORMATS = ("svg",)
DEFAULT_THEME = "default"


@dataclass(frozen=True)
class MapFailure:
    source: Path
    output: Path | None  # None when the map itself could not be loaded
    failure: Failure


@dataclass(frozen=True)
class Stale:
    output: Path
    source: Path
    reason: str  # "missing" | "stale" | "changed on disk"


@dataclass
class BuildReport:
    out_dir: Path
    files: int = 0
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    failed: list[MapFailure] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)  # filled by check=True only
    seconds: float = 0.0
    check: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stale

    @property
    def failed_maps(self) -> int:
        return len({f.source for f in self.failed})

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


@dataclass(frozen=True)
class _Settings:
    sources: list[Source]
    out_dir: Path
    theme: str
    options: dict[str, dict[str, Any]]


def _settings(
    paths: Sequence[Path],
    out_dir: Path | None,
    formats: Iterable[str] | str | None,
    theme: str | None,
    scale: float | None,
    config: Config | None,
    view: str = "map",
    shard: str | None = None,
) -> _Settings:
    config = config or load_config()
    if paths:
        base, given = Path.cwd(), list(paths)
    else:
        base, given = config.root, [Path(p) for p in config.paths]
    if not given:
        raise ConfigError("no maps to build: give files, folders or globs, or set paths in [tool.journeymap]")
    target = out_dir or config.out_dir
    if target is None:
        raise ConfigError("no output folder: give --out-dir or set out_dir in [tool.journeymap]")
    chosen = parse_formats(formats) if formats is not None else (config.formats or DEFAULT_FORMATS)
    png_scale = float(scale if scale is not None else config.scale if config.scale is not None else 1)
    options: dict[str, dict[str, Any]] = {"svg": {"embed_fonts": True}, "png": {"scale": png_scale}, "pdf": {}}
    if view != "map":  # left out for the journey map, so existing manifests stay valid
        options = {fmt: {**opts, "view": view} for fmt, opts in options.items()}
    files = expand(given, base)
    sources = plan(files, tree_root(given, base), target, chosen)
    if shard:
        part = parse_shard(shard)
        sources = [s for s in sources if in_shard(s, part)]
    chosen_theme = _theme_ref(theme) or config.theme or DEFAULT_THEME
    _check_theme(chosen_theme)
    return _Settings(sources, target.resolve(), chosen_theme, options)


def _check_theme(theme: str) -> None:
    # Checked up front (cheaply, without loading it) so that a typo is one usage error, not a failure per map.
    from journeymap.resources import themes_dir

    if Path(theme).is_absolute():
        if not (Path(theme) / "theme.yaml").is_file():
            raise ConfigError(f"{theme}: not a theme folder (it has no theme.yaml)")
    elif not (themes_dir() / theme / "theme.yaml").is_file():
        known = sorted(p.name for p in themes_dir().iterdir() if (p / "theme.yaml").is_file())
        raise ConfigError(f"unknown theme {theme!r}; built-in themes: {', '.join(known)}")


def _theme_ref(theme: str | None) -> str | None:
    # A theme folder is made absolute here: worker processes may run in another current folder.
    if theme and ("/" in theme or "\\" in theme or theme.startswith(".") or Path(theme).is_dir()):
        return str(Path(theme).expanduser().resolve())
    return theme


def _plan_work(
    settings: _Settings, entries: dict[str, dict[str, str]], report: BuildReport
) -> tuple[list[Task], dict[Path, dict[str, str]]]:
    """Split outputs into up to date (skipped) and to build; return the tasks and each output's new key."""
    theme_digest = manifest.theme_fingerprint(settings.theme)
    tasks: list[Task] = []
    keys: dict[Path, dict[str, str]] = {}
    claimed: dict[Path, Path] = {}
    for source in settings.sources:
        source_digest = manifest.file_digest(source.path) or ""
        todo = {}
        for fmt, out in source.outputs.items():
            if out in claimed:
                report.failed.append(
                    MapFailure(
                        source.path,
                        out,
                        Failure(
                            f"{source.path.name} and {claimed[out].name} would both write {out}; rename one of them"
                        ),
                    )
                )
                continue
            claimed[out] = source.path
            key = manifest.output_key(source_digest, theme_digest, fmt, settings.options[fmt])
            entry = entries.get(out.relative_to(settings.out_dir).as_posix())
            on_disk = manifest.file_digest(out) if entry and entry.get("key") == key else None
            if entry and entry.get("key") == key and on_disk == entry.get("sha256"):
                report.skipped.append(out)
                continue
            keys[out] = {"key": key, "source": source.rel.as_posix()}
            reason = (
                "missing" if not out.exists() else "changed on disk" if entry and entry.get("key") == key else "stale"
            )
            report.stale.append(Stale(out, source.path, reason))
            todo[fmt] = out
        if todo:
            tasks.append(Task(source.path, todo, settings.theme, settings.options))
    return tasks, keys


def _compare_unrecorded(
    settings: _Settings, entries: dict[str, dict[str, str]], report: BuildReport, jobs: int
) -> None:
    """--check for outputs the manifest has no entry for (it was not committed, say): render them in
    memory and compare bytes with the files. Slower than the manifest, and PNG and PDF bytes can differ
    between versions of cairo, but an up-to-date output is not reported stale for want of a manifest."""
    unrecorded = [
        s for s in report.stale
        if s.reason == "stale" and s.output.relative_to(settings.out_dir).as_posix() not in entries
    ]
    by_source: dict[Path, dict[str, Path]] = {}
    for stale in unrecorded:
        by_source.setdefault(stale.source, {})[stale.output.suffix[1:]] = stale.output
    tasks = [Task(source, outs, settings.theme, settings.options, write=False) for source, outs in by_source.items()]
    same: set[Path] = set()
    for done in results(tasks, jobs):
        outputs = by_source[done.source]
        same |= {outputs[fmt] for fmt, sha in done.written.items() if manifest.file_digest(outputs[fmt]) == sha}
        report.failed += [MapFailure(done.source, outputs.get(fmt), failure) for fmt, failure in done.failures.items()]
    report.skipped += [s.output for s in unrecorded if s.output in same]
    report.stale = [s for s in report.stale if s.output not in same]


def build(
    paths: Sequence[Path | str] = (),
    out_dir: Path | str | None = None,
    formats: Iterable[str] | str | None = None,
    *,
    theme: str | None = None,
    scale: float | None = None,
    jobs: int | None = None,
    check: bool = False,
    config: Config | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[Done], None] | None = None,
    view: str = "map",
    shard: str | None = None,
) -> BuildReport:
    """Build every map under `paths` (or the configured paths) into `out_dir`.

    Raises ConfigError for unusable arguments or configuration (a usage error); problems with
    individual maps are collected in the report, never raised. `view` is "map" or "blueprint".
    `shard` "I/N" builds only the I-th of N disjoint parts of the maps, for a CI matrix.
    """
    if view not in ("map", "blueprint"):
        raise ConfigError(f"unknown view '{view}'; use map or blueprint")
    started = time.perf_counter()
    settings = _settings(
        [Path(p) for p in paths], Path(out_dir) if out_dir is not None else None, formats, theme, scale, config, view,
        shard,
    )
    report = BuildReport(settings.out_dir, files=len(settings.sources), check=check)
    entries = manifest.load(settings.out_dir)
    tasks, keys = _plan_work(settings, entries, report)
    if check:
        _compare_unrecorded(settings, entries, report, jobs or os.cpu_count() or 1)
    else:
        # Temporaries of writes that were killed (a build stopped with SIGKILL) are never renamed: remove them.
        outputs = [out for source in settings.sources for out in source.outputs.values()]
        files.sweep([*outputs, settings.out_dir / manifest.MANIFEST_NAME])
    if check or not tasks:
        report.seconds = time.perf_counter() - started
        return report
    report.stale.clear()  # a real build brings them up to date; stale is the --check answer
    if on_start:
        on_start(len(tasks))
    by_source = {task.source: task for task in tasks}
    changed: dict[str, dict[str, str]] = {}
    try:
        for done in results(tasks, jobs or os.cpu_count() or 1):
            _record(done, by_source, keys, changed, settings.out_dir, report)
            if on_done:
                on_done(done)
    finally:
        # Save what was written even if the build is interrupted: finished outputs are not redone.
        if changed:
            manifest.save(settings.out_dir, changed)
    report.seconds = time.perf_counter() - started
    return report


def _record(
    done: Done,
    tasks: dict[Path, Task],
    keys: dict[Path, dict[str, str]],
    changed: dict[str, dict[str, str]],
    out_dir: Path,
    report: BuildReport,
) -> None:
    task = tasks[done.source]
    for fmt, sha in done.written.items():
        out = task.outputs[fmt]
        changed[out.relative_to(out_dir).as_posix()] = {**keys[out], "sha256": sha}
        report.written.append(out)
    for fmt, failure in done.failures.items():
        report.failed.append(MapFailure(done.source, task.outputs.get(fmt), failure))

