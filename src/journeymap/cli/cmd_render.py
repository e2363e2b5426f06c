"""`journeymap render` (a map to SVG, PNG or PDF) and `journeymap themes`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from journeymap.cli import app
from journeymap.files import write_atomic

_EXTENSIONS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".html": "html", ".htm": "html"}


class View(str, Enum):
    map = "map"
    blueprint = "blueprint"


class Show(str, Enum):
    confidence = "confidence"


class Fmt(str, Enum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    html = "html"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"journeymap render: {message}", err=True)
    return typer.Exit(code)


@app.command(epilog="""[b]Examples[/b]

  journeymap render map.yaml -o map.svg
  journeymap render map.yaml -o map.png --theme dark --scale 2
  journeymap render map.yaml -o map.pdf --theme print
  journeymap render map.yaml -o map.html [dim]one self-contained page: step details on hover, lane toggles[/dim]
  journeymap render map.yaml -o blueprint.html --view blueprint --summary
  journeymap render map.yaml -o - --theme ./brand-theme [dim]SVG on stdout, a theme from a folder[/dim]
  journeymap render map.yaml -o blueprint.png --view blueprint
  journeymap render map.yaml -o eileen.svg --persona eileen --show confidence --summary

[b]Exit codes[/b]: 0 rendered, 1 invalid map or theme, or OUT cannot be written, 2 usage error.
""")
def render(
    map_path: str = typer.Argument(..., metavar="FILE", help="The YAML map to render.", show_default=False),
    output: str = typer.Option(..., "--output", "-o", help="The file to write (.svg, .png, .pdf, or .html for an interactive page), or - for SVG on stdout.",
                               show_default=False),
    theme: str = typer.Option("default", "--theme", "-t", help="A built-in theme (see `journeymap themes`) or a theme folder."),
    fmt: Optional[Fmt] = typer.Option(None, "--format", "-f", help="svg, png, pdf or html; default: from OUT's extension.",
                                      case_sensitive=False),
    no_embed_fonts: bool = typer.Option(False, "--no-embed-fonts", help="SVG: leave the font subset out (smaller files)."),
    scale: float = typer.Option(1.0, "--scale", min=0.01, max=10.0, help="PNG/PDF: size multiplier."),
    dpi: float = typer.Option(96.0, "--dpi", min=1.0, max=2400.0, help="PNG/PDF: resolution recorded in the file."),
    width: Optional[int] = typer.Option(None, "--width", min=1, max=32767, help="PNG: width in pixels (wins over --scale)."),
    background: Optional[str] = typer.Option(None, "--background", help="PNG/PDF: a background colour, e.g. white."),
    view: View = typer.Option(View.map, "--view", help="map (the journey map) or blueprint (a service blueprint).",
                              case_sensitive=False),
    persona: Optional[str] = typer.Option(None, "--persona", help="Draw one persona's view (a persona id)."),
    show: list[Show] = typer.Option([], "--show", help="Overlays: confidence (tint each step by its confidence).",
                                    case_sensitive=False),
    summary: bool = typer.Option(False, "--summary", help="Add the opportunities ranked by impact and effort."),
) -> None:
    """Draw a map as a designed journey map: SVG, PNG, PDF or an interactive HTML page."""
    import sys

    from journeymap.diagnostics import JourneyError, print_diagnostics
    from journeymap.export.errors import ExportError
    from journeymap.validation import check

    kind = fmt.value if fmt else _EXTENSIONS.get(Path(output).suffix.lower(), "svg" if output == "-" else None)
    if kind is None:
        raise _fail(f"cannot tell the format of '{output}'; use --format svg|png|pdf|html", 2)
    if output == "-" and kind != "svg":
        raise _fail("only SVG can be written to stdout; give a file name for PNG or PDF", 2)
    result = check(map_path)
    if result.journey is None:
        print_diagnostics(result.diagnostics, "text", sys.stderr, result.sources)
        raise typer.Exit(1)
    try:
        from journeymap import views
        from journeymap.render.svg import render_layout
        from journeymap.render.theme import load_theme

        journey = views.select_persona(result.journey, persona, result.file) if persona else result.journey
        loaded = load_theme(theme)
        layout = views.compute(journey, loaded, view=view.value, show={s.value for s in show}, summary=summary)
        if kind == "html":
            from journeymap.html import render_html

            data = render_html(journey, loaded, layout).encode("utf-8")  # the view, overlays and summary asked for
        elif kind == "svg":
            data = render_layout(layout, loaded, embed_fonts=not no_embed_fonts).encode("utf-8")
        else:
            from journeymap.export import convert

            svg = render_layout(layout, loaded, embed_fonts=False)
            data = convert(svg, kind, theme_dirs=loaded.folders, scale=scale, dpi=dpi, width=width, background=background)
    except ExportError as exc:  # about the output file, not a place in the map
        raise _fail(f"cannot export '{output}': {exc}", 1) from None
    except JourneyError as exc:
        print_diagnostics(exc.diagnostics, "text", sys.stderr)
        raise typer.Exit(1) from None
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise _fail(f"cannot write '{output}': {exc.strerror or exc}", 1) from None


@app.command(epilog=r"""[b]Examples[/b]

  journeymap themes
  journeymap render map.yaml -o map.svg --theme print
  [dim]use one by name; a theme of your own is a folder: --theme ./brand[/dim]
""")
def themes() -> None:
    """List the built-in themes: name, description and folder."""
    from journeymap.render.theme import builtin_folders, load_theme

    for folder in builtin_folders():
        theme = load_theme(folder.name)
        typer.echo(f"{theme.name:<10} {theme.description}  ({folder})")
