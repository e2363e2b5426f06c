"""`journeymap deck`: many maps in one PDF or PPTX, one per page or slide."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from journeymap.cli import app


@app.command(epilog="""[b]Examples[/b]

  journeymap deck maps/ -o review.pdf
  [dim]every map below maps/, a 16:9 page each, in path order[/dim]

  journeymap deck intro.yaml maps/ -o review.pptx --page a4
  [dim]intro.yaml first; PowerPoint slides with pains and opportunities in the speaker notes[/dim]

[b]Exit codes[/b]: 0 written, 1 a map could not be compiled or drawn (nothing is written), 2 usage error.
""")
def deck(
    files: List[str] = typer.Argument(..., help="Maps, in deck order: files, folders (every *.yaml below) or globs."),
    output: Path = typer.Option(..., "--output", "-o", help="deck.pdf or deck.pptx; the format follows the extension."),
    page: str = typer.Option("slide", "--page", "-p", help="Page size, landscape: slide (16:9), a4 or letter."),
    theme: str = typer.Option("default", "--theme", "-t", help="A built-in theme name or a theme folder."),
) -> None:
    """Put many maps in one deck: a PDF page or a PowerPoint slide per map, titled, scaled to fit.

    PPTX slides carry each map's pain points and opportunities in the speaker notes.
    """
    from rich.console import Console

    from journeymap.batch.sources import expand
    from journeymap.config import ConfigError
    from journeymap.export.deck import PAGES

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    fmt = output.suffix.lower().lstrip(".")
    problem = None
    if fmt not in ("pdf", "pptx"):
        problem = f"--output must end in .pdf or .pptx, not {output.name!r}"
    elif page not in PAGES:
        problem = f"--page must be one of {', '.join(PAGES)}, not {page!r}"
    else:
        try:
            # Deck order is the order given; a folder or glob contributes its maps sorted by path.
            paths = list(dict.fromkeys(p for f in files for p in expand([Path(f)], Path.cwd())))
        except ConfigError as exc:
            problem = str(exc)
    if problem:
        err.print(f"[bold red]error:[/] {problem}", markup=True)
        raise typer.Exit(2)

    from journeymap.export.deck import make_deck

    data, failures = make_deck(paths, fmt, page=page, theme=theme)
    if failures:
        from rich.text import Text

        from journeymap.batch.messages import format_failure

        for path, failure in failures:
            err.print(Text(format_failure(path, None, failure)))
        err.print(f"{len(failures)} of {len(paths)} maps failed; {output} was not written")
        raise typer.Exit(1)
    from journeymap.batch.messages import shown
    from journeymap.files import write_atomic

    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(output, data)
    typer.echo(f"wrote {shown(output.resolve())}: {len(paths)} map{'s' * (len(paths) != 1)}, {page} pages")
