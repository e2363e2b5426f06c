"""`journeymap init`: starter maps that are valid, canonical and never overwrite by accident."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.fmt import format_text
from journeymap.init import TEMPLATES, template_text
from journeymap.resources import schema_path
from journeymap.validation import check

runner = CliRunner()
SCHEMA_COMMENT = "# yaml-language-server: $schema=journeymap.schema.json\n"


def _string_keys(value):
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_is_a_valid_canonical_map(name: str, tmp_path: Path) -> None:
    target = tmp_path / f"{name}.yaml"
    result = runner.invoke(app, ["init", str(target), "--template", name])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text == template_text(name)
    assert text.startswith(SCHEMA_COMMENT)
    assert check(target).diagnostics == []
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert list(Draft7Validator(schema).iter_errors(_string_keys(yaml.safe_load(text)))) == []
    assert format_text(text) == text


@pytest.mark.parametrize("path", sorted((Path(__file__).parent.parent / "examples").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_examples_match_the_schema_editors_use(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/journeymap.schema.json\n")
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert list(Draft7Validator(schema).iter_errors(_string_keys(yaml.safe_load(text)))) == []


def test_service_template_compares_two_personas() -> None:
    journey = check(template_text("service")).journey
    assert journey is not None
    assert [p.id for p in journey.personas] == ["ana", "george"]
    assert all(set(step.emotions) == {"ana", "george"} for step in journey.steps)


def test_default_path_and_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0
    assert (tmp_path / "journey.yaml").read_text(encoding="utf-8") == template_text("blank")
    assert result.stdout == (
        "Created journey.yaml from the 'blank' template.\n"
        "Created journeymap.schema.json so that editors complete and check the map.\n"
        "Next: edit it, then run  journeymap validate journey.yaml\n"
    )
    assert (tmp_path / "journeymap.schema.json").read_text(encoding="utf-8") == schema_path().read_text(encoding="utf-8")


def test_an_existing_schema_beside_the_map_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "journeymap.schema.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "a.yaml")])
    assert result.exit_code == 0
    assert "journeymap.schema.json" not in result.stdout
    assert (tmp_path / "journeymap.schema.json").read_text(encoding="utf-8") == "{}"


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "journey.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target), "-t", "saas"])
    assert result.exit_code == 1
    assert result.stderr == f"journeymap init: '{target}' already exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "mine\n"

    result = runner.invoke(app, ["init", str(target), "-t", "saas", "--force"])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == template_text("saas")


def test_unknown_template_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "m.yaml"), "--template", "bank"])
    assert result.exit_code == 2
    assert result.stderr == "journeymap init: unknown template 'bank'; choose one of: blank, saas, retail, service\n"
    assert not (tmp_path / "m.yaml").exists()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "is a directory" in result.stderr


def test_missing_folders_are_created(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "maps" / "new" / "map.yaml")])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "maps" / "new").iterdir()) == ["journeymap.schema.json", "map.yaml"]


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "file" / "map.yaml")])
    assert result.exit_code == 1
    assert result.stderr.startswith("journeymap init: cannot write ")
    assert "Traceback" not in result.output


def test_help_shows_an_example() -> None:
    result = runner.invoke(app, ["init", "--help"])
    assert result.exit_code == 0
    assert "journeymap init maps/onboarding.yaml --template saas" in result.stdout


def test_dash_prints_the_map_to_stdout_and_writes_no_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "-", "--template", "retail"])
    assert result.exit_code == 0
    assert result.stdout == template_text("retail")
    assert list(tmp_path.iterdir()) == []
