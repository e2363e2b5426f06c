"""The map as one self-contained, interactive HTML page.

The page holds the SVG map inline, with a focusable hotspot over every step (the
steps on alternative paths too) that shows the step's details on hover or focus,
toggles for lanes and personas, and keyboard access. It loads nothing: no scripts,
styles, fonts or images from anywhere (a Content-Security-Policy says so to the
browser too), so it works offline and as an email attachment.

The SVG is drawn from the layout the caller passes, so the page shows the view that
was asked for (`--view blueprint`, `--show confidence`, `--summary`); hotspots are
placed from the same layout. A hidden lane is collapsed by the page's script, which
moves what lies below it up by the lane's height (the lanes' rows are passed to it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from journeymap.layouts import Box, Marker, Rect, Text
from journeymap.model import Journey
from journeymap.report import score_text
from journeymap.walk import Placed, channel_label, placed

if TYPE_CHECKING:
    from journeymap.layouts import Layout
    from journeymap.render.theme import Theme

_LANE_TITLES = {
    "actions": "Actions",
    "thoughts": "Thoughts",
    "touchpoints": "Touchpoints",
    "emotions": "Emotions",
    "pains": "Pain points",
    "opportunities": "Opportunities",
    "backstage": "Backstage",
    "support": "Support",
    "metrics": "Metrics",
}
CONFIDENCE = {"low": "low (an assumption)", "medium": "medium", "high": "high (a finding)"}


@dataclass(frozen=True, slots=True)
class _Hotspot:
    at: Placed
    box: Box | None  # where the step is drawn, in SVG units; None when this view does not draw it
    style: str  # the box as CSS percentages of the map's size


@cache
def _environment() -> jinja2.Environment:
    folder = Path(__file__).parent / "templates_html"
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _pct(value: float, whole: float) -> str:
    return f"{100 * value / whole:.4f}".rstrip("0").rstrip(".") + "%"


def _persona_colours(layout: Layout, journey: Journey) -> dict[str, str]:
    """Persona id -> the colour of its curve and markers (`data-persona` in the SVG), for the toggles' swatches."""
    if len(journey.personas) < 2:
        return {}
    markers = [
        item
        for group in layout.groups
        if group.lane == "emotions"
        for item in group.items
        if isinstance(item, Marker) and item.fill and item.persona
    ]
    colours = {}
    for persona in journey.personas:
        fill = next((m.fill for m in markers if m.persona == persona.id), None)
        if fill:
            colours[persona.id] = fill
    return colours


def _path_cards(layout: Layout, steps: list[Placed]) -> dict[str, Box]:
    """Step id -> the card a path's step is drawn as, found by the action written on it."""
    def squeeze(text: str) -> str:
        return "".join(text.split())

    waiting = [p for p in steps if p.branch is not None]
    found: dict[str, Box] = {}
    for group in layout.groups:
        if group.lane != "actions":
            continue
        card = None
        for item in group.items:
            if isinstance(item, Rect) and item.cls.startswith("card-path"):
                card = item.box
            elif isinstance(item, Text) and card is not None:
                match = next((p for p in waiting if squeeze(p.step.action) == squeeze("".join(item.lines))), None)
                if match:
                    found[match.step.id] = card
                    waiting.remove(match)
                    card = None
    return found


def _strip_prolog(svg: str) -> str:
    """Inline SVG in HTML takes no XML declaration."""
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)


def _json(value: Any) -> Markup:
    # "<" escaped so that no value can close the script element.
    return Markup(json.dumps(value, sort_keys=True).replace("<", "\\u003c"))


def render_html(journey: Journey, theme: str | Path | Theme = "default", layout: Layout | None = None) -> str:
    """The interactive page for `journey`, drawn with `theme`; same input, same bytes.

    `layout` is the view to show (views.compute); by default, the journey map.
    """
    from journeymap import views
    from journeymap.render.svg import render_layout
    from journeymap.render.theme import Theme, load_theme

    loaded = theme if isinstance(theme, Theme) else load_theme(theme)
    layout = layout or views.compute(journey, loaded)
    svg = _strip_prolog(render_layout(layout, loaded, embed_fonts=True))
    steps = placed(journey)
    boxes = dict(layout.steps) | _path_cards(layout, steps)
    hotspots = []
    for p in steps:
        box = boxes.get(p.step.id)
        style = (f"left:{_pct(box.x, layout.width)};top:{_pct(box.y, layout.height)};"
                 f"width:{_pct(box.w, layout.width)};height:{_pct(box.h, layout.height)}") if box else ""
        hotspots.append(_Hotspot(p, box, style))
    lanes = [(lane, _LANE_TITLES.get(lane, lane.capitalize())) for lane, _ in layout.lanes
             if f'id="jm-lane-{lane}"' in svg]
    bands = {lane: [box.y, box.bottom] for lane, box in layout.lanes}
    colours = _persona_colours(layout, journey)
    personas = [(p, colours[p.id]) for p in journey.personas if p.id in colours]
    names = {p.id: p.name for p in journey.personas}
    labels = {p.step.id: p.label for p in steps}
    return _environment().get_template("page.html.j2").render(
        journey=journey,
        svg=Markup(svg),  # our own renderer's output: every text in it is already escaped
        hotspots=hotspots,
        total=len(steps),
        lanes=lanes,
        personas=personas,
        persona_names=names,
        several=len(journey.persona_ids) > 1,
        colours_json=_json(colours),
        map_json=_json({"width": layout.width, "height": layout.height, "lanes": bands}),
        num=lambda v: f"{v:.2f}".rstrip("0").rstrip("."),
        score=score_text,
        labels=journey.emotion_scale.labels,
        step_label=labels,
        confidence=CONFIDENCE,
        channel_label=lambda cid: channel_label(journey, cid),
    )
