"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit tool in a temporary repository.

The hooks are taken as published, with `language: system` instead of `python` so that
pre-commit uses this installation instead of building one from the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GOOD = """\
journeymap: 1
title: Renewing a library card
persona:
  name: Ana
  goals: [Borrow e-books]
stages:
  - name: Renew
    steps:
      - action: Opens the renewal email
        emotion: 0
        touchpoints: [email]
      - action: Renews online
        emotion: 1
        touchpoints: [web]
"""


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "NO_COLOR": "1",
    }
    work = tmp_path / "work"
    (work / "maps").mkdir(parents=True)
    (work / "maps" / "renewal.yaml").write_text(GOOD)
    (work / "journeymap.toml").write_text('paths = ["maps"]\nout_dir = "diagrams"\nformats = ["svg"]\n')
    hooks = [{**hook, "language": "system"} for hook in HOOKS]
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    for cmd in (["git", "init", "-q"], ["git", "config", "user.email", "t@example.com"], ["git", "config", "user.name", "T"]):
        run(cmd, work, env)
    assert run(["journeymap", "build"], work, env).returncode == 0
    run(["git", "add", "-A"], work, env)
    return work, env


def test_every_published_hook_is_offered():
    assert [h["id"] for h in HOOKS] == ["journeymap-validate", "journeymap-lint", "journeymap-fmt", "journeymap-build-check"]


def test_hooks_pass_on_a_clean_repository(repo):
    work, env = repo
    result = run(["pre-commit", "run", "--all-files"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in HOOKS:
        assert f"{hook['name']}" in result.stdout


def test_hooks_fail_on_a_broken_map_and_a_stale_diagram(repo):
    work, env = repo
    (work / "maps" / "renewal.yaml").write_text(GOOD.replace("emotion: 1", "emotion: 7"))
    run(["git", "add", "-A"], work, env)
    result = run(["pre-commit", "run", "--all-files"], work, env)
    assert result.returncode == 1
    assert "maps/renewal.yaml:13:18: error[E204]: emotion must be a number between -2 and 2, got 7" in result.stdout
    assert "journeymap build --check" in result.stdout and "Failed" in result.stdout


OTHER_YAML = {
    "docker-compose.yml": 'version: "3.8"\nservices:\n  web:\n    image: nginx\n',
    "mkdocs.yml": "site_name: Docs\nnav:\n  - index.md\n",
    ".gitlab-ci.yml": "stages: [build]\nbuild:\n  script: make\n",
    "config/app.yaml": "title: Service\ndescription: not a map\nport: 8080\n",
}


def add_other_yaml(work: Path, env: dict[str, str]) -> None:
    for name, text in OTHER_YAML.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    run(["git", "add", "-A"], work, env)


@pytest.mark.parametrize("hook", ["journeymap-validate", "journeymap-fmt", "journeymap-build-check"])
def test_hooks_skip_yaml_that_is_clearly_not_a_map(repo, hook):
    work, env = repo
    add_other_yaml(work, env)
    result = run(["pre-commit", "run", hook, "--all-files"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    for name, text in OTHER_YAML.items():
        assert (work / name).read_text() == text


def test_lint_hook_skips_yaml_that_is_clearly_not_a_map(repo):
    work, env = repo
    add_other_yaml(work, env)
    result = run(["pre-commit", "run", "journeymap-lint", "--all-files"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hooks_check_a_map_whose_keys_are_misspelt(repo):
    work, env = repo
    (work / "maps" / "renewal.yaml").write_text(GOOD.replace("journeymap: 1\ntitle:", "tittle:")
                                                .replace("stages:", "stagse:"))
    run(["git", "add", "-A"], work, env)
    result = run(["pre-commit", "run", "journeymap-validate", "--all-files"], work, env)
    assert result.returncode == 1
    assert "maps/renewal.yaml:1:1: error[E103]: unknown key 'tittle' in the map; did you mean 'title'?" in result.stdout
    assert "maps/renewal.yaml:5:1: error[E103]: unknown key 'stagse' in the map; did you mean 'stages'?" in result.stdout
