"""CSV: one row per step, the spreadsheet research teams already keep.

Columns are matched by header name, case-insensitively and in any order; spaces
and hyphens count as underscores. Recognised headers (aliases in brackets):

    stage               the stage name; an empty cell continues the stage above  [phase]
    stage_id            the stage's id
    stage_description   what happens in the stage
    stage_metrics       `name=value` pairs, e.g. `nps=38 | csat=78%`  [metrics]
    id                  the step's id  [step_id]
    action              what the customer does (required)  [step]
    thought             what they think or ask  [thoughts]
    feeling             one word
    emotion             a score from -2 to 2  [emotions, score]
    emotion:ID          one column per persona, e.g. `emotion:marcus` (also `emotion (marcus)`)
    touchpoints         `channel`, `channel: name` or `channel: name [owner: Team]`  [touchpoint, channel, channels]
    pains               [pain, pain_points]
    backstage           [backstage_processes]
    opportunities       `idea` or `idea [impact: high, effort: low, owner: Team]`  [opportunity, ideas]
    moment_of_truth     yes/no, true/false, x or empty  [mot]
    evidence            the research source or a quote  [source]

A cell with several values separates them with ` | `. Unknown columns are
reported and ignored. Commas, semicolons and tabs are accepted as delimiters;
a UTF-8 byte-order mark (as Excel writes) is skipped.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.interchange import Exported, number, rescale
from journeymap.model import BUILTIN_CHANNELS, Journey, Opportunity, Touchpoint, slugify
from journeymap.safe_yaml import MAX_NODES, TOO_MANY_VALUES

SEP = " | "
_ALIASES = {
    "stage": "stage", "phase": "stage", "stage_name": "stage",
    "stage_id": "stage_id",
    "stage_description": "stage_description",
    "stage_metrics": "stage_metrics", "metrics": "stage_metrics",
    "id": "id", "step_id": "id",
    "action": "action", "step": "action", "actions": "action",
    "thought": "thought", "thoughts": "thought",
    "feeling": "feeling", "feelings": "feeling",
    "emotion": "emotion", "emotions": "emotion", "score": "emotion",
    "touchpoints": "touchpoints", "touchpoint": "touchpoints", "channel": "touchpoints", "channels": "touchpoints",
    "pains": "pains", "pain": "pains", "pain_points": "pains", "pain_point": "pains",
    "backstage": "backstage", "backstage_processes": "backstage",
    "opportunities": "opportunities", "opportunity": "opportunities", "ideas": "opportunities", "idea": "opportunities",
    "moment_of_truth": "moment_of_truth", "mot": "moment_of_truth",
    "evidence": "evidence", "source": "evidence",
}
_PERSONA_COLUMN = re.compile(r"^emotions?\s*(?::\s*|\(\s*)([a-z0-9][a-z0-9_-]*)\s*\)?$")
_ATTRS = re.compile(r"^(.*?)\s*\[([^\[\]]*)\]$")
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}
_LEVELS = ("low", "medium", "high")
SCALE = (-2.0, 2.0)


class _Rows:
    def __init__(self, filename: str):
        self.filename = filename
        self.diagnostics: list[Diagnostic] = []

    def error(self, message: str, line: int, column: int = 1) -> None:
        self.diagnostics.append(Diagnostic(message, self.filename, line, column, code="E820"))


def _header_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()] if cell.strip() else []


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(",;\t", key=lambda d: (header.count(d), d == ","))


def parse(text: str, filename: str, default_title: str) -> dict[str, Any]:
    rows = _Rows(filename)
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        raise JourneyError([Diagnostic("the CSV file is empty", filename, 1, 1, code="E820")]) from None
    except csv.Error as exc:
        raise JourneyError([Diagnostic(f"unreadable CSV: {exc}", filename, 1, 1, code="E820")]) from None

    columns: dict[str, int] = {}
    persona_columns: dict[str, int] = {}
    offset = 1
    for index, name in enumerate(header):
        key = _header_key(name)
        persona = _PERSONA_COLUMN.match(name.strip().lower())
        if persona:
            persona_columns[persona.group(1)] = index
        elif key in _ALIASES and _ALIASES[key] not in columns:
            columns[_ALIASES[key]] = index
        elif key in _ALIASES:
            rows.error(f"two columns mean {_ALIASES[key]!r}: {name!r} repeats an earlier column", 1, offset)
        elif key:
            rows.error(f"unknown column {name!r}; see `journeymap import --help` for the column names", 1, offset)
        offset += len(name) + 1
    if "action" not in columns:
        rows.error("the CSV needs an `action` column (one row per step)", 1, 1)
    if "emotion" in columns and persona_columns:
        rows.error("use either one `emotion` column or `emotion:ID` columns per persona, not both", 1, 1)
    if rows.diagnostics:
        raise JourneyError(rows.diagnostics)

    stages: list[dict[str, Any]] = []
    line = reader.line_num
    try:
        records = _records(reader, line, filename)
    except csv.Error as exc:
        raise JourneyError([Diagnostic(f"unreadable CSV: {exc}", filename, reader.line_num, 1, code="E820")]) from None
    for line_no, row in records:
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        stage_name, stage_id = cell("stage"), cell("stage_id")
        current = stages[-1] if stages else None
        if stage_name or stage_id:
            if current is None or (stage_name and stage_name != current["name"]) or (
                stage_id and stage_id != current.get("id")
            ):
                current = {"name": stage_name or stage_id, "steps": []}
                if stage_id:
                    current["id"] = stage_id
                stages.append(current)
        if current is None:
            rows.error("the first step has no stage: fill in the `stage` column", line_no)
            continue
        if cell("stage_description") and "description" not in current:
            current["description"] = cell("stage_description")
        for metric in _split(cell("stage_metrics")):
            name, sep, value = metric.partition("=")
            if not sep:
                name, sep, value = metric.partition(":")
            if not sep or not name.strip():
                rows.error(f"a stage metric must be `name=value`, found {metric!r}", line_no)
                continue
            current.setdefault("metrics", {})[name.strip()] = _metric_value(value.strip())
        step = _step(cell, persona_columns, row, line_no, rows)
        if step is not None:
            current["steps"].append(step)
    if rows.diagnostics:
        raise JourneyError(rows.diagnostics)
    if not stages:
        raise JourneyError([Diagnostic("the CSV has no steps", filename, 2, 1, code="E820")])

    doc: dict[str, Any] = {"journeymap": 1, "title": default_title}
    ids = list(persona_columns)
    if len(ids) == 1:
        doc["persona"] = {"id": ids[0], "name": ids[0].replace("-", " ").replace("_", " ").title()}
    elif ids:
        doc["personas"] = [{"id": i, "name": i.replace("-", " ").replace("_", " ").title()} for i in ids]
    # Channels that are not built in must be declared for the map to be valid.
    steps = [s for st in stages for s in st["steps"]]
    used = {t if isinstance(t, str) else t["channel"] for s in steps for t in s.get("touchpoints", ())}
    custom = sorted(used - set(BUILTIN_CHANNELS))
    if custom:
        doc["channels"] = {cid: {"label": cid.replace("-", " ").replace("_", " ").capitalize()} for cid in custom}
    doc["stages"] = stages
    return doc


def _records(reader: Any, line: int, filename: str) -> list[tuple[int, list[str]]]:
    """(line number, row) of every row; stops once the filled cells alone pass the loader's value cap,
    before a huge sheet is held in memory several times over."""
    records, cells = [], 0
    for row in reader:
        cells += sum(1 for cell in row if cell.strip())
        if cells > MAX_NODES:
            message = TOO_MANY_VALUES.replace("the document", "the CSV")
            raise JourneyError([Diagnostic(message, filename, line + 1, 1, code="E009")])
        records.append((line + 1, row))
        line = reader.line_num
    return records


def _metric_value(text: str) -> int | float | str:
    try:
        return number(float(text)) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text
    except ValueError:
        return text


def _score(text: str, what: str, line: int, rows: _Rows) -> int | float | None:
    try:
        value = float(text)
    except ValueError:
        rows.error(f"{what} must be a number from -2 to 2, found {text!r}", line)
        return None
    if not SCALE[0] <= value <= SCALE[1]:
        rows.error(f"{what} {number(value)} is outside the scale -2..2", line)
        return None
    return number(value)


def _attrs(text: str, allowed: tuple[str, ...]) -> tuple[str, dict[str, str]] | None:
    """Split `text [key: value, ...]`; None when the brackets hold something else."""
    match = _ATTRS.match(text)
    if not match:
        return text, {}
    attrs: dict[str, str] = {}
    for part in match.group(2).split(","):
        key, sep, value = part.partition(":")
        key = key.strip().lower()
        if not sep or key not in allowed or not value.strip():
            return None
        attrs[key] = value.strip()
    return match.group(1), attrs


def _step(cell: Any, persona_columns: dict[str, int], row: list[str], line: int, rows: _Rows) -> dict[str, Any] | None:
    action = cell("action")
    if not action:
        rows.error("the row has no action: every step needs one", line)
        return None
    step: dict[str, Any] = {}
    if cell("id"):
        step["id"] = cell("id")
    step["action"] = action
    thoughts = _split(cell("thought"))
    if thoughts:
        step["thought"] = thoughts[0] if len(thoughts) == 1 else thoughts
    if cell("feeling"):
        step["feeling"] = cell("feeling")
    if cell("emotion"):
        score = _score(cell("emotion"), "emotion", line, rows)
        if score is not None:
            step["emotion"] = score
    scores: dict[str, int | float] = {}
    for pid, index in persona_columns.items():
        text = row[index].strip() if index < len(row) else ""
        if text:
            score = _score(text, f"emotion for {pid!r}", line, rows)
            if score is not None:
                scores[pid] = score
    if scores:
        step["emotion"] = next(iter(scores.values())) if len(persona_columns) == 1 else scores
    touchpoints = []
    for item in _split(cell("touchpoints")):
        parsed = _attrs(item, ("owner",))
        if parsed is None:
            rows.error(f"a touchpoint is `channel: name [owner: Team]`, found {item!r}", line)
            continue
        text, attrs = parsed
        channel, _, name = text.partition(":")
        tp: dict[str, str] = {"channel": slugify(channel)}
        if name.strip():
            tp["name"] = name.strip()
        tp.update(attrs)
        touchpoints.append(tp["channel"] if len(tp) == 1 else tp)
    if touchpoints:
        step["touchpoints"] = touchpoints
    for key in ("pains", "backstage"):
        if _split(cell(key)):
            step[key] = _split(cell(key))
    opportunities: list[Any] = []
    for item in _split(cell("opportunities")):
        parsed = _attrs(item, ("impact", "effort", "owner"))
        if parsed is None:
            parsed = (item, {})
        idea, attrs = parsed
        for level in ("impact", "effort"):
            if level in attrs and attrs[level].lower() not in _LEVELS:
                rows.error(f"{level} must be low, medium or high, found {attrs[level]!r}", line)
            elif level in attrs:
                attrs[level] = attrs[level].lower()
        opportunities.append({"idea": idea, **attrs} if attrs else idea)
    if opportunities:
        step["opportunities"] = opportunities
    mot = cell("moment_of_truth").lower()
    if mot in _TRUE:
        step["moment_of_truth"] = True
    elif mot not in _FALSE:
        rows.error(f"moment_of_truth must be yes or no, found {cell('moment_of_truth')!r}", line)
    if cell("evidence"):
        step["evidence"] = cell("evidence")
    return step


def _touchpoint_cell(tp: Touchpoint) -> str:
    text = f"{tp.channel}: {tp.name}" if tp.name else tp.channel
    return f"{text} [owner: {tp.owner}]" if tp.owner else text


def _opportunity_cell(op: Opportunity) -> str:
    attrs = [f"{k}: {v}" for k, v in (("impact", op.impact), ("effort", op.effort), ("owner", op.owner)) if v]
    return f"{op.idea} [{', '.join(attrs)}]" if attrs else op.idea


def dump(journey: Journey) -> Exported:
    scale = (float(journey.emotion_scale.min), float(journey.emotion_scale.max))
    persona_ids = journey.persona_ids
    per_persona = len(persona_ids) > 1
    emotion_headers = [f"emotion:{pid}" for pid in persona_ids] if per_persona else ["emotion"]
    header = ["stage", "stage_id", "stage_description", "stage_metrics", "id", "action", "thought", "feeling",
              *emotion_headers, "touchpoints", "pains", "backstage", "opportunities", "moment_of_truth", "evidence"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for stage in journey.stages:
        for index, step in enumerate(stage.steps):
            first = index == 0
            scores = [
                str(number(rescale(step.emotions[pid], scale, SCALE))) if pid in step.emotions else ""
                for pid in persona_ids
            ]
            writer.writerow([
                stage.name if first else "",
                stage.id if first else "",
                (stage.description or "") if first else "",
                SEP.join(f"{m.name}={m.text}" for m in stage.metrics) if first else "",
                step.id,
                step.action,
                SEP.join(step.thoughts),
                step.feeling or "",
                *scores,
                SEP.join(_touchpoint_cell(t) for t in step.touchpoints),
                SEP.join(step.pains),
                SEP.join(step.backstage),
                SEP.join(_opportunity_cell(o) for o in step.opportunities),
                "yes" if step.moment_of_truth else "",
                step.evidence or "",
            ])
    return Exported(out.getvalue(), tuple(_notes(journey, scale)))


def _notes(journey: Journey, scale: tuple[float, float]) -> list[str]:
    checks = [
        ("title", True),
        ("description", bool(journey.description)),
        ("scenario", bool(journey.scenario)),
        ("persona names and details" if len(journey.personas) > 1 else "persona", bool(journey.personas)),
        ("emotion labels", bool(journey.emotion_scale.labels)),
        ("channel labels", any(
            c.label != (BUILTIN_CHANNELS.get(c.id) or c.id.replace("-", " ").capitalize()) or c.icon != c.id
            for c in journey.channels.values())),
    ]
    lost = [name for name, present in checks if present]
    notes = ["CSV keeps one row per step: dropped " + ", ".join(lost)]
    if scale != SCALE:
        notes.append(f"emotions were rescaled from {number(scale[0])}..{number(scale[1])} to -2..2")
    return notes
