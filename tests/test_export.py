"""PNG/PDF export: shipped font, restricted resources, caps, reproducible bytes."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from PIL import Image

from journeymap.export import MAX_SIDE, ExportError, convert, pdf_date
from journeymap.resources import FONTS_DIR

SAMPLE = "Hamburgefonstiv Quiz"
SIZE = 40


def text_svg(family: str = "Inter, sans-serif", weight: str = "400", extra: str = "") -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="600" height="80" viewBox="0 0 600 80">'
        f'<text x="20" y="55" font-family="{family}" font-weight="{weight}" font-size="{SIZE}">{SAMPLE}</text>'
        f"{extra}</svg>"
    )


def ink_columns(png: bytes) -> tuple[int, int]:
    """Leftmost and rightmost columns holding any ink (alpha > 0)."""
    alpha = Image.open(io.BytesIO(png)).getchannel("A")
    left, _, right, _ = alpha.getbbox()
    return left, right


def expected_ink(font_file: str) -> tuple[float, float]:
    """Where Inter's glyphs put ink for SAMPLE at x=20 (cairo's toy text API does no kerning)."""
    font = TTFont(FONTS_DIR / font_file)
    cmap, glyphs, hmtx = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
    per_unit = SIZE / font["head"].unitsPerEm
    names = [cmap[ord(ch)] for ch in SAMPLE]
    x, left, right = 0.0, None, 0.0
    for name in names:
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds:
            left = x + pen.bounds[0] if left is None else left
            right = x + pen.bounds[2]
        x += hmtx[name][0]
    return 20 + left * per_unit, 20 + right * per_unit


@pytest.mark.parametrize(("weight", "font_file"), [("400", "Inter-Regular.otf"), ("600", "Inter-SemiBold.otf")])
def test_png_text_is_drawn_in_the_shipped_inter(weight: str, font_file: str) -> None:
    left, right = ink_columns(convert(text_svg(weight=weight), "png"))
    want_left, want_right = expected_ink(font_file)
    assert abs(left - want_left) <= 1.5
    assert abs(right - want_right) <= 1.5


def test_any_family_falls_back_to_inter_not_to_a_system_font() -> None:
    # Only the shipped fonts are visible: a fresh machine and this one draw the same glyphs.
    assert convert(text_svg(family="DejaVu Sans"), "png") == convert(text_svg(), "png")


def test_without_the_private_fontconfig_the_width_differs() -> None:
    # Guards the font test above: a renderer that is not pointed at Inter draws another width.
    code = textwrap.dedent(
        f"""
        import io, sys, cairosvg
        from PIL import Image
        png = cairosvg.svg2png(bytestring={text_svg()!r}.encode())
        print(Image.open(io.BytesIO(png)).getchannel("A").getbbox()[2])
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    _, want_right = expected_ink("Inter-Regular.otf")
    assert abs(int(out.stdout) - want_right) > 5


def test_pdf_embeds_inter_with_selectable_text() -> None:
    pdf = convert(text_svg() + "", "pdf")
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"/BaseFont /[A-Z]{6}\+Inter-Regular", pdf)
    assert b"/FontFile3" in pdf and b"/ToUnicode" in pdf
    assert b"DejaVu" not in pdf


def test_same_input_gives_identical_bytes() -> None:
    svg = text_svg(weight="600")
    assert convert(svg, "png") == convert(svg, "png")
    assert convert(svg, "pdf") == convert(svg, "pdf")


def test_pdf_dates_are_pinned_and_honour_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert b"/CreationDate (19700101000000Z)" in convert(text_svg(), "pdf")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = convert(text_svg(), "pdf")
    assert b"/CreationDate (20231114221320Z)" in pdf and b"/ModDate (20231114221320Z)" in pdf


def test_malformed_source_date_epoch_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(
        ExportError, match=r"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not 'yesterday'"
    ):
        pdf_date()


