"""Watch mode: rebuild on every save, print diagnostics, keep the last good outputs.

Each round is an ordinary incremental build of the same paths, so only the maps
whose bytes changed are rendered, new maps are picked up, and a broken map never
replaces its previous output. File events come from watchfiles (native OS
notifications), not from polling by hand.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Sequence

from journeymap.batch import BuildReport, build
from journeymap.config import ConfigError
from journeymap.sources import GLOB_CHARS, MAP_SUFFIXES

Listener = Callable[["BuildReport | ConfigError"], None]


def _folder(given: Path) -> Path:
    if GLOB_CHARS & set(str(given)):
        parts = given.parts
        return Path(*parts[: next(i for i, p in enumerate(parts) if GLOB_CHARS & set(p))] or ["."]).resolve()
    # A file is watched through its folder: editors save by writing a new file and renaming it over.
    return (given.parent if given.is_file() else given).resolve()


def targets(paths: Sequence[Path], theme: str | None) -> list[Path]:
    """The folders to watch: those holding the maps, and a custom theme's folder."""
    folders = {_folder(p) for p in paths}
    if theme and ("/" in theme or theme.startswith(".") or Path(theme).is_dir()):
        folders.add(Path(theme).expanduser().resolve())
    # Drop folders inside other watched folders: watching is recursive.
    return sorted(f for f in folders if not any(f != o and f.is_relative_to(o) for o in folders))


def watch(
    paths: Sequence[Path | str],
    out_dir: Path | str,
    formats: Any = None,
    *,
    theme: str | None = None,
    scale: float | None = None,
    jobs: int | None = None,
    on_build: Listener,
    stop_event: threading.Event | None = None,
    debounce_ms: int = 300,
) -> None:
    """Build once, then again after every change, until `stop_event` is set or Ctrl-C.

    Raises ConfigError when a folder to watch does not exist.

    `on_build` receives each round's BuildReport, or the ConfigError that stopped it
    (for instance a watched file that was deleted); watching goes on either way.
    """
    import watchfiles

    given = [Path(p) for p in paths]
    out = Path(out_dir).resolve()
    theme_folders = targets([], theme)
    folders = targets(given, theme)
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        raise ConfigError(f"{missing[0]}: no such file or folder to watch")

    def relevant(change: watchfiles.Change, name: str) -> bool:
        path = Path(name)
        if path.is_relative_to(out) or path.name.startswith("."):
            return False
        return path.suffix in MAP_SUFFIXES or any(path.is_relative_to(t) for t in theme_folders)

    def round_() -> None:
        try:
            on_build(build(given, out, formats, theme=theme, scale=scale, jobs=jobs))
        except ConfigError as exc:
            on_build(exc)

    round_()
    for _changes in watchfiles.watch(
        *folders, watch_filter=relevant, stop_event=stop_event, debounce=1600, step=debounce_ms, raise_interrupt=False
    ):
        round_()
