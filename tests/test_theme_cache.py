"""Compiled templates are reused between runs, and never once their source changes."""

from __future__ import annotations

import os
from pathlib import Path

from journeymap.model import build_journey
from journeymap.render import render_svg
from journeymap.render.theme import _bytecode_cache, load_theme

MAP = build_journey({"journeymap": 1, "title": "T", "stages": [{"name": "S", "steps": [{"action": "A"}]}]})


def test_an_edited_template_is_recompiled(tmp_path: Path) -> None:
    assert _bytecode_cache() is not None  # this machine has a private cache folder
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text("name: brand\n", encoding="utf-8")
    template = folder / "map.svg.j2"
    template.write_text("<svg>{{ layout.title }} one</svg>\n", encoding="utf-8")
    assert render_svg(MAP, load_theme(folder)) == "<svg>T one</svg>\n"
    assert render_svg(MAP, load_theme(folder)) == "<svg>T one</svg>\n"  # now from the cache
    template.write_text("<svg>{{ layout.title }} two</svg>\n", encoding="utf-8")
    os.utime(template, ns=(0, template.stat().st_mtime_ns + 10**9))  # a new stamp even on a coarse clock
    assert render_svg(MAP, load_theme(folder)) == "<svg>T two</svg>\n"


def test_a_user_template_with_a_syntax_error_is_still_reported(tmp_path: Path) -> None:
    import pytest

    from journeymap.render.theme import ThemeError

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "theme.yaml").write_text("name: broken\n", encoding="utf-8")
    (folder / "extra.svg.j2").write_text("{% if %}\n", encoding="utf-8")
    with pytest.raises(ThemeError) as err:
        load_theme(folder)
    [d] = err.value.diagnostics
    assert (d.file, d.line, d.code) == (str(folder / "extra.svg.j2"), 1, "T003")
