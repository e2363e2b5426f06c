"""The emotion lane: tinted plot, neutral line, one monotone curve per persona, markers.

A step without a score for a persona leaves a gap in that persona's curve,
bridged by a thin dashed straight line — never a made-up value.
"""

from __future__ import annotations

from dataclasses import replace

from journeymap.layouts import paths as paths_view
from journeymap.layouts import personas as personas_view
from journeymap.layouts.geometry import Box, Item, Line, Marker, Path, Rect, Text, num
from journeymap.layouts.spline import monotone_segments
from journeymap.layouts.style import Style, mix
from journeymap.layouts.text import clean
from journeymap.model import Journey

DASHES = ("", "7 5", "2 4", "10 4 2 4")
SHAPES = {"pos": "circle", "neu": "square", "neg": "triangle-down"}


def neutral_value(journey: Journey) -> float:
    lo, hi = journey.emotion_scale.min, journey.emotion_scale.max
    return 0.0 if lo <= 0 <= hi else (lo + hi) / 2


def valence(value: float, neutral: float) -> str:
    return "pos" if value > neutral else "neg" if value < neutral else "neu"


def axis_labels(journey: Journey) -> dict[float, str]:
    scale = journey.emotion_scale
    labels = {float(k): v for k, v in scale.labels.items() if scale.min <= k <= scale.max}
    if labels:
        return labels
    fmt = lambda v: ("+" if v > 0 else "\u2212" if v < 0 else "") + num(abs(v))  # noqa: E731
    return {float(v): fmt(v) for v in sorted({scale.min, neutral_value(journey), scale.max})}


def plot_height(journey: Journey, st: Style, label_w: float) -> float:
    """Tall enough for the theme's height and for every axis label without overlap."""
    scale = journey.emotion_scale
    span = max(1, scale.max - scale.min)
    base = st.sp("emotion_height")
    keys = sorted(axis_labels(journey))
    heights = {k: st.text(axis_labels(journey)[k], 0, 0, label_w, "small", "t").box.h for k in keys}
    per_unit = max(((heights[a] + heights[b]) / 2 + 4) / (b - a) for a, b in zip(keys, keys[1:])) if len(keys) > 1 else 0
    inset = st.size("marker") + 8
    return max(base, per_unit * span + 2 * inset)


def persona_colour(st: Style, index: int) -> str:
    palette = st.colors["personas"]
    return palette[index % len(palette)]


def marker_colour(st: Style, value: float, neutral: float, journey: Journey) -> str:
    c = st.colors
    scale = journey.emotion_scale
    extent = (scale.max - neutral) if value > neutral else (neutral - scale.min)
    t = min(1.0, abs(value - neutral) / extent) if extent else 0.0
    target = c["positive"] if value > neutral else c["negative"]
    return c["neutral"] if value == neutral else mix(c["neutral"], target, 0.55 + 0.45 * t)


