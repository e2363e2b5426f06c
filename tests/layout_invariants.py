"""Invariants every layout must satisfy: nothing clipped, nothing overlapping, everything drawn."""

from __future__ import annotations

from journeymap.layouts import Box, Layout, Marker, Path, Rect, Text
from journeymap.model import Journey

TOL = 0.01


def _disjoint(boxes: list[tuple[Box, str]], nested_ok: bool = False) -> list[str]:
    """Pairs of overlapping boxes (sweep over x so that 200-step maps stay fast); `nested_ok` allows containment."""
    problems = []
    ordered = sorted(boxes, key=lambda b: b[0].x)
    active: list[tuple[Box, str]] = []
    for box, name in ordered:
        active = [a for a in active if a[0].right > box.x + TOL]
        problems += [f"{name} overlaps {other}" for ob, other in active if ob.overlaps(box)
                     and not (nested_ok and (ob.contains(box) or box.contains(ob)))]
        active.append((box, name))
    return problems


def check_layout(layout: Layout, journey: Journey) -> list[str]:
    problems: list[str] = []
    canvas = Box(0, 0, layout.width, layout.height)
    texts = [i for i in layout.items() if isinstance(i, Text)]
    for t in texts:
        name = f"text {t.lines[:1]!r}"
        if not canvas.contains(t.box):
            problems.append(f"{name} leaves the canvas")
        if len(t.widths) != len(t.lines) or any(w > t.box.w + TOL for w in t.widths):
            problems.append(f"{name} overflows its box ({max(t.widths, default=0):.2f} > {t.box.w:.2f})")
        if abs(t.box.h - t.line_height * len(t.lines)) > TOL:
            problems.append(f"{name} box height does not hold its lines")
    problems += _disjoint([(t.box, f"text {t.lines[:1]!r}") for t in texts if t.box.w > 0 and t.box.h > 0])

    # Cards never overlap each other; every text in a lane sits inside its lane row and one column.
    cards = [i for i in layout.items() if isinstance(i, Rect) and i.cls.startswith(("card-", "stage-band", "badge"))
             and not i.cls.endswith("-accent")]
    problems += _disjoint([(c.box, f"{c.cls} at {c.box.x:.0f},{c.box.y:.0f}") for c in cards], nested_ok=True)
    columns = [b for _, b in layout.steps] + [b for _, b in layout.stages]
    label_col = Box(0, layout.grid.y, layout.grid.x, layout.grid.h)
    rows = dict(layout.lanes)
    for group in layout.groups:
        if group.kind != "lane":
            continue
        row = rows[group.lane]
        for item in group.items:
            if isinstance(item, Text):
                if not (row.y - TOL <= item.box.y and item.box.bottom <= row.bottom + TOL):
                    problems.append(f"{group.lane}: text {item.lines[:1]!r} leaves its row")
                if not any(c.contains(item.box) for c in (*columns, label_col)):
                    problems.append(f"{group.lane}: text {item.lines[:1]!r} crosses a column")
            if group.lane == "emotions" and isinstance(item, (Path, Marker)):
                pts = item.points if isinstance(item, Path) else ((item.x, item.y - item.r), (item.x, item.y + item.r))
                if any(not (row.y <= y <= row.bottom and layout.grid.x <= x <= layout.grid.right) for x, y in pts):
                    problems.append(f"emotion {item.cls} leaves the emotion lane")

    problems += _connectors(layout)
    problems += _branch_columns(layout, journey)
    problems += _emotion_marks(layout)

    # The background is drawn in order: an opaque lane-alt row laid after the emotion tints would hide them.
    background = next((g.items for g in layout.groups if g.kind == "grid"), ())
    for k, tint in enumerate(background):
        if isinstance(tint, Rect) and tint.cls in ("emotion-positive", "emotion-negative") and any(
                isinstance(r, Rect) and r.cls == "lane-alt" and r.box.overlaps(tint.box) for r in background[k:]):
            problems.append(f"a lane-alt row hides the {tint.cls} tint")

    # Every stage and step is drawn.
    drawn = {i.id for i in layout.items() if isinstance(i, Rect) and i.id}
    problems += [f"stage {s.id} not drawn" for s in journey.stages if f"jm-stage-{s.id}" not in drawn]
    if "actions" in journey.lanes:
        problems += [f"step {s.id} not drawn" for s in journey.steps if f"jm-step-{s.id}" not in drawn]
    if [name for name, _ in layout.lanes] != list(journey.lanes):
        problems.append("lanes out of order")
    return problems


CONNECTORS = ("path-connector", "path-loop")
APART = 6.0  # parallel connectors closer than this read as one double line


def _segments(path: Path) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return list(zip(path.points, path.points[1:]))


