"""Journeys that are not a straight line, drawn: branches, rejoins, loops and drop-offs.

Each alternative path gets a row under the main action cards. Its steps sit in the
columns after the step it branches from (moved left when the map ends first), one
card per column; an elbow connector runs down from the branching step into the
row, and up again into the step where the path rejoins. A drop-off ends in a card
with a dashed border and the reason. A loop (`next`) is an arrow under the main
cards back to the step it returns to. In the emotion lane each path is its own
short, thinner dashed curve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from journeymap.layouts.geometry import Box, Item, Marker, Path, Rect, num
from journeymap.layouts.spline import monotone_segments
from journeymap.layouts.style import Style, card
from journeymap.layouts.text import clean
from journeymap.model import Branch, Journey, Step


@dataclass(frozen=True)
class Slot:
    """Where one alternative path is drawn: the branching step's index, its columns and its row."""

    origin: int  # index of the step it branches from
    branch: Branch
    columns: tuple[int, ...]  # one column per step of the path
    row: int  # 0 = the first row under the main cards
    rejoin: int | None  # index of the step it rejoins


def slots(journey: Journey) -> list[Slot]:
    steps = journey.steps
    n = len(steps)
    index = {s.id: i for i, s in enumerate(steps)}
    out: list[Slot] = []
    rows: list[list[tuple[int, int]]] = []  # per row: occupied column ranges
    for i, step in enumerate(steps):
        for branch in step.paths:
            k = len(branch.steps)
            start = max(0, min(i + 1, n - k))
            # A path longer than the whole map shares columns: its cards get narrower, never overlap.
            cols = tuple(start + m for m in range(k)) if k <= n else tuple(m * n // k for m in range(k))
            rejoin = index.get(branch.rejoin) if branch.rejoin else None
            span = (min(i, cols[0]), max(cols[-1], rejoin if rejoin is not None else cols[-1]))
            row = next((r for r, taken in enumerate(rows)
                        if all(span[1] < a or span[0] > b for a, b in taken)), len(rows))
            if row == len(rows):
                rows.append([])
            rows[row].append(span)
            out.append(Slot(i, branch, cols, row, rejoin))
    return out


def _card(step: Step, title: str | None, x: float, y: float, w: float, st: Style) -> tuple[list[Item], float]:
    pad, gap = st.sp("pad"), st.sp("gap")
    parts: list[Item] = []
    cy = y + pad
    if title:
        t = st.text(f"\u21b3 {title}", x + pad, cy, w - 2 * pad, "small", "text-path", weight=600)
        parts.append(t)
        cy = t.box.bottom + gap / 2
    a = st.text(step.action, x + pad, cy, w - 2 * pad, "body", "text-strong", weight=600)
    parts.append(a)
    bottom = a.box.bottom
    if step.exit:
        e = st.text("\u00d7 Drops out" + (f": {step.exit_reason}" if step.exit_reason else ""), x + pad,
                    bottom + gap / 2, w - 2 * pad, "small", "text-exit", weight=600)
        parts.append(e)
        bottom = e.box.bottom
    return card(parts, bottom, x, y, w, pad, "card-path-exit" if step.exit else "card-path", st.sp("radius"))


def action_branches(journey: Journey, grid_x: float, step_w: float, main_bottom: float,
                    st: Style) -> tuple[list[Item], float]:
    """Items under the main action cards (loops, path rows, connectors) and the y they end at."""
    gap = st.sp("gap")
    steps = journey.steps
    index = {s.id: i for i, s in enumerate(steps)}
    items: list[Item] = []
    connectors: list[Item] = []
    y = main_bottom
    loops = [(i, index[s.next]) for i, s in enumerate(steps) if s.next in index]
    if loops:
        y += gap
        for i, j in loops:
            a, b = grid_x + (i + 0.5) * step_w, grid_x + (j + 0.5) * step_w
            d = f"M{num(a)} {num(main_bottom)}V{num(y + 6)}H{num(b)}V{num(main_bottom + 2)}"
            connectors.append(Path(d, "path-loop", ((a, main_bottom), (a, y + 6), (b, y + 6), (b, main_bottom))))
            connectors.append(Marker(b, main_bottom + 5, 4, "triangle-up", "path-arrow"))
        y += 12
    placed = slots(journey)
    row_top = y + gap * 3.5
    for row in range(max((s.row for s in placed), default=-1) + 1):
        row_h = 0.0
        drawn: list[tuple[Slot, list[Box]]] = []
        for slot in (s for s in placed if s.row == row):
            boxes: list[Box] = []
            for m, (step, col) in enumerate(zip(slot.branch.steps, slot.columns)):
                share = slot.columns.count(col)
                w = (step_w - 2 * gap - (share - 1) * gap) / share
                x = grid_x + col * step_w + gap + slot.columns[:m].count(col) * (w + gap)
                cell, h = _card(step, slot.branch.name if m == 0 else None, x, row_top, w, st)
                items.extend(cell)
                boxes.append(Box(x, row_top, w, h))
                row_h = max(row_h, h)
            drawn.append((slot, boxes))
        for slot, boxes in drawn:
            k = placed.index(slot) % 3  # parallel connectors in one gutter, or under the cards, stay apart
            connectors.extend(_connectors(slot, boxes, grid_x, step_w, main_bottom, row_top, gap, journey,
                                          (k - 1) * 5.0, y + 6 + 7 * k))
        row_top += row_h + gap * 2
    y = row_top - gap if placed else y
    return connectors + items, y


def _connectors(slot: Slot, boxes: list[Box], grid_x: float, step_w: float, main_bottom: float, row_top: float,
                gap: float, journey: Journey, off: float, below: float) -> list[Item]:
    """Elbows that run in the gutters between columns, so they never cross a card of another path."""
    out: list[Item] = []
    first, last = boxes[0], boxes[-1]
    mid = row_top + min(b.h for b in boxes) / 2
    ox = grid_x + (slot.origin + 0.5) * step_w
    gutter = (grid_x + (slot.columns[0]) * step_w if first.x > ox else first.x - gap) + off
    pts = ((ox, main_bottom), (ox, below), (gutter, below), (gutter, mid), (first.x, mid))
    out.append(Path(_poly(pts), "path-connector", pts))
    out.append(Marker(ox, main_bottom, 3.5, "circle", "path-dot"))
    for a, b in pairwise(boxes):
        if b.x > a.right:
            out.append(Path(_poly(((a.right, mid), (b.x, mid))), "path-connector", ((a.right, mid), (b.x, mid))))
    target, cls = slot.rejoin, "path-connector"
    if target is None and slot.branch.steps[-1].next:
        index = {s.id: i for i, s in enumerate(journey.steps)}
        target, cls = index.get(slot.branch.steps[-1].next), "path-loop"
    if target is not None:
        if cls == "path-loop":  # beside the way in, not on top of it
            off, below = off - 3, below + 4
        rx = grid_x + (target + 0.5) * step_w
        if rx > last.right:
            gx = grid_x + target * step_w + off
            pts = ((last.right, mid), (gx, mid), (gx, below), (rx, below), (rx, main_bottom + 2))
        else:
            gx = grid_x + slot.columns[-1] * step_w + off
            pts = ((last.x, mid + 4), (gx, mid + 4), (gx, below), (rx, below), (rx, main_bottom + 2))
        out.append(Path(_poly(pts), cls, pts))
        out.append(Marker(rx, main_bottom + 5, 4, "triangle-up", "path-arrow"))
    return out


def _poly(pts: tuple[tuple[float, float], ...]) -> str:
    return "M" + "L".join(f"{num(x)} {num(y)}" for x, y in pts)


def alternative_curves(journey: Journey, centres: list[float], step_w: float, st: Style,
                       to_y: Callable[[float], float], runs: dict[str, list[list[tuple[float, float]]]]) -> list[Item]:
    """Each path's own short curve per persona: from the branching step, through the path, into the rejoin."""
    items: list[Item] = []
    markers: list[Item] = []
    steps = journey.steps
    several = len(journey.persona_ids) > 1
    palette = st.colors["personas"]
    for slot in slots(journey):
        for pi, pid in enumerate(journey.persona_ids):
            colour = palette[pi % len(palette)] if several else None
            pts: list[tuple[float, float]] = []
            origin = steps[slot.origin]
            if pid in origin.emotions:
                pts.append((centres[slot.origin], to_y(origin.emotions[pid])))
            for step, col in zip(slot.branch.steps, slot.columns):
                if pid in step.emotions:
                    x = centres[col]
                    if pts and x <= pts[-1][0]:
                        continue  # a path squeezed against the map's end: keep x increasing
                    pt = (x, to_y(step.emotions[pid]))
                    pts.append(pt)
                    label = f"{slot.branch.name}: {step.action}: {num(step.emotions[pid])}"
                    markers.append(Marker(pt[0], pt[1], st.size("marker") - 2, "diamond", "emotion-marker-alt",
                                          fill=colour, label=clean(label)[:120], persona=pid if several else ""))
            if slot.rejoin is not None and pid in steps[slot.rejoin].emotions:
                x = centres[slot.rejoin]
                if not pts or x > pts[-1][0]:
                    pts.append((x, to_y(steps[slot.rejoin].emotions[pid])))
            if len(pts) > 1:
                d = [f"M{num(pts[0][0])} {num(pts[0][1])}"]
                every = [pts[0]]
                for _, c1, c2, end in monotone_segments(pts):
                    d.append(f"C{num(c1[0])} {num(c1[1])} {num(c2[0])} {num(c2[1])} {num(end[0])} {num(end[1])}")
                    every.extend((c1, c2, end))
                items.append(Path("".join(d), "emotion-alt", tuple(every), stroke=colour,
                                  persona=pid if several else ""))
    return items + markers


def legend_entries(journey: Journey) -> list[tuple[Item, str]]:
    out: list[tuple[Item, str]] = []
    if any(s.paths for s in journey.steps):
        out.append((Path("", "path-connector"), "Alternative path"))
        out.append((Path("", "emotion-alt"), "Emotion on a path"))
    if any(s.exit for s in journey.every_step):
        out.append((Rect(Box(0, 0, 20, 14), "card-path-exit", rx=3), "Drop-off"))
    if any(s.next for s in journey.every_step):
        out.append((Path("", "path-loop"), "Loop back"))
    return out
