"""`journeymap fmt`: canonical key order and indentation, comments kept."""

from __future__ import annotations

from typing import List

import typer

from journeymap.cli import app


@app.command(epilog="""[b]Examples[/b]

  journeymap fmt examples/
  [dim]format every map (*.yaml, *.yml) below examples/ in place[/dim]

  journeymap fmt --check maps/
  [dim]in CI: list the files that are not formatted, change nothing[/dim]

Keys follow the schema's order (journeymap, title, description, persona, ..., stages; inside a step:
id, action, thought, feeling, emotion, ...), two-space indentation, sequences indented under their key.
Comments, quotes and line breaks inside text are kept. Formatting twice changes nothing.
YAML files without a top-level `journeymap:` key are not maps and are left alone.

[b]Exit codes[/b]: 0 done (or, with --check, all formatted), 1 a file would change or cannot be read, 2 usage error.
""")
def fmt(
    paths: List[str] = typer.Argument(..., help="Map files, directories (searched for *.yaml and *.yml) or globs.",
                                      show_default=False, metavar="PATHS"),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 listing the files that would change."),
) -> None:
    """Format map files canonically so that diffs stay small."""
    import sys

    from journeymap.diagnostics import JourneyError, print_diagnostics
    from journeymap.fmt import format_file
    from journeymap.sources import NoMaps, find_maps

    try:
        files = find_maps(paths)
    except NoMaps as e:
        typer.echo(f"journeymap fmt: no maps found at '{e}' (looked for *.yaml and *.yml files)", err=True)
        raise typer.Exit(2) from None
    changed, failed = [], False
    for file in files:
        try:
            if format_file(file, check=check):
                changed.append(file)
        except JourneyError as e:
            print_diagnostics(e.diagnostics, "text", sys.stderr)
            failed = True
        except OSError as e:
            typer.echo(f"{file}: cannot write: {e.strerror}", err=True)
            failed = True
    for file in changed:
        typer.echo(f"would reformat {file}" if check else f"reformatted {file}")
    total = len(files)
    verb = "would be reformatted" if check else "reformatted"
    typer.echo(f"{len(changed)} of {total} file{'s' * (total != 1)} {verb}", err=True)
    raise typer.Exit(1 if failed or (check and changed) else 0)
