"""Run the lint rules over map files: validate first, then apply the rules and the settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymap.diagnostics import Diagnostic
from journeymap.lint.config import ConfigError, LintConfig, find_config, load_config, parse_directives
from journeymap.lint.rules import RULES, Context
from journeymap.load import Document, LoadError, load_document
from journeymap.model import Journey


@dataclass(frozen=True, slots=True)
class Checked:
    """A map after validation: the journey when it is valid, and every diagnostic."""

    file: str
    diagnostics: list[Diagnostic]
    journey: Journey | None = None
    document: Document | None = None


def check_file(source: str | os.PathLike[str]) -> Checked:
    """Load and validate one map without raising."""
    try:
        document = load_document(source)
    except LoadError as exc:
        return Checked(exc.file, exc.diagnostics)
    try:
        from journeymap.validate import check
    except ImportError:  # TEMPORARY: until the validator lands, trust the document
        from journeymap.model import build_journey

        return Checked(document.file, [], build_journey(document.data), document)
    result = check(source)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    return Checked(document.file, list(result.diagnostics), None if errors else result.journey, document)


def _lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _position(document: Document, path: tuple[str | int, ...]) -> tuple[int, int]:
    # A mapping or list named by a key is shown at its key, a plain value at the value itself.
    if path and isinstance(path[-1], str) and isinstance(_lookup(document.data, path), (dict, list)):
        return document.key_position(path)
    return document.position(path)


def dotted(path: tuple[str | int, ...]) -> str:
    """("stages", 2, "steps", 0) -> "stages[2].steps[0]"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def run_rules(journey: Journey, document: Document, config: LintConfig) -> list[Diagnostic]:
    """The findings of every enabled rule, minus those turned off by comments, in file order."""
    directives = parse_directives(document.text)
    context = Context(journey, document.data)
    found = []
    for code, rule in RULES.items():
        if not config.enabled(code):
            continue
        for path, message in rule.check(context):
            line, column = _position(document, path)
            if directives.disabled(code, line):
                continue
            found.append(
                Diagnostic(message, document.file, line, column, dotted(path), config.severity_of(code), code)
            )
    return sorted(found, key=lambda d: (d.line, d.column, d.code))


def lint_file(source: str | os.PathLike[str], config: LintConfig | None = None) -> list[Diagnostic]:
    """Validation diagnostics when the map is invalid, else the lint findings.

    Without `config`, the settings come from the nearest pyproject.toml with a
    [tool.journeymap] table above the file; raises ConfigError when they are unusable.
    """
    checked = check_file(source)
    if checked.journey is None or checked.document is None:
        return checked.diagnostics
    if config is None:
        found = find_config(Path(checked.file).parent) if checked.file != "<string>" else find_config(Path.cwd())
        config = load_config(found) if found else LintConfig()
    return checked.diagnostics + run_rules(checked.journey, checked.document, config)


__all__ = ["Checked", "ConfigError", "check_file", "dotted", "lint_file", "run_rules"]
