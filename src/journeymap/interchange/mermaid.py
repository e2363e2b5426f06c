"""Mermaid `journey` diagrams: import and export.

    journey
      title Buying a sofa
      section Research
        Browses sofas online: 4: Dana
        Orders swatches: 3: Dana, Sam

Scores 1..5 map linearly onto the map's emotion scale (-2..2 by default: 1 -> -2,
3 -> 0, 5 -> 2); actors become personas. Consecutive tasks with the same name in
a section and no actor in common are one step scored differently per persona:
that is how a step whose personas feel differently is exported. Mermaid keeps
only the title, stages, steps and scores; everything else is reported as lost.

Mermaid reads keywords case-insensitively wherever a line starts: a task named
`Title fake` or `section one` would come back as a title or a section. Such names
are exported with their first letter as an entity code (`#84;itle fake`), which
Mermaid decodes before drawing (`#35;` is how it writes `#`), and which import
decodes too. A `#` that starts no entity code begins a comment, as in Mermaid.
"""

from __future__ import annotations

import html
import re
from typing import Any

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.interchange import Exported, number, rescale
from journeymap.model import Journey, derived_ids, slugify

MERMAID_SCALE = (1.0, 5.0)
IMPORT_SCALE = (-2.0, 2.0)
# Mermaid's journey grammar ends a section or task name at these characters.
_NAME_FORBIDDEN = re.compile(r"\s*[:#;]\s*")
_TEXT_FORBIDDEN = re.compile(r"\s*[#;]\s*")
_ACTOR_FORBIDDEN = re.compile(r"\s*[:#;,]\s*")  # commas separate actors
# Task names Mermaid's lexer would take for a statement, a comment or the diagram keyword.
_KEYWORD_START = re.compile(r"(?:title|section)\s|journey\b|acc(?:title|descr)|%%", re.IGNORECASE)
_ENTITY = re.compile(r"#(\w+);")
_STATEMENT = re.compile(r"(title|section)(?:\s+(.*)|$)", re.IGNORECASE)


