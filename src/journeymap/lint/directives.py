"""Comments in a map that turn lint rules off.

A comment on a line of its own turns rules off for the whole file; after a value,
for findings on that line only. Codes are split on commas or spaces, may be
prefixes (JM10 is JM101 to JM108, as in the settings), and may be followed by the
reason, which is any text that does not start like a code:

    # journeymap: disable=JM101, JM105 because the map is a first sketch
    - idea: Ask the VP   # journeymap: disable=JM106 owner TBD

A code that names no rule (a typo such as JM1O6) turns nothing off and is
reported as a JM100 warning at its place in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from journeymap.diagnostics import Diagnostic
from journeymap.lint.rules import RULES
from journeymap.messages import did_you_mean

UNKNOWN_CODE = "JM100"
_DIRECTIVE = re.compile(r"#\s*journeymap:\s*disable\s*=(.*)$")
_TOKEN = re.compile(r"[^\s,]+")
_CODE = re.compile(r"jm\w*", re.IGNORECASE)  # anything else starts the reason


@dataclass(frozen=True, slots=True)
class Directives:
    """Rules turned off by comments in one map, and the codes that named no rule."""

    file: frozenset[str] = frozenset()
    lines: dict[int, frozenset[str]] = field(default_factory=dict)  # 1-based line -> codes or prefixes
    unknown: tuple[tuple[str, int, int], ...] = ()  # (code as written, line, column)

    def disabled(self, code: str, line: int) -> bool:
        return code.startswith((*self.file, *self.lines.get(line, ())))

    def warnings(self, file: str) -> list[Diagnostic]:
        return [
            Diagnostic(f"'{code}' in a disable comment names no rule{did_you_mean(code.upper(), RULES)}", file, line,
                       column, "", "warning", UNKNOWN_CODE, line, column + len(code))
            for code, line, column in self.unknown
        ]


def parse_directives(text: str) -> Directives:
    whole: set[str] = set()
    lines: dict[int, frozenset[str]] = {}
    unknown: list[tuple[str, int, int]] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _DIRECTIVE.search(line)
        if not match:
            continue
        codes = set()
        for token in _TOKEN.finditer(match.group(1)):
            if not _CODE.fullmatch(token.group()):
                break
            code = token.group().upper()
            if any(rule.startswith(code) for rule in RULES):
                codes.add(code)
            else:
                unknown.append((token.group(), number, match.start(1) + token.start() + 1))
        if line.lstrip().startswith("#"):
            whole |= codes
        else:
            lines[number] = frozenset(codes)
    return Directives(frozenset(whole), lines, tuple(unknown))
