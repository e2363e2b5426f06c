"""Which files a command works on: files, folders and globs -> map files.

Shared by every command that takes paths (validate, lint, fmt, build, watch) so
that they all agree on what a map is.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence
from pathlib import Path

MAP_SUFFIXES = (".yaml", ".yml")
GLOB_CHARS = frozenset("*?[")

# YAML found while searching a folder is a map unless its top-level keys show it is
# something else (a CI workflow, a config): a map that lost its `journeymap:` line, an
# empty file or a broken one is still checked, so that mistakes fail loudly. So is a map
# whose keys are misspelt (`stagse`, `tittle`): a misspelling of a key only maps have, or
# of any map key next to another map key, is a map to check, not a config file to skip.
_TOP_LEVEL_KEY = re.compile(rb"^([A-Za-z_][\w-]*)[ \t]*:", re.MULTILINE)
_MAP_KEYS = ("journeymap", "stages")
_OTHER_KEYS = ("title", "description", "persona", "personas", "scenario", "emotion_scale", "channels", "lanes")

# pre-commit names every staged file its `files:` pattern matches (every *.yaml), and
# sets PRE_COMMIT=1 for its hooks: then named files get the folder search's rule too.
_PRE_COMMIT = "PRE_COMMIT"


class NoMaps(Exception):
    """A folder or glob matched no map files."""


def is_map_file(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(65536)
    except OSError:
        return True  # let the loader report why it cannot be read
    keys = {k.decode("ascii") for k in _TOP_LEVEL_KEY.findall(head)}
    if not keys or keys & set(_MAP_KEYS):
        return True
    from journeymap.messages import closest

    matches = {k: closest(k, _MAP_KEYS + _OTHER_KEYS) for k in keys}
    typos = [m for k, m in matches.items() if m is not None and m != k]
    # `title` and `description` alone are any site's config; a misspelling is a map's
    return any(t in _MAP_KEYS for t in typos) or (bool(typos) and sum(m is not None for m in matches.values()) >= 2)


def _searchable(path: Path) -> bool:
    """Whether a folder search would have picked this file: a visible *.yaml or *.yml map file."""
    try:  # pre-commit names files relative to the repository; folders above it do not count
        parts = path.resolve().relative_to(Path.cwd().resolve()).parts
    except ValueError:
        parts = (path.name,)
    hidden = any(part.startswith(".") for part in parts)
    return not hidden and path.suffix.lower() in MAP_SUFFIXES and is_map_file(path)


def _below(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .git, .github
        found += [Path(root) / f for f in sorted(files) if f.lower().endswith(MAP_SUFFIXES) and not f.startswith(".")]
    return [f for f in found if is_map_file(f)]


def has_glob(arg: str | Path) -> bool:
    return bool(GLOB_CHARS & set(str(arg)))


def find_maps(args: Sequence[str | Path], base: Path | None = None) -> list[Path]:
    """Files, folders (every map below, sorted) and globs, in the order given, without repeats.

    A named file is always kept, even if it does not exist (its command reports why),
    except under pre-commit, where a file the folder search would skip is skipped too;
    a folder or glob that holds no maps raises `NoMaps`. Relative paths are joined to `base`.
    """
    out: dict[Path, None] = {}
    named_by_pre_commit = os.environ.get(_PRE_COMMIT) == "1"
    for arg in args:
        path = Path(arg) if base is None or Path(arg).is_absolute() else base / arg
        if path.is_dir():
            found = _below(path)
        elif has_glob(arg) and not path.exists():
            found = []
            for match in map(Path, sorted(glob.glob(str(path), recursive=True))):
                if match.is_dir():
                    found += _below(match)
                elif match.suffix.lower() in MAP_SUFFIXES and is_map_file(match):
                    found.append(match)
        elif named_by_pre_commit and path.is_file():
            found = [path] if _searchable(path) else []
            out.update(dict.fromkeys(found))
            continue
        else:
            found = [path]
        if not found:
            raise NoMaps(str(arg))
        out.update(dict.fromkeys(found))
    return list(out)
