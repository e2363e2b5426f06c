"""Maps per second for `journeymap build` to SVG, PNG and PDF: a cold build, then a no-op rebuild.

    python benchmarks/bench_build.py              # 100 generated maps, all cores
    python benchmarks/bench_build.py --count 2 --jobs 1
    python benchmarks/bench_build.py --update     # write the table into README.md and benchmarks/README.md

The no-op rebuild is also timed as a whole `journeymap build` process (start-up included),
which is what a CI step or a pre-commit hook pays.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import machine, write_between  # noqa: E402
from generate import write_maps  # noqa: E402

from journeymap.batch import build  # noqa: E402


def _timed(maps: Path, out: Path, fmt: str, jobs: int) -> tuple[float, int]:
    started = time.perf_counter()
    report = build([maps], out, fmt, jobs=jobs)
    if report.failed:
        raise SystemExit(f"benchmark build failed: {report.failed[0].failure.message}")
    return time.perf_counter() - started, len(report.written)


def _cli_noop(maps: Path, out: Path, fmt: str, jobs: int) -> float:
    command = [
        sys.executable,
        "-m",
        "journeymap",
        "build",
        str(maps),
        "--out-dir",
        str(out),
        "--formats",
        fmt,
        "--jobs",
        str(jobs),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def run(count: int, jobs: int, formats: list[str]) -> list[dict[str, float | str | int]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="journeymap-bench-") as tmp:
        maps = Path(tmp) / "maps"
        write_maps(maps, count)
        for fmt in formats:
            out = Path(tmp) / f"out-{fmt}"
            cold, written = _timed(maps, out, fmt, jobs)
            noop, rewritten = _timed(maps, out, fmt, jobs)
            assert written == count and rewritten == 0, (written, rewritten)
            rows.append(
                {
                    "format": fmt,
                    "maps": count,
                    "cold_s": cold,
                    "noop_s": noop,
                    "cli_noop_s": _cli_noop(maps, out, fmt, jobs),
                }
            )
    return rows


BEGIN, END = "<!-- build results: python benchmarks/bench_build.py --update -->", "<!-- end of build results -->"
HERE = Path(__file__).resolve().parent


def markdown(rows: list[dict[str, float | str | int]], count: int, jobs: int) -> str:
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        f"{count} generated maps, {jobs} jobs, on {machine()}; load average at the end (1 / 5 / 15 min): {load}.",
        "",
        "| format | cold maps/s | cold s | no-op maps/s | no-op s | no-op CLI s |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['format']} | {r['maps'] / r['cold_s']:.1f} | {r['cold_s']:.2f} | "
                     f"{r['maps'] / r['noop_s']:.0f} | {r['noop_s']:.3f} | {r['cli_noop_s']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark journeymap build.")
    parser.add_argument("--count", type=int, default=100, help="generated maps (default 100)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--formats", default="svg,png,pdf")
    parser.add_argument("--update", action="store_true", help="write the table into README.md and benchmarks/README.md")
    args = parser.parse_args()
    rows = run(args.count, args.jobs, args.formats.split(","))
    if args.update:
        table = markdown(rows, args.count, args.jobs)
        for readme in (HERE.parent / "README.md", HERE / "README.md"):
            write_between(readme, BEGIN, END, table)
        print(table)
        return
    print(f"journeymap build, {args.count} generated maps, {args.jobs} jobs, {os.cpu_count()} cores")
    print(f"{'format':<8}{'cold maps/s':>12}{'cold s':>9}{'no-op maps/s':>14}{'no-op s':>9}{'no-op CLI s':>13}")
    for r in rows:
        print(
            f"{r['format']:<8}{r['maps'] / r['cold_s']:>12.1f}{r['cold_s']:>9.2f}"
            f"{r['maps'] / r['noop_s']:>14.0f}{r['noop_s']:>9.3f}{r['cli_noop_s']:>13.2f}"
        )


if __name__ == "__main__":
    main()
