"""Import and export: Mermaid journey, CSV and JSON; round trips and the losses they state."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from journeymap.api import load
from journeymap.cli import app
from journeymap.diagnostics import JourneyError
from journeymap.interchange import export_journey, import_text
from journeymap.resources import schema_path
from journeymap.validation import check

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ids = [p.name for p in EXAMPLES]


def _problems(excinfo: pytest.ExceptionInfo[JourneyError]) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.message) for d in excinfo.value.diagnostics]


# --- Mermaid -------------------------------------------------------------------------------------

MERMAID = """\
%% exported from the wiki
journey
  title My working day
  section Go to work
    Make tea: 5: Me
    Go upstairs: 3: Me, Cat
  section Go home
    Go downstairs: 1: Me, Cat
    Sit down: 4.5: Cat
"""

MERMAID_YAML = """\
# yaml-language-server: $schema=journeymap.schema.json
journeymap: 1
title: My working day
personas:
  - id: me
    name: Me
  - id: cat
    name: Cat
stages:
  - name: Go to work
    steps:
      - action: Make tea
        emotion:
          me: 2
      - action: Go upstairs
        emotion:
          me: 0
          cat: 0
  - name: Go home
    steps:
      - action: Go downstairs
        emotion:
          me: -2
          cat: -2
      - action: Sit down
        emotion:
          cat: 1.5
