"""journeymap against its performance targets: whole-process medians, peak memory, stage breakdown, scaling.

    python benchmarks/bench.py                       # every table, plain text (a few minutes on 2 cores)
    python benchmarks/bench.py --update              # rewrite benchmarks/RESULTS.md and the README's table
    python benchmarks/bench.py --quick               # smallest sizes, one run each: the script still works

Whole-process figures run the installed `journeymap` command the way a user or a CI step does (Python
start-up and imports included); wall time is the median of --repeat runs and memory is the peak resident
set of the largest process (wait4's rusage, as `/usr/bin/time -v` reports it). The stage breakdown runs
in one process: a stage's first call (imports included) and its median when warm.

When Mermaid's CLI (`mmdc`) is on PATH, the same maps are converted to Mermaid `journey` syntax with
journeymap's own exporter and rendered by it too (see benchmarks/README.md to install it). This script
installs nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_map, write_maps

SCALING_SIZES = (10, 100, 1000, 5000)
STEPS_PER_STAGE = 5
PUPPETEER_CONFIG = HERE / "puppeteer-config.json"


@dataclass
class Run:
    """One measured figure: wall seconds (median) and peak memory in bytes (largest run)."""

    seconds: float
    peak_bytes: int
    runs: int
    samples: list[float] = field(default_factory=list)
    cpu: float = 0.0  # median user + system seconds of the process and the children it waited for


def journeymap_command() -> list[str]:
    """The installed console script beside this interpreter, else `python -m journeymap`."""
    script = Path(sys.executable).with_name("journeymap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "journeymap"]


# As on an ordinary install, where Python keeps compiled bytecode: with PYTHONDONTWRITEBYTECODE set (some CI
# images and containers set it), every run compiles journeymap's modules again, 50-100 ms more.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: list[str], cwd: Path | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (bytes) and CPU seconds of one process and the children it waited for."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                env=CHILD_ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(command)}\n{tail}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime  # Linux reports kilobytes


def measure(command: list[str], repeat: int, before: Callable[[], None] | None = None) -> Run:
    samples, cpus, peak = [], [], 0
    if before:
        before()
    run_once(command)  # unmeasured: writes the bytecode and template caches a user's first run writes
    for _ in range(repeat):
        if before:
            before()
        seconds, rss, cpu = run_once(command)
        samples.append(seconds)
        cpus.append(cpu)
        peak = max(peak, rss)
    return Run(statistics.median(samples), peak, repeat, samples, statistics.median(cpus))


def _fresh(folder: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def lean(doc: dict[str, Any]) -> dict[str, Any]:
    """Steps with an action, a thought, an emotion, a feeling and their channels only.

    A realistic step holds about 20 values; 5,000 of them would pass the loader's cap of 100,000
    values per document (its defence against alias bombs), so the scaling series uses lean steps.
    """
    keep = ("action", "thought", "emotion", "feeling")
    for stage in doc["stages"]:
        stage["steps"] = [
            {**{k: s[k] for k in keep if k in s}, "touchpoints": [t if isinstance(t, str) else t["channel"]
                                                                  for t in s["touchpoints"]]}
            for s in stage["steps"]
        ]
    return doc


def write_map(path: Path, steps: int, seed: int = 7, lean_steps: bool = False) -> Path:
    import yaml

    stages = max(1, steps // STEPS_PER_STAGE)
    doc = generate_map(seed, stages=stages, steps=(STEPS_PER_STAGE, STEPS_PER_STAGE))
    doc = lean(doc) if lean_steps else doc
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return path


# --- the targets table -------------------------------------------------------------------------------


@dataclass
class Row:
    work: str
    target: str
    limit_s: float
    ours: Run
    limit_bytes: int | None = None
    peer: Run | None = None
    peer_note: str = ""
    # `build` renders in worker processes under multiprocessing's fork server, which the command does not
    # wait for: their CPU time and memory are not in its rusage, only the main process's are.
    pool: bool = False

    @property
    def met(self) -> bool:
        return self.ours.seconds <= self.limit_s and (self.limit_bytes is None or self.ours.peak_bytes <= self.limit_bytes)


def targets(tmp: Path, count: int, big_steps: int, repeat: int, heavy_repeat: int, peer: Peer | None) -> list[Row]:
    jm = journeymap_command()
    maps = tmp / "maps"
    sources = write_maps(maps, count)
    one = sources[0]
    big = write_map(tmp / f"steps-{big_steps}.yaml", big_steps)
    out = tmp / "out"
    out.mkdir()
    rows = [
        Row("one map -> SVG, `journeymap render`", "<= 0.15 s", 0.15,
            measure([*jm, "render", str(one), "-o", str(out / "one.svg")], repeat)),
        Row("one map -> PNG", "<= 0.4 s", 0.4, measure([*jm, "render", str(one), "-o", str(out / "one.png")], repeat)),
    ]
    svg_dir, all_dir = tmp / "build-svg", tmp / "build-all"
    build = [*jm, "build", str(maps), "--out-dir"]
    rows.append(Row(f"{count} maps -> SVG, `journeymap build`", "<= 2 s", 2.0,
                    measure([*build, str(svg_dir), "--formats", "svg"], repeat, before=_fresh(svg_dir)), pool=True))
    rows.append(Row(f"{count} maps -> SVG+PNG+PDF, `build`", "<= 20 s", 20.0,
                    measure([*build, str(all_dir), "--formats", "svg,png,pdf"], heavy_repeat, before=_fresh(all_dir)),
                    pool=True))
    rows.append(Row(f"no-op rebuild of {count} maps", "<= 0.5 s", 0.5,
                    measure([*build, str(all_dir), "--formats", "svg,png,pdf"], repeat)))
    rows.append(Row(f"one {big_steps:,}-step map -> SVG", "<= 1 s, <= 150 MB", 1.0,
                    measure([*jm, "render", str(big), "-o", str(out / "big.svg")], repeat), limit_bytes=150 * 2**20))
    if peer:
        peer.fill(rows, sources, tmp / "mermaid", repeat)
    return rows


class Peer:
    """Mermaid CLI rendering the same maps, converted with journeymap's Mermaid exporter."""

    def __init__(self, mmdc: str, maps: int) -> None:
        self.mmdc, self.maps = mmdc, maps

    @classmethod
    def find(cls, maps: int, mmdc: str | None) -> Peer | None:
        mmdc = shutil.which(mmdc or "mmdc")
        return cls(mmdc, maps) if mmdc else None

    def command(self, source: Path, target: Path) -> list[str]:
        command = [self.mmdc, "-i", str(source), "-o", str(target), "--quiet"]
        return command + (["-p", str(PUPPETEER_CONFIG)] if PUPPETEER_CONFIG.exists() else [])

    def fill(self, rows: list[Row], sources: list[Path], folder: Path, repeat: int) -> None:
        from journeymap.api import load
        from journeymap.interchange import mermaid

        folder.mkdir()
        converted = []
        for source in sources[: self.maps]:
            target = folder / (source.stem + ".mmd")
            target.write_text(mermaid.dump(load(source)).text, encoding="utf-8")
            converted.append(target)
        rows[0].peer = measure(self.command(converted[0], folder / "one.svg"), repeat)
        rows[1].peer = measure(self.command(converted[0], folder / "one.png"), repeat)
        # mmdc renders one file per Chromium start: a batch is that many runs.
        samples, cpus, peak = [], [], 0
        for source in converted:
            seconds, rss, cpu = run_once(self.command(source, source.with_suffix(".svg")))
            samples.append(seconds)
            cpus.append(cpu)
            peak = max(peak, rss)
        scale = len(sources) / len(converted)
        rows[2].peer = Run(sum(samples) * scale, peak, 1, samples, sum(cpus) * scale)
        if scale != 1:
            rows[2].peer_note = f" ({len(converted)} maps x {scale:g})"


