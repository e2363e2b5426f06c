"""Read a map file into plain data, keeping every value's source position.

    doc = load_document("examples/retail-purchase.yaml")
    doc.data["stages"][0]["name"]
    doc.position(("stages", 2, "steps", 0, "emotion"))  # (line, column), 1-based

Reading refuses files over 10 MB and decodes UTF-8 (or UTF-8/16/32 with a byte order
mark); the YAML is composed by `safe_yaml`, which knows plain data only and bounds
size, depth and aliases. Every failure is a `LoadError` carrying one diagnostic.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap import safe_yaml
from journeymap.safe_yaml import STD, Aliases, Refused, RefusedAll, compose, to_data

MAX_BYTES = 10 * 1024 * 1024  # a large map is ~50 kB

PathKey = str | int
DocPath = Sequence[PathKey]


class LoadError(JourneyError):
    """A map could not be read or parsed; `text` is the source as far as it could be decoded."""

    def __init__(self, diagnostics: list[Diagnostic], file: str, text: str | None):
        super().__init__(diagnostics)
        self.file = file
        self.text = text


@dataclass(frozen=True, eq=False)
class Document:
    """A composed map: plain `data` plus the YAML node tree that knows every position."""

    file: str
    text: str
    data: dict[str, Any]
    root: MappingNode
    aliases: Aliases = field(default_factory=dict)

    def _walk(self, path: DocPath) -> tuple[Node | None, Node, tuple[str, Any] | None]:
        """The (key node, value node) at `path`, or at the deepest part of it that exists,
        and the first alias the path goes through (anchor, mark), if any."""
        key_node: Node | None = None
        node: Node = self.root
        alias = None
        for part in path:
            parent = node
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == str(part):
                        key_node, node = k, v
                        break
                else:
                    break
                where = id(key_node)
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key_node, node, where = None, node.value[part], part
            else:
                break
            alias = alias or self.aliases.get((id(parent), where))
        return key_node, node, alias

    def _find(self, path: DocPath) -> tuple[Node | None, Node]:
        return self._walk(path)[:2]

    def alias_position(self, path: DocPath) -> tuple[str, int, int] | None:
        """(anchor, line, column) of the first alias on the way to `path`, when the value there is
        shared through one: its own position is the anchor's, which other paths share too."""
        alias = self._walk(path)[2]
        return (alias[0], alias[1].line + 1, alias[1].column + 1) if alias else None

    def span(self, path: DocPath) -> tuple[int, int, int, int]:
        """(line, column, end line, end column), 1-based, of the value at `path`.

        An empty value (`title:`) has no extent of its own, so its key is used.
        """
        key_node, node = self._find(path)
        if key_node is not None and isinstance(node, ScalarNode) and node.value == "" and not node.style:
            node = key_node
        return _span(node)

    def key_span(self, path: DocPath) -> tuple[int, int, int, int]:
        """The span of the key of the mapping entry at `path` (the value's span for list items)."""
        key_node, node = self._find(path)
        return _span(key_node if key_node is not None else node)

    def position(self, path: DocPath) -> tuple[int, int]:
        """(line, column), 1-based, of the value at `path`, e.g. ("stages", 2, "steps", 0, "emotion")."""
        return self.span(path)[:2]

    def key_position(self, path: DocPath) -> tuple[int, int]:
        return self.key_span(path)[:2]


def _span(node: Node) -> tuple[int, int, int, int]:
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode) and end.line == start.line and end.column > start.column:
        return start.line + 1, start.column + 1, end.line + 1, end.column + 1
    return start.line + 1, start.column + 1, start.line + 1, start.column + 2


# --- reading and decoding -------------------------------------------------------------------

def source_name(source: str | os.PathLike[str]) -> tuple[Path | None, str]:
    """Whether `source` is a file (its path) or YAML text, and the name diagnostics use.

    A str is a path when it has no newline and names an existing file, or looks like
    a file name ending in .yaml/.yml (so a typo gives "no such file", not a type error).
    """
    if isinstance(source, os.PathLike):
        return Path(source), os.fspath(source)
    if "\n" not in source and source.strip() and (
        os.path.exists(source) or source.lower().endswith((".yaml", ".yml"))
    ):
        return Path(source), source
    return None, "<string>"


