"""Decks: many maps in one file, one map per page (PDF) or per slide (PPTX, see pptx_deck).

PDF pages are drawn with cairo directly: each map is rendered by cairosvg into a
recording surface and replayed, scaled to fit, under the map's title, so the
page stays vector with selectable text and the shipped font embedded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.model import Journey, Opportunity

if TYPE_CHECKING:
    from journeymap.batch.worker import Failure

# Landscape page sizes in points.
PAGES = {"slide": (960.0, 540.0), "a4": (841.89, 595.28), "letter": (792.0, 612.0)}
MARGIN = 28.0
TITLE_SIZE = 20.0
MIN_TITLE_SIZE = 10.0
FOOTER_SIZE = 8.0
FONT = "Inter"


@dataclass(frozen=True)
class DeckMap:
    journey: Journey
    svg: str  # rendered without embedded fonts: cairo reads the shipped font through fontconfig
    theme_dirs: tuple[Path, ...]


def _rating(opp: Opportunity) -> str:
    parts = [
        f"{label} {value}"
        for label, value in (("impact", opp.impact), ("effort", opp.effort), ("owner", opp.owner))
        if value
    ]
    return f" ({', '.join(parts)})" if parts else ""


def speaker_notes(journey: Journey) -> str:
    """Pain points and opportunities, step by step, for the presenter."""
    pains, opportunities = [], []
    for stage in journey.stages:
        for step in stage.steps:
            where = f"{stage.name} / {step.action}"
            pains += [f"- {pain} [{where}]" for pain in step.pains]
            opportunities += [f"- {opp.idea}{_rating(opp)} [{where}]" for opp in step.opportunities]
    lines = [journey.title]
    if journey.scenario:
        lines.append(journey.scenario)
    lines += [
        "",
        "Pain points:",
        *(pains or ["- none recorded"]),
        "",
        "Opportunities:",
        *(opportunities or ["- none recorded"]),
    ]
    return "\n".join(lines)


def _title_size(context, title: str, width: float) -> float:
    size = TITLE_SIZE
    context.set_font_size(size)
    measured = context.text_extents(title)[4]
    if measured > width:
        size = max(MIN_TITLE_SIZE, size * width / measured)
    return size


def _draw_page(context, item: DeckMap, number: int, total: int, page: tuple[float, float]) -> None:
    import cairocffi

    from journeymap.export.cairo_render import record_svg
    from journeymap.export.fetch import url_fetcher

    page_w, page_h = page
    context.set_source_rgb(1, 1, 1)
    context.paint()
    context.set_source_rgb(0.11, 0.13, 0.17)
    context.select_font_face(FONT, cairocffi.FONT_SLANT_NORMAL, cairocffi.FONT_WEIGHT_BOLD)
    size = _title_size(context, item.journey.title, page_w - 2 * MARGIN)
    context.set_font_size(size)
    context.move_to(MARGIN, MARGIN + size)
    context.show_text(item.journey.title)

    context.select_font_face(FONT, cairocffi.FONT_SLANT_NORMAL, cairocffi.FONT_WEIGHT_NORMAL)
    context.set_font_size(FOOTER_SIZE)
    label = f"{number} / {total}"
    context.set_source_rgb(0.42, 0.45, 0.5)
    context.move_to(page_w - MARGIN - context.text_extents(label)[4], page_h - MARGIN / 2)
    context.show_text(label)

    recording, map_w, map_h = record_svg(item.svg.encode("utf-8"), url_fetcher(item.theme_dirs))
    top = MARGIN + size + 12
    box_w, box_h = page_w - 2 * MARGIN, page_h - top - MARGIN
    scale = min(box_w / map_w, box_h / map_h)
    context.save()
    context.translate(MARGIN + (box_w - map_w * scale) / 2, top + (box_h - map_h * scale) / 2)
    context.scale(scale, scale)
    context.rectangle(0, 0, map_w, map_h)
    context.clip()
    context.set_source_surface(recording, 0, 0)
    context.paint()
    context.restore()


def pdf_deck(maps: list[DeckMap], page: str = "slide") -> bytes:
    """One landscape page per map, the map scaled to fit under its title; reproducible bytes."""
    import cairocffi

    from journeymap.export import pdf_date
    from journeymap.export.fonts import ensure_fontconfig

    if page not in PAGES:
        from journeymap.export.errors import ExportError

        raise ExportError(f"unknown page size {page!r}; choose from {', '.join(PAGES)}")
    ensure_fontconfig()
    from journeymap.export.cairo_render import warm_fonts

    for item in maps:
        warm_fonts(item.svg.encode("utf-8"))
    stamp = pdf_date()
    output = io.BytesIO()
    surface = cairocffi.PDFSurface(output, *PAGES[page])
    surface.set_metadata(cairocffi.PDF_METADATA_CREATE_DATE, stamp)
    surface.set_metadata(cairocffi.PDF_METADATA_MOD_DATE, stamp)
    context = cairocffi.Context(surface)
    for number, item in enumerate(maps, 1):
        _draw_page(context, item, number, len(maps), PAGES[page])
        context.show_page()
    surface.finish()
    return output.getvalue()


def make_deck(
    paths: list[Path], fmt: str, *, page: str = "slide", theme: str = "default"
) -> tuple[bytes, list[tuple[Path, Failure]]]:
    """The deck's bytes, or every map's failure (then the bytes are empty and nothing should be written)."""
    from journeymap.api import load
    from journeymap.batch.worker import failure_of
    from journeymap.render import render_svg
    from journeymap.render.theme import load_theme

    maps, failures = [], []
    for path in paths:
        try:
            journey = load(path)
            maps.append(DeckMap(journey, render_svg(journey, theme, embed_fonts=False), load_theme(theme).folders))
        except Exception as exc:  # every broken map is reported, not just the first
            failures.append((path, failure_of(exc)))
    if failures:
        return b"", failures
    try:
        if fmt == "pptx":
            from journeymap.export.pptx_deck import pptx_deck

            return pptx_deck(maps, page), []
        return pdf_deck(maps, page), []
    except Exception as exc:
        return b"", [(Path(f"deck.{fmt}"), failure_of(exc))]
