"""PPTX decks with python-pptx: one slide per map, the map as a high-resolution PNG.

Each slide has its title in the title placeholder (so outlines and accessibility
tools see it) and the map's pain points and opportunities in the speaker notes.
The file is reproducible: fixed document dates and zip entry times.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import datetime

from journeymap.export.deck import MARGIN, PAGES, DeckMap, speaker_notes

EMU_PER_PT = 12_700
TITLE_ONLY = 5  # layout index in python-pptx's default template
TARGET_DPI = 200  # pixels per inch of slide at which the map is embedded, when the pixel caps allow


def _png_scale(svg_w: float, svg_h: float, shown_w_pt: float) -> float:
    from journeymap.export import MAX_PIXELS, MAX_SCALE, MAX_SIDE

    wanted = shown_w_pt / 72 * TARGET_DPI / svg_w
    fits = min(math.sqrt(MAX_PIXELS / (svg_w * svg_h)), MAX_SIDE / max(svg_w, svg_h)) * 0.999
    return max(min(wanted, fits, MAX_SCALE), min(1.0, fits))


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with a fixed timestamp on every entry (zipfile stamps the current time)."""
    stamp = (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def pptx_deck(maps: list[DeckMap], page: str = "slide") -> bytes:
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Pt

    from journeymap.export import convert, pdf_date
    from journeymap.export.errors import ExportError
    from journeymap.export.svgsize import svg_size

    if page not in PAGES:
        raise ExportError(f"unknown page size {page!r}; choose from {', '.join(PAGES)}")
    page_w, page_h = PAGES[page]
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(round(page_w * EMU_PER_PT)), Emu(round(page_h * EMU_PER_PT))
    title_h = 48.0
    for item in maps:
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
        title = slide.shapes.title
        title.left, title.top = Emu(round(MARGIN * EMU_PER_PT)), Emu(round(MARGIN / 2 * EMU_PER_PT))
        title.width, title.height = Emu(round((page_w - 2 * MARGIN) * EMU_PER_PT)), Emu(round(title_h * EMU_PER_PT))
        title.text = item.journey.title
        # No font name: the deck's theme font, which every viewer has (the shipped font is in the image).
        for paragraph in title.text_frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size, run.font.bold = Pt(24), True

        svg_w, svg_h = svg_size(item.svg)
        box_w, box_h = page_w - 2 * MARGIN, page_h - MARGIN / 2 - title_h - MARGIN
        fit = min(box_w / svg_w, box_h / svg_h)
        shown_w, shown_h = svg_w * fit, svg_h * fit
        png = convert(item.svg, "png", theme_dirs=item.theme_dirs, scale=_png_scale(svg_w, svg_h, shown_w))
        left = MARGIN + (box_w - shown_w) / 2
        top = MARGIN / 2 + title_h + (box_h - shown_h) / 2
        picture = slide.shapes.add_picture(
            io.BytesIO(png),
            Emu(round(left * EMU_PER_PT)),
            Emu(round(top * EMU_PER_PT)),
            Emu(round(shown_w * EMU_PER_PT)),
            Emu(round(shown_h * EMU_PER_PT)),
        )
        picture.name = "Journey map"
        picture._element.nvPicPr.cNvPr.set("descr", f"Customer journey map: {item.journey.title}")
        slide.notes_slide.notes_text_frame.text = speaker_notes(item.journey)

    when = datetime.strptime(pdf_date(), "%Y-%m-%dT%H:%M:%SZ")
    props = deck.core_properties
    props.created = props.modified = when
    props.last_printed = when
    props.author = props.last_modified_by = "journeymap"
    props.title = maps[0].journey.title if len(maps) == 1 else f"{len(maps)} customer journey maps"
    props.revision = 1
    buffer = io.BytesIO()
    deck.save(buffer)
    return _fixed_zip(buffer.getvalue())
