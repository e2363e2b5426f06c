"""A faster text drawer for cairosvg, for the plain text runs our SVG is made of.

cairosvg draws text one character at a time, twice (once as a path, once filled), with a
dozen cairo calls per character: about 60% of a map's PNG time. A run with one x and one y,
no per-character positions, rotation, letter spacing or text path is drawn the same by
cairo in one call, since its toy text API advances glyph by glyph exactly as cairosvg does
(neither kerns). Anything else goes to cairosvg's own drawer.

The drawer replaces cairosvg's only while our SVG is converted (`installed()`), and only on
the cairosvg versions it was checked against; on others cairosvg draws as it always does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import cairocffi as cairo
import cairosvg
import cairosvg.surface
import cairosvg.text
from cairosvg.bounding_box import EMPTY_BOUNDING_BOX, extend_bounding_box
from cairosvg.helpers import size

CHECKED_VERSIONS = ("2.9.",)
_ORIGINAL = cairosvg.text.text
_PER_CHARACTER = ("rotate", "letter-spacing", "dominant-baseline", "alignment-baseline", "display-anchor")


def _plain(node: Any) -> bool:
    if not node.text or any(node.get(key) for key in _PER_CHARACTER):
        return False
    if node.get("text-anchor") not in (None, "start", "middle", "end"):
        return False
    if any(len(str(node.get(key, "")).split()) > 1 for key in ("x", "y", "dx", "dy")):
        return False
    return not (node.get_href() or node.parent.get_href())


def _text(surface: Any, node: Any, draw_as_text: bool = False) -> Any:
    """cairosvg's `text`, for one plain run: same font choice, cursor and anchor rules."""
    if not _plain(node):
        return _ORIGINAL(surface, node, draw_as_text)
    ctx = surface.context
    family = (node.get("font-family") or "sans-serif").split(",")[0].strip("\"' ")
    weight = node.get("font-weight")
    if weight and weight.isdigit() and int(weight) >= 550:
        weight = "bold"
    ctx.select_font_face(
        family,
        getattr(cairo, f"font_slant_{node.get('font-style')}".upper(), cairo.FONT_SLANT_NORMAL),
        getattr(cairo, f"font_weight_{weight}".upper(), cairo.FONT_WEIGHT_NORMAL),
    )
    ctx.set_font_size(surface.font_size)
    x_bearing, _, width, height, advance, _ = ctx.text_extents(node.text)
    x = size(surface, node["x"], "x") if "x" in node else None
    y = size(surface, node["y"], "y") if "y" in node else None
    if x is not None:
        surface.cursor_d_position[0] = 0
    if y is not None:
        surface.cursor_d_position[1] = 0
    surface.cursor_d_position[0] += size(surface, node.get("dx"), "x")
    surface.cursor_d_position[1] += size(surface, node.get("dy"), "y")
    x = surface.cursor_position[0] if x is None else x
    y = surface.cursor_position[1] if y is None else y
    anchor = node.get("text-anchor")
    x_align = -(width / 2 + x_bearing) if anchor == "middle" else -(width + x_bearing) if anchor == "end" else 0
    start_x, start_y = x + x_align + surface.cursor_d_position[0], y + surface.cursor_d_position[1]
    ctx.save()
    ctx.move_to(start_x, start_y)
    if not node.text.isspace():
        (ctx.show_text if draw_as_text else ctx.text_path)(node.text)
    ctx.restore()
    surface.cursor_position = [x + advance, y]
    # Gradients and patterns in objectBoundingBox units size themselves by this.
    node["text_bounding_box"] = extend_bounding_box(
        EMPTY_BOUNDING_BOX, ((start_x, start_y), (start_x + advance, start_y + height))
    )
    return None


@contextmanager
def installed() -> Iterator[None]:
    """Draw plain text runs with `_text` for the duration (a no-op on unchecked cairosvg versions)."""
    if not cairosvg.__version__.startswith(CHECKED_VERSIONS):
        yield
        return
    tags, hint_metrics = cairosvg.surface.TAGS, cairosvg.surface.TEXT_HINT_METRICS
    # surface.draw() also calls the module's `text` by name for the fill pass.
    cairosvg.surface.text = tags["text"] = tags["tspan"] = _text
    # Unhinted advances where the SVG does not ask for others, so glyphs land where the layout measured them:
    # cairo's default on image surfaces rounds each advance to whole pixels, which draws Inter 2-3% wider.
    # (text-rendering="geometricPrecision" would do it too, but also turns hinting off, which cairo draws badly.)
    hint_metrics[None] = cairo.HINT_METRICS_OFF
    try:
        yield
    finally:
        cairosvg.surface.text = tags["text"] = tags["tspan"] = _ORIGINAL
        del hint_metrics[None]
