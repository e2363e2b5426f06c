"""Build defaults from [tool.journeymap] in pyproject.toml or journeymap.toml, and the build command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.config import Config, ConfigError, load_config

MAP = "journeymap: 1\ntitle: {title}\nstages:\n  - name: Find\n    steps: [Searches the web]\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "maps" / "a.yaml", MAP.format(title="Alpha"))
    write(tmp_path / "maps" / "sub" / "b.yaml", MAP.format(title="Beta"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def summary(stdout: str) -> dict[str, str]:
    """The build summary table as {column: value}."""
    rows = [line for line in stdout.splitlines() if line.startswith(("┃", "│"))]
    header, values = ([cell.strip() for cell in row.strip("┃│").replace("┃", "│").split("│")] for row in rows[:2])
    return dict(zip(header, values))


def test_pyproject_table_is_found_from_a_subfolder(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.journeymap]\npaths = ["maps"]\nout-dir = "docs/maps"\n'
        'formats = "svg,pdf"\ntheme = "dark"\nscale = 2\n',
    )
    config = load_config(repo / "maps" / "sub")
    assert config == Config(
        root=repo,
        file=repo / "pyproject.toml",
        paths=("maps",),
        out_dir=repo / "docs" / "maps",
        formats=("svg", "pdf"),
        theme="dark",
        scale=2.0,
    )


def test_journeymap_toml_wins_and_theme_folders_are_relative_to_it(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.journeymap]\nout_dir = "elsewhere"\n')
    write(repo / "journeymap.toml", 'out_dir = "out"\ntheme = "./brand"\nformats = ["png"]\n')
    config = load_config(repo / "maps")
    assert (config.file, config.out_dir, config.theme, config.formats) == (
        repo / "journeymap.toml",
        repo / "out",
        str(repo / "brand"),
        ("png",),
    )


def test_search_stops_at_the_repository_root(repo: Path) -> None:
    assert load_config(repo / "maps") == Config(root=repo / "maps")


def test_pyproject_without_our_table_is_ignored(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(repo).file is None


def test_a_lint_table_beside_the_build_keys_is_allowed(repo: Path) -> None:
    # [tool.journeymap.lint] belongs to `journeymap lint`; build must neither refuse nor read it.
    write(
        repo / "pyproject.toml",
        '[tool.journeymap]\npaths = ["maps"]\nout_dir = "out"\nformats = ["svg"]\n\n'
        '[tool.journeymap.lint]\nignore = ["JM105"]\nseverity = { JM103 = "error" }\n',
    )
    assert load_config(repo) == Config(root=repo, file=repo / "pyproject.toml", paths=("maps",), out_dir=repo / "out",
                                       formats=("svg",))
    assert run("build", "--check").exit_code == 1  # stale outputs, not a usage error
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    result = run("build", "--check")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "all 2 outputs of 2 maps are up to date\n"


def test_journeymap_toml_may_hold_a_lint_table(repo: Path) -> None:
    write(repo / "journeymap.toml", 'out_dir = "out"\n\n[lint]\nignore = ["JM105"]\n')
    assert load_config(repo / "maps").out_dir == repo / "out"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.journeymap]\nlint = "JM105"\n', "pyproject.toml: [tool.journeymap]: lint must be a table"),
        ('[tool.journeymap]\nlnit = {}\n', "pyproject.toml: [tool.journeymap]: unknown key 'lnit'; did you mean 'lint'?"),
        (
            '[tool.journeymap]\nout_dri = "x"\n',
            "pyproject.toml: [tool.journeymap]: unknown key 'out_dri'; did you mean 'out_dir'?",
        ),
        (
            '[tool.journeymap]\nformats = "svg,gif"\n',
            "pyproject.toml: [tool.journeymap]: formats: unknown format 'gif'; choose from svg, png, pdf",
        ),
        (
            "[tool.journeymap]\npaths = [1]\n",
            "pyproject.toml: [tool.journeymap]: paths must be a list of files, folders or globs",
        ),
        ('[tool.journeymap]\nscale = "big"\n', "pyproject.toml: [tool.journeymap]: scale must be a number"),
        ('[tool.journeymap]\ntheme = ""\n', "pyproject.toml: [tool.journeymap]: theme must be a non-empty string"),
        ("[tool.journeymap\n", "pyproject.toml: Expected ']' at the end of a table declaration (at line 1, column 17)"),
    ],
)
def test_bad_configuration_is_a_clear_error(repo: Path, text: str, message: str) -> None:
    write(repo / "pyproject.toml", text)
    with pytest.raises(ConfigError) as error:
        load_config(repo)
    assert str(error.value) == f"{repo}/{message}"


# --- the command line ----------------------------------------------------------------------------


def test_bare_build_uses_the_configured_defaults(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.journeymap]\npaths = ["maps"]\nout_dir = "docs/maps"\nformats = ["svg"]\n')
    result = CliRunner().invoke(app, ["build", "--jobs", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(repo).as_posix() for p in (repo / "docs" / "maps").rglob("*.svg")) == [
        "docs/maps/a.svg",
        "docs/maps/sub/b.svg",
    ]
    assert "journeymap build → docs/maps" in result.stdout
    table = summary(result.stdout)
    assert list(table) == ["files", "written", "skipped", "failed", "time"]
    assert [table["files"], table["written"], table["skipped"], table["failed"]] == ["2", "2", "0", "0"]
    assert table["time"].endswith(" s")
    again = summary(run("build", "--jobs", "1").stdout)
    assert [again["written"], again["skipped"]] == ["0", "2"]


def test_check_exit_codes_and_listing(repo: Path) -> None:
    result = run("build", "maps", "--out-dir", "out", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "out/a.svg: missing (from maps/a.yaml)",
        "out/sub/b.svg: missing (from maps/sub/b.yaml)",
        "2 of 2 outputs are missing or stale; run journeymap build",
    ]
    assert not (repo / "out").exists()
    assert run("build", "maps", "--out-dir", "out", "--jobs", "1").exit_code == 0
    result = run("build", "maps", "--out-dir", "out", "--check")
    assert (result.exit_code, result.stdout) == (0, "all 2 outputs of 2 maps are up to date\n")


def test_failures_print_diagnostics_and_exit_1(repo: Path) -> None:
    write(repo / "maps" / "bad.yaml", "journeymap: 1\ntitle: Bad\nstages:\n  - name: X\n    steps: []\n")
    result = run("build", "maps", "--out-dir", "out", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr.startswith("maps/bad.yaml:5:12: error[")
    assert "steps: []" in result.stderr  # the code frame
    table = summary(result.stdout)
    assert [table["files"], table["written"], table["skipped"], table["failed"]] == ["3", "2", "0", "1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build"], "error: no maps to build: give files, folders or globs, or set paths in [tool.journeymap]\n"),
        (["build", "maps"], "error: no output folder: give --out-dir or set out_dir in [tool.journeymap]\n"),
        (
            ["build", "maps", "-o", "o", "-f", "svg,jpg"],
            "error: --formats: unknown format 'jpg'; choose from svg, png, pdf\n",
        ),
        (["build", "missing.yaml", "-o", "o"], "error: missing.yaml: no such file or folder\n"),
    ],
)
def test_usage_errors_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_bad_config_file_exits_2(repo: Path) -> None:
    write(repo / "journeymap.toml", "formats = 3\n")
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr == f'error: {repo}/journeymap.toml: formats: expected formats such as "svg,png,pdf"\n'


def test_progress_bar_only_on_a_terminal() -> None:
    import io

    from rich.console import Console

    from journeymap.batch.console import BuildOutput

    piped = BuildOutput(err=Console(file=io.StringIO()))
    piped.start(3)
    assert piped.progress is None
    tty_file = io.StringIO()
    terminal = BuildOutput(err=Console(file=tty_file, force_terminal=True, width=80))
    terminal.start(3)
    assert terminal.progress is not None
    terminal.stop()
    assert "0/3" in tty_file.getvalue()
