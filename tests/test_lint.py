"""`journeymap lint`: every rule fires where it should and nowhere else, settings and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.lint import (
    RULES,
    ConfigError,
    LintConfig,
    lint_file,
    load_config,
    parse_config,
)
from journeymap.lint.config import find_config
from journeymap.lint.directives import parse_directives

HERE = Path(__file__).parent / "lint"
EXAMPLES = Path(__file__).parent.parent / "examples"


def findings(name: str, config: LintConfig | None = None) -> list[tuple[str, int, int, str, str]]:
    diags = lint_file(HERE / name, config or LintConfig())
    return [(d.code, d.line, d.column, d.path, d.message) for d in diags]


TRIGGERS = {
    "jm101.yaml": [("JM101", 9, 5, "stages[1]", 'stage "Receive" has no touchpoints')],
    "jm102.yaml": [
        ("JM102", 12, 9, "stages[0].steps[2]", 'step "Waits for the permit" has no emotion while 3 other steps have one'),
    ],
    "jm103.yaml": [
        ("JM103", 10, 18, "stages[0].steps[1].emotion",
         'emotion drops from +1 to -1 at step "Uploads proof of address" with no pain recorded'),
    ],
    "jm103-personas.yaml": [
        ("JM103", 17, 33, "stages[0].steps[1].emotion.lee",
         'emotion for Lee Park drops from +2 to 0 at step "Uploads proof of address" with no pain recorded'),
        ("JM102", 18, 9, "stages[0].steps[2]",
         'step "Waits for the permit" has no emotion for Lee Park while 3 other steps have one'),
    ],
    "jm104.yaml": [
        ("JM104", 9, 13, "stages[0].steps[0].pains[0]",
         'pain "Renewal link buried in the menu" has no opportunity anywhere in stage "Apply"'),
        ("JM104", 12, 13, "stages[0].steps[1].pains[0]",
         'pain "Upload limit of 2 MB" has no opportunity anywhere in stage "Apply"'),
    ],
    "jm105.yaml": [("JM105", 3, 1, "stages", "the map has 3 steps; 4 to 12 read best")],
    "jm105-many.yaml": [("JM105", 3, 1, "stages", "the map has 13 steps; 4 to 12 read best")],
    "jm106.yaml": [
        ("JM106", 9, 13, "stages[0].steps[0].opportunities[0]", 'opportunity "Remind a month before expiry" has no owner'),
        ("JM106", 10, 13, "stages[0].steps[0].opportunities[1]", 'opportunity "Accept photos from a phone" has no owner'),
    ],
    "jm107.yaml": [("JM107", 3, 1, "persona", 'persona "Dana Okafor" has no goals')],
    "jm107-personas.yaml": [("JM107", 7, 5, "personas[1]", 'persona "Lee Park" has no goals')],
    "jm108.yaml": [("JM108", 9, 13, "stages[0].steps[1].touchpoints[0]", 'every touchpoint uses the one channel "Web"')],
}


@pytest.mark.parametrize("name", sorted(TRIGGERS))
def test_rule_fires_with_code_message_and_position(name: str) -> None:
    assert findings(name) == TRIGGERS[name]


@pytest.mark.parametrize("name", ["clean.yaml", *sorted(p.name for p in HERE.glob("ok-*.yaml"))])
def test_maps_that_follow_the_practice_have_no_findings(name: str) -> None:
    assert findings(name) == []


def test_every_rule_has_a_map_that_triggers_it_and_a_doc() -> None:
    fired = {code for expected in TRIGGERS.values() for code, *_ in expected}
    assert fired == set(RULES)
    for rule in RULES.values():
        assert rule.doc.endswith(".") and rule.severity in ("error", "warning")
        assert rule.name == rule.name.lower() and " " not in rule.name


def test_findings_are_warnings_by_default_and_severity_is_configurable() -> None:
    [finding] = lint_file(HERE / "jm101.yaml", LintConfig())
    assert (finding.severity, finding.file) == ("warning", str(HERE / "jm101.yaml"))
    [finding] = lint_file(HERE / "jm101.yaml", parse_config({"severity": {"JM101": "error"}}))
    assert finding.severity == "error"


def test_select_and_ignore_take_codes_and_prefixes() -> None:
    assert findings("jm104.yaml", parse_config({"ignore": ["JM104"]})) == []
    assert findings("jm103-personas.yaml", parse_config({"select": ["JM102"]}))[0][0] == "JM102"
    assert findings("jm103-personas.yaml", parse_config({"select": ["JM10"], "ignore": ["JM102"]}))[0][0] == "JM103"
    assert findings("jm101.yaml", LintConfig().override(ignore=["JM1"])) == []


# --- steps on alternative paths, and drops along the real flow ---------------------------

MAPS = Path(__file__).parent / "maps"


def text_findings(text: str, select: str = "JM") -> list[tuple[str, int, int, str, str]]:
    diags = lint_file(text, parse_config({"select": [select]}))
    return [(d.code, d.line, d.column, d.path, d.message) for d in diags]


def test_drops_follow_branches_and_rejoins() -> None:
    # browse (+1) branches to a -1 step; the path that rejoins at "Pays" falls from +2 to -1 there.
    diags = lint_file(MAPS / "paths-and-loops.yaml", parse_config({"select": ["JM103"]}))
    assert [(d.code, d.line, d.column, d.path, d.message) for d in diags] == [
        ("JM103", 16, 26, "stages[0].steps[0].paths[0].steps[0].emotion",
         'emotion drops from +1 to -1 at step "Calls sales and waits" with no pain recorded'),
        ("JM103", 32, 18, "stages[0].steps[2].emotion",
         'emotion drops from +2 to -1 at step "Pays" (from "Visits store") with no pain recorded'),
    ]


PLAIN = """\
journeymap: 1
title: T
persona: {name: Dana, goals: [Renew]}
stages:
  - name: Apply
    steps:
      - {action: Opens the page, emotion: 2, touchpoints: [web]}
      - {action: Reads the rules, touchpoints: [web]}
      - {action: Uploads a scan, emotion: -1, touchpoints: [email]}
      - {action: Gets the permit, emotion: 2, touchpoints: [email]}
