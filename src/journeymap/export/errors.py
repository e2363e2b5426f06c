"""The error every export problem is reported as."""

from __future__ import annotations

from journeymap.diagnostics import Diagnostic, JourneyError

EXPORT_ERROR_CODE = "E700"


class ExportError(JourneyError):
    """A map could not be exported (bad option, refused resource, too large an output)."""

    def __init__(self, message: str, file: str = "<export>"):
        super().__init__([Diagnostic(message=message, file=file, code=EXPORT_ERROR_CODE)])
        self.message = message

    def __str__(self) -> str:
        return self.message
