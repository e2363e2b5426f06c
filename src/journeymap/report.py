"""The journey in words and numbers: a Markdown or HTML report.

The report is built once as a list of blocks (headings, paragraphs, tables, and
the emotion curve as a figure) and then written out as Markdown or HTML, so both
formats always say the same thing; only HTML draws the figure, whose numbers the
tables hold too. Every step counts, those on alternative paths as well
(journeymap.walk), and emotion drops are measured along the journey's flow.
Everything is ordered by fixed rules, never by hash or time: same map, same bytes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from journeymap.model import Journey, Opportunity
from journeymap.walk import (
    Placed,
    channel_label,
    nearest_scored,
    placed,
    predecessors,
    successors,
)

# Priority order: high impact first, then low effort; unrated values come last.
_IMPACT_RANK = {"high": 0, "medium": 1, "low": 2, None: 3}
_EFFORT_RANK = {"low": 0, "medium": 1, "high": 2, None: 3}
_DASH = "—"


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Columns holding numbers are right-aligned.
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture of numbers the report also gives as text: drawn in HTML only."""

    svg: str  # an inline SVG element, already escaped
    caption: str


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True, slots=True)
class Drop:
    """How far a step's emotion lies below the highest of the steps just before and after it."""

    points: float
    personas: tuple[str, ...]  # whose drop it is: the persona ids with the largest, in declaration order


def score_text(value: float) -> str:
    """A score as people write it: 1, -2, 0.5 (never 1.0)."""
    return f"{value:+g}" if value else "0"


def _persona_name(journey: Journey, pid: str) -> str:
    for persona in journey.personas:
        if persona.id == pid:
            return persona.name
    return pid.capitalize()


def _emotion_personas(journey: Journey) -> list[str]:
    """Persona ids that have at least one emotion, in declaration order."""
    return _order(journey, {pid for step in journey.every_step for pid in step.emotions})


def _label(journey: Journey, score: float) -> str:
    label = journey.emotion_scale.labels.get(int(score)) if float(score).is_integer() else None
    return f"{score_text(score)} ({label})" if label else score_text(score)


def emotion_drops(journey: Journey) -> dict[str, Drop]:
    """Step id -> its drop, for steps with a score that have a scored step before or after them.

    Neighbours are found along the flow (paths, rejoins and `next` included), looking
    through steps without an emotion; 0 for a step that is not below any of them.
    """
    flow = successors(journey)
    edges = (flow, predecessors(flow))
    by_id = {s.id: s for s in journey.every_step}
    out: dict[str, Drop] = {}
    for step in journey.every_step:
        drops: dict[str, float] = {}
        for pid, score in step.emotions.items():
            around = [n.emotions[pid] for e in edges for n, _ in nearest_scored(step.id, e, by_id, pid)]
            if around:
                drops[pid] = max(0.0, max(around) - score)
        if drops:
            top = max(drops.values())
            out[step.id] = Drop(top, tuple(pid for pid in _order(journey, drops) if drops[pid] == top))
    return out


def _order(journey: Journey, pids: Iterable[str]) -> list[str]:
    """Persona ids in declaration order, undeclared ones last by name."""
    given = set(pids)
    return [pid for pid in journey.persona_ids if pid in given] + sorted(given - set(journey.persona_ids))


OPPORTUNITY_ORDER = ("Quick wins first (high impact, low effort), then by impact less effort, higher impact first "
                     "where that ties; opportunities without both ratings last; then position in the map.")


def opportunity_rank(opp: Opportunity) -> tuple[int, int, int]:
    """The sort key of OPPORTUNITY_ORDER, shared by the report's table and the map's summary panel.

    high/low, then high/medium and medium/low, then high/high, medium/medium and low/low, and so on: a
    medium-impact, low-effort idea comes before a high-impact, high-effort one.
    """
    impact, effort = _IMPACT_RANK.get(opp.impact, 3), _EFFORT_RANK.get(opp.effort, 3)
    if opp.impact is None or opp.effort is None:
        return 1, impact, effort
    return 0, impact + effort, impact