"""


def test_a_step_without_emotion_is_looked_through_not_read_as_zero() -> None:
    assert text_findings(PLAIN, "JM103") == [
        ("JM103", 9, 43, "stages[0].steps[2].emotion",
         ('emotion drops from +2 to -1 at step "Uploads a scan" (from "Opens the page", through "Reads the rules") '
          "with no pain recorded")),
    ]
    # A pain at the step without emotion explains the fall, as one where it lands does.
    assert text_findings(PLAIN.replace("Reads the rules,", "Reads the rules, pains: [Forty pages],"), "JM103") == []
    assert text_findings(PLAIN.replace("emotion: -1,", "emotion: -1, pains: [Blurry],"), "JM103") == []
    assert text_findings(PLAIN.replace("emotion: -1,", "emotion: 1,"), "JM103") == []  # a fall of 1


def test_a_loop_back_with_next_is_a_step_of_the_flow() -> None:
    text = PLAIN.replace("      - {action: Reads the rules, touchpoints: [web]}\n", "").replace(
        "emotion: 2, touchpoints: [web]}",
        "emotion: -1, touchpoints: [web], pains: [Slow]}").replace(
        "      - {action: Uploads a scan, emotion: -1, touchpoints: [email]}\n",
        "      - action: Uploads a scan\n        emotion: 1\n        paths:\n"
        "          - name: Rejected\n            steps:\n"
        "              - {id: retry, action: Is asked to retry, emotion: 2, next: opens-the-page}\n")
    # Opens (-1) -> Uploads (+1) -> Is asked to retry (+2) -> back to Opens (-1): a fall of 3 into a step with a pain.
    assert text_findings(text, "JM103") == []
    assert text_findings(text.replace(", pains: [Slow]", ""), "JM103") == [
        ("JM103", 7, 43, "stages[0].steps[0].emotion",
         'emotion drops from +2 to -1 at step "Opens the page" (from "Is asked to retry") with no pain recorded'),
    ]


@pytest.mark.parametrize(("scale", "high", "low", "fires"), [
    ("{min: -5, max: 5}", 2, -2, False),  # 4 of 10 points
    ("{min: -5, max: 5}", 3, -2, True),  # 5 of 10: half the scale
    ("{min: 1, max: 5}", 4, 2, True),
    ("{min: 1, max: 5}", 4, 3, False),
    ("{min: 0, max: 10}", 9, 5, False),
])
def test_the_drop_threshold_is_half_the_emotion_scale(scale: str, high: int, low: int, fires: bool) -> None:
    text = PLAIN.replace("stages:", f"emotion_scale: {scale}\nstages:").replace("emotion: 2,", f"emotion: {high},").replace(
        "emotion: -1,", f"emotion: {low},").replace("      - {action: Reads the rules, touchpoints: [web]}\n", "")
    found = text_findings(text, "JM103")
    assert bool(found) is fires, found
    assert "half the emotion scale" in RULES["JM103"].doc and "2 points on -2..2" in RULES["JM103"].doc


PATH_STEPS = """\
journeymap: 1
title: T
persona: {name: Dana, goals: [Renew]}
stages:
  - name: Apply
    steps:
      - {action: Opens the page, emotion: 1, touchpoints: [web]}
      - {action: Uploads a scan, emotion: 1, touchpoints: [web], opportunities: [{idea: Phone upload, owner: Web}]}
  - name: Receive
    steps:
      - action: Waits
        emotion: 1
        paths:
          - name: Calls
            steps:
              - action: Calls the office
                touchpoints: [phone]
                pains: [Nobody answers]
                opportunities: [Call-back slots]
      - {action: Gets the permit, emotion: 1}
