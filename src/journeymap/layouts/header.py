"""The header (title, persona cards, scenario) and the legend under the grid."""

from __future__ import annotations

from journeymap.layouts.geometry import Box, Icon, Item, Line, Marker, Path, Rect, Text, num
from journeymap.layouts.style import Style, bullets, card, readable_on, single_line_width
from journeymap.layouts.text import clean
from journeymap.model import Journey, Persona

CardSpec = tuple[str, list[tuple[str, object]]]  # kind, [(part kind, payload)]


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


def _card_specs(journey: Journey) -> list[list[tuple[str, object]]]:
    specs: list[list[tuple[str, object]]] = []
    several = len(journey.personas) > 1
    for persona in journey.personas:
        specs.append(_persona_parts(persona, with_lists=several))
    if len(journey.personas) == 1:
        p = journey.personas[0]
        for title, values in (("Goals", p.goals), ("Expectations", p.expectations), ("Frustrations", p.frustrations)):
            if values:
                specs.append([("list", (title, values))])
    if journey.scenario:
        specs.append([("list-title", "Scenario"), ("text", journey.scenario)])
    return specs


def _card(parts: list[tuple[str, object]], x: float, y: float, w: float, st: Style, colour_of: dict[str, str],
          several: bool) -> tuple[list[Item], float]:
    pad, gap = st.sp("pad") + 4, st.sp("gap")
    inner = w - 2 * pad
    items: list[Item] = []
    cy = y + pad
    for kind, payload in parts:
        if kind == "identity":
            assert isinstance(payload, Persona)
            r = 20.0
            fill = colour_of.get(payload.id) if several else str(st.colors["icon"])
            items.append(Marker(x + pad + r, cy + r, r, "circle", "avatar", fill=fill))
            ink = readable_on(str(fill), str(st.colors["background"]), str(st.colors["text"]))
            items.append(st.lines((_initials(clean(payload.name)),), x + pad, cy + r - st.lh("heading") / 2, 2 * r,
                                  "heading", "text-avatar", weight=600, anchor="middle", fill=ink))
            tx = x + pad + 2 * r + gap * 1.5
            name = st.text(payload.name, tx, cy, x + w - pad - tx, "heading", "text-strong", weight=600)
            items.append(name)
            bottom = name.box.bottom
            if payload.segment:
                seg = st.text(payload.segment, tx, bottom + 2, x + w - pad - tx, "small", "text-muted")
                items.append(seg)
                bottom = seg.box.bottom
            if bottom < cy + 2 * r:  # centre a short name block on the avatar
                shift = (cy + 2 * r - bottom) / 2
                items[-1 - bool(payload.segment):] = [_shift_text(t, shift) for t in items[-1 - bool(payload.segment):]]
                bottom = cy + 2 * r
            cy = bottom + gap * 1.5
        elif kind == "text":
            t = st.text(str(payload), x + pad, cy, inner, "body", "text-body")
            items.append(t)
            cy = t.box.bottom + gap * 1.5
        elif kind == "quote":
            t = st.text(f"\u201c{payload}\u201d", x + pad + 12, cy, inner - 12, "body", "text-quote")
            items.append(Line(x + pad + 1.5, cy + 2, x + pad + 1.5, t.box.bottom - 2, "quote-bar"))
            items.append(t)
            cy = t.box.bottom + gap * 1.5
        elif kind in ("list", "list-title"):
            title, values = (payload, ()) if kind == "list-title" else payload  # type: ignore[misc]
            head = st.text(str(title).upper(), x + pad, cy, inner, "label", "text-label", weight=600)
            items.append(head)
            cy = head.box.bottom + gap
            if values:
                lst, h = bullets(tuple(values), x + pad, cy, inner, st, "body", "text-body", "bullet")
                items.extend(lst)
                cy += h + gap * 1.5
    return items, cy - gap * 1.5 + pad - y


def _shift_text(item: Item, dy: float) -> Item:
    from dataclasses import replace

    assert isinstance(item, Text)
    return replace(item, y=item.y + dy, box=Box(item.box.x, item.box.y + dy, item.box.w, item.box.h))


def header(journey: Journey, x: float, y: float, w: float, st: Style, colour_of: dict[str, str]) -> tuple[list[Item], float]:
    """Title, description and a row (or rows) of equal-width cards; returns items and the bottom y."""
    gap, gutter = st.sp("gap"), st.sp("gutter")
    items: list[Item] = []
    title = st.text(journey.title, x, y, w, "title", "text-title", weight=600)
    items.append(title)
    cy = title.box.bottom + gap
    if journey.description:
        d = st.text(journey.description, x, cy, min(w, 880), "subtitle", "text-muted")
        items.append(d)
        cy = d.box.bottom + gap
    specs = _card_specs(journey)
    if not specs:
        return items, cy
    cy += gutter
    cols = max(1, min(len(specs), int((w + gutter) // (st.sp("card_min_width") + gutter))))
    # Cards share the row; a lone card or two stay a readable width instead of stretching across the map.
    card_w = min((w - (cols - 1) * gutter) / cols, 2 * st.sp("card_min_width"))
    several = len(journey.personas) > 1
    for start in range(0, len(specs), cols):
        built = [_card(spec, x + i * (card_w + gutter), cy, card_w, st, colour_of, several)
                 for i, spec in enumerate(specs[start:start + cols])]
        row_h = max(h for _, h in built)
        for i, (content, _) in enumerate(built):
            drawn, _ = card(content, cy + row_h - st.sp("pad") - 4, x + i * (card_w + gutter), cy, card_w,
                            st.sp("pad") + 4, "card-header", st.sp("radius"))
            items.extend(drawn)
        cy += row_h + gutter
    return items, cy - gutter


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
