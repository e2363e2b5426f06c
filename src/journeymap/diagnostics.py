"""Diagnostics: what is wrong, where, in words a designer can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    message: str
    file: str = "<string>"
    line: int = 1  # 1-based
    column: int = 1  # 1-based
    path: str = ""  # location in the document, e.g. "stages[2].steps[0].emotion"
    severity: str = "error"  # error | warning
    code: str = "E000"


class JourneyError(Exception):
    """Raised when a map cannot be compiled; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        super().__init__(f"{first.file}:{first.line}:{first.column}: {first.message}" if first else "invalid map")
