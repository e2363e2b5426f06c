"""benchmarks/bench.py keeps working: its smallest run end to end, and its arithmetic (no timing assertions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from journeymap.api import load, validate
from journeymap.interchange import mermaid

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench


def test_quick_run_prints_every_table_in_markdown() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "bench.py"), "--quick", "--no-peer", "--markdown"],
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout
    assert out.startswith("# journeymap benchmark results\n\nMachine: ")
    sections = out.split("\n## ")
    assert [s.split("\n")[0] for s in sections[1:]] == [
        "Targets", "The floor: start-up before journeymap runs (whole process)",
        "Where one map's time goes (in one process)", "Scaling: one map of N lean steps -> SVG (whole process)"]
    targets = [line.split(" | ") for line in sections[1].splitlines() if line.startswith("| ")]
    assert targets[0] == ["| work", "target", "journeymap", "CPU", "peak memory", "met", "mmdc (not installed)", "ratio |"]
    assert [row[0] for row in targets[1:]] == [
        "| one map -> SVG, `journeymap render`", "| one map -> PNG", "| 2 maps -> SVG, `journeymap build`",
        "| 2 maps -> SVG+PNG+PDF, `build`", "| no-op rebuild of 2 maps", "| one 20-step map -> SVG"]
    assert all(row[2].endswith(" s") and row[3].endswith((" s", "n/a")) and " MB" in row[4] and row[5] in ("yes", "NO") for row in targets[1:])
    floor = [line.split(" | ")[0] for line in sections[2].splitlines() if line.startswith("| ")][1:]
    assert floor == ["| bare interpreter (`python -S -c pass`: no site-packages, no .pth hooks)",
                     "| Python start-up (`python -c pass`)",
                     "| + typer, pyyaml, jsonschema, jinja2 (what `render` to SVG needs)",
                     "| + cairosvg (what PNG and PDF need)"]
    stages = [line.split(" | ")[0] for line in sections[3].splitlines() if line.startswith("| ")][1:]
    assert stages == ["| CLI start-up (`journeymap --version`, whole process)", "| load (YAML)", "| load + validate + model",
                      "| layout (theme, text, geometry)", "| render SVG (templates)",
                      "| render SVG (templates + embedded font)", "| export PNG (cairosvg)", "| export PDF (cairosvg)"]
    scaling = [line.split(" | ")[0] for line in sections[4].splitlines() if line.startswith("| ")][1:]
    assert scaling == ["| 10", "| 20"]
    assert "Fitted growth" in sections[4]


def test_growth_exponent_is_the_log_log_slope() -> None:
    assert bench.growth_exponent([(10, 1.0), (100, 10.0), (1000, 100.0)]) == pytest.approx(1.0)
    assert bench.growth_exponent([(10, 100.0), (100, 10_000.0)]) == pytest.approx(2.0)
    assert bench.growth_exponent([(10, 1.0)]) is None
    assert bench.growth_exponent([(10, 1.0), (100, -1.0)]) is None  # noise below the baseline is not fitted


def test_scaling_maps_are_valid_lean_and_the_size_asked(tmp_path: Path) -> None:
    path = bench.write_map(tmp_path / "m.yaml", 50, lean_steps=True)
    assert validate(path) == []
    journey = load(path)
    assert len(journey.steps) == 50 and len(journey.stages) == 50 // bench.STEPS_PER_STAGE
    steps = [s for stage in yaml.safe_load(path.read_text(encoding="utf-8"))["stages"] for s in stage["steps"]]
    assert all(set(s) <= {"action", "thought", "emotion", "feeling", "touchpoints"} for s in steps)
    assert all(isinstance(t, str) for s in steps for t in s["touchpoints"])


def test_maps_convert_to_mermaid_for_the_peer(tmp_path: Path) -> None:
    text = mermaid.dump(load(bench.write_map(tmp_path / "m.yaml", 10))).text
    assert text.startswith("journey\n  title ") and text.count("\n  section ") == 2


def test_the_shipped_map_schema_is_valid_draft_07() -> None:
    # The validator no longer checks its own schema on every run; this does, once.
    from jsonschema import Draft7Validator

    from journeymap.validation import schema

    Draft7Validator.check_schema(schema())


def test_update_writes_the_results_file_and_the_readme_table(tmp_path, monkeypatch) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Performance\n\n{bench.BEGIN}\nold table\n{bench.END}\n\n## Next\n", encoding="utf-8")
    monkeypatch.setattr(bench, "README", readme)
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "RESULTS.md")
    results = ("# journeymap benchmark results\n\nMachine: test box.\n\n## Targets\n\n| work | time |\n|---|---|\n"
               "| one map | 0.1 s |\n\n## The floor\n\n| process |\n|---|\n| python |\n\n## Scaling\n\n| steps |\n")
    bench.update(results)
    assert (tmp_path / "RESULTS.md").read_text(encoding="utf-8") == results
    assert readme.read_text(encoding="utf-8") == (
        f"# x\n\n## Performance\n\n{bench.BEGIN}\nMachine: test box.\n\n| work | time |\n|---|---|\n"
        f"| one map | 0.1 s |\n\nThe floor, before journeymap runs:\n\n| process |\n|---|\n| python |\n{bench.END}\n\n"
        "## Next\n")
