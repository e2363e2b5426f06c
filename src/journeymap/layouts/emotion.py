"""The emotion lane: tinted plot, neutral line, one monotone curve per persona, markers.

A step without a score for a persona leaves a gap in that persona's curve,
bridged by a thin dashed straight line — never a made-up value.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from itertools import pairwise

from journeymap.layouts import paths as paths_view
from journeymap.layouts import personas as personas_view
from journeymap.layouts.geometry import Box, Item, Line, Marker, Path, Rect, Text, num
from journeymap.layouts.spline import monotone_segments
from journeymap.layouts.style import Style, mix, single_line_width
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
    r = st.size("marker")
    marks: list[tuple[bool, list[Item]]] = []  # (at a moment of truth, the items of one mark)
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
            label_word = scale.labels.get(int(v)) if float(v).is_integer() else None
            who = f"{names.get(pid, pid)}: " if several else ""
            label = clean(f"{who}{num(v)}" + (f" ({label_word})" if label_word else ""))
            fill = colour or marker_colour(st, v, neutral, journey)
            mark: list[Item] = [Marker(pt[0], pt[1], r, SHAPES[val], f"emotion-marker {val}", fill=fill, label=label,
                                       persona=tag)]
            if several and pi % 2:  # every other persona's markers get a hollow core: apart in greyscale too
                mark.append(Marker(pt[0], pt[1], r * 0.42, SHAPES[val], "emotion-marker-core",
                                   fill=str(st.colors["background"]), persona=tag))
            marks.append((step.moment_of_truth, mark))
        runs = [run for run in runs if run]
        for a, b in zip(runs, runs[1:]):
            p, q = a[-1], b[0]
            items.append(Path(f"M{num(p[0])} {num(p[1])}L{num(q[0])} {num(q[1])}", "emotion-gap", (p, q), stroke=colour,
                              persona=tag))
        for run in runs:
            if len(run) > 1:
                items.append(replace(_curve(run, colour, dash), persona=tag))
        persona_runs[pid] = runs
    labels: list[paths_view.Label] = []
    if several:  # the band between the curves goes behind them, its bracket and label in front
        band, bracket, gap_label = personas_view.gap_band(persona_runs, journey, centres, step_w, st, to_y)
        items[first_curve:first_curve] = band
        items.extend(bracket)
        labels.extend(gap_label)

    def mark_of(v: float, colour: str | None) -> tuple[str, str, str]:
        val = valence(v, neutral)
        return val, SHAPES[val], colour or marker_colour(st, v, neutral, journey)

    limit = grid.right - inset
    curves, alt_marks, alt_labels = paths_view.alternative_curves(journey, centres, step_w, st, to_y, mark_of, limit)
    items.extend(curves)
    drawn = _spread([m for _, m in marks] + alt_marks, r, grid.x + inset, limit)
    items.extend(_rings(marks, r))
    items.extend(i for m in drawn for i in m)
    plot = Box(grid.x, plot_top, grid.w, plot_h)
    items.extend(_place_labels(labels + alt_labels, items, plot, _columns(journey, centres, step_w), st, ny))
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


def _spread(marks: list[list[Item]], r: float, lo: float, hi: float) -> list[list[Item]]:
    """Marks at the same spot moved apart sideways, so that each stays visible (the curves still meet there).

    Marks at one height then keep that distance from each other too, and a row of them that would stick out past
    `lo` or `hi` (by the plot's ends) moves inwards: two paths squeezed against the map's end meet there.
    """
    step = r * 1.7
    firsts: list[Marker] = []
    for mark in marks:
        assert isinstance(mark[0], Marker)
        firsts.append(mark[0])
    at: dict[tuple[int, int], list[int]] = {}
    for k, m in enumerate(firsts):
        at.setdefault((round(m.x), round(m.y)), []).append(k)
    xs = [m.x for m in firsts]
    for group in at.values():
        for n, k in enumerate(group):
            xs[k] += (n - (len(group) - 1) / 2) * step
    levels: dict[int, list[int]] = {}
    for k, m in enumerate(firsts):
        levels.setdefault(round(m.y), []).append(k)
    for row in levels.values():
        row.sort(key=lambda k: (xs[k], k))
        xs[row[0]] = max(xs[row[0]], lo)
        for a, b in pairwise(row):
            xs[b] = max(xs[b], xs[a] + step)
        xs[row[-1]] = min(xs[row[-1]], hi)
        for a, b in pairwise(reversed(row)):
            xs[b] = min(xs[b], xs[a] - step)
    return [[replace(i, x=i.x + xs[k] - firsts[k].x) for i in mark if isinstance(i, Marker)]
            for k, mark in enumerate(marks)]


def _rings(marks: list[tuple[bool, list[Item]]], r: float) -> list[Item]:
    """One moment-of-truth ring around each spot, wide enough for every mark moved apart there."""
    at: dict[tuple[int, int], list[Marker]] = {}
    for moment, mark in marks:
        m = mark[0]
        if moment and isinstance(m, Marker):
            at.setdefault((round(m.x), round(m.y)), []).append(m)
    rings: list[Item] = []
    for group in at.values():
        spread = (len(group) - 1) / 2 * r * 1.7
        persona = group[0].persona if len(group) == 1 else ""
        rings.append(Marker(group[0].x, group[0].y, r + 5 + spread, "circle", "moment-ring", persona=persona))
    return rings


def _columns(journey: Journey, centres: list[float], step_w: float) -> list[tuple[float, float]]:
    """The x ranges a label may sit in without crossing a column: a step's, or a whole stage's."""
    out = [(c - step_w / 2, c + step_w / 2) for c in centres]
    k = 0
    for stage in journey.stages:
        out.append((centres[k] - step_w / 2, centres[k + len(stage.steps) - 1] + step_w / 2))
        k += len(stage.steps)
    return out


def _samples(items: list[Item]) -> list[tuple[float, float]]:
    """Points along every curve and bridge of the lane, sorted by x: what a label should not sit on."""
    out: list[tuple[float, float]] = []
    for p in items:
        if not isinstance(p, Path) or p.cls not in ("emotion-curve", "emotion-alt", "emotion-gap"):
            continue
        pts = p.points
        if "C" in p.d:
            for k in range(0, len(pts) - 3, 3):
                (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[k:k + 4]
                for j in range(25):
                    t = j / 24
                    u = 1 - t
                    out.append((u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                                u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3))
        else:
            for (x0, y0), (x1, y1) in pairwise(pts):
                out.extend((x0 + (x1 - x0) * j / 24, y0 + (y1 - y0) * j / 24) for j in range(25))
    return sorted(out)


def _place_labels(labels: list[paths_view.Label], items: list[Item], plot: Box, columns: list[tuple[float, float]],
                  st: Style, neutral_y: float) -> list[Item]:
    """Each label beside its box, on a halo, where it crosses the fewest curves and no marker, label or column edge.

    A label with no free place is left out: the curve and its markers still carry the values.
    """
    samples = _samples(items)
    xs = [x for x, _ in samples]
    taken = [Box(m.x - m.r, m.y - m.r, 2 * m.r, 2 * m.r) for m in items if isinstance(m, Marker)]
    narrowest = min(b - a for a, b in columns)
    out: list[Item] = []
    for lines, around, sides in labels:
        w = min(max(single_line_width(t, st, "small", wt) for t, _, wt in lines) + 1, narrowest - 12)
        h = sum(st.text(t, 0, 0, w, "small", c, weight=wt).box.h for t, c, wt in lines)
        best: tuple[float, Box] | None = None
        for n, (x, y) in enumerate(_candidates(around, w, h, sides)):
            plate = Box(x - 3, y - 1.5, w + 6, h + 3)
            if not (plot.contains(plate) and any(a <= plate.x and plate.right <= b for a, b in columns)) or \
                    any(plate.overlaps(b) for b in (*taken, around)):
                continue
            lo, hi = bisect_left(xs, plate.x - 1), bisect_right(xs, plate.right + 1)
            hits = sum(plate.y - 1 <= sy <= plate.bottom + 1 for _, sy in samples[lo:hi])
            score = hits + (4 if plate.y < neutral_y < plate.bottom else 0) + n * 0.01
            if best is None or score < best[0]:
                best = (score, plate)
        if best is None:
            continue
        plate = best[1]
        taken.append(plate)
        out.append(Rect(plate, "label-halo", rx=3))
        ty = plate.y + 1.5
        for t, c, wt in lines:
            block = st.text(t, plate.x + 3, ty, w, "small", c, weight=wt)
            out.append(block)
            ty = block.box.bottom
    return out


def _candidates(around: Box, w: float, h: float, sides: str) -> list[tuple[float, float]]:
    """Top-left corners for a w × h label beside `around`: on each side in turn, slid along it."""
    cx, cy = around.x + around.w / 2, around.y + around.h / 2
    slide = [0.0]
    for k in range(1, 1 + int((around.h / 2 + h) / (h * 0.6))):
        slide += [-k * h * 0.6, k * h * 0.6]
    out: list[tuple[float, float]] = []
    for side in sides:
        if side in "rl":
            x = around.right + 5 if side == "r" else around.x - 5 - w
            out += [(x, cy - h / 2 + dy) for dy in slide]
        else:
            y = around.y - 4 - h if side == "a" else around.bottom + 4
            out += [(cx - w / 2 + dx, y) for dx in (0.0, -w / 3, w / 3)]
    return out


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
    out: list[tuple[str, Item, str]] = []
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
