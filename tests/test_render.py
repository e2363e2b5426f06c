"""SVG output: structure, accessibility, escaping, fonts, determinism, and golden files.

Regenerate the golden files after an intended change with:

    JOURNEYMAP_UPDATE_GOLDEN=1 pytest tests/test_render.py
"""

from __future__ import annotations

import base64
import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeymap.api import load
from journeymap.layouts import Text, compute_layout
from journeymap.model import build_journey
from journeymap.render import render_svg
from journeymap.render.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SVG = "{http://www.w3.org/2000/svg}"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASES = [(p, "default") for p in EXAMPLES] + [(p, t) for p in EXAMPLES if p.stem == "saas-onboarding"
                                              for t in ("dark", "print")]
CASES += [(ROOT / "tests" / "maps" / "team-plan.yaml", t) for t in ("default", "dark", "print")]

HOSTILE = build_journey({
    "journeymap": 1, "title": "Plans </title><script>alert(1)</script>",
    "persona": {"name": "A & B", "quote": "]]> <!-- --> \"quoted\""},
    "stages": [{"name": "<b>Stage</b>", "steps": [
        {"action": "<script>alert('x')</script>", "emotion": 1, "pains": ["x < y & z"],
         "touchpoints": [{"channel": "web", "name": "{{ 7 * 7 }}"}]}]}],
})


def _same_as_golden(svg: str, name: str) -> None:
    golden = GOLDEN / f"{name}.svg"
    if os.environ.get("JOURNEYMAP_UPDATE_GOLDEN"):
        golden.write_text(svg, encoding="utf-8")
    assert golden.exists(), f"missing {golden.name}: run JOURNEYMAP_UPDATE_GOLDEN=1 pytest {__file__}"
    assert svg == golden.read_text(encoding="utf-8"), f"{golden.name} changed; if intended, regenerate the goldens"


@pytest.mark.parametrize("path, theme", CASES, ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_golden_svg(path, theme):
    _same_as_golden(render_svg(load(path), theme, embed_fonts=False), f"{path.stem}-{theme}")


CLINIC = ROOT / "examples" / "clinic-visit.yaml"
VIEWS = {  # golden name -> (map, theme, options of views.compute)
    "clinic-visit-blueprint-default": (CLINIC, "default", {"view": "blueprint"}),
    "clinic-visit-confidence-print": (CLINIC, "print", {"show": {"confidence"}}),
    "retail-purchase-summary-default": (ROOT / "examples" / "retail-purchase.yaml", "default", {"summary": True}),
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_golden_view_svg(name):
    from journeymap import views
    from journeymap.render.svg import render_layout

    path, theme, options = VIEWS[name]
    layout = views.compute(load(path), load_theme(theme), **options)
    _same_as_golden(render_layout(layout, load_theme(theme), embed_fonts=False), name)


def _parse(svg: str) -> ET.Element:
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    return ET.fromstring(svg.encode("utf-8"))


def test_svg_is_accessible_svg_1_1():
    root = _parse(render_svg(HOSTILE, embed_fonts=False))
    assert root.tag == f"{SVG}svg" and root.get("version") == "1.1" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "jm-title jm-desc"
    title, desc = list(root)[:2]
    assert title.tag == f"{SVG}title" and title.text == "Plans </title><script>alert(1)</script>"
    assert desc.tag == f"{SVG}desc" and desc.text.startswith("Customer journey map: 1 stage, 1 step; persona: A & B")
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.get("font-family").startswith("Inter, ")


def test_user_text_is_escaped_and_never_reaches_the_stylesheet():
    svg = render_svg(HOSTILE, embed_fonts=False)
    root = _parse(svg)
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", f"{SVG}b", "script")]
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "<script>alert('x')</script>" in texts and "x < y & z" in texts and "{{ 7 * 7 }}" in texts
    style = "".join(e.text or "" for e in root.iter(f"{SVG}style"))
    assert "script" not in style and "Stage" not in style and "&" not in style


def test_every_text_block_is_one_text_element_with_a_tspan_per_line():
    journey = load(ROOT / "tests" / "maps" / "team-plan.yaml")
    theme = load_theme("default")
    blocks = [i for i in compute_layout(journey, theme).items() if isinstance(i, Text)]
    root = _parse(render_svg(journey, theme, embed_fonts=False))
    elements = list(root.iter(f"{SVG}text"))
    assert len(elements) == len(blocks)
    assert [len(list(e)) for e in elements] == [len(b.lines) for b in blocks]  # drawn in layout (reading) order
    assert [[s.text for s in e] for e in elements] == [list(b.lines) for b in blocks]


def test_reading_order_is_header_stages_lanes_legend():
    root = _parse(render_svg(load(ROOT / "tests" / "maps" / "team-plan.yaml"), embed_fonts=False))
    ids = [g.get("id") for g in root.findall(f"{SVG}g")]
    assert ids == ["jm-grid", "jm-header", "jm-stages", "jm-lane-actions", "jm-lane-thoughts", "jm-lane-touchpoints",
                   "jm-lane-emotions", "jm-lane-pains", "jm-lane-opportunities", "jm-visibility", "jm-lane-backstage",
                   "jm-lane-metrics", "jm-legend"]


def test_ids_come_from_slugs_and_are_unique():
    svg = render_svg(load(ROOT / "tests" / "maps" / "team-plan.yaml"), embed_fonts=False)
    ids = re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    assert "jm-stage-discover" in ids and "jm-step-imports-a-spreadsheet" in ids


def test_numbers_are_formatted_stably():
    svg = render_svg(load(ROOT / "tests" / "maps" / "team-plan.yaml"), embed_fonts=False)
    numbers = re.findall(r'(?:x|y|width|height|r|cx|cy)="(-?[0-9.]+)"', svg)
    assert numbers and all(re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]?[1-9])?", n) for n in numbers)


def _font_faces(svg: str) -> list[tuple[str, bytes]]:
    return [(w, base64.b64decode(data)) for w, data in
            re.findall(r"font-weight:(\d+);font-style:normal;src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", svg)]


def test_embedded_font_is_a_deterministic_subset_of_the_glyphs_used():
    from fontTools.ttLib import TTFont

    svg = render_svg(HOSTILE)
    assert svg == render_svg(HOSTILE)
    faces = _font_faces(svg)
    assert [w for w, _ in faces] == ["400", "600"]
    regular = TTFont(io.BytesIO(faces[0][1]))
    assert regular.flavor == "woff"
    cmap = set(regular.getBestCmap())
    assert {ord(c) for c in "x<y&z"} <= cmap
    assert 0x3A9 not in cmap  # Latin text embeds the shipped Latin subset, not the whole font (Greek omega)
    assert "GPOS" not in regular  # no kerning: browsers draw the advances the layout measured


def test_no_embed_fonts_leaves_the_font_out():
    svg = render_svg(HOSTILE, embed_fonts=False)
    assert "@font-face" not in svg and _font_faces(svg) == []


def test_same_input_gives_the_same_bytes_in_another_process(tmp_path):
    import subprocess
    import sys

    path = ROOT / "tests" / "maps" / "team-plan.yaml"
    out = tmp_path / "a.svg"
    subprocess.run([sys.executable, "-m", "journeymap", "render", str(path), "-o", str(out)], check=True)
    assert out.read_text(encoding="utf-8") == render_svg(load(path))


def test_golden_diff_svg():
    from test_diff import _clinic_diff

    from journeymap.render.svg import render_layout

    _, layout = _clinic_diff()
    _same_as_golden(render_layout(layout, load_theme("default"), embed_fonts=False), "clinic-visit-diff-default")
