"""The typed, immutable, normalised journey that layout and render consume.

`build_journey` turns an already validated document (plain dicts and lists) into
a `Journey`: shorthands expanded, ids derived, defaults applied.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

LANES = ("actions", "thoughts", "touchpoints", "emotions", "pains", "opportunities", "backstage", "metrics")

# Key used for emotions when the map has no declared persona.
DEFAULT_PERSONA = "customer"

BUILTIN_CHANNELS: Mapping[str, str] = MappingProxyType({
    "web": "Web",
    "app": "App",
    "email": "Email",
    "phone": "Phone",
    "chat": "Chat",
    "sms": "SMS",
    "social": "Social",
    "store": "Store",
    "mail": "Mail",
    "video": "Video",
    "in-person": "In person",
})


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    name: str
    segment: str | None = None
    description: str | None = None
    goals: tuple[str, ...] = ()
    expectations: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    label: str
    icon: str  # a built-in icon name; unknown names draw a generic icon


@dataclass(frozen=True, slots=True)
class Touchpoint:
    channel: str
    name: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Opportunity:
    idea: str
    impact: str | None = None  # low | medium | high
    effort: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Process:
    """A backstage or support process, and the team or system that owns it."""
    process: str
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    source: str
    quote: str | None = None
    sample_size: int | None = None

    @property
    def text(self) -> str:
        parts = [self.source + (f" (n={self.sample_size})" if self.sample_size else "")]
        if self.quote:
            parts.append(f"\u201c{self.quote}\u201d")
        return ": ".join(parts)


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    action: str
    thoughts: tuple[str, ...] = ()
    feeling: str | None = None
    # persona id -> score; a persona without a score here has no emotion at this step.
    emotions: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    touchpoints: tuple[Touchpoint, ...] = ()
    pains: tuple[str, ...] = ()
    backstage: tuple[str, ...] = ()
    opportunities: tuple[Opportunity, ...] = ()
    moment_of_truth: bool = False
    evidence: str | None = None  # every evidence item as one line of text
    evidence_items: tuple[Evidence, ...] = ()
    confidence: str | None = None  # low | medium | high
    backstage_items: tuple[Process, ...] = ()  # `backstage` with owners; `backstage` holds their texts
    support: tuple[Process, ...] = ()
    paths: tuple[Branch, ...] = ()
    next: str | None = None  # the step that follows instead of the next one
    exit: bool = False
    exit_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Branch:
    """An alternative path after a step: its own steps, rejoining the main path at `rejoin` or ending."""
    id: str
    name: str
    steps: tuple[Step, ...]
    rejoin: str | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    value: float | str

    @property
    def text(self) -> str:
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    steps: tuple[Step, ...]
    description: str | None = None
    metrics: tuple[Metric, ...] = ()
    targets: tuple[Metric, ...] = ()

    def target(self, name: str) -> Metric | None:
        return next((t for t in self.targets if t.name == name), None)


@dataclass(frozen=True, slots=True)
class EmotionScale:
    min: int = -2
    max: int = 2
    labels: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Journey:
    title: str
    stages: tuple[Stage, ...]
    personas: tuple[Persona, ...] = ()
    description: str | None = None
    scenario: str | None = None
    emotion_scale: EmotionScale = EmotionScale()
    channels: Mapping[str, Channel] = field(default_factory=lambda: MappingProxyType({}))
    lanes: tuple[str, ...] = LANES
    version: int = 1

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for stage in self.stages for step in stage.steps)

    @property
    def every_step(self) -> tuple[Step, ...]:
        """The main path's steps and, after each, the steps of its alternative paths."""
        return _with_paths(self.steps)

    @property
    def persona_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.personas) or (DEFAULT_PERSONA,)


