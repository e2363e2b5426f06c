"""The service blueprint view of a map.

Rows, top to bottom, as in the standard blueprint: customer actions, the line of
interaction, frontstage (touchpoints and their owners), the line of visibility,
backstage (processes and owners), the line of internal interaction, support
processes. The journey-map grid draws the first three rows; this module relabels
them, opens a band for the line of interaction between the first two (labelled
as the grid labels the line of visibility) and adds the support row under them.
"""

from __future__ import annotations

from dataclasses import replace

from journeymap.layouts import lanes
from journeymap.layouts.geometry import Box, Group, Icon, Item, Layout, Line, Path, Rect, Text
from journeymap.layouts.style import Style
from journeymap.model import Journey, Process

ROW_TITLES = {"actions": "CUSTOMER", "touchpoints": "FRONTSTAGE", "backstage": "BACKSTAGE"}


def _label(p: Process) -> str:
    return f"{p.process} \u00b7 {p.owner}" if p.owner else p.process


def _blueprint_journey(journey: Journey) -> Journey:
    stages = tuple(replace(st, steps=tuple(replace(s, backstage=tuple(_label(b) for b in s.backstage_items))
                                          for s in st.steps)) for st in journey.stages)
    return replace(journey, stages=stages, lanes=("actions", "touchpoints", "backstage"))


def legend_entries() -> list[tuple[Item, str]]:
    return [(Path("", "blueprint-line"), "Line of interaction"),
            (Path("", "blueprint-line-visibility"), "Line of visibility"),
            (Path("", "blueprint-line-internal"), "Line of internal interaction")]


def _divider(text: str, cls: str, y: float, right: float, st: Style, label_w: float) -> tuple[list[Item], float]:
    """A blueprint line in a band of its own under `y`, labelled under it at the left as the line of visibility
    is; returns its items and where the next row starts."""
    margin, gap, pad = st.sp("margin"), st.sp("gap"), st.sp("pad")
    line_y = y + gap * 1.5
    label = st.text(text, margin + pad, line_y + 4, label_w, "label", "text-line-label", weight=600)
    return [Line(margin, line_y, right, line_y, cls), label], label.box.bottom + gap


def _relabel(g: Group, st: Style) -> Group:
    if g.kind == "lane" and g.lane in ROW_TITLES:
        title = ROW_TITLES[g.lane]
        widths = st.text(title, 0, 0, 1000, "label", "t", weight=600).widths
        return replace(g, items=tuple(replace(i, lines=(title,), widths=widths)
                                      if isinstance(i, Text) and i.cls == "text-label" else i for i in g.items))
    if g.kind == "visibility":  # the blueprint's own, solid-dashed style
        return replace(g, items=tuple(replace(i, cls="blueprint-line-visibility") if isinstance(i, Line) else i
                                      for i in g.items))
    return g


def _after(groups: tuple[Group, ...], gid: str, new: Group) -> tuple[Group, ...]:
    k = next(k for k, g in enumerate(groups) if g.id == gid) + 1
    return (*groups[:k], new, *groups[k:])


def _columns_to(layout: Layout, foot: float, bottom: float) -> Layout:
    """The grid's columns (step and stage boxes, separators, moment-of-truth tints) that ended at `foot` reach
    down to `bottom`, through the row added under them."""
    def grow(b: Box) -> Box:
        return replace(b, h=bottom - b.y) if abs(b.bottom - foot) < 0.01 else b

    background, *rest = layout.groups
    items = tuple(replace(i, box=grow(i.box)) if isinstance(i, Rect) and i.cls == "moment-column" else
                  replace(i, y2=bottom) if isinstance(i, Line) and i.cls == "stage-separator" and abs(i.y2 - foot) < 0.01
                  else i for i in background.items)
    return replace(layout, groups=(replace(background, items=items), *rest), grid=grow(layout.grid),
                   steps=tuple((n, grow(b)) for n, b in layout.steps),
                   stages=tuple((n, grow(b)) for n, b in layout.stages))


def compute_blueprint(journey: Journey, theme: object, extra_legend: tuple[tuple[Item, str], ...] = ()) -> Layout:
    from journeymap.layouts.grid import compute_layout
    from journeymap.views import open_band

    st = Style.from_tokens(theme.tokens)  # type: ignore[attr-defined]
    margin, gap, pad = st.sp("margin"), st.sp("gap"), st.sp("pad")
    layout = compute_layout(_blueprint_journey(journey), theme, (*legend_entries(), *extra_legend))
    layout = replace(layout, groups=tuple(_relabel(g, st) for g in layout.groups))
    right, label_w = layout.width - margin, layout.grid.x - margin - 2 * pad

    # The line of interaction: between what the customer does and where they meet the company.
    act = dict(layout.lanes)["actions"]
    lines, top = _divider("LINE OF INTERACTION", "blueprint-line", act.bottom, right, st, label_w)
    layout = open_band(layout, act.bottom, top - act.bottom)
    layout = replace(layout, groups=_after(layout.groups, "jm-lane-actions", Group(
        "jm-line-interaction", "blueprint-lines", "Line of interaction", tuple(lines))))

    # Support processes under the line of internal interaction.
    back = dict(layout.lanes)["backstage"]
    lines, top = _divider("LINE OF INTERNAL INTERACTION", "blueprint-line-internal", back.bottom, right, st,
                          label_w)
    support_items: list[Item] = []
    height = 0.0
    boxes = dict(layout.steps)
    for step in journey.steps:
        b = boxes[step.id]
        cell, h = lanes._cards([_label(p) for p in step.support], b.x + gap, top + gap, b.w - 2 * gap, st,
                               "card-support", "text-body")
        support_items.extend(cell)
        height = max(height, h)
    row = Box(margin, top, right - margin, max(height + 2 * gap, st.lh("label") + 2 * pad))
    label = st.text("SUPPORT", margin + pad + 20, top + pad, label_w - 20, "label", "text-label", weight=600)
    icon = Icon(margin + pad, top + pad + (st.lh("label") - 14) / 2, 14, "lane-backstage", "lane-icon")
    support = Group("jm-lane-support", "lane", "Support processes",
                    (icon, label, *support_items, Line(margin, row.bottom, right, row.bottom, "hairline")),
                    lane="support")
    layout = _columns_to(open_band(layout, back.bottom, row.bottom - back.bottom), back.bottom, row.bottom)
    groups = _after(layout.groups, "jm-lane-backstage", Group("jm-line-internal", "blueprint-lines",
                                                             "Line of internal interaction", tuple(lines)))
    return replace(
        layout, groups=_after(groups, "jm-line-internal", support), lanes=(*layout.lanes, ("support", row)),
        description=layout.description.replace("Customer journey map", "Service blueprint", 1),
    )
