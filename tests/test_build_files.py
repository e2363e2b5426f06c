"""How build writes: temporaries of killed writes are removed, live ones never."""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

import pytest

from journeymap.batch import build, files, manifest

MAP = "journeymap: 1\ntitle: {title}\nstages:\n  - name: Find\n    steps:\n      - action: Searches\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "maps").mkdir()
    for name in ("a", "b"):
        (tmp_path / "maps" / f"{name}.yaml").write_text(MAP.format(title=name), encoding="utf-8")
    return tmp_path


def test_a_build_removes_what_killed_writes_left_and_nothing_else(project: Path) -> None:
    out = project / "out"
    build(["maps"], out, "svg", jobs=1)
    killed = [out / ".a.svg.k2x9a1b0.tmp", out / f".{manifest.MANIFEST_NAME}.q1w2e3r4.tmp"]
    live = out / ".b.svg.z9y8x7w6.tmp"
    others = [out / ".notes.txt.abcdefgh.tmp", out / ".a.svg.tmp", out / "keep.tmp"]
    for path in [*killed, live, *others]:
        path.write_bytes(b"half a file")
    writer = os.open(live, os.O_RDONLY)
    fcntl.flock(writer, fcntl.LOCK_EX)  # as a build still writing it holds it
    try:
        report = build(["maps"], out, "svg", jobs=1)  # a no-op build sweeps too
    finally:
        os.close(writer)
    assert report.written == [] and len(report.skipped) == 2
    assert not any(path.exists() for path in killed)
    assert live.exists() and all(path.exists() for path in others)
    build(["maps"], out, "svg", check=True)  # --check writes nothing, and removes nothing
    assert live.exists()


def test_a_sweep_between_creating_and_locking_a_temporary_loses_no_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one moment a writer's temporary is not locked yet: a sweep then removes it, and the writer must
    # notice and write through another one.
    target = tmp_path / "map.svg"
    real_mkstemp, calls = tempfile.mkstemp, []

    def mkstemp(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        if not calls:
            files.sweep([target])
        calls.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    files.write_atomic(target, b"<svg/>")
    assert target.read_bytes() == b"<svg/>"
    assert len(calls) == 2 and sorted(p.name for p in tmp_path.iterdir()) == ["map.svg"]
