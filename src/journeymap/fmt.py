"""Canonical formatting of map files, keeping every comment.

`format_text` re-emits a map with ruamel.yaml's round-trip mode:
- keys in the schema's order (top level: journeymap, title, description, persona,
  personas, scenario, emotion_scale, channels, lanes, stages; inside a stage, step,
  persona, touchpoint or opportunity, the order of that object's schema
  properties); unknown keys keep their place after the known ones;
- emotion-scale labels sorted by score;
- two-space indentation, sequences indented under their key;
- scalars untouched: quotes, block styles and line breaks stay as written.

Only journey maps are touched: YAML without a top-level `journeymap` key (a CI
workflow, a config file) is left as it is. A full-line comment above a key that
moves travels with that key, and is indented like the line below it. Formatting
is idempotent: formatting a formatted file changes nothing. Anchors and aliases
are kept as they are (never expanded), and each node is visited once.
"""

from __future__ import annotations

import io
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.files import write_atomic
from journeymap.resources import schema_path


@cache
def _orders() -> dict[str, tuple[str, ...]]:
    """Key order per kind of object, read from the schema's `properties`."""
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    defs = schema["definitions"]
    return {
        "root": tuple(schema["properties"]),
        "emotion_scale": tuple(schema["properties"]["emotion_scale"]["properties"]),
        "channel": tuple(schema["properties"]["channels"]["additionalProperties"]["properties"]),
        "persona": tuple(defs["persona"]["properties"]),
        "stage": tuple(defs["stage"]["properties"]),
        "step": tuple(defs["step_mapping"]["properties"]),
        "touchpoint": tuple(defs["touchpoint"]["oneOf"][1]["properties"]),
        "opportunity": tuple(defs["opportunity"]["oneOf"][1]["properties"]),
        "path": tuple(defs["path"]["properties"]),
        "process": tuple(defs["process"]["oneOf"][1]["properties"]),
        "evidence": tuple(defs["evidence_item"]["oneOf"][1]["properties"]),
    }


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a designer's lines
    yaml.allow_duplicate_keys = False
    return yaml


