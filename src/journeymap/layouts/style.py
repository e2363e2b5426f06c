"""Theme tokens as numbers, and the helpers every part of the layout shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from journeymap.layouts.geometry import Box, Item, Marker, Rect, Text
from journeymap.layouts.text import text_width, wrap

CAP_HEIGHT = 0.727  # Inter's cap height in em: used to centre lines in their line box


@dataclass(frozen=True)
class Style:
    sizes: Mapping[str, float]
    space: Mapping[str, float]
    colors: Mapping[str, Any]
    line_height: float

    @classmethod
    def from_tokens(cls, tokens: Mapping[str, Any]) -> Style:
        sizes = tokens["sizes"]
        return cls(sizes=sizes, space=tokens["spacing"], colors=tokens["colors"], line_height=float(sizes["line_height"]))

    def size(self, role: str) -> float:
        return float(self.sizes[role])

    def sp(self, name: str) -> float:
        return float(self.space[name])

    def lh(self, role: str) -> float:
        return self.size(role) * self.line_height

    def text(self, s: str, x: float, y: float, width: float, role: str, cls: str, *,
             weight: int = 400, anchor: str = "start", fill: str | None = None) -> Text:
        """A wrapped text block whose box starts at (x, y) and is `width` wide."""
        size = self.size(role)
        lines = wrap(s, max(width, size), size, weight)
        return self.lines(lines, x, y, width, role, cls, weight=weight, anchor=anchor, fill=fill)

    def lines(self, lines: tuple[str, ...], x: float, y: float, width: float, role: str, cls: str, *,
              weight: int = 400, anchor: str = "start", fill: str | None = None) -> Text:
        size = self.size(role)
        lh = size * self.line_height
        ax = {"start": x, "middle": x + width / 2, "end": x + width}[anchor]
        return Text(
            x=ax, y=y + lh / 2 + CAP_HEIGHT * size / 2, lines=lines, line_height=lh, cls=cls,
            box=Box(x, y, width, lh * len(lines)), size=size, weight=weight, anchor=anchor,
            widths=tuple(text_width(line, size, weight) for line in lines), fill=fill,
        )


def single_line_width(s: str, style: Style, role: str, weight: int = 400) -> float:
    return text_width(s, style.size(role), weight)


def bullets(items: tuple[str, ...], x: float, y: float, width: float, style: Style, role: str, cls: str,
            dot_cls: str) -> tuple[list[Item], float]:
    """A bulleted list with hanging indent; returns its items and height."""
    out: list[Item] = []
    indent = style.size(role) * 0.9
    gap = style.sp("gap") / 2
    top = y
    for entry in items:
        block = style.text(entry, x + indent, y, width - indent, role, cls)
        lh = block.line_height
        out.append(Marker(x + indent * 0.3, y + lh / 2, 2.0, "circle", dot_cls))
        out.append(block)
        y = block.box.bottom + gap
    return out, max(0.0, y - gap - top)


def card(content: list[Item], bottom: float, x: float, y: float, w: float, pad: float, cls: str, rx: float,
         fill: str | None = None) -> tuple[list[Item], float]:
    """Put content (laid out from y + pad down to `bottom`) on a card; returns items and the card height."""
    h = bottom + pad - y
    return [Rect(Box(x, y, w, h), cls, rx=rx, fill=fill), *content], h


def mix(a: str, b: str, t: float) -> str:
    """Blend two #RRGGBB colours: t = 0 gives a, t = 1 gives b."""
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(u + (v - u) * t):02X}" for u, v in zip(ca, cb))


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(background: str, *candidates: str) -> str:
    """The candidate text colour with the most contrast on `background`."""
    return max(candidates, key=lambda c: contrast(c, background))
