"""Monotone cubic interpolation (Fritsch–Carlson) as cubic Bézier segments.

Between two data points the curve stays inside the band their y values span,
so it never overshoots the emotion scale: each segment's Bézier control points
lie within that band, and a Bézier curve lies inside its control points' hull.
"""

from __future__ import annotations

Point = tuple[float, float]
Segment = tuple[Point, Point, Point, Point]  # start, control 1, control 2, end


def _tangents(xs: list[float], ys: list[float]) -> list[float]:
    n = len(xs)
    h = [xs[i + 1] - xs[i] for i in range(n - 1)]
    d = [(ys[i + 1] - ys[i]) / h[i] for i in range(n - 1)]
    m = [0.0] * n
    m[0], m[-1] = d[0], d[-1]
    for i in range(1, n - 1):
        m[i] = 0.0 if d[i - 1] * d[i] <= 0 else (d[i - 1] + d[i]) / 2
    for i in range(n - 1):
        if d[i] == 0:
            m[i] = m[i + 1] = 0.0
            continue
        a, b = m[i] / d[i], m[i + 1] / d[i]
        s = a * a + b * b
        if s > 9:  # Fritsch–Carlson: scale tangents back into the monotone region
            t = 3 / s**0.5
            m[i], m[i + 1] = t * a * d[i], t * b * d[i]
    # Endpoint tangents may still point out of the band; clamp them to [0, 3d].
    for i, k in ((0, 0), (n - 1, n - 2)):
        if d[k] == 0 or m[i] / d[k] < 0:
            m[i] = 0.0
        elif m[i] / d[k] > 3:
            m[i] = 3 * d[k]
    return m


def monotone_segments(points: list[Point]) -> list[Segment]:
    """Bézier segments of the monotone cubic through `points` (x strictly increasing)."""
    if len(points) < 2:
        return []
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    m = _tangents(xs, ys)
    segments: list[Segment] = []
    for i in range(len(points) - 1):
        h = xs[i + 1] - xs[i]
        c1 = (xs[i] + h / 3, ys[i] + m[i] * h / 3)
        c2 = (xs[i + 1] - h / 3, ys[i + 1] - m[i + 1] * h / 3)
        segments.append((points[i], c1, c2, points[i + 1]))
    return segments
