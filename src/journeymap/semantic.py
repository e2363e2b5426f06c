"""Checks the schema cannot express: unique ids, resolvable references, emotions on the scale.

They run on documents that may also have schema errors, so every access checks the
shape it expects and quietly skips what the schema already reports.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from journeymap import flow
from journeymap.messages import DocPath, Issue, as_list, did_you_mean, short
from journeymap.model import BUILTIN_CHANNELS, DEFAULT_PERSONA, slugify

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

Position = Callable[[DocPath], tuple[int, int]]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _dicts(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        yield from ((i, item) for i, item in enumerate(value) if isinstance(item, dict))


def _steps(data: dict[str, Any]) -> Iterator[tuple[DocPath, Any]]:
    """Every step with its path: the main path's, and after each, those of its alternative paths."""
    for i, stage in _dicts(data.get("stages")):
        for j, step in enumerate(as_list(stage.get("steps"))):
            yield from _with_paths(("stages", i, "steps", j), step)


def _with_paths(path: DocPath, step: Any) -> Iterator[tuple[DocPath, Any]]:
    yield path, step
    for k, branch in _dicts(step.get("paths") if isinstance(step, dict) else None):
        for m, sub in enumerate(as_list(branch.get("steps"))):
            yield from _with_paths(path + ("paths", k, "steps", m), sub)


def _unique_ids(what: str, items: list[tuple[DocPath, Any]], position: Position) -> Iterator[Issue]:
    first: dict[str, DocPath] = {}
    for path, item in items:
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in first:
            line, column = position(first[ident] + ("id",))
            yield Issue("E201", f"duplicate {what} id '{short(ident)}' (first used at line {line}, column {column})",
                        path + ("id",))
        else:
            first[ident] = path


def persona_ids(data: dict[str, Any]) -> list[str]:
    """The persona ids emotions may be keyed by (as the model derives them)."""
    if isinstance(data.get("personas"), list):
        return [p["id"] for _, p in _dicts(data["personas"]) if isinstance(p.get("id"), str)]
    persona = data.get("persona")
    if isinstance(persona, dict):
        if isinstance(persona.get("id"), str):
            return [persona["id"]]
        if isinstance(persona.get("name"), str):
            return [slugify(persona["name"])]
    return [DEFAULT_PERSONA]


def _scale(data: dict[str, Any]) -> tuple[Any, Any, list[Issue]]:
    scale = data.get("emotion_scale")
    scale = scale if isinstance(scale, dict) else {}
    lo, hi = scale.get("min", -2), scale.get("max", 2)
    if not (isinstance(lo, int) and isinstance(hi, int)) or isinstance(lo, bool) or isinstance(hi, bool):
        return None, None, []  # the schema reports it
    if lo >= hi:
        where = ("emotion_scale", "min" if "min" in scale else "max")
        return None, None, [Issue("E205", f"emotion_scale: min ({lo}) must be less than max ({hi})", where)]
    issues = []
    labels = scale.get("labels")
    for key in labels if isinstance(labels, dict) else {}:
        if re.fullmatch(r"-?[0-9]+", key) and not lo <= int(key) <= hi:
            issues.append(Issue("W201", f"emotion_scale label for {key} is outside the scale ({lo} to {hi})",
                                ("emotion_scale", "labels", key), at_key=True, severity="warning"))
    return lo, hi, issues


def _channels(data: dict[str, Any]) -> Iterator[Issue]:
    declared = data.get("channels")
    known = set(BUILTIN_CHANNELS) | (set(declared) if isinstance(declared, dict) else set())
    for path, step in _steps(data):
        touchpoints = step.get("touchpoints") if isinstance(step, dict) else None
        for k, tp in enumerate(touchpoints if isinstance(touchpoints, list) else []):
            where = path + ("touchpoints", k)
            if isinstance(tp, dict):
                tp, where = tp.get("channel"), where + ("channel",)
            if isinstance(tp, str) and _ID.match(tp) and tp not in known:
                hint = did_you_mean(tp, known) or "; declare it under 'channels' or use a built-in channel"
                yield Issue("E203", f"unknown channel '{short(tp)}'{hint}", where)


def _emotions(data: dict[str, Any], lo: Any, hi: Any) -> Iterator[Issue]:
    ids = persona_ids(data)
    several = isinstance(data.get("personas"), list) and len(ids) > 1
    declared = ids != [DEFAULT_PERSONA] or "persona" in data or "personas" in data

    def in_scale(value: Any, where: DocPath, whose: str) -> Iterator[Issue]:
        if lo is not None and _number(value) and not lo <= value <= hi:
            yield Issue("E204", f"emotion{whose} must be a number between {lo} and {hi}, got {value}", where)

    for path, step in _steps(data):
        if not isinstance(step, dict) or "emotion" not in step:
            continue
        emotion, where = step["emotion"], path + ("emotion",)
        if _number(emotion):
            if several:
                example = ", ".join(f"{p}: {n}" for p, n in zip(ids, (1, -1), strict=False))
                yield Issue("E207", f"with several personas, emotion must say whose it is: key it by persona id, "
                            f"e.g. 'emotion: {{{example}}}'", where)
            yield from in_scale(emotion, where, "")
        elif isinstance(emotion, dict):
            for key, value in emotion.items():
                if key in ids:
                    yield from in_scale(value, where + (key,), f" for '{short(key)}'")
                elif _ID.match(key):
                    if declared:
                        hint = did_you_mean(key, ids) or f"; personas: {', '.join(ids)}"
                    else:
                        hint = "; the map declares no personas: use a plain number"
                    yield Issue("E206", f"emotion for unknown persona '{short(key)}'{hint}", where + (key,), at_key=True)


def _targets(data: dict[str, Any]) -> Iterator[Issue]:
    for i, stage in _dicts(data.get("stages")):
        targets, metrics = stage.get("targets"), stage.get("metrics")
        names = set(metrics) if isinstance(metrics, dict) else set()
        for key in targets if isinstance(targets, dict) else {}:
            if key not in names:
                hint = did_you_mean(key, names) or (f"; this stage's metrics: {', '.join(sorted(names))}" if names
                                                    else "; this stage has no metrics")
                yield Issue("W202", f"target for unknown metric '{short(key)}'{hint}", ("stages", i, "targets", key),
                            at_key=True, severity="warning")


def check(data: dict[str, Any], position: Position) -> list[Issue]:
    """Every semantic issue in a (possibly schema-invalid) document."""
    issues: list[Issue] = []
    if "persona" in data and "personas" in data:
        issues.append(Issue("E202", "use either 'persona' (one) or 'personas' (several), not both", ("personas",),
                            at_key=True))
    issues += _unique_ids("persona", [(("personas", i), p) for i, p in _dicts(data.get("personas"))], position)
    stages = list(_dicts(data.get("stages")))
    issues += _unique_ids("stage", [(("stages", i), s) for i, s in stages], position)
    issues += _unique_ids("step", list(_steps(data)), position)
    issues += _unique_ids("path", [(p + ("paths", k), b) for p, step in _steps(data) if isinstance(step, dict)
                                   for k, b in _dicts(step.get("paths"))], position)
    issues += flow.check(data, list(_steps(data)))
    issues += _targets(data)
    issues += _channels(data)
    lo, hi, scale_issues = _scale(data)
    issues += scale_issues
    issues += _emotions(data, lo, hi)
    return issues
