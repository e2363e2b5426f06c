"""The map in the terminal: stages as columns, lanes as rows, and the emotion curve.

Built from rich renderables so that the same code prints colour on a terminal
and plain text into a pipe or a CI log. Steps are numbered across the whole map
so that a number in one lane points at the same step in every other lane; a
path's steps are numbered after the step they branch from (3a, 3b), as the report
numbers them, and listed under it. With `ascii_only` every character printed is
ASCII, the map's own text too (transliterated: "–" becomes "-").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from types import MappingProxyType
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from journeymap.model import Journey, Stage, Step
from journeymap.report import score_text
from journeymap.walk import Placed, channel_label, placed

SPARKS = "▁▂▃▄▅▆▇█"
ASCII_SPARKS = "_.-=+*#@"
# One marker per persona; shape, not colour, tells them apart.
MARKERS = "●○■◆▲"
ASCII_MARKERS = "o*x#+"
_LANE_TITLES = {
    "actions": "Actions",
    "thoughts": "Thoughts",
    "touchpoints": "Touchpoints",
    "emotions": "Emotion",
    "pains": "Pains",
    "opportunities": "Opportunities",
    "backstage": "Backstage",
    "metrics": "Metrics",
}
# Characters that NFKD does not take apart into ASCII, as people type them without the key.
_ASCII = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2026": "...", "\u2022": "*", "\u00b7": "-", "\u00d7": "x", "\u2192": "->", "\u2190": "<-",
    "\u2264": "<=", "\u2265": ">=", "\u00a0": " ", "\u20ac": "EUR", "\u00a3": "GBP", "\u00b0": " deg",
    "\u00df": "ss", "\u00e6": "ae", "\u00c6": "AE", "\u0153": "oe", "\u0152": "OE", "\u00f8": "o", "\u00d8": "O",
    "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D", "\u00fe": "th", "\u00de": "Th",
})


def to_ascii(text: str) -> str:
    """ASCII for a terminal that has nothing else: accents dropped, dashes and quotes typed, the rest '?'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c if c.isascii() else "?" for c in decomposed if not unicodedata.combining(c))


def _ascii(value: Any) -> Any:
    """The model with every string in it transliterated (ids too, consistently, so references still hold)."""
    if isinstance(value, str):
        return to_ascii(value)
    if isinstance(value, tuple):
        return tuple(_ascii(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({_ascii(k): _ascii(v) for k, v in value.items()})
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _ascii(getattr(value, f.name)) for f in fields(value) if f.init})
    return value


def spark(score: float | None, low: float, high: float, chars: str = SPARKS) -> str:
    """One character for a score on the scale; a space when there is none."""
    if score is None:
        return " "
    span = high - low or 1
    level = round((min(max(score, low), high) - low) / span * (len(chars) - 1))
    return chars[level]


def _persona_names(journey: Journey) -> dict[str, str]:
    names = {p.id: p.name for p in journey.personas}
    return {pid: names.get(pid, pid.capitalize()) for pid in journey.persona_ids}


def _emotion_ids(journey: Journey) -> list[str]:
    used = {pid for step in journey.every_step for pid in step.emotions}
    return [pid for pid in journey.persona_ids if pid in used] + sorted(used - set(journey.persona_ids))


def _lines(items: list[str]) -> Text:
    return Text("\n".join(items))


def _by_stage(journey: Journey) -> list[list[Placed]]:
    """Every step of each stage: its own, each followed by the steps of its paths."""
    stages: dict[int, list[Placed]] = {id(stage): [] for stage in journey.stages}
    for p in placed(journey):
        stages[id(p.stage)].append(p)
    return list(stages.values())


def _cell(journey: Journey, lane: str, stage: Stage, steps: list[Placed], ascii_only: bool) -> RenderableType:
    """The content of one stage in one lane: `steps` are the stage's, those on its paths included."""
    sep = "-" if ascii_only else "·"
    if lane == "actions":
        labels = {p.step.id: p.label for p in steps} | _main_labels(journey)
        return _lines([_action(p, labels, ascii_only) for p in steps])
    if lane == "thoughts":
        return _lines([f"{p.label}: {t}" for p in steps for t in p.step.thoughts])
    if lane == "touchpoints":
        return _lines([
            f"{p.label}: {channel_label(journey, t.channel)}" + (f" {sep} {t.name}" if t.name else "")
            for p in steps
            for t in p.step.touchpoints
        ])
    if lane == "pains":
        return _lines([f"{p.label}: {pain}" for p in steps for pain in p.step.pains])
    if lane == "opportunities":
        return _lines([f"{p.label}: {o.idea}" + _rating(o.impact, o.effort) for p in steps for o in p.step.opportunities])
    if lane == "backstage":
        return _lines([f"{p.label}: {b}" for p in steps for b in p.step.backstage])
    if lane == "metrics":
        return _lines([f"{m.name}: {m.text}" for m in stage.metrics])
    return _emotion_cell(journey, steps, ascii_only)


