"""Schema and semantic validation: exact messages and positions, all problems in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.diagnostics import JourneyError
from journeymap.model import Journey
from journeymap.validation import check, compile_journey

EXAMPLES = Path(__file__).parent.parent / "examples"

HEAD = "journeymap: 1\ntitle: T\n"


def test_valid_map_compiles(fixtures):
    result = check(fixtures / "valid.yaml")
    assert result.diagnostics == [] and result.ok
    journey = result.journey
    assert isinstance(journey, Journey)
    assert [s.id for s in journey.stages] == ["discover", "buy"]
    assert journey.stages[0].steps[1].emotions == {"maya-operations-lead": -1.0}
    assert compile_journey(str(fixtures / "valid.yaml")) == journey


def test_every_problem_in_one_run_sorted_by_position(fixtures, problems):
    assert problems(fixtures / "many-errors.yaml") == [
        (3, 1, "E103", "unknown key 'stagse' in the map; did you mean 'stages'?"),
        (6, 1, "E202", "use either 'persona' (one) or 'personas' (several), not both"),
        (11, 9, "E201", "duplicate persona id 'maya' (first used at line 7, column 9)"),
        (13, 43, "W201", "emotion_scale label for 5 is outside the scale (-2 to 2)"),
        (13, 58, "E107", "emotion_scale label key 'high' must be a whole-number score such as -2 or 1"),
        (14, 8, "E108", "lanes names 'actions' more than once"),
        (14, 18, "E105", "unknown lane 'pain'; did you mean 'pains'?"),
        (16, 9, "E107", "id 'Discover Stage' must be lower-case letters, digits, '-' and '_', starting with a "
                        "letter or digit; for example 'discover-stage'"),
        (20, 18, "E204", "emotion must be a number between -2 and 2, got 5"),
        (20, 18, "E207", "with several personas, emotion must say whose it is: key it by persona id, "
                         "e.g. 'emotion: {maya: 1, sam: -1}'"),
        (21, 9, "E103", "unknown key 'emotoin' in a step; did you mean 'emotion'?"),
        (22, 23, "E203", "unknown channel 'emial'; did you mean 'email'?"),
        (22, 30, "E107", "channel id 'Web' must be lower-case letters, digits, '-' and '_', starting with a "
                         "letter or digit; for example 'web'"),
        (22, 45, "E203", "unknown channel 'fax'; declare it under 'channels' or use a built-in channel"),
        (23, 53, "E105", "impact must be one of low, medium, high, got the text 'hi'; did you mean 'high'?"),
        (25, 25, "E204", "emotion for 'maya' must be a number between -2 and 2, got 3"),
        (25, 28, "E206", "emotion for unknown persona 'mya'; did you mean 'maya'?"),
        (27, 18, "E104", "emotion must be a number, or a mapping of persona id to number, got the text "
                         "'happy'; put words like that under 'feeling'"),
        (28, 9, "E104", "a step must be a string (what the customer does) or a mapping with an 'action', got 42"),
        (29, 9, "E102", "a step is missing required key 'action' (what the customer does)"),
        (30, 23, "E104", "a thought must be a string, got 3"),
        (32, 12, "E106", "steps must list at least one step"),
        (33, 11, "E106", "name must not be empty"),
        (35, 20, "E104", "nps must be a number or a string, got a list"),
    ]


def test_diagnostic_carries_file_path_and_span(fixtures):
    result = check(fixtures / "many-errors.yaml")
    d = next(d for d in result.diagnostics if d.code == "E203")
    assert d.file == str(fixtures / "many-errors.yaml")
    assert d.path == "stages[0].steps[0].touchpoints[0]"
    assert (d.line, d.column, d.end_line, d.end_column) == (22, 23, 22, 28)
    assert result.journey is None and not result.ok
    assert result.sources == {d.file: (fixtures / "many-errors.yaml").read_text(encoding="utf-8")}


def test_compile_journey_raises_with_every_diagnostic(fixtures):
    with pytest.raises(JourneyError) as info:
        compile_journey(fixtures / "many-errors.yaml")
    assert len(info.value.diagnostics) == 24
    assert str(info.value).endswith("many-errors.yaml:3:1: unknown key 'stagse' in the map; did you mean 'stages'?")


@pytest.mark.parametrize("version, message", [
    ("2", "journeymap: unsupported format version 2; supported versions: 1"),
    ("1.5", "journeymap: unsupported format version 1.5; supported versions: 1"),
    ("'1'", "journeymap: the format version must be a number, not text: write 'journeymap: 1'"),
    ("true", "journeymap: unsupported format version true; supported versions: 1"),
    ("", "journeymap: unsupported format version an empty value; supported versions: 1"),
])
def test_unsupported_version_is_the_only_report(problems, version, message):
    # The rest of the map is invalid under v1, but another version's rules are unknown.
    assert problems(f"journeymap: {version}\ntitle: T\nstagse: 3\n") == [(1, 13, "E101", message)] if version else \
        problems("journeymap:\ntitle: T\nstagse: 3\n") == [(1, 1, "E101", message)]


def test_missing_required_keys(problems):
    assert problems("title: T\n") == [
        (1, 1, "E101", "missing the format version: start the map with 'journeymap: 1'"),
        (1, 1, "E102", "the map is missing required key 'stages' (the columns of the map)"),
    ]
    assert problems(HEAD + "persona: {segment: SMB}\nstages:\n  - name: A\n") == [
        (3, 1, "E102", "the persona is missing required key 'name'"),
        (5, 5, "E102", "a stage is missing required key 'steps' (a list of what the customer does)"),
    ]
    assert problems(HEAD + "personas: [{name: A}, {id: b, name: B}]\nstages: [{name: A, steps: [x]}]\n") == [
        (3, 12, "E102", "each of several personas needs an 'id' (emotions are keyed by it)"),
    ]


def test_a_misspelt_required_key_is_reported_once(problems):
    assert problems("journeymp: 1\ntitle: T\nstagse:\n  - name: A\n    step: [x]\n") == [
        (1, 1, "E103", "unknown key 'journeymp' in the map; did you mean 'journeymap'?"),
        (3, 1, "E103", "unknown key 'stagse' in the map; did you mean 'stages'?"),
    ]
    assert problems(HEAD + "stages:\n  - name: A\n    step: [x]\n") == [
        (5, 5, "E103", "unknown key 'step' in a stage; did you mean 'steps'?"),
    ]


def test_suggestions_are_for_typos_not_for_words_that_share_letters(problems):
    # 'version' shares five letters with 'persona' but is no misspelling of it
    assert problems("journeymap: 1\nversion: 2\ntitle: T\nstages: [{name: A, steps: [x]}]\n") == [
        (2, 1, "E103", "unknown key 'version' in the map; the format version is given as 'journeymap: 1'"),
    ]
    assert problems(HEAD + "services: {}\nstages: [{name: A, steps: [x]}]\n") == [
        (3, 1, "E103", "unknown key 'services' in the map; allowed keys: journeymap, title, description, persona, "
                       "personas, scenario, emotion_scale, channels, lanes, stages"),
    ]
    assert problems("journeymap: 1\ntittle: T\nstagse: [{name: A, steps: [{action: x, touchpoints: [webb]}]}]\n") == [
        (2, 1, "E103", "unknown key 'tittle' in the map; did you mean 'title'?"),
        (3, 1, "E103", "unknown key 'stagse' in the map; did you mean 'stages'?"),
    ]
    assert problems(HEAD + "stages: [{name: A, steps: [{action: x, touchpoints: [webb]}]}]\n") == [
        (3, 54, "E203", "unknown channel 'webb'; did you mean 'web'?"),
    ]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(problems):
    text = HEAD + "stages:\n  - name: A\n    steps:\n      - action: x\n        colour: red\n"
    assert problems(text) == [
        (7, 9, "E103", "unknown key 'colour' in a step; allowed keys: id, action, thought, feeling, emotion, "
                       "touchpoints, pains, backstage, opportunities, moment_of_truth, evidence, support, confidence, paths, "
                           "next, exit, exit_reason"),
    ]
    assert problems(HEAD + "channels: {crm: {lable: CRM}}\nstages: [{name: A, steps: [x]}]\n") == [
        (3, 18, "E103", "unknown key 'lable' in channel 'crm'; did you mean 'label'?"),
    ]


def test_wrong_types(problems):
    text = HEAD + ("description: 42\nlanes: actions\nstages:\n  - name: A\n    steps:\n      - action: x\n"
                   "        pains: [ok, {a: b}]\n        moment_of_truth: yes\n        touchpoints: [5]\n")
    assert problems(text) == [
        (3, 14, "E104", "description must be a string, got 42"),
        (4, 8, "E104", "lanes must be a list, got the text 'actions'"),
        (9, 21, "E104", "a pain must be a string, got a mapping"),
        (10, 26, "E104", "moment_of_truth must be true or false, got the text 'yes'"),
        (11, 23, "E104", "a touchpoint must be a channel id or a mapping with a 'channel', got 5"),
    ]


def test_emotion_scale(problems):
    steps = "stages:\n  - name: A\n    steps:\n      - {action: x, emotion: 4}\n      - {action: y, emotion: -1}\n"
    assert problems(HEAD + "emotion_scale: {min: 0, max: 5}\n" + steps) == [
        (8, 30, "E204", "emotion must be a number between 0 and 5, got -1"),
    ]
    assert problems(HEAD + "emotion_scale: {min: 2, max: -2}\n" + steps) == [
        (3, 22, "E205", "emotion_scale: min (2) must be less than max (-2)"),
    ]
    assert problems(HEAD + "emotion_scale: {min: 1.5}\n" + steps)[0] == (
        3, 22, "E104", "min must be a whole number, got 1.5")
    assert problems(HEAD + "stages: [{name: A, steps: [{action: x, emotion: }]}]\n") == [
        (3, 40, "E104", "emotion must be a number, or a mapping of persona id to number, got an empty value; "
                        "leave emotion out when it is not known"),
    ]


def test_emotions_with_personas(problems):
    single = HEAD + "persona: {name: Maya Lee}\nstages:\n  - name: A\n    steps:\n"
    assert problems(single + "      - {action: x, emotion: 1}\n      - {action: y, emotion: {maya-lee: 2}}\n") == []
    assert problems(single + "      - {action: x, emotion: {maya: 1}}\n") == [
        (7, 31, "E206", "emotion for unknown persona 'maya'; did you mean 'maya-lee'?"),
    ]
    none = HEAD + "stages:\n  - name: A\n    steps:\n"
    assert problems(none + "      - {action: x, emotion: {customer: 1}}\n") == []
    assert problems(none + "      - {action: x, emotion: {maya: 1}}\n") == [
        (6, 31, "E206", "emotion for unknown persona 'maya'; the map declares no personas: use a plain number"),
    ]
    several = HEAD + "personas: [{id: ana, name: Ana}, {id: bo, name: Bo}]\nstages:\n  - name: A\n    steps:\n"
    assert problems(several + "      - {action: x, emotion: {ana: 1, zed: -1}}\n") == [
        (7, 39, "E206", "emotion for unknown persona 'zed'; personas: ana, bo"),
    ]


def test_duplicate_ids_across_stages(problems):
    text = HEAD + ("stages:\n  - id: a\n    name: A\n    steps: [{id: s, action: x}]\n"
                   "  - id: a\n    name: B\n    steps: [{id: s, action: y}, {action: s}]\n")
    assert problems(text) == [
        (7, 9, "E201", "duplicate stage id 'a' (first used at line 4, column 9)"),
        (9, 18, "E201", "duplicate step id 's' (first used at line 6, column 18)"),
    ]


def test_declared_channels_resolve(problems):
    text = HEAD + ("channels:\n  partner-portal: {label: Portal}\nstages:\n  - name: A\n    steps:\n"
                   "      - {action: x, touchpoints: [partner-portal, in-person, partner-portl]}\n")
    assert problems(text) == [
        (8, 62, "E203", "unknown channel 'partner-portl'; did you mean 'partner-portal'?"),
    ]


def test_load_errors_come_back_as_a_result():
    result = check("- just\n- a list\n")
    assert result.journey is None and result.document is None
    assert [d.code for d in result.diagnostics] == ["E006"]
    assert result.sources == {"<string>": "- just\n- a list\n"}


def test_every_example_validates_cleanly():
    maps = sorted(EXAMPLES.glob("*.yaml")) + sorted(EXAMPLES.glob("*.yml"))
    assert maps, "examples/ holds no maps"
    for path in maps:
        result = check(path)
        assert result.diagnostics == [], path
        assert result.journey is not None


# Outside YAML's printable set, or line breaks in YAML 1.1 (NEL, LS, PS), or a byte order mark.
_NOT_YAML_PRINTABLE = "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]"


def test_schema_valid_documents_never_crash_and_only_fail_semantic_checks():
    """Any document the schema accepts loads back from its text, passes the schema, and compiles or gets
    semantic diagnostics only (never a traceback)."""
    import json
    import re

    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis_jsonschema import from_schema

    from journeymap.validation import schema

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(from_schema(json.loads(json.dumps(schema()))))  # a copy: from_schema rewrites its argument in place
    def run(doc):
        # JSON is YAML, with every string quoted; characters YAML does not allow raw are escaped
        assume(not re.search("[\ud800-\udfff]", json.dumps(doc, ensure_ascii=False)))  # lone surrogates
        text = re.sub(_NOT_YAML_PRINTABLE, lambda m: f"\\u{ord(m[0]):04x}", json.dumps(doc, ensure_ascii=False))
        result = check(text)
        assert all(d.code.startswith(("E2", "W2")) for d in result.diagnostics), result.diagnostics
        assert (result.journey is not None) == result.ok

    run()


def test_long_names_are_cut_short_in_messages(problems):
    text = HEAD + "k" * 500 + ": 1\nstages: [{name: A, steps: [{action: x, touchpoints: [" + "w" * 5000 + "]}]}]\n"
    assert problems(text) == [
        (3, 1, "E103", "unknown key '" + "k" * 37 + "...' in the map; allowed keys: journeymap, title, description, "
                       "persona, personas, scenario, emotion_scale, channels, lanes, stages"),
        (4, 54, "E203", "unknown channel '" + "w" * 37 + "...'; declare it under 'channels' or use a built-in channel"),
    ]


def test_a_problem_in_an_aliased_value_names_its_first_use_and_that_alias(problems):
    from journeymap.validation import check

    text = HEAD + "x-step: &s {action: X, emotion: 9}\nstages:\n  - name: A\n    steps: [*s, *s]\n"
    assert problems(text)[1:] == [
        (3, 33, "E204", "emotion must be a number between -2 and 2, got 9 (used through the alias *s at line 6, "
                        "column 13)"),
    ]
    assert [d.path for d in check(text).diagnostics][1:] == ["stages[0].steps[0].emotion"]
    # used first where it is written: that use is the one reported, and needs no alias named
    text = HEAD + "stages:\n  - name: A\n    steps:\n      - &s {action: X, emotion: 9}\n      - *s\n"
    assert problems(text) == [(6, 33, "E204", "emotion must be a number between -2 and 2, got 9")]
