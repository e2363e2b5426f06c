"""`journeymap report`: the journey in words and numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.model import Opportunity
from journeymap.report import (
    Drop,
    emotion_drops,
    opportunity_rank,
    to_html,
    to_markdown,
)
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

## Moments of truth

| Step | Stage | Emotion | Pains |
| --- | --- | --- | --- |
| 4. Gets the permit by post | Receive | +2 (happy) | — |

## Pains ranked by emotion drop

Drop: how far the emotion at the step lies below the highest of the steps before and after it along the journey, \
paths and loops included (a step without an emotion is looked through); the largest over personas.

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
    journey = compile_journey("""\
journeymap: 1
title: T
personas: [{id: p, name: Pat}, {id: q, name: Quinn}]
stages:
  - name: S
    steps:
      - {id: a, action: A, emotion: {p: 1}}
      - {id: b, action: B, emotion: {p: -1, q: 0}}
      - {id: c, action: C, emotion: {p: 0, q: 2}}
      - {id: d, action: D}
""")
    drops = emotion_drops(journey)
    assert drops["a"] == Drop(0, ("p",))  # above its only neighbour
    assert drops["b"] == Drop(2, ("p", "q"))  # p: 1 -> -1; q has one neighbour at 2 -> also 2
    assert drops["c"] == Drop(0, ("p", "q"))
    assert "d" not in drops  # no emotion at all


def test_emotion_drop_follows_paths_loops_and_gaps() -> None:
    journey = compile_journey(Path(__file__).parent / "maps" / "paths-and-loops.yaml")
    drops = {sid: d.points for sid, d in emotion_drops(journey).items()}
    assert drops == {
        "browse": 1,  # below "Visits store" (+2), a step it leads to
        "calls-sales-and-waits": 2,  # after browse (+1); before the -2 step it leads to
        "gives-up-on-hold": 1,  # an exit: only the step before counts
        "visit": 0,
        "cart": 1,
        "pay": 3,  # the path from "Visits store" (+2) rejoins here
        "card-declined": 1,  # loops back to "Pays" (-1) with next
        "done": 0,
    }
    gap = compile_journey(MAP.replace("        emotion: 1\n        touchpoints: [web]\n      - action: Uploads",
                                      "        emotion: 2\n        touchpoints: [web]\n      - action: Reads the rules\n"
                                      "      - action: Uploads"))
    # +2, (no emotion), -2: a drop of 4 across the step that has none.
    assert emotion_drops(gap)["uploads-proof-of-address"].points == 4


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


EXAMPLES = Path(__file__).parent.parent / "examples"


def table(journey, first_header: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    from journeymap.report import Table, build_report

    found = next(b for b in build_report(journey) if isinstance(b, Table) and b.headers[0] == first_header
                 and (first_header != "Stage" or "Metric" in b.headers))
    return found.headers, found.rows


def test_metric_targets_and_gaps_as_the_metrics_lane_draws_them() -> None:
    from journeymap import views
    from journeymap.layouts import Text
    from journeymap.render.theme import load_theme

    journey = compile_journey(EXAMPLES / "saas-onboarding.yaml")
    headers, rows = table(journey, "Stage")
    assert headers == ("Stage", "Metric", "Value", "Target", "Gap")
    assert rows[:3] == (
        ("Discover", "visit-to-trial", "3.2%", "5%", "\u22121.8 pts"),
        ("Discover", "organic share", "41%", "\u2014", "\u2014"),
        ("Evaluate", "trial-to-opportunity", "22%", "30%", "\u22128 pts"),
    )
    assert ("Evaluate", "ces", "3.4", "3", "+0.4") in rows and ("Adopt", "nps", "38", "45", "\u22127") in rows
    layout = views.compute(journey, load_theme("default"))
    drawn = {" ".join(i.lines) for g in layout.groups if g.lane == "metrics" for i in g.items if isinstance(i, Text)}
    gaps = [f"target {target} \u00b7 gap {gap}" for _, _, _, target, gap in rows if gap != "\u2014"]
    assert len(gaps) == 8 and set(gaps) <= drawn


def test_a_target_without_its_metric_still_shows() -> None:
    text = MAP.replace("metrics: {nps: 12}", "metrics: {nps: 12}\n    targets: {nps: 20, csat: 80%}")
    _, rows = table(compile_journey(text), "Stage")
    assert rows[2:] == (("Receive", "nps", "12", "20", "\u22128"), ("Receive", "csat", "\u2014", "80%", "\u2014"))


def test_moments_of_truth_are_named_with_each_personas_emotion() -> None:
    headers, rows = table(compile_journey(EXAMPLES / "clinic-visit.yaml"), "Step")
    assert headers == ("Step", "Stage", "Emotion", "Pains")
    assert [row[:3] for row in rows] == [
        ("1. Books the first assessment", "Book", "Marcus Chen +2 (delighted); Eileen Murphy -2 (distressed)"),
        ("4. Has the knee assessed by a physio", "Assessment", "Marcus Chen +2 (delighted); Eileen Murphy +2 (delighted)"),
    ]
    assert "\n## Moments of truth\n\nNo step is marked as a moment of truth.\n" in to_markdown(
        compile_journey(MAP.replace("moment_of_truth: true", "moment_of_truth: false")))


def test_with_several_personas_each_pain_says_whose_drop_it_is() -> None:
    headers, rows = table(compile_journey(EXAMPLES / "clinic-visit.yaml"), "#")
    assert headers == ("#", "Pain", "Step", "Stage", "Persona", "Emotion", "Drop")
    assert rows[0][2:] == ("7. Settles the bill for the sessions", "Pay and finish", "Marcus Chen", "-2", "3")
    assert rows[4][1:] == ("Reception line unstaffed 12:00\u201314:00, when older patients call most",
                           "1. Books the first assessment", "Book", "Eileen Murphy", "-2", "2")
    assert "Persona" not in table(compile_journey(MAP), "#")[0]  # one persona: no column


def test_steps_on_paths_are_counted_ranked_and_named() -> None:
    journey = compile_journey(Path(__file__).parent / "maps" / "paths-and-loops.yaml")
    md = to_markdown(journey)
    assert "2 stages, 8 steps (4 on alternative paths), 0 touchpoints" in md
    assert ("| Customer | Low | -2 | 1b. Gives up on hold (path: Calls sales); 3a. Card declined (path: Card declined) "
            "| Buy |") in md
    assert "| Buy | -0.4 (-2 to +2) |" in md  # the stage's mean over its paths' steps too
    text = (Path(__file__).parent / "maps" / "paths-and-loops.yaml").read_text().replace(
        "                emotion: -1\n", "                emotion: -1\n                pains: [Long hold]\n"
                "                opportunities: [{idea: Call-back, impact: high}]\n                touchpoints: [phone]\n", 1)
    md = to_markdown(compile_journey(text))
    assert "| 1 | Long hold | 1a. Calls sales and waits (path: Calls sales) | Buy | -1 | 2 |" in md
    assert "| 1 | Call-back | high | — | — | 1a. Calls sales and waits (path: Calls sales) | Buy | Long hold |" in md
    assert "| Phone | 1 | 100% | Buy |" in md


def test_html_report_draws_the_emotion_curve_inline() -> None:
    import re

    page = to_html(compile_journey(MAP))
    assert page.count("<svg") == 1 and "<figcaption>The emotion curve</figcaption>" in page
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert set(re.findall(r"https?://[^\s\"]+", page)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"<link|<img|<script|\ssrc=|href=|url\(", page)
    assert svg.count("<polyline") == 1 and svg.count("<title>") == 4
    assert "<title>2. Uploads proof of address: -2</title>" in svg
    assert ">+2 happy</text>" in svg and ">-2 angry</text>" in svg
    assert svg.count('stroke="#7A4CC2"') == 1  # the moment of truth is ringed
    # A step without an emotion breaks the line: no line is drawn across the gap.
    gap = to_html(compile_journey(MAP.replace("        emotion: -1\n", "")))
    [line] = re.findall(r'<polyline points="([^"]*)"', gap)
    assert len(line.split()) == 2 and gap.count("<title>") == 1 + 3  # the page's, and steps 1, 2 and 4
    # Several personas: a line and a legend entry each; a path's steps get their own dashed line.
    two = to_html(compile_journey(EXAMPLES / "clinic-visit.yaml"))
    assert two.count("<polyline") == 2 and ">Marcus Chen</text>" in two and ">Eileen Murphy</text>" in two
    paths = to_html(compile_journey(Path(__file__).parent / "maps" / "paths-and-loops.yaml"))
    assert paths.count('stroke-dasharray="4 3"') == 3  # Calls sales, Visits the store (to Pays), Card declined
    assert "<title>1c. Visits store: +2</title>" in paths
    assert "<svg" not in to_markdown(compile_journey(MAP))


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
