"""Bring maps in from other formats and take them out: Mermaid journey, CSV and JSON.

Imports produce a plain document (the dicts and lists a YAML map holds), checked
against the schema and dumped as canonical YAML with `document_to_yaml`. Exports
read a compiled `Journey` and return the text plus the list of what the target
format could not hold, so that the command line can say so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable, Mapping

from journeymap.diagnostics import Diagnostic, JourneyError
from journeymap.model import Journey, build_journey

FORMATS = ("mmd", "csv", "json")
EXTENSIONS = {".mmd": "mmd", ".mermaid": "mmd", ".csv": "csv", ".json": "json"}
SCHEMA_COMMENT = "# yaml-language-server: $schema=https://journeymap.dev/schema/journeymap-1.schema.json"


@dataclass(frozen=True, slots=True)
class Exported:
    text: str
    # Human-readable notes on what the format could not keep; empty when nothing was lost.
    warnings: tuple[str, ...] = ()


def format_of(path: str) -> str | None:
    """The interchange format a file name implies, or None."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def import_text(text: str, fmt: str, filename: str = "<string>", title: str | None = None) -> dict[str, Any]:
    """A schema-valid map document from Mermaid, CSV or JSON text; raises `JourneyError`."""
    from journeymap.interchange import csv_format, json_format, mermaid

    default_title = title or _title_from(filename)
    parsers: dict[str, Callable[[], dict[str, Any]]] = {
        "mmd": lambda: mermaid.parse(text, filename, default_title),
        "csv": lambda: csv_format.parse(text, filename, default_title),
        "json": lambda: json_format.parse(text, filename),
    }
    doc = parsers[fmt]()
    if title:
        doc["title"] = title
    check_document(doc, filename)
    return doc


def export_journey(journey: Journey, fmt: str) -> Exported:
    from journeymap.interchange import csv_format, json_format, mermaid

    exporters: dict[str, Callable[[Journey], Exported]] = {
        "mmd": mermaid.dump,
        "csv": csv_format.dump,
        "json": json_format.dump,
    }
    return exporters[fmt](journey)


def _title_from(filename: str) -> str:
    stem = Path(filename).stem if filename not in ("", "-", "<string>", "<stdin>") else ""
    words = stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Untitled journey"


@cache
def _validator() -> Any:
    from jsonschema import Draft7Validator

    from journeymap.resources import schema_path

    return Draft7Validator(json.loads(schema_path().read_text(encoding="utf-8")))


def _string_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def check_document(doc: Mapping[str, Any], filename: str = "<string>") -> Journey:
    """Schema-check a document and compile it; raises `JourneyError` naming every problem."""
    errors = sorted(_validator().iter_errors(_string_keys(doc)), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise JourneyError([
            Diagnostic(f"the result is not a valid map: {e.message}", filename, path=_path(e.absolute_path), code="E900")
            for e in errors
        ])
    return build_journey(_string_keys(doc))


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_map(path: str) -> Journey:
    """Compile a map file with the project's loader (positions, every diagnostic)."""
    import importlib.util

    if importlib.util.find_spec("journeymap.validate") is None:  # loader not installed: plain safe load
        return _plain_load(path)
    from journeymap.api import load

    return load(path)


def _plain_load(path: str) -> Journey:
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise JourneyError([Diagnostic(f"cannot read the map: {exc}", path, code="E001")]) from None
    if not isinstance(doc, dict):
        raise JourneyError([Diagnostic("a map must be a YAML mapping", path, code="E001")])
    return check_document(doc, path)


def document_to_yaml(doc: Mapping[str, Any]) -> str:
    """Canonical YAML for a document, starting with the editor schema comment."""
    import yaml

    from journeymap.fmt import format_text

    body = yaml.safe_dump(dict(doc), sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)
    return format_text(f"{SCHEMA_COMMENT}\n{body}")


def number(value: float) -> int | float:
    """A score as written by people: 2, not 2.0."""
    return int(value) if float(value).is_integer() else value


def rescale(value: float, src: tuple[float, float], dst: tuple[float, float]) -> float:
    """Map a score linearly from one scale onto another."""
    (a, b), (c, d) = src, dst
    return c + (value - a) * (d - c) / (b - a) if b != a else c
