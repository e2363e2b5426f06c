"""Journeys that are not a straight line, drawn: branches, rejoins, loops and drop-offs.

Each alternative path gets a row of cards under the main action cards, in its origin
step's stage: in the columns after the origin, or from the origin's own column when the
origin ends its stage, so that a branch never lands under a later stage's step unless
it has more steps than its stage has room for.

Every connector has its own ends and its own tracks, so that three or four of them never
read as one double line: its own x on a main card's bottom edge (a port), its own
horizontal track in the band between the main cards and the path rows, and its own
offset in the gutter between columns, clear of the stage separators (path cards are
inset to give the gutters that room). A gutter that must carry more runs than fit
MIN_PITCH apart is widened, never squeezed: the path cards beside it give up width, and
where they cannot give enough without getting too narrow every column gets wider
(`min_step_width`); ports keep clear of the gutter runs. Where nothing is in the way a
connector goes straight down (or up) inside its column. An entry ends in an arrow into the path's first
card; a rejoin, or a loop back (`next`, dotted), ends in an arrow under its main step. A
drop-off is a card with a dashed border and its reason.

In the emotion lane each path is its own short, thinner dashed curve with the valence
markers, labelled with the path's name; a drop-off ends in a × with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cmp_to_key
from itertools import pairwise

from journeymap.layouts.geometry import Box, Item, Marker, Path, Rect, num
from journeymap.layouts.spline import monotone_segments
from journeymap.layouts.style import Style, card
from journeymap.layouts.text import clean
from journeymap.model import Branch, Journey, Step

INSET = 16.0  # path cards are this much narrower than a main card on each side: room for gutter tracks
TRACK = 12.0  # between parallel connectors
PORT = 18.0  # between connector ends on one main card's bottom edge
MIN_PITCH = 8.0  # the least distance between runs in one gutter or ports on one edge: clearly two lines
GIVE = 0.25  # the share of its width a path card gives up at most to widen the gutters beside it
ALT_DASHES = ("6 4", "10 3 2 3", "14 4")  # one per path in the emotion lane, so crossing curves stay apart
Label = tuple[tuple[tuple[str, str, int], ...], Box, str]  # (text, cls, weight) lines, the box to sit by, sides


@dataclass(frozen=True)
class Slot:
    """Where one alternative path is drawn: the branching step's index, its columns and its row."""

    origin: int  # index of the step it branches from
    branch: Branch
    columns: tuple[int, ...]  # one column per step of the path
    row: int  # 0 = the first row under the main cards
    target: int | None  # the main step it leads back to: its rejoin, or its last step's `next`
    loop: bool = False  # the way back is a loop (`next`), not a rejoin


def stage_spans(journey: Journey) -> list[tuple[int, int]]:
    """Per main step: the first and the last column of its stage."""
    out: list[tuple[int, int]] = []
    for stage in journey.stages:
        out += [(len(out), len(out) + len(stage.steps) - 1)] * len(stage.steps)
    return out


