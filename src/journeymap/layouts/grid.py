"""compute_layout: the whole map as positioned boxes, text lines and paths.

Top to bottom: header, stage bands, one row per lane (in `journey.lanes`
order), legend. Columns are steps of equal width; a stage spans its steps.
Each row is as tall as its tallest cell, so nothing is clipped or overlaps.
"""

from __future__ import annotations

import math
from dataclasses import replace

from journeymap.layouts import emotion, header, lanes, paths, personas
from journeymap.layouts import metrics as metrics_view
from journeymap.layouts.geometry import Box, Group, Icon, Item, Layout, Line, Marker, Path, Rect, Text
from journeymap.layouts.style import Style
from journeymap.layouts.text import clean
from journeymap.model import Journey

CUSTOMER_LANES = ("actions", "thoughts", "touchpoints", "emotions", "pains", "opportunities")


def compute_layout(journey: Journey, theme: object, extra_legend: tuple[tuple[Item, str], ...] = ()) -> Layout:
    """Pure geometry for `journey` drawn with `theme` (anything with `.tokens`); views may add legend entries."""
    st = Style.from_tokens(theme.tokens)  # type: ignore[attr-defined]
    margin, gap, gutter, pad = st.sp("margin"), st.sp("gap"), st.sp("gutter"), st.sp("pad")
    steps = journey.steps
    label_w = st.sp("label_width")
    step_w = st.sp("step_width")
    min_grid = st.sp("min_width") - 2 * margin - label_w
    if step_w * len(steps) < min_grid:  # a short map stretches its columns to a pleasant width
        step_w = min_grid / len(steps)
    if "actions" in journey.lanes:  # crowded alternative paths: columns wide enough for their connectors
        step_w = max(step_w, paths.min_step_width(journey, gap))
    grid_x = margin + label_w
    grid_w = step_w * len(steps)
    width = grid_x + grid_w + margin
    content_w = width - 2 * margin

    colour_of = {p.id: emotion.persona_colour(st, i) for i, p in enumerate(journey.personas)}
    head_items, y = header.header(journey, margin, margin, content_w, st, colour_of)
    groups: list[Group] = [Group("jm-header", "header", "Header", tuple(head_items))]
    y += gutter * 2
    grid_top = y

    # Stage bands.
    stage_items: list[Item] = []
    stage_cols: list[tuple[str, float, float]] = []
    sx = grid_x
    for stage in journey.stages:
        w = step_w * len(stage.steps)
        stage_cols.append((stage.id, sx, w))
        sx += w
    tints = st.colors["stage_tints"]
    texts: list[list[Item]] = []
    for i, (stage, (_, sx, w)) in enumerate(zip(journey.stages, stage_cols)):
        inner = w - 2 * gap - 2 * pad
        name = st.text(stage.name, sx + gap + pad, y + pad, inner, "stage", "text-stage", weight=600)
        parts: list[Item] = [name]
        bottom = name.box.bottom
        if stage.description:
            d = st.text(stage.description, sx + gap + pad, bottom + 4, inner, "small", "text-stage-note")
            parts.append(d)
        texts.append(parts)
    band_h = max(max(t.box.bottom for t in parts if isinstance(t, Text)) for parts in texts) + pad - y
    for i, ((sid, sx, w), parts) in enumerate(zip(stage_cols, texts)):
        stage_items.append(Rect(Box(sx + gap / 2, y, w - gap, band_h), "stage-band", rx=st.sp("radius"),
                                fill=tints[i % len(tints)], id=f"jm-stage-{sid}"))
        stage_items.extend(parts)
    groups.append(Group("jm-stages", "stages", "Stages", tuple(stage_items)))
    y += band_h + gap

    centres = [grid_x + step_w * (i + 0.5) for i in range(len(steps))]
    lane_boxes: list[tuple[str, Box]] = []
    background: list[Item] = []
    lane_groups: list[Group] = []
    for li, lane in enumerate(journey.lanes):
        if lane == "backstage" and any(other in CUSTOMER_LANES for other in journey.lanes[:li]):
            # The line of visibility: what the customer sees above it, what the company does below.
            line_y = y + gap * 1.5
            vis = st.text("LINE OF VISIBILITY", margin + pad, line_y + 4, label_w - 2 * pad, "label", "text-visibility",
                          weight=600)
            lane_groups.append(Group("jm-visibility", "visibility", "Line of visibility",
                                     (Line(margin, line_y, width - margin, line_y, "visibility-line"), vis)))
            y = vis.box.bottom + gap
        items, h = _lane(journey, lane, y, st, grid_x, step_w, centres, stage_cols, label_w)
        main_row: Box | None = None
        if lane == "actions" and any(s.paths or s.next for s in steps):
            # Branch rows and loops go under the main cards, which stretch only to the main row's bottom.
            main_row = Box(margin, y, width - 2 * margin, h)
            extra, end = paths.action_branches(journey, grid_x, step_w, y + h - gap, st)
            items.extend(extra)
            h = end + gap - y
        h = max(h, st.lh("label") + 2 * pad)
        row = Box(margin, y, width - 2 * margin, h)
        lane_boxes.append((lane, row))
        if li % 2 == 0:
            background.append(Rect(row, "lane-alt"))
        # Tints behind the emotion curve belong to the background, under the moment-of-truth columns, and over
        # the opaque lane-alt row (drawn first, or it hides them).
        background.extend(i for i in items if isinstance(i, Rect) and i.cls in ("emotion-positive", "emotion-negative"))
        items = [i for i in items if not (isinstance(i, Rect) and i.cls in ("emotion-positive", "emotion-negative"))]
        icon = 14.0
        label = st.text(lanes.LANE_TITLES[lane].upper(), margin + pad + icon + 6, y + pad, label_w - 2 * pad - icon - 6,
                        "label", "text-label", weight=600)
        lane_icon = Icon(margin + pad, y + pad + (st.lh("label") - icon) / 2, icon, f"lane-{lane}", "lane-icon")
        background.append(Line(margin, row.bottom, width - margin, row.bottom, "hairline"))
        if lane == "actions":
            items = [_stretch(i, main_row or row) if isinstance(i, Rect) and i.cls.startswith("card-action") else i
                     for i in items]
            cards = iter(steps)
            items = [replace(i, id=f"jm-step-{next(cards).id}") if isinstance(i, Rect) and i.cls.startswith("card-action")
                     else i for i in items]
        lane_groups.append(Group(f"jm-lane-{lane}", "lane", lanes.LANE_TITLES[lane], (lane_icon, label, *items),
                                 lane=lane))
        y = row.bottom
    grid = Box(grid_x, grid_top, grid_w, y - grid_top)

    # Moments of truth get a tinted column behind every lane; stages get separators.
    for i, step in enumerate(steps):
        if step.moment_of_truth:
            background.append(Rect(Box(grid_x + i * step_w, grid_top + band_h, step_w, y - grid_top - band_h),
                                   "moment-column"))
    for _, sx, _ in stage_cols[1:]:
        background.append(Line(sx, grid_top + band_h, sx, y, "stage-separator"))

    entries = _legend_entries(journey, st, lanes.channel_switches(journey)) + list(extra_legend)
    legend_items: list[Item] = []
    height = y + margin
    if entries:
        legend_items, legend_h = header.legend(entries, margin, y + gutter * 2, content_w, st)
        height = y + gutter * 2 + legend_h + margin

    step_boxes = tuple((s.id, Box(grid_x + i * step_w, grid_top, step_w, grid.h)) for i, s in enumerate(steps))
    return Layout(
        # Whole pixels: a fractional height leaves a half-transparent last row in the PNG.
        width=math.ceil(width), height=math.ceil(height),
        title=clean(journey.title), description=clean(_description(journey)),
        groups=(Group("jm-grid", "grid", "", tuple(background)), *groups, *lane_groups,
                *([Group("jm-legend", "legend", "Legend", tuple(legend_items))] if legend_items else [])),
        grid=grid, lanes=tuple(lane_boxes),
        stages=tuple((sid, Box(sx, grid_top, w, grid.h)) for sid, sx, w in stage_cols),
        steps=step_boxes,
    )


