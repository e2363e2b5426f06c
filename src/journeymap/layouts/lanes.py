"""The content of one step's cell in each text lane: cards stacked top-down."""

from __future__ import annotations

from typing import Callable

from journeymap.layouts.geometry import Box, Icon, Item, Marker, Rect, Text
from journeymap.layouts.style import Style, card, single_line_width
from journeymap.layouts.text import clean
from journeymap.model import Channel, Journey, Stage, Step

Cell = tuple[list[Item], float]  # items, height (without the outer gaps)

LANE_TITLES = {
    "actions": "Actions", "thoughts": "Thoughts", "touchpoints": "Touchpoints", "emotions": "Emotions",
    "pains": "Pain points", "opportunities": "Opportunities", "backstage": "Backstage", "metrics": "Metrics",
}


def _cards(texts: list[str], x: float, y: float, w: float, st: Style, cls: str, text_cls: str,
           *, accent: str | None = None) -> Cell:
    """One card per text, stacked with a gap; an accent draws a bar at the card's left edge."""
    pad, gap, rx = st.sp("pad"), st.sp("gap"), st.sp("radius")
    items: list[Item] = []
    top = y
    bar = 4.0 if accent else 0.0  # room for the accent bar inside the left padding
    for s in texts:
        t = st.text(s, x + pad + bar, y + pad, w - 2 * pad - bar, "body", text_cls)
        drawn, h = card([t], t.box.bottom, x, y, w, pad, cls, rx)
        items.extend(drawn)
        if accent:
            items.insert(len(items) - 1, Rect(Box(x + pad / 2, y + pad - 2, 3, h - 2 * pad + 4), accent, rx=1.5))
        y += h + gap
    return items, max(0.0, y - gap - top)


def actions(step: Step, x: float, y: float, w: float, st: Style) -> Cell:
    pad, gap = st.sp("pad"), st.sp("gap")
    parts: list[Item] = []
    cy = y + pad
    if step.moment_of_truth:
        tag = st.text("\u2605 Moment of truth", x + pad, cy, w - 2 * pad, "small", "text-moment", weight=600)
        parts.append(tag)
        cy = tag.box.bottom + gap / 2
    t = st.text(step.action, x + pad, cy, w - 2 * pad, "body", "text-strong", weight=600)
    parts.append(t)
    if step.evidence:
        t = st.text(f"Source: {step.evidence}", x + pad, t.box.bottom + gap, w - 2 * pad, "small", "text-muted")
        parts.append(t)
    cls = "card-action-moment" if step.moment_of_truth else "card-action"
    return card(parts, t.box.bottom, x, y, w, pad, cls, st.sp("radius"))


def thoughts(step: Step, x: float, y: float, w: float, st: Style) -> Cell:
    return _cards([f"\u201c{t}\u201d" for t in step.thoughts], x, y, w, st, "card-thought", "text-body")


def pains(step: Step, x: float, y: float, w: float, st: Style) -> Cell:
    return _cards(list(step.pains), x, y, w, st, "card-pain", "text-body", accent="card-pain-accent")


def backstage(step: Step, x: float, y: float, w: float, st: Style) -> Cell:
    return _cards(list(step.backstage), x, y, w, st, "card-backstage", "text-body")


def _badges(labels: list[str], x: float, y: float, w: float, st: Style) -> Cell:
    """Pills flowing left to right, wrapping when the row is full."""
    items: list[Item] = []
    size_lh = st.lh("small")
    hpad, gap = 6.0, 4.0
    cx, cy = x, y
    for label in labels:
        tw = single_line_width(label, st, "small", 600)
        pill_w = min(w, tw + 2 * hpad)
        if cx > x and cx + pill_w > x + w:
            cx, cy = x, cy + size_lh + 2 + gap
        t = st.text(label, cx + hpad, cy + 1, pill_w - 2 * hpad, "small", "text-badge", weight=600)
        items.append(Rect(Box(cx, cy, pill_w, t.box.h + 2), "badge", rx=(size_lh + 2) / 2))
        items.append(t)
        cy_bottom = cy + t.box.h + 2
        cx += pill_w + gap
        if t.box.h > size_lh:  # a pill that wrapped takes the whole row
            cx, cy = x, cy_bottom + gap
    bottom = max((i.box.bottom for i in items if isinstance(i, Rect)), default=y)
    return items, bottom - y


