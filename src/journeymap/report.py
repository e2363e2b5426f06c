"""The journey in words and numbers: a Markdown or HTML report.

The report is built once as a list of blocks (headings, paragraphs, tables) and
then written out as Markdown or HTML, so both formats always say the same thing.
Everything is ordered by fixed rules, never by hash or time: same map, same bytes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from journeymap.model import Journey, Opportunity, Stage, Step

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


Block = Heading | Paragraph | Table


@dataclass(frozen=True, slots=True)
class _Placed:
    """A step with where it sits in the journey."""

    index: int  # 0-based position among all steps
    stage: Stage
    step: Step


def score_text(value: float) -> str:
    """A score as people write it: 1, -2, 0.5 (never 1.0)."""
    return f"{value:+g}" if value else "0"


def _placed(journey: Journey) -> list[_Placed]:
    steps: list[_Placed] = []
    for stage in journey.stages:
        for step in stage.steps:
            steps.append(_Placed(len(steps), stage, step))
    return steps


def _persona_name(journey: Journey, pid: str) -> str:
    for persona in journey.personas:
        if persona.id == pid:
            return persona.name
    return pid.capitalize()


def _emotion_personas(journey: Journey) -> list[str]:
    """Persona ids that have at least one emotion, in declaration order."""
    used = {pid for step in journey.steps for pid in step.emotions}
    ordered = [pid for pid in journey.persona_ids if pid in used]
    return ordered + sorted(used - set(ordered))


def _label(journey: Journey, score: float) -> str:
    label = journey.emotion_scale.labels.get(int(score)) if float(score).is_integer() else None
    return f"{score_text(score)} ({label})" if label else score_text(score)


def emotion_drop(steps: Sequence[Step], index: int) -> float | None:
    """How far the step's emotion lies below the higher of its neighbours.

    Taken over every persona with a score here and at a neighbour (the largest
    wins); 0 for a step that is not below either neighbour; None when unknown.
    """
    drops: list[float] = []
    for pid, score in steps[index].emotions.items():
        neighbours = [
            steps[j].emotions[pid] for j in (index - 1, index + 1) if 0 <= j < len(steps) and pid in steps[j].emotions
        ]
        if neighbours:
            drops.append(max(0.0, max(neighbours) - score))
    return max(drops) if drops else None


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


def _summary(journey: Journey, placed: list[_Placed]) -> Paragraph:
    touchpoints = sum(len(p.step.touchpoints) for p in placed)
    channels = len({t.channel for p in placed for t in p.step.touchpoints})
    pains = sum(len(p.step.pains) for p in placed)
    opportunities = sum(len(p.step.opportunities) for p in placed)
    moments = sum(p.step.moment_of_truth for p in placed)
    parts = [
        _count(len(journey.stages), "stage"),
        _count(len(placed), "step"),
        f"{_count(touchpoints, 'touchpoint')} on {_count(channels, 'channel')}",
        _count(pains, "pain"),
        _count(opportunities, "opportunity", "opportunities"),
    ]
    if moments:
        parts.append(_count(moments, "moment of truth", "moments of truth"))
    return Paragraph(", ".join(parts) + ".")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _where(p: _Placed) -> str:
    return f"{p.index + 1}. {p.step.action}"


def _emotion_blocks(journey: Journey, placed: list[_Placed]) -> list[Block]:
    personas = _emotion_personas(journey)
    if not personas:
        return [Heading("Emotion"), Paragraph("No step records an emotion.")]
    rows: list[tuple[str, ...]] = []
    for pid in personas:
        scored = [(p, p.step.emotions[pid]) for p in placed if pid in p.step.emotions]
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
        Heading("Low and high points", 3),
        Table(("Persona", "Point", "Emotion", "Step", "Stage"), tuple(rows)),
        Heading("Emotion by stage", 3),
    ]
    stage_rows = []
    for stage in journey.stages:
        cells = [stage.name]
        for pid in personas:
            scores = [s.emotions[pid] for s in stage.steps if pid in s.emotions]
            if scores:
                mean = round(sum(scores) / len(scores), 1)
                cells.append(f"{score_text(mean)} ({score_text(min(scores))} to {score_text(max(scores))})")
            else:
                cells.append(_DASH)
        stage_rows.append(tuple(cells))
    headers = ("Stage", *(f"{_persona_name(journey, pid)}: mean (range)" for pid in personas))
    blocks.append(Table(headers, tuple(stage_rows)))
    return blocks


def _pain_blocks(journey: Journey, placed: list[_Placed]) -> list[Block]:
    steps = [p.step for p in placed]
    ranked = []
    for p in placed:
        drop = emotion_drop(steps, p.index)
        lowest = min(p.step.emotions.values()) if p.step.emotions else None
        for k, pain in enumerate(p.step.pains):
            # Known drops first, deepest first; then the lower emotion; then map order.
            key = (drop is None, -(drop or 0.0), lowest if lowest is not None else float("inf"), p.index, k)
            ranked.append((key, pain, p, drop, lowest))
    ranked.sort(key=lambda item: item[0])
    rows = tuple(
        (
            str(n),
            pain,
            _where(p),
            p.stage.name,
            score_text(lowest) if lowest is not None else _DASH,
            f"{drop:g}" if drop is not None else _DASH,
        )
        for n, (_, pain, p, drop, lowest) in enumerate(ranked, 1)
    )
    blocks: list[Block] = [Heading("Pains ranked by emotion drop")]
    if not rows:
        return blocks + [Paragraph("No pains recorded.")]
    return blocks + [
        Paragraph(
            "Drop: how far the emotion at the step lies below the higher of its neighbouring steps "
            "(the largest over personas)."
        ),
        Table(("#", "Pain", "Step", "Stage", "Emotion", "Drop"), rows, frozenset({0, 4, 5})),
    ]


def _opportunity_blocks(placed: list[_Placed]) -> list[Block]:
    found = [(opportunity_rank(o), p.index, k, o, p) for p in placed for k, o in enumerate(p.step.opportunities)]
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


def _metric_blocks(journey: Journey) -> list[Block]:
    rows = tuple((stage.name, m.name, m.text) for stage in journey.stages for m in stage.metrics)
    blocks: list[Block] = [Heading("Metrics by stage")]
    if not rows:
        return blocks + [Paragraph("No metrics recorded.")]
    return blocks + [Table(("Stage", "Metric", "Value"), rows, frozenset({2}))]


def _channel_blocks(journey: Journey, placed: list[_Placed]) -> list[Block]:
    counts: dict[str, int] = {}
    stages: dict[str, dict[str, None]] = {}
    for p in placed:
        for t in p.step.touchpoints:
            counts[t.channel] = counts.get(t.channel, 0) + 1
            stages.setdefault(t.channel, {})[p.stage.name] = None
    total = sum(counts.values())
    blocks: list[Block] = [Heading("Channel mix")]
    if not total:
        return blocks + [Paragraph("No touchpoints recorded.")]

    def label(cid: str) -> str:
        channel = journey.channels.get(cid)
        return channel.label if channel else cid

    order = sorted(counts, key=lambda cid: (-counts[cid], label(cid), cid))
    rows = tuple(
        (label(cid), str(counts[cid]), f"{round(100 * counts[cid] / total)}%", ", ".join(stages[cid])) for cid in order
    )
    switches = sum(
        1
        for a, b in pairwise(placed)
        if a.step.touchpoints and b.step.touchpoints
        and {t.channel for t in a.step.touchpoints} != {t.channel for t in b.step.touchpoints}
    )
    return blocks + [
        Table(("Channel", "Touchpoints", "Share", "Stages"), rows, frozenset({1, 2})),
        Paragraph(f"Channel switches between consecutive steps: {switches}."),
    ]


def build_report(journey: Journey) -> list[Block]:
    placed = _placed(journey)
    blocks: list[Block] = [Heading(journey.title, 1)]
    if journey.description:
        blocks.append(Paragraph(journey.description))
    for persona in journey.personas:
        who = f"{persona.name} — {persona.segment}" if persona.segment else persona.name
        blocks.append(Paragraph(f"Persona: {who}"))
    if journey.scenario:
        blocks.append(Paragraph(f"Scenario: {journey.scenario}"))
    blocks.append(_summary(journey, placed))
    blocks += _emotion_blocks(journey, placed)
    blocks += _pain_blocks(journey, placed)
    blocks += _opportunity_blocks(placed)
    blocks += _metric_blocks(journey)
    blocks += _channel_blocks(journey, placed)
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
"""


def _html_blocks(blocks: Iterable[Block]) -> Iterable[str]:
    e = html.escape
    for block in blocks:
        if isinstance(block, Heading):
            yield f"<h{block.level}>{e(block.text)}</h{block.level}>"
        elif isinstance(block, Paragraph):
            yield f"<p>{e(block.text)}</p>"
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
