"""The public Python API: the compiler's stages, callable without the CLI.

    journey = journeymap.load("examples/saas-onboarding.yaml")
    svg = journeymap.render_svg(journey, theme="dark")
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymap.diagnostics import Diagnostic
    from journeymap.model import Journey

Source = "str | os.PathLike[str]"


def validate(source: str | os.PathLike[str]) -> list[Diagnostic]:
    """Every problem in a map (a path, or YAML text); empty when it is valid."""
    from journeymap.validate import check

    return check(source).diagnostics


def load(source: str | os.PathLike[str]) -> Journey:
    """Compile a map (a path, or YAML text) into a `Journey`; raises `JourneyError`."""
    from journeymap.validate import compile_journey

    return compile_journey(source)
