"""Render every example in every built-in theme to docs/images/ (PNG, each kept under 400 KB).

    python docs/make_images.py
"""

from __future__ import annotations

import io
from pathlib import Path

from journeymap.api import load
from journeymap.export import convert
from journeymap.render import render_svg
from journeymap.render.theme import builtin_folders, load_theme

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
LIMIT = 400_000


def shrink(png: bytes) -> bytes:
    """Quantise to a 256-colour palette when the full-colour PNG is too large for the repository."""
    if len(png) <= LIMIT:
        return png
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        journey = load(path)
        for folder in builtin_folders():
            theme = load_theme(folder.name)
            svg = render_svg(journey, theme, embed_fonts=False)
            png = shrink(convert(svg, "png", theme_dirs=theme.folders, scale=1))
            target = OUT / f"{path.stem}-{folder.name}.png"
            target.write_bytes(png)
            print(f"{target.relative_to(ROOT)}  {len(png) // 1000} KB")


if __name__ == "__main__":
    main()
