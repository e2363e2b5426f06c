"""CSV: one row per step, the spreadsheet research teams already keep.

Columns are matched by header name, case-insensitively and in any order; spaces
and hyphens count as underscores. Recognised headers (aliases in brackets):

    stage               the stage name; an empty cell continues the stage above  [phase]
    stage_id            the stage's id
    stage_description   what happens in the stage
    stage_metrics       `name=value` pairs, e.g. `nps=38 | csat=78%`  [metrics]
    stage_targets       `name=value` pairs: the stage's metric targets  [targets]
    id                  the step's id  [step_id]
    action              what the customer does (required)  [step]
    thought             what they think or ask  [thoughts]
    feeling             one word
    emotion             a score from -2 to 2  [emotions, score]
    emotion:ID          one column per persona, e.g. `emotion:marcus` (also `emotion (marcus)`)
    touchpoints         `channel`, `channel: name` or `channel: name [owner: Team]`  [touchpoint, channel, channels]
    pains               [pain, pain_points]
    backstage           `process` or `process [owner: Team]`  [backstage_processes]
    support             `process` or `process [owner: Team]`: the systems and teams behind the step
    opportunities       `idea` or `idea [impact: high, effort: low, owner: Team]`  [opportunity, ideas]
    moment_of_truth     yes/no, true/false, x or empty  [mot]
    evidence            `source`, `source (n=12)` or `source (n=12): “quote”`  [source]
    confidence          low, medium or high
    path                on a step of an alternative path: the path's name; the path branches off
                        after the nearest main-path step above  [path_name]
    path_id             the path's id
    rejoin              on a path's first step: the id of the main-path step where it rejoins
    next                the id of the step that follows instead of the next row  [next_step]
    exit                yes when the customer leaves the journey here
    exit_reason         why they leave

A cell with several values separates them with ` | ` (a `|` inside a value is
written `\\|`). Unknown columns, and cells beyond the last column, are errors.
Commas, semicolons and tabs are accepted as delimiters; a UTF-8 byte-order mark
(as Excel writes) is skipped. Export, and what it cannot hold: `csv_export`.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.interchange import number
from journeymap.messages import closest
from journeymap.model import BUILTIN_CHANNELS, slugify
from journeymap.safe_yaml import MAX_NODES, TOO_MANY_VALUES

SEP = " | "
HEADERS = ("stage", "stage_id", "stage_description", "stage_metrics", "stage_targets", "id", "action", "thought",
           "feeling", "emotion", "touchpoints", "pains", "backstage", "support", "opportunities", "moment_of_truth",
           "evidence", "confidence", "path", "path_id", "rejoin", "next", "exit", "exit_reason")
_ALIASES = {
    **{name: name for name in HEADERS},
    "phase": "stage", "stage_name": "stage",
    "metrics": "stage_metrics", "targets": "stage_targets",
    "step_id": "id",
    "step": "action", "actions": "action",
    "thoughts": "thought",
    "feelings": "feeling",
    "emotions": "emotion", "score": "emotion",
    "touchpoint": "touchpoints", "channel": "touchpoints", "channels": "touchpoints",
    "pain": "pains", "pain_points": "pains", "pain_point": "pains",
    "backstage_processes": "backstage",
    "opportunity": "opportunities", "ideas": "opportunities", "idea": "opportunities",
    "mot": "moment_of_truth",
    "source": "evidence",
    "path_name": "path",
    "next_step": "next",
}
_PERSONA_COLUMN = re.compile(r"^emotions?\s*(?::\s*|\(\s*)([a-z0-9][a-z0-9_-]*)\s*\)?$")
_ATTRS = re.compile(r"^(.*?)\s*\[([^\[\]]*)\]$")
_EVIDENCE = re.compile(r"^(?P<source>.+?)(?: \(n=(?P<n>[1-9][0-9]*)\))?(?:: \u201c(?P<quote>.+)\u201d)?$", re.DOTALL)
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
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
    """The values of a cell: split at `|`, except where written `\\|`."""
    parts = re.split(r"(?<!\\)\|", cell)
    return [part.strip().replace("\\|", "|") for part in parts if part.strip()]


def join_values(values: Any) -> str:
    return SEP.join(str(v).replace("|", "\\|") for v in values)


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(",;\t", key=lambda d: (header.count(d), d == ","))


def _cell_columns(line: str, delimiter: str) -> list[int]:
    """The 1-based column where each cell of a physical line starts (quotes respected)."""
    starts, quoted = [1], False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append(index + 2)
    return starts


def _known_columns() -> str:
    return ", ".join(HEADERS[:9]) + ", emotion or emotion:ID, " + ", ".join(HEADERS[10:])


def parse(text: str, filename: str, default_title: str) -> dict[str, Any]:
    rows = _Rows(filename)
    text = text.removeprefix("\ufeff")
    delimiter = _delimiter(text)
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise JourneyError([Diagnostic("the CSV file is empty", filename, 1, 1, code="E820")]) from None
    except csv.Error as exc:
        raise JourneyError([Diagnostic(f"unreadable CSV: {exc}", filename, 1, 1, code="E820")]) from None

    columns: dict[str, int] = {}
    persona_columns: dict[str, int] = {}
    starts = _cell_columns(lines[0] if lines else "", delimiter)
    for index, name in enumerate(header):
        key = _header_key(name)
        offset = starts[index] if index < len(starts) else 1
        persona = _PERSONA_COLUMN.match(name.strip().lower())
        if persona:
            persona_columns[persona.group(1)] = index
        elif key in _ALIASES and _ALIASES[key] not in columns:
            columns[_ALIASES[key]] = index
        elif key in _ALIASES:
            rows.error(f"two columns mean {_ALIASES[key]!r}: {name!r} repeats an earlier column", 1, offset)
        elif key:
            match = closest(key, _ALIASES)
            hint = f": did you mean {_ALIASES[match]!r}?" if match else ""
            rows.error(f"unknown column {name.strip()!r}{hint} (known columns: {_known_columns()})", 1, offset)
    if "action" not in columns:
        rows.error("the CSV needs an `action` column (one row per step)", 1, 1)
    if "emotion" in columns and persona_columns:
        rows.error("use either one `emotion` column or `emotion:ID` columns per persona, not both", 1, 1)
    if rows.diagnostics:
        raise JourneyError(rows.diagnostics)
    named = {i for i, name in enumerate(header) if name.strip()}

    line = reader.line_num
    try:
        records = _records(reader, line, filename)
    except csv.Error as exc:
        raise JourneyError([Diagnostic(f"unreadable CSV: {exc}", filename, reader.line_num, 1, code="E820")]) from None
    builder = _Builder(rows)
    for line_no, row in records:
        if not any(cell.strip() for cell in row):
            continue
        stray = [i for i, cell in enumerate(row) if cell.strip() and i not in named]
        if stray:
            at = _cell_columns(lines[line_no - 1] if line_no <= len(lines) else "", delimiter)
            first = stray[0]
            where = "beyond the last column" if first >= len(header) else "under a column without a name"
            rows.error(f"the cell {row[first].strip()[:40]!r} is {where} (the header has {len(header)} column"
                       f"{'s' * (len(header) != 1)}): remove it or name its column", line_no,
                       at[first] if first < len(at) else 1)
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        builder.row(cell, persona_columns, row, line_no)
    stages = builder.stages
    if rows.diagnostics:
        raise JourneyError(rows.diagnostics)
    if not stages:
        raise JourneyError([Diagnostic("the CSV has no steps", filename, 2, 1, code="E820")])

    doc: dict[str, Any] = {"journeymap": 1, "title": default_title}
    ids = list(persona_columns)
    if len(ids) == 1:
        doc["persona"] = {"id": ids[0], "name": persona_name(ids[0])}
    elif ids:
        doc["personas"] = [{"id": i, "name": persona_name(i)} for i in ids]
    # Channels that are not built in must be declared for the map to be valid.
    used = {t if isinstance(t, str) else t["channel"] for s in builder.every_step for t in s.get("touchpoints", ())}
    custom = sorted(used - set(BUILTIN_CHANNELS))
    if custom:
        doc["channels"] = {cid: {"label": default_label(cid)} for cid in custom}
    doc["stages"] = stages
    return doc


def persona_name(pid: str) -> str:
    """The name an imported persona gets from its id."""
    return pid.replace("-", " ").replace("_", " ").title()


def default_label(cid: str) -> str:
    """A channel's label when the map gives none (as the model derives it)."""
    return BUILTIN_CHANNELS.get(cid) or cid.replace("-", " ").capitalize()