"""


def test_mermaid_import_maps_scores_and_actors() -> None:
    assert import_text(MERMAID, "mmd", "day.mmd") == MERMAID_YAML


def test_mermaid_without_title_or_actors() -> None:
    text = import_text("journey\n  section Only\n    Wait: 2\n", "mmd", "waiting-room.mmd")
    journey = load(text)
    assert journey.title == "Waiting room"
    assert journey.personas == ()
    assert [(s.action, dict(s.emotions)) for s in journey.steps] == [("Wait", {"customer": -1.0})]


def test_mermaid_errors_are_positioned_and_all_reported() -> None:
    text = "journey\n  title T\n  section A\n    Do thing: 7: Me\n    no colon here\n    Other: high: Me\n    : 3\n"
    with pytest.raises(JourneyError) as info:
        import_text(text, "mmd", "bad.mmd")
    assert _problems(info) == [
        (4, 15, "the score must be from 1 to 5, found 7"),
        (5, 5, "expected `task: score: actors`, `section NAME` or `title TEXT`, found 'no colon here'"),
        (6, 12, "the score must be a number from 1 to 5, found 'high'"),
        (7, 5, "the task has no name before `:`"),
    ]
    assert {d.file for d in info.value.diagnostics} == {"bad.mmd"}


def test_not_a_mermaid_journey() -> None:
    with pytest.raises(JourneyError) as info:
        import_text("graph TD\n  A --> B\n", "mmd", "flow.mmd")
    assert _problems(info) == [(1, 1, "expected `journey` to start the diagram, found 'graph TD'")]


@pytest.mark.parametrize("path", EXAMPLES, ids=ids)
def test_yaml_mermaid_yaml_keeps_stages_steps_and_scores(path: Path) -> None:
    original = load(path)
    exported = export_journey(original, "mmd")
    back = load(import_text(exported.text, "mmd", "x.mmd"))
    assert back.title == original.title
    assert [s.name for s in back.stages] == [s.name for s in original.stages]
    assert [st.action for st in back.steps] == [st.action for st in original.steps]
    assert [len(s.steps) for s in back.stages] == [len(s.steps) for s in original.stages]
    names = {p.id: p.name for p in original.personas}
    back_names = {p.id: p.name for p in back.personas}
    scored = [s for s in original.steps if s.emotions]
    if scored:
        assert [{names.get(k, k): v for k, v in s.emotions.items()} for s in original.steps] == [
            {back_names.get(k, names.get(k, k)): v for k, v in s.emotions.items()} for s in back.steps
        ]


def test_mermaid_export_states_the_loss() -> None:
    exported = export_journey(load(ROOT / "examples" / "saas-onboarding.yaml"), "mmd")
    assert exported.warnings == (
        "Mermaid keeps the title, stages, steps and one score per persona; dropped: description; scenario; "
        "persona ids; persona details (priya); emotion labels; channels; lanes; step ids; stage descriptions; "
        "metrics; targets; thoughts; feelings; touchpoints; pains; backstage; opportunities; moments of truth; "
        "evidence",
    )
    assert exported.text.splitlines()[:4] == [
        "journey",
        "  title Buying and rolling out Relay helpdesk",
        "  section Discover",
        "    Searches for shared inbox alternatives: 4: Priya Raman",
    ]


def test_mermaid_export_splits_diverging_personas() -> None:
    text = export_journey(load(ROOT / "examples" / "clinic-visit.yaml"), "mmd").text
    assert "    Books the first assessment: 5: Marcus Chen\n    Books the first assessment: 1: Eileen Murphy\n" in text
    assert "    Has the knee assessed by a physio: 5: Marcus Chen, Eileen Murphy\n" in text


def test_mermaid_export_cleans_separators_and_fills_missing_scores() -> None:
    journey = load("journeymap: 1\ntitle: 'Q3: review'\npersona: {name: 'Lee, buyer'}\n"
                   "stages:\n  - name: 'Step #1'\n    steps: ['Reads: the terms']\n")
    exported = export_journey(journey, "mmd")
    assert exported.text == "journey\n  title Q3: review\n  section Step - 1\n    Reads - the terms: 3: Lee - buyer\n"
    assert exported.warnings == (
        "Mermaid keeps the title, stages, steps and one score per persona; dropped: lanes",
        "1 step(s) without an emotion were given the neutral score 3",
        "3 name(s) had characters Mermaid cannot hold (: # ; , or line breaks) replaced",
    )


# --- CSV -----------------------------------------------------------------------------------------

def normalised(journey) -> dict:
    """The whole compiled model as plain data."""
    from journeymap.interchange.json_format import to_data

    return json.loads(json.dumps(to_data(journey)))


def _listed(phrase: str) -> list[str]:
    return phrase[phrase.index("(") + 1: phrase.rindex(")")].split(", ")


def _each_text(value, change):
    if isinstance(value, dict):
        return {k: _each_text(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [_each_text(v, change) for v in value]
    return change(value) if isinstance(value, str) else value


def _metrics(data):
    return [m for st in data["stages"] for m in (*st["metrics"], *st["targets"])]


# What each loss a CSV export states takes away from the model: clearing it on both sides
# must leave the original and the round-tripped model equal.
CSV_LOSSES = {
    "title": lambda d: d.update(title=None),
    "description": lambda d: d.update(description=None),
    "scenario": lambda d: d.update(scenario=None),
    "persona names": lambda d, ids: [p.update(name=None) for p in d["personas"] if p["id"] in ids],
    "persona details": lambda d, ids: [p.update(segment=None, description=None, goals=[], expectations=[],
                                                frustrations=[], quote=None) for p in d["personas"] if p["id"] in ids],
    "emotion labels": lambda d: d["emotion_scale"].update(labels={}),
    "channel labels and icons": lambda d, ids: [d["channels"][i].update(label=None, icon=None) for i in ids],
    "unused channels": lambda d, ids: [d["channels"].pop(i, None) for i in ids],
    "lanes": lambda d: d.update(lanes=None),
    "the quotes of metric values written as text": lambda d, names: [
        m.update(value=float(m["value"])) for m in _metrics(d) if m["name"] in names and isinstance(m["value"], str)],
    "spaces and line breaks around": lambda d: d.update(_each_text(d, str.strip)),
    r"\d+ evidence texts? that read back": lambda d: [
        s.update(evidence_items=[csv_evidence(e["source"]) if not (e["quote"] or e["sample_size"]) else e
                                 for e in s["evidence_items"]]) for s in _every_step(d)],
}


def _every_step(d):
    return [x for st in d["stages"] for s in st["steps"] for x in [s, *(q for p in s["paths"] for q in p["steps"])]]


def csv_evidence(text: str) -> dict:
    from journeymap.interchange.csv_format import evidence_item

    item = evidence_item(text)
    item = {"source": item} if isinstance(item, str) else item
    return {"source": item["source"], "quote": item.get("quote"), "sample_size": item.get("sample_size")}


def stated_losses(warnings: tuple[str, ...], prefix: str) -> list[str]:
    [note] = [w for w in warnings if w.startswith(prefix)]
    return note.removeprefix(prefix).split("; ")


def without(data: dict, losses: list[str], table: dict) -> dict:
    """`data` with every stated loss cleared, in the table's order; a loss the table does not know fails."""
    for phrase in losses:
        assert any(re.match(key, phrase) for key in table), f"no test knows what {phrase!r} loses"
    data = json.loads(json.dumps(data))
    for key, clear in table.items():
        for phrase in (p for p in losses if re.match(key, p)):
            if clear.__code__.co_argcount == 2:
                clear(data, _listed(phrase))
            else:
                clear(data)
    return data


def assert_round_trip_loses_exactly(original, back, losses: list[str], table: dict) -> None:
    before, after = normalised(original), normalised(back)
    assert without(before, losses, table) == without(after, losses, table)
    for phrase in losses:  # and nothing is said to be lost that was kept
        others = [p for p in losses if p != phrase]
        assert without(before, others, table) != without(after, others, table), f"{phrase!r} was not lost"


CSV_PREFIX = "CSV keeps the stages and steps, one row per step; dropped: "


@pytest.mark.parametrize("path", EXAMPLES, ids=ids)
def test_yaml_csv_yaml_keeps_the_whole_model_but_the_stated_losses(path: Path) -> None:
    original = load(path)
    exported = export_journey(original, "csv")
    back = load(import_text(exported.text, "csv", "x.csv"))
    assert_round_trip_loses_exactly(original, back, stated_losses(exported.warnings, CSV_PREFIX), CSV_LOSSES)