def _decode(text: str) -> str:
    """Mermaid entity codes (`#35;`, `#quot;`) as the characters they stand for."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.isdigit():
            return chr(int(name)) if int(name) < 0x110000 else match.group(0)
        decoded = html.unescape(f"&{name};")
        return decoded if decoded != f"&{name};" else match.group(0)

    return _ENTITY.sub(one, text)


def _without_comment(line: str) -> str:
    """The line up to a `#` that starts no entity code: Mermaid reads the rest as a comment."""
    at = 0
    while (at := line.find("#", at)) != -1:
        entity = _ENTITY.match(line, at)
        if entity is None:
            return line[:at]
        at = entity.end()
    return line


def _guard(name: str) -> str:
    """A task name that Mermaid reads as a task: a leading keyword gets its first letter encoded."""
    return f"#{ord(name[0])};{name[1:]}" if _KEYWORD_START.match(name) else name


def parse(text: str, filename: str, default_title: str, warnings: list[Diagnostic] | None = None) -> dict[str, Any]:
    """A map document from Mermaid text; what it leaves out is added to `warnings`."""
    diagnostics: list[Diagnostic] = []

    def error(message: str, line: int, column: int) -> None:
        diagnostics.append(Diagnostic(message, filename, line, column, code="E810"))

    title: str | None = None
    description: str | None = None
    stages: list[dict[str, Any]] = []
    section_at: list[tuple[int, int]] = []  # (line, column) of each stage's `section`
    # Per step: (stage index, action, {actor: score}); the actor is "" when none was named.
    steps: list[tuple[int, str, dict[str, float]]] = []
    actors: list[str] = []
    seen_header = False
    in_frontmatter = False
    in_block = False
    for number_, raw in enumerate(text.splitlines(), start=1):
        if not raw.lstrip().lower().startswith("acc"):  # accessibility texts run to the end of the line
            raw = _without_comment(raw)
        line = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not seen_header and number_ == 1 and line == "---":
            in_frontmatter = True
            continue
        if in_frontmatter:
            in_frontmatter = line != "---"
            continue
        if in_block:
            in_block = "}" not in line
            continue
        if not line or line.startswith("%%"):
            continue
        if not seen_header:
            if line != "journey":
                error(f"expected `journey` to start the diagram, found {line[:40]!r}", number_, indent + 1)
                break
            seen_header = True
            continue
        statement = _STATEMENT.match(line)
        if statement and statement.group(1).lower() == "title":
            title = _decode((statement.group(2) or "").strip()) or None
        elif statement:
            name = _decode((statement.group(2) or "").partition(":")[0].strip())
            if not name:
                error("a section needs a name", number_, indent + 1)
            stages.append({"name": name or "Section", "steps": []})
            section_at.append((number_, indent + 1))
        elif line.lower().startswith("acctitle"):
            continue
        elif line.lower().startswith("accdescr"):
            if line.rstrip().endswith("{"):
                in_block = True
            else:
                description = _decode(line.partition(":")[2].strip()) or None
        else:
            task = _task(raw, number_, error)
            if task is None:
                continue
            name, score, people = task
            if not stages:
                stages.append({"name": "Journey", "steps": []})
                section_at.append((number_, indent + 1))
            for person in people:
                if person not in actors:
                    actors.append(person)
            stage_index = len(stages) - 1
            last = steps[-1] if steps else None
            if (
                last is not None and last[0] == stage_index and last[1] == name
                and people and "" not in last[2] and not set(people) & set(last[2])
            ):
                last[2].update({p: score for p in people})
                continue
            steps.append((stage_index, name, {p: score for p in people} if people else {"": score}))
    if not seen_header and not diagnostics:
        error("this is not a Mermaid journey: `journey` is missing", 1, 1)
    if diagnostics:
        raise JourneyError(diagnostics)
    if not steps:
        raise JourneyError([Diagnostic("the journey has no tasks", filename, 1, 1, code="E811")])

    ids = _persona_ids(actors)
    for stage_index, action, scores in steps:
        emotion: Any
        if len(actors) <= 1:
            emotion = number(next(iter(scores.values())))
        elif "" in scores:  # a task without actors in a map with actors: everyone felt it
            emotion = {ids[a]: number(scores[""]) for a in actors}
        else:
            emotion = {ids[a]: number(s) for a, s in scores.items()}
        stages[stage_index]["steps"].append({"action": action, "emotion": emotion})
    doc: dict[str, Any] = {"journeymap": 1, "title": title or default_title}
    if description:
        doc["description"] = description
    if len(actors) == 1:
        doc["persona"] = {"id": ids[actors[0]], "name": actors[0]}
    elif actors:
        doc["personas"] = [{"id": ids[a], "name": a} for a in actors]
    # A stage needs a step: an empty section has nothing to keep but its name.
    for stage, (at_line, at_column) in zip(stages, section_at):
        if not stage["steps"] and warnings is not None:
            warnings.append(Diagnostic(f"section '{stage['name']}' has no tasks: it was left out (a stage needs at "
                                       "least one step)", filename, at_line, at_column, severity="warning",
                                       code="W810"))
    doc["stages"] = [s for s in stages if s["steps"]]
    return doc


def _task(raw: str, line: int, error: Any) -> tuple[str, float, list[str]] | None:
    name, colon, data = raw.partition(":")
    start = len(raw) - len(raw.lstrip()) + 1
    if not colon:
        found = raw.strip()[:40]
        error(f"expected `task: score: actors`, `section NAME` or `title TEXT`, found {found!r}", line, start)
        return None
    if not name.strip():
        error("the task has no name before `:`", line, start)
        return None
    score_text, _, people_text = data.partition(":")
    score_column = len(name) + 2 + (len(score_text) - len(score_text.lstrip()))
    try:
        score = float(score_text.strip())
    except ValueError:
        error(f"the score must be a number from 1 to 5, found {score_text.strip()[:20]!r}", line, score_column)
        return None
    if not 1 <= score <= 5:
        error(f"the score must be from 1 to 5, found {number(score)}", line, score_column)
        return None
    people = [_decode(p.strip()) for p in people_text.split(",") if p.strip()]
    return _decode(name.strip()), number(rescale(score, MERMAID_SCALE, IMPORT_SCALE)), people


def _persona_ids(actors: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for actor in actors:
        base = slugify(actor)
        candidate, n = base, 2
        while candidate in ids.values():
            candidate, n = f"{base}-{n}", n + 1
        ids[actor] = candidate
    return ids


def clean(text: str, forbidden: re.Pattern[str]) -> str:
    """`text` on one line, without the characters that end a Mermaid name."""
    return forbidden.sub(" - ", " ".join(text.split())).strip(" -") or "-"


def score_of(value: float, scale: tuple[float, float]) -> int:
    """A map's emotion as Mermaid's whole-number score 1..5."""
    return max(1, min(5, round(rescale(value, scale, MERMAID_SCALE))))


def dump(journey: Journey) -> Exported:
    notes: list[str] = []
    changed = 0

    def cleaned(text: str, forbidden: re.Pattern[str]) -> str:
        nonlocal changed
        out = clean(text, forbidden)
        changed += out != text
        return out

    scale = (float(journey.emotion_scale.min), float(journey.emotion_scale.max))
    names = {p.id: cleaned(p.name, _ACTOR_FORBIDDEN) for p in journey.personas}
    lines = ["journey", f"  title {cleaned(journey.title, _TEXT_FORBIDDEN)}"]
    tasks: list[tuple[int, str, list[str]]] = []  # (stage, task name, actors) of every task line
    unscored = rounded = 0
    for index, stage in enumerate(journey.stages):
        lines.append(f"  section {cleaned(stage.name, _NAME_FORBIDDEN)}")
        for step in stage.steps:
            action = cleaned(step.action, _NAME_FORBIDDEN)
            groups: dict[int, list[str]] = {}
            for pid in journey.persona_ids:
                if pid not in step.emotions:
                    continue
                score = score_of(step.emotions[pid], scale)
                rounded += score != rescale(step.emotions[pid], scale, MERMAID_SCALE)
                groups.setdefault(score, []).append(names.get(pid, ""))
            if not groups:
                unscored += 1
                groups[3] = [names[p.id] for p in journey.personas]
            for score, people in groups.items():
                actors = ", ".join(p for p in people if p)
                tasks.append((index, action, [p for p in people if p]))
                line = f"{_guard(action)}: {score}: {actors}" if actors else f"{_guard(action)}: {score}"
                lines.append(f"    {line}")
    lost = lost_parts(journey, names, tasks)
    if lost:
        notes.append(MERMAID_KEEPS + "; ".join(lost))
    if unscored:
        notes.append(f"{unscored} step(s) without an emotion were given the neutral score 3")
    if rounded:
        notes.append(f"{rounded} score(s) were rounded to Mermaid's whole numbers 1-5")
    if changed:
        notes.append(f"{changed} name(s) had characters Mermaid cannot hold (: # ; , or line breaks) replaced")
    return Exported("\n".join(lines) + "\n", tuple(notes))


MERMAID_KEEPS = "Mermaid keeps the title, stages, steps and one score per persona; dropped: "


def _merged(tasks: list[tuple[int, str, list[str]]]) -> int:
    """Task lines the import joins to the line before (same name, other actors), beyond one step's own lines."""
    steps, last = 0, None
    for stage, name, people in tasks:
        if last and last[0] == stage and last[1] == name and people and last[2] and not set(people) & last[2]:
            last[2].update(people)
            continue
        steps, last = steps + 1, (stage, name, set(people))
    return steps


