"""`journeymap import`: Mermaid journey, CSV or JSON in, a YAML map out."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from journeymap.cli import app


class From(str, Enum):
    mmd = "mmd"
    csv = "csv"
    json = "json"


@app.command("import", epilog="""[b]Examples[/b]

  journeymap import journey.mmd -o journey.yaml
  [dim]a Mermaid `journey` diagram: sections become stages, scores 1-5 become -2..2, actors become personas[/dim]

  journeymap import research.csv -o checkout.yaml --title "Checking out"
  [dim]one row per step, headers in any order and case: stage, stage_id, stage_description, stage_metrics,
  stage_targets, id, action (required), thought, feeling, emotion (or emotion:ID, one per persona),
  touchpoints, pains, backstage, support, opportunities, moment_of_truth, evidence, confidence, and for
  alternative paths path, path_id, rejoin, next, exit, exit_reason. Several values in a cell are split by
  ' | '; an unknown column or a cell beyond the last column is an error.[/dim]

  journeymap import model.json -o -
  [dim]a map or an exported model, printed to stdout[/dim]

The map starts with a comment that points editors at journeymap.schema.json, which import writes
beside the map if it is not there yet, as init does (with -o -: journeymap schema > journeymap.schema.json).

[b]Exit codes[/b]: 0 imported, 1 the source cannot be read or converted, 2 usage error.
""")
def import_(
    source: str = typer.Argument(..., help="The file to import (.mmd, .csv or .json), or - for stdin with --from.",
                                 show_default=False),
    output: str = typer.Option(..., "--output", "-o", help="The YAML map to write, or - for stdout.",
                               show_default=False, metavar="MAP.yaml"),
    from_: Optional[From] = typer.Option(None, "--from", help="Source format; default: from the file extension.",
                                         case_sensitive=False),
    title: Optional[str] = typer.Option(None, "--title", help="The map's title (CSV has none; default: from the "
                                        "file name or the diagram's title)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output map if it exists."),
) -> None:
    """Convert a Mermaid journey, a CSV of steps or a JSON map into a YAML map."""
    import sys
    from pathlib import Path

    from journeymap.diagnostics import JourneyError, print_diagnostics
    from journeymap.files import write_atomic
    from journeymap.init import write_schema_beside
    from journeymap.interchange import format_of, import_source
    from journeymap.loader import read_source, read_stream

    fmt = from_.value if from_ else (format_of(source) if source != "-" else None)
    if fmt is None:
        typer.echo(f"journeymap import: cannot tell the format of '{source}'; use --from mmd|csv|json", err=True)
        raise typer.Exit(2)
    if output != "-" and Path(output).is_dir():
        typer.echo(f"journeymap import: '{output}' is a directory; give a file name such as "
                   f"{Path(output) / 'journey.yaml'}", err=True)
        raise typer.Exit(1)
    if output != "-" and Path(output).is_file() and not force:  # a device such as /dev/null is fine
        typer.echo(f"journeymap import: '{output}' already exists; use --force to overwrite it", err=True)
        raise typer.Exit(1)
    text = None
    name = "<stdin>" if source == "-" else source
    try:
        text = read_stream(sys.stdin.buffer) if source == "-" else read_source(Path(source))[1]
        imported = import_source(text, fmt, name, title)
        if output == "-":
            sys.stdout.write(imported.text)
        else:
            write_atomic(output, imported.text)
    except JourneyError as e:
        print_diagnostics(e.diagnostics, "text", sys.stderr, {name: text})
        raise typer.Exit(1) from None
    except OSError as e:
        typer.echo(f"journeymap import: cannot write '{output}': {e.strerror}", err=True)
        raise typer.Exit(1) from None
    print_diagnostics(list(imported.warnings), "text", sys.stderr, {name: text})
    if output == "-" or not Path(output).is_file():
        return
    try:
        schema = write_schema_beside(output)
    except OSError as e:
        typer.echo(f"journeymap import: cannot write the schema beside '{output}': {e.strerror}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote {output}. Next: journeymap validate {output}", err=True)
    if schema:
        typer.echo(f"Wrote {schema}, which the map's first line points editors at.", err=True)