EDGES = """\
journeymap: 1
title: Edges
persona: {id: me, name: Me}
lanes: [actions, emotions, metrics]
channels:
  kiosk: {label: Kiosk}
  fax: {label: Fax}
stages:
  - name: ' Padded '
    metrics: {nps: '32', csat: 1.5e-7}
    targets: {nps: 40}
    steps:
      - action: Pays | or not
        thought: [a | b, 'c \\| d']
        emotion: 1.5
        touchpoints: [{channel: kiosk, name: 'Checkout [beta]'}, web]
        backstage: [{process: 'Sync [nightly]', owner: IT}, Plain]
        support: [{process: CRM, owner: Sales}]
        evidence: [{source: Calls, sample_size: 12, quote: 'It took: ages'}, {source: Survey, quote: Fine}, Log,
                   'Interview 3 (n=1)']
        confidence: medium
        paths:
          - name: Gives up
            steps:
              - {action: Leaves, exit: true, exit_reason: Too slow}
          - id: calls
            name: Calls instead
            rejoin: done
            steps: [{action: Calls, next: done}, Waits]
      - id: done
        action: Done
        emotion: -2
"""


def test_csv_round_trip_of_the_awkward_cases_loses_exactly_what_it_states() -> None:
    original = load(EDGES)
    exported = export_journey(original, "csv")
    losses = stated_losses(exported.warnings, CSV_PREFIX)
    assert losses == ["title", "unused channels (fax)", "lanes", "the quotes of metric values written as text (nps)",
                      "1 evidence text that read back as a source with a quote or size",
                      "spaces and line breaks around 1 text"]
    back = load(import_text(exported.text, "csv", "x.csv"))
    assert_round_trip_loses_exactly(original, back, losses, CSV_LOSSES)
    assert back.steps[0].thoughts == ("a | b", "c \\| d")
    assert back.steps[0].paths[1].rejoin == "done" and back.steps[0].paths[0].steps[0].exit_reason == "Too slow"


def test_csv_export_states_the_loss() -> None:
    exported = export_journey(load(ROOT / "examples" / "retail-purchase.yaml"), "csv")
    assert exported.warnings == (
        "CSV keeps the stages and steps, one row per step; dropped: title; description; scenario; "
        "persona names (dana); persona details (dana); emotion labels; channel labels and icons (delivery, showroom)",
    )


def test_csv_export_rescales_other_emotion_scales() -> None:
    journey = load("journeymap: 1\ntitle: T\nemotion_scale: {min: 0, max: 10}\n"
                   "stages: [{name: A, steps: [{action: x, emotion: 10}, {action: y, emotion: 5}]}]\n")
    exported = export_journey(journey, "csv")
    assert exported.warnings[1:] == ("emotions were rescaled from 0..10 to -2..2",)
    assert [dict(s.emotions) for s in load(import_text(exported.text, "csv", "x.csv")).steps] == [
        {"customer": 2.0}, {"customer": 0.0}]


def test_csv_headers_in_any_order_and_case_with_aliases() -> None:
    text = (
        "Pain Points,ACTION,Phase,Emotion (dana),Channel,Opportunity,MOT,Emotion (lee)\n"
        "Slow site,Searches online,Research,-1,Web: Search results [owner: Marketing],Faster pages [impact: HIGH],x,1\n"
        ",Visits the store,,2,store,,,\n"
        ",Pays,Buy,,app,,no,0.5\n"
    )
    journey = load(import_text(text, "csv", "shop_visits.csv"))
    assert journey.title == "Shop visits"
    assert [p.id for p in journey.personas] == ["dana", "lee"]
    assert [(s.name, [st.action for st in s.steps]) for s in journey.stages] == [
        ("Research", ["Searches online", "Visits the store"]),
        ("Buy", ["Pays"]),
    ]
    first = journey.steps[0]
    assert dict(first.emotions) == {"dana": -1.0, "lee": 1.0}
    assert first.pains == ("Slow site",)
    assert first.touchpoints[0].channel == "web" and first.touchpoints[0].owner == "Marketing"
    assert first.opportunities[0].impact == "high" and first.moment_of_truth
    assert dict(journey.steps[2].emotions) == {"lee": 0.5}


def test_csv_multiline_cells_and_custom_channels() -> None:
    text = 'stage,action,thought,touchpoints\nA,Asks,"Is it ready?\nReally?",kiosk: Check-in tablet\n'
    journey = load(import_text(text, "csv", "m.csv"))
    assert journey.steps[0].thoughts == ("Is it ready?\nReally?",)
    assert journey.channels["kiosk"].label == "Kiosk"


