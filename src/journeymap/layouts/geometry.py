"""The layout as data: frozen primitives that theme templates only draw.

Each primitive carries a `cls` — a semantic role such as "card-pain" or
"text-body" — that templates map to the theme's colours; coordinates are in
SVG user units (px).
"""

from __future__ import annotations

from dataclasses import dataclass, field


def num(value: float) -> str:
    """Stable number formatting: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, other: Box, tol: float = 0.01) -> bool:
        return (other.x >= self.x - tol and other.y >= self.y - tol
                and other.right <= self.right + tol and other.bottom <= self.bottom + tol)

    def overlaps(self, other: Box, tol: float = 0.01) -> bool:
        return (self.x < other.right - tol and other.x < self.right - tol
                and self.y < other.bottom - tol and other.y < self.bottom - tol)


@dataclass(frozen=True, slots=True)
class Rect:
    box: Box
    cls: str
    rx: float = 0.0
    fill: str | None = None  # a theme colour picked by the layout (stage tints, persona colours)
    id: str = ""  # an SVG id derived from a stage's or step's slug
    kind: str = field(default="rect", init=False)


@dataclass(frozen=True, slots=True)
class Text:
    x: float  # anchor x of every line
    y: float  # baseline of the first line
    lines: tuple[str, ...]
    line_height: float
    cls: str
    box: Box  # the area the text is guaranteed to fit in
    size: float
    weight: int = 400
    anchor: str = "start"  # start | middle | end
    widths: tuple[float, ...] = ()  # measured width of each line
    fill: str | None = None
    kind: str = field(default="text", init=False)


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    cls: str
    kind: str = field(default="line", init=False)


@dataclass(frozen=True, slots=True)
class Path:
    d: str
    cls: str
    points: tuple[tuple[float, float], ...] = ()  # every point and control point of `d`
    stroke: str | None = None
    dash: str | None = None
    fill: str | None = None
    persona: str = ""  # the persona id whose curve this is (maps with several personas)
    kind: str = field(default="path", init=False)


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    r: float
    shape: str  # circle | square | triangle-up | triangle-down | diamond | star
    cls: str
    fill: str | None = None
    label: str = ""  # accessible name, e.g. "Maya: 2 (delighted)"
    persona: str = ""  # the persona id whose score this marks (maps with several personas)
    kind: str = field(default="marker", init=False)


@dataclass(frozen=True, slots=True)
class Icon:
    x: float
    y: float
    size: float
    name: str  # a built-in icon; unknown names draw the generic icon
    cls: str
    kind: str = field(default="icon", init=False)


Item = Rect | Text | Line | Path | Marker | Icon


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    kind: str  # header | stages | lane | legend | highlight
    label: str
    items: tuple[Item, ...]
    lane: str = ""  # for kind == "lane": which lane


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    title: str
    description: str
    groups: tuple[Group, ...]
    grid: Box  # the stage × lane grid
    lanes: tuple[tuple[str, Box], ...]  # lane name -> its row
    stages: tuple[tuple[str, Box], ...]  # stage id -> its column (grid height)
    steps: tuple[tuple[str, Box], ...]  # step id -> its column (grid height)

    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]


# Plain data with nothing but fields and properties: safe for theme templates to read.
DATA_TYPES = frozenset({Box, Rect, Text, Line, Path, Marker, Icon, Group, Layout})
