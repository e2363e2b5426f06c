"""Faults: a build killed at any moment, two builds at once, a folder that cannot be written, a full
disk, a missing font. Outputs are whole or absent (never truncated) and the error is one clear
message with exit code 1.

Every output of a build is compared with a reference build of the same maps: builds are
deterministic, so an output that differs by a single byte is a truncated or mixed-up file.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

EXAMPLES = Path(__file__).parent.parent / "examples"
# Two maps, one with two personas: short builds, so that twenty kills aim at every stage of one quickly.
MAPS = [EXAMPLES / "minimal.yaml", EXAMPLES / "clinic-visit.yaml"]
KILLS = int(os.environ.get("JOURNEYMAP_FAULT_KILLS") or 20)
FORMATS = "svg,png,pdf"
MANIFEST = ".journeymap-build.json"


def _maps(folder: Path) -> Path:
    folder.mkdir()
    for path in MAPS:
        shutil.copy(path, folder / path.name)
    return folder


# A slow disk, in every process of a build (the pool's workers too), for files below $JM_SLOW_UNDER: each
# file is written 16 kB at a time, flushed, 25 ms apart. Writing then takes a good part of a build, so that
# kills land in the middle of writes, where a file written in place would be left truncated. While a write
# is in progress, a marker file exists in $JM_WRITING: the kill test aims at it.
_SLOW_DISK = """
import builtins, io, itertools, os, time

_UNDER = os.environ.get("JM_SLOW_UNDER")
_MARKS = os.environ.get("JM_WRITING")
_count = itertools.count()
_fdopen, _open = os.fdopen, builtins.open


class _SlowFile:
    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        mark = _MARKS and os.path.join(_MARKS, f"{os.getpid()}-{next(_count)}")
        if mark:
            _open(mark, "w").close()
        try:
            view = memoryview(data)
            for start in range(0, len(view), 16384):
                self._handle.write(view[start:start + 16384])
                self._handle.flush()
                time.sleep(0.025)
        finally:
            if mark:
                os.unlink(mark)
        return len(view)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def _slow(path, mode):
    return bool(_UNDER) and "w" in mode and "b" in mode and os.path.abspath(path).startswith(_UNDER + os.sep)


def _slow_fdopen(fd, mode="r", *args, **kwargs):
    handle = _fdopen(fd, mode, *args, **kwargs)
    return _SlowFile(handle) if _slow(os.readlink(f"/proc/self/fd/{fd}"), mode) else handle


def _slow_open(file, mode="r", *args, **kwargs):
    handle = _open(file, mode, *args, **kwargs)
    return _SlowFile(handle) if isinstance(file, (str, os.PathLike)) and _slow(os.fspath(file), mode) else handle


os.fdopen = _slow_fdopen
builtins.open = io.open = _slow_open
"""


@pytest.fixture(scope="module")
def slow_disk(tmp_path_factory: pytest.TempPathFactory):
    """The environment of a build whose writes below `out` are slow (and marked in `marks`, if given)."""
    folder = tmp_path_factory.mktemp("slow-disk")
    (folder / "sitecustomize.py").write_text(_SLOW_DISK, encoding="utf-8")
    path = os.pathsep.join([str(folder), *filter(None, [os.environ.get("PYTHONPATH")])])

    def env(out: Path, marks: Path | None = None) -> dict[str, str]:
        return {"PYTHONPATH": path, "JM_SLOW_UNDER": str(out.resolve()), **({"JM_WRITING": str(marks)} if marks else {})}

    return env


def _build(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    # A session of its own, so that the pool's workers can be found and reaped after a kill.
    return subprocess.Popen([sys.executable, "-m", "journeymap", "build", *args], cwd=cwd, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1", **(env or {})})


def _reap(proc: subprocess.Popen) -> None:
    """Kill whatever the build left running (pool workers outlive a killed parent)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _temporaries(out: Path) -> list[str]:
    return [p.name for p in out.rglob(".*.tmp")]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, slow_disk) -> tuple[dict[str, bytes], float]:
    """A clean build's outputs, and how long it took on the slow disk (the window the kills aim at)."""
    base = tmp_path_factory.mktemp("reference")
    _maps(base / "maps")
    started = time.monotonic()
    proc = _build("maps", "-o", "out", "-f", FORMATS, "-j", "1", cwd=base, env=slow_disk(base / "out"))
    _, stderr = proc.communicate(timeout=300)
    took = time.monotonic() - started
    assert proc.returncode == 0, stderr
    outputs = _outputs(base / "out")
    assert sorted(outputs) == sorted(f"{p.stem}.{fmt}" for p in MAPS for fmt in FORMATS.split(","))
    return outputs, took