def lost_parts(journey: Journey, names: dict[str, str], tasks: list[tuple[int, str, list[str]]]) -> list[str]:
    """What the Mermaid export of `journey` cannot hold, each named precisely."""
    steps, every = journey.steps, journey.every_step
    lost = [name for name, present in (("description", journey.description), ("scenario", journey.scenario))
            if present]
    appearing = list(dict.fromkeys(p for _, _, people in tasks for p in people))
    ids = _persona_ids(appearing)
    by_name = {p.id: names[p.id] for p in journey.personas}
    if any(p.id != ids.get(by_name[p.id]) for p in journey.personas if by_name[p.id] in ids):
        lost.append("persona ids")
    missing = [pid for pid, name in by_name.items() if name not in ids]
    details = [p.id for p in journey.personas if p.id not in missing and (
        p.segment or p.description or p.goals or p.expectations or p.frustrations or p.quote)]
    if details:
        lost.append(f"persona details ({', '.join(details)})")
    shared = [pid for pid, name in by_name.items() if list(by_name.values()).count(name) > 1]
    if shared:
        lost.append(f"personas sharing a name ({', '.join(shared)})")
    if missing:
        lost.append(f"personas without a score ({', '.join(missing)})")
    if [n for n in by_name.values() if n in ids] != appearing:
        lost.append("persona order")
    if journey.emotion_scale.labels:
        lost.append("emotion labels")
    if (journey.emotion_scale.min, journey.emotion_scale.max) != (-2, 2):
        lost.append(f"the emotion scale ({journey.emotion_scale.min}..{journey.emotion_scale.max}): scores come "
                    "back on -2..2")
    if journey.channels:
        lost.append("channels")
    if journey.lanes != ("actions", "emotions"):
        lost.append("lanes")
    if [s.id for s in journey.stages] != derived_ids(clean(s.name, _NAME_FORBIDDEN) for s in journey.stages):
        lost.append("stage ids")
    if [s.id for s in steps] != derived_ids(clean(s.action, _NAME_FORBIDDEN) for s in steps):
        lost.append("step ids")
    on_paths = len(every) - len(steps)
    checks = [
        ("stage descriptions", any(s.description for s in journey.stages)),
        ("metrics", any(s.metrics for s in journey.stages)),
        ("targets", any(s.targets for s in journey.stages)),
        ("thoughts", any(s.thoughts for s in steps)),
        ("feelings", any(s.feeling for s in steps)),
        ("touchpoints", any(s.touchpoints for s in steps)),
        ("pains", any(s.pains for s in steps)),
        ("backstage", any(s.backstage for s in steps)),
        ("support", any(s.support for s in steps)),
        ("opportunities", any(s.opportunities for s in steps)),
        ("moments of truth", any(s.moment_of_truth for s in steps)),
        ("evidence", any(s.evidence for s in steps)),
        ("confidence", any(s.confidence for s in steps)),
        (f"alternative paths ({on_paths} step{'s' * (on_paths != 1)})", any(s.paths for s in steps)),
        ("next", any(s.next for s in steps)),
        ("exits", any(s.exit or s.exit_reason for s in steps)),
    ]
    lost += [name for name, present in checks if present]
    merged = len(steps) - _merged(tasks)
    if merged:
        lost.append(f"{merged} step{'s' * (merged != 1)} merged into the step before (same action, other personas)")
    return lost
