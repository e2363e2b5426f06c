"""`journeymap report`: the journey in words and numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.model import Opportunity, Step
from journeymap.report import emotion_drop, opportunity_rank, to_html, to_markdown
from journeymap.validation import compile_journey

MAP = """\
journeymap: 1
title: Renewing a parking permit
persona:
  name: Dana Okafor
  segment: Resident with a car
  goals: [Renew on time]
scenario: Dana's permit runs out on Friday.
emotion_scale:
  labels: {-2: angry, 2: happy}
stages:
  - name: Apply
    metrics: {csat: 71%, ces: 3.5}
    steps:
      - action: Opens the renewal page
        emotion: 1
        touchpoints: [web]
      - action: Uploads proof of address
        emotion: -2
        touchpoints: [web]
        pains: [Upload limit of 2 MB, "Error says | nothing"]
        opportunities:
          - idea: Accept photos from a phone
            impact: medium
            effort: low
            owner: Digital team
          - idea: Explain the error
            impact: high
            effort: high
  - name: Receive
    metrics: {nps: 12}
    steps:
      - action: Waits for the permit
        emotion: -1
        touchpoints: [email]
        pains: [No date given]
        opportunities: [Send a tracking link]
      - action: Gets the permit by post
        moment_of_truth: true
        emotion: 2
        touchpoints: [mail]
"""

EXPECTED_MD = """\
# Renewing a parking permit

Persona: Dana Okafor — Resident with a car

Scenario: Dana's permit runs out on Friday.

2 stages, 4 steps, 4 touchpoints on 3 channels, 3 pains, 3 opportunities, 1 moment of truth.

## Emotion

### Low and high points

| Persona | Point | Emotion | Step | Stage |
| --- | --- | --- | --- | --- |
| Dana Okafor | Low | -2 (angry) | 2. Uploads proof of address | Apply |
| Dana Okafor | High | +2 (happy) | 4. Gets the permit by post | Receive |

### Emotion by stage

| Stage | Dana Okafor: mean (range) |
| --- | --- |
| Apply | -0.5 (-2 to +1) |
| Receive | +0.5 (-1 to +2) |

## Pains ranked by emotion drop

Drop: how far the emotion at the step lies below the higher of its neighbouring steps (the largest over personas).

| # | Pain | Step | Stage | Emotion | Drop |
| ---: | --- | --- | --- | ---: | ---: |
| 1 | Upload limit of 2 MB | 2. Uploads proof of address | Apply | -2 | 3 |
| 2 | Error says \\| nothing | 2. Uploads proof of address | Apply | -2 | 3 |
| 3 | No date given | 3. Waits for the permit | Receive | -1 | 3 |

## Opportunities by priority

Quick wins first (high impact, low effort), then by impact less effort, higher impact first where that ties; opportunities without both ratings last; then position in the map.

| # | Opportunity | Impact | Effort | Owner | Step | Stage | Pains beside it |
| ---: | --- | --- | --- | --- | --- | --- | --- |
| 1 | Accept photos from a phone | medium | low | Digital team | 2. Uploads proof of address | Apply | Upload limit of 2 MB; Error says \\| nothing |
| 2 | Explain the error | high | high | — | 2. Uploads proof of address | Apply | Upload limit of 2 MB; Error says \\| nothing |
| 3 | Send a tracking link | — | — | — | 3. Waits for the permit | Receive | No date given |

## Metrics by stage

| Stage | Metric | Value |
| --- | --- | ---: |
| Apply | csat | 71% |
| Apply | ces | 3.5 |
| Receive | nps | 12 |

## Channel mix

| Channel | Touchpoints | Share | Stages |
| --- | ---: | ---: | --- |
| Web | 2 | 50% | Apply |
| Email | 1 | 25% | Receive |
| Mail | 1 | 25% | Receive |