"""


def test_rules_see_the_steps_on_paths() -> None:
    assert text_findings(PATH_STEPS) == [
        # JM101: the path's phone touchpoint counts for stage Receive.
        ("JM102", 16, 17, "stages[1].steps[0].paths[0].steps[0]",
         'step "Calls the office" has no emotion while 4 other steps have one'),
        ("JM106", 19, 33, "stages[1].steps[0].paths[0].steps[0].opportunities[0]",
         'opportunity "Call-back slots" has no owner'),
    ]
    # JM104: the pain on the path, and its opportunity, belong to stage Receive.
    without = PATH_STEPS.replace("                opportunities: [Call-back slots]\n", "")
    assert text_findings(without, "JM104") == [
        ("JM104", 18, 25, "stages[1].steps[0].paths[0].steps[0].pains[0]",
         'pain "Nobody answers" has no opportunity anywhere in stage "Receive"'),
    ]
    # JM108: the phone touchpoint on the path is a second channel.
    assert text_findings(without, "JM108") == []
    assert text_findings(without.replace("[phone]", "[web]"), "JM108")[0][-1] == 'every touchpoint uses the one channel "Web"'
    # JM101: without it, stage Receive has no touchpoints.
    assert text_findings(without.replace("                touchpoints: [phone]\n", ""), "JM101") == [
        ("JM101", 9, 5, "stages[1]", 'stage "Receive" has no touchpoints'),
    ]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"selct": ["JM101"]}, "[tool.journeymap.lint]: unknown setting 'selct'; expected select, ignore or severity"),
        ({"select": "JM101"}, '[tool.journeymap.lint] select must be a list of rule codes, such as ["JM101"]'),
        ({"ignore": ["JM999"]}, ("[tool.journeymap.lint] ignore: 'JM999' matches no rule; known rules: "
                                 "JM101, JM102, JM103, JM104, JM105, JM106, JM107, JM108")),
        ({"severity": {"JM101": "fatal"}}, '[tool.journeymap.lint] severity: JM101 must be "error" or "warning", not \'fatal\''),
        ({"severity": {"JM1": "error"}}, "[tool.journeymap.lint] severity: 'JM1' is not a rule code"),
    ],
)
def test_unusable_settings_are_refused_with_a_clear_message(table: dict, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_config(table)
    assert str(exc.value) == message


def test_settings_come_from_the_nearest_pyproject_with_a_journeymap_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.journeymap.lint]\nignore = ["JM101"]\n')
    inner = tmp_path / "maps" / "team"
    inner.mkdir(parents=True)
    (tmp_path / "maps" / "pyproject.toml").write_text('[project]\nname = "other"\n')  # no journeymap table: skipped
    assert find_config(inner) == tmp_path / "pyproject.toml"
    assert load_config(tmp_path / "pyproject.toml").ignore == ("JM101",)
    map_file = inner / "map.yaml"
    map_file.write_text((HERE / "jm101.yaml").read_text())
    assert lint_file(map_file) == []  # settings found from the map's folder


def test_settings_are_found_as_build_finds_its_own(tmp_path: Path) -> None:
    from journeymap.config import find_project_file

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "maps").mkdir()
    map_file = repo / "maps" / "map.yaml"
    map_file.write_text((HERE / "jm101.yaml").read_text())
    # Above the repository root: neither command looks there.
    (tmp_path / "pyproject.toml").write_text('[tool.journeymap.lint]\nignore = ["JM101"]\n')
    assert find_config(map_file) is None and find_project_file(repo / "maps") is None
    assert [d.code for d in lint_file(map_file)] == ["JM101"]
    # journeymap.toml's [lint], and it wins over a pyproject.toml in the same folder, as for build.
    (repo / "pyproject.toml").write_text('[tool.journeymap]\nout_dir = "x"\n[tool.journeymap.lint]\nignore = ["JM105"]\n')
    assert find_config(map_file) == repo / "pyproject.toml"
    assert [d.code for d in lint_file(map_file)] == ["JM101"]
    (repo / "journeymap.toml").write_text('out_dir = "out"\n\n[lint]\nignore = ["JM101"]\n')
    assert find_config(map_file) == find_project_file(map_file.parent)[0] == repo / "journeymap.toml"
    assert load_config(repo / "journeymap.toml").ignore == ("JM101",)
    assert lint_file(map_file) == []
    result = runner.invoke(app, ["lint", "--strict", str(map_file)])
    assert (result.exit_code, result.stdout) == (0, "1 file checked, no problems found\n")


def test_journeymap_toml_lint_errors_name_its_table(tmp_path: Path) -> None:
    (tmp_path / "journeymap.toml").write_text('[lint]\nselect = "JM1"\n')
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "journeymap.toml")
    assert str(exc.value) == f'{tmp_path / "journeymap.toml"}: [lint] select must be a list of rule codes, such as ["JM101"]'


def test_comment_on_its_own_line_disables_rules_for_the_file(tmp_path: Path) -> None:
    text = "# journeymap: disable=JM101, jm105\n" + (HERE / "jm101.yaml").read_text()
    (tmp_path / "map.yaml").write_text(text)
    assert lint_file(tmp_path / "map.yaml", LintConfig()) == []
    assert parse_directives(text).file == {"JM101", "JM105"}


def test_comment_after_a_value_disables_rules_on_that_line_only(tmp_path: Path) -> None:
    text = (HERE / "jm106.yaml").read_text().replace(
        "- Remind a month before expiry", "- Remind a month before expiry  # journeymap: disable=JM106"
    )
    (tmp_path / "map.yaml").write_text(text)
    [left] = lint_file(tmp_path / "map.yaml", LintConfig())
    assert (left.code, left.line) == ("JM106", 10)


def lint_text(tmp_path: Path, name: str, old: str, new: str) -> list[tuple[str, int, int, str]]:
    text = (HERE / name).read_text()
    assert old in text
    (tmp_path / "map.yaml").write_text(text.replace(old, new, 1))
    return [(d.code, d.line, d.column, d.message) for d in lint_file(tmp_path / "map.yaml", LintConfig())]


def test_a_disable_comment_may_give_its_reason(tmp_path: Path) -> None:
    first = "journeymap: 1\n"
    assert lint_text(tmp_path, "jm106.yaml", first, first + "# journeymap: disable=JM106 because owner TBD\n") == []
    left = lint_text(tmp_path, "jm106.yaml", "- Remind a month before expiry",
                     "- Remind a month before expiry  # journeymap: disable=JM106 owner TBD, says Sam")
    assert [(code, line) for code, line, *_ in left] == [("JM106", 10)]


def test_disable_codes_split_on_commas_or_spaces_and_may_be_prefixes(tmp_path: Path) -> None:
    first = "journeymap: 1\n"
    assert parse_directives("# journeymap: disable=JM101 jm105,JM106 reason JM107\n").file == {"JM101", "JM105", "JM106"}
    both = lint_text(tmp_path, "jm103-personas.yaml", first, first + "# journeymap: disable=JM102 JM103\n")
    assert both == []
    assert lint_text(tmp_path, "jm103-personas.yaml", first, first + "# journeymap: disable=JM10 (a sketch)\n") == []
    assert [c for c, *_ in lint_text(tmp_path, "jm103-personas.yaml", first, first + "# journeymap: disable=JM102\n")] == [
        "JM103"]


def test_an_unknown_code_in_a_disable_comment_is_a_warning_at_its_place(tmp_path: Path) -> None:
    found = lint_text(tmp_path, "jm106.yaml", "- Remind a month before expiry",
                      "- Remind a month before expiry  # journeymap: disable=JM1O6, JM999 because TBD")
    assert found == [
        ("JM106", 9, 13, 'opportunity "Remind a month before expiry" has no owner'),  # nothing was turned off
        ("JM100", 9, 65, "'JM1O6' in a disable comment names no rule; did you mean 'JM106'?"),
        ("JM100", 9, 72, "'JM999' in a disable comment names no rule"),
        ("JM106", 10, 13, 'opportunity "Accept photos from a phone" has no owner'),
    ]
    line = (tmp_path / "map.yaml").read_text().splitlines()[8]
    assert line[64:69] == "JM1O6" and line[71:76] == "JM999"
    result = runner.invoke(app, ["lint", str(tmp_path / "map.yaml")])
    assert f"{tmp_path / 'map.yaml'}:9:65: warning[JM100]: 'JM1O6' in a disable comment names no rule" in result.stdout


# --- the command ---------------------------------------------------------------------------

runner = CliRunner()


def test_cli_text_output_has_position_code_frame_and_rule_doc() -> None:
    result = runner.invoke(app, ["lint", str(HERE / "jm101.yaml")])
    assert result.exit_code == 0  # warnings alone pass
    assert f"{HERE / 'jm101.yaml'}:9:5: warning[JM101]: stage \"Receive\" has no touchpoints" in result.stdout
    assert " 9 |   - name: Receive\n" in result.stdout
    assert f"JM101 stage-without-touchpoints: {RULES['JM101'].doc}" in result.stdout


def test_cli_strict_fails_on_warnings_and_clean_maps_pass() -> None:
    assert runner.invoke(app, ["lint", "--strict", str(HERE / "jm101.yaml")]).exit_code == 1
    assert runner.invoke(app, ["lint", "--strict", str(HERE / "clean.yaml")]).exit_code == 0


def test_cli_json_adds_rule_name_and_doc() -> None:
    result = runner.invoke(app, ["lint", "--format", "json", str(HERE / "jm107.yaml")])
    assert result.exit_code == 0
    [row] = json.loads(result.stdout)
    assert row["code"] == "JM107" and row["line"] == 3 and row["column"] == 1 and row["path"] == "persona"
    assert row["rule"] == "persona-without-goals" and row["doc"] == RULES["JM107"].doc


def test_cli_github_annotations() -> None:
    result = runner.invoke(app, ["lint", "-f", "github", str(HERE / "jm105.yaml")])
    assert result.stdout == (
        f"::warning file={HERE / 'jm105.yaml'},line=3,col=1,title=journeymap JM105::"
        "stages: the map has 3 steps; 4 to 12 read best\n"
    )


def test_cli_error_severity_from_pyproject_fails(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.journeymap.lint]\nseverity = { JM101 = "error" }\n')
    (tmp_path / "map.yaml").write_text((HERE / "jm101.yaml").read_text())
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 1
    assert "error[JM101]" in result.stdout
    assert runner.invoke(app, ["lint", str(tmp_path), "--ignore", "JM101"]).exit_code == 0


def test_cli_invalid_map_reports_its_validation_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("journeymap: 1\ntitle: [unclosed\n")
    result = runner.invoke(app, ["lint", str(tmp_path / "bad.yaml")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.yaml'}:3:1: error[E004]: invalid YAML" in result.stdout
    assert "JM" not in result.stdout


def test_cli_schema_invalid_map_reports_validation_errors_not_lint(tmp_path: Path) -> None:
    pytest.importorskip("journeymap.validation")
    (tmp_path / "bad.yaml").write_text("journeymap: 1\nstages:\n  - name: A\n    steps: [Do it]\n")
    result = runner.invoke(app, ["lint", str(tmp_path / "bad.yaml")])
    assert result.exit_code == 1
    assert "error[E102]" in result.stdout and "[JM" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "journeymap lint: no maps given; pass files, directories or globs (see --help)\n"),
        (["nowhere/*.yaml"], "journeymap lint: no maps found at 'nowhere/*.yaml' (looked for *.yaml and *.yml files)\n"),
        (["--select", "JM9", str(HERE / "clean.yaml")], ("journeymap lint: --select: 'JM9' matches no rule; known rules: "
                                                        "JM101, JM102, JM103, JM104, JM105, JM106, JM107, JM108\n")),
        (["--config", "missing.toml", str(HERE / "clean.yaml")], "journeymap lint: missing.toml: no such settings file\n"),
    ],
)
def test_cli_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["lint", *args])
    assert (result.exit_code, result.stderr) == (2, message)


def test_cli_unknown_format_is_a_usage_error() -> None:
    assert runner.invoke(app, ["lint", "--format", "xml", str(HERE / "clean.yaml")]).exit_code == 2


def test_cli_unusable_pyproject_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.journeymap.lint]\nselect = "JM1"\n')
    (tmp_path / "map.yaml").write_text((HERE / "clean.yaml").read_text())
    result = runner.invoke(app, ["lint", str(tmp_path / "map.yaml")])
    assert result.exit_code == 2
    assert "select must be a list of rule codes" in result.stderr


def test_cli_rules_lists_every_rule_with_its_doc() -> None:
    result = runner.invoke(app, ["lint", "--rules"])
    assert result.exit_code == 0
    for rule in RULES.values():
        assert f"{rule.code}  {rule.name} (warning)\n       {rule.doc}\n" in result.stdout


def test_examples_have_no_errors() -> None:
    maps = sorted(EXAMPLES.glob("*.yaml"))
    assert maps
    for path in maps:
        assert [d for d in lint_file(path, LintConfig()) if d.severity == "error"] == [], path


def test_cli_rules_as_json() -> None:
    result = runner.invoke(app, ["lint", "--rules", "--format", "json"])
    rows = json.loads(result.stdout)
    assert [r["code"] for r in rows] == list(RULES)
    assert rows[0] == {"code": "JM101", "name": "stage-without-touchpoints", "severity": "warning", "doc": RULES["JM101"].doc}


def test_cli_summary_goes_to_stderr_for_machine_formats() -> None:
    result = runner.invoke(app, ["lint", "-f", "json", str(HERE / "clean.yaml")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "1 file checked, no problems found\n")
