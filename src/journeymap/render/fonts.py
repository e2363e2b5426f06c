"""An @font-face rule embedding a subset of the shipped Inter: only the glyphs a map uses.

The subset keeps no kerning or other layout features, so a browser draws the
exact advances the layout measured; bytes are deterministic (no timestamps).
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from journeymap.layout.text import FONT_FILES
from journeymap.resources import FONTS_DIR


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


def font_face_css(texts_by_weight: dict[int, str], family: str = "Inter") -> str:
    rules = []
    for weight in sorted(texts_by_weight):
        text = "".join(sorted(set(texts_by_weight[weight])))
        if not text:
            continue
        data = base64.b64encode(subset_woff(weight, text)).decode("ascii")
        rules.append(f"@font-face{{font-family:{family};font-weight:{weight};font-style:normal;"
                     f"src:url(data:font/woff;base64,{data}) format(\"woff\")}}")
    return "\n".join(rules)
