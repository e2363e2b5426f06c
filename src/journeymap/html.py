"""The map as one self-contained, interactive HTML page.

The page holds the SVG map inline, with a focusable hotspot over every step that
shows the step's details on hover or focus, toggles for lanes and personas, and
keyboard access. It loads nothing: no scripts, styles, fonts or images from
anywhere (a Content-Security-Policy says so to the browser too), so it works
offline and as an email attachment.
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

from journeymap.model import Journey, Stage, Step
from journeymap.report import score_text

if TYPE_CHECKING:
    from journeymap.render.theme import Theme

_LANE_TITLES = {
    "actions": "Actions",
    "thoughts": "Thoughts",
    "touchpoints": "Touchpoints",
    "emotions": "Emotions",
    "pains": "Pain points",
    "opportunities": "Opportunities",
    "backstage": "Backstage",
    "metrics": "Metrics",
}


@dataclass(frozen=True, slots=True)
class _Hotspot:
    number: int
    step: Step
    stage: Stage
    left: str  # CSS percentages of the map's size
    top: str
    width: str
    height: str


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


def _persona_colours(layout: Any, journey: Journey) -> dict[str, str]:
    """Persona id -> the colour of its curve and markers (`data-persona` in the SVG), for the toggles' swatches."""
    if len(journey.personas) < 2:
        return {}
    markers = [
        item
        for group in layout.groups
        if group.lane == "emotions"
        for item in group.items
        if item.kind == "marker" and item.fill and item.persona
    ]
    colours = {}
    for persona in journey.personas:
        fill = next((m.fill for m in markers if m.persona == persona.id), None)
        if fill:
            colours[persona.id] = fill
    return colours


def _strip_prolog(svg: str) -> str:
    """Inline SVG in HTML takes no XML declaration."""
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)


def render_html(journey: Journey, theme: str | Path | Theme = "default") -> str:
    """The interactive page for `journey`, drawn with `theme`; same input, same bytes."""
    from journeymap.layouts import compute_layout
    from journeymap.render import render_svg
    from journeymap.render.theme import load_theme

    loaded = load_theme(theme)
    layout = compute_layout(journey, loaded)
    svg = _strip_prolog(render_svg(journey, loaded, embed_fonts=True))
    boxes = dict(layout.steps)
    hotspots = []
    number = 0
    for stage in journey.stages:
        for step in stage.steps:
            number += 1
            box = boxes[step.id]
            hotspots.append(
                _Hotspot(number, step, stage, _pct(box.x, layout.width), _pct(box.y, layout.height),
                         _pct(box.w, layout.width), _pct(box.h, layout.height))
            )
    lanes = [(lane, _LANE_TITLES[lane]) for lane in journey.lanes if f'id="jm-lane-{lane}"' in svg]
    colours = _persona_colours(layout, journey)
    personas = [(p, colours[p.id]) for p in journey.personas if p.id in colours]
    names = {p.id: p.name for p in journey.personas}
    return _environment().get_template("page.html.j2").render(
        journey=journey,
        svg=Markup(svg),  # our own renderer's output: every text in it is already escaped
        hotspots=hotspots,
        total=number,
        lanes=lanes,
        personas=personas,
        persona_names=names,
        several=len(journey.persona_ids) > 1,
        # "<" escaped so that no value can close the script element.
        colours_json=Markup(json.dumps(colours, sort_keys=True).replace("<", "\\u003c")),
        score=score_text,
        labels=journey.emotion_scale.labels,
        channel_label=lambda cid: journey.channels[cid].label if cid in journey.channels else cid,
    )