def _main_labels(journey: Journey) -> dict[str, str]:
    """Main-path step id -> its number: where paths rejoin and loops go back to."""
    return {step.id: str(n) for n, step in enumerate(journey.steps, 1)}


def _action(p: Placed, labels: dict[str, str], ascii_only: bool) -> str:
    text = f"{p.label}. {p.step.action}" + (" (!)" if p.step.moment_of_truth else "")
    if p.branch is None:
        return text
    if p.step.exit:
        text += " (drops out)"
    elif p.step.next in labels:
        text += f" (next: {labels[p.step.next]})"
    elif p.step is p.branch.steps[-1] and p.branch.rejoin in labels:
        text += f" (rejoins {labels[p.branch.rejoin]})"
    return ("  -> " if ascii_only else "  \u21b3 ") + text


def _rating(impact: str | None, effort: str | None) -> str:
    parts = [f"impact {impact}" if impact else "", f"effort {effort}" if effort else ""]
    return f" [{', '.join(p for p in parts if p)}]" if impact or effort else ""


def _emotion_cell(journey: Journey, steps: list[Placed], ascii_only: bool) -> Text:
    """Per persona: the main path's sparkline and scores, then one line for each path that has a score."""
    scale = journey.emotion_scale
    chars = ASCII_SPARKS if ascii_only else SPARKS
    ids = _emotion_ids(journey)
    markers = ASCII_MARKERS if ascii_only else MARKERS
    main = [p.step for p in steps if p.branch is None]
    rows = []

    def line(run: list[Step], pid: str) -> str:
        sparks = "".join(spark(s.emotions.get(pid), scale.min, scale.max, chars) for s in run)
        return sparks + " " + " ".join(score_text(s.emotions[pid]) if pid in s.emotions else "?" for s in run)

    for i, pid in enumerate(ids):
        # With several personas, the plot's markers tell the rows apart.
        prefix = f"{markers[i % len(markers)]} " if len(ids) > 1 else ""
        rows.append(prefix + line(main, pid))
        for step in main:
            for branch in step.paths:
                if any(pid in s.emotions for s in branch.steps):
                    first = next(p.label for p in steps if p.step is branch.steps[0])
                    rows.append(f"{prefix}{'->' if ascii_only else chr(0x21b3)} {first} {line(list(branch.steps), pid)}")
    return _lines(rows)


# Below this many columns per stage the grid gets unreadable; stages are then stacked.
MIN_STAGE_WIDTH = 12


def _lanes(journey: Journey) -> list[str]:
    return [lane for lane in journey.lanes if lane != "emotions" or _emotion_ids(journey)]


def _table(ascii_only: bool, **options: object) -> Table:
    return Table(box=box.ASCII if ascii_only else box.ROUNDED, show_lines=True, header_style="bold", **options)  # type: ignore[arg-type]


def map_table(journey: Journey, *, ascii_only: bool = False) -> Table:
    """Stages as columns, lanes as rows."""
    table = _table(ascii_only)
    table.add_column("Lane", style="bold", no_wrap=True)
    if any(step.moment_of_truth for step in journey.steps):
        table.caption = "(!) moment of truth"
    for stage in journey.stages:
        table.add_column(stage.name, overflow="fold", ratio=1)
    by_stage = _by_stage(journey)
    for lane in _lanes(journey):
        table.add_row(
            _LANE_TITLES[lane],
            *(_cell(journey, lane, stage, steps, ascii_only) for stage, steps in zip(journey.stages, by_stage)),
        )
    return table


