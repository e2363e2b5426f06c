"""Every step of a journey, where it sits, and how the customer moves from one to the next.

The analysis tools (lint, report, show, the HTML page) read steps through `placed`
so that steps on alternative paths are never left out, and follow `successors` so
that emotion drops are measured along the real flow: into and out of paths, at
rejoins and along `next`, not just between neighbours in the file.

Main-path steps are labelled 1, 2, 3 ... across the map; the steps of the paths
that branch off after step 3 are 3a, 3b, 3c ... in document order, so one short
label points at any step in every lane and every output.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from string import ascii_lowercase

from journeymap.model import Branch, Journey, Stage, Step

DocPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Placed:
    label: str  # "3" on the main path, "3a" on a path after step 3
    stage: Stage  # a path's steps belong to the stage of the step they branch from
    step: Step
    path: DocPath  # where the step is in the document
    branch: Branch | None = None  # the alternative path the step is on
    origin: Placed | None = None  # the main-path step that path branches from


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: enough labels for any number of path steps."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = ascii_lowercase[r] + out
    return out


def placed(journey: Journey) -> list[Placed]:
    """Every step in document order: each main step, then the steps of its paths."""
    out: list[Placed] = []
    number = 0
    for i, stage in enumerate(journey.stages):
        for j, step in enumerate(stage.steps):
            number += 1
            main = Placed(str(number), stage, step, ("stages", i, "steps", j))
            out.append(main)
            n = 0
            for k, branch in enumerate(step.paths):
                for m, path_step in enumerate(branch.steps):
                    out.append(Placed(f"{number}{_letters(n)}", stage, path_step,
                                      (*main.path, "paths", k, "steps", m), branch, main))
                    n += 1
    return out


def successors(journey: Journey) -> dict[str, tuple[str, ...]]:
    """Step id -> the ids of the steps the customer can go to next (none after an exit or an end)."""
    out: dict[str, tuple[str, ...]] = {}
    main = journey.steps

    def after(step: Step, following: str | None) -> tuple[str, ...]:
        if step.exit:
            default: tuple[str, ...] = ()
        elif step.next:
            default = (step.next,)
        else:
            default = (following,) if following else ()
        return default + tuple(b.steps[0].id for b in step.paths if b.steps)

    for i, step in enumerate(main):
        out[step.id] = after(step, main[i + 1].id if i + 1 < len(main) else None)
        for branch in step.paths:
            for m, path_step in enumerate(branch.steps):
                following = branch.steps[m + 1].id if m + 1 < len(branch.steps) else branch.rejoin
                out[path_step.id] = after(path_step, following)
    return out


def predecessors(flow: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The same flow, walked backwards (in document order)."""
    out: dict[str, list[str]] = {sid: [] for sid in flow}
    for sid, targets in flow.items():
        for target in targets:
            if sid not in out.setdefault(target, []):
                out[target].append(sid)
    return {sid: tuple(v) for sid, v in out.items()}


def nearest_scored(start: str, edges: Mapping[str, tuple[str, ...]], steps: Mapping[str, Step],
                   pid: str) -> Iterator[tuple[Step, tuple[Step, ...]]]:
    """The nearest steps from `start` along `edges` where `pid` has a score, each with the unscored steps passed.

    A step with no emotion is looked through, not read as zero: +2, (none), -1 is a fall of 3.
    """
    seen = {start}
    todo: deque[tuple[str, tuple[Step, ...]]] = deque((n, ()) for n in edges.get(start, ()))
    while todo:
        sid, via = todo.popleft()
        if sid in seen or sid not in steps:
            continue
        seen.add(sid)
        step = steps[sid]
        if pid in step.emotions:
            yield step, via
        else:
            todo.extend((n, (*via, step)) for n in edges.get(sid, ()))


def channel_label(journey: Journey, cid: str) -> str:
    """A channel's label: every channel the journey's steps use, on paths too, is in `journey.channels`."""
    return journey.channels[cid].label
