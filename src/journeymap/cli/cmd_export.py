"""`journeymap export`: a map out to Mermaid journey, CSV or the JSON model."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from journeymap.cli import app


class To(str, Enum):
    mmd = "mmd"
    csv = "csv"
    json = "json"


@app.command(epilog="""[b]Examples[/b]

  journeymap export map.yaml -o map.mmd
  [dim]a Mermaid `journey` to paste into GitHub Markdown (stages, steps and scores only)[/dim]

  journeymap export map.yaml -o steps.csv
  [dim]one row per step (steps on alternative paths too), for spreadsheets; the columns are those
  `journeymap import --help` lists[/dim]

  journeymap export map.yaml -o - --to json
  [dim]the compiled model, described by schemas/journey-model.schema.json[/dim]

What the target format cannot hold is named in a warning on stderr.

[b]Exit codes[/b]: 0 exported, 1 the map is invalid or OUT cannot be written, 2 usage error.
""")
def export(
    map_path: str = typer.Argument(..., metavar="MAP", help="The YAML map to export.", show_default=False),
    output: str = typer.Option(..., "--output", "-o", help="The file to write, or - for stdout.", show_default=False,
                                metavar="OUT"),
    to: Optional[To] = typer.Option(None, "--to", help="Target format; default: from OUT's extension.",
                                    case_sensitive=False),
) -> None:
    """Export a map to a Mermaid journey, a CSV of steps or JSON."""
    import sys

    from journeymap.diagnostics import print_diagnostics
    from journeymap.files import write_atomic
    from journeymap.interchange import export_journey, format_of
    from journeymap.validation import check

    fmt = to.value if to else (format_of(output) if output != "-" else None)
    if fmt is None:
        typer.echo(f"journeymap export: cannot tell the format of '{output}'; use --to mmd|csv|json", err=True)
        raise typer.Exit(2)
    result = check(map_path)
    if result.journey is None:
        print_diagnostics(result.diagnostics, "text", sys.stderr, result.sources)
        raise typer.Exit(1)
    exported = export_journey(result.journey, fmt)
    try:
        if output == "-":
            sys.stdout.write(exported.text)
        else:
            write_atomic(output, exported.text)
    except OSError as e:
        typer.echo(f"journeymap export: cannot write '{output}': {e.strerror}", err=True)
        raise typer.Exit(1) from None
    for note in exported.warnings:
        typer.echo(f"warning: {note}", err=True)
    if output != "-":
        typer.echo(f"Wrote {output}", err=True)
