"""Loading: positions, YAML 1.2 scalars, and every way a file can be unreadable or hostile."""

from __future__ import annotations

import codecs
import os
import tracemalloc
from pathlib import Path

import pytest

import journeymap.safe_yaml as safe_yaml
from journeymap.loader import LoadError, load_document
from journeymap.safe_yaml import MAX_ALIASES, MAX_NODES

LOADERS = [safe_yaml._PyLoader] + ([safe_yaml._CLoader] if hasattr(safe_yaml, "_CLoader") else [])


@pytest.fixture(params=LOADERS, ids=lambda c: c.__name__)
def loader(request, monkeypatch):
    """Run a test with the pure-Python parser and with libyaml: both must refuse the same inputs."""
    monkeypatch.setattr(safe_yaml, "_Loader", request.param)


def refused(source) -> tuple[int, int, str, str]:
    with pytest.raises(LoadError) as info:
        load_document(source)
    [d] = info.value.diagnostics
    return d.line, d.column, d.code, d.message


MAP = """\
journeymap: 1
title: Buying a plan
stages:
  - name: Discover
    steps:
      - Reads reviews
      - action: Visits pricing
        emotion: -1
"""


def test_data_and_positions(loader):
    doc = load_document(MAP)
    assert doc.file == "<string>"
    assert doc.data["stages"][0]["steps"] == ["Reads reviews", {"action": "Visits pricing", "emotion": -1}]
    assert doc.position(("stages", 0, "steps", 1, "emotion")) == (8, 18)
    assert doc.key_position(("stages", 0, "steps", 1, "emotion")) == (8, 9)
    assert doc.span(("stages", 0, "steps", 0)) == (6, 9, 6, 22)
    assert doc.position(("title",)) == (2, 8)
    # a path that goes further than the document points at the deepest part that exists
    assert doc.position(("stages", 0, "steps", 1, "feeling")) == doc.position(("stages", 0, "steps", 1))
    assert doc.position(("stages", 7)) == doc.position(("stages",))


def test_empty_value_points_at_its_key():
    doc = load_document("journeymap: 1\ntitle:\n")
    assert doc.data["title"] is None
    assert doc.span(("title",)) == (2, 1, 2, 6)


def test_yaml_1_2_scalars(loader):
    doc = load_document(
        "a: yes\nb: no\nc: on\nd: 2024-01-31\ne: 1:30\nf: 0x1F\ng: 0o17\nh: 012\ni: -2.5\nj: .inf\n"
        "k: True\nl: ~\nm: '3'\nn: !!str 4\n1: one\n-2: minus\ntrue: t\n"
    )
    assert doc.data == {
        "a": "yes", "b": "no", "c": "on", "d": "2024-01-31", "e": "1:30", "f": 31, "g": 15, "h": 12,
        "i": -2.5, "j": float("inf"), "k": True, "l": None, "m": "3", "n": "4",
        "1": "one", "-2": "minus", "true": "t",
    }


def test_path_or_text(tmp_path, monkeypatch):
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_document("map.yaml").file == "map.yaml"
    assert load_document(Path("map.yaml")).data["title"] == "Buying a plan"
    assert load_document("title: x").file == "<string>"
    # a file name that does not exist is a missing file, not YAML text
    assert refused("mpa.yaml") == (1, 1, "E001", "no such file: mpa.yaml")


def test_directory_and_missing_file(tmp_path):
    assert refused(tmp_path) == (1, 1, "E001", f"{tmp_path} is a directory, not a map file")
    assert refused(tmp_path / "nope.yml")[3] == f"no such file: {tmp_path / 'nope.yml'}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_file_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert refused(fifo) == (1, 1, "E001", f"{fifo} is not a regular file")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    f = tmp_path / "secret.yaml"
    f.write_text("title: x\n", encoding="utf-8")
    f.chmod(0)
    assert refused(f) == (1, 1, "E001", f"permission denied: cannot read {f}")