def _assert_whole(out: Path, expected: dict[str, bytes]) -> None:
    for name, data in _outputs(out).items():
        assert name in expected, name
        assert data == expected[name], f"{name}: {len(data)} bytes, expected {len(expected[name])} (truncated?)"
    if (out / MANIFEST).exists():
        json.loads((out / MANIFEST).read_text(encoding="utf-8"))  # never half a manifest


def _wait_for_a_write(proc: subprocess.Popen, marks: Path, rng: random.Random, limit: float) -> bool:
    """Wait until the build is in the middle of writing a file below the output folder; False if it ended first."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if any(marks.iterdir()):
            time.sleep(rng.uniform(0, 0.05))  # somewhere in the first few chunks
            if any(marks.iterdir()):
                return True
        time.sleep(0.002)
    return False


def test_a_build_killed_at_any_moment_never_leaves_a_broken_output(tmp_path: Path, reference, slow_disk) -> None:
    expected, took = reference
    _maps(tmp_path / "maps")
    out, marks = tmp_path / "out", tmp_path / "writing"
    marks.mkdir()
    rng = random.Random(20261123)  # the same moments every run
    survived = aimed = mid_write = 0
    for kill in range(KILLS):
        # Rounds in four kinds: one job or two; killed at a random moment (the main process only, as the OOM
        # killer would; orphaned workers go on writing) or while a file is being written (with two jobs the
        # writer is a worker: the whole process group then).
        jobs, on_write = ("2" if kill % 2 else "1"), kill % 4 >= 2
        before = set(_temporaries(out))  # a killed round's temporaries stay until the next build sweeps them
        if on_write:  # the last round may have finished the build: leave it something to write
            (out / rng.choice(sorted(expected))).unlink(missing_ok=True)
        proc = _build("maps", "-o", "out", "-f", FORMATS, "-j", jobs, cwd=tmp_path, env=slow_disk(out, marks))
        try:
            if on_write:
                aimed += _wait_for_a_write(proc, marks, rng, took * 3)
                os.killpg(proc.pid, signal.SIGKILL) if jobs == "2" else os.kill(proc.pid, signal.SIGKILL)
            else:
                time.sleep(rng.uniform(0, took * 1.1))
                os.kill(proc.pid, signal.SIGKILL)
            _assert_whole(out, expected)  # orphaned workers may still be writing: check while they do
        finally:
            _reap(proc)
        _assert_whole(out, expected)
        survived += 1
        # A temporary of this round still there once every process is dead: a write was cut short.
        mid_write += bool(set(_temporaries(out)) - before)
        for mark in marks.iterdir():  # killed writers leave theirs
            mark.unlink()
        if kill % 5 == 4 and kill < KILLS - 1:  # now and then, start over so that early moments are hit again
            shutil.rmtree(out, ignore_errors=True)
    assert aimed >= KILLS // 2 - 1, f"only {aimed} of {KILLS // 2} aimed kills found a write in progress"
    assert mid_write >= KILLS // 4, f"only {mid_write} of {KILLS} kills cut a write short"
    # The next build completes the work, removes the temporaries killed writes left, and then everything is
    # up to date.
    left = len(_temporaries(out))
    assert left, "the last round (killed while writing) should have left a temporary for the build to remove"
    proc = _build("maps", "-o", "out", "-f", FORMATS, cwd=tmp_path)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert _outputs(out) == expected
    assert _temporaries(out) == []
    check = _build("maps", "-o", "out", "-f", FORMATS, "--check", cwd=tmp_path)
    assert check.communicate(timeout=60) and check.returncode == 0
    print(f"\n{survived} kills survived, {mid_write} of them in the middle of a write ({aimed} aimed at one); "
          f"the next build removed the {left} temporaries the last one left")


def test_two_builds_into_one_folder_both_finish_whole(tmp_path: Path, reference, slow_disk) -> None:
    expected, _ = reference
    _maps(tmp_path / "maps")
    for round_ in range(3):
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        procs = [_build("maps", "-o", "out", "-f", FORMATS, "-j", "1", cwd=tmp_path, env=slow_disk(tmp_path / "out"))
                 for _ in range(2)]
        results = [p.communicate(timeout=300) for p in procs]
        for proc, (_, stderr) in zip(procs, results):
            assert proc.returncode == 0, stderr
            assert "Traceback" not in stderr
        assert _outputs(tmp_path / "out") == expected
        assert _temporaries(tmp_path / "out") == []
        json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))


def test_two_builds_of_different_maps_into_one_folder_keep_both_manifest_entries(tmp_path: Path, reference,
                                                                                 slow_disk) -> None:
    # Each build records only its own maps; saved at once, the last would drop the other's entries, and
    # --check would then call that build's outputs stale.
    expected, _ = reference
    _maps(tmp_path / "maps")
    out = tmp_path / "out"
    procs = [_build(f"maps/{path.name}", "-o", "out", "-f", FORMATS, "-j", "1", cwd=tmp_path, env=slow_disk(out))
             for path in MAPS]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    assert _outputs(out) == expected
    assert sorted(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"]) == sorted(expected)
    check = _build("maps", "-o", "out", "-f", FORMATS, "--check", cwd=tmp_path)
    stdout, _ = check.communicate(timeout=60)
    assert check.returncode == 0, stdout


# --- a worker that dies -------------------------------------------------------------------------

# Loaded in the build's process and, through PYTHONPATH, in its workers: maps named crash-* kill the process
# that renders them, as a crash in cairo or the OOM killer would.
_CRASHING = """
import os, signal
from journeymap.batch.worker import run as real_run


