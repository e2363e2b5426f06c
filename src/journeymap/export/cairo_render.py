"""The cairosvg calls themselves; importing this module loads cairo (about 0.14 s)."""

from __future__ import annotations

import re
import struct
import zlib

import cairocffi
import cairosvg.surface
from cairosvg.colors import COLORS

from journeymap.export.fetch import Fetcher

_COLOR = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})|rgba?\(\s*[0-9.]+%?\s*(?:,\s*[0-9.]+%?\s*){2,3}\)")


def _pdf_surface(stamp: str) -> type[cairosvg.surface.PDFSurface]:
    class PDFSurface(cairosvg.surface.PDFSurface):
        # cairo stamps the current time into CreationDate; pin it for reproducible bytes.
        def _create_surface(self, width: float, height: float):  # type: ignore[no-untyped-def]
            surface, width, height = super()._create_surface(width, height)
            surface.set_metadata(cairocffi.PDF_METADATA_CREATE_DATE, stamp)
            surface.set_metadata(cairocffi.PDF_METADATA_MOD_DATE, stamp)
            return surface, width, height

    return PDFSurface


def render_pdf(svg: bytes, fetch: Fetcher, *, stamp: str, scale: float, dpi: float, width: int | None,
               background: str | None) -> bytes:
    return _pdf_surface(stamp).convert(
        bytestring=svg, url_fetcher=fetch, unsafe=False, dpi=dpi, scale=scale,
        output_width=width, background_color=background,
    )


def render_png(svg: bytes, fetch: Fetcher, *, scale: float, width: int | None, background: str | None,
               dpi: float) -> bytes:
    png = cairosvg.surface.PNGSurface.convert(
        bytestring=svg, url_fetcher=fetch, unsafe=False, dpi=96, scale=scale,
        output_width=width, background_color=background,
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
