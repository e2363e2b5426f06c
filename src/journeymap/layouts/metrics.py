"""Stage metrics as small, comparable figures: a value, its name, and a bar on a scale shared across stages.

A metric is comparable when its value is a number, with a unit or not ("78%",
"6 days"). Every stage's bar for the same metric name uses the same scale:
percentages 0-100; the metrics whose scale is known by their name (nps −100 to
100, ces 1-7, csat 1-5) that scale; other numbers from min(0, lowest) to the
highest value or target, when there are two or more to compare. A lone number
with nothing to compare it with stays a plain figure, as does free text
("0.42 per order" is a number with a unit, but alone in its row). A stage's
`targets` put a tick on the bar and the gap under it ("target 40 · gap −8").
Within a stage every tile has the same width and height, so a row of them reads
as one.
"""

from __future__ import annotations

import re

from journeymap.layouts.geometry import Box, Item, Line, Rect, Text, num
from journeymap.layouts.style import Style, single_line_width
from journeymap.model import Journey, Metric, Stage

_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(%|[^\d\s%][^\d%]*?)?\s*$")
BAR_H = 6.0
# Scales by the metric's name: net promoter score, customer effort score, satisfaction on five points.
KNOWN_SCALES = {"nps": (-100.0, 100.0), "net promoter score": (-100.0, 100.0), "ces": (1.0, 7.0),
                "customer effort score": (1.0, 7.0), "csat": (1.0, 5.0)}


def parse(value: float | str) -> tuple[float, str] | None:
    """(number, unit) of a comparable value ("%" for a percentage, "" for a bare number); None for free text."""
    if isinstance(value, (int, float)):
        return float(value), ""
    m = _NUMBER.match(value)
    return (float(m.group(1)), (m.group(2) or "").strip()) if m else None


def scales(journey: Journey) -> dict[str, tuple[float, float]]:
    """Metric name -> (low, high) of its shared scale, for metrics that are comparable in every stage."""
    values: dict[str, list[tuple[float, str]]] = {}
    bad: set[str] = set()
    for stage in journey.stages:
        for m in (*stage.metrics, *stage.targets):
            parsed = parse(m.value)
            if parsed is None:
                bad.add(m.name)
            else:
                values.setdefault(m.name, []).append(parsed)
    out: dict[str, tuple[float, float]] = {}
    for name, vals in values.items():
        if name in bad or len({unit for _, unit in vals}) > 1:
            continue
        lo, hi = min(v for v, _ in vals), max(v for v, _ in vals)
        known = KNOWN_SCALES.get(name.strip().lower())
        if vals[0][1] == "%":
            out[name] = (min(0.0, lo), max(100.0, hi))
        elif known and not vals[0][1] and known[0] <= lo and hi <= known[1]:
            out[name] = known
        elif hi > min(0.0, lo) and len(vals) > 1:  # one lone number has nothing to be compared with
            out[name] = (min(0.0, lo), hi)
    return out


def _at(left: float, width: float, scale: tuple[float, float], value: float) -> float:
    """The x of `value` on a bar from `left`, `width` wide, showing `scale`."""
    lo, hi = scale
    return left + width * (min(max(value, lo), hi) - lo) / (hi - lo)


def _gap_text(metric: Metric, target: Metric) -> str:
    a, b = parse(metric.value), parse(target.value)
    if a is None or b is None:
        return f"target {target.text}"
    diff = a[0] - b[0]
    sign = "+" if diff > 0 else "\u2212" if diff < 0 else "\u00b1"
    unit = " pts" if a[1] == "%" else f" {a[1]}" if a[1] else ""
    return f"target {target.text} \u00b7 gap {sign}{num(abs(diff))}{unit}"


