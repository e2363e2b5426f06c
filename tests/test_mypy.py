"""The package type-checks, and code using its public API gets real types, not Any."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mypy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_the_package_type_checks() -> None:
    result = mypy()  # the settings in pyproject.toml: src/
    assert result.returncode == 0, result.stdout + result.stderr


def test_users_of_the_api_see_its_types(tmp_path: Path) -> None:
    (tmp_path / "use.py").write_text(
        "import journeymap\n"
        "journey: journeymap.Journey = journeymap.load('map.yaml')\n"
        "svg: str = journeymap.render_svg(journey, theme='dark')\n"
        "png: bytes = journeymap.render_png(journey, scale=2)\n"
        "count: int = journeymap.render_svg(journey)\n",  # wrong on purpose: a str is not an int
        encoding="utf-8",
    )
    result = mypy("--strict", "use.py", cwd=tmp_path)
    assert result.stdout.splitlines()[:-1] == [
        'use.py:5: error: Incompatible types in assignment (expression has type "str", variable has type "int")  '
        "[assignment]"
    ], result.stdout + result.stderr