def test_reproducible_across_processes(tmp_path: Path) -> None:
    code = (
        "import sys; from journeymap.export import convert; sys.stdout.buffer.write(convert(sys.stdin.read(), 'pdf'))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], input=text_svg().encode(), capture_output=True, check=True).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] == convert(text_svg(), "pdf")


# --- size, scale, dpi, width, background -------------------------------------------------------


def png_size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_scale_dpi_and_width_set_the_pixel_size() -> None:
    svg = text_svg()
    assert png_size(convert(svg, "png")) == (600, 80)
    assert png_size(convert(svg, "png", scale=2)) == (1200, 160)
    assert png_size(convert(svg, "png", dpi=192)) == (1200, 160)
    assert png_size(convert(svg, "png", width=300, scale=3)) == (300, 40)


def test_dpi_is_recorded_in_the_png() -> None:
    image = Image.open(io.BytesIO(convert(text_svg(), "png", dpi=300)))
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.1)
    image.load()  # the inserted chunk keeps the file valid (CRC checked on load)


def test_pdf_page_follows_scale() -> None:
    pdf = convert(text_svg(), "pdf", scale=2)
    assert re.search(rb"/MediaBox \[ 0 0 900 120 \]", pdf)  # 600x80 px at 96 dpi = 450x60 pt, doubled
    assert convert(text_svg(), "pdf", dpi=300) == convert(text_svg(), "pdf")  # a vector page has no resolution


def test_background_fills_transparent_areas() -> None:
    clear = Image.open(io.BytesIO(convert(text_svg(), "png"))).convert("RGBA")
    white = Image.open(io.BytesIO(convert(text_svg(), "png", background="white"))).convert("RGBA")
    navy = Image.open(io.BytesIO(convert(text_svg(), "png", background="#000080"))).convert("RGBA")
    assert clear.getpixel((0, 0))[3] == 0
    assert white.getpixel((0, 0)) == (255, 255, 255, 255)
    assert navy.getpixel((0, 0)) == (0, 0, 128, 255)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"scale": 11}, "scale must be a number above 0 and at most 10, not 11"),
        ({"scale": 0}, "scale must be a number above 0 and at most 10, not 0"),
        ({"scale": float("nan")}, "scale must be a number above 0"),
        ({"dpi": -5}, "dpi must be a number above 0 and at most 2400, not -5"),
        ({"width": 0}, "width must be a whole number of pixels from 1 to 32767, not 0"),
        ({"width": 40000}, "width must be a whole number of pixels from 1 to 32767, not 40000"),
        ({"background": "blurple"}, "background 'blurple' is not a colour; use a name (white) or #rrggbb"),
    ],
)
def test_bad_options_are_clear_errors(options: dict, message: str) -> None:
    with pytest.raises(ExportError, match=re.escape(message)):
        convert(text_svg(), "png", **options)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ExportError, match=r"unknown export format 'gif'; expected one of: png, pdf"):
        convert(text_svg(), "gif")  # type: ignore[arg-type]


def test_output_size_is_capped_before_rendering() -> None:
    huge = '<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="9000"><rect width="1" height="1"/></svg>'
    with pytest.raises(ExportError, match=r"the PNG would be 20000x9000 pixels, over the limit of 32767 per side"):
        convert(huge, "png")
    wide = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20000 100"><rect width="1" height="1"/></svg>'
    with pytest.raises(ExportError, match=rf"the PNG would be 40000x200 pixels, over the limit of {MAX_SIDE}"):
        convert(wide, "png", scale=2)
    assert png_size(convert(wide, "png", width=2000)) == (2000, 10)


def test_not_an_svg_is_a_clear_error() -> None:
    with pytest.raises(ExportError, match="not an SVG document: no <svg> element"):
        convert("hello", "png")
    with pytest.raises(ExportError, match=r"could not draw the SVG as PDF: ParseError"):
        convert('<svg width="10" height="10"><rect></svg>', "pdf")


# --- what cairosvg may read ----------------------------------------------------------------------


def tiny_png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, "PNG")
    return buffer.getvalue()


def image_svg(href: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="8" height="8">'
        f'<image x="0" y="0" width="8" height="8" xlink:href="{href}"/></svg>'
    )


