"""Compare two versions of a map: what a designer reviews in a pull request.

Stages and steps are matched by id, then by similar name (the closest above 0.6
similarity). The result lists stages and steps added, removed and renamed, emotion
deltas per matched step and persona, pains solved and added, opportunities added
and removed. `diff_layout` draws the new map with the changes marked and the old
emotion curve as a ghost line behind the new one.

Either side may be a file or `REV:path`, read through `git show` (no shell).
"""

from __future__ import annotations

import difflib
import math
import os
import subprocess
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from journeymap.diagnostics import JourneyError
from journeymap.model import Journey, Step

SIMILAR = 0.6


class SourceError(Exception):
    """A side of the diff that cannot be read (missing file, git missing, unknown revision)."""


def read_side(spec: str) -> tuple[str, Journey]:
    """(name, journey) of a file or `REV:path`; raises SourceError or JourneyError."""
    from journeymap.validation import check

    if os.path.exists(spec) or ":" not in spec:
        if not os.path.exists(spec):
            raise SourceError(f"no such file: {spec}")
        result = check(spec)
        name = spec
    else:
        rev, path = spec.split(":", 1)
        try:
            proc = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, check=False)
        except FileNotFoundError:
            raise SourceError(f"cannot read '{spec}': git is not installed") from None
        if proc.returncode != 0:
            why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SourceError(f"cannot read '{spec}' from git: {why[0] if why else 'git show failed'}")
        result = check(proc.stdout.decode("utf-8", "replace") + ("\n" if b"\n" not in proc.stdout else ""))
        name = spec
    if result.journey is None:
        raise JourneyError([replace(d, file=name) if d.file == "<string>" else d for d in result.diagnostics])
    return name, result.journey