def _stretch(rect: Rect, row: Box) -> Rect:
    return replace(rect, box=Box(rect.box.x, rect.box.y, rect.box.w, row.bottom - rect.box.y - (rect.box.y - row.y)))


def _lane(journey: Journey, lane: str, y: float, st: Style, grid_x: float, step_w: float, centres: list[float],
          stage_cols: list[tuple[str, float, float]], label_w: float) -> tuple[list[Item], float]:
    gap = st.sp("gap")
    items: list[Item] = []
    height = 0.0
    if lane == "emotions":
        grid = Box(grid_x, y, step_w * len(centres), 0)
        return emotion.emotion_lane(journey, centres, step_w, grid, y, st, grid_x - label_w + st.sp("pad"),
                                    label_w - st.sp("pad") - gap * 2)
    if lane == "metrics":
        shared = metrics_view.scales(journey)
        for stage, (_, sx, w) in zip(journey.stages, stage_cols):
            cell, h = metrics_view.stage_metrics(stage, sx + gap, y + gap, w - 2 * gap, st, shared)
            items.extend(cell)
            height = max(height, h)
        return items, height + 2 * gap
    channels = dict(journey.channels)
    for i, step in enumerate(journey.steps):
        x = grid_x + i * step_w + gap
        if lane == "touchpoints":
            # Icons line up with the text inside the cards above and below.
            cell, h = lanes.touchpoints(step, x + st.sp("pad"), y + st.sp("pad"), step_w - 2 * gap - 2 * st.sp("pad"),
                                        st, channels)
            h += st.sp("pad") - gap
        else:
            cell, h = lanes.STEP_LANES[lane](step, x, y + gap, step_w - 2 * gap, st)
        items.extend(cell)
        height = max(height, h)
    if lane == "touchpoints":
        disc = st.size("icon") + 10
        for i in lanes.channel_switches(journey):
            bx, by = grid_x + (i + 1) * step_w, y + st.sp("pad") + disc / 2
            items.append(Marker(bx, by, 8, "circle", "switch-disc", label="Channel switch"))
            items.append(Icon(bx - 6, by - 6, 12, "switch", "icon-switch"))
        switched = set(lanes.channel_switches(journey))
        for i in lanes.handoffs(journey):
            bx, by = grid_x + (i + 1) * step_w, y + st.sp("pad") + disc / 2 + (20 if i in switched else 0)
            items.append(Marker(bx, by, 8, "circle", "handoff-disc", label="Hand-off between teams"))
            items.append(Icon(bx - 6, by - 6, 12, "handoff", "icon-handoff"))
    return items, height + 2 * gap


