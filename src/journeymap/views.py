"""Views of one map: the journey map, the service blueprint, one persona's view, and overlays.

    layout = views.compute(journey, theme, view="blueprint")
    layout = views.compute(views.select_persona(journey, "eileen"), theme, show={"confidence"}, summary=True)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from types import MappingProxyType

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.layouts import Box, Group, Icon, Layout, Line, Marker, Path, Rect, Text, num
from journeymap.layouts.geometry import Item
from journeymap.messages import did_you_mean
from journeymap.model import Journey, Step

VIEWS = ("map", "blueprint")
SHOWS = ("confidence",)


def _only(step: Step, pid: str) -> Step:
    emotions = MappingProxyType({pid: step.emotions[pid]} if pid in step.emotions else {})
    paths = tuple(replace(b, steps=tuple(_only(s, pid) for s in b.steps)) for b in step.paths)
    return replace(step, emotions=emotions, paths=paths)


def select_persona(journey: Journey, pid: str, file: str = "") -> Journey:
    """The journey as one persona lives it; an unknown id is an E301 diagnostic."""
    ids = [p.id for p in journey.personas]
    if pid not in ids:
        hint = did_you_mean(pid, ids) or (f"; personas: {', '.join(ids)}" if ids else "; the map declares no personas")
        raise JourneyError([Diagnostic(f"unknown persona '{pid}'{hint}", file, code="E301")])
    persona = next(p for p in journey.personas if p.id == pid)
    stages = tuple(replace(st, steps=tuple(_only(s, pid) for s in st.steps)) for st in journey.stages)
    return replace(journey, personas=(persona,), stages=stages)


def compute(journey: Journey, theme: object, *, view: str = "map", show: Iterable[str] = (),
            summary: bool = False) -> Layout:
    from journeymap.layouts import compute_layout
    from journeymap.layouts import summary as panels
    from journeymap.layouts.style import Style

    show = set(show)
    extra = tuple(panels.confidence_legend(journey)) if "confidence" in show else ()
    if view == "blueprint":
        from journeymap.layouts.blueprint import compute_blueprint

        layout = compute_blueprint(journey, theme, extra)
    else:
        layout = compute_layout(journey, theme, extra)
    if "confidence" in show:
        top = min(b.y for _, b in layout.lanes) if layout.lanes else layout.grid.y
        tints = panels.confidence_tints(journey, layout.steps, layout.grid, top)
        badges = panels.assumption_badges(journey, layout.steps, top, Style.from_tokens(theme.tokens))  # type: ignore[attr-defined]
        background, *rest = layout.groups
        # The badges sit on the cards, so they come after the first lane (in drawing and reading order).
        at = next((k for k, g in enumerate(rest) if g.kind == "lane"), len(rest) - 1) + 1
        rest[at:at] = [Group("jm-confidence", "confidence", "Assumptions", tuple(badges))] if badges else []
        # One column encoding at a time: the moment-of-truth tint would darken a column as confidence does (the
        # moment still shows on its card, its marker and in the legend).
        kept = tuple(i for i in background.items if i.cls != "moment-column")
        layout = replace(layout, groups=(replace(background, items=(*kept, *tints)), *rest))
    if summary:
        st = Style.from_tokens(theme.tokens)  # type: ignore[attr-defined]
        margin = st.sp("margin")
        y = layout.height - margin + st.sp("gutter") * 2
        items, h = panels.opportunities_panel(journey, margin, y, layout.width - 2 * margin, st)
        if items:
            layout = replace(layout, height=math.ceil(y + h + margin),
                             groups=(*layout.groups, Group("jm-summary", "summary", "Opportunities by priority",
                                                           tuple(items))))
    return layout


def extend(layout: Layout, group: Group, height: float) -> Layout:
    """`layout` with `group` drawn last and the canvas `height` tall."""
    return replace(layout, height=max(layout.height, math.ceil(height)), groups=(*layout.groups, group))


_TOL = 0.01
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?[0-9]+(?:\.[0-9]+)?")


def open_band(layout: Layout, at: float, dy: float) -> Layout:
    """`layout` with a band `dy` tall opened at y = `at`: what lies below moves down, what spans it grows.

    Views use it to make room inside a finished map (a line of interaction between two rows, a note at the
    foot of every card) without laying the map out again.
    """
    def down(y: float) -> float:  # a top edge or a point: on the band's top edge it moves down
        return y + dy if y >= at - _TOL else y

    def foot(y: float) -> float:  # a bottom edge: on the band's top edge it closes the row above and stays
        return y + dy if y > at + _TOL else y

    def box(b: Box) -> Box:
        top = down(b.y)
        return Box(b.x, top, b.w, foot(b.bottom) - top)

    def move(item: Item) -> Item:
        if isinstance(item, Rect):
            return replace(item, box=box(item.box))
        if isinstance(item, Text):
            moved = box(item.box)
            return replace(item, box=moved, y=item.y + moved.y - item.box.y)
        if isinstance(item, Line):  # a rule lies like a bottom edge; a vertical line's top end is a top edge
            up = item.y1 < item.y2
            return replace(item, y1=(down if up else foot)(item.y1), y2=(down if item.y2 < item.y1 else foot)(item.y2))
        if isinstance(item, (Marker, Icon)):
            return replace(item, y=down(item.y))
        if isinstance(item, Path) and item.d:
            return replace(item, d=_path_down(item.d, down), points=tuple((x, down(y)) for x, y in item.points))
        return item

    return replace(
        layout, height=math.ceil(layout.height + dy),
        groups=tuple(replace(g, items=tuple(move(i) for i in g.items)) for g in layout.groups),
        grid=box(layout.grid), lanes=tuple((n, box(b)) for n, b in layout.lanes),
        stages=tuple((n, box(b)) for n, b in layout.stages), steps=tuple((n, box(b)) for n, b in layout.steps))


def _path_down(d: str, down: Callable[[float], float]) -> str:
    """`d` (absolute M, L, C, H, V and Z commands, as the layout writes them) with `down` applied to every y."""
    out: list[str] = []
    command, k = "", 0
    for token in _PATH_TOKEN.findall(d):
        if token.isalpha():
            command, k = token, 0
            out.append(token)
            continue
        value = float(token)
        is_y = command == "V" or (command in "MLC" and k % 2 == 1)
        k += 1
        out.append(("" if out[-1].isalpha() else " ") + num(down(value) if is_y else value))
    return "".join(out)


__all__ = ["SHOWS", "VIEWS", "Box", "compute", "extend", "open_band", "select_persona"]
