"""A safe YAML composer for maps: plain data only, bounded in size, depth and aliases.

Custom and `!!python/*` tags are refused, and so are documents that are too big, too
deep or that use aliases to multiply themselves ("billion laughs"): the expanded size
of every alias is counted while composing, before anything walks the tree.

Scalars follow the YAML 1.2 core schema, like the YAML language server in editors:
`yes`, `no`, `on` and `off` stay strings, dates stay strings, `1:30` is a string.
Merge keys (`<<`, a YAML 1.1 feature) are refused with a clear message.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import yaml
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 64  # a map needs about 8 levels
MAX_NODES = 100_000  # values in the document, aliases expanded
MAX_ALIASES = 1_000

# The same words for the same limits whatever the input format (YAML here, JSON and CSV on import).
TOO_DEEP = f"the document is nested too deeply (more than {MAX_DEPTH} levels)"
TOO_MANY_VALUES = (f"the document is too large: more than {MAX_NODES:,} values, the limit for one map (it keeps "
                   "checking and drawing fast; a large map has a few thousand): split it into several maps")


def duplicate_key(key: str, line: int, column: int) -> str:
    """The E007 message; `line` and `column` (1-based) are where the key was first defined."""
    shown = key if len(key) <= 40 else key[:37] + "..."
    return f"duplicate key '{shown}' (first defined at line {line}, column {column})"


STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {STD + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}


class Refused(Exception):
    """A document this composer will not turn into data, with a diagnostic code and the YAML mark."""

    def __init__(self, code: str, message: str, mark: Any = None):
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


class RefusedAll(Exception):
    """Every problem `to_data` found (duplicate keys, merge keys, unreadable values), in document order."""

    def __init__(self, problems: list[Refused]):
        super().__init__(problems[0].message)
        self.problems = problems


# Where each alias was written: (id(parent node), list index or id(key node)) -> (anchor, mark).
# A composed alias is the anchored node itself, so without this its uses have no position.
Aliases = dict[tuple[int, int], tuple[str, Any]]


# --- composing --------------------------------------------------------------------------------

class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: only true/false are booleans; no timestamps, no merge keys."""


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
):
    _Resolver.add_implicit_resolver(STD + _tag, re.compile(_pattern), list(_first))


class _Composer(yaml.composer.Composer):
    """Counts nodes, aliases and depth while composing, and refuses non-standard tags."""

    peek_event: Callable[[], Any]  # from the parser this composer is mixed with

    def __init__(self) -> None:
        super().__init__()
        self._sizes: dict[int, int] = {}  # id(node) -> node count with aliases expanded
        self._total = 0
        self._aliases = 0
        self._depth = 0
        self.alias_uses: Aliases = {}

    def _grow(self, n: int, mark: Any) -> None:
        self._total += n
        if self._total > MAX_NODES:
            if self._aliases:
                raise Refused("E009", f"the document is too large: more than {MAX_NODES:,} values once its aliases "
                              "are expanded, the limit for one map (it stops aliases from multiplying a small file "
                              "until it exhausts memory)", mark)
            raise Refused("E009", TOO_MANY_VALUES, mark)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise Refused("E009", f"too many aliases: more than {MAX_ALIASES:,}", event.start_mark)
            if parent is not None and index is not None:
                where = index if isinstance(index, int) else id(index)
                self.alias_uses[(id(parent), where)] = (str(event.anchor), event.start_mark)
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:
                raise Refused("E009", f"alias *{event.anchor} refers to a value that contains it", event.start_mark)
            self._grow(size, event.start_mark)
            return node
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _ALLOWED_TAGS:
            shown = tag.replace(STD, "!!")
            raise Refused("E008", f"tag '{shown}' is not allowed: a map holds only plain text, numbers, "
                          "true/false, lists and mappings", event.start_mark)
        scalar = isinstance(event, ScalarEvent)
        if not scalar:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise Refused("E010", TOO_DEEP, event.start_mark)
        node = super().compose_node(parent, index)
        if not scalar:
            self._depth -= 1
        if isinstance(node, SequenceNode):
            size = 1 + sum(self._sizes[id(c)] for c in node.value)
        elif isinstance(node, MappingNode):
            size = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        else:
            size = 1
        self._sizes[id(node)] = size
        self._grow(1, event.start_mark)
        return node