def stage_tables(journey: Journey, *, ascii_only: bool = False) -> list[Table]:
    """One table per stage, lanes as rows: for terminals too narrow for the grid."""
    tables = []
    for stage, steps in zip(journey.stages, _by_stage(journey)):
        main = [p.label for p in steps if p.branch is None]
        numbers = f"step {main[0]}" if len(main) == 1 else f"steps {main[0]}-{main[-1]}"
        table = _table(ascii_only, title=f"{stage.name} ({numbers})", title_justify="left", title_style="bold",
                       show_header=False)
        table.add_column("Lane", style="bold", no_wrap=True)
        table.add_column(stage.name, overflow="fold")
        for lane in _lanes(journey):
            table.add_row(_LANE_TITLES[lane], _cell(journey, lane, stage, steps, ascii_only))
        tables.append(table)
    if tables and any(step.moment_of_truth for step in journey.steps):
        tables[-1].caption = "(!) moment of truth"
    return tables


class MapView:
    """The grid when the width allows MIN_STAGE_WIDTH per stage, else the stages one under another."""

    def __init__(self, journey: Journey, ascii_only: bool = False):
        self.journey, self.ascii_only = journey, ascii_only

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        n = len(self.journey.stages)
        lane_width = max(len(_LANE_TITLES[lane]) for lane in _lanes(self.journey))
        # Borders: one more than the columns; padding: two per column.
        free = options.max_width - (n + 2) - 2 * (n + 1) - lane_width
        if free >= MIN_STAGE_WIDTH * n:
            yield map_table(self.journey, ascii_only=self.ascii_only)
        else:
            yield from stage_tables(self.journey, ascii_only=self.ascii_only)


def emotion_plot(journey: Journey, *, ascii_only: bool = False) -> Text:
    """The emotion curve as a character plot: one row per whole score, one column per step."""
    scale = journey.emotion_scale
    ids = _emotion_ids(journey)
    steps = journey.steps
    if not ids:
        return Text("No step records an emotion.")
    markers = ASCII_MARKERS if ascii_only else MARKERS
    names = _persona_names(journey)
    levels = list(range(int(scale.max), int(scale.min) - 1, -1))
    neutral = (scale.min + scale.max) / 2
    width = 3 if len(steps) <= 30 else 2
    words = [scale.labels.get(v, "") for v in levels]
    numbers = [score_text(v) for v in levels]
    wide, word_wide = max(map(len, numbers)), max(map(len, words))
    labels = [f"{n:>{wide}} {w:<{word_wide}}".rstrip() for n, w in zip(numbers, words)]
    pad = max(len(label) for label in labels)
    bar, rule = ("|", "-") if ascii_only else ("│", "┄")
    out = Text()
    for level, label in zip(levels, labels):
        out.append(label.ljust(pad) + " " + bar, style="dim")
        for step in steps:
            here = [i for i, pid in enumerate(ids) if pid in step.emotions and round(step.emotions[pid]) == level]
            if here:
                mark = markers[here[0] % len(markers)] if len(here) == 1 else ("+" if ascii_only else "◉")
                out.append(mark.center(width), style=_tone(level, neutral))
            else:
                out.append((rule if level == neutral else " ") * width, style="dim")
        out.append("\n")
    out.append(" " * (pad + 2))
    out.append("".join(str(i).center(width) for i in range(1, len(steps) + 1)), style="dim")
    if len(ids) > 1:
        out.append("\n" + " " * (pad + 2))
        out.append("   ".join(f"{markers[i % len(markers)]} {names[pid]}" for i, pid in enumerate(ids)))
    return out


def _tone(level: float, neutral: float) -> str:
    # Blue above neutral, orange below: a pair that survives colour blindness.
    return "bold blue" if level > neutral else "bold dark_orange" if level < neutral else "bold"


def render(journey: Journey, *, ascii_only: bool = False) -> RenderableType:
    if ascii_only:
        journey = _ascii(journey)
    parts: list[RenderableType] = [Text(journey.title, style="bold")]
    for persona in journey.personas:
        dash = " - " if ascii_only else " — "
        parts.append(Text(f"Persona: {persona.name}" + (f"{dash}{persona.segment}" if persona.segment else "")))
    if journey.scenario:
        parts.append(Text(f"Scenario: {journey.scenario}", style="italic"))
    parts += [MapView(journey, ascii_only), Text("Emotion curve", style="bold"), emotion_plot(journey, ascii_only=ascii_only)]
    return Group(*parts)


def show(journey: Journey, console: Console | None = None, *, ascii_only: bool = False) -> None:
    (console or Console()).print(render(journey, ascii_only=ascii_only))
