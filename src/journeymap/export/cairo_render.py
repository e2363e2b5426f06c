"""The cairosvg calls themselves; importing this module loads cairo (about 0.14 s)."""

from __future__ import annotations

import re
import struct
import zlib

import cairocffi
import cairosvg.surface
from cairosvg.colors import COLORS

from journeymap.export import cairo_text
from journeymap.export.fetch import Fetcher

_COLOR = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})|rgba?\(\s*[0-9.]+%?\s*(?:,\s*[0-9.]+%?\s*){2,3}\)")


_FAMILY = re.compile(r"""font-family\s*[:=]\s*["']?\s*["']?([^,;"'<>&]+)""")
_warmed: set[str] = set()


def warm_fonts(svg: bytes) -> None:
    """Resolve every font the SVG names on an image surface before anything else draws with it.

    cairo resolves a toy font face (family, slant, weight) against fontconfig once, with the
    font options of the first surface that uses it, and reuses that for every later surface.
    A PDF drawn first would change the antialiasing of every later PNG in the process; resolving
    on an image surface first makes each output's bytes independent of what was drawn before.
    """
    families = {m.group(1).strip() for m in _FAMILY.finditer(svg.decode("utf-8", "replace"))} | {"sans-serif"}
    todo = sorted(families - _warmed)
    if not todo:
        return
    context = cairocffi.Context(cairocffi.ImageSurface(cairocffi.FORMAT_ARGB32, 1, 1))
    for family in todo:
        for slant in (cairocffi.FONT_SLANT_NORMAL, cairocffi.FONT_SLANT_ITALIC, cairocffi.FONT_SLANT_OBLIQUE):
            for weight in (cairocffi.FONT_WEIGHT_NORMAL, cairocffi.FONT_WEIGHT_BOLD):
                context.select_font_face(family, slant, weight)
                context.set_font_size(12)
                context.text_path("x")
        _warmed.add(family)
    context.new_path()


def _pdf_surface(stamp: str) -> type[cairosvg.surface.PDFSurface]:
    class PDFSurface(cairosvg.surface.PDFSurface):
        # cairo stamps the current time into CreationDate; pin it for reproducible bytes.
        def _create_surface(self, width: float, height: float):
            surface, width, height = super()._create_surface(width, height)
            surface.set_metadata(cairocffi.PDF_METADATA_CREATE_DATE, stamp)
            surface.set_metadata(cairocffi.PDF_METADATA_MOD_DATE, stamp)
            return surface, width, height

    return PDFSurface


def render_pdf(
    svg: bytes, fetch: Fetcher, *, stamp: str, scale: float, dpi: float, width: int | None, background: str | None
) -> bytes:
    warm_fonts(svg)
    with cairo_text.installed():
        return _pdf_surface(stamp).convert(
            bytestring=svg,
            url_fetcher=fetch,
            unsafe=False,
            dpi=dpi,
            scale=scale,
            output_width=width,
            background_color=background,
        )


def render_png(
    svg: bytes, fetch: Fetcher, *, scale: float, width: int | None, background: str | None, dpi: float
) -> bytes:
    warm_fonts(svg)
    with cairo_text.installed():
        png = cairosvg.surface.PNGSurface.convert(
            bytestring=svg,
            url_fetcher=fetch,
            unsafe=False,
            dpi=96,
            scale=scale,
            output_width=width,
            background_color=background,
        )
    return _with_phys(png, dpi)


def _with_phys(png: bytes, dpi: float) -> bytes:
    """Record the pixel density in a pHYs chunk, right after IHDR (8-byte signature + 25-byte IHDR)."""
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    return png[:33] + chunk + png[33:]


def is_color(value: str) -> bool:
    """True when cairosvg understands `value` as a colour (it silently draws black otherwise)."""
    text = value.strip().lower()
    return text in COLORS or bool(_COLOR.fullmatch(text))


class _Recording(cairosvg.surface.Surface):
    """Draws into a cairo recording surface, to be replayed (still vector) on a deck page."""

    device_units_per_user_units = 1

    def _create_surface(self, width: float, height: float):
        surface = cairocffi.RecordingSurface(cairocffi.CONTENT_COLOR_ALPHA, (0, 0, width, height))
        return surface, width, height

    def finish(self) -> None:  # the deck page owns the output
        pass


def record_svg(svg: bytes, fetch: Fetcher) -> tuple[cairocffi.RecordingSurface, float, float]:
    """The SVG drawn into a recording surface; returns it with its width and height in CSS px."""
    from cairosvg.parser import Tree

    warm_fonts(svg)
    with cairo_text.installed():
        surface = _Recording(Tree(bytestring=svg, url_fetcher=fetch, unsafe=False), None, 96)
    return surface.cairo, surface.width, surface.height
