"""`journeymap validate` and `journeymap schema`."""

from __future__ import annotations

from enum import Enum
from typing import List

import typer

from journeymap.cli import app
from journeymap.sources import NoMaps, find_maps


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command(epilog="""[b]Examples[/b]

  journeymap validate examples/
  [dim]every *.yaml and *.yml file below examples/[/dim]

  journeymap validate 'maps/**/*.yaml' --format github
  [dim]annotations on the pull request, in a GitHub workflow[/dim]

  journeymap validate map.yaml --format json
  [dim]machine-readable diagnostics[/dim]

[b]Exit codes[/b]: 0 every map is valid, 1 a map is invalid, 2 usage error (bad option, no maps found).
""")
def validate(
    paths: List[str] = typer.Argument(..., help="Map files, directories (searched for *.yaml and *.yml) or globs.",
                                      show_default=False, metavar="PATHS"),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (for people), json, or github "
                               "(workflow annotations).", case_sensitive=False, metavar="FORMAT"),
) -> None:
    """Check maps against the format and report every problem with its file, line and column."""
    import sys

    from journeymap.diagnostics import print_diagnostics, summary
    from journeymap.validation import check

    try:
        files = find_maps(paths)
    except NoMaps as e:
        typer.echo(f"journeymap validate: no maps found at '{e}' (looked for *.yaml and *.yml files)", err=True)
        raise typer.Exit(2) from None
    diags, sources = [], {}
    for file in files:
        result = check(file)
        diags += result.diagnostics
        sources.update(result.sources)
    print_diagnostics(diags, fmt.value, sys.stdout, sources)
    line = summary(len(files), diags)
    if fmt is Format.json:
        typer.echo(line, err=True)
    else:
        typer.echo(("\n" if diags and fmt is Format.text else "") + line)
    raise typer.Exit(1 if any(d.is_error for d in diags) else 0)


@app.command(epilog="""[b]Examples[/b]

  journeymap schema > journeymap.schema.json

Then, in VS Code with the YAML extension, start a map with:

  # yaml-language-server: $schema=./journeymap.schema.json
""")
def schema() -> None:
    """Print the JSON Schema of the map format, for editors (completion, hover docs) and other tools."""
    from journeymap.resources import schema_path

    typer.echo(schema_path().read_text(encoding="utf-8"), nl=False)