def _summary(journey: Journey, steps: list[Placed]) -> Paragraph:
    touchpoints = sum(len(p.step.touchpoints) for p in steps)
    channels = len({t.channel for p in steps for t in p.step.touchpoints})
    pains = sum(len(p.step.pains) for p in steps)
    opportunities = sum(len(p.step.opportunities) for p in steps)
    moments = sum(p.step.moment_of_truth for p in steps)
    on_paths = sum(p.branch is not None for p in steps)
    parts = [
        _count(len(journey.stages), "stage"),
        _count(len(steps), "step") + (f" ({on_paths} on alternative paths)" if on_paths else ""),
        f"{_count(touchpoints, 'touchpoint')} on {_count(channels, 'channel')}",
        _count(pains, "pain"),
        _count(opportunities, "opportunity", "opportunities"),
    ]
    if moments:
        parts.append(_count(moments, "moment of truth", "moments of truth"))
    return Paragraph(", ".join(parts) + ".")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _where(p: Placed) -> str:
    on = f" (path: {p.branch.name})" if p.branch else ""
    return f"{p.label}. {p.step.action}{on}"


def _emotion_blocks(journey: Journey, steps: list[Placed]) -> list[Block]:
    from journeymap.report_curve import emotion_curve

    personas = _emotion_personas(journey)
    if not personas:
        return [Heading("Emotion"), Paragraph("No step records an emotion.")]
    rows: list[tuple[str, ...]] = []
    for pid in personas:
        scored = [(p, p.step.emotions[pid]) for p in steps if pid in p.step.emotions]
        for kind, target in (("Low", min(s for _, s in scored)), ("High", max(s for _, s in scored))):
            at = [p for p, s in scored if s == target]
            rows.append((
                _persona_name(journey, pid),
                kind,
                _label(journey, target),
                "; ".join(_where(p) for p in at),
                "; ".join(dict.fromkeys(p.stage.name for p in at)),
            ))
    blocks: list[Block] = [
        Heading("Emotion"),
        Figure(emotion_curve(journey), "The emotion curve"),
        Heading("Low and high points", 3),
        Table(("Persona", "Point", "Emotion", "Step", "Stage"), tuple(rows)),
        Heading("Emotion by stage", 3),
    ]
    stage_rows = []
    for stage in journey.stages:
        cells = [stage.name]
        for pid in personas:
            scores = [p.step.emotions[pid] for p in steps if p.stage is stage and pid in p.step.emotions]
            if scores:
                mean = round(sum(scores) / len(scores), 1)
                cells.append(f"{score_text(mean)} ({score_text(min(scores))} to {score_text(max(scores))})")
            else:
                cells.append(_DASH)
        stage_rows.append(tuple(cells))
    headers = ("Stage", *(f"{_persona_name(journey, pid)}: mean (range)" for pid in personas))
    blocks.append(Table(headers, tuple(stage_rows)))
    return blocks


def _scores(journey: Journey, p: Placed, personas: list[str]) -> str:
    """The step's emotion, or with several personas each one's, named."""
    if len(personas) < 2:
        return ", ".join(_label(journey, v) for v in p.step.emotions.values()) or _DASH
    return "; ".join(f"{_persona_name(journey, pid)} {_label(journey, p.step.emotions[pid])}"
                     for pid in personas if pid in p.step.emotions) or _DASH


def _moment_blocks(journey: Journey, steps: list[Placed]) -> list[Block]:
    moments = [p for p in steps if p.step.moment_of_truth]
    blocks: list[Block] = [Heading("Moments of truth")]
    if not moments:
        return blocks + [Paragraph("No step is marked as a moment of truth.")]
    personas = _emotion_personas(journey)
    rows = tuple((_where(p), p.stage.name, _scores(journey, p, personas), "; ".join(p.step.pains) or _DASH)
                 for p in moments)
    return blocks + [Table(("Step", "Stage", "Emotion", "Pains"), rows)]


