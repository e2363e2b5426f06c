"""journeymap deck: PDF pages and PPTX slides, one per map."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.export.deck import make_deck, speaker_notes

MAP = """\
journeymap: 1
title: {title}
scenario: Needs a new phone plan before a trip.
stages:
  - name: Compare
    steps:
      - action: Compares plans online
        emotion: 1
      - action: Calls the shop
        emotion: -2
        pains: [Waits twenty minutes on hold]
        opportunities:
          - idea: Call-back instead of hold music
            impact: high
            effort: low
            owner: Support
          - Publish roaming prices
"""


@pytest.fixture
def maps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.chdir(tmp_path)
    paths = []
    for name, title in (("one.yaml", "First journey"), ("two.yaml", "Second journey")):
        (tmp_path / name).write_text(MAP.format(title=title), encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def test_speaker_notes_list_pains_and_opportunities(maps: list[Path]) -> None:
    from journeymap.api import load

    assert speaker_notes(load(maps[0])) == (
        "First journey\n"
        "Needs a new phone plan before a trip.\n"
        "\n"
        "Pain points:\n"
        "- Waits twenty minutes on hold [Compare / Calls the shop]\n"
        "\n"
        "Opportunities:\n"
        "- Call-back instead of hold music (impact high, effort low, owner Support) [Compare / Calls the shop]\n"
        "- Publish roaming prices [Compare / Calls the shop]"
    )


@pytest.mark.parametrize(("page", "size"), [("slide", "960 540"), ("a4", "841.89 595.28"), ("letter", "792 612")])
def test_pdf_deck_has_one_landscape_page_per_map(maps: list[Path], page: str, size: str) -> None:
    data, failures = make_deck(maps, "pdf", page=page)
    assert failures == []
    assert re.findall(rb"/MediaBox \[ 0 0 ([0-9. ]+) \]", data) == [size.encode()] * 2
    fonts = set(re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", data))
    assert fonts and fonts <= {b"Inter-Regular", b"Inter-SemiBold"}
    assert b"/CreationDate (19700101000000Z)" in data
    assert make_deck(maps, "pdf", page=page)[0] == data


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (apt-get install poppler-utils)")
def test_pdf_deck_pages_carry_titles_in_order(maps: list[Path], tmp_path: Path) -> None:
    (tmp_path / "deck.pdf").write_bytes(make_deck(maps, "pdf")[0])
    pages = subprocess.run(
        ["pdftotext", str(tmp_path / "deck.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert pages[0].lstrip().startswith("First journey") and re.search(r"\b1 ?/ ?2\b", pages[0])
    assert pages[1].lstrip().startswith("Second journey") and re.search(r"\b2 ?/ ?2\b", pages[1])
    assert "Calls the shop" in pages[0]  # the map itself is vector text


def test_pptx_deck_slides_titles_images_and_notes(maps: list[Path]) -> None:
    from pptx import Presentation
    from pptx.util import Emu

    data, failures = make_deck(maps, "pptx", page="slide")
    assert failures == []
    deck = Presentation(io.BytesIO(data))
    assert (deck.slide_width, deck.slide_height) == (Emu(960 * 12700), Emu(540 * 12700))
    assert [s.shapes.title.text for s in deck.slides] == ["First journey", "Second journey"]
    for slide in deck.slides:
        picture = next(shape for shape in slide.shapes if shape.shape_type == 13)
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height
        pixels = Image.open(io.BytesIO(picture.image.blob)).size[0]
        assert pixels >= picture.width / 914400 * 150  # at least 150 dpi as placed on the slide
        assert "Waits twenty minutes on hold" in slide.notes_slide.notes_text_frame.text
    assert deck.core_properties.created.year == 1970


def test_pptx_deck_is_reproducible(maps: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    first = make_deck(maps, "pptx")[0]
    assert make_deck(maps, "pptx")[0] == first
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    core = zipfile.ZipFile(io.BytesIO(make_deck(maps, "pptx")[0])).read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core


def test_cli_writes_the_deck(maps: list[Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["deck", "two.yaml", "one.yaml", "*.yaml", "-o", "out/deck.pptx", "--page", "a4"])
    assert (result.exit_code, result.stdout) == (0, "wrote out/deck.pptx: 2 maps, a4 pages\n")
    from pptx import Presentation

    deck = Presentation(str(tmp_path / "out" / "deck.pptx"))
    assert [s.shapes.title.text for s in deck.slides] == ["Second journey", "First journey"]  # the order given


def test_cli_a_broken_map_writes_nothing(maps: list[Path], tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("journeymap: 1\ntitle: Bad\nstagse: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["deck", "one.yaml", "bad.yaml", "-o", "deck.pptx"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "bad.yaml:3:1: error[E103]: unknown key 'stagse' in the map; did you mean 'stages'?"
    )
    assert "bad.yaml:3:1: error[" in result.stderr
    assert result.stderr.endswith("1 of 2 maps failed; deck.pptx was not written\n")
    assert not (tmp_path / "deck.pptx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["one.yaml", "-o", "deck.png"], "error: --output must end in .pdf or .pptx, not 'deck.png'\n"),
        (["one.yaml", "-o", "deck.pdf", "--page", "a3"], "error: --page must be one of slide, a4, letter, not 'a3'\n"),
        (["nope.yaml", "-o", "deck.pdf"], "error: nope.yaml: no such file or folder\n"),
    ],
)
def test_cli_usage_errors(maps: list[Path], args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["deck", *args])
    assert (result.exit_code, result.stderr) == (2, message)


def _ink(image: Image.Image, mask: Image.Image | None = None) -> float:
    """Share of the (grey) image that is not near white."""
    return ImageStat.Stat(image.point(lambda v: 255 if v < 235 else 0), mask).mean[0] / 255


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (apt-get install libreoffice-impress)")
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed (apt-get install poppler-utils)")
def test_libreoffice_opens_the_pptx_and_shows_each_map(maps: list[Path], tmp_path: Path) -> None:
    from pptx import Presentation

    (tmp_path / "deck.pptx").write_bytes(make_deck(maps, "pptx")[0])
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "deck.pptx"),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    converted = (tmp_path / "lo" / "deck.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", converted)) == 2
    # Look at what LibreOffice drew: each page, rasterised, shows the map image where the slide places it,
    # and the title above it.
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", str(tmp_path / "lo" / "deck.pdf"), str(tmp_path / "page")],
                   check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    deck = Presentation(str(tmp_path / "deck.pptx"))
    assert len(pages) == len(deck.slides) == 2
    blur = ImageFilter.GaussianBlur(1.5)  # LibreOffice and Pillow resample differently
    for slide, page_file in zip(deck.slides, pages):
        page = Image.open(page_file).convert("L")
        picture = next(shape for shape in slide.shapes if shape.shape_type == 13)
        sx, sy = page.width / deck.slide_width, page.height / deck.slide_height
        box = (round(picture.left * sx), round(picture.top * sy),
               round((picture.left + picture.width) * sx), round((picture.top + picture.height) * sy))
        shown = page.crop(box)
        embedded = Image.open(io.BytesIO(picture.image.blob)).convert("RGBA")
        embedded = Image.alpha_composite(Image.new("RGBA", embedded.size, "white"), embedded)
        expected = embedded.convert("L").resize(shown.size, Image.LANCZOS)
        ink = expected.point(lambda v: 255 if v < 235 else 0)  # the map's lines, text and fills
        assert _ink(shown) > 0.5 * _ink(expected) > 0.005, f"{page_file.name}: the map's area is blank"
        # Where the map has ink, the page matches it: about 9 here; a blank area gives about 66, the map
        # drawn 8 px off about 25.
        difference = ImageStat.Stat(ImageChops.difference(shown.filter(blur), expected.filter(blur)), ink).mean[0]
        assert difference < 16, f"{page_file.name}: the map image differs from the one in the slide ({difference:.1f})"
        assert _ink(page.crop((0, 0, page.width, box[1]))) > 0.01, f"{page_file.name}: no title above the map"