Channel switches between consecutive steps: 2.
"""


def test_markdown_report() -> None:
    assert to_markdown(compile_journey(MAP)) == EXPECTED_MD


def test_pains_rank_deepest_dip_first_then_lowest_emotion() -> None:
    # The -1 step sits 3 below its +2 neighbour, like the -2 step below its +1 neighbour: the -2 goes first.
    md = to_markdown(compile_journey(MAP))
    assert md.index("Upload limit of 2 MB") < md.index("No date given")


def test_emotion_drop_uses_the_higher_neighbour_and_every_persona() -> None:
    steps = [Step("a", "A", emotions={"p": 1.0}), Step("b", "B", emotions={"p": -1.0, "q": 0.0}),
             Step("c", "C", emotions={"p": 0.0, "q": 2.0}), Step("d", "D")]
    assert emotion_drop(steps, 0) == 0  # above its only neighbour
    assert emotion_drop(steps, 1) == 2  # p: 1 -> -1; q has one neighbour at 2 -> also 2
    assert emotion_drop(steps, 2) == 0
    assert emotion_drop(steps, 3) is None  # no emotion at all


def test_opportunity_priority_is_quick_wins_first_then_impact_less_effort_with_unrated_last() -> None:
    ideas = [Opportunity("x"), Opportunity("hl", "high", "low"), Opportunity("mh", "medium", "high"),
             Opportunity("hh", "high", "high"), Opportunity("ml", "medium", "low"), Opportunity("h", "high"),
             Opportunity("hm", "high", "medium"), Opportunity("ll", "low", "low"), Opportunity("mm", "medium", "medium"),
             Opportunity("lh", "low", "high")]
    assert [o.idea for o in sorted(ideas, key=opportunity_rank)] == [
        "hl", "hm", "ml", "hh", "mm", "ll", "mh", "lh", "h", "x"]


def test_html_report_escapes_everything_from_the_map() -> None:
    text = MAP.replace("title: Renewing a parking permit", 'title: "<script>alert(1)</script> & co"')
    page = to_html(compile_journey(text))
    assert "<script>" not in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co — journey report</title>" in page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>" in page
    assert "<td>Error says | nothing</td>" in page
    assert '<td class="num">3</td>' in page
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")


def test_markdown_escapes_markup_in_text() -> None:
    text = MAP.replace("scenario: Dana's permit runs out on Friday.", "scenario: '# *not* a <b>heading</b>'")
    assert "\n\nScenario: # \\*not\\* a \\<b\\>heading\\</b\\>\n\n" in to_markdown(compile_journey(text))
    text = MAP.replace("scenario: Dana's permit runs out on Friday.", "description: '- not a list'")
    assert "\n\n\\- not a list\n\n" in to_markdown(compile_journey(text))


def test_maps_without_emotions_pains_or_touchpoints_say_so() -> None:
    md = to_markdown(compile_journey("journeymap: 1\ntitle: T\nstages:\n  - name: S\n    steps: [Do it]\n"))
    for line in ("No step records an emotion.", "No pains recorded.", "No opportunities recorded.",
                 "No metrics recorded.", "No touchpoints recorded."):
        assert f"\n{line}\n" in md


def test_two_personas_get_a_row_each() -> None:
    journey = compile_journey(Path(__file__).parent.joinpath("lint", "jm103-personas.yaml"))
    md = to_markdown(journey)
    assert "| Lee Park | Low | 0 | 2. Uploads proof of address | Apply |" in md
    assert "| Stage | Dana Okafor: mean (range) | Lee Park: mean (range) |" in md


runner = CliRunner()


def test_cli_writes_markdown_and_html_by_extension(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(MAP)
    assert runner.invoke(app, ["report", str(tmp_path / "map.yaml"), "-o", str(tmp_path / "r.md")]).exit_code == 0
    assert (tmp_path / "r.md").read_text() == EXPECTED_MD
    assert runner.invoke(app, ["report", str(tmp_path / "map.yaml"), "-o", str(tmp_path / "r.html")]).exit_code == 0
    assert (tmp_path / "r.html").read_text() == to_html(compile_journey(MAP))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.yaml", "r.html", "r.md"]  # no temporary files left


def test_cli_markdown_to_stdout(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(MAP)
    result = runner.invoke(app, ["report", str(tmp_path / "map.yaml"), "-o", "-"])
    assert (result.exit_code, result.stdout) == (0, EXPECTED_MD)
    result = runner.invoke(app, ["report", str(tmp_path / "map.yaml"), "--format", "html"])
    assert result.stdout.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-o", "r.txt"], 2, "journeymap report: cannot tell the format of 'r.txt': use a .md or .html file name, or --format\n"),
        (["--format", "pdf"], 2, "journeymap report: unknown format 'pdf'; use md or html\n"),
        (["-o", "no/such/folder/r.md"], 1, "journeymap report: cannot write no/such/folder/r.md: No such file or directory\n"),
    ],
)
def test_cli_errors(tmp_path: Path, args: list[str], code: int, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "map.yaml").write_text(MAP)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "map.yaml", *args])
    assert (result.exit_code, result.stderr) == (code, message)


def test_cli_invalid_map_prints_its_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text("journeymap: 1\ntitle: T\n")
    result = runner.invoke(app, ["report", str(tmp_path / "map.yaml")])
    assert result.exit_code == 1
    assert "error[E102]: the map is missing required key 'stages'" in result.stderr
    assert result.stdout == ""