def _pain_blocks(journey: Journey, steps: list[Placed]) -> list[Block]:
    drops = emotion_drops(journey)
    several = len(_emotion_personas(journey)) > 1
    ranked = []
    for n, p in enumerate(steps):
        drop = drops.get(p.step.id)
        # Whose pain it is: the persona with the largest drop here, or else the lowest emotion.
        if drop is not None:
            who = drop.personas
        elif p.step.emotions:
            low = min(p.step.emotions.values())
            who = tuple(pid for pid in _order(journey, p.step.emotions) if p.step.emotions[pid] == low)
        else:
            who = ()
        emotion = p.step.emotions[who[0]] if who else None
        for k, pain in enumerate(p.step.pains):
            # Known drops first, deepest first; then the lower emotion; then map order.
            points = drop.points if drop else None
            key = (points is None, -(points or 0.0), emotion if emotion is not None else float("inf"), n, k)
            ranked.append((key, pain, p, points, emotion, who))
    ranked.sort(key=lambda item: item[0])
    rows = tuple(
        (
            str(n),
            pain,
            _where(p),
            p.stage.name,
            *((", ".join(_persona_name(journey, pid) for pid in who) or _DASH,) if several else ()),
            score_text(emotion) if emotion is not None else _DASH,
            f"{points:g}" if points is not None else _DASH,
        )
        for n, (_, pain, p, points, emotion, who) in enumerate(ranked, 1)
    )
    blocks: list[Block] = [Heading("Pains ranked by emotion drop")]
    if not rows:
        return blocks + [Paragraph("No pains recorded.")]
    whose = (" Persona: whose drop it is; Emotion: theirs at the step." if several else "")
    headers = ("#", "Pain", "Step", "Stage", *(("Persona",) if several else ()), "Emotion", "Drop")
    return blocks + [
        Paragraph(
            "Drop: how far the emotion at the step lies below the highest of the steps before and after it along the "
            "journey, paths and loops included (a step without an emotion is looked through); the largest over "
            "personas." + whose
        ),
        Table(headers, rows, frozenset({0, len(headers) - 2, len(headers) - 1})),
    ]


def _opportunity_blocks(steps: list[Placed]) -> list[Block]:
    found = [(opportunity_rank(o), n, k, o, p) for n, p in enumerate(steps) for k, o in enumerate(p.step.opportunities)]
    found.sort(key=lambda item: item[:3])
    rows = tuple(
        (str(n), o.idea, o.impact or _DASH, o.effort or _DASH, o.owner or _DASH, _where(p), p.stage.name,
         "; ".join(p.step.pains) or _DASH)
        for n, (_, _, _, o, p) in enumerate(found, 1)
    )
    blocks: list[Block] = [Heading("Opportunities by priority")]
    if not rows:
        return blocks + [Paragraph("No opportunities recorded.")]
    return blocks + [
        Paragraph(OPPORTUNITY_ORDER),
        Table(("#", "Opportunity", "Impact", "Effort", "Owner", "Step", "Stage", "Pains beside it"), rows,
              frozenset({0})),
    ]


def gap_text(value: float | str, target: float | str) -> str:
    """A metric's distance from its target as the map's metrics lane writes it: "−7", "+2 pts", "±0"."""
    from journeymap.layouts import num
    from journeymap.layouts.metrics import parse

    a, b = parse(value), parse(target)
    if a is None or b is None:
        return _DASH
    diff = a[0] - b[0]
    sign = "+" if diff > 0 else "\u2212" if diff < 0 else "\u00b1"
    return f"{sign}{num(abs(diff))}{' pts' if a[1] else ''}"


def _metric_blocks(journey: Journey) -> list[Block]:
    blocks: list[Block] = [Heading("Metrics by stage")]
    if not any(stage.targets for stage in journey.stages):
        rows = tuple((stage.name, m.name, m.text) for stage in journey.stages for m in stage.metrics)
        return blocks + ([Table(("Stage", "Metric", "Value"), rows, frozenset({2}))] if rows
                         else [Paragraph("No metrics recorded.")])
    out: list[tuple[str, ...]] = []
    for stage in journey.stages:
        for m in stage.metrics:
            target = stage.target(m.name)
            out.append((stage.name, m.name, m.text, target.text if target else _DASH,
                        gap_text(m.value, target.value) if target else _DASH))
        reported = {m.name for m in stage.metrics}
        out += [(stage.name, t.name, _DASH, t.text, _DASH) for t in stage.targets if t.name not in reported]
    return blocks + [
        Paragraph("Gap: the value minus its target (pts: percentage points)."),
        Table(("Stage", "Metric", "Value", "Target", "Gap"), tuple(out), frozenset({2, 3, 4})),
    ]