def centre(png: bytes) -> tuple[int, ...]:
    return Image.open(io.BytesIO(png)).convert("RGBA").getpixel((4, 4))


def test_data_urls_are_allowed() -> None:
    href = "data:image/png;base64," + base64.b64encode(tiny_png((255, 0, 0))).decode()
    assert centre(convert(image_svg(href), "png")) == (255, 0, 0, 255)


def test_files_inside_the_theme_folder_are_allowed(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "icons").mkdir(parents=True)
    (theme / "icons" / "dot.png").write_bytes(tiny_png((0, 0, 255)))
    png = convert(image_svg((theme / "icons" / "dot.png").as_uri()), "png", theme_dirs=(theme,))
    assert centre(png) == (0, 0, 255, 255)


@pytest.mark.parametrize(
    "href", ["file:///etc/passwd", "https://example.com/x.png", "http://127.0.0.1:9/x.png", "ftp://h/x"]
)
def test_other_urls_are_refused(href: str, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=re.escape(f"refused to read '{href}' while exporting: only data: URLs")):
        convert(image_svg(href), "png", theme_dirs=(tmp_path,))


def test_relative_hrefs_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.png").write_bytes(tiny_png((1, 2, 3)))
    with pytest.raises(ExportError, match=r"refused to read 'file://.*secret.png'.*\(theme folders: none\)"):
        convert(image_svg("secret.png"), "png")


def test_symlinks_out_of_the_theme_folder_are_refused(tmp_path: Path) -> None:
    theme, outside = tmp_path / "theme", tmp_path / "outside.png"
    theme.mkdir()
    outside.write_bytes(tiny_png((0, 255, 0)))
    (theme / "link.png").symlink_to(outside)
    with pytest.raises(ExportError, match=r"refused to read 'file://.*link.png'"):
        convert(image_svg((theme / "link.png").as_uri()), "png", theme_dirs=(theme,))
    with pytest.raises(ExportError, match=r"refused to read 'file://.*theme/\.\./outside.png'"):
        convert(image_svg(theme.as_uri() + "/../outside.png"), "png", theme_dirs=(theme,))


def test_xml_entities_are_not_expanded() -> None:
    svg = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + text_svg().replace(
        SAMPLE, "&x;"
    )
    with pytest.raises(ExportError, match="could not draw the SVG as PNG"):
        convert(svg, "png")


def test_png_bytes_do_not_depend_on_what_was_drawn_before() -> None:
    # cairo keeps the font options of the first surface that resolved a font; a PDF drawn first
    # must not change the antialiasing of later PNGs.
    code = (
        "import sys; from journeymap.export import convert; svg = sys.stdin.read()\n"
        "if sys.argv[1] == 'pdf-first': convert(svg, 'pdf')\n"
        "sys.stdout.buffer.write(convert(svg, 'png'))"
    )
    svg = text_svg(weight="600").encode()
    runs = [
        subprocess.run([sys.executable, "-c", code, order], input=svg, capture_output=True, check=True).stdout
        for order in ("pdf-first", "png-only")
    ]
    assert runs[0] == runs[1]


def test_private_font_folder_is_shared_only_when_it_is_ours_and_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.export import fonts

    monkeypatch.setattr(fonts.tempfile, "tempdir", str(tmp_path))
    first = fonts._private_folder()
    assert first.parent == tmp_path and first.name.startswith(f"journeymap-fonts-{os.getuid()}-")
    assert fonts._private_folder() == first  # reused: worker processes do not leave one folder each
    first.chmod(0o777)  # someone else could have planted a fonts.conf here
    second = fonts._private_folder()
    assert second != first and second.parent == tmp_path and (second.stat().st_mode & 0o777) == 0o700


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (apt-get install poppler-utils)")
def test_pdf_text_can_be_selected_and_copied(tmp_path: Path) -> None:
    (tmp_path / "t.pdf").write_bytes(convert(text_svg(), "pdf"))
    out = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == SAMPLE
