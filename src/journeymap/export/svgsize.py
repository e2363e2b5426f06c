"""The size of an SVG document in CSS pixels, read from its root element.

Needed before rendering so that an absurd output size is refused up front
instead of allocating gigabytes inside cairo.
"""

from __future__ import annotations

import re

from journeymap.export.errors import ExportError

_ROOT = re.compile(r"<svg\b([^>]*)>", re.S)
_ATTR = r"""\b{name}\s*=\s*["']([^"']*)["']"""
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|in|cm|mm)?\s*$")
_PX_PER_UNIT = {None: 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def _attr(tag: str, name: str) -> str | None:
    match = re.search(_ATTR.format(name=name), tag)
    return match.group(1) if match else None


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value) if value else None
    return float(match.group(1)) * _PX_PER_UNIT[match.group(2)] if match else None


def svg_size(svg: str) -> tuple[float, float]:
    """(width, height) in CSS px from width/height, else from the viewBox."""
    root = _ROOT.search(svg)
    if root is None:
        raise ExportError("not an SVG document: no <svg> element")
    tag = root.group(1)
    width, height = _length(_attr(tag, "width")), _length(_attr(tag, "height"))
    box = (_attr(tag, "viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            box_w, box_h = float(box[2]), float(box[3])
        except ValueError:
            box_w = box_h = 0.0
        if width is None and height is None:
            width, height = box_w, box_h
        elif width is None and height is not None and box_h:
            width = height * box_w / box_h
        elif height is None and width is not None and box_w:
            height = width * box_h / box_w
    if not width or not height:
        raise ExportError("the SVG has no usable size (width, height or viewBox)")
    return width, height
