"""`journeymap render`: formats, stdout, exit codes, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

MAP = Path(__file__).parent / "maps" / "team-plan.yaml"


def run(*args: str):
    return CliRunner().invoke(app, ["render", *args])


def test_renders_svg_to_a_file(tmp_path):
    out = tmp_path / "map.svg"
    result = run(str(MAP), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "@font-face" in text
    assert [p.name for p in tmp_path.iterdir()] == ["map.svg"]  # no temporary file left behind


def test_svg_to_stdout_without_fonts():
    result = run(str(MAP), "-o", "-", "--no-embed-fonts", "--theme", "dark")
    assert result.exit_code == 0
    assert result.stdout.startswith("<?xml") and "@font-face" not in result.stdout
    assert "<title id=\"jm-title\">Buying a team plan</title>" in result.stdout


@pytest.mark.parametrize("name, magic", [("map.png", b"\x89PNG"), ("map.pdf", b"%PDF")])
def test_png_and_pdf_from_the_extension(tmp_path, name, magic):
    out = tmp_path / name
    result = run(str(MAP), "-o", str(out), "--theme", "print")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_format_option_wins_over_the_extension(tmp_path):
    out = tmp_path / "map.out"
    assert run(str(MAP), "-o", str(out), "--format", "svg").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")


def test_unknown_extension_is_a_usage_error(tmp_path):
    result = run(str(MAP), "-o", str(tmp_path / "map.gif"))
    assert result.exit_code == 2
    assert "cannot tell the format of" in result.output


def test_png_to_stdout_is_a_usage_error():
    result = run(str(MAP), "-o", "-", "--format", "png")
    assert result.exit_code == 2


def test_invalid_map_exits_1_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("journeymap: 1\ntitle: T\nstages: []\n", encoding="utf-8")
    out = tmp_path / "bad.svg"
    result = run(str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.output
    assert not out.exists()


def test_unknown_theme_exits_1(tmp_path):
    result = run(str(MAP), "-o", str(tmp_path / "m.svg"), "--theme", "neon")
    assert result.exit_code == 1
    assert "unknown theme 'neon'" in result.output


def test_unwritable_output_exits_1(tmp_path):
    result = run(str(MAP), "-o", str(tmp_path / "missing-dir" / "m.svg"))
    assert result.exit_code == 1
    assert "cannot write" in result.output


def test_an_existing_file_is_replaced_whole(tmp_path):
    out = tmp_path / "m.svg"
    out.write_text("old", encoding="utf-8")
    assert run(str(MAP), "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize("option, value", [("--scale", "0"), ("--dpi", "-3"), ("--width", "0"), ("--scale", "x")])
def test_out_of_range_export_options_are_usage_errors(tmp_path, option, value):
    result = run(str(MAP), "-o", str(tmp_path / "m.png"), option, value)
    assert result.exit_code == 2
    assert not (tmp_path / "m.png").exists()


def test_png_width_option_sets_the_pixel_width(tmp_path):
    import struct

    out = tmp_path / "m.png"
    assert run(str(MAP), "-o", str(out), "--width", "600", "--background", "white").exit_code == 0
    assert struct.unpack(">I", out.read_bytes()[16:20])[0] == 600


def test_html_from_the_extension_is_the_interactive_page(tmp_path):
    from journeymap.html import render_html
    from journeymap.validation import compile_journey

    out = tmp_path / "map.html"
    result = run(str(MAP), "-o", str(out), "--theme", "dark")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_html(compile_journey(MAP), "dark")
