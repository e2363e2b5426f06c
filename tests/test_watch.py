"""journeymap watch: rebuild on save, diagnostics on error, last good output kept."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.batch import BuildReport
from journeymap.batch.watch import targets, watch
from journeymap.cli import app
from journeymap.config import ConfigError

MAP = "journeymap: 1\ntitle: {title}\nstages:\n  - name: Find\n    steps: [Searches the web]\n"
WAIT = 60  # seconds; only reached if something is broken (a busy machine can be slow to start the renderer)


@pytest.fixture
def session(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A watch running in a thread; yields a function returning the next build result."""
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "a.yaml").write_text(MAP.format(title="First title"), encoding="utf-8")
    results: queue.Queue[BuildReport | ConfigError] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=([maps], tmp_path / "out", "svg"),
        kwargs={"jobs": 1, "on_build": results.put, "stop_event": stop, "debounce_ms": 50},
        daemon=True,
    )
    thread.start()
    yield tmp_path, lambda: results.get(timeout=WAIT)
    stop.set()
    thread.join(timeout=WAIT)
    assert not thread.is_alive()


def test_rebuilds_on_save_and_keeps_the_last_good_output(session) -> None:  # type: ignore[no-untyped-def]
    root, next_result = session
    first = next_result()
    assert [p.name for p in first.written] == ["a.svg"]
    svg = root / "out" / "a.svg"
    assert "First title" in svg.read_text(encoding="utf-8")

    (root / "maps" / "a.yaml").write_text(MAP.format(title="Second title"), encoding="utf-8")
    second = next_result()
    assert [p.name for p in second.written] == ["a.svg"] and second.ok
    good = svg.read_text(encoding="utf-8")
    assert "Second title" in good

    (root / "maps" / "a.yaml").write_text("journeymap: 1\ntitle: Broken\nstages: 3\n", encoding="utf-8")
    broken = next_result()
    assert broken.written == [] and broken.failed_maps == 1
    assert broken.failed[0].failure.diagnostics[0].line == 3
    assert svg.read_text(encoding="utf-8") == good

    (root / "maps" / "new.yml").write_text(MAP.format(title="New map"), encoding="utf-8")
    added = next_result()
    assert [p.name for p in added.written] == ["new.svg"]


def test_targets_are_folders_without_nesting(tmp_path: Path) -> None:
    (tmp_path / "maps" / "sub").mkdir(parents=True)
    (tmp_path / "maps" / "sub" / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "brand").mkdir()
    got = targets(
        [tmp_path / "maps", tmp_path / "maps" / "sub" / "a.yaml", tmp_path / "maps" / "**" / "*.yaml"],
        str(tmp_path / "brand"),
    )
    assert got == [tmp_path / "brand", tmp_path / "maps"]
    assert targets([tmp_path / "maps"], "dark") == [tmp_path / "maps"]


def test_cli_missing_folder_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["watch", "nowhere/*.yaml", "--out-dir", "out"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nowhere'}: no such file or folder to watch\n"
    result = CliRunner().invoke(app, ["watch", "missing.yaml", "--out-dir", "out"])
    assert result.stderr == f"error: {tmp_path / 'missing.yaml'}: no such file or folder to watch\n"


def test_cli_bad_formats_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["watch", str(tmp_path), "--out-dir", "out", "--formats", "svg,bmp"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --formats: unknown format 'bmp'; choose from svg, png, pdf\n",
    )