class _Builder:
    """Stages, steps and paths from rows, in order."""

    def __init__(self, rows: _Rows):
        self.rows = rows
        self.stages: list[dict[str, Any]] = []
        self.every_step: list[dict[str, Any]] = []
        self.main: dict[str, Any] | None = None  # the last main-path step: paths branch off after it
        self.path: tuple[Any, str, dict[str, Any]] | None = None  # (its step, its key, the path)

    def row(self, cell: Any, persona_columns: dict[str, int], row: list[str], line: int) -> None:
        path_name, path_id = cell("path"), cell("path_id")
        on_path = bool(path_name or path_id)
        stage = self._stage(cell, line, on_path)
        if stage is None:
            return
        step = _step(cell, persona_columns, row, line, self.rows)
        if step is None:
            return
        self.every_step.append(step)
        if not on_path:
            if cell("rejoin"):
                self.rows.error("`rejoin` is for the first step of a path; this step is on the main path", line)
            stage["steps"].append(step)
            self.main, self.path = step, None
            return
        if self.main is None:
            self.rows.error("a step on a path needs a main-path step above it to branch off from", line)
            return
        key = path_id or path_name
        if self.path is None or self.path[0] is not self.main or self.path[1] != key:
            path: dict[str, Any] = {"id": path_id} if path_id else {}
            path.update({"name": path_name or path_id, "steps": []})
            self.main.setdefault("paths", []).append(path)
            self.path = (self.main, key, path)
        path = self.path[2]
        if cell("rejoin"):
            if path["steps"]:
                self.rows.error("`rejoin` belongs on the first step of its path", line)
            path["rejoin"] = cell("rejoin")
        path["steps"].append(step)

    def _stage(self, cell: Any, line: int, on_path: bool) -> dict[str, Any] | None:
        stage_name, stage_id = cell("stage"), cell("stage_id")
        current = self.stages[-1] if self.stages else None
        if stage_name or stage_id:
            new = current is None or (stage_name and stage_name != current["name"]) or (
                stage_id and stage_id != current.get("id"))
            if new and on_path:
                self.rows.error("a step on a path stays in the stage of the step it branches off from: leave "
                                "`stage` empty", line)
                return None
            if new:
                current = {"name": stage_name or stage_id, "steps": []}
                if stage_id:
                    current["id"] = stage_id
                self.stages.append(current)
        if current is None:
            self.rows.error("the first step has no stage: fill in the `stage` column", line)
            return None
        if cell("stage_description") and "description" not in current:
            current["description"] = cell("stage_description")
        for column, key in (("stage_metrics", "metrics"), ("stage_targets", "targets")):
            for metric in _split(cell(column)):
                name, sep, value = metric.partition("=")
                if not sep:
                    name, sep, value = metric.partition(":")
                if not sep or not name.strip():
                    self.rows.error(f"a stage {key[:-1]} must be `name=value`, found {metric!r}", line)
                    continue
                current.setdefault(key, {})[name.strip()] = _metric_value(value.strip())
        return current


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
        return number(float(text)) if NUMBER.fullmatch(text) else text
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


