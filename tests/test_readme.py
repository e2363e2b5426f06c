"""The README's walk-through and Python API example, run as a new user would run them."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_using_journeymap_in_your_repository(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    ran = []
    for lang, body in FENCE.findall(section("Using journeymap in your repository")):
        if lang == "toml":
            (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
        if lang != "sh":
            continue
        for line in body.splitlines():
            if line.startswith("journeymap "):
                result = subprocess.run(shlex.split(line), cwd=tmp_path, env=env, capture_output=True, text=True)
                assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
                ran.append(line.split()[1])
    assert ran == ["init", "validate", "lint", "render", "build", "build"]
    assert (tmp_path / "onboarding.png").read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in (tmp_path / "diagrams").iterdir()) == [
        ".journeymap-build.json", "onboarding.png", "onboarding.svg"
    ]


def test_python_api_example(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    (code,) = [body for lang, body in FENCE.findall(section("Python API")) if lang == "python"]
    exec(compile(code, "README.md", "exec"), {})


def test_quick_start_commands_are_what_ci_runs() -> None:
    commands = [body.strip() for lang, body in FENCE.findall(section("Quick start")) if lang == "sh"]
    assert commands[1] == 'pip install -e ".[test]" && python -m pytest'
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
