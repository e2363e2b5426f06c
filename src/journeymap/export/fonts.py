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
import os
import shutil
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


def ensure_fontconfig() -> Path:
    """Write the private fonts.conf once per process and set FONTCONFIG_FILE.

    Must run before the first text is drawn: fontconfig reads its
    configuration lazily, once. Returns the path of the fonts.conf in use.
    """
    global _configured
    if _configured is not None and os.environ.get("FONTCONFIG_FILE") == str(_configured):
        return _configured
    folder = Path(tempfile.mkdtemp(prefix="journeymap-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "cache").mkdir()
    conf = folder / "fonts.conf"
    conf.write_text(_CONF.format(fonts=escape(str(FONTS_DIR)), cache=escape(str(folder / "cache"))), encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(conf)
    _configured = conf
    return conf
