"""The only resources an export may read: data: URLs and files inside the theme's folders."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, unquote_to_bytes, urlparse
from urllib.request import url2pathname

from journeymap.export.errors import ExportError

Fetcher = Callable[[str, str], bytes]


def _data_url(url: str) -> bytes:
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise ExportError("malformed data: URL in the SVG")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(unquote(payload), validate=False)
        except ValueError as exc:
            raise ExportError(f"malformed base64 in a data: URL in the SVG ({exc})") from None
    return unquote_to_bytes(payload)


def url_fetcher(theme_dirs: tuple[Path, ...]) -> Fetcher:
    """A cairosvg `url_fetcher` that refuses everything but data: URLs and theme files."""
    roots = tuple(Path(d).resolve() for d in theme_dirs)

    def fetch(url: str, resource_type: str) -> bytes:
        if url.startswith("data:"):
            return _data_url(url)
        parsed = urlparse(url)
        if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
            path = Path(url2pathname(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in roots) and path.is_file():
                return path.read_bytes()
        allowed = ", ".join(str(r) for r in roots) or "none"
        raise ExportError(
            f"refused to read {url!r} while exporting: only data: URLs and files inside the theme's folder "
            f"are allowed (theme folders: {allowed})"
        )

    return fetch
