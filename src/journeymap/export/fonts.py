"""Point fontconfig at the fonts shipped with journeymap.

cairosvg draws text through cairo's toy font API, which asks fontconfig for the
first family named in `font-family` and ignores `@font-face`. A private
fonts.conf that lists only our font folder makes PNG and PDF use the very font
the layout measured, on any machine, even one without a single font installed.
Listing only our folder is deliberate: cairo picks one face per family and does
no per-glyph fallback, so system fonts could only make results vary by machine.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from journeymap.resources import FONTS_DIR

_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

_configured: Path | None = None


def _private_folder() -> Path:
    """A folder in the temp dir, reused by every journeymap process of this user (and its font cache with it).

    Worker processes end without running exit handlers, so a folder per process would pile up.
    The shared folder is trusted only if it is ours and closed to others; otherwise use a fresh one.
    """
    uid = os.getuid() if hasattr(os, "getuid") else 0
    key = hashlib.sha256(str(FONTS_DIR).encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"journeymap-fonts-{uid}-{key}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
        if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077:
            return folder
    except OSError:
        pass
    fresh = Path(tempfile.mkdtemp(prefix="journeymap-fonts-"))
    atexit.register(shutil.rmtree, fresh, ignore_errors=True)
    return fresh


def ensure_fontconfig() -> Path:
    """Write the private fonts.conf and set FONTCONFIG_FILE, once per process.

    Must run before the first text is drawn: fontconfig reads its
    configuration lazily, once. Returns the path of the fonts.conf in use.
    """
    global _configured
    if _configured is not None:
        return _configured
    from journeymap.layouts.text import FONT_FILES
    from journeymap.resources import font_file

    for name in FONT_FILES.values():  # without them fontconfig would silently draw another face
        font_file(name)
    folder = _private_folder()
    conf = folder / "fonts.conf"
    text = _CONF.format(fonts=escape(str(FONTS_DIR)), cache=escape(str(folder / "cache")))
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".fonts.conf.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, conf)  # concurrent processes write the same text; the rename keeps it whole
    os.environ["FONTCONFIG_FILE"] = str(conf)
    _configured = conf
    return conf
