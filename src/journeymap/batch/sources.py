"""Which maps to build and where each output goes."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from journeymap.config import ConfigError
from journeymap.sources import GLOB_CHARS, NoMaps, find_maps


@dataclass(frozen=True)
class Source:
    path: Path  # absolute
    rel: Path  # relative to the build's base: the output mirrors it
    outputs: dict[str, Path]  # format -> absolute output path


def expand(paths: list[Path], base: Path) -> list[Path]:
    """Files, folders and globs -> sorted, unique, absolute map files; unusable paths are a ConfigError."""
    try:
        files = find_maps(paths, base)
    except NoMaps as exc:
        raise ConfigError(f"no maps match {str(exc)!r}") from None
    for file in files:
        if not file.is_file():
            raise ConfigError(f"{file.relative_to(base) if file.is_relative_to(base) else file}: no such file or folder")
    return sorted({f.resolve() for f in files})


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


def parse_shard(text: str) -> tuple[int, int]:
    """'2/5' -> (2, 5): the second of five shards."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ConfigError(f"--shard takes I/N, such as 1/4; got {text!r}") from None
    if not 1 <= index <= count:
        raise ConfigError(f"--shard {text}: I must be between 1 and N")
    return index, count


def in_shard(source: Source, shard: tuple[int, int]) -> bool:
    """Whether a map belongs to shard I of N. Decided by a hash of its path, so that adding
    a map moves no other map to another shard (each CI job keeps its incremental outputs)."""
    index, count = shard
    digest = hashlib.sha256(source.rel.as_posix().encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1
