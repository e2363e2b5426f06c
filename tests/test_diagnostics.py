"""Rendering diagnostics: compiler-style text with code frames, JSON, GitHub annotations."""

from __future__ import annotations

import io
import json
import re

import pytest

import journeymap.diagnostics as diagnostics
from journeymap.diagnostics import (
    Diagnostic, format_github, format_json, format_path, format_text, print_diagnostics, render, summary,
)

SOURCE = "journeymap: 1\ntitle: T\nstages:\n  - name: A\n    steps:\n      - {action: x, emotion: 5}\n"
EMOTION = Diagnostic("emotion must be a number between -2 and 2, got 5", "map.yaml", 6, 30,
                     "stages[0].steps[0].emotion", "error", "E204", 6, 31)
KEY = Diagnostic("unknown key 'stagse' in the map; did you mean 'stages'?", "map.yaml", 3, 1, "stagse",
                 "warning", "W999", 3, 7)


def test_text_with_code_frame():
    assert format_text([EMOTION], {"map.yaml": SOURCE}) == (
        "map.yaml:6:30: error[E204]: emotion must be a number between -2 and 2, got 5\n"
        "  at stages[0].steps[0].emotion\n"
        "   |\n"
        " 6 |       - {action: x, emotion: 5}\n"
        "   |                              ^\n"
    )


def test_text_several_separated_by_a_blank_line_and_underlined():
    assert format_text([KEY, EMOTION], {"map.yaml": SOURCE}).split("\n")[:6] == [
        "map.yaml:3:1: warning[W999]: unknown key 'stagse' in the map; did you mean 'stages'?",
        "  at stagse",
        "   |",
        " 3 | stages:",
        "   | ^^^^^^",
        "",
    ]


def test_text_without_source_or_path_has_no_frame():
    d = Diagnostic("no such file: x.yaml", "x.yaml", code="E001")
    assert format_text([d], {}) == "x.yaml:1:1: error[E001]: no such file: x.yaml\n"
    assert format_text([EMOTION], None).count("\n") == 2
    assert format_text([]) == ""


def test_caret_counts_wide_characters_and_tabs():
    source = "title: \u65c5\u7a0b\u56f3\tx: 1\n"  # three wide characters, then a tab
    d = Diagnostic("bad", "m.yaml", 1, 12, code="E004")
    frame = format_text([d], {"m.yaml": source}).splitlines()
    assert frame[2] == " 1 | title: \u65c5\u7a0b\u56f3 x: 1"
    assert frame[3] == "   | " + " " * (7 + 3 * 2 + 1) + "^"  # wide characters take two cells


def test_frame_past_the_end_of_the_line_and_file():
    d = Diagnostic("invalid YAML: found unexpected end of stream", "m.yaml", 2, 1, code="E004")
    assert format_text([d], {"m.yaml": 'title: "abc\n'}) == (
        "m.yaml:2:1: error[E004]: invalid YAML: found unexpected end of stream\n")
    d = Diagnostic("x", "m.yaml", 1, 40, code="E004")
    assert format_text([d], {"m.yaml": "short\n"}).splitlines()[-1] == "   |      ^"


def test_long_lines_are_shown_around_the_problem():
    source = '{"title": "T", ' + '"x": 1, ' * 100 + '"stagse": [], ' + '"y": 2, ' * 50 + '"z": 3}\n'
    column = source.index('"stagse"') + 1
    d = Diagnostic("unknown key", "m.json", 1, column, code="E103", end_line=1, end_column=column + 8)
    frame = format_text([d], {"m.json": source}).splitlines()
    start = column - 1 - 33  # a third of the 100-character window before the problem
    assert frame[2] == " 1 | ..." + source[start:start + 100] + "..."
    assert frame[3] == "   | " + " " * 36 + "^" * 8


def test_colour_is_ansi_over_the_same_text():
    plain = format_text([EMOTION], {"map.yaml": SOURCE})
    coloured = format_text([EMOTION], {"map.yaml": SOURCE}, color=True)
    assert "\x1b[" in coloured and "\x1b[1;31merror[E204]" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_json_is_stable_and_complete():
    out = format_json([EMOTION])
    assert json.loads(out) == [{
        "message": "emotion must be a number between -2 and 2, got 5", "file": "map.yaml", "line": 6,
        "column": 30, "path": "stages[0].steps[0].emotion", "severity": "error", "code": "E204",
        "end_line": 6, "end_column": 31,
    }]
    assert format_json([]) == "[]\n"


def test_github_annotations_escape_their_properties_and_data():
    d = Diagnostic("bad value,\n100% wrong", "maps/a,b:c.yaml", 2, 3, "title", "warning", "W201")
    assert format_github([EMOTION, d]) == (
        "::error file=map.yaml,line=6,col=30,endLine=6,endColumn=31,title=journeymap E204::"
        "stages[0].steps[0].emotion: emotion must be a number between -2 and 2, got 5\n"
        "::warning file=maps/a%2Cb%3Ac.yaml,line=2,col=3,title=journeymap W201::title: bad value,%0A100%25 wrong\n"
    )


def test_render_sorts_by_file_and_position():
    late = Diagnostic("b", "a.yaml", 9, 1)
    early = Diagnostic("a", "a.yaml", 2, 5)
    other = Diagnostic("c", "0.yaml", 50, 1)
    assert [d["message"] for d in json.loads(render([late, early, other], "json"))] == ["c", "a", "b"]
    with pytest.raises(ValueError):
        render([late], "xml")


class _Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize("tty, no_color, coloured", [(True, None, True), (True, "1", False), (False, None, False)])
def test_colour_only_on_a_terminal_without_no_color(monkeypatch, tty, no_color, coloured):
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color:
        monkeypatch.setenv("NO_COLOR", no_color)
    stream = _Stream(tty)
    print_diagnostics([EMOTION], "text", stream, {"map.yaml": SOURCE})
    assert ("\x1b[" in stream.getvalue()) is coloured
    assert diagnostics.use_color(stream) is coloured


def test_summary():
    assert summary(3, []) == "3 files checked, no problems found"
    assert summary(1, [EMOTION]) == "1 file checked, 1 error in 1 file"
    two = Diagnostic("x", "b.yaml")
    assert summary(3, [EMOTION, EMOTION, KEY, two]) == "3 files checked, 3 errors and 1 warning in 2 files"
    assert summary(2, [KEY]) == "2 files checked, 1 warning in 1 file"


def test_format_path():
    assert format_path(("stages", 2, "steps", 0, "emotion")) == "stages[2].steps[0].emotion"
    assert format_path(()) == ""
    assert format_path(("lanes", 1)) == "lanes[1]"


def test_code_table_lists_every_code_the_validator_uses():
    import journeymap.flow
    import journeymap.interchange.csv_format
    import journeymap.interchange.json_format
    import journeymap.interchange.mermaid
    import journeymap.loader
    import journeymap.messages
    import journeymap.safe_yaml
    import journeymap.semantic
    import journeymap.validation
    import journeymap.views

    table = set(re.findall(r"^\| ([EW]\d{3}) \|", diagnostics.__doc__, re.M))
    used = set()
    modules = (journeymap.loader, journeymap.safe_yaml, journeymap.messages, journeymap.semantic, journeymap.validation,
               journeymap.flow, journeymap.views, journeymap.interchange.mermaid, journeymap.interchange.csv_format,
               journeymap.interchange.json_format)
    for module in modules:
        used |= set(re.findall(r'"([EW]\d{3})"', open(module.__file__, encoding="utf-8").read()))
    assert used == table