def test_csv_errors_name_the_line() -> None:
    text = (
        "stage,action,emotion,opportunities,moment_of_truth\n"
        'A,"Two-line\naction",3,,\n'
        ",,1,,\n"
        ",Ok,x,Idea [impact: huge],maybe\n"
    )
    with pytest.raises(JourneyError) as info:
        import_text(text, "csv", "r.csv")
    assert _problems(info) == [
        (2, 1, "emotion 3 is outside the scale -2..2"),
        (4, 1, "the row has no action: every step needs one"),
        (5, 1, "emotion must be a number from -2 to 2, found 'x'"),
        (5, 1, "impact must be low, medium or high, found 'huge'"),
        (5, 1, "moment_of_truth must be yes or no, found 'maybe'"),
    ]


def test_csv_header_problems() -> None:
    with pytest.raises(JourneyError) as info:
        import_text("stage,acton,emoton\nA,b,1\n", "csv", "h.csv")
    known = ("known columns: stage, stage_id, stage_description, stage_metrics, stage_targets, id, action, thought, "
             "feeling, emotion or emotion:ID, touchpoints, pains, backstage, support, opportunities, moment_of_truth, "
             "evidence, confidence, path, path_id, rejoin, next, exit, exit_reason")
    assert _problems(info) == [
        (1, 7, f"unknown column 'acton': did you mean 'action'? ({known})"),
        (1, 13, f"unknown column 'emoton': did you mean 'emotion'? ({known})"),
        (1, 1, "the CSV needs an `action` column (one row per step)"),
    ]
    with pytest.raises(JourneyError) as info:
        import_text('stage,"Colour, shade",action\nA,red,b\n', "csv", "h.csv")
    assert _problems(info) == [(1, 7, f"unknown column 'Colour, shade' ({known})")]


def test_csv_cells_without_a_column_are_errors_but_empty_trailing_cells_are_not() -> None:
    text = 'stage,action,,emotion\nA,"Pays, twice",,1,,\nA,Waits,left over,0\nA,Leaves,,1,,"x"\n'
    with pytest.raises(JourneyError) as info:
        import_text(text, "csv", "cells.csv")
    assert _problems(info) == [
        (3, 9, "the cell 'left over' is under a column without a name (the header has 4 columns): remove it or "
                "name its column"),
        (4, 14, "the cell 'x' is beyond the last column (the header has 4 columns): remove it or name its column"),
    ]


def test_csv_semicolons_and_excel_bom() -> None:
    journey = load(import_text("\ufeffStage;Action;Emotion\nA;Waits;-2\n", "csv", "x.csv"))
    assert [(s.action, dict(s.emotions)) for s in journey.steps] == [("Waits", {"customer": -2.0})]


