"""The hostile corpus (tests/hostile/): every file is refused or rendered safely, within bounds.

Each case runs `journeymap render` (a few also `build` and `deck`) in a subprocess that records
its own resource use, so a file that hangs or balloons is caught by an assertion, not by a stuck
CI job. The bounds are far above what a real map needs (about 1 s of CPU and 100 MB) and far below what an
alias bomb or a runaway template would take: see CPU_SECONDS and MAX_RSS_MB.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

HOSTILE = Path(__file__).parent / "hostile"
MAPS = HOSTILE / "maps"
THEMES = HOSTILE / "themes"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
MINIMAL = Path(__file__).parent.parent / "examples" / "minimal.yaml"

CPU_SECONDS = 15  # user + system CPU time of one run (`render`, `build` of several maps, `deck`)
MAX_RSS_MB = 512  # peak resident memory of that run
HARD_CPU_LIMIT = 60  # the kernel stops a run that gets this far, so a hang fails instead of blocking

# Runs the CLI in-process and writes its own peak memory and CPU time to $JM_RUSAGE, even on a crash.
_DRIVER = """
import json, os, resource, sys
from journeymap.cli import app
try:
    app(sys.argv[1:], prog_name="journeymap")
finally:
    r = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["JM_RUSAGE"], "w") as f:
        json.dump({"rss_mb": r.ru_maxrss / 1024, "cpu": r.ru_utime + r.ru_stime}, f)
