"""JSON: the normalised model out, and maps in.

Export writes the compiled `Journey` (every shorthand expanded, ids derived,
defaults applied) as JSON described by `schemas/journey-model.schema.json`: keys
in the model's field order, emotion-scale labels keyed by their score as text.
Import accepts either that JSON or a map document written as JSON (an object
with `journeymap: 1`), and returns a document.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from types import MappingProxyType
from typing import Any, Mapping

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.interchange import Exported, number
from journeymap.model import BUILTIN_CHANNELS, Journey, build_journey
from journeymap.safe_yaml import MAX_DEPTH, MAX_NODES, TOO_DEEP, TOO_MANY_VALUES, duplicate_key

MODEL_SCHEMA_ID = "https://journeymap.dev/schema/journey-model-1.schema.json"


def to_data(value: Any) -> Any:
    """Plain JSON data from the model's dataclasses, in field order."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (Mapping, MappingProxyType)):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, float):
        return number(value)
    return value


def dump(journey: Journey) -> Exported:
    data = {"$schema": MODEL_SCHEMA_ID, **to_data(journey)}
    return Exported(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# Outside strings only brackets and keys matter; any other run of characters is one value.
# A string always matches, closed or not (to the end of the text), so that no quote starts a
# scan that fails: unclosed strings would otherwise make the scan quadratic.
_TOKEN = re.compile(r'("(?:[^"\\]|\\.|\\\Z)*(?:"|\Z))(\s*:)?|[\[\]{}]|[^\s\[\]{},:"]+', re.DOTALL)


def _position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _scan(text: str, filename: str) -> list[Diagnostic]:
    """Hold JSON to the YAML loader's limits before `json` reads it (its recursion has no cap):
    nesting (E010) and values (E009) raise at once; duplicate keys (E007, which `json` would
    silently resolve to the last) are returned, for when the JSON turns out well formed."""
    def refuse(code: str, message: str, offset: int) -> JourneyError:
        return JourneyError([Diagnostic(message, filename, *_position(text, offset), code=code)])

    open_: list[dict[str, int] | None] = []  # per open bracket: an object's keys and their offsets
    values = 0
    duplicates = []
    for token in _TOKEN.finditer(text):
        first = token.group(0)[0]
        if first in "]}":
            if open_:
                open_.pop()
            continue
        values += 1
        if values > MAX_NODES:
            raise refuse("E009", TOO_MANY_VALUES, token.start())
        if first in "[{":
            if len(open_) >= MAX_DEPTH:
                raise refuse("E010", TOO_DEEP, token.start())
            open_.append({} if first == "{" else None)
        elif token.group(2) and open_ and open_[-1] is not None:
            try:
                key = json.loads(token.group(1))
            except ValueError:
                continue  # a bad escape: json reports it
            keys = open_[-1]
            if key in keys:
                line, column = _position(text, keys[key])
                duplicates.append(Diagnostic(duplicate_key(key, line, column), filename,
                                             *_position(text, token.start()), code="E007"))
            else:
                keys[key] = token.start()
    return duplicates


def parse(text: str, filename: str) -> dict[str, Any]:
    duplicates = _scan(text, filename)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        diagnostic = Diagnostic(f"invalid JSON: {exc.msg}", filename, exc.lineno, exc.colno, code="E830")
        raise JourneyError([diagnostic]) from None
    except ValueError as exc:  # a number too long to convert
        raise JourneyError([Diagnostic(f"invalid JSON: {exc}", filename, 1, 1, code="E830")]) from None
    if duplicates:
        raise JourneyError(duplicates)
    if not isinstance(data, dict):
        raise JourneyError([Diagnostic("the JSON must be an object", filename, 1, 1, code="E830")])
    if "journeymap" in data:
        return data
    if "stages" in data and "version" in data:
        try:
            return from_model(data)
        except (KeyError, TypeError, AttributeError) as exc:
            raise JourneyError(
                [Diagnostic(f"this model JSON is incomplete or malformed (at {exc})", filename, 1, 1, code="E830")]
            ) from None
    raise JourneyError([Diagnostic(
        "expected a map (an object with `journeymap: 1`) or a model exported by `journeymap export --to json`",
        filename, 1, 1, code="E830")])


def _drop_empty(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {}, False, "")}


def _compact(item: Mapping[str, Any], key: str) -> Any:
    """A touchpoint or opportunity as its shorthand string when it holds nothing else."""
    item = _drop_empty(item)
    return item[key] if list(item) == [key] else item


