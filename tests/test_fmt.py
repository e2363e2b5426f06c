"""`journeymap fmt`: canonical key order and indentation, comments kept, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.diagnostics import JourneyError
from journeymap.fmt import format_text

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

MESSY = """\
# A map written by hand.
title: Buying a sofa   # working title
journeymap: 1
# The stages, in time order.
stages:
- steps:
  - touchpoints:
    - owner: Retail
      channel: store
      name: Showroom
    action: Sits on the sofa
    emotion: 2
    opportunities:
    - effort: low
      idea: Offer a fabric swatch
      impact: medium
  # The stage's name comes first once formatted.
  name: Try
  id: try
persona:
  quote: I want to get it right.
  name: Dana
emotion_scale:
  labels: {2: delighted, -2: upset}
"""

CANONICAL = """\
# A map written by hand.
journeymap: 1
title: Buying a sofa   # working title
persona:
  name: Dana
  quote: I want to get it right.
emotion_scale:
  labels: {-2: upset, 2: delighted}
# The stages, in time order.
stages:
  - id: try
    # The stage's name comes first once formatted.
    name: Try
    steps:
      - action: Sits on the sofa
        emotion: 2
        touchpoints:
          - channel: store
            name: Showroom
            owner: Retail
        opportunities:
          - idea: Offer a fabric swatch
            impact: medium
            effort: low
"""


def _comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)


def test_messy_map_gets_the_canonical_form() -> None:
    assert format_text(MESSY) == CANONICAL


def test_formatting_is_idempotent_and_keeps_every_comment() -> None:
    once = format_text(MESSY)
    assert format_text(once) == once
    assert _comments(once) == _comments(MESSY)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_block_scalars_are_left_alone() -> None:
    text = (
        "journeymap: 1\ntitle: T\ndescription: |\n  # not a comment\n    indented\n"
        "stages:\n  - name: A\n    steps: [x]\n"
    )
    assert format_text(text) == text


def test_quotes_and_long_lines_are_kept() -> None:
    long = "word " * 40
    text = f"journeymap: 1\ntitle: 'Quoted: title'\ndescription: {long.strip()}\nstages:\n  - name: A\n    steps: [x]\n"
    assert format_text(text) == text


def test_aliases_are_kept_not_expanded() -> None:
    text = "journeymap: 1\ntitle: T\nstages:\n  - name: A\n    steps: &s [a, b]\n  - name: B\n    steps: *s\n"
    assert format_text(text) == text


def test_syntax_error_is_positioned() -> None:
    with pytest.raises(JourneyError) as info:
        format_text("journeymap: 1\ntitle: [unclosed\n", "map.yaml")
    (d,) = info.value.diagnostics
    assert (d.file, d.line, d.column, d.code) == ("map.yaml", 3, 1, "E004")
    assert d.message == "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2)"


def test_duplicate_keys_are_refused_with_the_codes_validate_uses() -> None:
    from journeymap.validation import check

    text = "journeymap: 1\ntitle: A\ntitle: B\nstages: []\nstages: [x]\n"
    with pytest.raises(JourneyError) as info:
        format_text(text, "map.yaml")
    found = [(d.line, d.column, d.code, d.message) for d in info.value.diagnostics]
    assert found == [
        (3, 1, "E007", "duplicate key 'title' (first defined at line 2, column 1)"),
        (5, 1, "E007", "duplicate key 'stages' (first defined at line 4, column 1)"),
    ]
    assert [(d.line, d.column, d.code, d.message) for d in check(text).diagnostics] == found


def test_cli_check_writes_nothing_and_lists_files(tmp_path: Path) -> None:
    messy, tidy = tmp_path / "messy.yaml", tmp_path / "tidy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(CANONICAL, encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {messy}\n"
    assert result.stderr == "1 of 2 files would be reformatted\n"
    assert messy.read_text(encoding="utf-8") == MESSY


def test_cli_formats_in_place_then_check_passes(tmp_path: Path) -> None:
    messy = tmp_path / "messy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(messy)])
    assert result.exit_code == 0
    assert result.stdout == f"reformatted {messy}\n"
    assert messy.read_text(encoding="utf-8") == CANONICAL
    assert [p.name for p in tmp_path.iterdir()] == ["messy.yaml"]  # no temporary file left behind
    assert runner.invoke(app, ["fmt", "--check", str(messy)]).exit_code == 0


def test_cli_reports_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("journeymap: 1\ntitle: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3:1: error[E004]: invalid YAML: did not find expected ',' or ']'" in result.stderr
    assert bad.read_text(encoding="utf-8") == "journeymap: 1\ntitle: [unclosed\n"


def test_cli_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("title: caf\xe9\n".encode("latin-1"))
    result = runner.invoke(app, ["fmt", str(bad)])
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr and "Traceback" not in result.output


def test_cli_no_maps_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 2
    assert "no maps found" in result.stderr


def test_other_yaml_files_are_left_alone() -> None:
    workflow = "name: ci\non:\n- push\njobs: {}\n"
    assert format_text(workflow) == workflow
    assert format_text("- a\n-   b\n") == "- a\n-   b\n"


@pytest.mark.parametrize("depth", [100, 5000])  # ruamel reads the first, and recurses too deep on the second
def test_deep_nesting_is_refused_as_validate_refuses_it(depth: int) -> None:
    with pytest.raises(JourneyError) as info:
        format_text("journeymap: 1\ntitle: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert [(d.line, d.column, d.code, d.message) for d in info.value.diagnostics] == [
        (2, 71, "E010", "the document is nested too deeply (more than 64 levels)")]


def test_alias_bombs_are_formatted_without_expansion() -> None:
    lines = ["journeymap: 1", "title: T", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines.append("stages: [{name: A, steps: [*a9]}]")
    text = "\n".join(lines) + "\n"
    out = format_text(text)
    assert len(out) < 2 * len(text)
    assert out.count("*a8") == 9


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_shuffled_examples_format_back_to_the_original(path: Path, seed: int) -> None:
    import io
    import random

    from ruamel.yaml.comments import CommentedMap

    from journeymap.fmt import _reorder, _yaml

    rng = random.Random(seed)
    yaml = _yaml()
    doc = yaml.load(path.read_text(encoding="utf-8"))

    # Channels, metrics, targets and per-persona emotions keep the author's order: leave those alone.
    keep = {"channels", "metrics", "targets", "emotion"}

    def shuffle(node, key=None):
        if isinstance(node, CommentedMap):
            for k, value in node.items():
                shuffle(value, k)
            if key not in keep:
                keys = list(node)
                rng.shuffle(keys)
                _reorder(node, keys, root=key is None)
        elif isinstance(node, list):
            for value in node:
                shuffle(value, "item")

    shuffle(doc)
    out = io.StringIO()
    yaml.indent(mapping=4, sequence=2, offset=0)  # a different indentation too
    yaml.dump(doc, out)
    shuffled = out.getvalue()
    assert shuffled != path.read_text(encoding="utf-8")
    assert format_text(shuffled) == path.read_text(encoding="utf-8")
