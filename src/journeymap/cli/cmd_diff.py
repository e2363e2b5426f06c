"""`journeymap diff OLD NEW`: what changed between two versions of a map."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from journeymap.cli import app


class DiffFormat(str, Enum):
    text = "text"
    json = "json"


@app.command(epilog="""[b]Examples[/b]

  journeymap diff old.yaml new.yaml
  journeymap diff HEAD~3:maps/onboarding.yaml maps/onboarding.yaml -o review.png
  journeymap diff main:map.yaml map.yaml --format json

Each side is a file or REV:path (read with `git show`, from the current folder's repository).

[b]Exit codes[/b]: 0 compared (differences are not failures), 1 a side cannot be read or is invalid, 2 usage error.
""")
def diff(
    old: str = typer.Argument(..., metavar="OLD", help="The earlier map: a file or REV:path.", show_default=False),
    new: str = typer.Argument(..., metavar="NEW", help="The later map: a file or REV:path.", show_default=False),
    output: str | None = typer.Option(None, "--output", "-o", help="Also draw the new map with the changes "
                                         "marked: .svg or .png.", show_default=False),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="text or json.", case_sensitive=False),
    theme: str = typer.Option("default", "--theme", "-t", help="Theme for -o."),
) -> None:
    """Compare two versions of a map: stages, steps, emotions, pains and opportunities."""
    import json
    import sys

    from journeymap.diagnostics import JourneyError, print_diagnostics
    from journeymap.diff import SourceError, compare, diff_layout, read_side, to_text

    suffix = Path(output).suffix.lower() if output else ""
    if output and suffix not in (".svg", ".png"):
        typer.echo(f"journeymap diff: cannot tell the format of '{output}'; use .svg or .png", err=True)
        raise typer.Exit(2)
    try:
        old_name, old_journey = read_side(old)
        new_name, new_journey = read_side(new)
    except SourceError as exc:
        typer.echo(f"journeymap diff: {exc}", err=True)
        raise typer.Exit(1) from None
    except JourneyError as exc:
        print_diagnostics(exc.diagnostics, "text", sys.stderr)
        raise typer.Exit(1) from None
    result = compare(old_journey, new_journey)
    if fmt == DiffFormat.json:
        typer.echo(json.dumps({"old": old_name, "new": new_name, **result.as_json()}, indent=2, ensure_ascii=False))
    else:
        typer.echo(to_text(result, old_name, new_name), nl=False)
    if output:
        from journeymap.files import write_atomic
        from journeymap.render.svg import render_layout
        from journeymap.render.theme import load_theme

        try:
            loaded = load_theme(theme)
            layout = diff_layout(old_journey, new_journey, result, loaded, old_name)
            svg = render_layout(layout, loaded, embed_fonts=suffix == ".svg")
            if suffix == ".png":
                from journeymap.export import convert

                data = convert(svg, "png", theme_dirs=loaded.folders)
            else:
                data = svg.encode("utf-8")
            write_atomic(output, data)
        except JourneyError as exc:
            print_diagnostics(exc.diagnostics, "text", sys.stderr)
            raise typer.Exit(1) from None
        except OSError as exc:
            typer.echo(f"journeymap diff: cannot write '{output}': {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None
