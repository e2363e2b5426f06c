"""How build writes: temporaries of killed writes are removed, live ones never; the manifest is merged."""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import threading
from pathlib import Path

import pytest

from journeymap import files
from journeymap.batch import build, manifest

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


def test_saving_the_manifest_keeps_entries_another_build_saved(tmp_path: Path) -> None:
    manifest.save(tmp_path, {"a.svg": {"key": "1", "sha256": "x"}, "b.svg": {"key": "1", "sha256": "y"}})
    manifest.save(tmp_path, {"b.svg": {"key": "2", "sha256": "z"}, "c.svg": {"key": "2", "sha256": "w"}})
    assert manifest.load(tmp_path) == {
        "a.svg": {"key": "1", "sha256": "x"},
        "b.svg": {"key": "2", "sha256": "z"},
        "c.svg": {"key": "2", "sha256": "w"},
    }


def test_the_manifest_is_merged_under_a_lock(tmp_path: Path) -> None:
    # While another build holds the folder's lock, a save waits, then merges with what that build saved.
    manifest.save(tmp_path, {"a.svg": {"key": "1"}})
    holder = os.open(tmp_path, os.O_RDONLY)  # another open file: flock locks conflict even within a process
    fcntl.flock(holder, fcntl.LOCK_EX)
    saving = threading.Thread(target=manifest.save, args=(tmp_path, {"b.svg": {"key": "2"}}))
    try:
        saving.start()
        saving.join(0.5)
        assert saving.is_alive(), "saved without waiting for the lock"
        (tmp_path / manifest.MANIFEST_NAME).write_text(
            json.dumps({"outputs": {"a.svg": {"key": "1"}, "c.svg": {"key": "3"}}}), encoding="utf-8"
        )  # what the other build saves while it holds the lock
    finally:
        os.close(holder)
    saving.join(10)
    assert manifest.load(tmp_path) == {"a.svg": {"key": "1"}, "b.svg": {"key": "2"}, "c.svg": {"key": "3"}}