def test_file_too_large(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(11 * 1024 * 1024)  # sparse: refused from its size, before reading
    assert refused(big) == (1, 1, "E002", "the file is too large (11 MB; the limit is 10 MB)")
    assert refused("a: b\n" * (3 * 1024 * 1024))[2:] == ("E002", "the map is too large (15 MB; the limit is 10 MB)")


def test_invalid_utf8_points_at_the_byte(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("journeymap: 1\ntitle: Caf\u00e9 \u00e9t\u00e9\n".encode("latin-1"))
    with pytest.raises(LoadError) as info:
        load_document(bad)
    [d] = info.value.diagnostics
    assert (d.line, d.column, d.code) == (2, 11, "E003")
    assert d.message == "the file is not valid UTF-8: cannot decode byte 0xe9; save it as UTF-8"
    assert info.value.text == "journeymap: 1\ntitle: Caf\ufffd \ufffdt\ufffd\n"  # for the code frame


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
])
def test_byte_order_marks(tmp_path, bom, encoding):
    f = tmp_path / "bom.yaml"
    f.write_bytes(bom + MAP.replace("Buying", "Kaufen \u00fc").encode(encoding))
    doc = load_document(f)
    assert doc.data["title"] == "Kaufen \u00fc a plan"
    assert doc.position(("title",)) == (2, 8)


def test_utf16_without_its_bom_partner_byte(tmp_path):
    f = tmp_path / "odd.yaml"
    f.write_bytes(codecs.BOM_UTF16_LE + "a: b\n".encode("utf-16-le") + b"\x00")
    assert refused(f) == (2, 1, "E003", "the file is not valid UTF-16: cannot decode byte 0x00; save it as UTF-8")


