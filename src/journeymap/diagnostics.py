"""Diagnostics: what is wrong, where, in words a designer can act on.

Every diagnostic has a stable code. Errors make a map invalid; warnings do not.

| Code | Meaning |
|------|---------|
| E001 | The file cannot be read: missing, a directory, not a regular file, no permission |
| E002 | The file is too large (over 10 MB) |
| E003 | The file is not valid UTF-8 (or UTF-16/32 with a byte order mark) |
| E004 | YAML syntax error, or a control character in the file |
| E005 | The map is empty |
| E006 | The document is not a mapping (a list or a single value) |
| E007 | A key appears twice in the same mapping |
| E008 | A YAML tag other than the standard ones (`!!python/...`, `!custom`) |
| E009 | The document holds too much: more than 100,000 values (aliases expanded), more than 1,000 aliases, or a recursive alias |
| E010 | Nesting deeper than 64 levels |
| E011 | Merge keys (`<<`) are not supported |
| E012 | A mapping key that is a list or mapping |
| E013 | More than one YAML document in the file |
| E014 | A tagged or numeric value that cannot be read (e.g. a 5,000-digit number) |
| E101 | Missing or unsupported format version (`journeymap: 1`) |
| E102 | A required key is missing |
| E103 | Unknown key (with a "did you mean") |
| E104 | A value of the wrong type |
| E105 | A value that is not one of the allowed words (lanes, impact, effort) |
| E106 | An empty value, list or mapping where content is required |
| E107 | An id that is not lower-case letters, digits, `-` and `_` |
| E108 | A list that names the same item twice (lanes) |
| E109 | Any other schema violation |
| E201 | Two stages, steps, personas or paths with the same id |
| E202 | Both `persona` and `personas` |
| E203 | A touchpoint channel that is neither built in nor declared under `channels` |
| E204 | An emotion outside the emotion scale |
| E205 | An emotion scale whose `min` is not below its `max` |
| E206 | An emotion keyed by an unknown persona id |
| E207 | A plain-number emotion in a map with several personas |
| E211 | A path's `rejoin` or a step's `next` naming an unknown step |
| E212 | A path's `rejoin` not naming a later step on the main path |
| E213 | A step whose `next` names itself |
| E214 | An `exit_reason` without `exit: true` |
| E215 | An `exit` on a main-path step that is not the last |
| E216 | A step with both `exit` and `next` |
| E217 | A loop made with `next` from which the end of the journey cannot be reached |
| W201 | An emotion scale label for a score outside the scale |
| W202 | A stage target for a metric the stage does not report |
| E301 | `--persona` naming a persona the map does not declare |
| E810 | Mermaid `journey` input that cannot be read (no `journey` line, a task without a name or score, a score outside 1-5) |
| E811 | Mermaid input without a single task |
| E820 | CSV input that cannot be read: empty, no steps, an unknown column or a stray cell |
| E830 | JSON input that is not valid JSON or not an object |
| W810 | A Mermaid section without tasks, left out |
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from dataclasses import asdict, dataclass
from typing import IO, Iterable, Mapping


@dataclass(frozen=True, slots=True)
class Diagnostic:
    message: str
    file: str = "<string>"
    line: int = 1  # 1-based
    column: int = 1  # 1-based, in characters
    path: str = ""  # location in the document, e.g. "stages[2].steps[0].emotion"
    severity: str = "error"  # error | warning
    code: str = "E000"
    end_line: int | None = None  # where the offending text ends (exclusive column), when known
    end_column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)


class JourneyError(Exception):
    """Raised when a map cannot be compiled; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        super().__init__(f"{first.file}:{first.line}:{first.column}: {first.message}" if first else "invalid map")


def format_path(path: Iterable[str | int]) -> str:
    """("stages", 2, "steps", 0, "emotion") -> "stages[2].steps[0].emotion"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- text -------------------------------------------------------------------------------------

def _width(text: str) -> int:
    """Terminal cells: wide East Asian characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_FRAME_WIDTH = 100  # characters of a source line shown in a code frame


