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


def init_map(path: str | os.PathLike[str], template: str = DEFAULT_TEMPLATE, force: bool = False) -> None:
    """Write a starter map; never overwrites an existing file unless `force`."""
    from journeymap.fmt import write_atomic

    text = template_text(template)
    if os.path.isdir(path):
        raise InitError(f"'{path}' is a directory; give a file name such as {os.path.join(path, 'journey.yaml')}")
    if os.path.exists(path) and not force:
        raise InitError(f"'{path}' already exists; use --force to overwrite it")
    write_atomic(path, text)
