"""The build benchmark and its map generator keep working (smallest size; no timing assertions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from journeymap.api import load, validate

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

from generate import generate_map, write_maps  # noqa: E402


def test_generated_maps_are_valid_deterministic_and_varied(tmp_path: Path) -> None:
    paths = write_maps(tmp_path, 6, seed=3)
    assert [p.relative_to(tmp_path).as_posix() for p in paths[:2]] == ["team-a/map-000.yaml", "team-b/map-001.yaml"]
    for path in paths:
        assert validate(path) == []
    assert generate_map(3) == yaml.safe_load(paths[0].read_text(encoding="utf-8"))
    assert generate_map(3) != generate_map(4)
    big = generate_map(1, stages=12, steps=(6, 6), personas=3)
    journey = load(yaml.safe_dump(big))
    assert len(journey.stages) == 12 and len(journey.steps) == 72 and len(journey.personas) == 3


def test_benchmark_runs_in_its_smallest_size() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "bench_build.py"), "--count", "1", "--jobs", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = out.stdout.splitlines()
    assert lines[0] == "journeymap build, 1 generated maps, 1 jobs, " + lines[0].split(", ")[-1]
    assert [line.split()[0] for line in lines[2:]] == ["svg", "png", "pdf"]


def test_update_table_has_a_row_per_format() -> None:
    import bench_build

    rows = [{"format": "svg", "maps": 100, "cold_s": 2.0, "noop_s": 0.05, "cli_noop_s": 0.4}]
    lines = bench_build.markdown(rows, 100, 2).splitlines()
    assert lines[0].startswith("100 generated maps, 2 jobs, on ")
    assert lines[2:] == ["| format | cold maps/s | cold s | no-op maps/s | no-op s | no-op CLI s |",
                         "|---|---|---|---|---|---|", "| svg | 50.0 | 2.00 | 2000 | 0.050 | 0.40 |"]