def _frame(d: Diagnostic, lines: list[str]) -> list[list[tuple[str, str]]]:
    """The offending line with a caret under the problem: rows of (text, style) pieces."""
    if not 1 <= d.line <= len(lines):
        return []
    source = lines[d.line - 1].replace("\t", " ")
    start = min(d.column - 1, len(source))
    end = d.end_column - 1 if d.end_line == d.line and d.end_column else start + 1
    end = max(start + 1, min(end, len(source)))
    if len(source) > _FRAME_WIDTH:  # a minified or very long line: show a window around the problem
        lo = max(0, min(start - _FRAME_WIDTH // 3, len(source) - _FRAME_WIDTH))
        hi = lo + _FRAME_WIDTH
        head, tail = ("..." if lo else ""), ("..." if hi < len(source) else "")
        source = head + source[lo:hi] + tail
        start, end = start - lo + len(head), min(end, hi) - lo + len(head)
    gutter = " " * len(str(d.line))
    caret = " " * _width(source[:start]) + "^" * max(1, _width(source[start:end]))
    return [[(f" {gutter} |", "frame")], [(f" {d.line} |", "frame"), (f" {source}", "source")],
            [(f" {gutter} |", "frame"), (f" {caret}", "caret")]]


def _text_lines(d: Diagnostic, sources: Mapping[str, str | None] | None) -> list[tuple[str, str]]:
    out = [(f"{d.file}:{d.line}:{d.column}: ", "location"), (f"{d.severity}[{d.code}]", d.severity),
           (f": {d.message}", "message")]
    rows: list[list[tuple[str, str]]] = [out]
    if d.path:
        rows.append([(f"  at {d.path}", "frame")])
    text = (sources or {}).get(d.file)
    if text is not None:
        rows.extend(_frame(d, text.splitlines()))
    pieces = [piece for row in rows for piece in [("\n", "")] + row]
    return pieces[1:] + [("\n", "")]


_STYLES = {"location": "bold", "error": "bold red", "warning": "bold yellow", "message": "bold",
           "frame": "blue", "source": "", "caret": "bold red", "": ""}


def format_text(diags: Iterable[Diagnostic], sources: Mapping[str, str | None] | None = None,
                color: bool = False) -> str:
    """Compiler-style text: `file:line:col: error[E204]: message`, the document path and a code frame.

    `sources` maps file names to their text for code frames; files not in it get none.
    """
    pieces = [p for d in diags for p in _text_lines(d, sources) + [("\n", "")]]
    if pieces:
        pieces.pop()  # no blank line after the last one
    if not color:
        return "".join(t for t, _ in pieces)
    from rich.console import Console
    from rich.text import Text

    text = Text()
    for t, style in pieces:
        text.append(t, style=_STYLES.get(style, ""))
    console = Console(force_terminal=True, color_system="standard", width=100_000, soft_wrap=True,
                      highlight=False, emoji=False, markup=False)
    with console.capture() as capture:
        console.print(text, end="")
    return capture.get()


# --- machine formats --------------------------------------------------------------------------

def format_json(diags: Iterable[Diagnostic]) -> str:
    """A JSON array of diagnostics, one object each, keys in a stable order."""
    return json.dumps([asdict(d) for d in diags], indent=2, ensure_ascii=False) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(diags: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands: `::error file=...,line=...,col=...::message`."""
    out = []
    for d in diags:
        props = [f"file={_escape_property(d.file)}", f"line={d.line}", f"col={d.column}"]
        if d.end_line and d.end_column:
            props += [f"endLine={d.end_line}", f"endColumn={d.end_column}"]
        props.append(f"title={_escape_property(f'journeymap {d.code}')}")
        where = f"{d.path}: " if d.path else ""
        level = "error" if d.is_error else "warning"
        out.append(f"::{level} {','.join(props)}::{_escape_data(where + d.message)}\n")
    return "".join(out)


FORMATS = ("text", "json", "github")


def use_color(stream: IO[str]) -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def render(diags: Iterable[Diagnostic], fmt: str = "text", sources: Mapping[str, str | None] | None = None,
           color: bool = False) -> str:
    """Diagnostics in one of FORMATS, sorted by file and position."""
    ordered = sorted(diags, key=Diagnostic.sort_key)
    if fmt == "json":
        return format_json(ordered)
    if fmt == "github":
        return format_github(ordered)
    if fmt == "text":
        return format_text(ordered, sources, color)
    raise ValueError(f"unknown diagnostics format {fmt!r}; use one of {', '.join(FORMATS)}")


def print_diagnostics(diags: Iterable[Diagnostic], fmt: str = "text", stream: IO[str] | None = None,
                      sources: Mapping[str, str | None] | None = None, color: bool | None = None) -> None:
    """Print diagnostics the way every journeymap command does; colour is decided from `stream`."""
    stream = stream or sys.stdout
    stream.write(render(diags, fmt, sources, use_color(stream) if color is None else color))
    stream.flush()


def summary(files: int, diags: Iterable[Diagnostic]) -> str:
    """'3 files checked, 2 errors and 1 warning in 2 files' / '3 files checked, no problems found'."""
    diags = list(diags)
    errors = sum(d.is_error for d in diags)
    warnings = len(diags) - errors
    checked = f"{files} file{'s' * (files != 1)} checked"
    if not diags:
        return f"{checked}, no problems found"
    parts = [f"{n} {word}{'s' * (n != 1)}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    bad = len({d.file for d in diags})
    return f"{checked}, {' and '.join(parts)} in {bad} file{'s' * (bad != 1)}"