def _tile(metric: Metric, stage: Stage, x: float, y: float, w: float, st: Style,
          scale: tuple[float, float] | None) -> tuple[list[Item], float]:
    """The content of one tile (value, name, bar, target) at (x, y), `w` wide; returns it and its height."""
    pad, gap = st.sp("pad"), st.sp("gap")
    target = stage.target(metric.name)
    inner = w - 2 * pad
    v = st.text(metric.text, x + pad, y + pad, inner, "metric", "text-metric", weight=600)
    n = st.text(metric.name, x + pad, v.box.bottom + 2, inner, "small", "text-muted")
    parts: list[Item] = [v, n]
    bottom = n.box.bottom
    value = parse(metric.value)
    if scale and value is not None:
        by = bottom + gap / 2
        parts.append(Rect(Box(x + pad, by, inner, BAR_H), "metric-bar-bg", rx=BAR_H / 2))
        zero = _at(x + pad, inner, scale, 0.0)
        left, right = sorted((zero, _at(x + pad, inner, scale, value[0])))
        parts.append(Rect(Box(left, by, max(right - left, 1.0), BAR_H), "metric-bar", rx=BAR_H / 2))
        if scale[0] < 0 < scale[1]:  # a scale around zero (nps): a notch at zero, unlike a target's tick
            parts.append(Line(zero, by, zero, by + BAR_H, "metric-zero"))
        parsed_target = parse(target.value) if target else None
        if parsed_target is not None:
            tx = _at(x + pad, inner, scale, parsed_target[0])
            parts.append(Line(tx, by - 3, tx, by + BAR_H + 3, "metric-target"))
        bottom = by + BAR_H + 3
    if target:
        t = st.text(_gap_text(metric, target), x + pad, bottom + gap / 2, inner, "small", "text-muted")
        parts.append(t)
        bottom = t.box.bottom
    return parts, bottom + pad - y


def stage_metrics(stage: Stage, x: float, y: float, w: float, st: Style,
                  shared: dict[str, tuple[float, float]]) -> tuple[list[Item], float]:
    """Metric tiles flowing across the stage's width, in rows of tiles of one width and one height."""
    if not stage.metrics:
        return [], 0.0
    pad, gap, rx = st.sp("pad"), st.sp("gap"), st.sp("radius")
    natural = 0.0
    for metric in stage.metrics:
        target = stage.target(metric.name)
        note = _gap_text(metric, target) if target else ""
        natural = max(natural, 96.0, 128.0 if metric.name in shared else 0.0,
                      single_line_width(metric.text, st, "metric", 600) + 1,
                      single_line_width(metric.name, st, "small") + 1, single_line_width(note, st, "small") + 1)
    # As many tiles to a row as fit at the widest one's natural width, then stretched to fill the row evenly.
    per_row = max(1, min(len(stage.metrics), int((w + gap) // (min(w, natural + 2 * pad) + gap))))
    tile_w = (w - (per_row - 1) * gap) / per_row
    tiles = [_tile(m, stage, x + (k % per_row) * (tile_w + gap), y, tile_w, st, shared.get(m.name))
             for k, m in enumerate(stage.metrics)]
    tile_h = max(h for _, h in tiles)
    items: list[Item] = []
    for k, (parts, _) in enumerate(tiles):
        dy = (k // per_row) * (tile_h + gap)
        cx = x + (k % per_row) * (tile_w + gap)
        items.append(Rect(Box(cx, y + dy, tile_w, tile_h), "card-metric", rx=rx))
        items.extend(_down(p, dy) for p in parts)
    rows = -(-len(tiles) // per_row)
    return items, rows * tile_h + (rows - 1) * gap


def _down(item: Item, dy: float) -> Item:
    from dataclasses import replace

    if isinstance(item, Text):
        return replace(item, y=item.y + dy, box=Box(item.box.x, item.box.y + dy, item.box.w, item.box.h))
    if isinstance(item, Rect):
        return replace(item, box=Box(item.box.x, item.box.y + dy, item.box.w, item.box.h))
    if isinstance(item, Line):
        return replace(item, y1=item.y1 + dy, y2=item.y2 + dy)
    return item


def legend_entries(journey: Journey) -> list[tuple[Item, str]]:
    if not any(st.targets for st in journey.stages):
        return []
    return [(Line(0, -6, 0, 6, "metric-target"), "Metric target")]