SYNTAX_ERRORS = [
    # text, line, column, message from the pure-Python parser, message from libyaml
    ("title: a: b\n", 1, 9, "mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("stages: [a, b\ntitle: x\n", 2, 6, "expected ',' or ']', but got ':' (while parsing a flow sequence at line 1)",
     "did not find expected ',' or ']' (while parsing a flow sequence at line 1)"),
    ('title: "abc\n', 2, 1, "found unexpected end of stream (while scanning a quoted scalar at line 1)", None),
    ("a:\n  - b\n c: d\n", 3, 2, "expected <block end>, but found '<block mapping start>' (while parsing a block "
     "mapping at line 1)", "did not find expected key (while parsing a block mapping at line 1)"),
    ("a: *nope\n", 1, 4, "found undefined alias 'nope'", None),
    ("a: &x 1\nb: &x 2\n", 2, 4, "duplicate anchor &x (first defined at line 1, column 4)", None),
    ("stages:\n\t- a\n", 2, 1, "a tab cannot be used here; indent with spaces", None),
]


@pytest.mark.parametrize("text, line, column, python_message, libyaml_message", SYNTAX_ERRORS)
def test_yaml_syntax_errors(loader, text, line, column, python_message, libyaml_message):
    message = python_message if safe_yaml._Loader is safe_yaml._PyLoader else libyaml_message or python_message
    assert refused(text) == (line, column, "E004", "invalid YAML: " + message)


def test_control_character(loader):
    assert refused("title: caf\u00e9\x07\n") == (
        1, 12, "E004", "invalid character U+0007 in the file: control characters are not allowed")


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n", "---\n", "~\n", "null\n"])
def test_empty(text):
    assert refused(text) == (1, 1, "E005", "the map is empty; it should start with 'journeymap: 1'")


@pytest.mark.parametrize("text, kind", [("- a\n- b\n", "a list"), ("just words\n", "a single value")])
def test_not_a_mapping(text, kind):
    assert refused(text) == (1, 1, "E006", "the map must be a mapping of keys such as 'journeymap', 'title' "
                                           f"and 'stages', but the document is {kind}")


def test_duplicate_keys_name_both_positions(loader):
    assert refused("title: a\nstages:\n  - name: x\n    name: y\n") == (
        4, 5, "E007", "duplicate key 'name' (first defined at line 3, column 5)")


def every_refusal(source) -> list[tuple[int, int, str, str]]:
    with pytest.raises(LoadError) as info:
        load_document(source)
    return [(d.line, d.column, d.code, d.message) for d in info.value.diagnostics]


def test_every_duplicate_key_and_unreadable_value_is_reported_in_one_run(loader):
    text = ("title: a\nstages:\n  - name: x\n    name: y\n    steps: [{action: b, emotion: 1" + "0" * 5000 + "}]\n"
            "title: c\nstages: []\n")
    assert every_refusal(text) == [
        (4, 5, "E007", "duplicate key 'name' (first defined at line 3, column 5)"),
        (5, 34, "E014", "cannot read '1000000000000000000000000000000000000...' as a number"),
        (6, 1, "E007", "duplicate key 'title' (first defined at line 1, column 1)"),
        (7, 1, "E007", "duplicate key 'stages' (first defined at line 2, column 1)"),
    ]


def test_a_problem_inside_an_aliased_value_is_reported_once(loader):
    text = "s: &s {a: 1, a: 2}\nt: [*s, *s]\n"
    assert every_refusal(text) == [(1, 14, "E007", "duplicate key 'a' (first defined at line 1, column 8)")]


@pytest.mark.parametrize("text, tag", [
    ("title: !!python/object/apply:os.system ['echo hi']\n", "!!python/object/apply:os.system"),
    ("title: !!python/name:os.system\n", "!!python/name:os.system"),
    ("title: !include other.yaml\n", "!include"),
    ("title: !!binary aGVsbG8=\n", "!!binary"),
    ("title: !!timestamp 2024-01-01\n", "!!timestamp"),
    ("stages: !!set {a, b}\n", "!!set"),
])
def test_non_standard_tags_are_refused(loader, text, tag):
    column = 9 if text.startswith("stages") else 8
    assert refused(text) == (1, column, "E008", f"tag '{tag}' is not allowed: a map holds only plain text, "
                                                "numbers, true/false, lists and mappings")


def test_merge_keys_are_refused(loader):
    text = "base: &b {channel: web}\nstages:\n  - <<: *b\n    name: x\n"
    assert refused(text) == (3, 5, "E011", "merge keys ('<<') are not supported: write the keys out, or use an "
                                           "alias (*name) for a whole value")
    # a quoted '<<' is an ordinary key (which the schema will then reject)
    assert load_document("'<<': 1\n").data == {"<<": 1}


def test_aliases_of_whole_values_work(loader):
    doc = load_document("a: &tp [web, email]\nb: *tp\n")
    assert doc.data == {"a": ["web", "email"], "b": ["web", "email"]}


def test_complex_keys_multiple_documents_and_huge_numbers(loader):
    assert refused("? [a, b]\n: c\n") == (1, 3, "E012", "a mapping key must be plain text, not a list or mapping")
    assert refused("title: a\n---\ntitle: b\n") == (
        2, 1, "E013", "the file holds more than one YAML document; a map file holds exactly one")
    assert refused("emotion: 1" + "0" * 5000 + "\n") == (1, 10, "E014", "cannot read '1000000000000000000000000"
                                                                         "000000000000...' as a number")


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_refused_in_bounded_memory(loader):
    tracemalloc.start()
    try:
        result = refused(billion_laughs())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result[2:] == ("E009", f"the document is too large: more than {MAX_NODES:,} values once its aliases are "
                                  "expanded, the limit for one map (it stops aliases from multiplying a small file "
                                  "until it exhausts memory)")
    assert result[0] == 6  # refused while composing, as soon as the expansion passes the cap
    assert peak < 5 * 1024 * 1024


def test_too_many_aliases(loader):
    text = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    assert refused(text)[2:] == ("E009", f"too many aliases: more than {MAX_ALIASES:,}")


def test_recursive_alias(loader):
    assert refused("a: &x [1, *x]\n") == (1, 11, "E009", "alias *x refers to a value that contains it")


def test_too_many_values(loader):
    # no aliases: a plain large file is told the limit and why, not suspected of a bomb
    text = "a: [" + ",".join(["0"] * (MAX_NODES + 1)) + "]\n"
    assert refused(text)[2:] == ("E009", f"the document is too large: more than {MAX_NODES:,} values, the limit for "
                                 "one map (it keeps checking and drawing fast; a large map has a few thousand): split "
                                 "it into several maps")


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_refused_without_recursion_error(loader, shape):
    depth = 10_000 if shape == "flow" else 1_500  # block indentation grows quadratically
    if shape == "flow":
        text = "a: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"
    line, column, code, message = refused(text)
    assert (code, message) == ("E010", "the document is nested too deeply (more than 64 levels)")
    assert (line, column) == ((1, 67) if shape == "flow" else (65, 129))