def _columns(i: int, k: int, n: int, stage: tuple[int, int]) -> tuple[int, ...]:
    first, last = stage
    start = i + 1 if i < last else i
    if start + k > n:  # the map ends first: move left, but not out of the origin's stage
        start = max(first, n - k)
    room = n - start
    if k <= room:
        return tuple(range(start, start + k))
    return tuple(start + m * room // k for m in range(k))  # more steps than columns: cards share, narrower


def slots(journey: Journey) -> list[Slot]:
    steps = journey.steps
    index = {s.id: i for i, s in enumerate(steps)}
    spans = stage_spans(journey)
    out: list[Slot] = []
    rows: list[list[tuple[int, int]]] = []  # per row: the column ranges taken
    for i, step in enumerate(steps):
        for branch in step.paths:
            cols = _columns(i, len(branch.steps), len(steps), spans[i])
            lo, hi = cols[0], cols[-1]
            # Paths sharing a row keep a free gutter between them, or one's exit reads as the other's entry.
            row = next((r for r, taken in enumerate(rows) if all(hi + 1 < a or lo > b + 1 for a, b in taken)),
                       len(rows))
            if row == len(rows):
                rows.append([])
            rows[row].append((lo, hi))
            last = branch.steps[-1]
            target = None if last.exit else index.get(branch.rejoin or last.next or "")
            out.append(Slot(i, branch, cols, row, target, loop=target is not None and not branch.rejoin))
    return out


@dataclass(frozen=True)
class Room:
    """What the connectors need besides the usual insets: per column, how much narrower its path cards are on
    the left and on the right (for the gutter runs beside them), and per main step how many ports it has."""

    left: tuple[float, ...]
    right: tuple[float, ...]
    ports: tuple[int, ...]

    @staticmethod
    def none(n: int) -> Room:
        return Room((0.0,) * n, (0.0,) * n, (0,) * n)


def _parts(b: int, n: int, separator: bool, half: float, left: float, right: float) -> list[tuple[float, float]]:
    """The stretches of gutter `b` (x offsets from the column boundary) that its vertical runs may use.

    3 px off the card on the left, room for an arrowhead before the card on the right, 6 px off a stage separator;
    `left` and `right`: how much further the path cards beside it are inset.
    """
    lo, hi = (3.0 if b == 0 else 3 - half - left), (-6.0 if b == n else half + right - 7)
    return [(lo, -6.0), (6.0, hi)] if separator and 0 < b < n else [(lo, hi)]


def room(journey: Journey, gap: float) -> Room:
    """The extra insets that give every gutter room for its runs MIN_PITCH apart (they do not depend on the step
    width), and the number of ports of each main step."""
    n = len(journey.steps)
    if not any(s.paths or s.next for s in journey.steps):
        return Room.none(n)
    wires = _wires(journey, slots(journey))
    separators = {a for a, _ in stage_spans(journey)} - {0}
    load: dict[int, int] = {}
    ports = [0] * n
    for w in wires:
        if w.gutter is not None:
            load[w.gutter] = load.get(w.gutter, 0) + 1
        for step in (w.port, w.far):
            if step is not None:
                ports[step] += 1
    left, right = [0.0] * n, [0.0] * n
    for b, k in load.items():
        free = sum(z - a for a, z in _parts(b, n, b in separators, gap + INSET, 0.0, 0.0))
        short = (k - 1) * MIN_PITCH - free
        if short <= 0:
            continue
        if b == 0:  # the map's left edge: only the cards on the right can give way
            left[0] += short
        elif b == n:
            right[n - 1] += short
        else:
            right[b - 1] += short / 2
            left[b] += short / 2
    return Room(tuple(left), tuple(right), tuple(ports))


def _port_half(space: Room, i: int, step_w: float, gap: float) -> float:
    """How far from the middle of main step i's bottom edge its ports may sit: clear of the gutter runs beside it."""
    half = gap + INSET
    return min((step_w - 2 * gap - 24) / 2,
               step_w / 2 - max(half - 7 + space.left[i], half - 3 + space.right[i]) - MIN_PITCH)


def min_step_width(journey: Journey, gap: float) -> float:
    """The least column width at which every widened gutter leaves the path cards beside it at least 1 - GIVE of
    their width, and every main step's ports fit MIN_PITCH apart."""
    r = room(journey, gap)
    need = 0.0
    shares: dict[int, int] = {}
    for slot in slots(journey):
        for col in slot.columns:
            shares[col] = max(shares.get(col, 1), slot.columns.count(col))
    half = gap + INSET
    for i, (a, b, k) in enumerate(zip(r.left, r.right, r.ports)):
        if a + b > 0:
            need = max(need, (a + b) / GIVE + 2 * half + (shares.get(i, 1) - 1) * gap)
        if k > 1:
            spread = (k - 1) * MIN_PITCH
            need = max(need, spread + 2 * gap + 24,
                       spread + 2 * (max(half - 7 + a, half - 3 + b) + MIN_PITCH))
    return need


def card_boxes(slot: Slot, grid_x: float, step_w: float, gap: float, space: Room) -> list[tuple[float, float]]:
    """(x, width) of each of the path's cards; cards sharing a column split it."""
    out = []
    for m, col in enumerate(slot.columns):
        share = slot.columns.count(col)
        left, right = gap + INSET + space.left[col], gap + INSET + space.right[col]
        w = (step_w - left - right - (share - 1) * gap) / share
        out.append((grid_x + col * step_w + left + slot.columns[:m].count(col) * (w + gap), w))
    return out


def _card(step: Step, title: str | None, x: float, y: float, w: float, st: Style, cid: str) -> tuple[list[Item], float]:
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
    items, h = card(parts, bottom, x, y, w, pad, "card-path-exit" if step.exit else "card-path", st.sp("radius"))
    rect = items[0]
    assert isinstance(rect, Rect)
    return [replace(rect, id=cid), *items[1:]], h  # an id, so that a path step can be found in the SVG


@dataclass
class _Wire:
    """One connector before it has coordinates: which main steps and which gutter it touches."""

    kind: str  # in (main step -> path) | out (path -> main step) | main (main step -> main step)
    cls: str  # path-connector | path-loop
    slot: Slot | None
    port: int  # the main step whose bottom edge it leaves from (in, main) or arrives at (out)
    far: int | None = None  # main: the step it arrives at
    gutter: int | None = None  # the column boundary its vertical run uses; None: straight, or main
    x: dict[str, float] = field(default_factory=dict)  # port, far, gutter: resolved x
    track: int = 0

    def span(self) -> tuple[float, float]:
        a, b = self.x["port"], self.x["far" if self.kind == "main" else "gutter"]
        return min(a, b), max(a, b)

    def ups(self) -> list[float]:
        return [self.x["port"], self.x["far"]] if self.kind == "main" else [self.x["port"]]

    def downs(self) -> list[float]:
        return [] if self.kind == "main" else [self.x["gutter"]]


def _wires(journey: Journey, placed: list[Slot]) -> list[_Wire]:
    steps = journey.steps
    index = {s.id: i for i, s in enumerate(steps)}
    cards_at = {(s.row, c) for s in placed for c in s.columns}

    def straight(slot: Slot, col: int, main: int) -> bool:  # a line inside the column, past no card
        return col == main and slot.columns.count(col) == 1 and all((r, col) not in cards_at for r in range(slot.row))

    wires = []
    for slot in placed:
        first, last = slot.columns[0], slot.columns[-1]
        wires.append(_Wire("in", "path-connector", slot, slot.origin,
                           gutter=None if straight(slot, first, slot.origin) else first))
        if slot.target is not None:
            wires.append(_Wire("out", "path-loop" if slot.loop else "path-connector", slot, slot.target,
                               gutter=None if straight(slot, last, slot.target) else last + 1))
    wires += [_Wire("main", "path-loop", None, i, far=index[s.next]) for i, s in enumerate(steps) if s.next in index]
    return wires


def _gutter_offsets(kinds: list[str], parts: list[tuple[float, float]]) -> list[float]:
    """x offsets from a column boundary of the vertical runs in its gutter, left to right (exits, then entries).

    Spread as far apart as a track and a half, centred on what is free (`parts`, see `_parts`), never closer than
    MIN_PITCH: `room` has widened every gutter too narrow for that.
    """
    free = sum(b2 - a for a, b2 in parts)
    k = len(kinds)
    if k == 1:  # an exit on the left of a separator, an entry on its right
        a, z = parts[0] if kinds[0] == "out" else parts[-1]
        return [(a + z) / 2]
    pitch = min(1.6 * TRACK, free / (k - 1))
    ts = [free / 2 + (m - (k - 1) / 2) * pitch for m in range(k)]
    out = []
    for t in ts:  # from a distance along the free stretches back to an offset
        for a, z in parts:
            if t <= z - a + 1e-9:
                out.append(a + t)
                break
            t -= z - a
    return out


def _route(journey: Journey, wires: list[_Wire], grid_x: float, step_w: float, gap: float, space: Room) -> int:
    """Resolve every wire's x (gutter offsets, ports) and horizontal track; returns the number of tracks."""
    n = len(journey.steps)
    separators = {a for a, _ in stage_spans(journey)} - {0}
    gutters: dict[int, list[_Wire]] = {}
    for w in wires:
        if w.gutter is not None:
            gutters.setdefault(w.gutter, []).append(w)
    for b, users in gutters.items():
        # Exits nearest their card for the shallow rows, entries likewise: no run crosses another's stub.
        users.sort(key=lambda w: (w.kind == "in", w.slot.row if w.kind == "out" else -w.slot.row))  # type: ignore[union-attr]
        parts = _parts(b, n, b in separators, gap + INSET, space.right[b - 1] if b > 0 else 0.0,
                       space.left[b] if b < n else 0.0)
        offsets = _gutter_offsets([w.kind for w in users], parts)
        for w, off in zip(users, offsets):
            w.x["gutter"] = grid_x + b * step_w + off
    def centre(i: int) -> float:
        return grid_x + (i + 0.5) * step_w

    ends: dict[int, list[tuple[float, _Wire, str]]] = {}
    for w in wires:
        for role, step in (("port", w.port), ("far", w.far)):
            if step is None:
                continue
            other = w.x.get("gutter", centre(w.far if role == "port" and w.far is not None else w.port))
            if w.gutter is None and w.kind != "main":  # straight: in the middle, the way down left of the way up
                other = centre(step) + (-0.1 if w.kind == "in" else 0.1)
            ends.setdefault(step, []).append((other, w, role))
    for step, at in ends.items():
        at.sort(key=lambda e: (e[0], e[1].kind))
        pitch = min(PORT, 2 * _port_half(space, step, step_w, gap) / max(len(at) - 1, 1))
        for m, (_, w, role) in enumerate(at):
            w.x[role] = centre(step) + (m - (len(at) - 1) / 2) * pitch
    # Tracks: a wire above another where that makes fewer crossings; wires far apart share a track.
    banded = [w for w in wires if w.kind == "main" or w.gutter is not None]

    def crossings(a: _Wire, b: _Wire) -> int:  # if a runs above b
        lo_a, hi_a = a.span()
        lo_b, hi_b = b.span()
        return sum(lo_a <= x <= hi_a for x in b.ups()) + sum(lo_b <= x <= hi_b for x in a.downs())

    def order(a: _Wire, b: _Wire) -> int:  # fewer crossings first; else the shorter run nearer the cards
        length = a.span()[1] - a.span()[0] - (b.span()[1] - b.span()[0])
        return crossings(a, b) - crossings(b, a) or (length > 0) - (length < 0)

    done: list[_Wire] = []
    for w in sorted(banded, key=cmp_to_key(order)):
        lo, hi = w.span()
        near = [d.track for d in done if d.span()[0] - 2 * TRACK < hi and lo < d.span()[1] + 2 * TRACK]
        w.track = max(near, default=-1) + 1
        done.append(w)
    return max((w.track for w in done), default=-1) + 1


def action_branches(journey: Journey, grid_x: float, step_w: float, main_bottom: float,
                    st: Style) -> tuple[list[Item], float]:
    """Items under the main action cards (path rows, connectors, loops) and the y they end at."""
    gap = st.sp("gap")
    placed = slots(journey)
    wires = _wires(journey, placed)
    space = room(journey, gap)
    tracks = _route(journey, wires, grid_x, step_w, gap, space)
    track_y = [main_bottom + 14 + t * TRACK for t in range(tracks)]
    y = (track_y[-1] if track_y else main_bottom) + 14 + (6 if placed else 0)
    items: list[Item] = []
    boxes: dict[int, list[Box]] = {}
    for row in range(max((s.row for s in placed), default=-1) + 1):
        row_h = 0.0
        for k, slot in ((k, s) for k, s in enumerate(placed) if s.row == row):
            boxes[k] = []
            for m, (step, (x, cw)) in enumerate(zip(slot.branch.steps, card_boxes(slot, grid_x, step_w, gap, space))):
                cell, h = _card(step, slot.branch.name if m == 0 else None, x, y, cw, st, f"jm-path-step-{step.id}")
                items.extend(cell)
                boxes[k].append(Box(x, y, cw, h))
                row_h = max(row_h, h)
        y += row_h + 2 * gap
    connectors: list[Item] = []
    for k, slot in enumerate(placed):
        mid = boxes[k][0].y + min(b.h for b in boxes[k]) / 2
        for a, b in pairwise(boxes[k]):
            if b.x - a.right >= 12:
                connectors += _line(((a.right, mid), (b.x - 5, mid)), "path-connector", "right")
    for w in wires:
        ty = track_y[w.track] if w.kind == "main" or w.gutter is not None else 0.0
        px = w.x["port"]
        if w.kind == "main":
            connectors.append(Marker(px, main_bottom, 3.5, "circle", "path-dot"))
            connectors += _line(((px, main_bottom), (px, ty), (w.x["far"], ty), (w.x["far"], main_bottom + 6)),
                                w.cls, "up")
            continue
        k = placed.index(w.slot)  # type: ignore[arg-type]
        mid = boxes[k][0].y + min(b.h for b in boxes[k]) / 2
        if w.kind == "in":
            first = boxes[k][0]
            connectors.append(Marker(px, main_bottom, 3.5, "circle", "path-dot"))
            pts = ((px, main_bottom), (px, first.y - 5)) if w.gutter is None else \
                ((px, main_bottom), (px, ty), (w.x["gutter"], ty), (w.x["gutter"], mid), (first.x - 5, mid))
            connectors += _line(pts, w.cls, "down" if w.gutter is None else "right")
        else:
            last = boxes[k][-1]
            pts = ((px, last.y), (px, main_bottom + 6)) if w.gutter is None else \
                ((last.right, mid), (w.x["gutter"], mid), (w.x["gutter"], ty), (px, ty), (px, main_bottom + 6))
            connectors += _line(pts, w.cls, "up")
    end = y - gap if placed else y - 14 + gap
    return connectors + items, end


def _line(pts: tuple[tuple[float, float], ...], cls: str, arrow: str) -> list[Item]:
    """A polyline and the arrowhead at its end, pointing `arrow` (up, down, right)."""
    x, y = pts[-1]
    tip = {"up": (x, y - 1), "down": (x, y + 0.5), "right": (x + 0.5, y)}[arrow]
    d = "M" + "L".join(f"{num(px)} {num(py)}" for px, py in pts)
    head = "path-arrow-loop" if cls == "path-loop" else "path-arrow"
    return [Path(d, cls, pts), Marker(tip[0], tip[1], 4 if arrow == "up" else 3.5, f"triangle-{arrow}", head)]


def alternative_curves(journey: Journey, centres: list[float], step_w: float, st: Style,
                       to_y: Callable[[float], float], mark: Callable[[float, str | None], tuple[str, str, str]],
                       limit: float) -> tuple[list[Item], list[list[Item]], list[Label]]:
    """Each path's own short curve per persona, its markers (one list per mark) and the label of each path.

    A curve runs from the branching step, through the path, into the rejoin. `mark(value, colour)` gives a
    value's (valence, shape, fill); `limit` is the rightmost x a marker may sit at.
    """
    curves: list[Item] = []
    marks: list[list[Item]] = []
    labels: list[Label] = []
    steps = journey.steps
    several = len(journey.persona_ids) > 1
    palette = st.colors["personas"]
    r = st.size("marker") - 1.5
    gap = st.sp("gap")
    grid_x = centres[0] - step_w / 2
    space = room(journey, gap)
    for k, slot in enumerate(slots(journey)):
        # Under each card, but always after the step before: a path under its origin moves right in the column.
        xs: list[float] = []
        prev = centres[slot.origin]
        for x, w in card_boxes(slot, grid_x, step_w, gap, space):
            prev = min(max(x + w / 2, prev + step_w / 3), limit)
            xs.append(prev)
        labelled = False
        for pi, pid in enumerate(journey.persona_ids):
            colour = palette[pi % len(palette)] if several else None
            pts: list[tuple[float, float]] = []
            origin = steps[slot.origin]
            if pid in origin.emotions:
                pts.append((centres[slot.origin], to_y(origin.emotions[pid])))
            boxes: list[Box] = []  # of this persona's marks on the path
            side = ""  # where the name goes: away from the main curve
            for step, col, x in zip(slot.branch.steps, slot.columns, xs):
                if pid not in step.emotions or (pts and x <= pts[-1][0]):
                    continue  # no score; or a path squeezed against the map's end
                v = step.emotions[pid]
                pt = (x, to_y(v))
                pts.append(pt)
                val, shape, fill = mark(v, colour)
                if step.exit:
                    val, shape, fill = "exit", "cross", ""
                label = f"{slot.branch.name}: {step.action}: {num(v)}" + (" (drops out)" if step.exit else "")
                marks.append([Marker(pt[0], pt[1], r + (1 if step.exit else 0), shape, f"emotion-marker-alt {val}",
                                     fill=fill or None, label=clean(label)[:120], persona=pid if several else "")])
                boxes.append(Box(pt[0] - r - 2, pt[1] - r - 2, 2 * r + 4, 2 * r + 4))
                main = steps[col].emotions.get(pid)
                side = side or ("barl" if main is not None and v < main else "abrl")
            if slot.target is not None and not slot.loop and pid in steps[slot.target].emotions:
                x = centres[slot.target]
                if not pts or x > pts[-1][0]:
                    pts.append((x, to_y(steps[slot.target].emotions[pid])))
            if len(pts) > 1:
                d = [f"M{num(pts[0][0])} {num(pts[0][1])}"]
                every = [pts[0]]
                for _, c1, c2, end in monotone_segments(pts):
                    d.append(f"C{num(c1[0])} {num(c1[1])} {num(c2[0])} {num(c2[1])} {num(end[0])} {num(end[1])}")
                    every.extend((c1, c2, end))
                curves.append(Path("".join(d), "emotion-alt", tuple(every), stroke=colour,
                                   dash=ALT_DASHES[k % len(ALT_DASHES)], persona=pid if several else ""))
            if boxes and not labelled:
                # The name where the path leaves the main curve; a drop-off's reason by its ×, where the curve ends.
                labelled = True
                labels.append((((clean(slot.branch.name), "text-alt-label", 600),), boxes[0], side))
                exit_step = slot.branch.steps[-1]
                if exit_step.exit and pid in exit_step.emotions and len(boxes) > 1:
                    why = "Drops out" + (f": {exit_step.exit_reason}" if exit_step.exit_reason else "")
                    labels.append((((clean(why), "text-exit", 400),), boxes[-1], "rbal"))
    return curves, marks, labels


def legend_entries(journey: Journey, st: Style) -> list[tuple[Item, str]]:
    out: list[tuple[Item, str]] = []
    if any(s.paths for s in journey.steps):
        out.append((Path("", "path-connector"), "Alternative path"))
        out.append((Path("", "emotion-alt", dash=ALT_DASHES[0]), "Emotion on a path"))
    if any(s.exit for s in journey.every_step):
        out.append((Rect(Box(0, 0, 20, 14), "card-path-exit", rx=3), "Drop-off"))
        if "emotions" in journey.lanes and any(s.exit and s.emotions for s in journey.every_step):
            out.append((Marker(0, 0, st.size("marker") - 0.5, "cross", "emotion-marker-alt exit"),
                        "Drop-off on the curve"))
    if any(s.next for s in journey.every_step):
        # A dotted line with its arrowhead: in greyscale it must not read as the dashed emotion on a path.
        out.append((Marker(0, 0, 14, "arrow-left", "path-loop"), "Loop back"))
    return out
