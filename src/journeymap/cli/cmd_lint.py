"""`journeymap lint`: best-practice checks on maps."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from journeymap.cli import app
from journeymap.cli.cmd_validate import Format
from journeymap.sources import NoMaps, find_maps

_HELP = """\
Check maps against journey-mapping practice; a map that fails validation reports its validation errors.

[bold]Examples[/bold]

  journeymap lint examples/
  journeymap lint maps/*.yaml --format github
  journeymap lint map.yaml --ignore JM105 --strict
  journeymap lint --rules

Findings are warnings unless the settings raise them to errors
(severity = { JM103 = "error" }); select and ignore take codes or prefixes.
Settings: \\[tool.journeymap.lint] in pyproject.toml or \\[lint] in
journeymap.toml, found as build finds its own (the nearest above each map,
up to the repository root). In a map, '# journeymap: disable=JM101,JM105'
(codes or prefixes, then a reason if you like) on a line of its own turns
rules off for the file, and after a value, for that line only; a code that
names no rule is a JM100 warning.

Exit codes: 0 no errors (warnings alone pass, unless --strict), 1 an error (or, with --strict,
any finding), 2 usage error (no maps found, unusable settings or options).
"""


def _codes(values: list[str] | None) -> list[str]:
    return [c.strip().upper() for v in values or () for c in v.split(",") if c.strip()]


def _print_rules(fmt: str) -> None:
    from journeymap.lint.rules import RULES

    if fmt == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity, "doc": r.doc} for r in RULES.values()]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    for r in RULES.values():
        sys.stdout.write(f"{r.code}  {r.name} ({r.severity})\n       {r.doc}\n")


@app.command(help=_HELP)
def lint(
    paths: Annotated[list[str] | None, typer.Argument(help="Map files, directories (searched for *.yaml and *.yml) or globs.", show_default=False, metavar="PATHS")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text (for people), json, or github (workflow annotations).", case_sensitive=False, metavar="FORMAT")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rule codes or prefixes (comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rule codes or prefixes (comma-separated).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (a pyproject.toml or journeymap.toml); default: the nearest one above each map.")] = None,
    rules: Annotated[bool, typer.Option("--rules", help="List the rules with their codes and docs, and exit.")] = False,
) -> None:
    from journeymap.diagnostics import print_diagnostics, summary
    from journeymap.lint.config import ConfigError, LintConfig, find_config, load_config
    from journeymap.lint.rules import RULES
    from journeymap.lint.runner import run_rules
    from journeymap.validation import check

    if rules:
        _print_rules(fmt.value)
        raise typer.Exit(0)
    if not paths:
        _usage("no maps given; pass files, directories or globs (see --help)")
    try:
        files = find_maps(paths)
    except NoMaps as e:
        _usage(f"no maps found at '{e}' (looked for *.yaml and *.yml files)")

    settings: dict[Path | None, LintConfig] = {}
    sources_by_folder: dict[Path, Path | None] = {}  # maps in one folder share a settings file: search once

    def settings_for(file: Path) -> LintConfig:
        if config is None and file.parent not in sources_by_folder:
            sources_by_folder[file.parent] = find_config(file.parent)
        source = config or sources_by_folder[file.parent]
        if source not in settings:
            base = load_config(source) if source else LintConfig()
            settings[source] = base.override(_codes(select), _codes(ignore))
        return settings[source]

    if not files:  # pre-commit passed only YAML that is clearly not a map
        raise typer.Exit(0)
    diagnostics = []
    sources: dict[str, str | None] = {}
    try:
        if config is not None and not config.is_file():
            raise ConfigError(f"{config}: no such settings file")
        settings_for(files[0])  # unusable settings or options are a usage error before any output
        for file in files:
            result = check(file)
            diagnostics += result.diagnostics
            sources.update(result.sources)
            if result.journey is not None and result.document is not None:
                diagnostics += run_rules(result.journey, result.document, settings_for(file))
    except ConfigError as exc:
        _usage(str(exc))

    if fmt is Format.json:
        sys.stdout.write(_json(diagnostics))
    else:
        print_diagnostics(diagnostics, fmt.value, sys.stdout, sources)
    line = summary(len(files), diagnostics)
    if fmt is Format.text:
        fired = sorted({d.code for d in diagnostics if d.code in RULES})
        docs = "".join(f"{code} {RULES[code].name}: {RULES[code].doc}\n" for code in fired)
        typer.echo(("\n" + docs if docs else "") + ("\n" if diagnostics else "") + line)
    else:
        typer.echo(line, err=True)
    failed = any(d.is_error for d in diagnostics) or (strict and bool(diagnostics))
    raise typer.Exit(1 if failed else 0)


def _json(diagnostics: list) -> str:
    """The diagnostics as `validate --format json` prints them, plus the rule's name and doc."""
    from dataclasses import asdict

    from journeymap.diagnostics import Diagnostic
    from journeymap.lint.rules import RULES

    rows = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        row = asdict(d)
        if d.code in RULES:
            row.update(rule=RULES[d.code].name, doc=RULES[d.code].doc)
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _usage(message: str) -> NoReturn:
    typer.echo(f"journeymap lint: {message}", err=True)
    raise typer.Exit(2)
