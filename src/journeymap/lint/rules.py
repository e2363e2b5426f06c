"""The lint rules: one small function per rule, each yielding (path, message).

A path is a location in the document, such as ("stages", 2, "steps", 0); the
runner turns it into a line and column. Codes are stable: a retired rule keeps
its code unused rather than handing it to another rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from journeymap.model import Journey, Step
from journeymap.report import score_text

Path = tuple[str | int, ...]
Finding = tuple[Path, str]

# The range of steps in a whole map that journey-mapping practice recommends.
MIN_STEPS, MAX_STEPS = 4, 12
# A fall of this many points between two steps is a moment that needs explaining.
DROP_POINTS = 2


@dataclass(frozen=True, slots=True)
class Context:
    journey: Journey
    data: Mapping[str, Any]  # the document as loaded, to name paths as the author wrote them


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    doc: str  # one line: why the rule exists and what to do
    check: Callable[[Context], Iterator[Finding]]
    severity: str = "warning"


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, doc: str, severity: str = "warning") -> Callable[[Callable[[Context], Iterator[Finding]]], Callable[[Context], Iterator[Finding]]]:
    def register(check: Callable[[Context], Iterator[Finding]]) -> Callable[[Context], Iterator[Finding]]:
        RULES[code] = Rule(code, name, doc, check, severity)
        return check

    return register


def _steps(journey: Journey) -> Iterator[tuple[Path, Step]]:
    for i, stage in enumerate(journey.stages):
        for j, step in enumerate(stage.steps):
            yield ("stages", i, "steps", j), step


def _who(ctx: Context, pid: str) -> str:
    """' for <persona>' when the map compares several personas, else nothing."""
    if len(ctx.journey.personas) < 2:
        return ""
    names = {p.id: p.name for p in ctx.journey.personas}
    return f" for {names.get(pid, pid)}"


def _emotion_path(ctx: Context, path: Path, pid: str) -> Path:
    return (*path, "emotion", pid) if len(ctx.journey.personas) > 1 else (*path, "emotion")


@rule("JM101", "stage-without-touchpoints", "Every stage should show where the customer meets the organisation: add touchpoints to its steps.")
def stage_without_touchpoints(ctx: Context) -> Iterator[Finding]:
    for i, stage in enumerate(ctx.journey.stages):
        if not any(step.touchpoints for step in stage.steps):
            yield ("stages", i), f'stage "{stage.name}" has no touchpoints'


@rule("JM102", "step-without-emotion", "Once some steps have an emotion, every step needs one, or the curve has gaps.")
def step_without_emotion(ctx: Context) -> Iterator[Finding]:
    steps = list(_steps(ctx.journey))
    for pid in ctx.journey.persona_ids:
        scored = sum(pid in step.emotions for _, step in steps)
        if not scored:
            continue
        for path, step in steps:
            if pid not in step.emotions:
                others = f"{scored} other step{'s' if scored > 1 else ''} {'have' if scored > 1 else 'has'} one"
                yield path, f'step "{step.action}" has no emotion{_who(ctx, pid)} while {others}'


@rule("JM103", "drop-without-pain", f"A fall of {DROP_POINTS} or more points between consecutive steps needs a pain that explains it.")
def drop_without_pain(ctx: Context) -> Iterator[Finding]:
    steps = list(_steps(ctx.journey))
    for pid in ctx.journey.persona_ids:
        for (_, before), (path, step) in pairwise(steps):
            if pid in before.emotions and pid in step.emotions and not step.pains:
                high, low = before.emotions[pid], step.emotions[pid]
                if high - low >= DROP_POINTS:
                    yield _emotion_path(ctx, path, pid), (
                        f'emotion{_who(ctx, pid)} drops from {score_text(high)} to {score_text(low)} '
                        f'at step "{step.action}" with no pain recorded'
                    )


@rule("JM104", "pain-without-opportunity", "Every pain deserves an idea: record at least one opportunity in the stage where it hurts.")
def pain_without_opportunity(ctx: Context) -> Iterator[Finding]:
    for i, stage in enumerate(ctx.journey.stages):
        if any(step.opportunities for step in stage.steps):
            continue
        for j, step in enumerate(stage.steps):
            for k, pain in enumerate(step.pains):
                yield ("stages", i, "steps", j, "pains", k), f'pain "{pain}" has no opportunity anywhere in stage "{stage.name}"'


@rule("JM105", "step-count", f"A map reads best with {MIN_STEPS} to {MAX_STEPS} steps in all: merge small steps or split the map.")
def step_count(ctx: Context) -> Iterator[Finding]:
    n = len(ctx.journey.steps)
    if not MIN_STEPS <= n <= MAX_STEPS:
        yield ("stages",), f"the map has {n} step{'s' if n != 1 else ''}; {MIN_STEPS} to {MAX_STEPS} read best"


@rule("JM106", "opportunity-without-owner", "An opportunity without an owner is a wish: name the team that will act on it.")
def opportunity_without_owner(ctx: Context) -> Iterator[Finding]:
    for path, step in _steps(ctx.journey):
        for k, opp in enumerate(step.opportunities):
            if not opp.owner:
                yield (*path, "opportunities", k), f'opportunity "{opp.idea}" has no owner'


@rule("JM107", "persona-without-goals", "A persona's goals are what the journey is judged against: list at least one.")
def persona_without_goals(ctx: Context) -> Iterator[Finding]:
    for k, persona in enumerate(ctx.journey.personas):
        if not persona.goals:
            path: Path = ("personas", k) if ctx.data.get("personas") else ("persona",)
            yield path, f'persona "{persona.name}" has no goals'


@rule("JM108", "single-channel", "Journeys cross channels, and the switches are where customers drop: map every channel used.")
def single_channel(ctx: Context) -> Iterator[Finding]:
    used = [(path, t) for path, step in _steps(ctx.journey) for t in step.touchpoints]
    channels = {t.channel for _, t in used}
    if len(channels) == 1:
        path, first = used[0]
        channel = ctx.journey.channels.get(first.channel)
        label = channel.label if channel else first.channel
        yield (*path, "touchpoints", 0), f'every touchpoint uses the one channel "{label}"'
