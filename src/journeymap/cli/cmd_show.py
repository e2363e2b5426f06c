"""`journeymap show`: the map in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from journeymap.cli import app

_HELP = """\
Show a map in the terminal: stages as columns, lanes as rows, and the emotion curve.

[bold]Examples[/bold]

  journeymap show map.yaml
  journeymap show map.yaml --ascii --width 100 > map.txt
  COLUMNS=160 journeymap show map.yaml | less

Colour on a terminal; plain text when piped or when NO_COLOR is set.
--ascii prints only ASCII, the map's text too ("–" becomes "-", "é" becomes "e").
Exit codes: 0 shown, 1 the map is invalid, 2 usage error.
"""


@app.command(help=_HELP)
def show(
    file: Annotated[str, typer.Argument(help="The map file.", show_default=False)],
    ascii_only: Annotated[bool, typer.Option("--ascii", help="Only ASCII characters (for old terminals and logs).")] = False,
    width: Annotated[int | None, typer.Option("--width", min=40, max=1000, help="Width in columns (default: the terminal's; when piped, COLUMNS or 100).")] = None,
) -> None:
    import os
    import sys

    from rich.console import Console

    from journeymap.cli.cmd_report import load_journey
    from journeymap.show import show as _show

    journey = load_journey(file)
    # A pipe has no width of its own: COLUMNS when set, else 100 columns, which read well in CI logs.
    columns = os.environ.get("COLUMNS", "").strip()
    piped = (int(columns) if columns.isdigit() and int(columns) > 0 else 100) if not sys.stdout.isatty() else None
    console = Console(width=width or piped, no_color=bool(os.environ.get("NO_COLOR")) or None)
    _show(journey, console, ascii_only=ascii_only)
