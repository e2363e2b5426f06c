"""`journeymap init`: write a starter map."""

from __future__ import annotations

import typer

from journeymap.cli import app


@app.command(epilog="""[b]Examples[/b]

  journeymap init
  [dim]a blank starter map in journey.yaml[/dim]

  journeymap init maps/onboarding.yaml --template saas

  journeymap init - --template retail > shop.yaml
  [dim]- prints the map to stdout, as `-o -` does for other commands (no schema file is written)[/dim]

Templates: blank, saas (B2B purchase and onboarding), retail (online and in-store purchase),
service (a service with two personas). Each starts with a comment that points the YAML
language server at journeymap.schema.json, which init writes beside the map if it is not
there yet, so editors complete and check the map.

[b]Exit codes[/b]: 0 written, 1 the file exists (use --force) or cannot be written, 2 usage error.
""")
def init(
    path: str = typer.Argument("journey.yaml", help="The map file to create, or - for stdout."),
    template: str = typer.Option("blank", "--template", "-t", help="blank, saas, retail or service."),
    force: bool = typer.Option(False, "--force", help="Overwrite PATH if it exists."),
) -> None:
    """Create a complete, valid starter map to edit."""
    from journeymap.init import TEMPLATES, InitError, init_map, template_text

    if template not in TEMPLATES:
        typer.echo(f"journeymap init: unknown template '{template}'; choose one of: {', '.join(TEMPLATES)}", err=True)
        raise typer.Exit(2)
    if path == "-":
        typer.echo(template_text(template), nl=False)
        return
    try:
        written = init_map(path, template, force)
    except InitError as e:
        typer.echo(f"journeymap init: {e}", err=True)
        raise typer.Exit(1) from None
    except OSError as e:
        typer.echo(f"journeymap init: cannot write '{path}': {e.strerror}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Created {path} from the '{template}' template.")
    if len(written) > 1:
        typer.echo(f"Created {written[1]} so that editors complete and check the map.")
    typer.echo(f"Next: edit it, then run  journeymap validate {path}")
