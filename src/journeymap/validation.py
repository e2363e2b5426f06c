"""Validate a map: load it, check it against the JSON Schema and the semantic rules.

    result = check("examples/saas-onboarding.yaml")
    for d in result.diagnostics: ...
    journey = compile_journey("examples/saas-onboarding.yaml")  # raises JourneyError

All problems in a file are reported in one run, sorted by position. When the format
version is unsupported, only that is reported: the rest of the file follows rules
this version does not know.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterable

from journeymap.diagnostics import Diagnostic, JourneyError, format_path
from journeymap.loader import Document, LoadError, load_document, source_name
from journeymap.messages import SUPPORTED_VERSIONS, Issue, explain
from journeymap.model import Journey, build_journey


@dataclass(frozen=True)
class Result:
    """What checking one map found: diagnostics, and the journey when there are no errors."""

    file: str
    diagnostics: list[Diagnostic]
    journey: Journey | None = None
    document: Document | None = None
    text: str | None = field(default=None, repr=False)  # the source, for code frames

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    @property
    def sources(self) -> dict[str, str | None]:
        return {self.file: self.text}


@cache
def schema() -> dict[str, Any]:
    from journeymap.resources import schema_path

    return json.loads(schema_path().read_text(encoding="utf-8"))


@cache
def _validator() -> Any:
    from jsonschema import Draft7Validator

    # The schema ships with journeymap and is checked against draft-07 by its tests, not on every run.
    return Draft7Validator(schema())


def _diagnostic(doc: Document, issue: Issue) -> Diagnostic:
    line, column, end_line, end_column = (doc.key_span if issue.at_key else doc.span)(issue.path)
    message = issue.message
    alias = doc.alias_position(issue.path)
    if alias is not None:
        # The position is the anchored value's, shared by every use: say which use this is.
        anchor, alias_line, alias_column = alias
        message += f" (used through the alias *{anchor} at line {alias_line}, column {alias_column})"
    return Diagnostic(message, doc.file, line, column, format_path(issue.path), issue.severity, issue.code,
                      end_line, end_column)


def _schema_issues(data: dict[str, Any]) -> Iterable[Issue]:
    version = data.get("journeymap")
    if "journeymap" in data and not (isinstance(version, int) and not isinstance(version, bool)
                                     and version in SUPPORTED_VERSIONS):
        # Another version's rules are unknown: report only the version.
        return [i for e in _validator().iter_errors(data) if tuple(e.path) == ("journeymap",)
                for i in explain(e, schema())][:1]
    issues = [i for e in _validator().iter_errors(data) for i in explain(e, schema())]
    # A misspelt required key ('stagse') is reported once, as the typo, not also as missing.
    typos = {(i.path[:-1], i.key) for i in issues if i.code == "E103" and i.key}
    return [i for i in issues if not (i.code in ("E101", "E102") and (i.path, i.key) in typos)]


def diagnose(doc: Document) -> list[Diagnostic]:
    """Schema and semantic diagnostics of a loaded document, sorted by position, without repeats."""
    from journeymap import semantic

    issues = list(_schema_issues(doc.data))
    if not any(i.code == "E101" and i.path for i in issues):
        issues += semantic.check(doc.data, doc.position)
    # A value shared through aliases has one position for all its uses: report its first use only.
    diags: dict[tuple[int, int, str, str], Diagnostic] = {}
    for issue in issues:
        d = _diagnostic(doc, issue)
        diags.setdefault((d.line, d.column, d.code, issue.message), d)
    return sorted(diags.values(), key=Diagnostic.sort_key)


def check(source: str | os.PathLike[str]) -> Result:
    """Every problem in a map (a path, or YAML text); `.journey` is set when there are no errors."""
    try:
        doc = load_document(source)
    except LoadError as e:
        return Result(e.file, e.diagnostics, text=e.text)
    except RecursionError:  # defence in depth: the loader caps nesting long before this
        name = source_name(source)[1]
        return Result(name, [Diagnostic("the document is nested too deeply", name, code="E010")])
    diags = diagnose(doc)
    journey = None if any(d.is_error for d in diags) else build_journey(doc.data)
    return Result(doc.file, diags, journey, doc, doc.text)


def compile_journey(source: str | os.PathLike[str]) -> Journey:
    """The `Journey` of a valid map; raises `JourneyError` with every diagnostic otherwise."""
    result = check(source)
    if result.journey is None:
        raise JourneyError(result.diagnostics)
    return result.journey
