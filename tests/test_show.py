"""`journeymap show`: the map as a table in the terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.show import SPARKS, emotion_plot, render, spark
from journeymap.validation import compile_journey

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples"

MAP = """\
journeymap: 1
title: Renewing a parking permit
persona: {name: Dana Okafor, goals: [Renew on time]}
emotion_scale:
  labels: {-2: angry, 0: calm, 2: happy}
stages:
  - name: Apply
    metrics: {csat: 71%}
    steps:
      - action: Opens the renewal page
        emotion: 1
        touchpoints: [web]
      - action: Uploads proof of address
        emotion: -2
        touchpoints: [{channel: web, name: Upload form}]
        pains: [Upload limit of 2 MB]
  - name: Receive
    steps:
      - action: Waits for the permit
        touchpoints: [email]
      - action: Gets the permit by post
        moment_of_truth: true
        emotion: 2
        opportunities: [{idea: Send a tracking link, impact: high}]
"""


def screen(journey, width: int, ascii_only: bool = False) -> str:
    console = Console(record=True, width=width, file=io.StringIO(), color_system=None)
    console.print(render(journey, ascii_only=ascii_only))
    return console.export_text()


def test_spark_maps_the_scale_onto_eight_levels() -> None:
    assert [spark(v, -2, 2) for v in (-2, -1, 0, 1, 2)] == ["▁", "▃", "▅", "▆", "█"]
    assert spark(None, -2, 2) == " "
    assert spark(9, -2, 2) == SPARKS[-1]  # clamped
    assert spark(1, 1, 5, "0123") == "0"


def test_emotion_plot_draws_one_row_per_score_and_a_gap_for_missing_steps() -> None:
    plot = emotion_plot(compile_journey(MAP)).plain
    assert plot == (
        "+2 happy │          ● \n"
        "+1       │ ●          \n"
        " 0 calm  │┄┄┄┄┄┄┄┄┄┄┄┄\n"
        "-1       │            \n"
        "-2 angry │    ●       \n"
        "           1  2  3  4 "
    )


def test_table_has_stages_as_columns_and_lanes_as_rows() -> None:
    text = screen(compile_journey(MAP), 80)
    lines = text.splitlines()
    assert lines[0] == "Renewing a parking permit"
    assert lines[1] == "Persona: Dana Okafor"
    header = next(line for line in lines if "Lane" in line)
    assert [cell.strip() for cell in header.split("│")[1:-1]] == ["Lane", "Apply", "Receive"]
    for expected in ("1. Opens the renewal page", "4. Gets the permit by post (!)", "2: Web · Upload form",
                     "2: Upload limit of 2 MB", "4: Send a tracking link", "[impact high]", "csat: 71%", "(!) moment of truth",
                     "▆▁ +1 -2", " █ ? +2"):
        assert expected in text, expected
    assert [line.split("│")[1].strip() for line in lines if line.startswith("│") and line.split("│")[1].strip()] == [
        "Lane", "Actions", "Touchpoints", "Emotion", "Pains", "Opportunities", "Metrics"]


@pytest.mark.parametrize("width", [80, 100, 120])
def test_examples_fit_the_terminal_width_with_nothing_cut_off(width: int) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        text = screen(compile_journey(path), width)
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= width, path
        # Every table row is whole: it ends with a border, so no column was cropped.
        rows = [line.rstrip() for line in lines if line[:1] in "╭│├╰"]
        assert rows and all(row[-1] in "╮│┤╯" for row in rows), path


def test_narrow_terminals_stack_the_stages() -> None:
    journey = compile_journey(EXAMPLES / "retail-purchase.yaml")
    names = [stage.name for stage in journey.stages]
    assert len(names) == 5
    wide = screen(journey, 120)
    header = next(line for line in wide.splitlines() if "Lane" in line)
    assert [cell.strip() for cell in header.split("│")[1:-1]] == ["Lane", *names]
    narrow = screen(journey, 80)
    assert "Lane" not in narrow
    titles = [line.split(" (")[0] for line in narrow.splitlines() if line.rstrip().endswith(")") and "(step" in line]
    assert titles == names


def test_ascii_mode_draws_only_ascii() -> None:
    text = screen(compile_journey(MAP.replace("name: Dana Okafor,", "name: Dana Okafor, segment: Driver,")), 100, ascii_only=True)
    assert text.isascii()
    assert "Persona: Dana Okafor - Driver" in text and "2: Web - Upload form" in text
    text = screen(compile_journey(EXAMPLES / "clinic-visit.yaml"), 100, ascii_only=True)
    assert "o Marcus Chen   * Eileen Murphy" in text


def test_ascii_mode_transliterates_the_maps_own_text() -> None:
    text = MAP.replace("title: Renewing a parking permit", "title: Café opening hours 12:00–14:00 \u2014 “soon”").replace(
        "Opens the renewal page", "Doesn\u2019t find the page\u2026 \U0001f620").replace(
        "Upload limit of 2 MB", '"Upload \u2264 2 MB \u00d7 3, Stra\u00dfe, \u6771\u4eac"')
    journeys = [compile_journey(text), compile_journey(EXAMPLES / "clinic-visit.yaml"),
                compile_journey(HERE / "maps" / "paths-and-loops.yaml")]
    for journey in journeys:
        for width in (60, 120):
            assert screen(journey, width, ascii_only=True).isascii()
    out = screen(journeys[0], 120, ascii_only=True)
    assert out.splitlines()[0] == 'Cafe opening hours 12:00-14:00 - "soon"'
    assert "1. Doesn't find the page... ?" in out and "2: Upload <= 2 MB x 3, Strasse, ??" in out
    assert "12:00-14:00" in screen(journeys[1], 120, ascii_only=True)
    assert "\u2013" in screen(journeys[1], 120)  # without --ascii the text is as written


def test_steps_on_paths_are_listed_under_the_step_they_branch_from() -> None:
    text = screen(compile_journey(HERE / "maps" / "paths-and-loops.yaml"), 90)
    actions = [line.split("│")[2].strip() for line in text.splitlines() if line.startswith("│")][1:8]
    assert actions == [
        "1. Browses the catalogue",
        "↳ 1a. Calls sales and waits",
        "↳ 1b. Gives up on hold (drops out)",
        "↳ 1c. Visits store (rejoins 3)",
        "2. Fills the cart",
        "3. Pays",
        "↳ 3a. Card declined (next: 3)",
    ]
    emotion = [line.split("│")[2].strip() for line in text.splitlines() if line.startswith("│")][8:12]
    assert emotion == ["▆▅▃ +1 0 -1", "↳ 1a ▃▁ -1 -2", "↳ 1c █ +2", "↳ 3a ▁ -2"]


def test_two_personas_get_a_marker_each() -> None:
    text = screen(compile_journey(HERE / "lint" / "jm103-personas.yaml"), 80)
    assert "● ▆▅▅▆ +1 0 0 +1" in text and "○ █▅ ▆ +2 0 ? +1" in text
    assert text.rstrip().endswith("● Dana Okafor   ○ Lee Park")


runner = CliRunner()


def test_cli_prints_plain_text_when_piped(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(MAP)
    result = runner.invoke(app, ["show", str(tmp_path / "map.yaml"), "--width", "90"])
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert result.stdout == screen(compile_journey(MAP), 90)


def test_cli_in_a_pipe_honours_columns(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(MAP)
    journey = compile_journey(MAP)
    result = runner.invoke(app, ["show", str(tmp_path / "map.yaml")], env={"COLUMNS": "64"})
    assert (result.exit_code, result.stdout) == (0, screen(journey, 64))
    for unusable in (None, "", "0", "wide"):
        result = runner.invoke(app, ["show", str(tmp_path / "map.yaml")], env={"COLUMNS": unusable})
        assert result.stdout == screen(journey, 100), unusable
    result = runner.invoke(app, ["show", str(tmp_path / "map.yaml"), "--width", "80"], env={"COLUMNS": "64"})
    assert result.stdout == screen(journey, 80)  # --width wins


def test_cli_invalid_map_exits_1_with_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text("journeymap: 2\ntitle: T\n")
    result = runner.invoke(app, ["show", str(tmp_path / "map.yaml")])
    assert result.exit_code == 1
    assert "error[E101]" in result.stderr


def test_cli_rejects_a_tiny_width() -> None:
    assert runner.invoke(app, ["show", "map.yaml", "--width", "10"]).exit_code == 2
