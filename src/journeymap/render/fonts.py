"""An @font-face rule embedding the shipped Inter: a fixed Latin subset, or the glyphs a map uses.

A map whose text stays within the Latin set below (nearly every map) embeds a
subset shipped with the package (`fonts/Inter-*.latin.woff`): no font work at
render time, and the same bytes in every map, so a changed map diffs as its
text, not as a new font blob. Other maps embed a subset of the glyphs they use.
Either subset keeps no kerning or other layout features, so a browser draws the
exact advances the layout measured; bytes are deterministic (no timestamps).

Regenerate the shipped subsets and metric tables after changing the font or the set:
    python -m journeymap.render.fonts
"""

from __future__ import annotations

import base64
import io
from functools import cache, lru_cache
from pathlib import Path

from journeymap.layouts.text import FONT_FILES, metrics
from journeymap.resources import FONTS_DIR

# ASCII, Latin-1, Latin Extended-A, the punctuation and symbols people type in English and European-language
# maps (dashes, curly quotes, bullet, ellipsis, primes, euro, trade mark, arrows, maths, check marks), and the
# symbols the layout itself draws: the moment-of-truth star, the alternative-path arrow, the minus sign.
LATIN = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2023), 0x2026, 0x2030, 0x2032, 0x2033,
     0x2039, 0x203A, 0x20AC, 0x2122, *range(0x2190, 0x219A), 0x21B3, 0x21D2, 0x2212, 0x221E, 0x2248, 0x2260,
     0x2264, 0x2265, 0x2605, 0x2606, 0x2713, 0x2717]
)


def latin_path(weight: int) -> Path:
    return FONTS_DIR / FONT_FILES[weight].replace(".otf", ".latin.woff")


@cache
def latin_woff(weight: int) -> bytes:
    return latin_path(weight).read_bytes()


@lru_cache(maxsize=64)
def subset_woff(weight: int, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # Lazy, and the layout tables deleted before the subsetter sees them: it would otherwise parse
    # Inter's large GSUB/GPOS only to drop them (about 0.2 s per weight). Same bytes out.
    font = TTFont(FONTS_DIR / FONT_FILES[weight], recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    for tag in ("GPOS", "GSUB", "GDEF"):
        del font[tag]
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence (OFL)
    options.flavor = "woff"
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(ch) for ch in text} | {0x20}))
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def woff_for(weight: int, text: str) -> bytes:
    """The shipped Latin subset when it has every glyph of `text` the font has, else a subset of `text`."""
    drawable = metrics(weight).advances  # the font's code points
    if all(ord(ch) in LATIN or ord(ch) not in drawable for ch in text):
        return latin_woff(weight)
    return subset_woff(weight, text)


def font_face_css(texts_by_weight: dict[int, str], family: str = "Inter") -> str:
    rules = []
    for weight in sorted(texts_by_weight):
        text = "".join(sorted(set(texts_by_weight[weight])))
        if not text:
            continue
        data = base64.b64encode(woff_for(weight, text)).decode("ascii")
        rules.append(f"@font-face{{font-family:{family};font-weight:{weight};font-style:normal;"
                     f"src:url(data:font/woff;base64,{data}) format(\"woff\")}}")
    return "\n".join(rules)


def main() -> None:
    import json

    from journeymap.layouts.text import font_metrics, metrics_path

    for weight in sorted(FONT_FILES):
        path = metrics_path(weight)
        path.write_text(json.dumps(font_metrics(weight), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {path}")
        path = latin_path(weight)
        path.write_bytes(subset_woff(weight, "".join(map(chr, sorted(LATIN)))))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