def format_text(text: str, filename: str = "<string>") -> str:
    """The canonical form of a map's YAML text; raises `JourneyError` on unreadable YAML."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = _yaml()
    try:
        doc = yaml.load(text)
    except (YAMLError, RecursionError) as exc:
        raise JourneyError(_load_diagnostics(text, filename, exc)) from None
    if not isinstance(doc, CommentedMap) or "journeymap" not in doc:
        return text  # not a journey map (a workflow, a config file): leave it alone
    if _too_deep(doc):  # what `validate` refuses for its nesting, `fmt` does not format either
        raise JourneyError(_load_diagnostics(text, filename, RecursionError()))
    try:
        _canonicalise(doc)
        out = io.StringIO()
        yaml.dump(doc, out)
    except RecursionError:
        raise JourneyError(_load_diagnostics(text, filename, RecursionError())) from None
    return _align_comments(out.getvalue())


def _load_diagnostics(text: str, filename: str, exc: BaseException) -> list[Diagnostic]:
    """What `validate` says about text ruamel could not read: the same codes, messages and positions."""
    from ruamel.yaml.error import MarkedYAMLError

    from journeymap.loader import LoadError, parse_text
    from journeymap.safe_yaml import TOO_DEEP

    try:
        parse_text(filename, text)
    except LoadError as e:
        return e.diagnostics
    except RecursionError:
        pass
    if isinstance(exc, RecursionError):
        return [Diagnostic(TOO_DEEP, filename, code="E010")]
    # ruamel refused what PyYAML reads: say so in ruamel's words
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if isinstance(exc, MarkedYAMLError):
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or str(exc)
    else:
        message = str(exc)
    return [Diagnostic(f"invalid YAML: {message}", filename, line, col, code="E004")]


def _too_deep(doc: Any) -> bool:
    """Whether the document nests more collections than the loader allows (each node visited once)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from journeymap.safe_yaml import MAX_DEPTH

    seen: set[int] = set()
    todo = [(doc, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            return True
        if id(node) in seen:
            continue
        seen.add(id(node))
        children = node.values() if isinstance(node, CommentedMap) else node
        todo += [(c, depth + 1) for c in children if isinstance(c, (CommentedMap, CommentedSeq))]
    return False


_BLOCK_SCALAR = re.compile(r"(?:^|[:\-]\s)\s*[|>][0-9+-]*\s*(?:#.*)?$")


def _align_comments(text: str) -> str:
    """Indent each full-line comment like the line below it, outside block scalars."""
    lines = text.split("\n")
    out: list[str] = []
    pending: list[int] = []  # indexes in `out` of comment lines waiting for the next content line
    block_indent = -1  # indentation of the key that opened a block scalar; -1 when outside one
    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent >= 0:
            if not stripped or indent > block_indent:
                out.append(line)
                continue
            block_indent = -1
        if stripped.startswith("#"):
            pending.append(len(out))
            out.append(stripped)
            continue
        if stripped:
            for i in pending:
                out[i] = " " * indent + out[i]
            pending = []
            if _BLOCK_SCALAR.search(line):
                # The block belongs to the line's key, which sits after any "- " markers.
                block_indent = indent + len(stripped) - len(stripped.lstrip("- "))
        out.append(line)
    return "\n".join(out)


def _canonicalise(doc: Any) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    seen: set[int] = set()
    orders = _orders()

    def maps(value: Any) -> list[Any]:
        if isinstance(value, CommentedMap):
            return [value]
        if isinstance(value, CommentedSeq):
            return [v for v in value if isinstance(v, CommentedMap)]
        return []

    def visit(node: Any, kind: str) -> None:
        if not isinstance(node, CommentedMap) or id(node) in seen:
            return
        seen.add(id(node))
        # Children first, so that moving this map's keys sees their final tails.
        for key, value in node.items():
            for child in maps(value):
                visit(child, _child_kind(kind, key))
        if kind == "emotion_scale" and isinstance(node.get("labels"), CommentedMap):
            labels = node["labels"]
            _reorder(labels, sorted(labels, key=_score_key), root=False)
        order = orders.get(kind)
        if order:
            rank = {k: i for i, k in enumerate(order)}
            _reorder(node, sorted(node, key=lambda k: rank.get(k, len(order))), root=kind == "root")

    visit(doc, "root")


def _child_kind(kind: str, key: Any) -> str:
    table = {
        ("root", "persona"): "persona",
        ("root", "personas"): "persona",
        ("root", "emotion_scale"): "emotion_scale",
        ("root", "stages"): "stage",
        ("stage", "steps"): "step",
        ("step", "touchpoints"): "touchpoint",
        ("step", "opportunities"): "opportunity",
        ("step", "paths"): "path",
        ("path", "steps"): "step",
        ("step", "backstage"): "process",
        ("step", "support"): "process",
        ("step", "evidence"): "evidence",
    }
    if kind == "root" and key == "channels":
        return "channels"
    if kind == "channels":
        return "channel"
    return table.get((kind, key), "")


def _score_key(key: Any) -> tuple[int, Any]:
    try:
        return (0, int(key))
    except (TypeError, ValueError):
        return (1, str(key))


def _tail(container: Any, key: Any) -> tuple[Any, Any, int]:
    """Where the comment after `container[key]`'s value lives: (ca.items owner, key, slot)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.get(key)
    value = container[key]
    if entry and entry[slot] is not None:
        return container, key, slot
    # A block collection's trailing comment lives on its last item; a flow one's on its key.
    if isinstance(value, CommentedMap) and len(value) and not value.fa.flow_style():
        return _tail(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value) and not value.fa.flow_style():
        return _tail(value, len(value) - 1)
    return container, key, slot


def _take_end_comments(value: Any) -> str:
    """Remove and return the comment lines kept at the end of a collection and its last items."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    found = ""
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        end = getattr(value.ca, "end", None)
        if end:
            found = "".join(t.value for t in end) + found
            value.ca.end = []
        value = value[list(value)[-1]] if isinstance(value, CommentedMap) else value[-1]
    return found


def _reorder(node: Any, new_order: list[Any], root: bool) -> None:
    """Reorder a CommentedMap's keys; full-line comments between keys move with the key below them."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
    from ruamel.yaml.tokens import CommentToken

    old_order = list(node)
    if old_order == new_order:
        return
    # Comment lines that sit above each key trail the value of the key before it; the
    # lines after the last key belong to whatever follows this map (key None).
    above: dict[Any, str] = {}
    for before, key in zip(old_order, old_order[1:] + [None]):
        owner, k, slot = _tail(node, before)
        entry = owner.ca.items.get(k)
        token = entry[slot] if entry else None
        if token is not None and "\n" in token.value.rstrip("\n"):
            eol, lines = token.value.split("\n", 1)
            above[key] = lines
            if eol:
                token.value = eol + "\n"
            else:
                entry[slot] = None
        # Comments after a block collection that ends in a flow one sit on the collection's end.
        ends = _take_end_comments(node[before])
        if ends:
            above[key] = above.get(key, "") + ends
    values = [(k, node[k], node.ca.items.get(k)) for k in new_order]
    for k in old_order:
        del node[k]
    for k, v, comment in values:
        node[k] = v
        if comment is not None:
            node.ca.items[k] = comment
    for index, key in enumerate(new_order + [None]):
        lines = above.get(key)
        if not lines:
            continue
        if index == 0:
            if root:
                if node.ca.comment is None:
                    node.ca.comment = [None, []]
                if node.ca.comment[1] is None:
                    node.ca.comment[1] = []
                node.ca.comment[1].append(CommentToken(lines, CommentMark(0), None))
                continue
            # No place above the first key of a nested map: keep the lines just below it.
            index = 1
        owner, k, slot = _tail(node, new_order[index - 1])
        entry = owner.ca.items.setdefault(k, [None, None, None, None])
        token = entry[slot]
        if token is None:
            # A block scalar ends with its own line break; anything else needs one first.
            block = isinstance(owner[k], (LiteralScalarString, FoldedScalarString))
            entry[slot] = CommentToken(("" if block else "\n") + lines, CommentMark(0), None)
        else:
            token.value = token.value.rstrip("\n") + "\n" + lines




def format_file(path: str | os.PathLike[str], check: bool = False) -> bool:
    """Format one map file in place; True when it changed (or, with `check`, would change)."""
    from journeymap.loader import read_source

    _, text = read_source(Path(path))
    formatted = format_text(text, str(path))
    if formatted == text:
        return False
    if not check:
        write_atomic(path, formatted)
    return True
