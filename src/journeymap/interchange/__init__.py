"""Bring maps in from other formats and take them out: Mermaid journey, CSV and JSON.

Imports build a plain document (the dicts and lists a YAML map holds), dump it as
canonical YAML and check that with the full validator, so an import never writes
an invalid map. Exports
read a compiled `Journey` and return the text plus the list of what the target
format could not hold, so that the command line can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.model import Journey
from journeymap.safe_yaml import MAX_NODES, TOO_MANY_VALUES

EXTENSIONS = {".mmd": "mmd", ".mermaid": "mmd", ".csv": "csv", ".json": "json"}
SCHEMA_COMMENT = "# yaml-language-server: $schema=journeymap.schema.json"


@dataclass(frozen=True, slots=True)
class Exported:
    text: str
    # Human-readable notes on what the format could not keep; empty when nothing was lost.
    warnings: tuple[str, ...] = ()


def format_of(path: str) -> str | None:
    """The interchange format a file name implies, or None."""
    return EXTENSIONS.get(Path(path).suffix.lower())


@dataclass(frozen=True, slots=True)
class Imported:
    text: str  # the YAML map
    # What the source held that the map leaves out, as positioned warnings.
    warnings: tuple[Diagnostic, ...] = ()


def import_text(text: str, fmt: str, filename: str = "<string>", title: str | None = None) -> str:
    """A valid YAML map from Mermaid, CSV or JSON text; raises `JourneyError`."""
    return import_source(text, fmt, filename, title).text


def import_source(text: str, fmt: str, filename: str = "<string>", title: str | None = None) -> Imported:
    """A valid YAML map from Mermaid, CSV or JSON text, with warnings; raises `JourneyError`."""
    from journeymap.interchange import csv_format, json_format, mermaid

    default_title = title or _title_from(filename)
    warnings: list[Diagnostic] = []
    parsers: dict[str, Callable[[], dict[str, Any]]] = {
        "mmd": lambda: mermaid.parse(text, filename, default_title, warnings),
        "csv": lambda: csv_format.parse(text, filename, default_title),
        "json": lambda: json_format.parse(text, filename),
    }
    doc = parsers[fmt]()
    if _values(doc) > MAX_NODES:
        # Checked before the map is written out: formatting and validating it would cost minutes.
        raise JourneyError([Diagnostic(TOO_MANY_VALUES.replace("the document", "the imported map"), filename,
                                       code="E009")])
    if title:
        doc["title"] = title
    return Imported(checked_yaml(doc, filename), tuple(warnings))


def _values(value: Any) -> int:
    """Values in a document as the YAML loader counts them: every mapping, key, list and scalar."""
    if isinstance(value, Mapping):
        return 1 + sum(1 + _values(v) for v in value.values())
    if isinstance(value, list | tuple):
        return 1 + sum(_values(v) for v in value)
    return 1


def checked_yaml(doc: Mapping[str, Any], filename: str = "<string>") -> str:
    """Canonical YAML for a document, checked by the full validator; raises `JourneyError`."""
    from journeymap.validation import check

    yaml_text = document_to_yaml(doc)
    errors = [d for d in check(yaml_text).diagnostics if d.is_error]
    if errors:
        raise JourneyError([
            Diagnostic(f"the imported map would be invalid: {d.message}", filename, path=d.path, code=d.code)
            for d in errors
        ])
    return yaml_text


def export_journey(journey: Journey, fmt: str) -> Exported:
    from journeymap.interchange import csv_export, json_format, mermaid

    exporters: dict[str, Callable[[Journey], Exported]] = {
        "mmd": mermaid.dump,
        "csv": csv_export.dump,
        "json": json_format.dump,
    }
    return exporters[fmt](journey)


def _title_from(filename: str) -> str:
    stem = Path(filename).stem if filename not in ("", "-", "<string>", "<stdin>") else ""
    words = stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Untitled journey"


def document_to_yaml(doc: Mapping[str, Any]) -> str:
    """Canonical YAML for a document, starting with the editor schema comment."""
    import yaml

    from journeymap.fmt import format_text

    body = yaml.safe_dump(_plain(doc), sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)
    return format_text(f"{SCHEMA_COMMENT}\n{body}")


def number(value: float) -> int | float:
    """A score as written by people: 2, not 2.0."""
    return int(value) if float(value).is_integer() else value


def rescale(value: float, src: tuple[float, float], dst: tuple[float, float]) -> float:
    """Map a score linearly from one scale onto another."""
    (a, b), (c, d) = src, dst
    return c + (value - a) * (d - c) / (b - a) if b != a else c


def _plain(value: Any) -> Any:
    """Plain dicts and lists (the YAML dumper refuses mapping proxies and tuples)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