"""


def _limit_cpu() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (HARD_CPU_LIMIT, HARD_CPU_LIMIT))


def run_cli(args: list[str], cwd: Path, tmp_path: Path) -> tuple[int, str, str]:
    """Run `journeymap ARGS`; assert the bounds, and that no traceback reached the user."""
    usage = tmp_path / f"rusage-{len(list(tmp_path.glob('rusage-*')))}.json"
    env = {**os.environ, "JM_RUSAGE": str(usage), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-c", _DRIVER, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          preexec_fn=_limit_cpu, timeout=HARD_CPU_LIMIT * 3)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode} (CPU limit?)\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    used = json.loads(usage.read_text())
    assert used["cpu"] < CPU_SECONDS, f"{args}: {used['cpu']:.1f} s of CPU (bound {CPU_SECONDS} s)"
    assert used["rss_mb"] < MAX_RSS_MB, f"{args}: {used['rss_mb']:.0f} MB peak memory (bound {MAX_RSS_MB} MB)"
    return proc.returncode, proc.stdout, proc.stderr


# --- what a safe SVG may contain ------------------------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"
# Every element our themes draw; anything else (script, foreignObject, image, use, a) came from input.
ELEMENTS = {"svg", "title", "desc", "style", "g", "rect", "text", "tspan", "path", "circle", "line"}


def assert_safe_svg(svg: str, shown: str) -> None:
    assert "<!DOCTYPE" not in svg and "<!ENTITY" not in svg and "<![CDATA[" not in svg
    root = ET.fromstring(svg.encode("utf-8"))  # well-formed
    for element in root.iter():
        assert element.tag.startswith(SVG_NS) and element.tag[len(SVG_NS):] in ELEMENTS, element.tag
        for name in element.attrib:
            assert "href" not in name and not name.lower().startswith("on"), (element.tag, name)
    style = "".join(e.text or "" for e in root.iter(SVG_NS + "style"))
    assert "@import" not in style
    # The embedded font, and references to the SVG's own patterns (url(#id)): nothing to fetch.
    assert all(url.startswith(("data:font/woff;", "#")) for url in re.findall(r"url\(\s*['\"]?([^)]*)", style))
    # The hostile text is shown as text, exactly (XML cannot hold control characters: they are dropped).
    shown_text = " ".join(" ".join("".join(e.itertext()) for e in root.iter(SVG_NS + t)) for t in ("title", "text"))
    assert shown in shown_text, shown


def _magic(fmt: str, data: bytes) -> bool:
    return data.startswith({"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<?xml"}[fmt])


# --- the corpus -----------------------------------------------------------------------------

def test_every_hostile_file_has_an_expected_outcome() -> None:
    assert sorted(p.name for p in MAPS.iterdir()) == sorted(EXPECTED["maps"])
    assert sorted(p.name for p in THEMES.iterdir()) == sorted(EXPECTED["themes"])


REFUSED_MAPS = [name for name, e in EXPECTED["maps"].items() if "refused" in e]
RENDERED_MAPS = [name for name, e in EXPECTED["maps"].items() if "renders" in e]


@pytest.mark.parametrize("name", REFUSED_MAPS)
def test_hostile_map_is_refused_with_a_positioned_diagnostic(name: str, tmp_path: Path) -> None:
    code, line, column, message = EXPECTED["maps"][name]["refused"]
    out = tmp_path / "out.svg"
    rc, _, err = run_cli(["render", name, "-o", str(out)], MAPS, tmp_path)
    assert rc == 1
    assert err.splitlines()[0] == f"{name}:{line}:{column}: error[{code}]: {message}"
    assert not out.exists()
    rc, stdout, _ = run_cli(["validate", name, "--format", "json"], MAPS, tmp_path)
    assert rc == 1 and json.loads(stdout)[0]["code"] == code


@pytest.mark.parametrize("name", RENDERED_MAPS)
def test_hostile_map_renders_safely(name: str, tmp_path: Path) -> None:
    shown = EXPECTED["maps"][name]["renders"]["text"]
    for fmt in ("svg", "png", "pdf"):
        out = tmp_path / f"out.{fmt}"
        rc, _, err = run_cli(["render", name, "-o", str(out)], MAPS, tmp_path)
        assert (rc, err) == (0, "")
        assert _magic(fmt, out.read_bytes())
    svg = (tmp_path / "out.svg").read_text(encoding="utf-8")
    assert_safe_svg(svg, shown)
    assert "root:" not in svg  # nothing from /etc/passwd


def test_icons_named_by_paths_draw_the_generic_icon(tmp_path: Path) -> None:
    from journeymap.api import render_svg
    from journeymap.render.icons import ICONS

    svg = render_svg(MAPS / "icon-traversal.yaml", embed_fonts=False)
    assert svg.count(f'd="{ICONS["generic"]}"') >= 4
    assert "passwd" not in svg and "169.254" not in svg


@pytest.mark.parametrize("name", sorted(EXPECTED["themes"]))
def test_hostile_theme_is_refused(name: str, tmp_path: Path) -> None:
    code, file, line, message = EXPECTED["themes"][name]["refused"]
    out = tmp_path / "out.svg"
    rc, _, err = run_cli(["render", str(MINIMAL), "-o", str(out), "--theme", str(THEMES / name)], tmp_path, tmp_path)
    assert rc == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{THEMES / name / file}:{line}:"), first
    assert first.endswith(f" error[{code}]: {message}"), first
    assert not out.exists()


# --- files made at test time ----------------------------------------------------------------

def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    head = MINIMAL.read_bytes()
    with big.open("wb") as f:  # a valid map padded with comment lines to exactly 100 MB
        f.write(head)
        line = b"# " + b"x" * 1021 + b"\n"
        for _ in range(100 * 1024 - 1):
            f.write(line)
        f.write(b"#" * (100 * 1024 * 1024 - f.tell() - 1) + b"\n")
    assert big.stat().st_size == 100 * 1024 * 1024
    rc, _, err = run_cli(["render", "big.yaml", "-o", "out.svg"], tmp_path, tmp_path)
    assert rc == 1
    assert err.splitlines()[0] == "big.yaml:1:1: error[E002]: the file is too large (100 MB; the limit is 10 MB)"
    rc, out, _ = run_cli(["validate", "big.yaml"], tmp_path, tmp_path)
    assert rc == 1 and "error[E002]" in out


def _one_mb_string_map(path: Path) -> None:
    path.write_text("journeymap: 1\ntitle: One long word\nstages:\n  - name: Order\n    steps:\n"
                    f"      - action: {'x' * 1024 * 1024}\n", encoding="utf-8")


def test_a_1_mb_single_string(tmp_path: Path) -> None:
    _one_mb_string_map(tmp_path / "long.yaml")
    rc, _, err = run_cli(["render", "long.yaml", "-o", "out.svg", "--no-embed-fonts"], tmp_path, tmp_path)
    assert (rc, err) == (0, "")
    ET.parse(tmp_path / "out.svg")
    # About 150,000 px tall: too large for either format, refused before anything is drawn (cairosvg
    # would spend about a minute measuring the million characters for a PDF nobody could open).
    for fmt, what in (("png", "PNG would be 1184x149903 pixels"), ("pdf", "PDF page would be 1184x149903 px")):
        rc, _, err = run_cli(["render", "long.yaml", "-o", f"out.{fmt}"], tmp_path, tmp_path)
        assert rc == 1
        assert re.fullmatch(rf"journeymap render: cannot export 'out.{fmt}': the {what}, over the limit of 32767 "
                            r"per side.*; use a smaller scale.*\n", err), err
        assert not (tmp_path / f"out.{fmt}").exists()


def _theme(folder: Path, template: str = "{% include 'part.svg.j2' %}\n") -> Path:
    folder.mkdir()
    (folder / "theme.yaml").write_text(f"name: {folder.name}\n", encoding="utf-8")
    (folder / "map.svg.j2").write_text(template, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", ["template", "theme.yaml", "folder", "relative"])
def test_symlinks_out_of_a_theme_are_refused(case: str, tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.svg.j2"
    secret.parent.mkdir()
    secret.write_text("<svg>TOP-SECRET {{ layout.title }}</svg>\n", encoding="utf-8")
    theme = _theme(tmp_path / "evil")
    if case == "template":
        (theme / "part.svg.j2").symlink_to(secret)
    elif case == "relative":
        (theme / "part.svg.j2").symlink_to(Path("..") / "outside" / "secret.svg.j2")
    elif case == "folder":
        (theme / "map.svg.j2").write_text("{% include 'sub/secret.svg.j2' %}\n", encoding="utf-8")
        (theme / "sub").symlink_to(secret.parent, target_is_directory=True)
    else:
        (theme / "theme.yaml").unlink()
        (theme / "theme.yaml").symlink_to(secret)
    rc, stdout, err = run_cli(["render", str(MINIMAL), "-o", "-", "--theme", str(theme)], tmp_path, tmp_path)
    assert rc == 1 and "TOP-SECRET" not in stdout + err
    first = err.splitlines()[0]
    if case == "theme.yaml":
        assert first == f"{theme / 'theme.yaml'}:1:1: error[T002]: theme.yaml is a link to a file outside the theme folder"
    else:
        template = "sub/secret.svg.j2" if case == "folder" else "part.svg.j2"
        assert first == f"{theme / 'map.svg.j2'}:1:1: error[T004]: template not found: {template}"


def test_a_symlink_inside_the_theme_still_works(tmp_path: Path) -> None:
    # The check is about leaving the folder, not about links: a link to a sibling template is fine.
    theme = _theme(tmp_path / "ok")
    (theme / "real.svg.j2").write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>{{ layout.title }}</title></svg>\n',
                                       encoding="utf-8")
    (theme / "part.svg.j2").symlink_to("real.svg.j2")
    rc, stdout, err = run_cli(["render", str(MINIMAL), "-o", "-", "--theme", str(theme)], tmp_path, tmp_path)
    assert (rc, err) == (0, "")
    assert "<title>Ordering a coffee</title>" in stdout


# --- build and deck -------------------------------------------------------------------------

# A few of the worst: alias bombs and deep nesting (refused), markup and a huge scale (drawn), and a 1 MB
# word (drawn as SVG; too large for PNG and PDF pages, shrunk to fit a deck's page).
BATCH_REFUSED = ["billion-laughs.yaml", "too-many-aliases.yaml", "deep-nesting-mapping.yaml"]
BATCH_RENDERED = ["markup-and-urls.yaml", "huge-emotion-scale.yaml"]


@pytest.fixture
def batch_maps(tmp_path: Path) -> Path:
    maps = tmp_path / "maps"
    maps.mkdir()
    for name in BATCH_REFUSED + BATCH_RENDERED:
        (maps / name).write_bytes((MAPS / name).read_bytes())
    _one_mb_string_map(maps / "long.yaml")
    return maps


def test_build_of_hostile_maps_stays_within_the_bounds(batch_maps: Path, tmp_path: Path) -> None:
    # One job: the maps are drawn in the measured process itself, not in pool workers it does not count.
    rc, _, err = run_cli(["build", "maps", "-o", "out", "-f", "svg,png,pdf", "-j", "1"], tmp_path, tmp_path)
    assert rc == 1
    for name in BATCH_REFUSED:
        code, line, column, message = EXPECTED["maps"][name]["refused"]
        assert f"maps/{name}:{line}:{column}: error[{code}]: {message}" in err
    out = tmp_path / "out"
    for name in BATCH_RENDERED:
        for fmt in ("svg", "png", "pdf"):
            assert _magic(fmt, (out / name).with_suffix(f".{fmt}").read_bytes())
        assert_safe_svg((out / name).with_suffix(".svg").read_text(encoding="utf-8"),
                        EXPECTED["maps"][name]["renders"]["text"])
    assert _magic("svg", (out / "long.svg").read_bytes())
    assert "maps/long.yaml (out/long.png): error: the PNG would be 1184x149903 pixels, over the limit" in err
    assert "maps/long.yaml (out/long.pdf): error: the PDF page would be 1184x149903 px, over the limit" in err
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".journeymap-build.json", "long.svg"] + [f"{Path(n).stem}.{f}" for n in BATCH_RENDERED for f in ("svg", "png", "pdf")]
    )


def test_deck_of_hostile_maps_stays_within_the_bounds(batch_maps: Path, tmp_path: Path) -> None:
    rc, _, err = run_cli(["deck", "maps", "-o", "deck.pdf"], tmp_path, tmp_path)
    assert rc == 1 and not (tmp_path / "deck.pdf").exists()
    for name in BATCH_REFUSED:
        code, line, column, _ = EXPECTED["maps"][name]["refused"]
        assert f"maps/{name}:{line}:{column}: error[{code}]" in err
    assert err.endswith(f"{len(BATCH_REFUSED)} of {len(BATCH_REFUSED) + len(BATCH_RENDERED) + 1} maps failed; "
                        "deck.pdf was not written\n")
    drawn = [f"maps/{name}" for name in BATCH_RENDERED] + ["maps/long.yaml"]
    for deck in ("deck.pdf", "deck.pptx"):
        rc, stdout, err = run_cli(["deck", *drawn, "-o", deck], tmp_path, tmp_path)
        assert (rc, err) == (0, "") and stdout == f"wrote {deck}: 3 maps, slide pages\n"
    assert _magic("pdf", (tmp_path / "deck.pdf").read_bytes())
    assert (tmp_path / "deck.pptx").read_bytes().startswith(b"PK")