# --- JSON ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=ids)
def test_json_export_matches_its_schema_and_round_trips(path: Path) -> None:
    journey = load(path)
    exported = export_journey(journey, "json")
    assert exported.warnings == ()
    assert exported.text == export_journey(load(path), "json").text  # same map, same bytes
    schema = json.loads((ROOT / "schemas" / "journey-model.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    assert list(Draft7Validator(schema).iter_errors(json.loads(exported.text))) == []
    assert load(import_text(exported.text, "json", "x.json")) == journey


def test_json_model_key_order() -> None:
    data = json.loads(export_journey(load(ROOT / "examples" / "minimal.yaml"), "json").text)
    assert list(data) == ["$schema", "title", "stages", "personas", "description", "scenario", "emotion_scale",
                          "channels", "lanes", "version"]
    assert list(data["stages"][0]["steps"][0]) == ["id", "action", "thoughts", "feeling", "emotions", "touchpoints",
                                                    "pains", "backstage", "opportunities", "moment_of_truth",
                                                    "evidence", "evidence_items", "confidence", "backstage_items",
                                                    "support", "paths", "next", "exit", "exit_reason"]


def test_json_import_of_a_document_and_bad_json() -> None:
    text = import_text('{"journeymap": 1, "title": "T", "stages": [{"name": "A", "steps": ["x"]}]}', "json", "d.json")
    assert load(text).steps[0].action == "x"
    with pytest.raises(JourneyError) as info:
        import_text('{"journeymap": 1,\n "title": }', "json", "bad.json")
    assert _problems(info) == [(2, 11, "invalid JSON: Expecting value")]
    with pytest.raises(JourneyError) as info:
        import_text('{"journeymap": 1, "title": "T", "stagse": []}', "json", "typo.json")
    messages = [m for _, _, m in _problems(info)]
    assert any("stagse" in m for m in messages)
    assert all(m.startswith("the imported map would be invalid: ") for m in messages)


# --- command line --------------------------------------------------------------------------------

def test_cli_export_to_stdout_and_warning_on_stderr() -> None:
    result = runner.invoke(app, ["export", str(ROOT / "examples" / "minimal.yaml"), "-o", "-", "--to", "mmd"])
    assert result.exit_code == 0
    assert result.stdout.startswith("journey\n  title Ordering a coffee\n  section Order\n")
    assert result.stderr == (
        "warning: Mermaid keeps the title, stages, steps and one score per persona; dropped: lanes\n"
        "warning: 5 step(s) without an emotion were given the neutral score 3\n"
        "warning: 1 name(s) had characters Mermaid cannot hold (: # ; , or line breaks) replaced\n"
    )
    assert "    Joins the queue: 3: Sam - commuter\n" in result.stdout


def test_cli_export_then_import_files(tmp_path: Path) -> None:
    csv_path, yaml_path = tmp_path / "steps.csv", tmp_path / "back.yaml"
    source = ROOT / "examples" / "clinic-visit.yaml"
    assert runner.invoke(app, ["export", str(source), "-o", str(csv_path)]).exit_code == 0
    result = runner.invoke(app, ["import", str(csv_path), "-o", str(yaml_path), "--title", "Clinic"])
    assert result.exit_code == 0, result.output
    schema = tmp_path / "journeymap.schema.json"
    assert result.stderr == (f"Wrote {yaml_path}. Next: journeymap validate {yaml_path}\n"
                             f"Wrote {schema}, which the map's first line points editors at.\n")
    assert schema.read_text(encoding="utf-8") == schema_path().read_text(encoding="utf-8")
    assert yaml_path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=journeymap.schema.json\n")
    assert check(yaml_path).diagnostics == []
    assert load(yaml_path).title == "Clinic"
    again = runner.invoke(app, ["import", str(csv_path), "-o", str(yaml_path)])
    assert again.exit_code == 1
    assert again.stderr == f"journeymap import: '{yaml_path}' already exists; use --force to overwrite it\n"
    schema.write_text("{}", encoding="utf-8")  # a schema already there is the user's: left alone
    forced = runner.invoke(app, ["import", str(csv_path), "-o", str(yaml_path), "--force"])
    assert forced.exit_code == 0 and forced.stderr == f"Wrote {yaml_path}. Next: journeymap validate {yaml_path}\n"
    assert schema.read_text(encoding="utf-8") == "{}"


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_cli_writes_to_a_device_without_replacing_it(tmp_path: Path) -> None:
    import stat

    source = tmp_path / "a.mmd"
    source.write_text("journey\n  section A\n    Pays: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(source), "-o", "/dev/null"])
    assert result.exit_code == 0 and result.stderr == ""
    result = runner.invoke(app, ["export", str(ROOT / "examples" / "minimal.yaml"), "-o", "/dev/null", "--to", "csv"])
    assert result.exit_code == 0
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    assert not Path("/dev/journeymap.schema.json").exists()


def test_cli_format_must_be_known(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(ROOT / "examples" / "minimal.yaml"), "-o", str(tmp_path / "x.txt")])
    assert result.exit_code == 2
    target = tmp_path / "x.txt"
    assert result.stderr == f"journeymap export: cannot tell the format of '{target}'; use --to mmd|csv|json\n"
    result = runner.invoke(app, ["import", "notes.txt", "-o", "-"])
    assert result.exit_code == 2


def test_cli_invalid_map_and_bad_source(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("journeymap: 1\ntitle: T\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(bad), "-o", "-", "--to", "csv"])
    assert result.exit_code == 1
    assert f"{bad}:1:1: error[E102]" in result.stderr
    mmd = tmp_path / "bad.mmd"
    mmd.write_text("journey\n  section A\n    Task: 9\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(mmd), "-o", "-"])
    assert result.exit_code == 1
    assert f"{mmd}:3:11: error[E810]: the score must be from 1 to 5, found 9" in result.stderr
    assert "3 |     Task: 9" in result.stderr
    missing = runner.invoke(app, ["import", str(tmp_path / "none.csv"), "-o", "-"])
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_cli_help_has_examples() -> None:
    for command in ("import", "export", "fmt"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and f"journeymap {command} " in result.stdout


def test_mermaid_same_task_for_other_actors_is_one_step() -> None:
    text = "journey\n  section A\n    Pays: 5: Ann\n    Pays: 1: Bob\n    Pays: 3: Bob\n    Leaves: 4\n"
    journey = load(import_text(text, "mmd", "x.mmd"))
    assert [(s.action, dict(s.emotions)) for s in journey.steps] == [
        ("Pays", {"ann": 2.0, "bob": -2.0}),
        ("Pays", {"bob": 0.0}),
        ("Leaves", {"ann": 1.0, "bob": 1.0}),  # a task without actors: everyone felt it
    ]


# --- hostile input: the loader's limits hold for every format --------------------------------------

def test_json_nested_too_deeply_is_refused_like_yaml(tmp_path: Path) -> None:
    deep = tmp_path / "d.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = runner.invoke(app, ["import", str(deep), "-o", "-"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # not a RecursionError
    assert result.stderr.splitlines()[0] == (
        f"{deep}:1:65: error[E010]: the document is nested too deeply (more than 64 levels)")
    inner = "[" * 900 + "]" * 900
    text = '{"journeymap": 1, "title": "T",\n "description": ' + inner + ', "stages": [{"name": "A", "steps": ["x"]}]}'
    with pytest.raises(JourneyError) as info:
        import_text(text, "json", "n.json")
    assert [(d.line, d.column, d.code, d.message) for d in info.value.diagnostics] == [
        (2, 80, "E010", "the document is nested too deeply (more than 64 levels)")]


def test_json_duplicate_keys_are_errors_as_in_yaml() -> None:
    text = '{"journeymap": 1, "title": "T",\n "title": "U", "stages": [{"name": "A", "name": "B", "steps": ["x"]}]}'
    with pytest.raises(JourneyError) as info:
        import_text(text, "json", "dup.json")
    assert [(d.line, d.column, d.code, d.message) for d in info.value.diagnostics] == [
        (2, 2, "E007", "duplicate key 'title' (first defined at line 1, column 19)"),
        (2, 41, "E007", "duplicate key 'name' (first defined at line 2, column 28)"),
    ]
    # an escaped key is the same key; keys of different objects and strings that are values are not
    with pytest.raises(JourneyError) as info:
        import_text('{"journeymap": 1, "title": "T", "t\\u0069tle": "U"}', "json", "esc.json")
    assert [d.message for d in info.value.diagnostics] == ["duplicate key 'title' (first defined at line 1, column 19)"]
    text = '{"journeymap": 1, "title": "title", "stages": [{"name": "A", "steps": [{"action": "name"}]}, ' \
           '{"name": "B", "steps": ["x"]}]}'
    assert load(import_text(text, "json", "ok.json")).stages[1].name == "B"


def test_json_with_too_many_values_is_refused_before_it_is_read() -> None:
    from journeymap.safe_yaml import MAX_NODES

    steps = ", ".join(['"x"'] * MAX_NODES)
    text = '{"journeymap": 1, "title": "T", "stages": [{"name": "A", "steps": [' + steps + "]}]}"
    with pytest.raises(JourneyError) as info:
        import_text(text, "json", "big.json")
    [d] = info.value.diagnostics
    assert (d.line, d.code) == (1, "E009")
    assert d.message == ("the document is too large: more than 100,000 values, the limit for one map (it keeps "
                         "checking and drawing fast; a large map has a few thousand): split it into several maps")


def test_json_number_too_long_for_python_is_an_error_not_a_traceback() -> None:
    with pytest.raises(JourneyError) as info:
        import_text('{"journeymap": 1' + "0" * 5000 + "}", "json", "n.json")
    assert [d.code for d in info.value.diagnostics] == ["E830"]


def test_huge_csv_is_refused_at_the_value_cap(tmp_path: Path) -> None:
    rows = "".join(f"Stage,Step {i},a thought,happy,1\n" for i in range(21_000))  # 105,000 filled cells
    with pytest.raises(JourneyError) as info:
        import_text("stage,action,thought,feeling,emotion\n" + rows, "csv", "big.csv")
    [d] = info.value.diagnostics
    assert (d.line, d.column, d.code) == (20_002, 1, "E009")
    assert d.message.startswith("the CSV is too large: more than 100,000 values, the limit for one map")
    # fewer cells than the cap, but a map with more values than the loader would read
    rows = "".join(f"Stage,Step {i},a | b | c | d | e | f\n" for i in range(12_000))
    with pytest.raises(JourneyError) as info:
        import_text("stage,action,pains\n" + rows, "csv", "wide.csv")
    assert [(d.code, d.message.split(":")[0]) for d in info.value.diagnostics] == [
        ("E009", "the imported map is too large")]


def test_stdin_is_held_to_the_file_size_limit() -> None:
    result = runner.invoke(app, ["import", "-", "--from", "json", "-o", "-"], input=b" " * (10 * 1024 * 1024 + 1))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "<stdin>:1:1: error[E002]: the input is too large (more than 10 MB)"


def test_mermaid_task_names_that_read_as_statements_are_escaped_and_come_back() -> None:
    names = ["title fake", "Section fake", "Journey planning", "accTitle", "%% off", "titles page", "A title"]
    steps = ", ".join(f"{{action: '{n}', emotion: 1}}" for n in names)
    journey = load(f"journeymap: 1\ntitle: T\nstages:\n  - name: S\n    steps: [{steps}]\n")
    exported = export_journey(journey, "mmd")
    assert exported.text.splitlines()[3:] == [
        "    #116;itle fake: 4",
        "    #83;ection fake: 4",
        "    #74;ourney planning: 4",
        "    #97;ccTitle: 4",
        "    #37;% off: 4",
        "    titles page: 4",
        "    A title: 4",
    ]
    assert exported.warnings == ()
    back = load(import_text(exported.text, "mmd", "x.mmd"))
    assert [s.name for s in back.stages] == ["S"] and back.title == "T"
    assert [s.action for s in back.steps] == names


def test_mermaid_import_reads_keywords_in_any_case_comments_and_entity_codes() -> None:
    text = ("journey\n  TITLE Fees #35;2 # not part of it\n  accDescr: Fees # and charges\n  Section Pay\n"
            "    Pays #quot;now#quot;: 5: Me # comment\n    # a comment line\n")
    journey = load(import_text(text, "mmd", "x.mmd"))
    assert journey.title == "Fees #2" and journey.description == "Fees # and charges"
    assert [(s.name, [(st.action, dict(st.emotions)) for st in s.steps]) for s in journey.stages] == [
        ("Pay", [('Pays "now"', {"me": 2.0})])]


def test_mermaid_import_warns_about_empty_sections(tmp_path: Path) -> None:
    source = tmp_path / "e.mmd"
    source.write_text("journey\n  section Empty\n  section Real\n    Pays: 3\n  section Also empty\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(source), "-o", "-"])
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "warning" in line] == [
        f"{source}:2:3: warning[W810]: section 'Empty' has no tasks: it was left out (a stage needs at least one step)",
        f"{source}:5:3: warning[W810]: section 'Also empty' has no tasks: it was left out (a stage needs at least one "
        "step)",
    ]
    assert [s.name for s in load(result.stdout).stages] == ["Real"]


# --- Mermaid: the whole model but the stated losses ---------------------------------------------------

def _main_steps(d):
    return [s for st in d["stages"] for s in st["steps"]]


def _mmd_clean_names(d):
    from journeymap.interchange.mermaid import _ACTOR_FORBIDDEN, _NAME_FORBIDDEN, _TEXT_FORBIDDEN, clean

    d["title"] = clean(d["title"], _TEXT_FORBIDDEN)
    for st in d["stages"]:
        st["name"] = clean(st["name"], _NAME_FORBIDDEN)
        for s in st["steps"]:
            s["action"] = clean(s["action"], _NAME_FORBIDDEN)
    for p in d["personas"]:
        p["name"] = clean(p["name"], _ACTOR_FORBIDDEN)


def _mmd_neutral(d):
    middle = (d["emotion_scale"]["min"] + d["emotion_scale"]["max"]) / 2
    for s in _main_steps(d):
        s["emotions"] = s["emotions"] or {p["id"]: middle for p in d["personas"]} or {"customer": middle}


def _mmd_scale(d):
    from journeymap.interchange import rescale

    scale = (d["emotion_scale"]["min"], d["emotion_scale"]["max"])
    for s in _main_steps(d):
        s["emotions"] = {k: rescale(v, scale, (-2, 2)) for k, v in s["emotions"].items()}
    d["emotion_scale"].update(min=-2, max=2)


def _mmd_rounded(d):
    from journeymap.interchange import rescale
    from journeymap.interchange.mermaid import score_of

    for s in _main_steps(d):
        s["emotions"] = {k: rescale(score_of(v, (-2, 2)), (1, 5), (-2, 2)) for k, v in s["emotions"].items()}


def _mmd_merged(d):
    for st in d["stages"]:
        kept = []
        for s in st["steps"]:
            last = kept[-1] if kept else None
            if (last and last["action"] == s["action"] and last["emotions"] and s["emotions"]
                    and not set(last["emotions"]) & set(s["emotions"])):
                last["emotions"].update(s["emotions"])
            else:
                kept.append(s)
        st["steps"] = kept


def _mmd_persona_ids(d):
    name = {p["id"]: p["name"] for p in d["personas"]}
    for s in _main_steps(d):
        s["emotions"] = {name.get(k, k): v for k, v in s["emotions"].items()}
    for p in d["personas"]:
        p["id"] = None


def _each_step(**cleared):
    return lambda d: [s.update(cleared) for s in _main_steps(d)]


def _each_stage(**cleared):
    return lambda d: [st.update(cleared) for st in d["stages"]]


# In the order they apply: names are cleaned before emotions are keyed by them.
MERMAID_LOSSES = {
    r"\d+ name\(s\) had characters Mermaid cannot hold": _mmd_clean_names,
    r"\d+ step\(s\) without an emotion were given the neutral score 3": _mmd_neutral,
    r"the emotion scale \(": _mmd_scale,
    r"\d+ score\(s\) were rounded": _mmd_rounded,
    r"\d+ steps? merged into the step before": _mmd_merged,
    "description": lambda d: d.update(description=None),
    "scenario": lambda d: d.update(scenario=None),
    "personas without a score": lambda d, ids: d.update(personas=[p for p in d["personas"] if p["id"] not in ids]),
    "persona details": CSV_LOSSES["persona details"],
    "persona ids": _mmd_persona_ids,
    "persona order": lambda d: d["personas"].sort(key=lambda p: p["name"]),
    "emotion labels": CSV_LOSSES["emotion labels"],
    "channels": lambda d: d.update(channels={}),
    "lanes": lambda d: d.update(lanes=None),
    "stage ids": _each_stage(id=None),
    "step ids": _each_step(id=None),
    "stage descriptions": _each_stage(description=None),
    "metrics": _each_stage(metrics=[]),
    "targets": _each_stage(targets=[]),
    "thoughts": _each_step(thoughts=[]),
    "feelings": _each_step(feeling=None),
    "touchpoints": _each_step(touchpoints=[]),
    "pains": _each_step(pains=[]),
    "backstage": _each_step(backstage=[], backstage_items=[]),
    "support": _each_step(support=[]),
    "opportunities": _each_step(opportunities=[]),
    "moments of truth": _each_step(moment_of_truth=False),
    "evidence": _each_step(evidence=None, evidence_items=[]),
    "confidence": _each_step(confidence=None),
    r"alternative paths \(": _each_step(paths=[]),
    "next": _each_step(next=None),
    "exits": _each_step(exit=False, exit_reason=None),
}


def mermaid_losses(warnings: tuple[str, ...]) -> list[str]:
    from journeymap.interchange.mermaid import MERMAID_KEEPS

    out = []
    for note in warnings:
        out += note.removeprefix(MERMAID_KEEPS).split("; ") if note.startswith(MERMAID_KEEPS) else [note]
    return out


MERMAID_EDGES = """\
journeymap: 1
title: 'Q3: edges'
emotion_scale: {min: 0, max: 10}
personas:
  - {id: b, name: 'Bo, buyer'}
  - {id: a, name: Al}
  - {id: never, name: Never}
stages:
  - name: Only
    steps:
      - {action: 'Pays: now', emotion: {a: 7, b: 10}}
      - {action: Waits}
      - {action: Leaves, emotion: {b: 0}, exit: true}
"""
# Named, in the order of appearance, Al comes first: the ids and the order both change.
MERMAID_ORDER = """\
journeymap: 1
title: T
personas: [{id: bo, name: Bo}, {id: al-1, name: Al}, {id: x, name: Xi, goals: [Win]}]
channels: {crm: {label: CRM}}
stages:
  - name: A
    id: first
    steps:
      - {action: Pays, emotion: {al-1: 1}, touchpoints: [crm], confidence: low}
      - {action: Pays, emotion: {bo: -1}}
      - {id: w, action: Waits, emotion: {bo: 2, al-1: 2}, next: w2}
      - {id: w2, action: Waits again, emotion: {bo: 0}, paths: [{name: P, steps: [{action: Q, emotion: {bo: 1}}]}]}
"""


@pytest.mark.parametrize("text", [*EXAMPLES, MERMAID_EDGES, MERMAID_ORDER], ids=[*ids, "edges", "order"])
def test_yaml_mermaid_yaml_keeps_the_whole_model_but_the_stated_losses(text) -> None:
    original = load(text)
    exported = export_journey(original, "mmd")
    back = load(import_text(exported.text, "mmd", "x.mmd"))
    assert_round_trip_loses_exactly(original, back, mermaid_losses(exported.warnings), MERMAID_LOSSES)


def test_every_csv_header_is_documented_in_the_help_and_the_readme() -> None:
    from journeymap.interchange.csv_format import HEADERS

    help_text = " ".join(runner.invoke(app, ["import", "--help"], env={"COLUMNS": "200"}).stdout.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Import and export"):readme.index("## Diagnostics")]
    for header in HEADERS:
        assert re.search(rf"\b{header}\b", help_text), header
        assert f"`{header}`" in section, header


def test_json_with_unclosed_escaped_quotes_is_read_in_linear_time() -> None:
    import time

    text = '{"title": "' + '\\"' * 200_000  # every quote escaped: one string that never closes
    started = time.process_time()
    with pytest.raises(JourneyError) as info:
        import_text(text, "json", "q.json")
    assert time.process_time() - started < 5  # quadratic rescanning took hours
    assert [d.code for d in info.value.diagnostics] == ["E830"]


def test_the_readme_import_and_export_commands_run(tmp_path: Path) -> None:
    import os
    import shlex
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Import and export"):readme.index("## Diagnostics")]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    (tmp_path / "maps").mkdir()
    (tmp_path / "journey.mmd").write_text(MERMAID, encoding="utf-8")
    (tmp_path / "research.csv").write_text(export_journey(load(ROOT / "examples" / "retail-purchase.yaml"), "csv").text,
                                           encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    for line in block.splitlines():
        result = subprocess.run(shlex.split(line, comments=True), cwd=tmp_path, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
    assert load(tmp_path / "maps" / "checkout.yaml").title == "Checking out"
    assert (tmp_path / "maps" / "journeymap.schema.json").is_file() and (tmp_path / "model.json").is_file()
