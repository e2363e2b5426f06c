"""Locate the data shipped with journeymap: schema, themes and fonts.

In a wheel, `schemas/` and `themes/` are copied into the package; in a source
checkout (editable install, tests) they live at the repository's top level.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for base in (_PACKAGE, _PACKAGE.parent.parent):
        if (base / name).is_dir():
            return base / name
    raise FileNotFoundError(f"journeymap is missing its {name}/ folder; reinstall it")


@cache
def schema_path() -> Path:
    return _find("schemas") / "journeymap.schema.json"


@cache
def themes_dir() -> Path:
    return _find("themes")


FONTS_DIR = _PACKAGE / "fonts"


def font_file(name: str) -> Path:
    """A font file shipped with journeymap; a clear error, not a traceback, when an installation lost it."""
    path = FONTS_DIR / name
    if not path.is_file():
        from journeymap.diagnostics import Diagnostic, JourneyError

        message = f"journeymap is missing its font file {name} (in {FONTS_DIR}); reinstall journeymap"
        raise JourneyError([Diagnostic(message, str(path), code="E001")])
    return path
