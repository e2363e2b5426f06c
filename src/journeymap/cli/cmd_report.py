"""`journeymap report`: the journey in words and numbers, as Markdown or HTML."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from journeymap.cli import app
from journeymap.files import write_atomic

if TYPE_CHECKING:
    from journeymap.model import Journey

_HELP = """\
Write a report: emotion low and high points, pains ranked by the emotion drop around them,
opportunities by priority, metrics by stage and the channel mix.

[bold]Examples[/bold]

  journeymap report map.yaml -o report.md
  journeymap report map.yaml -o report.html
  journeymap report map.yaml            # Markdown to standard output

The format follows the output's extension (.md, .markdown, .html, .htm); --format overrides it.
Exit codes: 0 written, 1 the map is invalid or the file cannot be written, 2 usage error.
"""


def load_journey(file: str) -> Journey:
    """The map's journey, or its diagnostics on standard error and exit 1."""
    from journeymap.diagnostics import print_diagnostics
    from journeymap.validation import check

    result = check(file)
    if result.journey is None:
        print_diagnostics(result.diagnostics, "text", stream=sys.stderr, sources=result.sources)
        raise typer.Exit(1)
    return result.journey


_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


@app.command(help=_HELP)
def report(
    file: Annotated[str, typer.Argument(help="The map file.", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="Output file (.md or .html), or - for standard output.")] = "-",
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="md or html (default: from the output's extension; md for -).")] = None,
) -> None:
    if fmt is None:
        fmt = "md" if output == "-" else _FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            _usage(f"cannot tell the format of {output!r}: use a .md or .html file name, or --format")
    elif fmt not in ("md", "html"):
        _usage(f"unknown format {fmt!r}; use md or html")
    journey = load_journey(file)
    from journeymap import report as _report

    text = _report.to_html(journey) if fmt == "html" else _report.to_markdown(journey)
    if output == "-":
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        sys.stderr.write(f"journeymap report: cannot write {output}: {exc.strerror or exc}\n")
        raise typer.Exit(1) from None


def _usage(message: str) -> NoReturn:
    sys.stderr.write(f"journeymap report: {message}\n")
    raise typer.Exit(2)
