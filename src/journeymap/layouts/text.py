"""Text measurement with the shipped Inter metrics, and wrapping to a width.

Widths come from a code point -> advance table read once from the font (no
shaping, no kerning: the embedded subset drops kerning too, so a browser draws
exactly what was measured). Characters the font lacks are measured as a CJK
or fallback glyph would be: full width for East Asian wide characters.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from journeymap.resources import FONTS_DIR, font_file

FONT_FILES = {400: "Inter-Regular.otf", 600: "Inter-SemiBold.otf"}

# Characters XML 1.0 forbids; YAML escapes can still produce them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A break is allowed after these inside long words and URLs.
_SOFT_BREAK_AFTER = set("/-.?&=_,;:#@")


@dataclass(frozen=True, slots=True)
class Metrics:
    advances: dict[int, float]  # code point -> advance in em
    ascent: float  # em
    descent: float  # em, positive
    fallback: float  # em, for characters the font lacks


def metrics_path(weight: int) -> Path:
    return font_file(FONT_FILES[weight].replace(".otf", ".metrics.json"))


def font_metrics(weight: int) -> dict[str, Any]:
    """The font's metrics in font units, as shipped in `fonts/*.metrics.json` (see journeymap.render.fonts).

    Code points and their advances are two parallel lists: a table of 2,500 characters loads in 0.3 ms
    that way, against 5 ms as a mapping with string keys.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS_DIR / FONT_FILES[weight], lazy=True)
    hmtx, hhea = font["hmtx"], font["hhea"]
    cmap = sorted(font.getBestCmap().items())
    return {
        "unitsPerEm": font["head"].unitsPerEm,
        "ascent": hhea.ascent,
        "descent": hhea.descent,
        "codepoints": [cp for cp, _ in cmap],
        "advances": [hmtx[glyph][0] for _, glyph in cmap],
    }


@cache
def metrics(weight: int = 400) -> Metrics:
    # Read from a table shipped beside the font: parsing the font's cmap and hmtx costs ~20 ms a weight.
    data = json.loads(metrics_path(weight).read_text(encoding="utf-8"))
    upm = data["unitsPerEm"]
    advances = dict(zip(data["codepoints"], [units / upm for units in data["advances"]]))
    return Metrics(advances, data["ascent"] / upm, -data["descent"] / upm, advances.get(ord("n"), 0.55))


def clean(text: str) -> str:
    """Text that is safe in XML and measurable: no control characters, tabs as spaces."""
    return _XML_INVALID.sub("", text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n"))


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def char_width(ch: str, m: Metrics) -> float:
    adv = m.advances.get(ord(ch))
    if adv is not None:
        return adv
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    return 1.0 if _is_wide(ch) else m.fallback


def text_width(text: str, size: float, weight: int = 400) -> float:
    return _em_width(text, weight) * size


@lru_cache(maxsize=1 << 16)
def _em_width(text: str, weight: int) -> float:
    # Maps repeat their words and short labels many times: measure each once.
    m = metrics(weight)
    adv = m.advances
    total = 0.0
    for ch in text:
        a = adv.get(ord(ch))
        total += a if a is not None else char_width(ch, m)
    return total


# ASCII has no wide characters: words with their trailing spaces, split after a hyphen between letters.
_ASCII_TOKEN = re.compile(r"^ +|[^ ]+ *")
_ASCII_HYPHEN = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")


def _tokens(paragraph: str) -> list[str]:
    """Split into wrap units: words with their trailing spaces, and single wide (CJK) characters.

    A hyphen between two letters ends a unit too ("proof-" "of-" "delivery"), as in browsers.
    """
    if paragraph.isascii():
        return [piece for token in _ASCII_TOKEN.findall(paragraph) for piece in _ASCII_HYPHEN.split(token)]
    out: list[str] = []
    buf = ""
    for ch in paragraph:
        if buf.endswith("-") and len(buf) > 1 and buf[-2].isalpha() and ch.isalpha():
            out.append(buf)
            buf = ""
        if _is_wide(ch):
            if buf:
                out.append(buf)
                buf = ""
            out.append(ch)
        elif ch == " ":
            buf += ch
        else:
            if buf.endswith(" "):
                out.append(buf)
                buf = ""
            buf += ch
    if buf:
        out.append(buf)
    return out


def _break_long(word: str, width: float, size: float, weight: int) -> list[str]:
    """Break a word wider than the line: after URL punctuation when possible, else anywhere."""
    m = metrics(weight)
    pieces: list[str] = []
    start, used, last_soft = 0, 0.0, -1
    i = 0
    while i < len(word):
        w = char_width(word[i], m) * size
        if used + w > width and i > start:
            cut = last_soft + 1 if last_soft >= start else i
            pieces.append(word[start:cut])
            start, used, last_soft = cut, 0.0, -1
            i = start
            continue
        used += w
        if word[i] in _SOFT_BREAK_AFTER:
            last_soft = i
        i += 1
    pieces.append(word[start:])
    return pieces


def wrap(text: str, width: float, size: float, weight: int = 400) -> tuple[str, ...]:
    """Greedy wrap into lines no wider than `width`; explicit newlines are kept."""
    lines: list[str] = []
    limit = width + 1e-6
    for paragraph in clean(text).split("\n"):
        line, line_w = "", 0.0  # line_w: the line's width with its trailing spaces
        for token in _tokens(paragraph):
            word = token.rstrip(" ")
            tw = text_width(word, size, weight)
            if tw <= limit and (not line or line_w + tw <= limit):
                line += token
                line_w += text_width(token, size, weight) if word != token else tw
                continue
            if line:
                lines.append(line.rstrip(" "))
            if tw <= limit:
                line = token
            else:
                *full, line = _break_long(word, width, size, weight)
                lines.extend(full)
                line += " " if token.endswith(" ") else ""
            line_w = text_width(line, size, weight)
        lines.append(line.rstrip(" "))
    return tuple(lines)