def _legend_entries(journey: Journey, st: Style, switches: list[int]) -> list[tuple[Item, str]]:
    out: list[tuple[Item, str]] = []
    lanes_shown = set(journey.lanes)
    steps = journey.steps
    if "emotions" in lanes_shown:
        if len(journey.personas) > 1:
            for i, p in enumerate(journey.personas):
                colour = emotion.persona_colour(st, i)
                dash = emotion.DASHES[i % len(emotion.DASHES)] or None
                # The curve sample shows colour and dash; the words say how this persona's markers are drawn.
                out.append((Path("", "emotion-curve", stroke=colour, dash=dash),
                             f"{p.name} \u00b7 {'hollow' if i % 2 else 'filled'} markers"))
        out.extend((symbol, text) for _, symbol, text in emotion.legend_entries(journey, st))
        if any(s.moment_of_truth for s in steps):
            out.append((Marker(0, 0, st.size("marker") + 5, "circle", "moment-ring"), "Moment of truth"))
        if any(s.emotions for s in steps) and any(pid not in s.emotions for s in steps for pid in journey.persona_ids):
            out.append((Path("", "emotion-gap"), "No score: curve bridged"))
        both = personas.pair(journey) if len(journey.personas) > 1 else None
        if both and personas.widest_gap(journey):
            names = {p.id: p.name for p in journey.personas}
            text = "Gap between personas" if len(journey.personas) == 2 else \
                f"Gap: {names[both[0]]} and {names[both[1]]}, furthest apart"
            out.append((Rect(Box(0, 0, 20, 14), "persona-gap", rx=3), text))
    out.extend(paths.legend_entries(journey, st))
    if "touchpoints" in lanes_shown:
        used = {t.channel for s in steps for t in s.touchpoints}
        for cid in sorted(used):
            ch = journey.channels.get(cid)
            out.append((Icon(0, 0, 16, ch.icon if ch else cid, "icon"), ch.label if ch else cid))
        if switches:
            out.append((Icon(0, 0, 12, "switch", "icon-switch-legend"), "Channel switch"))
        if lanes.handoffs(journey):
            out.append((Icon(0, 0, 12, "handoff", "icon-handoff"), "Hand-off: the owning team changes"))
    if "metrics" in lanes_shown:
        out.extend(metrics_view.legend_entries(journey))
    return out


def _description(journey: Journey) -> str:
    steps = journey.steps
    who = ", ".join(p.name for p in journey.personas)
    parts = [f"Customer journey map: {_count(len(journey.stages), 'stage')}, {_count(len(steps), 'step')}"]
    if who:
        parts.append(f"persona: {who}")
    if journey.description:
        parts.append(journey.description.rstrip(". "))
    return "; ".join(parts) + "."




def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