def opportunities(step: Step, x: float, y: float, w: float, st: Style) -> Cell:
    pad, gap, rx = st.sp("pad"), st.sp("gap"), st.sp("radius")
    items: list[Item] = []
    top = y
    for opp in step.opportunities:
        t = st.text(opp.idea, x + pad, y + pad, w - 2 * pad, "body", "text-body")
        parts: list[Item] = [t]
        bottom = t.box.bottom
        labels = [f"{name} {value}" for name, value in (("Impact", opp.impact), ("Effort", opp.effort)) if value]
        if labels:
            badge_items, bh = _badges(labels, x + pad, bottom + gap, w - 2 * pad, st)
            parts.extend(badge_items)
            bottom += gap + bh
        if opp.owner:
            o = st.text(f"Owner: {opp.owner}", x + pad, bottom + gap, w - 2 * pad, "small", "text-muted")
            parts.append(o)
            bottom = o.box.bottom
        drawn, h = card(parts, bottom, x, y, w, pad, "card-opportunity", rx)
        items.extend(drawn)
        y += h + gap
    return items, max(0.0, y - gap - top)


def touchpoints(step: Step, x: float, y: float, w: float, st: Style, channels: dict[str, Channel]) -> Cell:
    """An icon and the channel's name, then the touchpoint's name and owner, per touchpoint."""
    gap = st.sp("gap")
    icon = st.size("icon")
    disc = icon + 10
    items: list[Item] = []
    top = y
    for tp in step.touchpoints:
        channel = channels.get(tp.channel) or Channel(tp.channel, tp.channel, tp.channel)
        items.append(Marker(x + disc / 2, y + disc / 2, disc / 2, "circle", "icon-disc", label=clean(channel.label)))
        items.append(Icon(x + (disc - icon) / 2, y + (disc - icon) / 2, icon, channel.icon, "icon"))
        label_x = x + disc + gap
        lab = st.text(channel.label, label_x, y, w - disc - gap, "small", "text-strong", weight=600)
        # Centre a one-line label on the disc.
        shift = max(0.0, (disc - lab.box.h) / 2) if len(lab.lines) == 1 else 0.0
        lab = st.text(channel.label, label_x, y + shift, w - disc - gap, "small", "text-strong", weight=600)
        items.append(lab)
        y = max(y + disc, lab.box.bottom) + gap / 2
        for text, role, cls in ((tp.name, "body", "text-body"), (tp.owner and f"Owner: {tp.owner}", "small", "text-muted")):
            if text:
                t = st.text(text, x, y, w, role, cls)
                items.append(t)
                y = t.box.bottom + gap / 4
        y += gap
    return items, max(0.0, y - gap - top)


def metrics(stage: Stage, x: float, y: float, w: float, st: Style) -> Cell:
    """Metric tiles (value over name) flowing across the stage's width."""
    pad, gap, rx = st.sp("pad"), st.sp("gap"), st.sp("radius")
    items: list[Item] = []
    cx, cy, row_h = x, y, 0.0
    for metric in stage.metrics:
        tile_w = min(w, max(96.0, single_line_width(metric.text, st, "metric", 600),
                            single_line_width(metric.name, st, "small")) + 2 * pad)
        if cx > x and cx + tile_w > x + w:
            cx, cy, row_h = x, cy + row_h + gap, 0.0
        v = st.text(metric.text, cx + pad, cy + pad, tile_w - 2 * pad, "metric", "text-metric", weight=600)
        n = st.text(metric.name, cx + pad, v.box.bottom + 2, tile_w - 2 * pad, "small", "text-muted")
        h = n.box.bottom + pad - cy
        items.append(Rect(Box(cx, cy, tile_w, h), "card-metric", rx=rx))
        items.extend((v, n))
        row_h = max(row_h, h)
        cx += tile_w + gap
    return items, (cy + row_h - y) if items else 0.0


StepCell = Callable[[Step, float, float, float, Style], Cell]
STEP_LANES: dict[str, StepCell] = {
    "actions": actions, "thoughts": thoughts, "pains": pains,
    "opportunities": opportunities, "backstage": backstage,
}


def primary_channel(step: Step) -> str | None:
    return step.touchpoints[0].channel if step.touchpoints else None


def channel_switches(journey: Journey) -> list[int]:
    """Indexes i where step i and step i + 1 both meet the customer, on different primary channels."""
    return _changes(journey, primary_channel)


def text_items(items: list[Item]) -> list[Text]:
    return [i for i in items if isinstance(i, Text)]


def primary_owner(step: Step) -> str | None:
    return next((t.owner for t in step.touchpoints if t.owner), None)


def handoffs(journey: Journey) -> list[int]:
    """Indexes i where the team owning the customer's touchpoint changes between step i and step i + 1."""
    return _changes(journey, primary_owner)


def _changes(journey: Journey, of: Callable[[Step], str | None]) -> list[int]:
    steps = journey.steps
    pairs = ((of(steps[i]), of(steps[i + 1])) for i in range(len(steps) - 1))
    return [i for i, (a, b) in enumerate(pairs) if a and b and a != b]