# --- in-process stage breakdown ----------------------------------------------------------------------


def stages_child(source: Path, repeat: int, exports: bool = True) -> dict[str, tuple[float, float]]:
    """Each pipeline stage of one map: (first call incl. imports, warm median), in seconds."""

    def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
        started = time.perf_counter()
        value = fn()
        return value, time.perf_counter() - started

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        value, first = timed(fn)
        warm = statistics.median(timed(fn)[1] for _ in range(repeat))
        results[name] = (first, warm)
        return value

    results: dict[str, tuple[float, float]] = {}
    stage("load (YAML)", lambda: __import__("journeymap.loader", fromlist=["x"]).load_document(source))

    def check() -> Any:
        from journeymap.loader import load_document
        from journeymap.model import build_journey
        from journeymap.validation import diagnose

        doc = load_document(source)
        diagnose(doc)
        return build_journey(doc.data)

    stage("load + validate + model", check)
    journey = check()

    def layout() -> Any:
        from journeymap.layouts import compute_layout
        from journeymap.render.theme import load_theme

        return compute_layout(journey, load_theme("default"))

    laid = stage("layout (theme, text, geometry)", layout)

    def render(fonts: bool) -> str:
        from journeymap.render.svg import render_layout
        from journeymap.render.theme import load_theme

        return render_layout(laid, load_theme("default"), embed_fonts=fonts)

    svg = stage("render SVG (templates)", lambda: render(False))
    stage("render SVG (templates + embedded font)", lambda: render(True))

    def export(fmt: str) -> bytes:
        from journeymap.export import convert

        return convert(svg, fmt)

    if exports:
        stage("export PNG (cairosvg)", lambda: export("png"))
        stage("export PDF (cairosvg)", lambda: export("pdf"))
    return results


