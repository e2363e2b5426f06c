"""The fast text drawer draws what cairosvg's own drawer draws."""

from __future__ import annotations

import io
from pathlib import Path

import cairosvg.surface
import pytest
from PIL import Image, ImageChops

from journeymap.export import cairo_text, convert
from journeymap.render import render_svg
from journeymap.validation import compile_journey

EXAMPLES = Path(__file__).parent.parent / "examples"

RUNS = """<svg xmlns="http://www.w3.org/2000/svg" width="640" height="260" viewBox="0 0 640 260">
<rect width="640" height="260" fill="#fff"/>
<g font-family="Inter" font-size="18">
<text x="20" y="40">Plain run, then <tspan font-weight="600">a bold one</tspan> that follows on</text>
<text x="320" y="80" text-anchor="middle">Centred under the stage title</text>
<text x="620" y="120" text-anchor="end" font-style="italic">Right-aligned, italic</text>
<text x="20" y="160"><tspan x="20" dy="0">Wrapped line one</tspan><tspan x="20" dy="22">and line two</tspan></text>
<text x="20" y="230" dx="12" fill="#c33">Shifted by dx   with spaces</text>
</g></svg>"""

PER_CHARACTER = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160" viewBox="0 0 400 160">
<text x="20" y="40" font-family="Inter" font-size="18" letter-spacing="3">Letter spacing</text>
<text x="20 40 60 80" y="80" font-family="Inter" font-size="18">Per-letter x</text>
<text x="20" y="120" font-family="Inter" font-size="18" rotate="10">Rotated</text>
</svg>"""


def _both(svg: str, fmt: str = "png") -> tuple[bytes, bytes]:
    original = cairo_text.CHECKED_VERSIONS
    try:
        cairo_text.CHECKED_VERSIONS = ()  # cairosvg's own drawer
        slow = convert(svg, fmt)
    finally:
        cairo_text.CHECKED_VERSIONS = original
    return slow, convert(svg, fmt)


def _difference(a: bytes, b: bytes) -> tuple[int, float]:
    """The largest channel difference, and the share of pixels that differ at all."""
    one, two = (Image.open(io.BytesIO(x)).convert("RGBA") for x in (a, b))
    assert one.size == two.size
    diff = ImageChops.difference(one, two)
    worst = max(high for _, high in diff.getextrema())
    changed = sum(diff.convert("L").point(lambda v: 255 if v else 0).histogram()[255:])
    return worst, changed / (one.width * one.height)


def test_the_checked_cairosvg_is_the_installed_one() -> None:
    # On a new cairosvg the fast path switches itself off: check it against that version, then add it.
    assert cairosvg.__version__.startswith(cairo_text.CHECKED_VERSIONS)


def test_plain_runs_draw_as_cairosvg_draws_them() -> None:
    slow, fast = _both(RUNS)
    worst, share = _difference(slow, fast)
    # Glyphs land on the same positions; only anti-aliasing at a few edges differs by a few levels.
    assert worst <= 8 and share < 0.002


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_draw_as_cairosvg_draws_them(example: str) -> None:
    svg = render_svg(compile_journey(EXAMPLES / example), "default", embed_fonts=False)
    worst, share = _difference(*_both(svg))
    assert worst <= 8 and share < 0.001


def test_per_character_text_is_left_to_cairosvg() -> None:
    slow, fast = _both(PER_CHARACTER)
    assert slow == fast


def test_pdf_text_stays_text() -> None:
    _, pdf = _both(RUNS, "pdf")
    assert pdf.startswith(b"%PDF") and b"/FontFile" in pdf


def test_cairosvg_gets_its_own_drawer_back_even_after_a_failure() -> None:
    with pytest.raises(RuntimeError), cairo_text.installed():
        assert cairosvg.surface.TAGS["text"] is cairo_text._text
        raise RuntimeError
    assert cairosvg.surface.TAGS["text"] is cairosvg.surface.TAGS["tspan"] is cairosvg.surface.text
    assert cairosvg.surface.text is not cairo_text._text
