"""The HTML report's emotion curve: a small inline SVG that needs nothing from anywhere.

One column per main-path step and one row per whole score. Each persona is a line
in its own colour and dash pattern (Okabe–Ito, so colour is never the only cue),
broken where a step has no emotion: a missing emotion is missing, never zero. The
steps of an alternative path sit between the step they branch from and the next
one, on a thinner dashed line that runs back into the step the path rejoins.
Every marker carries a <title>: pointing at it names the step and the score.
"""

from __future__ import annotations

from html import escape

from journeymap.layouts import num
from journeymap.model import Journey, Step
from journeymap.walk import placed

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
DASHES = ("", "7 4", "2 3", "9 3 2 3")
MOMENT = "#7A4CC2"
WIDTH, LEFT, RIGHT, TOP, PLOT_H = 760, 104, 16, 14, 168


def _score(value: float) -> str:
    return f"{value:+g}" if value else "0"


def emotion_curve(journey: Journey) -> str:
    scale = journey.emotion_scale
    steps = placed(journey)
    main = [p for p in steps if p.branch is None]
    personas = [pid for pid in journey.persona_ids if any(pid in p.step.emotions for p in steps)]
    names = {p.id: p.name for p in journey.personas}
    column = (WIDTH - LEFT - RIGHT) / max(len(main), 1)
    xs = {p.step.id: LEFT + (i + 0.5) * column for i, p in enumerate(main)}
    for p in steps:
        if p.branch is not None and p.origin is not None:
            k = p.branch.steps.index(p.step)
            xs[p.step.id] = xs[p.origin.step.id] + column * (k + 1) / (len(p.branch.steps) + 1)

    def y(score: float) -> float:
        return TOP + PLOT_H * (scale.max - score) / (scale.max - scale.min)

    out: list[str] = []
    every = max(1, round((scale.max - scale.min) / 10))  # at most about ten labelled rows
    for level in range(int(scale.max), int(scale.min) - 1, -1):
        cls = ' stroke="#98A2B3"' if level == 0 or (scale.min > 0 and level == scale.min) else ' stroke="#E2E5EA"'
        out.append(f'<line x1="{LEFT - 6}" y1="{num(y(level))}" x2="{WIDTH - RIGHT}" y2="{num(y(level))}"{cls}/>')
        if (level - scale.min) % every == 0:
            word = scale.labels.get(level, "")
            text = escape(f"{_score(level)} {word}".strip())
            out.append(f'<text x="{LEFT - 10}" y="{num(y(level) + 4)}" text-anchor="end">{text}</text>')
    bottom = TOP + PLOT_H + 18
    for p in main:
        out.append(f'<text x="{num(xs[p.step.id])}" y="{bottom}" text-anchor="middle">{escape(p.label)}</text>')

    by_id = {p.step.id: p for p in steps}
    for n, pid in enumerate(personas):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
        who = f"{names.get(pid, pid)} " if len(personas) > 1 else ""
        lines: list[list[Step | None]] = [[p.step for p in main]]
        for p in main:
            for branch in p.step.paths:
                end = by_id.get(branch.rejoin or "")
                lines.append([p.step, *branch.steps, *([end.step] if end else [])])
        for k, line in enumerate(lines):
            width, extra = ("2.5", "") if k == 0 else ("1.5", ' stroke-dasharray="4 3"')
            style = f' stroke-dasharray="{dash}"' if dash and k == 0 else extra
            for run in _runs(line, pid):
                points = " ".join(f"{num(xs[s.id])},{num(y(s.emotions[pid]))}" for s in run)
                out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{width}"'
                           f'{style}/>')
        for p in steps:
            if pid not in p.step.emotions:
                continue
            cx, cy = num(xs[p.step.id]), num(y(p.step.emotions[pid]))
            tip = escape(f"{p.label}. {p.step.action}: {who}{_score(p.step.emotions[pid])}")
            if p.step.moment_of_truth:
                out.append(f'<circle cx="{cx}" cy="{cy}" r="7.5" fill="none" stroke="{MOMENT}" stroke-width="1.5"/>')
            out.append(f'<circle cx="{cx}" cy="{cy}" r="{4 if p.branch is None else 3}" fill="{colour}"'
                       f' stroke="#FFFFFF" stroke-width="1"><title>{tip}</title></circle>')
    height = bottom + 8
    if len(personas) > 1:
        x = LEFT
        height += 20
        for n, pid in enumerate(personas):
            dash = DASHES[n % len(DASHES)]
            style = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{x}" y1="{height - 6}" x2="{x + 24}" y2="{height - 6}" '
                       f'stroke="{COLOURS[n % len(COLOURS)]}" stroke-width="2.5"{style}/>')
            name = escape(names.get(pid, pid))
            out.append(f'<text x="{x + 30}" y="{height - 2}">{name}</text>')
            x += 42 + 7 * len(names.get(pid, pid))
    title = escape(f"Emotion curve of {journey.title}")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="jm-curve" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
            f'height="{height}" role="img" aria-label="{title}" font-family="system-ui, sans-serif" font-size="12" '
            f'fill="#1C2230">\n' + "\n".join(out) + "\n</svg>")


def _runs(line: list[Step | None], pid: str) -> list[list[Step]]:
    """The line cut into runs of steps that all have a score: no line is drawn across a gap."""
    runs: list[list[Step]] = [[]]
    for step in line:
        if step is not None and pid in step.emotions:
            runs[-1].append(step)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if len(r) > 1]
