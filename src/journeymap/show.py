"""The map in the terminal: stages as columns, lanes as rows, and the emotion curve.

Built from rich renderables so that the same code prints colour on a terminal
and plain text into a pipe or a CI log. Steps are numbered across the whole map
so that a number in one lane points at the same step in every other lane.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from journeymap.model import Journey, Stage, Step
from journeymap.report import score_text

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
    used = {pid for step in journey.steps for pid in step.emotions}
    return [pid for pid in journey.persona_ids if pid in used] + sorted(used - set(journey.persona_ids))


def _lines(items: list[str]) -> Text:
    return Text("\n".join(items))


def _cell(journey: Journey, lane: str, stage: Stage, first: int, ascii_only: bool) -> RenderableType:
    """The content of one stage in one lane; `first` is the stage's first step number."""
    numbered = list(enumerate(stage.steps, first))
    sep = "-" if ascii_only else "·"
    if lane == "actions":
        return _lines([f"{n}. {s.action}" + (" (!)" if s.moment_of_truth else "") for n, s in numbered])
    if lane == "thoughts":
        return _lines([f"{n}: {t}" for n, s in numbered for t in s.thoughts])
    if lane == "touchpoints":
        return _lines([
            f"{n}: {_channel(journey, t.channel)}" + (f" {sep} {t.name}" if t.name else "")
            for n, s in numbered
            for t in s.touchpoints
        ])
    if lane == "pains":
        return _lines([f"{n}: {p}" for n, s in numbered for p in s.pains])
    if lane == "opportunities":
        return _lines([f"{n}: {o.idea}" + _rating(o.impact, o.effort) for n, s in numbered for o in s.opportunities])
    if lane == "backstage":
        return _lines([f"{n}: {b}" for n, s in numbered for b in s.backstage])
    if lane == "metrics":
        return _lines([f"{m.name}: {m.text}" for m in stage.metrics])
    return _emotion_cell(journey, stage.steps, ascii_only)


def _channel(journey: Journey, cid: str) -> str:
    channel = journey.channels.get(cid)
    return channel.label if channel else cid


def _rating(impact: str | None, effort: str | None) -> str:
    parts = [f"impact {impact}" if impact else "", f"effort {effort}" if effort else ""]
    return f" [{', '.join(p for p in parts if p)}]" if impact or effort else ""


def _emotion_cell(journey: Journey, steps: tuple[Step, ...], ascii_only: bool) -> Text:
    scale = journey.emotion_scale
    chars = ASCII_SPARKS if ascii_only else SPARKS
    ids = _emotion_ids(journey)
    markers = ASCII_MARKERS if ascii_only else MARKERS
    rows = []
    for i, pid in enumerate(ids):
        line = "".join(spark(s.emotions.get(pid), scale.min, scale.max, chars) for s in steps)
        scores = " ".join(score_text(s.emotions[pid]) if pid in s.emotions else "?" for s in steps)
        # With several personas, the plot's markers tell the rows apart.
        prefix = f"{markers[i % len(markers)]} " if len(ids) > 1 else ""
        rows.append(f"{prefix}{line} {scores}")
    return _lines(rows)


# Below this many columns per stage the grid gets unreadable; stages are then stacked.
MIN_STAGE_WIDTH = 12


def _firsts(journey: Journey) -> list[int]:
    """The number of each stage's first step."""
    firsts, n = [], 1
    for stage in journey.stages:
        firsts.append(n)
        n += len(stage.steps)
    return firsts


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
    firsts = _firsts(journey)
    for lane in _lanes(journey):
        table.add_row(
            _LANE_TITLES[lane],
            *(_cell(journey, lane, stage, first, ascii_only) for stage, first in zip(journey.stages, firsts)),
        )
    return table


def stage_tables(journey: Journey, *, ascii_only: bool = False) -> list[Table]:
    """One table per stage, lanes as rows: for terminals too narrow for the grid."""
    tables = []
    for stage, first in zip(journey.stages, _firsts(journey)):
        last = first + len(stage.steps) - 1
        steps = f"step {first}" if first == last else f"steps {first}-{last}"
        table = _table(ascii_only, title=f"{stage.name} ({steps})", title_justify="left", title_style="bold", show_header=False)
        table.add_column("Lane", style="bold", no_wrap=True)
        table.add_column(stage.name, overflow="fold")
        for lane in _lanes(journey):
            table.add_row(_LANE_TITLES[lane], _cell(journey, lane, stage, first, ascii_only))
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
