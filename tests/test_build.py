"""journeymap build: mirrored outputs, incremental manifest, --check, failures, parallel workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap
from journeymap.batch import ConfigError, build, manifest

MAP = """\
journeymap: 1
title: {title}
stages:
  - name: Find
    steps:
      - action: Searches the web
        emotion: 1
      - action: Reads reviews
        emotion: -1
        pains: [Too many fake reviews]
"""


def write_map(path: Path, title: str = "A journey") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MAP.format(title=title), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_map(tmp_path / "maps" / "a.yaml", "Alpha")
    write_map(tmp_path / "maps" / "team" / "b.yml", "Beta")
    return tmp_path


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_outputs_mirror_the_source_tree(project: Path) -> None:
    report = build([Path("maps")], Path("out"), "svg", jobs=1)
    assert report.ok and report.files == 2
    assert files_under(project / "out") == [".journeymap-build.json", "a.svg", "team/b.svg"]
    assert sorted(report.written) == [project / "out" / "a.svg", project / "out" / "team" / "b.svg"]
    assert (project / "out" / "a.svg").read_text(encoding="utf-8") == journeymap.render_svg(project / "maps" / "a.yaml")


def test_globs_and_single_files(project: Path) -> None:
    build(["maps/**/*.yml"], "o1", "svg", jobs=1)
    assert files_under(project / "o1") == [".journeymap-build.json", "team/b.svg"]  # mirrors below the glob's folder
    build([Path("maps/a.yaml")], Path("o2"), "svg", jobs=1)
    assert files_under(project / "o2") == [".journeymap-build.json", "a.svg"]


def test_noop_rebuild_skips_everything(project: Path) -> None:
    first = build([Path("maps")], Path("out"), "svg,pdf", jobs=1)
    assert len(first.written) == 4
    before = {p: p.stat().st_mtime_ns for p in (project / "out").rglob("*")}
    second = build([Path("maps")], Path("out"), "svg,pdf", jobs=1)
    assert second.written == [] and len(second.skipped) == 4 and second.ok
    assert {p: p.stat().st_mtime_ns for p in (project / "out").rglob("*")} == before


def test_noop_rebuild_imports_neither_renderer_nor_cairosvg(project: Path) -> None:
    build([Path("maps")], Path("out"), "svg,png", jobs=1)
    code = (
        "import sys; from pathlib import Path; from journeymap.batch import build\n"
        "r = build([Path('maps')], Path('out'), 'svg,png', jobs=1)\n"
        "heavy = ('cairosvg', 'journeymap.render', 'jinja2')\n"
        "print(len(r.skipped), len(r.written), sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=project)
    assert out.stdout.strip() == "4 0 []"


def test_only_what_changed_is_rebuilt(project: Path) -> None:
    build([Path("maps")], Path("out"), "svg,png", jobs=1)
    write_map(project / "maps" / "a.yaml", "Alpha, revised")
    report = build([Path("maps")], Path("out"), "svg,png", jobs=1)
    assert sorted(p.name for p in report.written) == ["a.png", "a.svg"]
    assert "Alpha, revised" in (project / "out" / "a.svg").read_text(encoding="utf-8")
    # A PNG option touches only the PNGs.
    report = build([Path("maps")], Path("out"), "svg,png", jobs=1, scale=0.5)
    assert sorted(p.name for p in report.written) == ["a.png", "b.png"]


def test_touching_a_file_without_changing_it_rebuilds_nothing(project: Path) -> None:
    build([Path("maps")], Path("out"), "svg", jobs=1)
    os.utime(project / "maps" / "a.yaml", (1, 1))  # content hashes, not mtimes
    assert build([Path("maps")], Path("out"), "svg", jobs=1).written == []


def test_theme_and_version_are_part_of_the_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build([Path("maps")], Path("out"), "svg", jobs=1)
    assert len(build([Path("maps")], Path("out"), "svg", jobs=1, theme="dark").written) == 2
    monkeypatch.setattr(manifest, "__version__", "99.0")
    assert len(build([Path("maps")], Path("out"), "svg", jobs=1, theme="dark").written) == 2


def test_custom_theme_files_are_part_of_the_key(project: Path) -> None:
    theme = project / "brand"
    theme.mkdir()
    (theme / "theme.yaml").write_text("extends: default\n", encoding="utf-8")
    assert len(build([Path("maps")], Path("out"), "svg", jobs=1, theme="./brand").written) == 2
    assert build([Path("maps")], Path("out"), "svg", jobs=1, theme="./brand").written == []
    (theme / "theme.yaml").write_text("extends: default\n# tweaked\n", encoding="utf-8")
    assert len(build([Path("maps")], Path("out"), "svg", jobs=1, theme="./brand").written) == 2


def test_an_output_edited_by_hand_is_rebuilt(project: Path) -> None:
    build([Path("maps")], Path("out"), "svg", jobs=1)
    (project / "out" / "a.svg").write_text("<svg/>", encoding="utf-8")
    check = build([Path("maps")], Path("out"), "svg", check=True)
    assert [(s.output.name, s.reason) for s in check.stale] == [("a.svg", "changed on disk")]
    assert [p.name for p in build([Path("maps")], Path("out"), "svg", jobs=1).written] == ["a.svg"]


def test_check_writes_nothing_and_lists_missing_and_stale(project: Path) -> None:
    report = build([Path("maps")], Path("out"), "svg", check=True)
    assert not (project / "out").exists()
    assert report.exit_code == 1
    assert [(s.output.relative_to(project).as_posix(), s.reason) for s in report.stale] == [
        ("out/a.svg", "missing"),
        ("out/team/b.svg", "missing"),
    ]
    build([Path("maps")], Path("out"), "svg", jobs=1)
    assert build([Path("maps")], Path("out"), "svg", check=True).exit_code == 0
    write_map(project / "maps" / "team" / "b.yml", "Beta 2")
    report = build([Path("maps")], Path("out"), "svg", check=True)
    assert [(s.output.name, s.reason) for s in report.stale] == [("b.svg", "stale")]
    assert "Beta 2" not in (project / "out" / "team" / "b.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_without_a_manifest_compares_fresh_renders(project: Path, jobs: int) -> None:
    # The manifest was not committed: up-to-date outputs are found by rendering in memory, not called stale.
    build([Path("maps")], Path("out"), "svg,png", jobs=1)
    (project / "out" / manifest.MANIFEST_NAME).unlink()
    before = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    report = build([Path("maps")], Path("out"), "svg,png", check=True, jobs=jobs)
    assert report.exit_code == 0 and report.stale == [] and len(report.skipped) == 4
    write_map(project / "maps" / "team" / "b.yml", "Beta 2")
    (project / "out" / "a.png").write_bytes(b"\x89PNG not really")
    report = build([Path("maps")], Path("out"), "svg,png", check=True, jobs=jobs)
    assert sorted((s.output.name, s.reason) for s in report.stale) == [("a.png", "stale"), ("b.png", "stale"),
                                                                       ("b.svg", "stale")]
    assert sorted(p.name for p in report.skipped) == ["a.svg"] and report.exit_code == 1
    (project / "maps" / "a.yaml").write_text("journeymap: 1\ntitle: Broken\nstagse: []\n", encoding="utf-8")
    report = build([Path("maps")], Path("out"), "svg,png", check=True, jobs=jobs)
    assert {f.source.name for f in report.failed} == {"a.yaml"} and report.exit_code == 1
    assert {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file() and p.name != "a.png"} == {
        p: b for p, b in before.items() if p.name != "a.png"
    }  # nothing written


def test_a_broken_map_does_not_stop_the_others(project: Path) -> None:
    (project / "maps" / "broken.yaml").write_text("journeymap: 2\ntitle: x\nstages: []\n", encoding="utf-8")
    report = build([Path("maps")], Path("out"), "svg", jobs=1)
    assert report.exit_code == 1 and report.failed_maps == 1
    assert sorted(p.name for p in report.written) == ["a.svg", "b.svg"]
    failure = report.failed[0]
    assert failure.source == project / "maps" / "broken.yaml" and failure.output is None
    assert [(d.line, d.code) for d in failure.failure.diagnostics][:1] == [(1, "E101")]
    assert not (project / "out" / "broken.svg").exists()


def test_a_failed_render_keeps_the_previous_good_output(project: Path) -> None:
    build([Path("maps/a.yaml")], Path("out"), "svg", jobs=1)
    good = (project / "out" / "a.svg").read_bytes()
    (project / "maps" / "a.yaml").write_text("journeymap: 1\ntitle: [not, a, string]\nstages: []\n", encoding="utf-8")
    report = build([Path("maps/a.yaml")], Path("out"), "svg", jobs=1)
    assert report.exit_code == 1 and report.written == []
    assert (project / "out" / "a.svg").read_bytes() == good
    assert build([Path("maps/a.yaml")], Path("out"), "svg", check=True).stale[0].reason == "stale"
    assert files_under(project / "out") == [".journeymap-build.json", "a.svg"]  # no temporary files left


def test_a_failing_format_keeps_its_old_file_and_writes_the_others(project: Path) -> None:
    build([Path("maps/a.yaml")], Path("out"), "png", jobs=1)
    old_png = (project / "out" / "a.png").read_bytes()
    write_map(project / "maps" / "a.yaml", "Alpha " * 200)
    report = build([Path("maps/a.yaml")], Path("out"), "svg,png", jobs=1, scale=10)
    assert [p.name for p in report.written] == ["a.svg"]
    assert report.failed[0].output == project / "out" / "a.png"
    assert report.failed[0].failure.message.startswith("the PNG would be ")
    assert (project / "out" / "a.png").read_bytes() == old_png


def test_two_sources_for_one_output_is_an_error(project: Path) -> None:
    write_map(project / "maps" / "a.yml", "Other alpha")
    report = build([Path("maps")], Path("out"), "svg", jobs=1)
    assert [f.failure.message for f in report.failed] == [
        f"a.yml and a.yaml would both write {project / 'out' / 'a.svg'}; rename one of them"
    ]


def test_parallel_build_gives_the_same_bytes(project: Path) -> None:
    serial = build([Path("maps")], Path("one"), "svg,png", jobs=1)
    parallel = build([Path("maps")], Path("two"), "svg,png", jobs=2)
    assert serial.ok and parallel.ok and len(parallel.written) == 4
    for name in ("a.svg", "a.png", "team/b.svg", "team/b.png"):
        assert (project / "one" / name).read_bytes() == (project / "two" / name).read_bytes()
    ours = json.loads((project / "one" / manifest.MANIFEST_NAME).read_text())
    assert ours == json.loads((project / "two" / manifest.MANIFEST_NAME).read_text())


def test_manifest_is_portable_and_sorted(project: Path) -> None:
    build([Path("maps")], Path("out"), "svg", jobs=1)
    data = json.loads((project / "out" / manifest.MANIFEST_NAME).read_text())
    assert list(data["outputs"]) == ["a.svg", "team/b.svg"]
    assert data["outputs"]["team/b.svg"]["source"] == "team/b.yml"
    assert str(project) not in (project / "out" / manifest.MANIFEST_NAME).read_text()


def test_a_corrupt_manifest_means_rebuild(project: Path) -> None:
    build([Path("maps")], Path("out"), "svg", jobs=1)
    (project / "out" / manifest.MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert len(build([Path("maps")], Path("out"), "svg", jobs=1).written) == 2


@pytest.mark.parametrize(
    ("paths", "out", "formats", "message"),
    [
        ([], "out", "svg", "no maps to build: give files, folders or globs, or set paths in [tool.journeymap]"),
        (["maps"], None, "svg", "no output folder: give --out-dir or set out_dir in [tool.journeymap]"),
        (["maps"], "out", "svg,gif", "--formats: unknown format 'gif'; choose from svg, png, pdf"),
        (["nope"], "out", "svg", "nope: no such file or folder"),
        (["maps/*.json"], "out", "svg", "no maps match 'maps/*.json'"),
    ],
)
def test_usage_errors(project: Path, paths: list[str], out: str | None, formats: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        build([Path(p) for p in paths], Path(out) if out else None, formats, jobs=1)
    assert str(error.value) == message


def test_unknown_theme_is_a_usage_error(project: Path) -> None:
    with pytest.raises(ConfigError, match=r"^unknown theme 'drak'; built-in themes: .*\bdark\b"):
        build(["maps"], "out", "svg", theme="drak")
    (project / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"empty: not a theme folder \(it has no theme.yaml\)$"):
        build(["maps"], "out", "svg", theme="./empty")


def test_the_public_functions_stay_callable_once_every_stage_is_imported(project: Path) -> None:
    # A submodule named like a public function would rebind the package's attribute on import.
    import journeymap.api, journeymap.batch, journeymap.layouts, journeymap.loader, journeymap.validation  # noqa: F401

    assert journeymap.validate("maps/a.yaml") == []
    assert journeymap.load("maps/a.yaml").title
    assert journeymap.layout("maps/a.yaml").width > 0
    first = journeymap.build(["maps"], "out", ["svg"], jobs=1)
    again = journeymap.build(["maps"], "out", ["svg"], jobs=1)
    assert (len(first.written), len(again.skipped)) == (2, 2)


def test_shards_split_the_maps_into_disjoint_parts_that_cover_them_all(project: Path) -> None:
    for i in range(10):
        write_map(project / "maps" / "more" / f"m{i}.yaml", f"Map {i}")
    parts = [build([Path("maps")], Path(f"s{i}"), "svg", jobs=1, shard=f"{i}/3") for i in (1, 2, 3)]
    built = [files_under(project / f"s{i}") for i in (1, 2, 3)]
    outputs = [name for names in built for name in names if name.endswith(".svg")]
    assert sorted(outputs) == sorted(set(outputs)) and len(outputs) == 12
    assert all(report.ok and report.files > 0 for report in parts)
    # Adding a map leaves every other map in its shard.
    write_map(project / "maps" / "new.yaml", "New")
    again = build([Path("maps")], Path("s1"), "svg", jobs=1, shard="1/3")
    assert not [p for p in again.written if p.name != "new.svg"]


@pytest.mark.parametrize(("shard", "message"), [("0/3", "I must be between 1 and N"), ("a/b", "--shard takes I/N")])
def test_bad_shards_are_usage_errors(project: Path, shard: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build([Path("maps")], Path("out"), "svg", shard=shard)
