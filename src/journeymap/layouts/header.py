"""The header (title, persona cards, scenario) and the legend under the grid."""

from __future__ import annotations

from typing import cast

from journeymap.layouts.geometry import Box, Icon, Item, Line, Marker, Path, Rect, Text, num
from journeymap.layouts.style import Style, bullets, card, readable_on, single_line_width
from journeymap.layouts.text import clean
from journeymap.model import Journey, Persona

MEASURE = 880.0  # the widest a paragraph is set, even on a card that spans the map: longer lines read badly

def _initials(name: str) -> str:
    words = [w for w in name.replace(",", " ").split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or name[:1].upper()


def _persona_parts(p: Persona, with_lists: bool) -> list[tuple[str, object]]:
    parts: list[tuple[str, object]] = [("identity", p)]
    if p.description:
        parts.append(("text", p.description))
    if p.quote:
        parts.append(("quote", p.quote))
    if with_lists:
        for title, values in (("Goals", p.goals), ("Expectations", p.expectations), ("Frustrations", p.frustrations)):
            if values:
                parts.append(("list", (title, values)))
    return parts


Spec = list[tuple[str, object]]  # one card: its parts, (part kind, payload)


def _card_groups(journey: Journey) -> list[list[Spec]]:
    """The header's cards, in groups that share rows.

    One persona: the persona, goals, expectations, frustrations and scenario side by side. Several: a card per
    persona with their lists in it, and the scenario, which is about all of them, in a row of its own.
    """
    cards: list[Spec] = [_persona_parts(p, with_lists=len(journey.personas) > 1) for p in journey.personas]
    if len(journey.personas) == 1:
        p = journey.personas[0]
        for title, values in (("Goals", p.goals), ("Expectations", p.expectations), ("Frustrations", p.frustrations)):
            if values:
                cards.append([("list", (title, values))])
    scenario: Spec = [("list-title", "Scenario"), ("text", journey.scenario)] if journey.scenario else []
    if len(journey.personas) > 1 and scenario:
        return [cards, [scenario]]
    return [cards + [scenario] if scenario else cards] if cards or scenario else []


def _card(parts: Spec, x: float, y: float, w: float, st: Style, colour_of: dict[str, str],
          several: bool) -> tuple[list[Item], float]:
    """A card's content and height; a wide persona card puts who they are at the left and their lists at the
    right, instead of one tall column."""
    pad, gutter = st.sp("pad") + 4, st.sp("gutter")
    inner = w - 2 * pad
    who = [p for p in parts if p[0] != "list"]
    lists = [p for p in parts if p[0] == "list"]
    if who and lists and w >= 2 * st.sp("card_min_width"):
        half = (inner - 2 * gutter) / 2
        left, left_bottom = _stack(who, x + pad, y + pad, half, st, colour_of, several)
        right, right_bottom = _stack(lists, x + pad + half + 2 * gutter, y + pad, half, st, colour_of, several)
        return left + right, max(left_bottom, right_bottom) + pad - y
    items, bottom = _stack(parts, x + pad, y + pad, inner, st, colour_of, several)
    return items, bottom + pad - y


def _stack(parts: Spec, x: float, y: float, inner: float, st: Style, colour_of: dict[str, str],
           several: bool) -> tuple[list[Item], float]:
    """Parts laid out top-down in a column `inner` wide from (x, y); returns items and the bottom y."""
    gap = st.sp("gap")
    items: list[Item] = []
    cy = y
    for kind, payload in parts:
        if kind == "identity":
            assert isinstance(payload, Persona)
            r = 20.0
            fill = colour_of.get(payload.id) if several else str(st.colors["icon"])
            items.append(Marker(x + r, cy + r, r, "circle", "avatar", fill=fill))
            ink = readable_on(str(fill), str(st.colors["background"]), str(st.colors["text"]))
            items.append(st.lines((_initials(clean(payload.name)),), x, cy + r - st.lh("heading") / 2, 2 * r,
                                  "heading", "text-avatar", weight=600, anchor="middle", fill=ink))
            tx = x + 2 * r + gap * 1.5
            name = st.text(payload.name, tx, cy, x + inner - tx, "heading", "text-strong", weight=600)
            items.append(name)
            bottom = name.box.bottom
            if payload.segment:
                seg = st.text(payload.segment, tx, bottom + 2, x + inner - tx, "small", "text-muted")
                items.append(seg)
                bottom = seg.box.bottom
            if bottom < cy + 2 * r:  # centre a short name block on the avatar
                shift = (cy + 2 * r - bottom) / 2
                items[-1 - bool(payload.segment):] = [_shift_text(t, shift) for t in items[-1 - bool(payload.segment):]]
                bottom = cy + 2 * r
            cy = bottom + gap * 1.5
        elif kind == "text":
            t = st.text(str(payload), x, cy, min(inner, MEASURE), "body", "text-body")
            items.append(t)
            cy = t.box.bottom + gap * 1.5
        elif kind == "quote":
            t = st.text(f"\u201c{payload}\u201d", x + 12, cy, inner - 12, "body", "text-quote")
            items.append(Line(x + 1.5, cy + 2, x + 1.5, t.box.bottom - 2, "quote-bar"))
            items.append(t)
            cy = t.box.bottom + gap * 1.5
        elif kind in ("list", "list-title"):
            title, values = (payload, ()) if kind == "list-title" else cast(tuple[str, tuple[str, ...]], payload)
            head = st.text(str(title).upper(), x, cy, inner, "label", "text-label", weight=600)
            items.append(head)
            cy = head.box.bottom + gap
            if values:
                lst, h = bullets(tuple(values), x, cy, inner, st, "body", "text-body", "bullet")
                items.extend(lst)
                cy += h + gap * 1.5
    return items, cy - gap * 1.5


def _shift_text(item: Item, dy: float) -> Item:
    from dataclasses import replace

    assert isinstance(item, Text)
    return replace(item, y=item.y + dy, box=Box(item.box.x, item.box.y + dy, item.box.w, item.box.h))


def header(journey: Journey, x: float, y: float, w: float, st: Style, colour_of: dict[str, str]) -> tuple[list[Item], float]:
    """Title, description and rows of cards spanning `w`, as even in height as their texts allow; returns items
    and the bottom y."""
    gap, gutter = st.sp("gap"), st.sp("gutter")
    items: list[Item] = []
    title = st.text(journey.title, x, y, w, "title", "text-title", weight=600)
    items.append(title)
    cy = title.box.bottom + gap
    if journey.description:
        d = st.text(journey.description, x, cy, min(w, MEASURE), "subtitle", "text-muted")
        items.append(d)
        cy = d.box.bottom + gap
    groups = _card_groups(journey)
    if not groups:
        return items, cy
    cy += gutter
    # As many cards to a row as fit at their least width, rows filled evenly (five cards: three and two, not
    # four and one); every row spans the grid's width.
    fit = max(1, int((w + gutter) // (st.sp("card_min_width") + gutter)))
    several = len(journey.personas) > 1
    for specs in groups:
        per_row = -(-len(specs) // -(-len(specs) // fit))
        for start in range(0, len(specs), per_row):
            row = specs[start:start + per_row]
            widths = _balanced_widths(row, w - (len(row) - 1) * gutter, st, colour_of, several)
            xs = [x + sum(widths[:i]) + i * gutter for i in range(len(row))]
            built = [_card(spec, cx, cy, cw, st, colour_of, several) for spec, cx, cw in zip(row, xs, widths)]
            row_h = max(h for _, h in built)
            for (content, _), cx, cw in zip(built, xs, widths):
                drawn, _ = card(content, cy + row_h - st.sp("pad") - 4, cx, cy, cw, st.sp("pad") + 4, "card-header",
                                st.sp("radius"))
                items.extend(drawn)
            cy += row_h + gutter
    return items, cy - gutter


def _balanced_widths(specs: list[Spec], total: float, st: Style, colour_of: dict[str, str],
                     several: bool) -> list[float]:
    """Widths summing to `total` that make the row of cards about as short as it can be.

    A row is as tall as its tallest card, so equal widths leave a card with little text (a short scenario beside
    a persona with goals and quotes) mostly empty. Each card's height is modelled as f + a / width from two
    trial widths; the widths that give every card the same modelled height are then checked by laying the cards
    out, and kept only if the row got shorter. Six layouts of a card at most, however long the text.
    """
    n = len(specs)
    if n == 1:
        return [total]
    least = min(st.sp("card_min_width"), total / n)

    def height(i: int, width: float) -> float:
        return _card(specs[i], 0, 0, width, st, colour_of, several)[1]

    best = [total / n] * n
    best_h = [height(i, cw) for i, cw in enumerate(best)]
    trials = [[(cw, h)] for cw, h in zip(best, best_h)]
    for i, cw in enumerate(best):
        narrow = max(least, cw * 0.6)
        trials[i].append((narrow, height(i, narrow)))
    for _ in range(2):
        widths = _equal_heights([_model(t[-2:]) for t in trials], total, least)
        heights = [height(i, cw) for i, cw in enumerate(widths)]
        if max(heights) < max(best_h) - 0.5:
            best, best_h = widths, heights
        for t, cw, h in zip(trials, widths, heights):
            t.append((cw, h))
    return best


def _model(points: list[tuple[float, float]]) -> tuple[float, float]:
    """(f, a) of height = f + a / width through two (width, height) points; a >= 0."""
    (w1, h1), (w2, h2) = points
    a = max(0.0, (h2 - h1) / (1 / w2 - 1 / w1)) if abs(w1 - w2) > 0.5 else 0.0
    return h1 - a / w1, a


def _equal_heights(models: list[tuple[float, float]], total: float, least: float) -> list[float]:
    """Widths of at least `least`, summing to `total`, at which every modelled height is as low as it can be."""
    def needs(h: float) -> list[float]:
        return [max(least, a / (h - f)) if a else least for f, a in models]

    lo = max(f for f, a in models if a) if any(a for _, a in models) else 0.0
    hi = lo + 10_000.0
    for _ in range(40):  # bisection on the common height: the widths needed fall as it rises
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sum(needs(mid)) > total else (lo, mid)
    widths = needs(hi)
    spare = total - sum(widths)
    return [cw + spare * cw / sum(widths) for cw in widths]  # what is left, shared without raising any height


def legend(entries: list[tuple[Item, str]], x: float, y: float, w: float, st: Style) -> tuple[list[Item], float]:
    """A titled row of (symbol, text) entries that wraps; symbols are given centred on the origin."""
    gap = st.sp("gap")
    items: list[Item] = []
    head = st.text("LEGEND", x, y, w, "label", "text-label", weight=600)
    items.append(head)
    cy = head.box.bottom + gap
    row_h, slot = 24.0, 36.0  # a symbol gets a 28 px slot and 8 px before its text
    cx = x
    for symbol, text in entries:
        tw = min(single_line_width(text, st, "small"), 280.0)
        entry_w = slot + tw
        if cx > x and cx + entry_w > x + w:
            cx, cy = x, cy + row_h + gap / 2
        items.append(_place(symbol, cx + 14, cy + row_h / 2))
        t = st.text(text, cx + slot, cy, min(tw + 1, w - slot), "small", "text-body")
        items.append(_shift_text(t, max(0.0, (row_h - t.box.h) / 2)))
        row_h_here = max(row_h, t.box.h)
        cx += entry_w + 3 * gap
        if row_h_here > row_h:
            cx, cy = x, cy + row_h_here + gap / 2
    return items, cy + row_h - y


def _place(symbol: Item, cx: float, cy: float) -> Item:
    from dataclasses import replace

    if isinstance(symbol, Marker):
        return replace(symbol, x=cx, y=cy)
    if isinstance(symbol, Icon):
        return replace(symbol, x=cx - symbol.size / 2, y=cy - symbol.size / 2)
    if isinstance(symbol, Line):  # a short mark, given around the origin
        return replace(symbol, x1=cx + symbol.x1, y1=cy + symbol.y1, x2=cx + symbol.x2, y2=cy + symbol.y2)
    if isinstance(symbol, Rect):  # a swatch, centred
        return replace(symbol, box=Box(cx - symbol.box.w / 2, cy - symbol.box.h / 2, symbol.box.w, symbol.box.h))
    if isinstance(symbol, Path):  # a line sample: 28 px long
        d = f"M{num(cx - 14)} {num(cy)}L{num(cx + 14)} {num(cy)}"
        return replace(symbol, d=d, points=((cx - 14, cy), (cx + 14, cy)))
    return symbol
