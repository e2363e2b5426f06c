"""Writing files safely: whole files or none, no temporaries left behind, builds taking turns.

Every command writes through `write_atomic`: diagrams, decks, reports, formatted and imported maps.

An output is written to a hidden temporary beside it (`.map.png.k2x9a1b0.tmp`) and renamed over
it, so readers never see half a file. The writer holds an flock on the temporary until the rename:
a temporary nobody holds is what a killed writer left, and a later build removes it (`sweep`).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; temporaries are swept by age instead
    fcntl = None  # type: ignore[assignment]

# Without flock, a temporary this old is taken for a killed writer's (a live one takes seconds).
STALE_SECONDS = 15 * 60


def _temporary(path: Path) -> tuple[int, str]:
    """A new temporary beside `path`, locked."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        if fcntl is None:
            return fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        # A sweep may have taken it between mkstemp and flock (it was not locked yet): then it is
        # unlinked, and the bytes would go nowhere. Start again with another one.
        if os.fstat(fd).st_nlink:
            return fd, tmp
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write a temporary file next to `path`, then rename it over: readers never see half a file.

    Text is written as UTF-8, unchanged. An existing file keeps its permissions; a new one gets the
    umask's. A device or pipe (`/dev/null`, `/dev/stdout`) is written to directly: renaming over it
    would replace the device with a file.
    """
    path = Path(path)
    data = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and not path.is_file() and not path.is_dir():
        with path.open("wb") as device:
            device.write(data)
        return
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = _temporary(path)
    try:
        # A copy of the descriptor to write through: the original keeps the lock until after the rename.
        with os.fdopen(os.dup(fd), "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _output_name(temporary: str) -> str | None:
    """'.map.png.k2x9a1b0.tmp' -> 'map.png' (mkstemp's random part has no dots)."""
    if not (temporary.startswith(".") and temporary.endswith(".tmp")):
        return None
    return temporary[1:-4].rpartition(".")[0] or None


def _remove_if_abandoned(path: Path) -> None:
    try:
        if fcntl is None:
            if time.time() - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
            return
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # renamed or removed meanwhile
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a live writer holds it
        os.close(fd)
        return
    try:
        path.unlink(missing_ok=True)  # while holding the lock: see _temporary
    finally:
        os.close(fd)


def sweep(outputs: Iterable[Path]) -> None:
    """Remove the temporaries that killed writes of these outputs left, and only those."""
    names: dict[Path, set[str]] = {}
    for out in outputs:
        names.setdefault(out.parent, set()).add(out.name)
    for folder, wanted in names.items():
        try:
            entries = [entry.name for entry in os.scandir(folder)]
        except OSError:
            continue
        for name in entries:
            if _output_name(name) in wanted:
                _remove_if_abandoned(folder / name)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on `folder` itself while the block runs, so that builds into it take turns.

    The folder, not a lock file in it: the output folder is often committed, and a lock file would
    be one more file to commit or ignore.
    """
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without flock (some network mounts): go on unlocked
            pass
        yield
    finally:
        os.close(fd)
