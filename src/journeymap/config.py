"""Project defaults for `journeymap build`: `[tool.journeymap]` in pyproject.toml or a journeymap.toml.

    [tool.journeymap]            # journeymap.toml: the same keys at the top level
    paths = ["maps"]             # files, folders or globs, relative to this file
    out_dir = "docs/maps"        # relative to this file
    formats = ["svg", "png"]     # or "svg,png"
    theme = "default"            # a built-in name or a folder relative to this file
    scale = 2                    # PNG scale

    [tool.journeymap.lint]       # journeymap.toml: [lint]; read by `journeymap lint`
    ignore = ["JM105"]

The nearest folder (the current one, then its parents up to the repository
root) that holds either file wins; journeymap.toml wins over pyproject.toml.
`find_project_file` does that search for every command that reads the file.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = ("svg", "png", "pdf")
KEYS = ("paths", "out_dir", "formats", "theme", "scale")
# Tables of the same file that belong to other commands: build checks only that they are tables.
SECTIONS = ("lint",)


class ConfigError(ValueError):
    """A configuration file or option that cannot be used (a usage error: exit code 2)."""


@dataclass(frozen=True)
class Config:
    root: Path  # paths in the file are relative to this folder
    file: Path | None = None
    paths: tuple[str, ...] = ()
    out_dir: Path | None = None
    formats: tuple[str, ...] | None = None
    theme: str | None = None
    scale: float | None = None


def parse_formats(value: Any, where: str = "--formats") -> tuple[str, ...]:
    """`"svg,png"` or `["svg", "png"]` -> ("svg", "png"), checked, duplicates dropped, order kept."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f'{where}: expected formats such as "svg,png,pdf"')
    formats = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ConfigError(
            f"{where}: unknown format {', '.join(map(repr, unknown)) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return formats


def find_project_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest journeymap.toml, or pyproject.toml with a [tool.journeymap] table, and its settings.

    Searched from `start` (a folder, or a file's folder) up to the repository root.
    """
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        for file in (folder / "journeymap.toml", folder / "pyproject.toml"):
            if file.is_file():
                table = read_project_file(file)
                if table is not None:
                    return file, table
        if (folder / ".git").exists():
            break
    return None


def read_project_file(file: Path) -> dict[str, Any] | None:
    """The settings in one file: all of a journeymap.toml, [tool.journeymap] of any other; None when it has none."""
    data = _read(file)
    if file.name == "journeymap.toml":
        return data
    tool = data.get("tool")
    table = tool.get("journeymap") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.journeymap] must be a table")
    return table


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None


def _check(file: Path, table: dict[str, Any]) -> dict[str, Any]:
    where = f"{file}: [tool.journeymap]" if file.name == "pyproject.toml" else str(file)
    values = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: {raw_key} must be a table")
            continue
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS + SECTIONS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(KEYS + SECTIONS)}"
            raise ConfigError(f"{where}: unknown key {raw_key!r}{hint}")
        values[key] = value
    paths = values.get("paths", [])
    if isinstance(paths, str):
        paths = [paths]
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ConfigError(f"{where}: paths must be a list of files, folders or globs")
    values["paths"] = paths
    for key in ("out_dir", "theme"):
        if key in values and not (isinstance(values[key], str) and values[key]):
            raise ConfigError(f"{where}: {key} must be a non-empty string")
    if "scale" in values and (isinstance(values["scale"], bool) or not isinstance(values["scale"], (int, float))):
        raise ConfigError(f"{where}: scale must be a number")
    if "formats" in values:
        values["formats"] = parse_formats(values["formats"], f"{where}: formats")
    return values


def _theme(root: Path, theme: str | None) -> str | None:
    # A theme written as a path is relative to the config file; a bare name is a built-in theme.
    if theme and ("/" in theme or theme.startswith(".")):
        return str((root / theme).resolve())
    return theme


def load_config(start: Path | None = None) -> Config:
    """The project's build defaults, or an empty Config rooted at `start` when there is none."""
    start = (start or Path.cwd()).resolve()
    found = find_project_file(start)
    if found is None:
        return Config(root=start)
    file, table = found
    values = _check(file, table)
    root = file.parent
    return Config(
        root=root,
        file=file,
        paths=tuple(values["paths"]),
        out_dir=root / values["out_dir"] if "out_dir" in values else None,
        formats=values.get("formats"),
        theme=_theme(root, values.get("theme")),
        scale=float(values["scale"]) if "scale" in values else None,
    )
