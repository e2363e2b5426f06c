"""The service blueprint view of a map.

Rows, top to bottom, as in the standard blueprint: customer actions, the line of
interaction, frontstage (touchpoints and their owners), the line of visibility,
backstage (processes and owners), the line of internal interaction, support
processes. The journey-map grid draws the first three rows; this module relabels
them, draws the line of interaction and adds the support row under them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from journeymap.layouts import lanes
from journeymap.layouts.geometry import (
    Box,
    Group,
    Icon,
    Item,
    Layout,
    Line,
    Marker,
    Path,
    Rect,
    Text,
    num,
)
from journeymap.layouts.style import Style
from journeymap.model import Journey, Process

ROW_TITLES = {"actions": "CUSTOMER", "touchpoints": "FRONTSTAGE", "backstage": "BACKSTAGE"}


def _label(p: Process) -> str:
    return f"{p.process} \u00b7 {p.owner}" if p.owner else p.process


def _blueprint_journey(journey: Journey) -> Journey:
    stages = tuple(replace(st, steps=tuple(replace(s, backstage=tuple(_label(b) for b in s.backstage_items))
                                          for s in st.steps)) for st in journey.stages)
    return replace(journey, stages=stages, lanes=("actions", "touchpoints", "backstage"))


def _shift(item: Item, dy: float) -> Item:
    if isinstance(item, (Rect, Text)):
        moved = replace(item, box=Box(item.box.x, item.box.y + dy, item.box.w, item.box.h))
        return replace(moved, y=item.y + dy) if isinstance(item, Text) else moved
    if isinstance(item, Line):
        return replace(item, y1=item.y1 + dy, y2=item.y2 + dy)
    if isinstance(item, (Marker, Icon)):
        return replace(item, y=item.y + dy)
    if isinstance(item, Path) and re.fullmatch(r"[ML0-9.\- ]*", item.d):
        pts = tuple((x, y + dy) for x, y in item.points)
        d = "".join(f"{'M' if i == 0 else 'L'}{num(x)} {num(y)}" for i, (x, y) in enumerate(pts)) if pts else item.d
        return replace(item, d=d, points=pts)
    return item


def legend_entries() -> list[tuple[Item, str]]:
    return [(Path("", "blueprint-line"), "Line of interaction"),
            (Path("", "blueprint-line-visibility"), "Line of visibility"),
            (Path("", "blueprint-line-internal"), "Line of internal interaction")]


def compute_blueprint(journey: Journey, theme: object, extra_legend: tuple[tuple[Item, str], ...] = ()) -> Layout:
    from journeymap.layouts.grid import compute_layout

    st = Style.from_tokens(theme.tokens)  # type: ignore[attr-defined]
    margin, gap, pad = st.sp("margin"), st.sp("gap"), st.sp("pad")
    layout = compute_layout(_blueprint_journey(journey), theme, (*legend_entries(), *extra_legend))
    rows = dict(layout.lanes)
    groups: list[Group] = []
    for g in layout.groups:
        if g.kind == "lane" and g.lane in ROW_TITLES:
            g = replace(g, items=tuple(replace(i, lines=(ROW_TITLES[g.lane],), widths=(
                st.text(ROW_TITLES[g.lane], 0, 0, 1000, "label", "t", weight=600).widths))
                if isinstance(i, Text) and i.cls == "text-label" else i for i in g.items))
        if g.kind == "visibility":  # the blueprint's own, solid-dashed style
            g = replace(g, items=tuple(replace(i, cls="blueprint-line-visibility") if isinstance(i, Line) else i
                                       for i in g.items))
        groups.append(g)
    right = layout.width - margin
    # The line of interaction: between what the customer does and where they meet the company.
    act, front = rows["actions"], rows["touchpoints"]
    label_w = layout.grid.x - margin - 2 * pad
    probe = st.text("LINE OF INTERACTION", 0, 0, label_w, "label", "text-line-label", weight=600)
    inter_label = st.text("LINE OF INTERACTION", margin + pad, act.bottom - probe.box.h - 4, label_w, "label",
                          "text-line-label", weight=600)
    lines: list[Item] = [Line(margin, front.y, right, front.y, "blueprint-line"), inter_label]

    # Support processes under the line of internal interaction.
    back = rows["backstage"]
    line_y = back.bottom + gap * 1.5
    internal = st.text("LINE OF INTERNAL INTERACTION", margin + pad, line_y + 4, layout.grid.x - margin - 2 * pad,
                       "label", "text-line-label", weight=600)
    lines += [Line(margin, line_y, right, line_y, "blueprint-line-internal"), internal]
    top = internal.box.bottom + gap
    support_items: list[Item] = []
    height = 0.0
    boxes = dict(layout.steps)
    for step in journey.steps:
        b = boxes[step.id]
        cell, h = lanes._cards([_label(p) for p in step.support], b.x + gap, top + gap, b.w - 2 * gap, st,
                               "card-support", "text-body")
        support_items.extend(cell)
        height = max(height, h)
    row_h = max(height + 2 * gap, st.lh("label") + 2 * pad)
    row = Box(margin, top, right - margin, row_h)
    label = st.text("SUPPORT", margin + pad + 20, top + pad, layout.grid.x - margin - 2 * pad - 20, "label",
                    "text-label", weight=600)
    icon = Icon(margin + pad, top + pad + (st.lh("label") - 14) / 2, 14, "lane-backstage", "lane-icon")
    seps = [Line(b.x, top, b.x, row.bottom, "stage-separator") for _, b in layout.stages[1:]]
    support = Group("jm-lane-support", "lane", "Support processes",
                    (icon, label, *support_items, Line(margin, row.bottom, right, row.bottom, "hairline"), *seps),
                    lane="support")
    dy = row.bottom - back.bottom
    out: list[Group] = []
    for g in groups:
        if g.kind == "legend":
            g = replace(g, items=tuple(_shift(i, dy) for i in g.items))
        out.append(g)
        if g.id == "jm-lane-backstage":
            out.append(Group("jm-blueprint-lines", "blueprint-lines", "Lines of interaction", tuple(lines)))
            out.append(support)
    grid = replace(layout.grid, h=row.bottom - layout.grid.y)
    return replace(
        layout, height=layout.height + dy, groups=tuple(out), grid=grid,
        lanes=(*layout.lanes, ("support", row)),
        steps=tuple((sid, replace(b, h=grid.h)) for sid, b in layout.steps),
        stages=tuple((sid, replace(b, h=grid.h)) for sid, b in layout.stages),
        description=layout.description.replace("Customer journey map", "Service blueprint", 1),
    )
