"""Stage metrics as small, comparable figures: a value, its name, and a bar on a scale shared across stages.

A metric is comparable when its value is a number or a percentage ("78%"). Every
stage's bar for the same metric name uses the same scale (percentages 0-100;
numbers from min(0, lowest) to the highest value or target), so bars can be
compared across the map. A stage's `targets` put a tick on the bar and the gap
under it ("target 40 · gap −8"). Other values (e.g. "0.42 per order") stay text.
"""

from __future__ import annotations

import re

from journeymap.layouts.geometry import Box, Item, Line, Rect, num
from journeymap.layouts.style import Style, single_line_width
from journeymap.model import Journey, Metric, Stage

_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$")
BAR_H = 6.0


def parse(value: float | str) -> tuple[float, bool] | None:
    """(number, is a percentage) of a comparable value; None for free text."""
    if isinstance(value, (int, float)):
        return float(value), False
    m = _NUMBER.match(value)
    return (float(m.group(1)), m.group(2) == "%") if m else None


def scales(journey: Journey) -> dict[str, tuple[float, float]]:
    """Metric name -> (low, high) of its shared scale, for metrics that are comparable in every stage."""
    values: dict[str, list[tuple[float, bool]]] = {}
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
        if name in bad or len({pct for _, pct in vals}) > 1:
            continue
        if vals[0][1]:
            out[name] = (min(0.0, min(v for v, _ in vals)), max(100.0, max(v for v, _ in vals)))
        else:
            lo, hi = min(0.0, min(v for v, _ in vals)), max(v for v, _ in vals)
            if hi > lo and len(vals) > 1:  # one lone number has nothing to be compared with
                out[name] = (lo, hi)
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
    unit = " pts" if a[1] else ""
    return f"target {target.text} \u00b7 gap {sign}{num(abs(diff))}{unit}"


def stage_metrics(stage: Stage, x: float, y: float, w: float, st: Style,
                  shared: dict[str, tuple[float, float]]) -> tuple[list[Item], float]:
    """Metric tiles (value, name, bar, target) flowing across the stage's width."""
    pad, gap, rx = st.sp("pad"), st.sp("gap"), st.sp("radius")
    items: list[Item] = []
    cx, cy, row_h = x, y, 0.0
    for metric in stage.metrics:
        target = stage.target(metric.name)
        scale = shared.get(metric.name)
        note = _gap_text(metric, target) if target else None
        natural = max(96.0, single_line_width(metric.text, st, "metric", 600), single_line_width(metric.name, st, "small"),
                      single_line_width(note or "", st, "small")) + 2 * pad
        tile_w = min(w, max(natural, 128.0 if scale else 0.0))
        if cx > x and cx + tile_w > x + w:
            cx, cy, row_h = x, cy + row_h + gap, 0.0
        inner = tile_w - 2 * pad
        v = st.text(metric.text, cx + pad, cy + pad, inner, "metric", "text-metric", weight=600)
        n = st.text(metric.name, cx + pad, v.box.bottom + 2, inner, "small", "text-muted")
        parts: list[Item] = [v, n]
        bottom = n.box.bottom
        value = parse(metric.value)
        if scale and value is not None:
            by = bottom + gap / 2

            parts.append(Rect(Box(cx + pad, by, inner, BAR_H), "metric-bar-bg", rx=BAR_H / 2))
            zero = _at(cx + pad, inner, scale, 0.0)
            left, right = sorted((zero, _at(cx + pad, inner, scale, value[0])))
            parts.append(Rect(Box(left, by, max(right - left, 1.0), BAR_H), "metric-bar", rx=BAR_H / 2))
            parsed_target = parse(target.value) if target else None
            if parsed_target is not None:
                tx = _at(cx + pad, inner, scale, parsed_target[0])
                parts.append(Line(tx, by - 3, tx, by + BAR_H + 3, "metric-target"))
            bottom = by + BAR_H + 3
        if note:
            t = st.text(note, cx + pad, bottom + gap / 2, inner, "small", "text-muted")
            parts.append(t)
            bottom = t.box.bottom
        h = bottom + pad - cy
        items.append(Rect(Box(cx, cy, tile_w, h), "card-metric", rx=rx))
        items.extend(parts)
        row_h = max(row_h, h)
        cx += tile_w + gap
    return items, (cy + row_h - y) if items else 0.0


def legend_entries(journey: Journey) -> list[tuple[Item, str]]:
    if not any(st.targets for st in journey.stages):
        return []
    return [(Line(0, -6, 0, 6, "metric-target"), "Metric target")]