def from_model(data: Mapping[str, Any]) -> dict[str, Any]:
    """A map document from model JSON: shorthands restored, defaults left out."""
    personas = [_drop_empty(p) for p in data.get("personas") or []]
    single = len(personas) == 1
    doc: dict[str, Any] = {"journeymap": data["version"], "title": data["title"]}
    if data.get("description"):
        doc["description"] = data["description"]
    if single:
        doc["persona"] = personas[0]
    elif personas:
        doc["personas"] = personas
    if data.get("scenario"):
        doc["scenario"] = data["scenario"]
    scale = data.get("emotion_scale") or {}
    scale_doc = {k: scale[k] for k in ("min", "max") if k in scale and scale[k] != {"min": -2, "max": 2}[k]}
    if scale.get("labels"):
        scale_doc["labels"] = {int(k): v for k, v in scale["labels"].items()}
    if scale_doc:
        doc["emotion_scale"] = scale_doc
    channels = {
        cid: _drop_empty({"label": c["label"] if c["label"] != _default_label(cid) else None,
                          "icon": c["icon"] if c["icon"] != cid else None})
        for cid, c in (data.get("channels") or {}).items()
    }
    channels = {cid: c for cid, c in channels.items() if c}
    if channels:
        doc["channels"] = channels
    doc["lanes"] = list(data.get("lanes") or [])
    doc["stages"] = [_stage(st, single) for st in data["stages"]]
    if build_journey({**doc, "lanes": None}).lanes == tuple(doc["lanes"]):
        del doc["lanes"]  # the default lanes: leave them to the compiler
    return _drop_derived_ids(doc)


def _default_label(cid: str) -> str:
    return BUILTIN_CHANNELS.get(cid) or cid.replace("-", " ").capitalize()


def _stage(stage: Mapping[str, Any], single: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": stage["id"], "name": stage["name"]}
    if stage.get("description"):
        out["description"] = stage["description"]
    if stage.get("metrics"):
        out["metrics"] = {m["name"]: m["value"] for m in stage["metrics"]}
    if stage.get("targets"):
        out["targets"] = {m["name"]: m["value"] for m in stage["targets"]}
    out["steps"] = [_step(s, single) for s in stage["steps"]]
    return out


def _step(step: Mapping[str, Any], single: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": step["id"], "action": step["action"]}
    thoughts = list(step.get("thoughts") or [])
    if thoughts:
        out["thought"] = thoughts[0] if len(thoughts) == 1 else thoughts
    if step.get("feeling"):
        out["feeling"] = step["feeling"]
    emotions = dict(step.get("emotions") or {})
    if emotions:
        out["emotion"] = next(iter(emotions.values())) if single or list(emotions) == ["customer"] else emotions
    if step.get("touchpoints"):
        out["touchpoints"] = [_compact(t, "channel") for t in step["touchpoints"]]
    if step.get("pains"):
        out["pains"] = list(step["pains"])
    for key, items in (("backstage", step.get("backstage_items")), ("support", step.get("support"))):
        if items:
            out[key] = [_compact(p, "process") for p in items]
    if step.get("opportunities"):
        out["opportunities"] = [_compact(o, "idea") for o in step["opportunities"]]
    if step.get("moment_of_truth"):
        out["moment_of_truth"] = True
    evidence = [_compact(e, "source") for e in step.get("evidence_items") or []]
    if evidence:
        out["evidence"] = evidence[0] if len(evidence) == 1 and isinstance(evidence[0], str) else evidence
    if step.get("confidence"):
        out["confidence"] = step["confidence"]
    if step.get("paths"):
        out["paths"] = [{"id": p["id"], "name": p["name"], "steps": [_step(s, single) for s in p["steps"]],
                         **({"rejoin": p["rejoin"]} if p.get("rejoin") else {})} for p in step["paths"]]
    for key in ("next", "exit", "exit_reason"):
        if step.get(key):
            out[key] = step[key]
    return out


def _drop_derived_ids(doc: dict[str, Any]) -> dict[str, Any]:
    """Leave out the ids the compiler would derive anyway, when that changes nothing."""
    bare = {**doc, "stages": [
        {**{k: v for k, v in st.items() if k != "id"},
         "steps": [{k: v for k, v in s.items() if k != "id"} for s in st["steps"]]}
        for st in doc["stages"]
    ]}
    derived = build_journey(json.loads(json.dumps(bare)))  # JSON turns label keys into text, as YAML maps have
    original = [(st["id"], [s["id"] for s in st["steps"]]) for st in doc["stages"]]
    if [(st.id, [s.id for s in st.steps]) for st in derived.stages] == original:
        doc = bare
    for st in doc["stages"]:
        st["steps"] = [s["action"] if list(s) == ["action"] else s for s in st["steps"]]
    return doc
