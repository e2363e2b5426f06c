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

    # The background is drawn in order: an opaque lane-alt row laid after the emotion tints would hide them.
    background = next((g.items for g in layout.groups if g.kind == "grid"), ())
    for k, tint in enumerate(background):
        if isinstance(tint, Rect) and tint.cls in ("emotion-positive", "emotion-negative"):
            if any(isinstance(r, Rect) and r.cls == "lane-alt" and r.box.overlaps(tint.box) for r in background[k:]):
                problems.append(f"a lane-alt row hides the {tint.cls} tint")

    # Every stage and step is drawn.
    drawn = {i.id for i in layout.items() if isinstance(i, Rect) and i.id}
    problems += [f"stage {s.id} not drawn" for s in journey.stages if f"jm-stage-{s.id}" not in drawn]
    if "actions" in journey.lanes:
        problems += [f"step {s.id} not drawn" for s in journey.steps if f"jm-step-{s.id}" not in drawn]
    if [name for name, _ in layout.lanes] != list(journey.lanes):
        problems.append("lanes out of order")
    return problems