def read_source(source: str | os.PathLike[str]) -> tuple[str, str]:
    """(file name, text) of a map; raises LoadError when it cannot be read or decoded."""
    path, name = source_name(source)
    if path is None:
        assert isinstance(source, str)
        if len(source) > MAX_BYTES:
            raise _error(name, None, "E002", f"the map is too large ({_mb(len(source))}; the limit is {_LIMIT})")
        return name, source.removeprefix("\ufeff")
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _error(name, None, "E001", f"{name} is a directory, not a map file")
        if not stat.S_ISREG(info.st_mode):
            raise _error(name, None, "E001", f"{name} is not a regular file")
        if info.st_size > MAX_BYTES:
            raise _error(name, None, "E002", f"the file is too large ({_mb(info.st_size)}; the limit is {_LIMIT})")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _error(name, None, "E001", f"no such file: {name}") from None
    except PermissionError:
        raise _error(name, None, "E001", f"permission denied: cannot read {name}") from None
    except OSError as e:
        raise _error(name, None, "E001", f"cannot read {name}: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise _error(name, None, "E002", f"the file is too large (more than {_LIMIT})")
    return name, decode(data, name)


def read_stream(stream: IO[bytes], name: str = "<stdin>") -> str:
    """The text of a map piped in, with the limits and decoding of a map file."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _error(name, None, "E002", f"the input is too large (more than {_LIMIT})")
    return decode(data, name)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")


_LIMIT = _mb(MAX_BYTES)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str = "<string>") -> str:
    """UTF-8, or UTF-8/16/32 with a byte order mark (the encodings YAML allows)."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        before = data[: e.start].decode(encoding, errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        label = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
        message = f"the file is not valid {label}: cannot decode byte 0x{data[e.start]:02x}; save it as UTF-8"
        text = data.decode(encoding, errors="replace")
        raise LoadError([Diagnostic(message, name, line, column, code="E003")], name, text) from None


def _error(name: str, text: str | None, code: str, message: str, line: int = 1, column: int = 1) -> LoadError:
    return LoadError([Diagnostic(message, name, line, column, code=code)], name, text)


_KINDS = {SequenceNode: "a list", ScalarNode: "a single value"}


def load_document(source: str | os.PathLike[str]) -> Document:
    """Read, parse and compose a map; raises LoadError with a positioned diagnostic."""
    return parse_text(*read_source(source))


def parse_text(name: str, text: str) -> Document:
    """Parse and compose map text read from `name`; raises LoadError with positioned diagnostics."""
    try:
        root, aliases = compose(text)
        if root is None or (isinstance(root, ScalarNode) and root.tag == STD + "null"):
            raise Refused("E005", "the map is empty; it should start with 'journeymap: 1'")
        if not isinstance(root, MappingNode):
            kind = _KINDS.get(type(root), "a value")
            raise Refused("E006", f"the map must be a mapping of keys such as 'journeymap', 'title' and "
                          f"'stages', but the document is {kind}", root.start_mark)
        data = to_data(root)
    except RefusedAll as every:
        problems = sorted(every.problems, key=lambda p: (p.mark.line, p.mark.column))
        diagnostics = [Diagnostic(p.message, name, p.mark.line + 1, p.mark.column + 1, code=p.code) for p in problems]
        raise LoadError(diagnostics, name, text) from None
    except Refused as p:
        line, column = (p.mark.line + 1, p.mark.column + 1) if p.mark is not None else (1, 1)
        raise _error(name, text, p.code, p.message, line, column) from None
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(name, text, e) from None
    except yaml.reader.ReaderError as e:
        # libyaml counts UTF-8 bytes, the pure-Python reader counts characters
        offset = len(text.encode()[: e.position].decode(errors="ignore")) if safe_yaml.uses_libyaml() else e.position
        before = text[:offset]
        line, column = before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
        message = f"invalid character U+{e.character:04X} in the file: control characters are not allowed"
        raise _error(name, text, "E004", message, line, column) from None
    except yaml.YAMLError as e:
        raise _error(name, text, "E004", f"invalid YAML: {e}") from None
    return Document(name, text, data, root, aliases)


def _yaml_error(name: str, text: str, e: yaml.MarkedYAMLError) -> LoadError:
    if e.problem and "single document" in (e.context or "") and e.problem_mark is not None:
        message = "the file holds more than one YAML document; a map file holds exactly one"
        return _error(name, text, "E013", message, e.problem_mark.line + 1, e.problem_mark.column + 1)
    mark = e.problem_mark or e.context_mark
    if e.problem == "second occurrence" and e.context_mark is not None and mark is not None:
        first = e.context_mark
        anchor = (e.context or "").removeprefix("found duplicate anchor ").split(";")[0].strip("'")
        message = (f"invalid YAML: duplicate anchor &{anchor} (first defined at line {first.line + 1}, "
                   f"column {first.column + 1})")
        return _error(name, text, "E004", message, mark.line + 1, mark.column + 1)
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and lines[mark.line][mark.column: mark.column + 1] == "\t":
        return _error(name, text, "E004", "invalid YAML: a tab cannot be used here; indent with spaces",
                      mark.line + 1, mark.column + 1)
    problem = e.problem or e.context or "invalid YAML"
    context = f" ({e.context})" if e.context and e.problem else ""
    if e.context_mark is not None and e.problem_mark is not None and e.context_mark.line != e.problem_mark.line:
        context = f" ({e.context} at line {e.context_mark.line + 1})" if e.context else ""
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return _error(name, text, "E004", f"invalid YAML: {problem}{context}", line, column)