def _match(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> dict[str, str]:
    """old id -> new id for (id, name) pairs: same id first, then the most similar name."""
    pairs = {o: o for o, _ in old if o in {n for n, _ in new}}
    left = [(o, name) for o, name in old if o not in pairs]
    right = [(n, name) for n, name in new if n not in pairs.values()]
    scored = sorted(((difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio(), i, j)
                     for i, (_, a) in enumerate(left) for j, (_, b) in enumerate(right)), reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    for score, i, j in scored:
        if score < SIMILAR:
            break
        if i not in used_l and j not in used_r:
            pairs[left[i][0]] = right[j][0]
            used_l.add(i)
            used_r.add(j)
    return pairs


@dataclass
class Diff:
    stages_added: list[str] = field(default_factory=list)
    stages_removed: list[str] = field(default_factory=list)
    stages_renamed: list[tuple[str, str]] = field(default_factory=list)
    steps_added: list[tuple[str, str]] = field(default_factory=list)  # (id, action)
    steps_removed: list[tuple[str, str]] = field(default_factory=list)
    steps_renamed: list[tuple[str, str, str, str]] = field(default_factory=list)  # old id, new id, old, new action
    steps_changed: list[str] = field(default_factory=list)  # new ids whose content changed
    emotion_deltas: list[tuple[str, str, float | None, float | None]] = field(default_factory=list)
    pains_solved: list[tuple[str, str]] = field(default_factory=list)  # (step id in OLD, pain)
    pains_added: list[tuple[str, str]] = field(default_factory=list)  # (step id in NEW, pain)
    opportunities_added: list[tuple[str, str]] = field(default_factory=list)
    opportunities_removed: list[tuple[str, str]] = field(default_factory=list)
    step_map: dict[str, str] = field(default_factory=dict)  # old step id -> new step id

    @property
    def empty(self) -> bool:
        return not any((self.stages_added, self.stages_removed, self.stages_renamed, self.steps_added,
                        self.steps_removed, self.steps_renamed, self.steps_changed, self.emotion_deltas,
                        self.pains_solved, self.pains_added, self.opportunities_added, self.opportunities_removed))

    def as_json(self) -> dict[str, Any]:
        def num(v: float | None) -> float | int | None:
            return None if v is None else int(v) if float(v).is_integer() else v

        return {
            "stages": {"added": self.stages_added, "removed": self.stages_removed,
                       "renamed": [{"old": a, "new": b} for a, b in self.stages_renamed]},
            "steps": {"added": [{"id": i, "action": a} for i, a in self.steps_added],
                      "removed": [{"id": i, "action": a} for i, a in self.steps_removed],
                      "renamed": [{"old_id": a, "new_id": b, "old": c, "new": d} for a, b, c, d in self.steps_renamed],
                      "changed": self.steps_changed},
            "emotions": [{"step": s, "persona": p, "old": num(o), "new": num(n),
                          "delta": num(n - o) if o is not None and n is not None else None}
                         for s, p, o, n in self.emotion_deltas],
            "pains": {"solved": [{"step": s, "pain": t} for s, t in self.pains_solved],
                      "added": [{"step": s, "pain": t} for s, t in self.pains_added]},
            "opportunities": {"added": [{"step": s, "idea": t} for s, t in self.opportunities_added],
                              "removed": [{"step": s, "idea": t} for s, t in self.opportunities_removed]},
        }


def _content(step: Step) -> tuple[Any, ...]:
    return (step.action, step.thoughts, step.feeling, dict(step.emotions), step.touchpoints, step.pains,
            step.backstage, step.opportunities, step.moment_of_truth)


def compare(old: Journey, new: Journey) -> Diff:
    d = Diff()
    stage_map = _match([(s.id, s.name) for s in old.stages], [(s.id, s.name) for s in new.stages])
    new_stages = {s.id: s for s in new.stages}
    for s in old.stages:
        if s.id not in stage_map:
            d.stages_removed.append(s.name)
        elif new_stages[stage_map[s.id]].name != s.name:
            d.stages_renamed.append((s.name, new_stages[stage_map[s.id]].name))
    d.stages_added = [s.name for s in new.stages if s.id not in stage_map.values()]

    step_map = _match([(s.id, s.action) for s in old.steps], [(s.id, s.action) for s in new.steps])
    d.step_map = step_map
    new_steps = {s.id: s for s in new.steps}
    for step in old.steps:
        if step.id not in step_map:
            d.steps_removed.append((step.id, step.action))
            continue
        n = new_steps[step_map[step.id]]
        if n.action != step.action or n.id != step.id:
            d.steps_renamed.append((step.id, n.id, step.action, n.action))
        if _content(n) != _content(step):
            d.steps_changed.append(n.id)
        for pid in sorted(set(step.emotions) | set(n.emotions)):
            a, b = step.emotions.get(pid), n.emotions.get(pid)
            if a != b:
                d.emotion_deltas.append((n.id, pid, a, b))
    d.steps_added = [(s.id, s.action) for s in new.steps if s.id not in step_map.values()]

    old_pains = {p for s in old.steps for p in s.pains}
    new_pains = {p for s in new.steps for p in s.pains}
    d.pains_solved = [(s.id, p) for s in old.steps for p in s.pains if p not in new_pains]
    d.pains_added = [(s.id, p) for s in new.steps for p in s.pains if p not in old_pains]
    old_opps = {o.idea for s in old.steps for o in s.opportunities}
    new_opps = {o.idea for s in new.steps for o in s.opportunities}
    d.opportunities_added = [(s.id, o.idea) for s in new.steps for o in s.opportunities if o.idea not in old_opps]
    d.opportunities_removed = [(s.id, o.idea) for s in old.steps for o in s.opportunities if o.idea not in new_opps]
    return d


def _score(v: float | None) -> str:
    if v is None:
        return "none"
    return f"{v:+g}" if v else "0"


def to_text(d: Diff, old_name: str, new_name: str) -> str:
    out = [f"journeymap diff {old_name} -> {new_name}"]
    if d.empty:
        return out[0] + "\nNo differences in stages, steps, emotions, pains or opportunities.\n"

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.append(f"\n{title}")
            out.extend(f"  {line}" for line in lines)

    section("Stages", [f"+ {n}" for n in d.stages_added] + [f"- {n}" for n in d.stages_removed]
            + [f"~ {a} -> {b}" for a, b in d.stages_renamed])
    section("Steps", [f"+ {i}: {a}" for i, a in d.steps_added] + [f"- {i}: {a}" for i, a in d.steps_removed]
            + [f"~ {a}: \"{c}\" -> {b}: \"{e}\"" for a, b, c, e in d.steps_renamed]
            + [f"* {i}: changed" for i in d.steps_changed if i not in {r[1] for r in d.steps_renamed}])
    section("Emotions", [f"{s} ({p}): {_score(o)} -> {_score(n)}"
                         + (f" ({_score(n - o)})" if o is not None and n is not None else "")
                         for s, p, o, n in d.emotion_deltas])
    section("Pains solved", [f"- {t} (at {s})" for s, t in d.pains_solved])
    section("Pains added", [f"+ {t} (at {s})" for s, t in d.pains_added])
    section("Opportunities added", [f"+ {t} (at {s})" for s, t in d.opportunities_added])
    section("Opportunities removed", [f"- {t} (at {s})" for s, t in d.opportunities_removed])
    return "\n".join(out) + "\n"


def _drawn(v: float | None) -> str:
    return _score(v).replace("-", "\u2212")


def change_notes(old: Journey, new: Journey, d: Diff) -> dict[str, list[str]]:
    """New step id -> what changed on it since `old`, in a few words each ("Eileen: emotion −1 → +1", "Pain
    solved"), for every matched step that changed."""
    names = {p.id: p.name for p in new.personas}
    back = {n: o for o, n in d.step_map.items()}
    olds = {s.id: s for s in old.steps}
    notes: dict[str, list[str]] = {}
    for s in new.steps:
        if s.id not in back:
            continue
        o = olds[back[s.id]]
        lines = [f"Was \u201c{o.action}\u201d"] if o.action != s.action else []
        for pid in [*new.persona_ids, *sorted(set(o.emotions) - set(new.persona_ids))]:
            a, b = o.emotions.get(pid), s.emotions.get(pid)
            if a != b:
                who = f"{names.get(pid, pid)}: e" if len(new.personas) > 1 else "E"
                lines.append(f"{who}motion\u00a0{_drawn(a)}\u00a0\u2192\u00a0{_drawn(b)}")  # one unbreakable run
        if o.feeling != s.feeling:
            lines.append("Feeling changed")
        for field_name, title in (("thoughts", "Thoughts"), ("touchpoints", "Touchpoints"), ("backstage", "Backstage")):
            if getattr(o, field_name) != getattr(s, field_name):
                lines.append(f"{title} changed")
        solved, added = (sum(1 for sid, _ in d.pains_solved if sid == o.id),
                         sum(1 for sid, _ in d.pains_added if sid == s.id))
        new_ideas, dropped = (sum(1 for sid, _ in d.opportunities_added if sid == s.id),
                              sum(1 for sid, _ in d.opportunities_removed if sid == o.id))
        for n, one, many in ((solved, "Pain solved", "pains solved"), (added, "Pain added", "pains added"),
                             (new_ideas, "Opportunity added", "opportunities added"),
                             (dropped, "Opportunity removed", "opportunities removed")):
            if n:
                lines.append(one if n == 1 else f"{n} {many}")
        if o.pains != s.pains and not solved + added:
            lines.append("Pains reworded or moved")
        if o.opportunities != s.opportunities and not new_ideas + dropped:
            lines.append("Opportunities changed")
        if o.moment_of_truth != s.moment_of_truth:
            lines.append("Now a moment of truth" if s.moment_of_truth else "No longer a moment of truth")
        if lines:
            notes[s.id] = lines
    return notes


def _foot_notes(layout: Any, gid: str, prefix: str, notes: dict[str, list[str]], inset: float, st: Any) -> Any:
    """`layout` with room opened at the foot of group `gid`'s cards (rects whose id starts with `prefix`, all of
    one bottom) and each card's notes written there, under a rule."""
    from journeymap.layouts import Line
    from journeymap.views import open_band

    pad, gap = st.sp("pad"), st.sp("gap")
    group = next(g for g in layout.groups if g.id == gid)
    cards = {i.id.removeprefix(prefix): i.box for i in group.items if getattr(i, "id", "").startswith(prefix)}
    at = max(b.bottom for b in cards.values()) - pad + gap / 2  # under the lowest text of any card
    drawn: list[Any] = []
    height = 0.0
    for key, lines in notes.items():
        b = cards[key]
        x, w = b.x + inset, b.w - 2 * inset
        drawn.append(Line(x, at + gap / 2, x + w, at + gap / 2, "diff-note-rule"))
        y = at + gap
        for line in lines:
            t = st.text(line, x, y, w, "small", "text-diff-note")
            drawn.append(t)
            y = t.box.bottom + gap / 4
        height = max(height, y - gap / 4 - at - gap)
    if not drawn:
        return layout
    layout = open_band(layout, at, height + 1.5 * gap)
    return replace(layout, groups=tuple(replace(g, items=(*g.items, *drawn)) if g.id == gid else g
                                        for g in layout.groups))


def diff_layout(old: Journey, new: Journey, d: Diff, theme: object, old_name: str) -> Any:
    """The new map's layout with changes marked and noted, and the old emotion curves as ghosts behind the new."""
    from journeymap.layouts import Box, Group, Marker, Path, Rect, compute_layout
    from journeymap.layouts.geometry import Item
    from journeymap.layouts.emotion import DASHES, persona_colour
    from journeymap.layouts.style import Style, single_line_width

    st = Style.from_tokens(theme.tokens)  # type: ignore[attr-defined]
    several = len(new.personas) > 1
    # With several personas each ghost keeps its persona's colour and dash, faded; alone, a dotted grey line.
    ghosts: list[tuple[Item, str]] = [(Path("", "emotion-ghost-persona", stroke=persona_colour(st, i), dash=DASHES[i % len(DASHES)] or None),
               f"{p.name}, before ({old_name})") for i, p in enumerate(new.personas)] if several else [
        (Path("", "emotion-ghost"), f"Emotion before ({old_name})")]
    legend: list[tuple[Item, str]] = [(Rect(Box(0, 0, 20, 14), "diff-added", rx=3), "New step"),
              (Rect(Box(0, 0, 20, 14), "diff-changed", rx=3), "Changed step, with what changed"), *ghosts]
    layout = compute_layout(new, theme, tuple(legend))
    # The ghost: the same map with the old scores on the matched steps; rows above the emotion lane are the same.
    back = {n: o for o, n in d.step_map.items()}
    olds = {s.id: s for s in old.steps}
    ghost_journey = replace(new, stages=tuple(replace(st_, steps=tuple(
        replace(s, emotions=olds[back[s.id]].emotions if s.id in back else MappingProxyType({}))
        for s in st_.steps)) for st_ in new.stages))
    ghost = compute_layout(ghost_journey, theme)
    ghost_paths = [replace(i, cls="emotion-ghost-persona") if several else
                   replace(i, cls="emotion-ghost", stroke=None, dash=None)
                   for g in ghost.groups if g.lane == "emotions" for i in g.items
                   if isinstance(i, Path) and i.cls in ("emotion-curve", "emotion-gap")]
    groups = []
    for g in layout.groups:
        items = list(g.items)
        if g.lane == "emotions":
            first = next((k for k, i in enumerate(items) if isinstance(i, (Path, Marker))), len(items))
            items[first:first] = ghost_paths
        groups.append(replace(g, items=tuple(items)))
    layout = replace(layout, groups=tuple(groups))

    # What changed, written at the foot of each changed card; lower band first, so the upper one moves it down.
    gap, pad = st.sp("gap"), st.sp("pad")
    renamed = {after: before for before, after in d.stages_renamed}
    if "actions" in new.lanes:
        layout = _foot_notes(layout, "jm-lane-actions", "jm-step-", change_notes(old, new, d), pad, st)
    stage_notes = {s.id: [f"Renamed from \u201c{renamed[s.name]}\u201d"] for s in new.stages if s.name in renamed}
    layout = _foot_notes(layout, "jm-stages", "jm-stage-", stage_notes, gap / 2 + pad, st)

    added = {i for i, _ in d.steps_added}
    changed = set(d.steps_changed) | {s for s, *_ in d.emotion_deltas}
    new_stages = {s.id for s in new.stages if s.name in d.stages_added}
    renamed_stages = set(stage_notes)
    groups = []
    for g in layout.groups:
        items = list(g.items)
        if g.lane == "actions" or g.kind == "stages":
            for i in list(items):
                if isinstance(i, Rect) and i.id.startswith(("jm-step-", "jm-stage-")):
                    sid = i.id.removeprefix("jm-step-").removeprefix("jm-stage-")
                    kind, word = (("added", "NEW") if sid in added or sid in new_stages else
                                  ("changed", "RENAMED") if i.id.startswith("jm-stage-") and sid in renamed_stages else
                                  ("changed", "CHANGED") if i.id.startswith("jm-step-") and sid in changed else
                                  (None, ""))
                    if kind:
                        b = i.box
                        items.append(Rect(Box(b.x - 3, b.y - 3, b.w + 6, b.h + 6), f"diff-{kind}", rx=i.rx + 3))
                        w = single_line_width(word, st, "small", 600) + 12
                        items.append(Rect(Box(b.right - w - 6, b.y - 7, w, st.lh("small")), f"diff-badge-{kind}",
                                          rx=st.lh("small") / 2))
                        items.append(st.text(word, b.right - w, b.y - 7, w - 12, "small", "text-diff-badge",
                                             weight=600))
        groups.append(replace(g, items=tuple(items)))
    layout = replace(layout, groups=tuple(groups))
    removed = [f"Step: {a}" for _, a in d.steps_removed] + [f"Stage: {n}" for n in d.stages_removed]
    removed += [f"Pain solved: {t}" for _, t in d.pains_solved]
    if removed:
        margin, pad, gap = st.sp("margin"), st.sp("pad"), st.sp("gap")
        y = layout.height - margin + st.sp("gutter") * 2
        w = layout.width - 2 * margin
        head = st.text(f"REMOVED OR SOLVED SINCE {old_name}", margin + pad, y + pad, w - 2 * pad, "label",
                       "text-label", weight=600)
        parts = [head]
        cy = head.box.bottom + gap
        for line in removed:
            t = st.text(f"\u2212 {line}", margin + pad, cy, w - 2 * pad, "body", "text-body")
            parts.append(t)
            cy = t.box.bottom + gap / 2
        h = cy + pad - y
        group = Group("jm-diff-removed", "diff", "Removed", (Rect(Box(margin, y, w, h), "card-diff-removed",
                                                                   rx=st.sp("radius")), *parts))
        layout = replace(layout, height=math.ceil(y + h + margin), groups=(*layout.groups, group))
    return layout
