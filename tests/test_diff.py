"""journeymap diff: two versions of a map, from files or from a real git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.api import load
from journeymap.cli import app
from journeymap.diff import compare, to_text

ROOT = Path(__file__).resolve().parent.parent
RETAIL = ROOT / "examples" / "retail-purchase.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def revise(text: str) -> str:
    """A later version: a renamed step, a solved pain, a better score, a new stage with a new step and idea."""
    text = text.replace("action: Books a delivery slot by text", "action: Books a delivery slot by text message")
    text = text.replace("          - 40-minute hold at lunchtime\n", "")
    text = text.replace("        feeling: angry\n        emotion: -2\n", "        feeling: angry\n        emotion: -1\n")
    return text.replace("  - id: use\n", """  - id: follow-up
    name: Follow-up
    steps:
      - action: Gets a care-kit parcel
        emotion: 2
        opportunities: [Include a handwritten note]
  - id: use
""")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "maps").mkdir()
    target = tmp_path / "maps" / "retail.yaml"
    target.write_text(RETAIL.read_text(encoding="utf-8"), encoding="utf-8")
    git("add", "maps/retail.yaml")
    git("commit", "-q", "-m", "first")
    target.write_text(revise(RETAIL.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


EXPECTED = """journeymap diff HEAD:maps/retail.yaml -> maps/retail.yaml

Stages
  + Follow-up

Steps
  + gets-a-care-kit-parcel: Gets a care-kit parcel
  ~ book-slot: "Books a delivery slot by text" -> book-slot: "Books a delivery slot by text message"
  * call-service: changed

Emotions
  call-service (dana): -2 -> -1 (+1)

Pains solved
  - 40-minute hold at lunchtime (at call-service)

Opportunities added
  + Include a handwritten note (at gets-a-care-kit-parcel)
