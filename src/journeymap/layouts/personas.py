"""Several personas on one emotion lane: the band between two curves and their widest gap.

The band spans the two personas' curves wherever both have a score, so a reader sees
at once where the segments' experiences part; the step where they are furthest apart
gets a bracket and a label ("Gap 4"). With three or more personas a band around every
curve would cover nearly the whole lane and say nothing, so it is drawn only between
the two personas whose experiences differ most.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import pairwise

from journeymap.layouts.geometry import Box, Item, Line, Path, num
from journeymap.layouts.paths import Label
from journeymap.layouts.spline import Segment, monotone_segments
from journeymap.layouts.style import Style
from journeymap.model import Journey

Run = list[tuple[float, float]]
SAMPLES = 8  # points per step interval on the band's edges


def _curve_y(run: Run, x: float, segments: list[Segment] | None = None) -> float | None:
    """The y of the monotone curve through `run` at `x` (None outside it); `segments` are the run's, if known.

    Its Bézier control points sit at thirds of each interval, so x is linear in t there.
    """
    if not run or not run[0][0] - 0.01 <= x <= run[-1][0] + 0.01:
        return None
    if len(run) == 1:
        return run[0][1]
    segments = monotone_segments(run) if segments is None else segments
    # The first segment that does not end before x (a binary search: the lane samples every step).
    first = bisect_left(segments, True, key=lambda seg: x <= seg[3][0] + 0.01)
    for p0, c1, c2, p3 in segments[first:first + 1]:
        if p0[0] - 0.01 <= x <= p3[0] + 0.01:
            t = min(1.0, max(0.0, (x - p0[0]) / (p3[0] - p0[0])))
            u = 1 - t
            return u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p3[1]
    return None


def pair(journey: Journey) -> tuple[str, str] | None:
    """The two personas furthest apart at any step (then by their differences summed over the map, then order)."""
    ids = journey.persona_ids
    best: tuple[tuple[float, float], tuple[str, str]] | None = None
    for a, pa in enumerate(ids):
        for pb in ids[a + 1:]:
            spreads = [abs(s.emotions[pa] - s.emotions[pb]) for s in journey.steps
                       if pa in s.emotions and pb in s.emotions]
            if spreads and (best is None or (max(spreads), sum(spreads)) > best[0]):
                best = ((max(spreads), sum(spreads)), (pa, pb))
    return best[1] if best else None


def widest_gap(journey: Journey) -> tuple[int, float] | None:
    """(step index, spread) where the pair's scores lie furthest apart; None if no step has both."""
    both = pair(journey)
    best: tuple[int, float] | None = None
    for i, step in enumerate(journey.steps):
        if both and all(p in step.emotions for p in both):
            spread = abs(step.emotions[both[0]] - step.emotions[both[1]])
            if best is None or spread > best[1]:
                best = (i, spread)
    return best


def gap_band(runs: dict[str, list[Run]], journey: Journey, centres: list[float], step_w: float, st: Style,
             to_y: Callable[[float], float]) -> tuple[list[Item], list[Item], list[Label]]:
    """(band paths drawn behind the curves, the bracket drawn in front, the label to place clear of the curves)."""
    both = pair(journey)
    if both is None:
        return [], [], []
    every = [run for pid in both for run in runs.get(pid, [])]
    segments = [monotone_segments(run) for run in every]  # once per run, not once per sample
    # Between two steps where the pair scores alike the curves only bend differently: no band there.
    scores = [tuple(s.emotions.get(p) for p in both) for s in journey.steps]
    differ = [a[0] is not None and a[1] is not None and a[0] != a[1] for a in scores]
    xs: list[float | None] = []
    for i, (a, b) in enumerate(pairwise(centres)):
        xs.extend(a + (b - a) * k / SAMPLES if differ[i] or differ[i + 1] else None for k in range(SAMPLES))
    xs.extend(centres[-1:])
    spans: list[list[tuple[float, float, float]]] = [[]]
    for x in xs:
        ys = [] if x is None else \
            [y for y in (_curve_y(run, x, segs) for run, segs in zip(every, segments)) if y is not None]
        if x is not None and len(ys) > 1 and max(ys) - min(ys) > 0.5:
            spans[-1].append((x, min(ys), max(ys)))
        elif spans[-1]:
            spans.append([])
    band: list[Item] = []
    for span in spans:
        if len(span) < 2:
            continue
        top = [(x, y) for x, y, _ in span]
        bottom = [(x, y) for x, _, y in reversed(span)]
        pts = top + bottom
        d = "M" + "L".join(f"{num(x)} {num(y)}" for x, y in pts) + "Z"
        band.append(Path(d, "persona-gap", tuple(pts)))
    front: list[Item] = []
    labels: list[Label] = []
    widest = widest_gap(journey)
    if widest and widest[1] > 0:
        i, spread = widest
        values = [journey.steps[i].emotions[p] for p in both]
        # Beyond the markers, even when coinciding ones are moved apart.
        x, y1, y2 = centres[i], to_y(max(values)), to_y(min(values))
        bx = x + st.size("marker") * 2 + 4
        front.append(Line(bx, y1, bx, y2, "persona-gap-bracket"))
        front.append(Line(bx - 3, y1, bx + 3, y1, "persona-gap-bracket"))
        front.append(Line(bx - 3, y2, bx + 3, y2, "persona-gap-bracket"))
        labels.append((((f"Gap {num(spread)}", "text-gap", 600),), Box(bx - 3, y1, 6, y2 - y1), "rl"))
    return band, front, labels
