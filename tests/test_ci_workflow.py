"""examples/ci/journeymap.yml: journeymap is installed from its repository, every journeymap
command in it exists with the options it uses, validate and lint pass on the examples, and the
render shards of the matrix together build every map once."""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from journeymap.cli import app

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = yaml.safe_load((ROOT / "examples" / "ci" / "journeymap.yml").read_text(encoding="utf-8"))
MATRIX_VALUE = re.compile(r"\$\{\{\s*matrix\.(\w+)\s*\}\}")


def commands(job: dict) -> list[list[str]]:
    """Each `journeymap` command line of a job, once per combination of its matrix."""
    matrix = job.get("strategy", {}).get("matrix", {"": [None]})
    lines = [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines()]
    out = []
    for values in itertools.product(*matrix.values()):
        chosen = dict(zip(matrix, values))
        for line in lines:
            if line.startswith("journeymap "):
                out.append(shlex.split(MATRIX_VALUE.sub(lambda m: str(chosen[m.group(1)]), line)))
    return out


ALL = [c for job in WORKFLOW["jobs"].values() for c in commands(job)]


def test_the_workflow_installs_journeymap_from_its_repository() -> None:
    installs = [line for job in WORKFLOW["jobs"].values() for step in job["steps"]
                for line in step.get("run", "").splitlines() if "pip install" in line]
    assert installs and all(line.strip() == 'pip install "$JOURNEYMAP"' for line in installs)
    assert WORKFLOW["env"]["JOURNEYMAP"] == "journeymap @ git+https://github.com/OWNER/REPO@REF"


def test_every_command_exists_with_the_options_it_uses() -> None:
    assert {c[1] for c in ALL} == {"validate", "lint", "build"}
    runner = CliRunner()
    for command in ALL:
        # --help is read after every other option: an unknown command or option fails first
        result = runner.invoke(app, [*command[1:], "--help"])
        assert result.exit_code == 0, f"{shlex.join(command)}: {result.output}"


def test_the_shards_of_the_matrix_cover_every_map_once(tmp_path: Path) -> None:
    render = WORKFLOW["jobs"]["render"]
    shards = render["strategy"]["matrix"]["shard"]
    builds = commands(render)
    assert [c[c.index("--shard") + 1] for c in builds] == [f"{i}/{len(shards)}" for i in range(1, len(shards) + 1)]
    maps = tmp_path / "maps"
    maps.mkdir()
    for example in (ROOT / "examples").glob("*.yaml"):
        shutil.copy(example, maps / example.name)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    for command in [c for c in ALL if c[1] in ("validate", "lint")]:
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{shlex.join(command)}\n{result.stdout}{result.stderr}"
    for command in builds:  # SVG is enough to see which maps each shard builds
        command = [*command[:command.index("--formats") + 1], "svg", *command[command.index("--formats") + 2:]]
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{shlex.join(command)}\n{result.stdout}{result.stderr}"
    rendered = sorted(p.name for p in (tmp_path / "rendered").glob("*.svg"))
    assert rendered == sorted(f"{p.stem}.svg" for p in maps.glob("*.yaml"))
