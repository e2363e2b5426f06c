"""Run the lint rules over a validated map, with the settings and the comments in the file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from journeymap.diagnostics import Diagnostic, format_path
from journeymap.lint.config import LintConfig, find_config, load_config
from journeymap.lint.directives import parse_directives
from journeymap.lint.rules import RULES, Context
from journeymap.loader import Document
from journeymap.model import Journey
from journeymap.validation import check


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


def run_rules(journey: Journey, document: Document, config: LintConfig) -> list[Diagnostic]:
    """The findings of every enabled rule, minus those turned off by comments, in file order.

    A disable comment naming no rule is a warning of its own, whatever the settings: it
    silently turned nothing off.
    """
    directives = parse_directives(document.text)
    context = Context(journey, document.data)
    found = directives.warnings(document.file)
    for code, rule in RULES.items():
        if not config.enabled(code):
            continue
        for path, message in rule.check(context):
            line, column = _position(document, path)
            if not directives.disabled(code, line):
                found.append(
                    Diagnostic(message, document.file, line, column, format_path(path), config.severity_of(code), code)
                )
    return sorted(found, key=Diagnostic.sort_key)


def lint_file(source: str | os.PathLike[str], config: LintConfig | None = None) -> list[Diagnostic]:
    """The validation diagnostics of a map, and, when it is valid, the lint findings.

    Without `config`, the settings come from the project's file as `build` finds it
    (journeymap.config.find_project_file); raises ConfigError when they are unusable.
    """
    result = check(source)
    if result.journey is None or result.document is None:
        return result.diagnostics
    if config is None:
        found = find_config(Path(result.file).parent if result.file != "<string>" else Path.cwd())
        config = load_config(found) if found else LintConfig()
    return result.diagnostics + run_rules(result.journey, result.document, config)
