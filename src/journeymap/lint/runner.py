"""Run the lint rules over map files: validate first, then apply the rules and the settings."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from journeymap.diagnostics import Diagnostic, format_path
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

        try:
            return Checked(document.file, [], build_journey(document.data), document)
        except Exception as exc:  # noqa: BLE001
            return Checked(document.file, [Diagnostic(f"invalid map: {exc!r}", document.file)], None, document)
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
                Diagnostic(message, document.file, line, column, format_path(path), config.severity_of(code), code)
            )
    return sorted(found, key=lambda d: (d.line, d.column, d.code))


def expand_paths(patterns: Iterable[str]) -> tuple[list[str], list[str]]:
    """(map files, patterns that matched nothing): directories give every *.yaml/*.yml below them.

    A plain path that does not exist is kept, so that loading it reports the missing file.
    """
    files: list[str] = []
    unmatched: list[str] = []
    for pattern in patterns:
        if os.path.isdir(pattern):
            found = sorted(str(p) for p in Path(pattern).rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
        elif glob.has_magic(pattern):
            found = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
        else:
            found = [pattern]
        if not found:
            unmatched.append(pattern)
        files += [f for f in found if f not in files]
    return files, unmatched


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


__all__ = ["Checked", "ConfigError", "check_file", "expand_paths", "lint_file", "run_rules"]
