"""Plain-English messages for schema errors.

jsonschema describes errors for programmers ("Additional properties are not allowed
('stagse' was unexpected)"); designers need "unknown key 'stagse' in the map; did you
mean 'stages'?". `explain` turns one jsonschema error into such issues, each with the
document path it is about and whether the key (rather than the value) is to blame.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from jsonschema.exceptions import ValidationError

from journeymap.model import LANES, slugify

DocPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    path: DocPath
    at_key: bool = False  # point at the key of the entry at `path`, not at its value
    severity: str = "error"
    key: str | None = None  # E102: the missing key; E103: the key the unknown one is close to


SUPPORTED_VERSIONS = (1,)

# What one item of a list is called, by the list's key.
_ITEM = {
    "stages": "a stage", "steps": "a step", "personas": "a persona", "touchpoints": "a touchpoint",
    "opportunities": "an opportunity", "pains": "a pain", "backstage": "a backstage entry", "lanes": "a lane",
    "thought": "a thought", "paths": "a path", "support": "a support process", "evidence": "an evidence item",
    "goals": "a goal", "expectations": "an expectation", "frustrations": "a frustration",
}

# Hints for required keys.
_REQUIRED_HINT = {
    "action": "what the customer does", "steps": "a list of what the customer does", "name": "", "title": "",
    "stages": "the columns of the map", "id": "emotions are keyed by it", "channel": "a channel id such as 'web'",
    "idea": "the improvement", "process": "what happens", "source": "where the evidence comes from",
}

_TYPE_NAMES = {
    "string": "a string", "number": "a number", "integer": "a whole number", "boolean": "true or false",
    "array": "a list", "object": "a mapping", "null": "empty",
}

# Clearer wording for values that may take several shapes: list items by the list's name, fields by name.
_ITEM_SHAPES = {
    "steps": "a step must be a string (what the customer does) or a mapping with an 'action'",
    "touchpoints": "a touchpoint must be a channel id or a mapping with a 'channel'",
    "opportunities": "an opportunity must be a string or a mapping with an 'idea'",
    "backstage": "a backstage entry must be a string or a mapping with a 'process'",
    "support": "a support process must be a string or a mapping with a 'process'",
    "evidence": "an evidence item must be a string or a mapping with a 'source'",
}
_FIELD_SHAPES = {
    "emotion": "emotion must be a number, or a mapping of persona id to number",
    "thought": "thought must be a string or a list of strings",
    "evidence": "evidence must be a string or a list of items, each a string or a mapping with a 'source'",
    "rejoin": "rejoin must be a step id, or empty for a path that ends",
}


def as_list(value: Any) -> list[Any]:
    """A list from a document not yet known to be valid: anything else counts as empty."""
    return value if isinstance(value, list) else []


def short(text: str, limit: int = 40) -> str:
    """Text cut to fit in a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(value: Any) -> str:
    """A value as a designer would recognise it: 5, true, the text 'happy', a list."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return f"the text '{short(value)}'" if value else "an empty string"
    return "a list" if isinstance(value, list) else "a mapping"


def _edits(a: str, b: str) -> int:
    """Typing mistakes between two words: letters added, dropped, changed or swapped."""
    previous, current = list(range(len(b) + 1)), [0] * (len(b) + 1)
    before: list[int] = []
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[-1]


def _typo(word: str, candidate: str) -> bool:
    """Whether `word` reads as a misspelling of `candidate`, not merely a word sharing letters with it.

    Similar letters alone suggest too much ('version' shares 5 of 7 with 'persona'): a typo is
    at most one mistake in three letters (stagse, tittle, webb), or a shortened form (hi, step).
    """
    short_, long_ = sorted((word, candidate), key=len)
    if len(long_) > 64:  # not a typed word; counting edits would only cost time
        return True
    return _edits(word, candidate) <= max(1, len(word) // 3) or (
        long_.startswith(short_) and 2 * len(short_) >= len(long_))


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` is most likely a typo of, if any is close."""
    options = sorted(candidates)
    for text in dict.fromkeys((word, word.lower()) if options else ()):
        for match in difflib.get_close_matches(text, options, n=len(options), cutoff=0.6):
            if _typo(text, match):
                return match
    return None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """"; did you mean 'stages'?" when a candidate is close, else ""."""
    match = closest(word, candidates)
    return f"; did you mean '{match}'?" if match else ""


def label(path: DocPath) -> str:
    """What the value at `path` is called in a message: 'emotion', 'a step', 'the map'."""
    if not path:
        return "the map"
    last = path[-1]
    if isinstance(last, str):
        return last
    parent = path[-2] if len(path) > 1 else ""
    return _ITEM.get(str(parent), f"an entry of {parent}")


def container(path: DocPath) -> str:
    """Where a key lives: 'the map', 'a step', 'the persona', "channel 'crm'"."""
    if not path:
        return "the map"
    if path == ("persona",):
        return "the persona"
    if len(path) == 2 and path[0] == "channels":
        return f"channel '{short(str(path[1]))}'"
    return label(path)


