"""The public Python API: the compiler's stages, callable without the CLI.

    journey = journeymap.load("examples/saas-onboarding.yaml")
    svg = journeymap.render_svg(journey, theme="dark")
    png = journeymap.render_png(journey, scale=2)

Every function imports its stage on first use, so `import journeymap` is cheap.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from journeymap.batch import BuildReport
    from journeymap.diagnostics import Diagnostic
    from journeymap.layouts import Layout
    from journeymap.model import Journey

PathOrText = str | os.PathLike[str]
ThemeRef = str | os.PathLike[str]


def validate(source: PathOrText) -> list[Diagnostic]:
    """Every problem in a map (a path, or YAML text); empty when it is valid."""
    from journeymap.validation import check

    return check(source).diagnostics


def load(source: PathOrText) -> Journey:
    """Compile a map (a path, or YAML text) into a `Journey`; raises `JourneyError`."""
    from journeymap.validation import compile_journey

    return compile_journey(source)


def _journey(journey: Journey | PathOrText) -> Journey:
    from journeymap.model import Journey

    return journey if isinstance(journey, Journey) else load(journey)


def layout(journey: Journey | PathOrText, theme: ThemeRef = "default") -> Layout:
    """The map's geometry: boxes, wrapped text lines and curve paths."""
    from journeymap.layouts import compute_layout
    from journeymap.render.theme import load_theme

    return compute_layout(_journey(journey), load_theme(theme))


def render_svg(journey: Journey | PathOrText, theme: ThemeRef = "default", *, embed_fonts: bool = True) -> str:
    """The map as an SVG document."""
    from journeymap.render import render_svg as _render

    return _render(_journey(journey), theme, embed_fonts=embed_fonts)


def render_png(journey: Journey | PathOrText, theme: ThemeRef = "default", **options: Any) -> bytes:
    """The map as PNG bytes; options: scale, dpi, width, background."""
    return _export(journey, theme, "png", options)


def render_pdf(journey: Journey | PathOrText, theme: ThemeRef = "default", **options: Any) -> bytes:
    """The map as a vector PDF with the font embedded."""
    return _export(journey, theme, "pdf", options)


def _export(journey: Journey | PathOrText, theme: ThemeRef, fmt: str, options: dict[str, Any]) -> bytes:
    from journeymap.export import convert
    from journeymap.render.theme import load_theme

    svg = render_svg(journey, theme, embed_fonts=False)
    return convert(svg, fmt, theme_dirs=load_theme(theme).folders, **options)


def build(
    paths: Sequence[PathOrText] = (),
    out_dir: PathOrText | None = None,
    formats: Sequence[str] | None = None,
    **options: Any,
) -> BuildReport:
    """Render many maps into `out_dir`, incrementally; see `journeymap build --help`."""
    from journeymap.batch import build as _build

    return _build([Path(p) for p in paths], out_dir=Path(out_dir) if out_dir else None, formats=formats, **options)
