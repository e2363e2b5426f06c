"""Panels drawn under the map: the opportunities summary and the confidence tints.

`opportunities_panel` ranks every opportunity with the report's ranking (quick
wins at the top: see `report.opportunity_rank`) and shows each with its stage,
owner and the pains of its step. `confidence_tints` tints each step's column by how
well research backs it.
"""

from __future__ import annotations

from journeymap.layouts.geometry import Box, Item, Line, Marker, Rect, Text
from journeymap.layouts.style import CAP_HEIGHT, Style, single_line_width
from journeymap.model import Journey, Opportunity, Stage, Step

LEVELS = ("high", "medium", "low")
DASH = "\u2014"
ASSUMPTION = "ASSUMPTION"
CONFIDENCE_TEXT = {"high": "High confidence (research)", "medium": "Medium confidence",
                   "low": "Low confidence (assumption)", None: "Confidence not stated"}


def ranked(journey: Journey) -> list[tuple[Opportunity, Step, Stage]]:
    from journeymap.report import opportunity_rank

    found = [(opportunity_rank(o), n, k, o, step, stage)
             for n, (stage, step) in enumerate((st, s) for st in journey.stages for s in st.steps)
             for k, o in enumerate(step.opportunities)]
    found.sort(key=lambda f: f[:3])
    return [(o, step, stage) for _, _, _, o, step, stage in found]


TITLES = ("Opportunity", "Impact / effort", "Stage", "Owner", "Pains beside it")
CAPS = (440.0, 200.0, 200.0, 220.0, 560.0)  # the widest each column grows before its text wraps
FLOOR = 160.0  # the narrowest the two long columns shrink to on a narrow map


def _cells(opp: Opportunity, step: Step, stage: Stage) -> tuple[str, ...]:
    return (opp.idea, f"{opp.impact or DASH} / {opp.effort or DASH}", stage.name, opp.owner or DASH,
            "; ".join(step.pains) or DASH)


def _column_widths(rows: list[tuple[str, ...]], room: float, col_gap: float, st: Style) -> list[float]:
    """Each column as wide as its longest cell (or heading) up to its cap; on a narrow map the opportunity and
    pains columns give way first."""
    widths = []
    for k, cap in enumerate(CAPS):
        role, weight = ("body", 600) if k == 0 else ("small", 400)
        natural = max([single_line_width(r[k], st, role, weight) for r in rows]
                      + [single_line_width(TITLES[k], st, "small", 600)])
        widths.append(min(cap, natural + 1))
    over = sum(widths) + col_gap * (len(widths) - 1) - room
    flexible = [k for k in (0, 4) if widths[k] > FLOOR]
    slack = sum(widths[k] - FLOOR for k in flexible)
    for k in flexible:
        widths[k] -= min(over, slack) * (widths[k] - FLOOR) / slack if over > 0 else 0
    over -= min(over, slack) if over > 0 else 0
    if over > 0:  # still too wide (a one- or two-step map): every column gives way alike, and its text wraps
        scale = (room - col_gap * (len(widths) - 1)) / sum(widths)
        widths = [cw * scale for cw in widths]
    return widths


