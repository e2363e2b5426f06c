"""Lint settings: `[tool.journeymap.lint]` in pyproject.toml (`[lint]` in journeymap.toml), and per-file comments.

The settings file is found as `journeymap build` finds its own (journeymap.config):
the nearest journeymap.toml or pyproject.toml with a [tool.journeymap] table, from
the map's folder up to the repository root.

    [tool.journeymap.lint]
    select = ["JM1"]            # codes or code prefixes to run (default: every rule)
    ignore = ["JM105"]          # codes or prefixes to skip; ignore wins over select
    severity = { JM103 = "error" }

Comments in a map that turn rules off are read by `directives.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.config import ConfigError, find_project_file, read_project_file
from journeymap.lint.rules import RULES

SEVERITIES = ("error", "warning")


@dataclass(frozen=True, slots=True)
class LintConfig:
    select: tuple[str, ...] = ("JM",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    source: Path | None = None  # the file the settings came from

    def enabled(self, code: str) -> bool:
        return code.startswith(self.select) and not code.startswith(self.ignore)

    def severity_of(self, code: str) -> str:
        return self.severity.get(code, RULES[code].severity)

    def override(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> LintConfig:
        """These settings with command-line --select/--ignore applied on top."""
        select, ignore = tuple(select), tuple(ignore)
        _check_codes(select, "--select")
        _check_codes(ignore, "--ignore")
        return LintConfig(select or self.select, self.ignore + ignore, self.severity, self.source)


def _check_codes(codes: Iterable[str], where: str) -> None:
    for code in codes:
        if not any(known.startswith(code) for known in RULES):
            raise ConfigError(f"{where}: {code!r} matches no rule; known rules: {', '.join(RULES)}")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of rule codes, such as [\"JM101\"]")
    codes = tuple(v.strip().upper() for v in value)
    _check_codes(codes, where)
    return codes


def _where(source: Path | None) -> str:
    table = "[lint]" if source and source.name == "journeymap.toml" else "[tool.journeymap.lint]"
    return f"{source}: {table}" if source else table


def parse_config(table: Any, source: Path | None = None) -> LintConfig:
    where = _where(source)
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - {"select", "ignore", "severity"})
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}; expected select, ignore or severity")
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{where} severity must be a table such as {{ JM103 = \"error\" }}")
    for code, level in severity.items():
        if code not in RULES:
            raise ConfigError(f"{where} severity: {code!r} is not a rule code")
        if level not in SEVERITIES:
            raise ConfigError(f"{where} severity: {code} must be \"error\" or \"warning\", not {level!r}")
    return LintConfig(
        select=_strings(table["select"], f"{where} select") if "select" in table else ("JM",),
        ignore=_strings(table.get("ignore", []), f"{where} ignore"),
        severity=dict(severity),
        source=source,
    )


def load_config(path: Path) -> LintConfig:
    """The settings in one pyproject.toml or journeymap.toml; defaults when it has no lint table."""
    table = (read_project_file(path) or {}).get("lint")
    return parse_config(table, path) if table is not None else LintConfig(source=path)


def find_config(start: Path) -> Path | None:
    """The project's settings file for a map in `start` (a folder or a file), as `build` finds it."""
    found = find_project_file(start)
    return found[0] if found else None
