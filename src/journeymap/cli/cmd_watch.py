"""`journeymap watch`: re-render maps on every save."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from journeymap.cli import app


@app.command(epilog="""[b]Examples[/b]

  journeymap watch maps/ --out-dir diagrams
  [dim]build every map below maps/, then redraw each one you save[/dim]

  journeymap watch onboarding.yaml -o out --formats svg,png --theme dark

Stop it with Ctrl-C.
""")
def watch(
    paths: List[str] = typer.Argument(..., help="Maps to watch: files, folders (every *.yaml below) or globs."),
    out_dir: Path = typer.Option(..., "--out-dir", "-o", help="Folder to write into; mirrors the source tree."),
    formats: Optional[str] = typer.Option(
        None, "--formats", "-f", help="Comma-separated: svg, png, pdf. Default: svg."
    ),
    theme: Optional[str] = typer.Option(None, "--theme", "-t", help="A built-in theme name or a theme folder."),
    scale: Optional[float] = typer.Option(None, "--scale", help="PNG scale factor. Default: 1."),
) -> None:
    """Build the maps, then rebuild each one whenever it is saved, until Ctrl-C.

    A map with errors gets its diagnostics printed and keeps its last good output.
    """
    from rich.console import Console
    from rich.markup import escape

    from journeymap.batch import BuildReport
    from journeymap.batch.console import BuildOutput
    from journeymap.batch.messages import shown
    from journeymap.batch.watch import watch as run_watch
    from journeymap.config import parse_formats

    output = BuildOutput(err=Console(stderr=True, highlight=False, soft_wrap=True))
    try:
        if formats is not None:
            formats = ",".join(parse_formats(formats))
    except ValueError as exc:
        output.usage_error(str(exc))
        raise typer.Exit(2) from None

    def on_build(result: object) -> None:
        if not isinstance(result, BuildReport):
            output.usage_error(str(result))
            return
        for failure in result.failed:
            output.failure(failure)
        if result.written:
            names = ", ".join(escape(shown(p)) for p in result.written)
            output.out.print(f"wrote {names} ({result.seconds:.2f} s)", soft_wrap=True)
        elif not result.failed:
            output.out.print(f"{result.files} maps up to date")
        output.out.print(f"watching {', '.join(paths)} (Ctrl-C to stop)", style="dim")

    from journeymap.config import ConfigError

    try:
        run_watch([Path(p) for p in paths], out_dir, formats, theme=theme, scale=scale, on_build=on_build)
    except ConfigError as exc:
        output.usage_error(str(exc))
        raise typer.Exit(2) from None
