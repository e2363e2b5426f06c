"""Path expansion shared by validate, lint, fmt, build and watch."""

from pathlib import Path

import pytest

from journeymap.sources import NoMaps, find_maps

MAP = "journeymap: 1\ntitle: T\nstages: [{name: S, steps: [X]}]\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_folders_yield_maps_sorted_and_skip_other_yaml_and_hidden_folders(tmp_path):
    b = write(tmp_path / "maps" / "b.yml", MAP)
    a = write(tmp_path / "maps" / "sub" / "a.yaml", "# comment first\n" + MAP)
    write(tmp_path / "maps" / "ci" / "workflow.yml", "name: ci\non: [push]\n")
    write(tmp_path / "maps" / ".github" / "x.yaml", MAP)
    write(tmp_path / "maps" / "notes.txt", MAP)
    assert find_maps([str(tmp_path / "maps")]) == [b, a]


def test_broken_maps_in_folders_are_still_checked(tmp_path):
    no_version = write(tmp_path / "a.yaml", MAP.replace("journeymap: 1\n", ""))
    empty = write(tmp_path / "b.yaml", "")
    comments = write(tmp_path / "c.yaml", "# just a comment\n")
    a_list = write(tmp_path / "d.yaml", "- journeymap: 1\n")
    write(tmp_path / "e.yaml", "name: ci\njobs: {}\n")
    assert find_maps([str(tmp_path)]) == [no_version, empty, comments, a_list]


def test_named_files_are_kept_even_when_missing_or_not_maps(tmp_path):
    other = write(tmp_path / "workflow.yml", "name: ci\n")
    missing = tmp_path / "missing.yaml"
    assert find_maps([str(other), str(missing)]) == [other, missing]


def test_globs_and_repeats(tmp_path):
    a = write(tmp_path / "a.yaml", MAP)
    write(tmp_path / "c.yaml", "not: a map\n")
    assert find_maps(["*.yaml", "a.yaml"], base=tmp_path) == [a]


@pytest.mark.parametrize("arg", ["empty", "*.nothing"])
def test_folders_and_globs_without_maps_raise(tmp_path, arg):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "config.yaml", "key: value\n")
    with pytest.raises(NoMaps, match=r"\*\.nothing|empty"):
        find_maps([arg], base=tmp_path)


def test_a_map_with_misspelt_keys_is_checked_but_other_configs_are_not(tmp_path):
    typo = write(tmp_path / "typo.yaml", "tittle: T\nstagse: [{name: S, steps: [X]}]\n")
    two = write(tmp_path / "two.yaml", "tittle: T\npersnoa: {name: P}\n")
    write(tmp_path / "docker-compose.yml", 'version: "3"\nservices: {web: {image: x}}\nvolumes: {}\n')
    write(tmp_path / "_config.yml", "title: My blog\ndescription: Notes\ntheme: minima\n")  # map words, no typo
    write(tmp_path / "mkdocs.yml", "site_name: Docs\nnav: []\n")
    assert find_maps([str(tmp_path)]) == [two, typo]


def test_under_pre_commit_named_files_get_the_folder_rule(tmp_path, monkeypatch):
    files = {
        "maps/good.yaml": MAP,
        "maps/broken.yaml": "journeymap: 1\ntitle: [unclosed\n",
        "maps/typo.yaml": "tittle: T\nstagse: []\n",
        "docker-compose.yml": 'version: "3"\nservices: {}\n',
        ".gitlab-ci.yml": "stages: [build]\n",
        ".github/workflows/ci.yml": "name: ci\non: push\njobs: {}\n",
        "notes.txt": MAP,
    }
    for name, text in files.items():
        write(tmp_path / name, text)
    monkeypatch.chdir(tmp_path)  # pre-commit runs in the repository and names files relative to it
    assert find_maps(list(files)) == [Path(name) for name in files]  # by hand: every named file is checked
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert find_maps(list(files)) == [Path("maps", n) for n in ("good.yaml", "broken.yaml", "typo.yaml")]
    assert find_maps(["docker-compose.yml"]) == []  # nothing to check is not a usage error
