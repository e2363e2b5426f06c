"""PNG and PDF export of a rendered SVG through cairosvg.

    png = convert(svg, "png", theme_dirs=theme.folders, scale=2)

cairosvg gets our SVG as bytes (never a URL), never runs `unsafe`, and may read
only data: URLs and files inside the theme's folders. Text uses the shipped font
through a private fontconfig setup. The same input gives the same bytes: PNG has
no timestamps and the PDF's dates are pinned (to SOURCE_DATE_EPOCH when set).
"""

from __future__ import annotations

import math
import os
from datetime import datetime, timezone
from pathlib import Path

from journeymap.export.errors import EXPORT_ERROR_CODE, ExportError
from journeymap.export.svgsize import svg_size

__all__ = ["EXPORT_ERROR_CODE", "ExportError", "FORMATS", "MAX_PIXELS", "MAX_SCALE", "MAX_SIDE", "convert", "pdf_date"]

FORMATS = ("png", "pdf")
MAX_SCALE = 10.0
MAX_DPI = 2400.0
MAX_SIDE = 32_767  # cairo's limit for an image surface, per side
MAX_PIXELS = 100_000_000  # 400 MB of RGBA: refuse rather than exhaust memory


def pdf_date() -> str:
    """The date stamped into PDFs: SOURCE_DATE_EPOCH when set, else the Unix epoch (never "now")."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        seconds = int(raw) if raw else 0
        stamp = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ExportError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {raw!r}") from None
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_number(name: str, value: float, low: float, high: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and low < value <= high):
        raise ExportError(f"{name} must be a number above {low:g} and at most {high:g}, not {value!r}")


def _check_options(fmt: str, scale: float, dpi: float, width: int | None) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    _check_number("scale", scale, 0, MAX_SCALE)
    _check_number("dpi", dpi, 0, MAX_DPI)
    if width is not None and (isinstance(width, bool) or not isinstance(width, int) or not 0 < width <= MAX_SIDE):
        raise ExportError(f"width must be a whole number of pixels from 1 to {MAX_SIDE}, not {width!r}")


def _png_size(svg: str, scale: float, width: int | None) -> tuple[int, int]:
    svg_w, svg_h = svg_size(svg)
    if width is not None:
        return width, round(svg_h * width / svg_w)
    return round(svg_w * scale), round(svg_h * scale)


def convert(
    svg: str,
    fmt: str,
    *,
    theme_dirs: tuple[Path, ...] = (),
    scale: float = 1,
    dpi: float = 96,
    width: int | None = None,
    background: str | None = None,
) -> bytes:
    """Our SVG as PNG or PDF bytes.

    PNG: `width` (pixels) wins over `scale`; otherwise pixels = CSS px x scale x dpi / 96, and the dpi is
    recorded in the file so that a 192-dpi PNG prints at the same size as the 96-dpi one.
    PDF: vector, text selectable, fonts embedded; `scale` and `width` size the page (a CSS px is 0.75 pt, as in
    browsers); `dpi` does not apply to a vector page.
    """
    _check_options(fmt, scale, dpi, width)
    if background is not None and not background.strip():
        background = None
    stamp = pdf_date() if fmt == "pdf" else ""
    png_scale = scale * dpi / 96
    if fmt == "png":
        w, h = _png_size(svg, png_scale, width)
        if max(w, h) > MAX_SIDE or w * h > MAX_PIXELS:
            raise ExportError(
                f"the PNG would be {w}x{h} pixels, over the limit of {MAX_SIDE} per side and {MAX_PIXELS:,} in all; "
                "use a smaller scale, dpi or width"
            )
        if min(w, h) < 1:
            raise ExportError(f"the PNG would be {w}x{h} pixels; use a larger scale or width")
    else:
        # A page this large is beyond what PDF viewers open, and drawing it can take minutes
        # (cairosvg measures every character): refuse it up front, like an oversized PNG.
        w, h = _png_size(svg, scale, width)
        if max(w, h) > MAX_SIDE:
            raise ExportError(
                f"the PDF page would be {w}x{h} px, over the limit of {MAX_SIDE} per side; use a smaller scale or width"
            )

    from journeymap.export.fonts import ensure_fontconfig

    ensure_fontconfig()  # before cairo draws its first glyph
    from journeymap.export import cairo_render
    from journeymap.export.fetch import url_fetcher

    if background is not None and not cairo_render.is_color(background):
        raise ExportError(f"background {background!r} is not a colour; use a name (white) or #rrggbb")
    fetch = url_fetcher(tuple(theme_dirs))
    data = svg.encode("utf-8")
    try:
        if fmt == "png":
            return cairo_render.render_png(data, fetch, scale=png_scale, width=width, background=background, dpi=dpi)
        return cairo_render.render_pdf(
            data, fetch, stamp=stamp, scale=scale, dpi=96, width=width, background=background
        )
    except ExportError:
        raise
    except Exception as exc:  # cairosvg raises many kinds; the user needs one clear message, not a traceback
        raise ExportError(f"could not draw the SVG as {fmt.upper()}: {type(exc).__name__}: {exc}") from exc
