"""Starter maps for `journeymap init`."""

from __future__ import annotations

import os
from importlib import resources

TEMPLATES = ("blank", "saas", "retail", "service")
DEFAULT_TEMPLATE = "blank"


class InitError(Exception):
    """The map cannot be written (it exists, or the template is unknown)."""


def template_text(name: str) -> str:
    if name not in TEMPLATES:
        raise InitError(f"unknown template '{name}'; choose one of: {', '.join(TEMPLATES)}")
    return resources.files("journeymap").joinpath("templates", f"{name}.yaml").read_text(encoding="utf-8")


SCHEMA_FILE = "journeymap.schema.json"


def init_map(path: str | os.PathLike[str], template: str = DEFAULT_TEMPLATE, force: bool = False) -> list[str]:
    """Write a starter map, and the JSON Schema beside it if none is there (the map's first
    line points editors at it). Never overwrites an existing map unless `force`.
    Returns the files written."""
    from journeymap.files import write_atomic

    text = template_text(template)
    if os.path.isdir(path):
        raise InitError(f"'{path}' is a directory; give a file name such as {os.path.join(path, 'journey.yaml')}")
    if os.path.exists(path) and not force:
        raise InitError(f"'{path}' already exists; use --force to overwrite it")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    write_atomic(path, text)
    schema = write_schema_beside(path)
    return [os.fspath(path)] + ([schema] if schema else [])


def write_schema_beside(path: str | os.PathLike[str]) -> str | None:
    """Write the JSON Schema that a map's first line points editors at beside the map, unless it is
    there already or the map went to a device (`/dev/null`); returns the file written, if any."""
    from journeymap.files import write_atomic
    from journeymap.resources import schema_path

    if not os.path.isfile(path):
        return None
    schema = os.path.join(os.path.dirname(path), SCHEMA_FILE)
    if os.path.exists(schema):
        return None
    write_atomic(schema, schema_path().read_text(encoding="utf-8"))
    return schema
