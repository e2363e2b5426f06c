"""PNG and PDF text: the fast drawer draws what cairosvg's own drawer draws, where the layout measured it."""

from __future__ import annotations

import io
from pathlib import Path

import cairocffi as cairo
import cairosvg.surface
import pytest
from PIL import Image, ImageChops

from journeymap.export import cairo_text, convert
from journeymap.layouts.text import text_width
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
    """The SVG drawn by cairosvg's own text drawer, and by ours (both with unhinted advances)."""
    plain = cairo_text._plain
    try:
        cairo_text._plain = lambda node: False  # every run goes to cairosvg's drawer
        slow = convert(svg, fmt)
    finally:
        cairo_text._plain = plain
    return slow, convert(svg, fmt)


def _difference(a: bytes, b: bytes) -> tuple[int, float]:
    """The largest difference of 8x8-pixel block averages, and the share of pixels that differ at all.

    cairo places unhinted glyphs on quarter-pixel positions; a sum of advances that lands on the other side
    of a quarter moves that glyph by 0.25 px, which changes single pixels a lot and blocks very little.
    """
    one, two = (Image.open(io.BytesIO(x)).convert("RGBA") for x in (a, b))
    assert one.size == two.size
    changed = sum(ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v else 0).histogram()[255:])
    blocks = ImageChops.difference(one.reduce(8), two.reduce(8))
    return max(high for _, high in blocks.getextrema()), changed / (one.width * one.height)


def test_the_checked_cairosvg_is_the_installed_one() -> None:
    # On a new cairosvg the fast path switches itself off: check it against that version, then add it.
    assert cairosvg.__version__.startswith(cairo_text.CHECKED_VERSIONS)


def test_plain_runs_draw_as_cairosvg_draws_them() -> None:
    slow, fast = _both(RUNS)
    worst, share = _difference(slow, fast)
    assert worst <= 40 and share < 0.002


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_draw_as_cairosvg_draws_them(example: str) -> None:
    svg = render_svg(compile_journey(EXAMPLES / example), "default", embed_fonts=False)
    worst, share = _difference(*_both(svg))
    assert worst <= 40 and share < 0.0005


def test_per_character_text_is_left_to_cairosvg() -> None:
    slow, fast = _both(PER_CHARACTER)
    assert slow == fast


def test_pdf_text_stays_text() -> None:
    _, pdf = _both(RUNS, "pdf")
    assert pdf.startswith(b"%PDF") and b"/FontFile" in pdf


def test_text_is_drawn_at_the_width_the_layout_measured() -> None:
    line = "Compares three vendors on price, migration effort and the quality of their support documentation"
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="40"><text x="10" y="25" font-family="Inter" '
           f'font-size="13">{line}</text></svg>')
    right = Image.open(io.BytesIO(convert(svg, "png"))).getchannel("A").getbbox()[2]
    # cairo's default, hinted advances would end this line 16 px (2.6%) further right.
    assert abs(right - (10 + text_width(line, 13))) <= 1


def test_cairosvg_gets_its_own_drawer_back_even_after_a_failure() -> None:
    with pytest.raises(RuntimeError), cairo_text.installed():
        assert cairosvg.surface.TAGS["text"] is cairo_text._text
        assert cairosvg.surface.TEXT_HINT_METRICS[None] == cairo.HINT_METRICS_OFF
        raise RuntimeError
    assert cairosvg.surface.TAGS["text"] is cairosvg.surface.TAGS["tspan"] is cairosvg.surface.text
    assert cairosvg.surface.text is not cairo_text._text
    assert None not in cairosvg.surface.TEXT_HINT_METRICS
