"""What each output was built from, as content hashes, so unchanged outputs are skipped.

The manifest lives in the output folder and uses relative paths only, so it can be
committed next to the diagrams and checked on another machine (`build --check`).
An output is up to date when its recorded key (input bytes, theme files, format,
options, journeymap version) matches and the file on disk still has the recorded hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from journeymap import __version__
from journeymap.files import locked, write_atomic
from journeymap.resources import themes_dir

MANIFEST_NAME = ".journeymap-build.json"
_EXTENDS = re.compile(r"""^extends:\s*["']?([^"'#\r\n]*?)["']?\s*(?:#.*)?$""", re.M)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def _tree_digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
        sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def _theme_folder(ref: str, relative_to: Path | None) -> Path | None:
    if "/" in ref or "\\" in ref or ref.startswith("."):
        folder = (relative_to / ref) if relative_to else Path(ref).expanduser()
    else:
        folder = themes_dir() / ref
        if not folder.is_dir() and Path(ref).is_dir():
            folder = Path(ref)
    return folder.resolve() if folder.is_dir() else None


def theme_fingerprint(theme: str) -> str:
    """Hash of every file the theme can use, without loading it (that would import the renderer).

    Covers all built-in themes (any theme may extend them) and the chain of custom
    folders named by `extends:`.
    """
    sha = hashlib.sha256(b"themes\0" + _tree_digest(themes_dir()).encode())
    folder, seen = _theme_folder(theme, None), set()
    while folder is not None and folder not in seen and not folder.is_relative_to(themes_dir().resolve()):
        seen.add(folder)
        sha.update(b"\0" + _tree_digest(folder).encode())
        try:
            match = _EXTENDS.search((folder / "theme.yaml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            match = None
        folder = _theme_folder(match.group(1), folder) if match and match.group(1) else None
    if folder is not None and folder.is_relative_to(themes_dir().resolve()):
        sha.update(b"\0builtin\0" + folder.name.encode())
    return sha.hexdigest()


def output_key(source_digest: str, theme_digest: str, fmt: str, options: dict[str, Any]) -> str:
    blob = json.dumps(
        {"source": source_digest, "theme": theme_digest, "format": fmt, "options": options, "journeymap": __version__},
        sort_keys=True,
    )
    return digest(blob.encode())


def load(out_dir: Path) -> dict[str, dict[str, str]]:
    """Entries by output path relative to `out_dir`; a missing or unreadable manifest means "rebuild everything"."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        entries = data["outputs"]
        return {str(k): dict(v) for k, v in entries.items() if isinstance(v, dict)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save(out_dir: Path, changed: dict[str, dict[str, str]]) -> None:
    """Record the entries a build changed, on top of the manifest as it is now on disk.

    Read again under a lock rather than written from what the build read when it started: a build of
    other maps into the same folder may have saved its own entries since, and they must survive.
    """
    with locked(out_dir):
        entries = {**load(out_dir), **changed}
        body = {"journeymap": __version__, "outputs": dict(sorted(entries.items()))}
        write_atomic(out_dir / MANIFEST_NAME, (json.dumps(body, indent=1, sort_keys=True) + "\n").encode())