def emotion_lane(journey: Journey, centres: list[float], step_w: float, grid: Box, y: float, st: Style,
                 label_x: float, label_w: float) -> tuple[list[Item], float]:
    """Items of the emotion lane starting at `y` across `grid`; returns items and the lane's height."""
    gap, pad = st.sp("gap"), st.sp("pad")
    scale = journey.emotion_scale
    plot_top = y + pad + st.lh("label") + gap
    plot_h = plot_height(journey, st, label_w)
    inset = st.size("marker") + 8
    lo_y, hi_y = plot_top + plot_h - inset, plot_top + inset
    span = max(1, scale.max - scale.min)

    def to_y(v: float) -> float:
        v = min(max(v, scale.min), scale.max)
        return lo_y - (v - scale.min) / span * (lo_y - hi_y)

    neutral = neutral_value(journey)
    ny = to_y(neutral)
    items: list[Item] = [
        Rect(Box(grid.x, plot_top, grid.w, ny - plot_top), "emotion-positive"),
        Rect(Box(grid.x, ny, grid.w, plot_top + plot_h - ny), "emotion-negative"),
        Line(grid.x, ny, grid.right, ny, "emotion-neutral"),
    ]
    for value, label in sorted(axis_labels(journey).items()):
        t = st.text(label, label_x, 0, label_w, "small", "text-muted", anchor="end")
        items.append(st.lines(t.lines, label_x, to_y(value) - t.box.h / 2, label_w, "small", "text-muted", anchor="end"))
        if value != neutral:
            items.append(Line(grid.x, to_y(value), grid.right, to_y(value), "emotion-tick"))

    steps = journey.steps
    first_curve = len(items)
    personas = journey.persona_ids
    names = {p.id: p.name for p in journey.personas}
    several = len(personas) > 1
    marker_items: list[Item] = []
    persona_runs: dict[str, list[list[tuple[float, float]]]] = {}
    for pi, pid in enumerate(personas):
        tag = pid if several else ""
        colour = persona_colour(st, pi) if several else None
        dash = DASHES[pi % len(DASHES)] if several else None
        runs: list[list[tuple[float, float]]] = [[]]
        for i, step in enumerate(steps):
            if pid not in step.emotions:
                if runs[-1]:
                    runs.append([])
                continue
            v = step.emotions[pid]
            pt = (centres[i], to_y(v))
            runs[-1].append(pt)
            val = valence(v, neutral)
            r = st.size("marker")
            label_word = scale.labels.get(int(v)) if float(v).is_integer() else None
            who = f"{names.get(pid, pid)}: " if several else ""
            label = clean(f"{who}{num(v)}" + (f" ({label_word})" if label_word else ""))
            if step.moment_of_truth:
                marker_items.append(Marker(pt[0], pt[1], r + 5, "circle", "moment-ring", persona=tag))
            fill = colour or marker_colour(st, v, neutral, journey)
            marker_items.append(Marker(pt[0], pt[1], r, SHAPES[val], f"emotion-marker {val}", fill=fill, label=label,
                                       persona=tag))
            if several and pi % 2:  # every other persona's markers get a hollow core: apart in greyscale too
                marker_items.append(Marker(pt[0], pt[1], r * 0.42, SHAPES[val], "emotion-marker-core",
                                           fill=str(st.colors["background"]), persona=tag))
        runs = [run for run in runs if run]
        for a, b in zip(runs, runs[1:]):
            p, q = a[-1], b[0]
            items.append(Path(f"M{num(p[0])} {num(p[1])}L{num(q[0])} {num(q[1])}", "emotion-gap", (p, q), stroke=colour,
                              persona=tag))
        for run in runs:
            if len(run) > 1:
                items.append(replace(_curve(run, colour, dash), persona=tag))
        persona_runs[pid] = runs
    if several:  # the band between the curves goes behind them, its label in front
        band, label_items = personas_view.gap_band(persona_runs, journey, centres, step_w, st, to_y)
        items[first_curve:first_curve] = band
        marker_items.extend(label_items)
    items.extend(marker_items)
    items.extend(paths_view.alternative_curves(journey, centres, step_w, st, to_y, persona_runs))

    bottom = plot_top + plot_h
    feelings = [(i, s.feeling) for i, s in enumerate(steps) if s.feeling]
    if feelings:
        caption_bottom = bottom
        for i, feeling in feelings:
            t = st.text(feeling, centres[i] - step_w / 2 + gap, bottom + gap, step_w - 2 * gap, "small",
                        "text-muted", anchor="middle")
            items.append(t)
            caption_bottom = max(caption_bottom, t.box.bottom)
        bottom = caption_bottom
    return items, bottom + pad - y


def _curve(run: list[tuple[float, float]], colour: str | None, dash: str | None) -> Path:
    segs = monotone_segments(run)
    d = [f"M{num(run[0][0])} {num(run[0][1])}"]
    points = [run[0]]
    for _, c1, c2, end in segs:
        d.append(f"C{num(c1[0])} {num(c1[1])} {num(c2[0])} {num(c2[1])} {num(end[0])} {num(end[1])}")
        points.extend((c1, c2, end))
    return Path("".join(d), "emotion-curve", tuple(points), stroke=colour, dash=dash or None)


def legend_entries(journey: Journey, st: Style) -> list[tuple[str, Item, str]]:
    """(kind, symbol, text) for the emotion part of the legend; symbols are drawn at the origin."""
    neutral = neutral_value(journey)
    scale = journey.emotion_scale
    r = st.size("marker")
    out = []
    for val, v in (("pos", scale.max), ("neu", neutral), ("neg", scale.min)):
        if val == "neu" and not (scale.min < neutral < scale.max):
            continue
        word = scale.labels.get(int(v)) if float(v).is_integer() else None
        name = {"pos": "Positive", "neu": "Neutral", "neg": "Negative"}[val]
        text = name + (f" ({word})" if word and word.lower() != name.lower() else "")
        # With several personas the fill is the persona's colour, so the legend shows the shape only.
        fill = str(st.colors["neutral"]) if len(journey.persona_ids) > 1 else marker_colour(st, v, neutral, journey)
        out.append(("marker", Marker(0, 0, r, SHAPES[val], f"emotion-marker {val}", fill=fill), text))
    return out


def text_blocks(items: list[Item]) -> list[Text]:
    return [i for i in items if isinstance(i, Text)]