def _types_of(schema: Mapping[str, Any], root: Mapping[str, Any]) -> list[str]:
    schema = resolve(schema, root)
    kind = schema.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def _matches(kind: str, value: Any) -> bool:
    if kind in ("number", "integer"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return ok and (kind == "number" or float(value).is_integer())
    py = {"string": str, "boolean": bool, "array": list, "object": dict, "null": type(None)}[kind]
    return isinstance(value, py)


def resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local `$ref` (`#/definitions/step`)."""
    while "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _shape_message(path: DocPath, kinds: Sequence[str], value: Any) -> str:
    key = path[-1] if path else ""
    if isinstance(key, str):
        shape = _FIELD_SHAPES.get(key)
    else:
        shape = _ITEM_SHAPES.get(str(path[-2])) if len(path) > 1 else None
    if shape is None:
        names = [_TYPE_NAMES[k] for k in dict.fromkeys(kinds)]
        shape = f"{label(path)} must be {' or '.join(names)}"
    hint = ""
    if key == "emotion" and isinstance(value, str):
        hint = "; put words like that under 'feeling'"
    elif key == "emotion" and value is None:
        hint = "; leave emotion out when it is not known"
    return f"{shape}, got {describe(value)}{hint}"


def explain(error: ValidationError, root: Mapping[str, Any]) -> Iterator[Issue]:
    """Plain-English issues for one jsonschema error (and the chosen branch of a oneOf/anyOf)."""
    path: DocPath = tuple(error.absolute_path)
    value: Any = error.instance
    kind: Any = error.validator
    arg: Any = error.validator_value

    if kind in ("oneOf", "anyOf"):
        fitting = [i for i, b in enumerate(arg) if any(_matches(k, value) for k in _types_of(b, root) or [])]
        if len(fitting) == 1:  # report why the value fails the branch of its own type
            for sub in error.context or []:
                if sub.relative_schema_path[0] == fitting[0]:
                    yield from explain(sub, root)
            return
        kinds = [k for b in arg for k in _types_of(b, root)]
        yield Issue("E104", _shape_message(path, kinds, value), path)
    elif kind == "type":
        yield Issue("E104", _shape_message(path, [arg] if isinstance(arg, str) else arg, value), path)
    elif kind == "required":
        for key in arg:
            if isinstance(value, dict) and key not in value:
                yield _missing(path, key)
    elif kind == "additionalProperties" and arg is False:
        schema: Any = error.schema
        allowed = list(schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                match = closest(key, allowed)
                hint = f"; did you mean '{match}'?" if match else f"; allowed keys: {', '.join(allowed)}"
                if not path and key == "version" and not match:
                    hint = f"; the format version is given as 'journeymap: {SUPPORTED_VERSIONS[-1]}'"
                yield Issue("E103", f"unknown key '{short(key)}' in {container(path)}{hint}", path + (key,),
                            at_key=True, key=match)
    elif kind == "enum" and path == ("journeymap",):
        yield _version(value)
    elif kind == "enum":
        words = [str(w) for w in arg]
        hint = did_you_mean(str(value), words) if isinstance(value, str) else ""
        if len(path) == 2 and path[0] == "lanes":
            rest = "" if hint else f"; lanes are: {', '.join(LANES)}"
            yield Issue("E105", f"unknown lane {describe(value).removeprefix('the text ')}{hint}{rest}", path)
        else:
            yield Issue("E105", f"{label(path)} must be one of {', '.join(words)}, got {describe(value)}{hint}", path)
    elif kind == "pattern" and "propertyNames" in error.schema_path:
        yield _bad_key(path, str(value))
    elif kind == "pattern":
        what = "channel id" if path[-1] == "channel" or path[-2:-1] == ("touchpoints",) else label(path)
        yield Issue("E107", f"{what} '{short(str(value))}' must be lower-case letters, digits, '-' and '_', starting "
                    f"with a letter or digit; for example '{slugify(str(value)[:200])}'", path)
    elif kind in ("minLength", "minItems", "minProperties"):
        yield Issue("E106", _empty_message(path, kind), path)
    elif kind == "uniqueItems":
        seen: set[str] = set()
        twice = None
        for v in value:
            if str(v) in seen:
                twice = v
                break
            seen.add(str(v))
        yield Issue("E108", f"{label(path)} names '{'?' if twice is None else twice}' more than once", path)
    else:
        yield Issue("E109", f"{label(path)}: {error.message}", path)


def _missing(path: DocPath, key: str) -> Issue:
    if not path and key == "journeymap":
        return Issue("E101", "missing the format version: start the map with 'journeymap: 1'", path, key=key)
    if len(path) == 2 and path[0] == "personas" and key == "id":
        return Issue("E102", "each of several personas needs an 'id' (emotions are keyed by it)", path, key=key)
    hint = _REQUIRED_HINT.get(key, "")
    return Issue("E102", f"{container(path)} is missing required key '{key}'" + (f" ({hint})" if hint else ""),
                 path, at_key=bool(path) and isinstance(path[-1], str), key=key)


def _version(value: Any) -> Issue:
    supported = ", ".join(map(str, SUPPORTED_VERSIONS))
    if isinstance(value, str) and value.strip() in map(str, SUPPORTED_VERSIONS):
        message = f"journeymap: the format version must be a number, not text: write 'journeymap: {value.strip()}'"
    else:
        shown = value if isinstance(value, (int, float)) and not isinstance(value, bool) else describe(value)
        message = f"journeymap: unsupported format version {shown}; supported versions: {supported}"
    return Issue("E101", message, ("journeymap",))


def _bad_key(path: DocPath, key: str) -> Issue:
    where = path + (key,)
    if path[-1:] == ("labels",):
        return Issue("E107", f"emotion_scale label key '{short(key)}' must be a whole-number score such as -2 or 1",
                     where, at_key=True)
    what = "persona id" if path[-1:] == ("emotion",) else "channel id" if path == ("channels",) else "key"
    return Issue("E107", f"{what} '{short(key)}' must be lower-case letters, digits, '-' and '_', starting with a letter "
                 f"or digit; for example '{slugify(key[:200])}'", where, at_key=True)


def _empty_message(path: DocPath, kind: str) -> str:
    name = label(path)
    if kind == "minItems" and isinstance(path[-1], str):
        item = _ITEM.get(path[-1], "entry").split(" ", 1)[-1]
        return f"{name} must list at least one {item}"
    if kind == "minProperties":
        return f"{name} must not be an empty mapping"
    return f"{name} must not be empty"