def _connectors(layout: Layout) -> list[str]:
    """Connectors of paths and loops: each with its own ends and tracks, off the separators, past no card."""
    problems: list[str] = []
    actions = next((g for g in layout.groups if g.lane == "actions"), None)
    if actions is None:
        return problems
    wires = [i for i in actions.items if isinstance(i, Path) and i.cls in CONNECTORS]
    row = dict(layout.lanes)["actions"]
    cards = [i.box for i in actions.items if isinstance(i, Rect) and i.cls.startswith(("card-action", "card-path"))]
    separators = [i for i in layout.items() if i.cls == "stage-separator"]
    ends = [(p, k) for k, w in enumerate(wires) for p in (w.points[0], w.points[-1])]
    for n, (a, k) in enumerate(ends):
        for b, m in ends[n + 1:]:
            if k != m and abs(a[0] - b[0]) < 2 and abs(a[1] - b[1]) < 2:
                problems.append(f"two connectors end at {a[0]:.0f},{a[1]:.0f}")
    segs = [(k, s) for k, w in enumerate(wires) for s in _segments(w)]
    for n, (k, (p, q)) in enumerate(segs):
        if not all(row.x - TOL <= x <= row.right + TOL and row.y - TOL <= y <= row.bottom + TOL for x, y in (p, q)):
            problems.append(f"{wires[k].cls} leaves the actions row")
        inner = [Box(c.x + 1, c.y + 1, c.w - 2, c.h - 2) for c in cards]
        seg_box = Box(min(p[0], q[0]), min(p[1], q[1]), abs(p[0] - q[0]), abs(p[1] - q[1]))
        if any(_crosses(seg_box, c) for c in inner):
            problems.append(f"{wires[k].cls} runs through a card at {p[0]:.0f},{p[1]:.0f}")
        for m, (r, t) in segs[n + 1:]:
            if m != k and _alongside((p, q), (r, t)):
                problems.append(f"connectors run side by side at {p[0]:.0f},{p[1]:.0f}")
        for sep in separators:
            if p[0] == q[0] and _alongside((p, q), ((sep.x1, sep.y1), (sep.x2, sep.y2)), 5.0):
                problems.append(f"{wires[k].cls} runs along a stage separator at x={sep.x1:.0f}")
    return problems


def _crosses(seg: Box, card: Box) -> bool:
    """An axis-aligned segment (as a zero-width box) through the card's inside."""
    return seg.x <= card.right and card.x <= seg.right and seg.y <= card.bottom and card.y <= seg.bottom


def _alongside(a, b, apart: float = APART) -> bool:
    """Two axis-aligned segments parallel, closer than `apart`, over more than a couple of pixels."""
    (ax1, ay1), (ax2, ay2) = a
    (bx1, by1), (bx2, by2) = b
    if ax1 == ax2 and bx1 == bx2:  # vertical
        overlap = min(max(ay1, ay2), max(by1, by2)) - max(min(ay1, ay2), min(by1, by2))
        return abs(ax1 - bx1) < apart and overlap > 2
    if ay1 == ay2 and by1 == by2:
        overlap = min(max(ax1, ax2), max(bx1, bx2)) - max(min(ax1, ax2), min(bx1, bx2))
        return abs(ay1 - by1) < apart and overlap > 2
    return False


def _branch_columns(layout: Layout, journey: Journey) -> list[str]:
    """A path's cards sit in its origin's stage, next to the origin, or in the columns right after the stage."""
    if "actions" not in journey.lanes:
        return []
    cards = {i.id: i.box for i in layout.items() if isinstance(i, Rect) and i.id.startswith("jm-path-step-")}
    columns = [b for _, b in layout.steps]
    problems = []
    first = 0
    for stage in journey.stages:
        last = first + len(stage.steps) - 1
        for i, step in enumerate(stage.steps, first):
            for branch in step.paths:
                k = len(branch.steps)
                for m, s in enumerate(branch.steps):
                    box = cards.get(f"jm-path-step-{s.id}")
                    if box is None:
                        problems.append(f"path step {s.id} not drawn")
                        continue
                    col = next(c for c, b in enumerate(columns) if b.x - TOL <= box.x and box.right <= b.right + TOL)
                    if not first <= col <= last + k - 1 or (m == 0 and col > i + 1):
                        problems.append(f"path step {s.id} in column {col}, away from {step.id}'s stage")
        first = last + 1
    return problems


def _emotion_marks(layout: Layout) -> list[str]:
    """No emotion marker hides another, and no label of the lane covers a marker."""
    lane = next((g for g in layout.groups if g.lane == "emotions"), None)
    if lane is None:
        return []
    marks = [i for i in lane.items if isinstance(i, Marker) and i.cls.startswith("emotion-marker")
             and i.cls != "emotion-marker-core"]
    problems = []
    seen: dict[tuple[int, int], Marker] = {}
    for m in marks:
        key = (round(m.x), round(m.y))
        if key in seen:
            problems.append(f"{m.cls} at {m.x:.0f},{m.y:.0f} hides another marker")
        seen[key] = m
    for t in (i for i in lane.items if isinstance(i, Text)):
        for m in marks:
            if t.box.overlaps(Box(m.x - m.r, m.y - m.r, 2 * m.r, 2 * m.r)):
                problems.append(f"emotion text {t.lines[:1]!r} covers a marker")
    return problems
