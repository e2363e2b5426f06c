"""Property test from our own JSON Schema: every schema-valid map either renders to SVG, PNG and PDF
with every layout invariant kept, or gets clean diagnostics — never a traceback.

Documents come from hypothesis-jsonschema, written out as JSON (which is YAML, with every string
quoted) and compiled from that text like a file. How many: JOURNEYMAP_FUZZ_EXAMPLES (default 80 drawn
as SVG and a quarter of that exported to PNG and PDF, about a minute on two idle cores; the long
run uses 10000). The default run is derandomized so that CI
sees the same documents every time; a set count runs fresh random documents.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from layout_invariants import check_layout

from journeymap.diagnostics import JourneyError
from journeymap.export import convert
from journeymap.layouts import compute_layout
from journeymap.render import render_svg
from journeymap.render.theme import load_theme
from journeymap.validation import check, schema

EXAMPLES = int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES") or 80)
LONG_RUN = bool(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES"))

# Characters YAML does not allow raw in a file (JSON allows them in strings): written as \u escapes.
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]")

STATS = {"documents": 0, "semantic": 0, "svg": 0, "png": 0, "pdf": 0, "export_refused": 0}


def drawable_schema() -> dict:
    """A stricter copy of the schema whose documents mostly pass the semantic checks too.

    Straight from the schema, most documents fail a rule the schema cannot express (an emotion
    off the scale, an undeclared channel, emotions keyed by unknown personas) and never reach the
    renderer. Every document of this copy is still valid under the real schema.
    """
    from journeymap.model import BUILTIN_CHANNELS

    strict = _copy(schema())
    for key in ("personas", "emotion_scale", "channels"):
        del strict["properties"][key]
    step = strict["definitions"]["step_mapping"]["properties"]
    step["emotion"] = {"type": "integer", "minimum": -2, "maximum": 2}
    channel = {"enum": sorted(BUILTIN_CHANNELS)}
    touchpoint = strict["definitions"]["touchpoint"]["oneOf"]
    touchpoint[0] = channel
    touchpoint[1]["properties"]["channel"] = channel
    step["touchpoints"]["items"] = strict["definitions"]["touchpoint"]
    for definition in ("stage", "step_mapping"):
        strict["definitions"][definition]["properties"].pop("id")  # derived ids can still collide
    # Flow keys name other steps by id: random ids name nothing. (Paths, next and exit are fuzzed through the
    # schema's own documents.)
    for key in ("paths", "next", "exit", "exit_reason"):
        step.pop(key, None)
    # Inline every $ref: hypothesis-jsonschema resolves them through the $id, which would reach the real schema.
    definitions = strict.pop("definitions")
    del strict["$id"]

    def inline(node: object) -> object:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].removeprefix("#/definitions/")])
            return {k: inline(v) for k, v in node.items()}
        return [inline(v) for v in node] if isinstance(node, list) else node

    return _bounded(inline(strict))


def _bounded(node: object) -> object:
    """Small lists and strings: generating big ones costs seconds a document and finds nothing new."""
    if isinstance(node, list):
        return [_bounded(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _bounded(v) for k, v in node.items()}
    if out.get("type") == "array":
        out.setdefault("maxItems", 4)
    if out.get("type") == "string" and "enum" not in out and "pattern" not in out:
        out.setdefault("maxLength", 60)
    return out


def _copy(value: dict) -> dict:
    return json.loads(json.dumps(value))


# Copies: from_schema rewrites the schema it is given in place, and schema() is the validator's own.
# Half from the schema as it is (the first kind is slow to generate: long lists of long strings), half
# from the drawable copy, which reaches the renderer.
_DRAWABLE = from_schema(drawable_schema())
DOCUMENTS = st.one_of(from_schema(_copy(schema())), from_schema(_bounded(_copy(schema()))), _DRAWABLE, _DRAWABLE)


def as_yaml(doc: dict) -> str:
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(doc, ensure_ascii=False, indent=1))


# Shrinking a failure found by the CI-sized run can take minutes: CI reports the example as found
# (with the blob to reproduce it); the long run shrinks.
PHASES = list(Phase) if LONG_RUN else [Phase.explicit, Phase.reuse, Phase.generate]
SETTINGS = dict(deadline=None, database=None, derandomize=not LONG_RUN, print_blob=True, phases=PHASES,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def compiled(doc: dict):
    """The journey of a generated document, or None when it fails (only) the semantic checks."""
    text = as_yaml(doc)
    assume(not re.search("[\ud800-\udfff]", text))  # a lone surrogate cannot be written to a file at all
    STATS["documents"] += 1
    result = check(text)
    if result.journey is None:
        # The schema is satisfied, so only the checks it cannot express may fail, each with a position.
        assert result.diagnostics and all(d.code.startswith(("E2", "W2")) for d in result.diagnostics), \
            result.diagnostics
        assert all(d.line >= 1 and d.column >= 1 for d in result.diagnostics)
        STATS["semantic"] += 1
    return result.journey


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(doc=DOCUMENTS, theme=st.sampled_from(["default", "dark", "print"]))
def test_schema_valid_maps_lay_out_and_draw_or_get_clean_diagnostics(doc: dict, theme: str) -> None:
    journey = compiled(doc)
    if journey is None:
        return
    loaded = load_theme(theme)
    assert check_layout(compute_layout(journey, loaded), journey) == []
    svg = render_svg(journey, loaded)
    ET.fromstring(svg.encode("utf-8"))
    assert render_svg(journey, loaded) == svg  # same input, same bytes
    STATS["svg"] += 1


# PNG and PDF cost ~0.5 s a map (cairosvg draws text glyph by glyph): a quarter as many documents.
@settings(max_examples=max(1, EXAMPLES // 4), **SETTINGS)
@given(doc=DOCUMENTS, theme=st.sampled_from(["default", "dark", "print"]))
def test_schema_valid_maps_export_to_png_and_pdf_or_get_clean_diagnostics(doc: dict, theme: str) -> None:
    journey = compiled(doc)
    if journey is None:
        return
    loaded = load_theme(theme)
    svg = render_svg(journey, loaded, embed_fonts=False)
    for fmt, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")):
        try:
            data = convert(svg, fmt, theme_dirs=loaded.folders)
        except JourneyError as exc:
            # Only a clean refusal of a drawing too large for the format: one diagnostic, one line.
            assert [d.code for d in exc.diagnostics] == ["E700"] and " would be " in str(exc), exc.diagnostics
            STATS["export_refused"] += 1
        else:
            assert data.startswith(magic)
            STATS[fmt] += 1


def test_fuzz_counts() -> None:
    # Runs after the property test (file order): the counts go to the log for the record.
    print(f"\nfuzz: {STATS}")
    if STATS["documents"]:
        assert STATS["svg"] > 0 and STATS["png"] + STATS["export_refused"] > 0
