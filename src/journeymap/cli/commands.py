"""Registers every command module on the app."""

import importlib
import pkgutil

import journeymap.cli as _cli

for _mod in sorted(m.name for m in pkgutil.iter_modules(_cli.__path__) if m.name.startswith("cmd_")):
    importlib.import_module(f"journeymap.cli.{_mod}")