def _attrs(text: str, allowed: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """Split `text [key: value, ...]`; brackets that hold anything else are part of the text."""
    match = _ATTRS.match(text)
    if not match:
        return text, {}
    attrs: dict[str, str] = {}
    for part in match.group(2).split(","):
        key, sep, value = part.partition(":")
        key = key.strip().lower()
        if not sep or key not in allowed or not value.strip():
            return text, {}
        attrs[key] = value.strip()
    return match.group(1), attrs


def _flag(cell: Any, name: str, line: int, rows: _Rows) -> bool:
    text = cell(name).lower()
    if text not in _TRUE | _FALSE:
        rows.error(f"{name} must be yes or no, found {cell(name)!r}", line)
    return text in _TRUE


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
        text, attrs = _attrs(item, ("owner",))
        channel, _, name = text.partition(":")
        tp: dict[str, str] = {"channel": slugify(channel)}
        if name.strip():
            tp["name"] = name.strip()
        tp.update(attrs)
        touchpoints.append(tp["channel"] if len(tp) == 1 else tp)
    if touchpoints:
        step["touchpoints"] = touchpoints
    if _split(cell("pains")):
        step["pains"] = _split(cell("pains"))
    for key in ("backstage", "support"):
        processes = [_process(item) for item in _split(cell(key))]
        if processes:
            step[key] = processes
    opportunities: list[Any] = []
    for item in _split(cell("opportunities")):
        idea, attrs = _attrs(item, ("impact", "effort", "owner"))
        for level in ("impact", "effort"):
            if level in attrs and attrs[level].lower() not in _LEVELS:
                rows.error(f"{level} must be low, medium or high, found {attrs[level]!r}", line)
            elif level in attrs:
                attrs[level] = attrs[level].lower()
        opportunities.append({"idea": idea, **attrs} if attrs else idea)
    if opportunities:
        step["opportunities"] = opportunities
    if _flag(cell, "moment_of_truth", line, rows):
        step["moment_of_truth"] = True
    evidence = [evidence_item(item) for item in _split(cell("evidence"))]
    if evidence:
        step["evidence"] = evidence[0] if len(evidence) == 1 and isinstance(evidence[0], str) else evidence
    if cell("confidence"):
        if cell("confidence").lower() not in _LEVELS:
            rows.error(f"confidence must be low, medium or high, found {cell('confidence')!r}", line)
        step["confidence"] = cell("confidence").lower()
    if cell("next"):
        step["next"] = cell("next")
    if _flag(cell, "exit", line, rows):
        step["exit"] = True
    if cell("exit_reason"):
        step["exit_reason"] = cell("exit_reason")
    return step


def _process(item: str) -> Any:
    text, attrs = _attrs(item, ("owner",))
    return {"process": text, **attrs} if attrs else text


def evidence_item(item: str) -> Any:
    """`source`, `source (n=12)` or `source (n=12): “quote”`: how the map shows an evidence item."""
    match = _EVIDENCE.match(item)
    if not match or not (match.group("n") or match.group("quote")):
        return item
    out: dict[str, Any] = {"source": match.group("source")}
    if match.group("quote"):
        out["quote"] = match.group("quote")
    if match.group("n"):
        out["sample_size"] = int(match.group("n"))
    return out
