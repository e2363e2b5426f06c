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
