"""journeymap: customer journey maps as code.

The public API is small and stable; everything else is private. Heavy modules
are imported on first use so that `import journeymap` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "load": "journeymap.api",
    "validate": "journeymap.api",
    "layout": "journeymap.api",
    "render_svg": "journeymap.api",
    "render_png": "journeymap.api",
    "render_pdf": "journeymap.api",
    "build": "journeymap.api",
    "Journey": "journeymap.model",
    "Diagnostic": "journeymap.diagnostics",
    "JourneyError": "journeymap.diagnostics",
}

__all__ = sorted(_API) + ["__version__"]

if TYPE_CHECKING:  # pragma: no cover
    # `X as X`: re-exported for type checkers (the names are imported lazily at run time, below).
    from journeymap.api import build as build, layout as layout, load as load, render_pdf as render_pdf
    from journeymap.api import render_png as render_png, render_svg as render_svg, validate as validate
    from journeymap.diagnostics import Diagnostic as Diagnostic, JourneyError as JourneyError
    from journeymap.model import Journey as Journey


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'journeymap' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
