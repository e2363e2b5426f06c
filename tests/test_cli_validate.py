"""`journeymap validate` and `journeymap schema`: paths, formats, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

GOOD = "journeymap: 1\ntitle: T\nstages:\n  - name: A\n    steps: [Looks around]\n"
BAD = "journeymap: 1\ntitle: T\nstages:\n  - name: A\n    steps: [{action: x, emotion: 9}]\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def maps(tmp_path, monkeypatch) -> Path:
    """good.yaml, bad.yaml, nested/also.yml, a hidden folder and a non-map file, in the current directory."""
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "also.yml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "nested" / "notes.txt").write_text("not a map", encoding="utf-8")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yaml").write_text("on: push\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_valid_file_exits_0(maps):
    result = run("validate", "good.yaml")
    assert result.exit_code == 0
    assert result.stdout == "1 file checked, no problems found\n"


def test_invalid_file_exits_1_with_frame_and_summary(maps):
    result = run("validate", "good.yaml", "bad.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "bad.yaml:5:34: error[E204]: emotion must be a number between -2 and 2, got 9\n"
        "  at stages[0].steps[0].emotion\n"
        "   |\n"
        " 5 |     steps: [{action: x, emotion: 9}]\n"
        "   |                                  ^\n"
        "\n"
        "2 files checked, 1 error in 1 file\n"
    )


def test_directory_is_searched_recursively_skipping_hidden_folders(maps):
    result = run("validate", ".", "--format", "json")
    assert result.exit_code == 1
    assert [d["file"] for d in json.loads(result.stdout)] == ["bad.yaml"]
    assert result.stderr == "3 files checked, 1 error in 1 file\n"


def test_globs_and_duplicates(maps):
    result = run("validate", "*.yaml", "good.yaml", "nested/**/*.yml")
    assert result.exit_code == 1
    assert result.stdout.endswith("3 files checked, 1 error in 1 file\n")


def test_github_format(maps):
    result = run("validate", "bad.yaml", "-f", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=bad.yaml,line=5,col=34,endLine=5,endColumn=35,title=journeymap E204::"
        "stages[0].steps[0].emotion: emotion must be a number between -2 and 2, got 9\n"
        "1 file checked, 1 error in 1 file\n"
    )


def test_missing_file_is_an_invalid_input(maps):
    result = run("validate", "good.yaml", "missing.yaml")
    assert result.exit_code == 1
    assert result.stdout == "missing.yaml:1:1: error[E001]: no such file: missing.yaml\n\n" \
                            "2 files checked, 1 error in 1 file\n"


@pytest.mark.parametrize("args, message", [
    (["validate", "nothing/*.yaml"], "no maps found at 'nothing/*.yaml'"),
    (["validate", "nested/*.json"], "no maps found at 'nested/*.json'"),
    (["validate", "empty"], "no maps found at 'empty'"),
])
def test_no_maps_is_a_usage_error(maps, args, message):
    (maps / "empty").mkdir()
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


@pytest.mark.parametrize("args", [["validate"], ["validate", "good.yaml", "--format", "xml"],
                                  ["validate", "good.yaml", "--colour"]])
def test_bad_usage_exits_2(maps, args):
    assert run(*args).exit_code == 2


def test_help_has_examples():
    result = run("validate", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout and "journeymap validate examples/" in result.stdout
    assert "--format" in result.stdout


def test_schema_prints_the_schema():
    from journeymap.resources import schema_path

    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == schema_path().read_text(encoding="utf-8")
    assert json.loads(result.stdout)["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_real_process_piped_output_is_plain(maps):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run([sys.executable, "-m", "journeymap", "validate", "bad.yaml"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "\x1b[" not in done.stdout
    assert done.stdout.startswith("bad.yaml:5:34: error[E204]")
    assert done.stderr == ""


def test_hostile_file_gives_a_diagnostic_not_a_traceback(maps):
    levels = "".join(f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, c in zip("abcdefg", "bcdefgh"))
    (maps / "bomb.yaml").write_text('a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + levels)
    (maps / "latin1.yaml").write_bytes(b"title: caf\xe9\n")
    result = run("validate", "bomb.yaml", "latin1.yaml", "-f", "json")
    assert result.exit_code == 1
    found = [(d["file"], d["code"]) for d in json.loads(result.stdout)]
    assert found == [("bomb.yaml", "E009"), ("latin1.yaml", "E003")]