"""


def test_text_summary_against_a_git_revision(repo: Path) -> None:
    result = CliRunner().invoke(app, ["diff", "HEAD:maps/retail.yaml", "maps/retail.yaml"])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED


def test_json_summary(repo: Path) -> None:
    result = CliRunner().invoke(app, ["diff", "HEAD:maps/retail.yaml", "maps/retail.yaml", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["old"] == "HEAD:maps/retail.yaml" and data["new"] == "maps/retail.yaml"
    assert data["stages"] == {"added": ["Follow-up"], "removed": [], "renamed": []}
    assert data["emotions"] == [{"step": "call-service", "persona": "dana", "old": -2, "new": -1, "delta": 1}]
    assert data["pains"]["solved"] == [{"step": "call-service", "pain": "40-minute hold at lunchtime"}]
    assert data["opportunities"]["added"] == [{"step": "gets-a-care-kit-parcel", "idea": "Include a handwritten note"}]


def test_drawn_diff_marks_changes_and_keeps_the_old_curve_as_a_ghost(repo: Path) -> None:
    result = CliRunner().invoke(app, ["diff", "HEAD:maps/retail.yaml", "maps/retail.yaml", "-o", "review.svg"])
    assert result.exit_code == 0, result.output
    svg = (repo / "review.svg").read_text(encoding="utf-8")
    # One mark per added stage, added or changed step, and one of each in the legend.
    assert svg.count('class="diff-added"') == 2 + 1 and svg.count('class="diff-changed"') == 2 + 1
    assert ">NEW</tspan>" in svg and ">CHANGED</tspan>" in svg
    ghost = svg.index('class="emotion-ghost"')
    lane = svg.index('id="jm-lane-emotions"')
    assert lane < ghost < svg.index('class="emotion-curve"', lane)  # behind the new curve
    assert "Pain solved: 40-minute hold at lunchtime" in svg
    assert "Emotion before (HEAD:maps/retail.yaml)" in svg


def test_a_missing_revision_or_file_is_a_clear_error(repo: Path) -> None:
    runner = CliRunner()
    bad_rev = runner.invoke(app, ["diff", "HEAD~4:maps/retail.yaml", "maps/retail.yaml"])
    assert bad_rev.exit_code == 1
    assert "journeymap diff: cannot read 'HEAD~4:maps/retail.yaml' from git: fatal:" in bad_rev.output
    bad_path = runner.invoke(app, ["diff", "HEAD:maps/nope.yaml", "maps/retail.yaml"])
    assert bad_path.exit_code == 1 and "does not exist in 'HEAD'" in bad_path.output
    missing = runner.invoke(app, ["diff", "old.yaml", "maps/retail.yaml"])
    assert missing.exit_code == 1 and "journeymap diff: no such file: old.yaml" in missing.output
    usage = runner.invoke(app, ["diff", "maps/retail.yaml", "maps/retail.yaml", "-o", "x.pdf"])
    assert usage.exit_code == 2


def test_without_git_on_the_path(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    result = CliRunner().invoke(app, ["diff", "HEAD:maps/retail.yaml", "maps/retail.yaml"])
    assert result.exit_code == 1
    assert "journeymap diff: cannot read 'HEAD:maps/retail.yaml': git is not installed" in result.output


def test_an_invalid_side_reports_positioned_diagnostics(repo: Path) -> None:
    (repo / "bad.yaml").write_text("journeymap: 1\ntitle: X\nstages: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", "bad.yaml", "maps/retail.yaml"])
    assert result.exit_code == 1 and "bad.yaml:3:" in result.output


def test_the_drawn_diff_keeps_the_layout_invariants() -> None:
    from layout_invariants import check_layout

    from journeymap.diff import diff_layout
    from journeymap.render.theme import load_theme

    old = load(RETAIL)
    new = load(revise(RETAIL.read_text(encoding="utf-8")))
    layout = diff_layout(old, new, compare(old, new), load_theme("default"), "HEAD:maps/retail.yaml")
    assert check_layout(layout, new) == []


def test_same_map_has_no_differences_and_renames_match_by_similar_name() -> None:
    journey = load(RETAIL)
    assert to_text(compare(journey, journey), "a", "b").endswith("No differences in stages, steps, emotions, pains "
                                                                  "or opportunities.\n")
    renamed = load(RETAIL.read_text(encoding="utf-8").replace("id: leave-review", "id: post-review")
                   .replace("action: Posts a review with a photo", "action: Posts a review with two photos"))
    d = compare(journey, renamed)
    assert d.steps_renamed == [("leave-review", "post-review", "Posts a review with a photo",
                                "Posts a review with two photos")]
    assert d.steps_added == [] and d.steps_removed == []


CLINIC = ROOT / "examples" / "clinic-visit.yaml"


def revise_clinic(text: str) -> str:
    """A later clinic map: a renamed stage, Eileen happier at check-in, its pain solved and another added, a new idea."""
    text = text.replace("    name: Arrive\n", "    name: Arrive and check in\n")
    text = text.replace("          marcus: 1\n          eileen: -1\n        touchpoints:\n          - channel: kiosk",
                        "          marcus: 1\n          eileen: 1\n        touchpoints:\n          - channel: kiosk")
    text = text.replace("          - Kiosk text too small, no help nearby when reception is busy\n",
                        "          - Queue at the desk at 9 am\n")
    return text.replace("          - idea: Shorter form with only the questions the physio reads\n",
                        "          - idea: Pre-fill the insurer from the booking\n            impact: medium\n"
                        "            effort: low\n          - idea: Shorter form with only the questions the physio reads\n")


def test_changed_steps_say_what_changed() -> None:
    from journeymap.diff import change_notes

    old, new = load(RETAIL), load(revise(RETAIL.read_text(encoding="utf-8")))
    assert change_notes(old, new, compare(old, new)) == {
        "book-slot": ["Was \u201cBooks a delivery slot by text\u201d"],
        "call-service": ["Emotion\u00a0\u22122\u00a0\u2192\u00a0\u22121", "Pain solved"]}
    old, new = load(CLINIC), load(revise_clinic(CLINIC.read_text(encoding="utf-8")))
    assert change_notes(old, new, compare(old, new)) == {
        "pre-visit-form": ["Opportunity added"],
        "check-in": ["Eileen Murphy: emotion\u00a0\u22121\u00a0\u2192\u00a0+1", "Pain solved", "Pain added"]}


def _clinic_diff(theme: str = "default"):
    from journeymap.diff import diff_layout
    from journeymap.render.theme import load_theme

    old, new = load(CLINIC), load(revise_clinic(CLINIC.read_text(encoding="utf-8")))
    return new, diff_layout(old, new, compare(old, new), load_theme(theme), "HEAD:clinic.yaml")


def test_notes_sit_at_the_foot_of_their_cards_and_a_renamed_stage_is_marked() -> None:
    from layout_invariants import check_layout

    from journeymap.layouts import Rect, Text

    new, layout = _clinic_diff()
    assert check_layout(layout, new) == []
    items = layout.items()
    texts = [i for i in items if isinstance(i, Text)]
    boxes = {i.id: i.box for i in items if isinstance(i, Rect) and i.id}
    notes = [t for t in texts if t.cls == "text-diff-note"]
    assert [" ".join(t.lines) for t in notes] == [
        "Renamed from \u201cArrive\u201d", "Opportunity added",
        "Eileen Murphy: emotion\u00a0\u22121\u00a0\u2192\u00a0+1", "Pain solved", "Pain added"]
    for note, owner in zip(notes, ["jm-stage-arrive", "jm-step-pre-visit-form"] + ["jm-step-check-in"] * 3):
        card = boxes[owner]
        assert card.contains(note.box), note.lines
        others = [t for t in texts if card.contains(t.box) and t.cls != "text-diff-note"]
        assert all(t.box.bottom < note.box.y for t in others)  # under the card's own text
    assert notes[-1].box.bottom + 12 == pytest.approx(boxes["jm-step-check-in"].bottom)  # the tallest note fills it
    badges = [" ".join(t.lines) for t in texts if t.cls == "text-diff-badge"]
    assert badges.count("RENAMED") == 1 and badges.count("CHANGED") == 2


def test_each_personas_ghost_keeps_its_colour_and_dash() -> None:
    from journeymap.layouts import Path as PathItem

    new, layout = _clinic_diff()
    lane = next(g for g in layout.groups if g.lane == "emotions")
    curves = {i.persona: (i.stroke, i.dash) for i in lane.items if isinstance(i, PathItem) and i.cls == "emotion-curve"}
    ghosts = [i for i in lane.items if isinstance(i, PathItem) and i.cls == "emotion-ghost-persona"]
    assert {g.persona for g in ghosts} == {"marcus", "eileen"}
    assert all((g.stroke, g.dash) == curves[g.persona] for g in ghosts)
    assert lane.items.index(ghosts[-1]) < min(lane.items.index(i) for i in lane.items
                                               if isinstance(i, PathItem) and i.cls == "emotion-curve")
    legend = next(g for g in layout.groups if g.kind == "legend").items
    words = [" ".join(i.lines) for i in legend if hasattr(i, "lines")]
    assert "Marcus Chen, before (HEAD:clinic.yaml)" in words and "Eileen Murphy, before (HEAD:clinic.yaml)" in words


@pytest.mark.parametrize("theme", ["default", "dark", "print"])
def test_a_change_has_its_own_colour_not_the_moment_of_truths(theme: str) -> None:
    from test_themes import css_rules

    from journeymap.layouts.style import contrast
    from journeymap.render.svg import render_layout
    from journeymap.render.theme import load_theme

    _, layout = _clinic_diff(theme)
    colors = load_theme(theme).tokens["colors"]
    rules = css_rules(render_layout(layout, load_theme(theme), embed_fonts=False))
    changed = rules["diff-changed"]["stroke"]
    assert changed not in (colors["moment"], colors["positive"], colors["pain"])
    assert rules["diff-badge-changed"]["fill"] == rules["text-diff-note"]["fill"] == changed
    assert contrast(changed, colors["card"]) >= 4.5  # the notes are text in this colour
    assert contrast(rules["text-diff-badge"]["fill"], changed) >= 4.5
