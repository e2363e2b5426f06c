"""The `journeymap` command: a thin Typer layer over the library.

Each command lives in its own module and registers itself on `app`; heavy
imports happen inside the commands so that start-up stays fast.
"""

from __future__ import annotations

import typer

from journeymap import __version__

app = typer.Typer(
    name="journeymap",
    help="Customer journey maps as code: validate YAML maps and render them to SVG, PNG and PDF.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeymap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Customer journey maps as code."""


# Command modules register themselves on import.
from journeymap.cli import commands  # noqa: E402,F401


def main() -> None:
    import gc

    # Compiling a map allocates many small objects and few reference cycles: collecting garbage less often
    # saves 5-10% on big maps, and the memory of one command's run is released when it exits anyway.
    gc.set_threshold(100_000, 50, 100)
    app()
