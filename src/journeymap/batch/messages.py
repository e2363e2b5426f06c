"""How build, deck and watch word their results for people."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from journeymap.batch.worker import Failure
from journeymap.diagnostics import render


def shown(path: Path | str) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return path.relative_to(Path.cwd()).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:
        return str(path)


def _read(file: str) -> str | None:
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def format_failure(source: Path, output: Path | None, failure: Failure, color: bool = False) -> str:
    """A failure as the compiler prints diagnostics (with code frames), or one line naming map and output."""
    if not failure.diagnostics:
        where = f" ({shown(output)})" if output else ""
        return f"{shown(source)}{where}: error: {failure.message}"
    diagnostics = [replace(d, file=shown(d.file)) if Path(d.file).is_absolute() else d for d in failure.diagnostics]
    sources = {d.file: _read(d.file) for d in diagnostics}
    return render(diagnostics, "text", sources, color).rstrip("\n")
