"""Shared test helpers: the fixtures folder and a compact view of diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def problems():
    """check(source) as (line, column, code, message) tuples, in the order reported."""
    from journeymap.validate import check

    def run(source):
        return [(d.line, d.column, d.code, d.message) for d in check(source).diagnostics]

    return run
