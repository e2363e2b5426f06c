"""The lint rules: one small function per rule, each yielding (path, message).

A path is a location in the document, such as ("stages", 2, "steps", 0); the
runner turns it into a line and column. Codes are stable: a retired rule keeps
its code unused rather than handing it to another rule. Rules see every step,
those on alternative paths too (journeymap.walk), and a step on a path counts
as part of the stage of the step it branches from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from journeymap.model import Journey
from journeymap.report import score_text
from journeymap.walk import (
    Placed,
    channel_label,
    nearest_scored,
    placed,
    predecessors,
    successors,
)

Path = tuple[str | int, ...]
Finding = tuple[Path, str]

# The range of steps in a whole map that journey-mapping practice recommends.
MIN_STEPS, MAX_STEPS = 4, 12


def drop_points(journey: Journey) -> float:
    """The fall that needs explaining: half the emotion scale, so 2 points on the default -2..2."""
    return (journey.emotion_scale.max - journey.emotion_scale.min) / 2


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


def _steps(journey: Journey) -> Iterator[tuple[Path, Placed]]:
    for p in placed(journey):
        yield p.path, p


def _by_stage(journey: Journey) -> list[list[Placed]]:
    """Every step of each stage, those on its paths included."""
    stages: list[list[Placed]] = [[] for _ in journey.stages]
    for p in placed(journey):
        stages[int(p.path[1])].append(p)
    return stages


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
    for i, (stage, steps) in enumerate(zip(ctx.journey.stages, _by_stage(ctx.journey))):
        if not any(p.step.touchpoints for p in steps):
            yield ("stages", i), f'stage "{stage.name}" has no touchpoints'


@rule("JM102", "step-without-emotion", "Once some steps have an emotion, every step needs one, or the curve has gaps.")
def step_without_emotion(ctx: Context) -> Iterator[Finding]:
    steps = list(_steps(ctx.journey))
    for pid in ctx.journey.persona_ids:
        scored = sum(pid in p.step.emotions for _, p in steps)
        if not scored:
            continue
        for path, p in steps:
            if pid not in p.step.emotions:
                others = f"{scored} other step{'s' if scored > 1 else ''} {'have' if scored > 1 else 'has'} one"
                yield path, f'step "{p.step.action}" has no emotion{_who(ctx, pid)} while {others}'


@rule("JM103", "drop-without-pain", "A fall of half the emotion scale or more (2 points on -2..2) from one step to the next, "
      "along paths and loops too, needs a pain where it falls (or at a step on the way that has no emotion).")
def drop_without_pain(ctx: Context) -> Iterator[Finding]:
    steps = list(_steps(ctx.journey))
    by_id = {p.step.id: p.step for _, p in steps}
    before = predecessors(successors(ctx.journey))
    threshold = drop_points(ctx.journey)
    previous = {p.step.id: q.step.id for (_, q), (_, p) in pairwise(steps)}
    for pid in ctx.journey.persona_ids:
        for path, p in steps:
            if pid not in p.step.emotions or p.step.pains:
                continue
            low = p.step.emotions[pid]
            # The highest step this one can be reached from, with no pain on the way to explain the fall.
            falls = [(high.emotions[pid], high, via) for high, via in nearest_scored(p.step.id, before, by_id, pid)
                     if high.emotions[pid] - low >= threshold and not any(v.pains for v in via)]
            if not falls:
                continue
            top, high, via = max(falls, key=lambda f: f[0])
            where = ""
            if via or previous.get(p.step.id) != high.id:
                through = ", through " + ", ".join(f'"{v.action}"' for v in via) if via else ""
                where = f' (from "{high.action}"{through})'
            yield _emotion_path(ctx, path, pid), (
                f'emotion{_who(ctx, pid)} drops from {score_text(top)} to {score_text(low)} '
                f'at step "{p.step.action}"{where} with no pain recorded'
            )


@rule("JM104", "pain-without-opportunity", "Every pain deserves an idea: record at least one opportunity in the stage where it hurts.")
def pain_without_opportunity(ctx: Context) -> Iterator[Finding]:
    for stage, steps in zip(ctx.journey.stages, _by_stage(ctx.journey)):
        if any(p.step.opportunities for p in steps):
            continue
        for p in steps:
            for k, pain in enumerate(p.step.pains):
                yield (*p.path, "pains", k), f'pain "{pain}" has no opportunity anywhere in stage "{stage.name}"'


# Counted on the main path: alternative paths are variants of the journey, not more of its length.
@rule("JM105", "step-count", f"A map reads best with {MIN_STEPS} to {MAX_STEPS} steps on its main path: merge small steps "
      "or split the map.")
def step_count(ctx: Context) -> Iterator[Finding]:
    n = len(ctx.journey.steps)
    if not MIN_STEPS <= n <= MAX_STEPS:
        yield ("stages",), f"the map has {n} step{'s' if n != 1 else ''}; {MIN_STEPS} to {MAX_STEPS} read best"


@rule("JM106", "opportunity-without-owner", "An opportunity without an owner is a wish: name the team that will act on it.")
def opportunity_without_owner(ctx: Context) -> Iterator[Finding]:
    for path, p in _steps(ctx.journey):
        for k, opp in enumerate(p.step.opportunities):
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
    used = [(path, t) for path, p in _steps(ctx.journey) for t in p.step.touchpoints]
    channels = {t.channel for _, t in used}
    if len(channels) == 1:
        path, first = used[0]
        label = channel_label(ctx.journey, first.channel)
        yield (*path, "touchpoints", 0), f'every touchpoint uses the one channel "{label}"'