def slugify(text: str) -> str:
    """A stable, ASCII, lower-case id from free text ("Sign up!" -> "sign-up")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:48].rstrip("-") or "item"


class _Ids:
    """Hands out unique ids, keeping explicit ones and suffixing derived clashes."""

    def __init__(self, explicit: set[str]):
        self.taken = set(explicit)
        # The next suffix to try per base id. Every `base-k` below it is taken and stays
        # taken, so starting there gives the same id as counting up from 2, without
        # rescanning the suffixes on every clash (8,000 steps with one action).
        self.next: dict[str, int] = {}

    def derive(self, text: str) -> str:
        base = slugify(text)
        candidate = base
        if candidate in self.taken:
            n = self.next.get(base, 2)
            while (candidate := f"{base}-{n}") in self.taken:
                n += 1
            self.next[base] = n + 1
        self.taken.add(candidate)
        return candidate


def derived_ids(texts: Iterable[str]) -> list[str]:
    """The ids the compiler derives for items named `texts`, in order, when none has an explicit id."""
    ids = _Ids(set())
    return [ids.derive(text) for text in texts]


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _persona(data: Mapping[str, Any], default_id: str) -> Persona:
    return Persona(
        id=data.get("id") or default_id,
        name=data["name"],
        segment=data.get("segment"),
        description=data.get("description"),
        goals=_strings(data.get("goals")),
        expectations=_strings(data.get("expectations")),
        frustrations=_strings(data.get("frustrations")),
        quote=data.get("quote"),
    )


def _touchpoint(data: Any) -> Touchpoint:
    if isinstance(data, str):
        return Touchpoint(channel=data)
    return Touchpoint(channel=data["channel"], name=data.get("name"), owner=data.get("owner"))


def _opportunity(data: Any) -> Opportunity:
    if isinstance(data, str):
        return Opportunity(idea=data)
    return Opportunity(idea=data["idea"], impact=data.get("impact"), effort=data.get("effort"), owner=data.get("owner"))


def _emotions(value: Any, single_persona: str) -> Mapping[str, float]:
    if value is None:
        return MappingProxyType({})
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): float(v) for k, v in value.items()})
    return MappingProxyType({single_persona: float(value)})


def _process(data: Any) -> Process:
    return Process(data) if isinstance(data, str) else Process(data["process"], data.get("owner"))


def _evidence(value: Any) -> tuple[Evidence, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    return tuple(Evidence(e) if isinstance(e, str) else Evidence(e["source"], e.get("quote"), e.get("sample_size"))
                 for e in items)


def _branch(data: Mapping[str, Any], ids: _Ids, path_ids: _Ids, single_persona: str) -> Branch:
    return Branch(
        id=data.get("id") or path_ids.derive(data["name"]),
        name=data["name"],
        steps=tuple(_step(s, ids, single_persona, path_ids) for s in data["steps"]),
        rejoin=data.get("rejoin"),
    )


def _step(data: Any, ids: _Ids, single_persona: str, path_ids: _Ids | None = None) -> Step:
    if isinstance(data, str):
        data = {"action": data}
    path_ids = path_ids or _Ids(set())
    evidence = _evidence(data.get("evidence"))
    backstage = tuple(_process(b) for b in data.get("backstage") or ())
    return Step(
        id=data.get("id") or ids.derive(data["action"]),
        action=data["action"],
        thoughts=_strings(data.get("thought")),
        feeling=data.get("feeling"),
        emotions=_emotions(data.get("emotion"), single_persona),
        touchpoints=tuple(_touchpoint(t) for t in data.get("touchpoints") or ()),
        pains=_strings(data.get("pains")),
        backstage=tuple(b.process for b in backstage),
        opportunities=tuple(_opportunity(o) for o in data.get("opportunities") or ()),
        moment_of_truth=bool(data.get("moment_of_truth", False)),
        evidence="; ".join(e.text for e in evidence) or None,
        evidence_items=evidence,
        confidence=data.get("confidence"),
        backstage_items=backstage,
        support=tuple(_process(b) for b in data.get("support") or ()),
        paths=tuple(_branch(p, ids, path_ids, single_persona) for p in data.get("paths") or ()),
        next=data.get("next"),
        exit=bool(data.get("exit", False)),
        exit_reason=data.get("exit_reason"),
    )


def _metric_value(value: Any) -> float | str:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _explicit_ids(items: list[Any]) -> set[str]:
    return {item["id"] for item in items if isinstance(item, Mapping) and item.get("id")}


def _explicit_step_ids(steps: list[Any]) -> set[str]:
    """Explicit ids of `steps` and of the steps of their paths."""
    out = _explicit_ids(steps)
    for step in steps:
        for path in (step.get("paths") or ()) if isinstance(step, Mapping) else ():
            out |= _explicit_step_ids(path["steps"])
    return out


def _with_paths(steps: Iterable[Step]) -> tuple[Step, ...]:
    out: list[Step] = []
    for step in steps:
        out.append(step)
        for branch in step.paths:
            out.extend(_with_paths(branch.steps))
    return tuple(out)


def _channels(declared: Mapping[str, Any], used: set[str]) -> Mapping[str, Channel]:
    channels: dict[str, Channel] = {}
    for cid in sorted(used | set(declared)):
        spec = declared.get(cid) or {}
        label = spec.get("label") or BUILTIN_CHANNELS.get(cid) or cid.replace("-", " ").capitalize()
        channels[cid] = Channel(id=cid, label=label, icon=spec.get("icon") or cid)
    return MappingProxyType(channels)


def default_lanes(stages: tuple[Stage, ...]) -> tuple[str, ...]:
    """The lanes a map without `lanes` shows: those that have content."""
    steps = [s for stage in stages for s in stage.steps]
    has = {
        "actions": True,
        "thoughts": any(s.thoughts for s in steps),
        "touchpoints": any(s.touchpoints for s in steps),
        "emotions": any(s.emotions for s in steps),
        "pains": any(s.pains for s in steps),
        "opportunities": any(s.opportunities for s in steps),
        "backstage": any(s.backstage for s in steps),
        "metrics": any(stage.metrics for stage in stages),
    }
    return tuple(lane for lane in LANES if has[lane])


def build_journey(doc: Mapping[str, Any]) -> Journey:
    """Normalise a schema-valid document into a `Journey`."""
    if doc.get("personas"):
        personas = tuple(_persona(p, p["id"]) for p in doc["personas"])
    elif doc.get("persona"):
        p = doc["persona"]
        personas = (_persona(p, p.get("id") or slugify(p["name"])),)
    else:
        personas = ()
    single = personas[0].id if len(personas) == 1 else DEFAULT_PERSONA

    raw_stages = doc["stages"]
    stage_ids = _Ids(_explicit_ids(raw_stages))
    step_ids = _Ids({i for st in raw_stages for i in _explicit_step_ids(st["steps"])})
    path_ids = _Ids({p["id"] for st in raw_stages for s in st["steps"] if isinstance(s, Mapping)
                     for p in s.get("paths") or () if p.get("id")})
    stages = tuple(
        Stage(
            id=st.get("id") or stage_ids.derive(st["name"]),
            name=st["name"],
            description=st.get("description"),
            metrics=tuple(Metric(str(k), _metric_value(v)) for k, v in (st.get("metrics") or {}).items()),
            targets=tuple(Metric(str(k), _metric_value(v)) for k, v in (st.get("targets") or {}).items()),
            steps=tuple(_step(s, step_ids, single, path_ids) for s in st["steps"]),
        )
        for st in raw_stages
    )

    scale = doc.get("emotion_scale") or {}
    emotion_scale = EmotionScale(
        min=scale.get("min", -2),
        max=scale.get("max", 2),
        labels=MappingProxyType({int(k): v for k, v in sorted((scale.get("labels") or {}).items(), key=lambda kv: int(kv[0]))}),
    )
    used = {t.channel for stage in stages for s in _with_paths(stage.steps) for t in s.touchpoints}
    return Journey(
        version=doc["journeymap"],
        title=doc["title"],
        description=doc.get("description"),
        personas=personas,
        scenario=doc.get("scenario"),
        emotion_scale=emotion_scale,
        channels=_channels(doc.get("channels") or {}, used),
        lanes=tuple(doc["lanes"]) if doc.get("lanes") else default_lanes(stages),
        stages=stages,
    )