def _channel_blocks(journey: Journey, steps: list[Placed]) -> list[Block]:
    counts: dict[str, int] = {}
    stages: dict[str, dict[str, None]] = {}
    for p in steps:
        for t in p.step.touchpoints:
            counts[t.channel] = counts.get(t.channel, 0) + 1
            stages.setdefault(t.channel, {})[p.stage.name] = None
    total = sum(counts.values())
    blocks: list[Block] = [Heading("Channel mix")]
    if not total:
        return blocks + [Paragraph("No touchpoints recorded.")]

    def label(cid: str) -> str:
        return channel_label(journey, cid)

    order = sorted(counts, key=lambda cid: (-counts[cid], label(cid), cid))
    rows = tuple(
        (label(cid), str(counts[cid]), f"{round(100 * counts[cid] / total)}%", ", ".join(stages[cid])) for cid in order
    )
    # Consecutive along the flow: into and out of paths, at rejoins and loops.
    channels = {p.step.id: {t.channel for t in p.step.touchpoints} for p in steps}
    switches = sum(1 for a, targets in successors(journey).items() for b in targets
                   if channels.get(a) and channels.get(b) and channels[a] != channels[b])
    return blocks + [
        Table(("Channel", "Touchpoints", "Share", "Stages"), rows, frozenset({1, 2})),
        Paragraph(f"Channel switches between consecutive steps: {switches}."),
    ]


def build_report(journey: Journey) -> list[Block]:
    steps = placed(journey)
    blocks: list[Block] = [Heading(journey.title, 1)]
    if journey.description:
        blocks.append(Paragraph(journey.description))
    for persona in journey.personas:
        who = f"{persona.name} — {persona.segment}" if persona.segment else persona.name
        blocks.append(Paragraph(f"Persona: {who}"))
    if journey.scenario:
        blocks.append(Paragraph(f"Scenario: {journey.scenario}"))
    blocks.append(_summary(journey, steps))
    blocks += _emotion_blocks(journey, steps)
    blocks += _moment_blocks(journey, steps)
    blocks += _pain_blocks(journey, steps)
    blocks += _opportunity_blocks(steps)
    blocks += _metric_blocks(journey)
    blocks += _channel_blocks(journey, steps)
    return blocks


# --- Markdown -----------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})


def _md(text: str, paragraph: bool = False) -> str:
    """Inline Markdown text: special characters escaped, on one line."""
    text = " ".join(text.split()).translate(_MD_SPECIAL)
    # At the start of a paragraph these would make a heading or a list item.
    return "\\" + text if paragraph and re.match(r"[#+-]|\d+[.)]", text) else text


def _md_blocks(blocks: Iterable[Block]) -> Iterable[str]:
    for block in blocks:
        if isinstance(block, Heading):
            yield "#" * block.level + " " + _md(block.text)
        elif isinstance(block, Paragraph):
            yield _md(block.text, paragraph=True)
        elif isinstance(block, Figure):
            continue  # the tables beside it give the same numbers as text
        else:
            yield "\n".join(
                [
                    "| " + " | ".join(_md(h) for h in block.headers) + " |",
                    "| " + " | ".join("---:" if i in block.numeric else "---" for i in range(len(block.headers))) + " |",
                    *("| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows),
                ]
            )


def to_markdown(journey: Journey) -> str:
    return "\n\n".join(_md_blocks(build_report(journey))) + "\n"


# --- HTML ---------------------------------------------------------------------

_CSS = """\
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:64rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.8rem;margin:0 0 .5rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:.5rem 0 1rem}figure svg{display:block;max-width:100%;height:auto}
figcaption{color:#556070;font-size:.85rem}
"""


def _html_blocks(blocks: Iterable[Block]) -> Iterable[str]:
    e = html.escape
    for block in blocks:
        if isinstance(block, Heading):
            yield f"<h{block.level}>{e(block.text)}</h{block.level}>"
        elif isinstance(block, Paragraph):
            yield f"<p>{e(block.text)}</p>"
        elif isinstance(block, Figure):
            yield f"<figure>\n{block.svg}\n<figcaption>{e(block.caption)}</figcaption>\n</figure>"
        else:

            def cell(tag: str, i: int, text: str, numeric: frozenset[int] = block.numeric) -> str:
                cls = ' class="num"' if i in numeric else ""
                return f"<{tag}{cls}>{e(text)}</{tag}>"

            head = "".join(cell("th", i, h) for i, h in enumerate(block.headers))
            body = "\n".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in block.rows)
            yield f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def to_html(journey: Journey) -> str:
    body = "\n".join(_html_blocks(build_report(journey)))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(journey.title)} — journey report</title>\n<style>\n{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
