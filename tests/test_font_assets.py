"""The font data shipped beside Inter: metric tables and Latin subsets match the fonts they come from."""

from __future__ import annotations

import base64
import io
import json

import pytest
from fontTools.ttLib import TTFont

from journeymap.layouts.text import FONT_FILES, font_metrics, metrics, metrics_path
from journeymap.render.fonts import (
    LATIN,
    font_face_css,
    latin_path,
    subset_woff,
    woff_for,
)

REGENERATE = "out of date: run `python -m journeymap.render.fonts`"


@pytest.mark.parametrize("weight", sorted(FONT_FILES))
def test_shipped_metrics_are_the_fonts(weight: int) -> None:
    assert json.loads(metrics_path(weight).read_text(encoding="utf-8")) == font_metrics(weight), REGENERATE
    m = metrics(weight)
    font = TTFont(metrics_path(weight).with_name(FONT_FILES[weight]), lazy=True)
    upm = font["head"].unitsPerEm
    assert m.advances[ord("W")] == font["hmtx"][font.getBestCmap()[ord("W")]][0] / upm
    assert m.ascent == font["hhea"].ascent / upm and m.descent == -font["hhea"].descent / upm


@pytest.mark.parametrize("weight", sorted(FONT_FILES))
def test_shipped_latin_subset_is_deterministic_and_complete(weight: int) -> None:
    shipped = latin_path(weight).read_bytes()
    assert shipped == subset_woff(weight, "".join(map(chr, sorted(LATIN)))), REGENERATE
    font = TTFont(io.BytesIO(shipped))
    assert font.flavor == "woff"
    assert set(font.getBestCmap()) == {cp for cp in LATIN if cp in metrics(weight).advances}
    assert not {"GPOS", "GSUB", "GDEF"} & set(font.keys())  # no kerning: browsers draw the measured advances
    assert "SIL Open Font License" in str(font["name"].getDebugName(13))


def test_latin_text_embeds_the_shipped_subset() -> None:
    assert woff_for(400, "Café — “naïve” façade, 5 € → Łódź") == latin_path(400).read_bytes()
    # Characters Inter does not have (CJK, emoji) fall back to other fonts: they do not need a subset.
    assert woff_for(600, "Hello 你好 🙂") == latin_path(600).read_bytes()


def test_other_scripts_embed_a_subset_of_the_glyphs_used() -> None:
    data = woff_for(400, "Ωmega Жук")
    assert data != latin_path(400).read_bytes()
    cmap = set(TTFont(io.BytesIO(data)).getBestCmap())
    assert {ord(c) for c in "ΩmegaЖук "} <= cmap and ord("Q") not in cmap


def test_font_face_rule_per_weight() -> None:
    css = font_face_css({600: "Title", 400: "body Ω"})
    regular, semibold = css.split("\n")
    assert semibold.startswith("@font-face{font-family:Inter;font-weight:600;")
    assert base64.b64encode(latin_path(600).read_bytes()).decode() in semibold
    assert "font-weight:400" in regular and base64.b64encode(woff_for(400, " bdoyΩ")).decode() in regular
    assert font_face_css({400: ""}) == ""


def test_the_layouts_own_symbols_are_in_the_latin_set() -> None:
    # Moment of truth, alternative path, drop-out, thought quotes, negative scores, summary dash, owner dot.
    assert all(ord(ch) in LATIN for ch in "\u2605\u21b3\u00d7\u201c\u201d\u2212\u2014\u00b7")