def run(task):
    if task.source.stem == "crash-exit":
        os._exit(3)
    if task.source.stem == "crash-segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    return real_run(task)
"""

_BUILD_WITH_CRASHES = """
import json, sys
import crashing, journeymap.batch as batch, journeymap.batch.pool as pool
pool.run = crashing.run
report = batch.build(["maps"], "out", "svg", jobs=int(sys.argv[1]))
print(json.dumps({"written": sorted(p.name for p in report.written),
                  "failed": sorted([f.source.name, f.failure.message] for f in report.failed)}))
"""


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_map_that_kills_its_worker_fails_alone(tmp_path: Path, jobs: int) -> None:
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "crashing.py").write_text(_CRASHING, encoding="utf-8")
    maps = tmp_path / "maps"
    maps.mkdir()
    good = [f"map-{i}" for i in range(6)]
    for name in [*good[:3], "crash-exit", *good[3:], "crash-segv"]:
        shutil.copy(MAPS[0], maps / f"{name}.yaml")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "hook"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", _BUILD_WITH_CRASHES, str(jobs)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["failed"] == [["crash-exit.yaml", "the renderer crashed (exit code 3)"],
                                ["crash-segv.yaml", "the renderer crashed (killed by signal SIGSEGV)"]]
    assert result["written"] == [f"{name}.svg" for name in good]
    assert sorted(json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))["outputs"]) == \
        [f"{name}.svg" for name in good]


# --- a folder that cannot be written, a full disk ------------------------------------------------

runner = CliRunner()


def _cli(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the patched test below covers it")
def test_read_only_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    _maps(tmp_path / "maps")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        proc = _build("maps", "-o", "out", "-f", "svg", "-j", "1", cwd=tmp_path)
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        out.chmod(0o755)
    assert proc.returncode == 1 and "Traceback" not in stderr
    assert "Permission denied" in stderr
    assert list(out.iterdir()) == []


def _refuse_writes_under(monkeypatch: pytest.MonkeyPatch, folder: Path, error: int) -> None:
    """Make writing any file below `folder` fail the way the kernel would.

    ENOSPC: creating the file works, writing its bytes fails. EACCES, EROFS: creating it fails.
    """
    import tempfile

    real_fdopen, real_mkstemp = os.fdopen, tempfile.mkstemp

    def fdopen(fd: int, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        if error == errno.ENOSPC and Path(os.readlink(f"/proc/self/fd/{fd}")).is_relative_to(folder):
            def write(data: bytes) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            handle.write = write  # type: ignore[method-assign]
        return handle

    def mkstemp(*args, dir=None, **kwargs):
        if error != errno.ENOSPC and dir is not None and Path(dir).resolve().is_relative_to(folder):
            raise PermissionError(error, os.strerror(error), str(Path(dir) / "x.tmp"))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EACCES, errno.EROFS], ids=["disk-full", "no-permission",
                                                                                  "read-only-fs"])
def test_unwritable_output_is_a_clear_error_and_keeps_the_old_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    error: int) -> None:
    maps = _maps(tmp_path / "maps")
    out = tmp_path / "out"
    assert _cli("build", str(maps), "-o", str(out), "-f", "svg", "-j", "1").exit_code == 0
    before = _outputs(out)
    for path in maps.glob("*.yaml"):  # every map changed: every output must be rewritten
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: New ", 1), encoding="utf-8")
    _refuse_writes_under(monkeypatch, out.resolve(), error)

    result = _cli("build", str(maps), "-o", str(out), "-f", "svg", "-j", "1")
    assert result.exit_code == 1
    assert os.strerror(error) in result.output
    assert _outputs(out) == before  # the previous good files are untouched
    assert _temporaries(out) == []  # and no half-written temporary is left behind

    single = out / "single.svg"
    result = _cli("render", str(maps / "minimal.yaml"), "-o", str(single))
    assert result.exit_code == 1
    assert f"cannot write '{single}': {os.strerror(error)}" in result.output
    assert not single.exists() and _temporaries(out) == []


# --- a missing font -----------------------------------------------------------------------------

# Runs the CLI with the package's font folder pointed at an empty one, as after a broken install.
_NO_FONTS = """
import sys, pathlib
import journeymap.render, journeymap.export
import journeymap.resources, journeymap.layouts.text, journeymap.render.fonts, journeymap.export.fonts
empty = pathlib.Path(sys.argv.pop(1))
for module in (journeymap.resources, journeymap.layouts.text, journeymap.render.fonts, journeymap.export.fonts):
    module.FONTS_DIR = empty
from journeymap.cli import app
app(sys.argv[1:], prog_name="journeymap")
"""


@pytest.mark.parametrize(("fmt", "keep"), [("svg", ""), ("png", ""), ("pdf", ""), ("png", "*.json"),
                                           ("pdf", "*.json")])
def test_a_missing_font_is_a_clear_error(tmp_path: Path, fmt: str, keep: str) -> None:
    # keep: the files left in the font folder; with the metric tables but no .otf, PNG and PDF would
    # otherwise be drawn in whatever face fontconfig falls back to.
    from journeymap.resources import FONTS_DIR

    empty = tmp_path / "fonts"
    empty.mkdir()
    for path in FONTS_DIR.glob(keep) if keep else ():
        shutil.copy(path, empty / path.name)
    out = tmp_path / f"map.{fmt}"
    proc = subprocess.run([sys.executable, "-c", _NO_FONTS, str(empty), "render", str(EXAMPLES / "minimal.yaml"),
                           "-o", str(out)], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    first = proc.stderr.splitlines()[0]
    assert first.startswith(f"{empty}/Inter-") and " error[E001]: journeymap is missing its font file Inter-" in first
    assert first.endswith(f" (in {empty}); reinstall journeymap"), first
    assert not out.exists()
