"""Which maps to build and where each output goes."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from journeymap.config import ConfigError

MAP_SUFFIXES = (".yaml", ".yml")
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Source:
    path: Path  # absolute
    rel: Path  # relative to the build's base: the output mirrors it
    outputs: dict[str, Path]  # format -> absolute output path


def _in_folder(folder: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath) / f for f in filenames if f.endswith(MAP_SUFFIXES) and not f.startswith(".")]
    return found


def expand(paths: list[Path], base: Path) -> list[Path]:
    """Files, folders (every *.yaml / *.yml below, hidden folders skipped) and globs -> sorted, unique files."""
    files: dict[Path, None] = {}
    for given in paths:
        path = given if given.is_absolute() else base / given
        if GLOB_CHARS & set(str(given)):
            matches = [Path(m) for m in sorted(glob.glob(str(path), recursive=True))]
            hits = [m for m in matches if m.is_file()] + [f for m in matches if m.is_dir() for f in _in_folder(m)]
            if not hits:
                raise ConfigError(f"no maps match {str(given)!r}")
        elif path.is_dir():
            hits = _in_folder(path)
        elif path.is_file():
            hits = [path]
        else:
            raise ConfigError(f"{given}: no such file or folder")
        files.update((h.resolve(), None) for h in hits)
    return sorted(files)


def tree_root(paths: list[Path], base: Path) -> Path:
    """The folder whose tree the outputs mirror: the common folder of the given folders, glob prefixes and
    files' parents. `build maps -o out` writes maps/a/b.yaml to out/a/b.svg."""
    roots = []
    for given in paths:
        path = given if given.is_absolute() else base / given
        if GLOB_CHARS & set(str(given)):
            parts = path.parts
            cut = next(i for i, part in enumerate(parts) if GLOB_CHARS & set(part))
            path = Path(*parts[:cut])
        roots.append((path if path.is_dir() else path.parent).resolve())
    return Path(os.path.commonpath(roots)) if roots else base.resolve()


def plan(files: list[Path], root: Path, out_dir: Path, formats: tuple[str, ...]) -> list[Source]:
    """Mirror each file's place under `root` into `out_dir`."""
    base = root.resolve()
    out_dir = out_dir.resolve()
    sources = []
    for file in files:
        rel = file.relative_to(base)
        sources.append(Source(file, rel, {fmt: out_dir / rel.with_suffix(f".{fmt}") for fmt in formats}))
    return sources