class _PyLoader(_Composer, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _Resolver):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _Composer.__init__(self)
        _Resolver.__init__(self)


_Loader: type = _PyLoader
if getattr(yaml, "__with_libyaml__", False):  # libyaml parses ~10x faster; composing stays ours

    class _CLoader(_Composer, yaml.cyaml.CParser, _Resolver):  # type: ignore[name-defined]
        def __init__(self, text: str):
            yaml.cyaml.CParser.__init__(self, text)  # type: ignore[attr-defined]
            _Composer.__init__(self)
            _Resolver.__init__(self)

    _Loader = _CLoader


def compose(text: str) -> tuple[Node | None, Aliases]:
    """The YAML node tree of a single-document text, and where its aliases are used;
    raises Refused or yaml.YAMLError."""
    loader = _Loader(text)
    try:
        return loader.get_single_node(), loader.alias_uses
    finally:
        loader.dispose()


# --- nodes to plain data ----------------------------------------------------------------------

def _scalar(node: ScalarNode) -> Any:
    tag, text = node.tag, node.value
    try:
        if tag == STD + "null":
            return None
        if tag == STD + "bool":
            return {"true": True, "false": False}[text.lower()]
        if tag == STD + "int":
            if text[:2] in ("0o", "0x"):
                return int(text[2:], 8 if text[1] == "o" else 16)
            return int(text)
        if tag == STD + "float":
            return float(text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                         .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
    except (KeyError, ValueError):
        kind = tag.replace(STD, "")
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise Refused("E014", f"cannot read '{shown}' as {'a number' if kind in ('int', 'float') else kind}",
                      node.start_mark) from None
    return text


def to_data(node: Node) -> Any:
    """Plain dicts, lists and scalars; mapping keys are the keys' source text.

    Raises RefusedAll with every problem found, so that one run reports them all.
    """
    problems: dict[tuple[int, int, str], Refused] = {}  # an aliased node is walked once per use
    data = _data(node, problems)
    if problems:
        raise RefusedAll(list(problems.values()))
    return data


def _refuse(problems: dict[tuple[int, int, str], Refused], problem: Refused) -> None:
    problems.setdefault((problem.mark.line, problem.mark.column, problem.code), problem)


def _data(node: Node, problems: dict[tuple[int, int, str], Refused]) -> Any:
    if isinstance(node, ScalarNode):
        try:
            return _scalar(node)
        except Refused as problem:
            _refuse(problems, problem)
            return None
    if isinstance(node, SequenceNode):
        return [_data(item, problems) for item in node.value]
    result: dict[str, Any] = {}
    seen: dict[str, Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            _refuse(problems, Refused("E012", "a mapping key must be plain text, not a list or mapping",
                                      key_node.start_mark))
            continue
        key = key_node.value
        if key == "<<" and not key_node.style:
            _refuse(problems, Refused("E011", "merge keys ('<<') are not supported: write the keys out, or use an "
                                      "alias (*name) for a whole value", key_node.start_mark))
            continue
        if key in seen:
            first = seen[key].start_mark
            _refuse(problems, Refused("E007", duplicate_key(key, first.line + 1, first.column + 1),
                                      key_node.start_mark))
            _data(value_node, problems)  # its own problems are still worth reporting
            continue
        seen[key] = key_node
        result[key] = _data(value_node, problems)
    return result


def uses_libyaml() -> bool:
    """Whether libyaml parses (its marks count UTF-8 bytes where the Python reader counts characters)."""
    return _Loader is not _PyLoader
