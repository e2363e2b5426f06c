"""Mutation tests: every example, broken in thousands of small ways, is either still a valid map or
fails with positioned diagnostics and exit code 1 — never a usage error (2), never a traceback.

Mutations, made on the text so that everything around them keeps its place:
- truncate the file after every line; delete every line; duplicate every line (duplicate keys, items);
- for every key and value the YAML parser sees: delete the entry, retype the value (null, true,
  numbers, strings, lists, mappings...), misspell or upper-case the key, corrupt the text.

All mutants of an example are checked by one `journeymap validate DIR --format json` run; the JSON
says where every diagnostic points. JOURNEYMAP_MUTATIONS=all makes every retype on every value
(the default takes two per value, rotating, so every kind is still tried on every kind of node) and
draws every still-valid mutant (the default draws one in twenty).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from layout_invariants import check_layout
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymap.layouts import compute_layout
from journeymap.render import render_svg
from journeymap.render.theme import load_theme
from journeymap.validation import compile_journey

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))
ALL = os.environ.get("JOURNEYMAP_MUTATIONS", "").lower() == "all"
RENDER_EVERY = 1 if ALL else 20

# Flow-style values that fit wherever a value goes, of every YAML type.
RETYPES = ["null", "true", "0", "-1.5", "12345678901234567890123", '""', '"text"', "[]", "{}", "[x, 1]",
           "{k: v}", ".nan", ".inf", "'2024-01-01'", "!!binary aGVsbG8=", "*undefined", "&a x", "|\n  block"]
CORRUPT = ['"\\u202e\\u0000\\x07"', "x" * 5000, '"<script>&amp;]]>"', "'unterminated", "\"bad \\q escape\"",
           "[unclosed", "{a: 1, a: 2}", "- item", ": colon", "\t tabbed"]


@dataclass(frozen=True)
class Mutant:
    name: str  # describes the mutation, also the file name
    text: str


def _known_codes() -> set[str]:
    from journeymap import diagnostics

    return set(re.findall(r"^\| ([EW]\d{3}) \|", diagnostics.__doc__ or "", re.M))


def _value_end(text: str, node: Node) -> int:
    """Where the node's own text ends: its end mark, without the whitespace and comments after it."""
    end = node.end_mark.index
    span = text[node.start_mark.index:end]
    if isinstance(node, ScalarNode) or span.rstrip() == span:
        return end
    # A block collection's end mark is at the next token; drop trailing blank and comment lines.
    lines = span.split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].strip().startswith("#")):
        lines.pop()
    return node.start_mark.index + len("\n".join(lines).rstrip())


def _entries(node: Node, path: str = "") -> Iterator[tuple[str, Node | None, Node]]:
    """(path, key node or None for list items, value node) for every entry below `node`."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            here = f"{path}.{key.value}" if path else str(key.value)
            yield here, key, value
            yield from _entries(value, here)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            yield f"{path}[{i}]", None, item
            yield from _entries(item, f"{path}[{i}]")


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def mutants(example: Path) -> list[Mutant]:
    text = example.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    out: list[Mutant] = []
    for i in range(len(lines) + 1):
        out.append(Mutant(f"truncate-after-line-{i}", "".join(lines[:i])))
    for i in range(len(lines)):
        out.append(Mutant(f"delete-line-{i + 1}", "".join(lines[:i] + lines[i + 1:])))
        out.append(Mutant(f"duplicate-line-{i + 1}", "".join(lines[:i + 1] + lines[i:])))
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for n, (path, key, value) in enumerate(_entries(root)):
        start = (key or value).start_mark.index
        end = _value_end(text, value)
        out.append(Mutant(f"delete-{path}", _splice(text, start, end, "")))
        vstart = value.start_mark.index
        picks = RETYPES if ALL else [RETYPES[(2 * n + k) % len(RETYPES)] for k in range(2)]
        for new in picks:
            out.append(Mutant(f"retype-{path}-to-{new[:12]}", _splice(text, vstart, end, new)))
        out.append(Mutant(f"corrupt-{path}", _splice(text, vstart, end, CORRUPT[n % len(CORRUPT)])))
        if key is not None:
            word = str(key.value)
            typo = word.upper() if n % 2 else (word[:-1] if len(word) > 1 else word + "_")
            out.append(Mutant(f"rename-{path}-to-{typo}", _splice(text, key.start_mark.index, key.end_mark.index,
                                                                   typo)))
    return out


def _position_ok(d: dict, text: str) -> bool:
    lines = text.split("\n")
    if not 1 <= d["line"] <= len(lines):
        return False
    return 1 <= d["column"] <= len(lines[d["line"] - 1]) + 1


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_mutant_validates_or_fails_with_positioned_diagnostics(example: Path, tmp_path: Path) -> None:
    known = _known_codes()
    found = mutants(example)
    files: dict[str, Mutant] = {}
    for i, m in enumerate(found):
        name = f"{i:05d}.yaml"  # short: every file is named on the command line (a folder skips non-maps)
        (tmp_path / name).write_text(m.text, encoding="utf-8")
        files[name] = m
    proc = subprocess.run([sys.executable, "-m", "journeymap", "validate", *files, "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stderr.startswith(f"{len(files)} files checked, ")
    by_file: dict[str, list[dict]] = {}
    for d in json.loads(proc.stdout):
        by_file.setdefault(d["file"], []).append(d)
    assert set(by_file) <= set(files)

    valid: list[Mutant] = []
    for file, m in files.items():
        diags = by_file.get(file, [])
        if not any(d["severity"] == "error" for d in diags):
            valid.append(m)
        for d in diags:
            where = f"{m.name}: {d}"
            assert d["code"] in known, where
            assert d["message"] and "internal error" not in d["message"] and "Traceback" not in d["message"], where
            assert _position_ok(d, m.text), where
    # The untouched file (truncated after its last line) is valid, and most mutants are not: the mutations bite.
    whole = f"truncate-after-line-{len(example.read_text(encoding='utf-8').splitlines())}"
    assert any(m.name == whole for m in valid)
    assert len(valid) < len(files) // 2
    # Still-valid mutants draw with every layout invariant kept (a sample: drawing costs ~50 ms each).
    for m in valid[::RENDER_EVERY]:
        journey = compile_journey(m.text)
        assert check_layout(compute_layout(journey, load_theme("default")), journey) == [], m.name
        ET.fromstring(render_svg(journey, "default", embed_fonts=False).encode("utf-8"))
    print(f"{example.name}: {len(files)} mutants, {len(valid)} still valid")


def test_a_mutant_through_render_exits_1_with_the_diagnostic(tmp_path: Path) -> None:
    # validate and render share the checking; render's exit code for a broken map is 1 as well.
    text = EXAMPLES[0].read_text(encoding="utf-8").replace("journeymap: 1", "journeymap: [1]", 1)
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "journeymap", "render", "broken.yaml", "-o", "out.svg"],
                          cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    line = text.splitlines().index("journeymap: [1]") + 1
    assert proc.stderr.startswith(f"broken.yaml:{line}:13: error[E101]: ")
    assert not (tmp_path / "out.svg").exists()


def test_mutations_cover_every_kind() -> None:
    names = [m.name for m in mutants(EXAMPLES[0])]
    for kind in ("truncate-after-line-", "delete-line-", "duplicate-line-", "delete-", "retype-", "corrupt-",
                 "rename-"):
        assert any(n.startswith(kind) for n in names), kind
