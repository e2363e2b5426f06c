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

Colour on a terminal; plain text when piped or when NO_COLOR is set.
Exit codes: 0 shown, 1 the map is invalid, 2 usage error.
"""


@app.command(help=_HELP)
def show(
    file: Annotated[str, typer.Argument(help="The map file.", show_default=False)],
    ascii_only: Annotated[bool, typer.Option("--ascii", help="Only ASCII characters (for old terminals and logs).")] = False,
    width: Annotated[int | None, typer.Option("--width", min=40, max=1000, help="Width in columns (default: the terminal's, or 100 when piped).")] = None,
) -> None:
    import os
    import sys

    from rich.console import Console

    from journeymap.cli.cmd_report import load_journey
    from journeymap.show import show as _show

    journey = load_journey(file)
    # A pipe has no width of its own; 100 columns read well in CI logs.
    console = Console(width=width or (None if sys.stdout.isatty() else 100), no_color=bool(os.environ.get("NO_COLOR")) or None)
    _show(journey, console, ascii_only=ascii_only)
