"""`journeymap build`: every map of a project into a mirrored output tree."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from journeymap.cli import app


@app.command(epilog=r"""[b]Examples[/b]

  journeymap build
  [dim]every map named by `paths` in \[tool.journeymap] (pyproject.toml) or journeymap.toml[/dim]

  journeymap build maps/ --out-dir diagrams --formats svg,png
  [dim]maps/a/b.yaml -> diagrams/a/b.svg and .png; maps whose outputs are up to date are skipped[/dim]

  journeymap build --check
  [dim]in CI or pre-commit: write nothing, exit 1 listing the diagrams that are missing or stale[/dim]

  journeymap build maps/ --out-dir out --shard 2/4
  [dim]the second quarter of the maps, for job 2 of a CI matrix of 4[/dim]

[b]Exit codes[/b]: 0 all built (with --check: all up to date), 1 a map failed (with --check: an output is missing
or stale), 2 usage error.
""")
def build(
    paths: Optional[List[str]] = typer.Argument(
        None, help="Maps to build: files, folders (every *.yaml below) or globs. Default: `paths` from the config."
    ),
    out_dir: Optional[Path] = typer.Option(
        None, "--out-dir", "-o", help="Folder to write into; mirrors the source tree."
    ),
    formats: Optional[str] = typer.Option(
        None, "--formats", "-f", help="Comma-separated: svg, png, pdf. Default: svg."
    ),
    theme: Optional[str] = typer.Option(None, "--theme", "-t", help="A built-in theme name or a theme folder."),
    scale: Optional[float] = typer.Option(None, "--scale", help="PNG scale factor. Default: 1."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Maps rendered at once. Default: all cores."),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 1 listing outputs that are missing or stale."
    ),
    view: str = typer.Option("map", "--view", help="map (the journey map) or blueprint (a service blueprint)."),
    shard: Optional[str] = typer.Option(
        None, "--shard", metavar="I/N", help="Build only part I of N (split by path), for a CI matrix of N jobs."
    ),
) -> None:
    r"""Render many maps, skipping those whose outputs are up to date.

    Defaults come from \[tool.journeymap] in pyproject.toml or from journeymap.toml, so a project's maps build with a bare `journeymap build`.
    """
    from journeymap.batch import ConfigError
    from journeymap.batch import build as run_build
    from journeymap.batch.console import BuildOutput

    output = BuildOutput()
    try:
        report = run_build(
            [Path(p) for p in paths or ()],
            out_dir,
            formats,
            theme=theme,
            scale=scale,
            jobs=jobs,
            check=check,
            view=view,
            shard=shard,
            on_start=output.start,
            on_done=output.advance,
        )
    except ConfigError as exc:
        output.usage_error(str(exc))
        raise typer.Exit(2) from None
    finally:
        output.stop()
    output.report(report)
    raise typer.Exit(report.exit_code)
