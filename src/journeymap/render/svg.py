"""render_svg: lay a journey out and draw it through the theme's templates."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from journeymap.layout import Layout, Text, compute_layout
from journeymap.model import Journey
from journeymap.render.theme import Theme, load_theme


def _used_text(layout: Layout) -> dict[int, str]:
    used: dict[int, set[str]] = {}
    for item in layout.items():
        if isinstance(item, Text):
            used.setdefault(item.weight, set()).update("".join(item.lines))
    return {w: "".join(sorted(chars)) for w, chars in used.items()}


def render_layout(layout: Layout, theme: Theme, *, embed_fonts: bool = True) -> str:
    from journeymap.render.fonts import font_face_css

    family = theme.tokens["fonts"]["family"]
    # The subset is generated from our own font file, never from user text as markup: safe to emit raw.
    face = Markup(font_face_css(_used_text(layout))) if embed_fonts else ""
    svg = theme.template().render(
        layout=layout,
        tokens=theme.tokens,
        font_family=", ".join(family),
        font_face=face,
    )
    return svg


def render_svg(journey: Journey, theme: str | Path | Theme = "default", *, embed_fonts: bool = True) -> str:
    """The journey as an SVG document: deterministic bytes for the same input and theme."""
    loaded = load_theme(theme)
    layout = compute_layout(journey, loaded)
    return render_layout(layout, loaded, embed_fonts=embed_fonts)
