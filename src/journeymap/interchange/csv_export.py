"""CSV out: one row per step, in the columns `csv_format` reads, and what a CSV cannot hold.

Steps on alternative paths follow the step they branch off from, with their path in
the `path` columns. What is lost (the title, persona details, ...) is named item by
item, precisely enough that a round trip differs from the map in exactly those.
"""

from __future__ import annotations

import csv
import io

from journeymap.interchange import Exported, number, rescale
from journeymap.interchange.csv_format import (HEADERS, NUMBER, SCALE, SEP, default_label, evidence_item,
                                               join_values, persona_name)
from journeymap.model import Journey, Opportunity, Process, Stage, Step, Touchpoint, default_lanes

__all__ = ["SEP", "dump", "lost_parts"]


def _touchpoint_cell(tp: Touchpoint) -> str:
    text = f"{tp.channel}: {tp.name}" if tp.name else tp.channel
    return f"{text} [owner: {tp.owner}]" if tp.owner else text


def _opportunity_cell(op: Opportunity) -> str:
    attrs = [f"{k}: {v}" for k, v in (("impact", op.impact), ("effort", op.effort), ("owner", op.owner)) if v]
    return f"{op.idea} [{', '.join(attrs)}]" if attrs else op.idea


def _process_cell(process: Process) -> str:
    return f"{process.process} [owner: {process.owner}]" if process.owner else process.process


def dump(journey: Journey) -> Exported:
    scale = (float(journey.emotion_scale.min), float(journey.emotion_scale.max))
    persona_ids = journey.persona_ids
    emotion_headers = [f"emotion:{p.id}" for p in journey.personas] or ["emotion"]
    header = [*HEADERS[:9], *emotion_headers, *HEADERS[10:]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)

    def write(stage: Stage | None, step: Step, path: tuple[str, str, str] = ("", "", "")) -> None:
        scores = [
            str(number(rescale(step.emotions[pid], scale, SCALE))) if pid in step.emotions else ""
            for pid in persona_ids
        ]
        metrics = (join_values(f"{m.name}={m.text}" for m in stage.metrics),
                   join_values(f"{m.name}={m.text}" for m in stage.targets)) if stage else ("", "")
        writer.writerow([
            stage.name if stage else "",
            stage.id if stage else "",
            (stage.description or "") if stage else "",
            *metrics,
            step.id,
            step.action,
            join_values(step.thoughts),
            step.feeling or "",
            *scores,
            join_values(_touchpoint_cell(t) for t in step.touchpoints),
            join_values(step.pains),
            join_values(_process_cell(p) for p in step.backstage_items),
            join_values(_process_cell(p) for p in step.support),
            join_values(_opportunity_cell(o) for o in step.opportunities),
            "yes" if step.moment_of_truth else "",
            join_values(e.text for e in step.evidence_items),
            step.confidence or "",
            *path,
            step.next or "",
            "yes" if step.exit else "",
            step.exit_reason or "",
        ])

    for stage in journey.stages:
        for index, step in enumerate(stage.steps):
            write(stage if index == 0 else None, step)
            for branch in step.paths:
                for k, sub in enumerate(branch.steps):
                    write(None, sub, (branch.name, branch.id, (branch.rejoin or "") if k == 0 else ""))
    return Exported(out.getvalue(), tuple(_notes(journey, scale)))


# --- what CSV cannot hold -------------------------------------------------------------------------

def _texts(journey: Journey) -> list[str]:
    """Every text a row holds, to find those whose surrounding spaces CSV trims."""
    out: list[str] = []
    for stage in journey.stages:
        out += [stage.name, stage.description or ""] + [m.name for m in (*stage.metrics, *stage.targets)]
        out += [m.value for m in (*stage.metrics, *stage.targets) if isinstance(m.value, str)]
    for step in journey.every_step:
        out += [step.action, step.feeling or "", step.exit_reason or "", *step.thoughts, *step.pains]
        out += [t for tp in step.touchpoints for t in (tp.name or "", tp.owner or "")]
        out += [t for p in (*step.backstage_items, *step.support) for t in (p.process, p.owner or "")]
        out += [t for o in step.opportunities for t in (o.idea, o.owner or "")]
        out += [t for e in step.evidence_items for t in (e.source, e.quote or "")]
        out += [b.name for b in step.paths]
    return out


def lost_parts(journey: Journey) -> list[str]:
    """What a CSV of this journey cannot hold, each named precisely; the title is always among them."""
    lost = ["title"]
    lost += [name for name, text in (("description", journey.description), ("scenario", journey.scenario)) if text]
    renamed = [p.id for p in journey.personas if p.name != persona_name(p.id)]
    if renamed:
        lost.append(f"persona names ({', '.join(renamed)})")
    details = [p.id for p in journey.personas
               if p.segment or p.description or p.goals or p.expectations or p.frustrations or p.quote]
    if details:
        lost.append(f"persona details ({', '.join(details)})")
    if journey.emotion_scale.labels:
        lost.append("emotion labels")
    used = {t.channel for s in journey.every_step for t in s.touchpoints}
    relabelled = [c.id for c in journey.channels.values()
                  if c.id in used and (c.label != default_label(c.id) or c.icon != c.id)]
    if relabelled:
        lost.append(f"channel labels and icons ({', '.join(relabelled)})")
    unused = [cid for cid in journey.channels if cid not in used]
    if unused:
        lost.append(f"unused channels ({', '.join(unused)})")
    if journey.lanes != default_lanes(journey.stages):
        lost.append("lanes")
    numeric = [f"{m.name}" for st in journey.stages for m in (*st.metrics, *st.targets)
               if isinstance(m.value, str) and NUMBER.fullmatch(m.value.strip())]
    if numeric:
        lost.append(f"the quotes of metric values written as text ({', '.join(numeric)})")
    reread = sum(1 for s in journey.every_step for e in s.evidence_items
                 if not (e.quote or e.sample_size) and evidence_item(e.source) != e.source)
    if reread:
        lost.append(f"{reread} evidence text{'s' * (reread != 1)} that read back as a source with a quote or size")
    padded = sum(1 for text in _texts(journey) if text != text.strip())
    if padded:
        lost.append(f"spaces and line breaks around {padded} text{'s' * (padded != 1)}")
    return lost


def _notes(journey: Journey, scale: tuple[float, float]) -> list[str]:
    notes = ["CSV keeps the stages and steps, one row per step; dropped: " + "; ".join(lost_parts(journey))]
    if scale != SCALE:
        notes.append(f"emotions were rescaled from {number(scale[0])}..{number(scale[1])} to -2..2")
    return notes