def stage_breakdown(source: Path, repeat: int) -> tuple[dict[str, tuple[float, float]], Run]:
    command = [sys.executable, str(Path(__file__).resolve()), "--stages-child", str(source), "--repeat", str(repeat)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=CHILD_ENV)
    startup = measure([*journeymap_command(), "--version"], max(repeat, 3))
    return {k: tuple(v) for k, v in json.loads(out.stdout).items()}, startup  # type: ignore[misc]


# --- scaling -----------------------------------------------------------------------------------------


def scaling(tmp: Path, sizes: tuple[int, ...], repeat: int) -> list[tuple[int, Run]]:
    jm = journeymap_command()
    rows = []
    for steps in sizes:
        source = write_map(tmp / f"scale-{steps}.yaml", steps, lean_steps=True)
        rows.append((steps, measure([*jm, "render", str(source), "-o", str(tmp / f"scale-{steps}.svg")],
                                    repeat if steps < 5000 else max(1, repeat // 2))))
    return rows


def growth_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) against log(x): 1.0 is linear growth."""
    points = [(x, y) for x, y in points if x > 0 and y > 0]
    if len(points) < 2:
        return None
    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else None


def fitted(rows: list[tuple[int, Run]]) -> tuple[float | None, float | None]:
    """Growth of the work above the smallest map (start-up and imports are a constant, not growth)."""
    base_s, base_b = rows[0][1].seconds, rows[0][1].peak_bytes
    rest = rows[1:]
    time_exp = growth_exponent([(n, r.seconds - base_s) for n, r in rest])
    mem_exp = growth_exponent([(n, r.peak_bytes - base_b) for n, r in rest])
    return time_exp, mem_exp


# --- output ------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pretty = dict(
            line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
        )["PRETTY_NAME"].strip('"')
    except (OSError, KeyError):
        pretty = platform.system()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{pretty}, {cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, "
            f"Python {platform.python_version()}")


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def megabytes(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*("-" * w for w in widths))] + [fmt.format(*r) for r in rows])


FLOOR = {
    "bare interpreter (`python -S -c pass`: no site-packages, no .pth hooks)": "-S",
    "Python start-up (`python -c pass`)": "pass",
    "+ typer, pyyaml, jsonschema, jinja2 (what `render` to SVG needs)": "import typer, yaml, jsonschema, jinja2",
    "+ cairosvg (what PNG and PDF need)": "import typer, yaml, jsonschema, jinja2, cairosvg",
}


def floor(repeat: int) -> list[tuple[str, Run]]:
    """What a process costs before journeymap does anything: the interpreter and the libraries it must import."""
    def command(code: str) -> list[str]:
        return [sys.executable, "-S", "-c", "pass"] if code == "-S" else [sys.executable, "-c", code]

    return [(name, measure(command(code), repeat)) for name, code in FLOOR.items()]


def report(args: argparse.Namespace) -> str:
    peer = None if args.no_peer else Peer.find(args.peer_maps, args.mmdc)
    with tempfile.TemporaryDirectory(prefix="journeymap-bench-") as name:
        tmp = Path(name)
        rows = targets(tmp, args.count, args.big, args.repeat, args.heavy_repeat, peer)
        floor_rows = floor(args.repeat)
        stages, startup = stage_breakdown(tmp / "maps" / "team-a" / "map-000.yaml", args.repeat)
        scale_rows = scaling(tmp, args.sizes, args.repeat)
    md = args.markdown
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    out = []
    out.append(("# journeymap benchmark results\n\n" if md else "") +
               f"Machine: {machine()}. Medians of {args.repeat} runs "
               f"({args.heavy_repeat} for the SVG+PNG+PDF build); memory is the peak resident set of the "
               f"largest process; CPU is user + system time, which other work on the machine disturbs less "
               f"than wall time. Load average at the end (1 / 5 / 15 min): {load}.")
    peer_name = "mmdc (Mermaid CLI)" if peer else "mmdc (not installed)"
    out.append(("## Targets\n\n" if md else "\nTargets\n") + table(
        ["work", "target", "journeymap", "CPU", "peak memory", "met", peer_name, "ratio"],
        [[r.work, r.target, seconds(r.ours.seconds), "n/a" if r.pool else seconds(r.ours.cpu),
          megabytes(r.ours.peak_bytes) + (" (main process)" if r.pool else ""),
          "yes" if r.met else "NO",
          (seconds(r.peer.seconds) + r.peer_note) if r.peer else "-",
          f"{r.peer.seconds / r.ours.seconds:.1f}x faster" if r.peer else "-"] for r in rows],
        md))
    out.append(("## The floor: start-up before journeymap runs (whole process)\n\n" if md else "\nThe floor\n") + table(
        ["process", "time", "peak memory"],
        [[name, seconds(r.seconds), megabytes(r.peak_bytes)] for name, r in floor_rows], md))
    out.append(("## Where one map's time goes (in one process)\n\n" if md else "\nStages, one map, in process\n") + table(
        ["stage", "first call (imports included)", "warm (median)"],
        [["CLI start-up (`journeymap --version`, whole process)", seconds(startup.seconds), "-"]]
        + [[name, f"{first * 1000:.1f} ms", f"{warm * 1000:.1f} ms"] for name, (first, warm) in stages.items()],
        md))
    time_exp, mem_exp = fitted(scale_rows)
    base = scale_rows[0][1]
    out.append(("## Scaling: one map of N lean steps -> SVG (whole process)\n\n" if md else "\nScaling (lean steps), whole process\n") + table(
        ["steps", "time", "peak memory", "time per step above the smallest", "memory per step above the smallest"],
        [[f"{n:,}", seconds(r.seconds), megabytes(r.peak_bytes),
          f"{(r.seconds - base.seconds) / (n - scale_rows[0][0]) * 1000:.2f} ms" if n != scale_rows[0][0] else "-",
          f"{(r.peak_bytes - base.peak_bytes) / (n - scale_rows[0][0]) / 1024:.0f} KB" if n != scale_rows[0][0] else "-"]
         for n, r in scale_rows],
        md))
    exp = lambda v: f"{v:.2f}" if v is not None else "n/a"
    out.append(f"Fitted growth (log-log slope of the cost above the {scale_rows[0][0]}-step map; 1.0 is linear): "
               f"time {exp(time_exp)}, memory {exp(mem_exp)}.")
    return "\n\n".join(out) + "\n"


README = HERE.parent / "README.md"
RESULTS = HERE / "RESULTS.md"
BEGIN, END = "<!-- benchmark results: python benchmarks/bench.py --update -->", "<!-- end of benchmark results -->"


def write_between(path: Path, begin: str, end: str, body: str) -> None:
    """Replace what lies between two marker comments of a Markdown file with body."""
    text = path.read_text(encoding="utf-8")
    start, stop = text.index(begin) + len(begin), text.index(end)
    path.write_text(f"{text[:start]}\n{body.strip()}\n{text[stop:]}", encoding="utf-8")


def update(markdown: str) -> None:
    """Write the full results to RESULTS.md, and the machine line and targets table into the README."""
    RESULTS.write_text(markdown, encoding="utf-8")
    sections = markdown.split("\n## ")
    machine_line = sections[0].split("\n\n", 1)[1].strip()
    targets_table = sections[1].split("\n\n", 1)[1].strip()
    floor_table = sections[2].split("\n\n", 1)[1].strip()
    write_between(README, BEGIN, END, f"{machine_line}\n\n{targets_table}\n\nThe floor, before journeymap runs:\n\n"
                                      f"{floor_table}")


def main() -> None:
    parser = argparse.ArgumentParser(description="journeymap's performance targets, measured.")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (as in benchmarks/RESULTS.md)")
    parser.add_argument("--update", action="store_true",
                        help="write benchmarks/RESULTS.md and the results table in README.md")
    parser.add_argument("--quick", action="store_true", help="smallest sizes, one run each (checks the script)")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--heavy-repeat", type=int, default=3, help="runs of the SVG+PNG+PDF build")
    parser.add_argument("--count", type=int, default=100, help="maps in the batch builds")
    parser.add_argument("--big", type=int, default=1000, help="steps in the big map")
    parser.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")), default=SCALING_SIZES,
                        help="scaling sizes in steps, comma-separated")
    parser.add_argument("--no-peer", action="store_true", help="skip mmdc even when it is installed")
    parser.add_argument("--mmdc", help="the Mermaid CLI to compare with (default: mmdc on PATH)")
    parser.add_argument("--peer-maps", type=int, default=20,
                        help="maps mmdc renders for the batch row (the total is scaled to --count)")
    parser.add_argument("--stages-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stages-no-export", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages_child:
        print(json.dumps(stages_child(args.stages_child, args.repeat, not args.stages_no_export)))
        return
    if args.quick:
        args.repeat, args.heavy_repeat, args.count, args.big = 1, 1, 2, 20
        args.sizes, args.peer_maps = (10, 20), 1
    if args.update:
        args.markdown = True
        update(report(args))
        print(f"wrote {RESULTS} and the results in {README}")
        return
    print(report(args), end="")


if __name__ == "__main__":
    main()