def opportunities_panel(journey: Journey, x: float, y: float, w: float, st: Style) -> tuple[list[Item], float]:
    """A ranked table of opportunities, its columns sized to their text; returns its items and height (0 without
    opportunities). The panel is as wide as its table, at most `w`."""
    rows = ranked(journey)
    if not rows:
        return [], 0.0
    pad, gap = st.sp("pad"), st.sp("gap")
    r = max(10.0, single_line_width(str(len(rows)), st, "small", 600) / 2 + 3)  # a disc that holds "100"
    rank_w, col_gap = 2 * r + 12, 3 * gap
    cells = [_cells(*r) for r in rows]
    widths = _column_widths(cells, w - 2 * pad - rank_w, col_gap, st)
    title = "OPPORTUNITIES BY PRIORITY \u2014 QUICK WINS FIRST"
    table_w = rank_w + sum(widths) + col_gap * (len(widths) - 1)
    w = min(w, max(table_w, single_line_width(title, st, "label", 600) + 1) + 2 * pad)
    items: list[Item] = []
    head = st.text(title, x + pad, y + pad, w - 2 * pad, "label", "text-label", weight=600)
    items.append(head)
    cols: list[tuple[float, float]] = []
    cx = x + pad + rank_w
    for cw in widths:
        cols.append((cx, cw))
        cx += cw + col_gap
    cy = head.box.bottom + gap
    headings = [st.text(heading, cx, cy, cw, "small", "text-muted", weight=600) for (cx, cw), heading in zip(cols, TITLES)]
    items.extend(headings)
    cy = max(t.box.bottom for t in headings) + gap  # a narrow column wraps its heading
    # The smaller cells sit on the opportunity's first baseline.
    drop = (st.lh("body") - st.lh("small") + CAP_HEIGHT * (st.size("body") - st.size("small"))) / 2
    for n, row in enumerate(cells, 1):
        items.append(Line(x + pad, cy, x + w - pad, cy, "hairline"))
        cy += gap / 2
        texts: list[Text] = [st.text(t, cx, cy if i == 0 else cy + drop, cw, "body" if i == 0 else "small",
                                     "text-strong" if i == 0 else "text-body", weight=600 if i == 0 else 400)
                             for i, (t, (cx, cw)) in enumerate(zip(row, cols))]
        items.append(Marker(x + pad + r, cy + st.lh("body") / 2, r, "circle", "summary-rank"))
        items.append(st.lines((str(n),), x + pad, cy + st.lh("body") / 2 - st.lh("small") / 2, 2 * r, "small",
                              "text-rank", weight=600, anchor="middle"))
        items.extend(texts)
        cy = max(t.box.bottom for t in texts) + gap / 2
    h = cy + pad - y
    return [Rect(Box(x, y, w, h), "card-summary", rx=st.sp("radius")), *items], h


def confidence_tints(journey: Journey, steps: tuple[tuple[str, Box], ...], grid: Box, top: float) -> list[Item]:
    """One tinted column per step, by its `confidence`; unrated steps get a dotted outline.

    The theme makes the tint fade as confidence grows and hatches the low one, so
    the levels read in greyscale too.
    """
    boxes = dict(steps)
    out: list[Item] = []
    for step in journey.steps:
        b = boxes[step.id]
        cls = f"confidence-{step.confidence}" if step.confidence else "confidence-none"
        out.append(Rect(Box(b.x + 2, top, b.w - 4, grid.bottom - top), cls, rx=4))
    return out


def assumption_badges(journey: Journey, steps: tuple[tuple[str, Box], ...], top: float, st: Style) -> list[Item]:
    """An "Assumption" pill on the top edge of each low-confidence step's first card, at its right."""
    boxes = dict(steps)
    gap, h = st.sp("gap"), st.lh("small")
    w = single_line_width(ASSUMPTION, st, "small", 600) + 12
    out: list[Item] = []
    for step in journey.steps:
        if step.confidence == "low":
            b = boxes[step.id]
            # The lane's cards start `gap` under its top: the pill straddles that edge, clear of their text.
            x, y = b.right - gap - 6 - w, top + gap - h / 2
            out.append(Rect(Box(x, y, w, h), "confidence-badge", rx=h / 2))
            out.append(st.text(ASSUMPTION, x + 6, y, w - 12, "small", "text-confidence-badge", weight=600))
    return out


def confidence_legend(journey: Journey) -> list[tuple[Item, str]]:
    used = {s.confidence for s in journey.steps}
    return [(Rect(Box(0, 0, 20, 14), f"confidence-{level} swatch" if level else "confidence-none", rx=3),
             CONFIDENCE_TEXT[level]) for level in (*LEVELS, None) if level in used]
