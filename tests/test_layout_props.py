"""Property tests: generated maps of every shape (paths, loops and drop-offs too) keep the layout invariants in every
built-in theme, as journey maps and as service blueprints."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layout_invariants import check_layout

from journeymap import views
from journeymap.model import LANES, build_journey
from journeymap.render.svg import render_layout
from journeymap.render.theme import load_theme

BLUEPRINT_LANES = ("actions", "touchpoints", "backstage", "support")  # the rows the blueprint view draws

WORDS = st.text(max_size=12) | st.sampled_from(["Reads", "the", "pricing", "page", "and", "asks", "sales", "申し込み", "フォーム",
                         "https://example.com/a/b?c=d&e=f", "x" * 60, "—", "émigré", "😀", "Ωmega"])
TEXT = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)
CHANNELS = st.sampled_from(["web", "app", "email", "phone", "chat", "sms", "social", "store", "mail", "video",
                            "in-person"])


@st.composite
def maps(draw):
    n_personas = draw(st.integers(0, 3))
    personas = [{"id": f"p{i}", "name": draw(TEXT), "quote": draw(TEXT)} for i in range(n_personas)]

    def emotion():
        if n_personas > 1:
            scores = {p["id"]: draw(st.integers(-2, 2)) for p in personas if draw(st.booleans())}
            return scores or None
        return draw(st.none() | st.integers(-2, 2))

    def step(n=None):
        s = {"action": draw(TEXT)}
        if n is not None:
            s["id"] = f"s{n}"
        if e := emotion():
            s["emotion"] = e
        for key, strategy in (("thought", TEXT), ("feeling", TEXT)):
            if draw(st.booleans()):
                s[key] = draw(strategy)
        s["touchpoints"] = draw(st.lists(st.fixed_dictionaries({"channel": CHANNELS, "name": TEXT}), max_size=2))
        s["pains"] = draw(st.lists(TEXT, max_size=2))
        s["backstage"] = draw(st.lists(TEXT, max_size=2))
        s["opportunities"] = draw(st.lists(st.fixed_dictionaries(
            {"idea": TEXT, "impact": st.sampled_from(["low", "medium", "high"]),
             "effort": st.sampled_from(["low", "medium", "high"]), "owner": TEXT}), max_size=2))
        s["moment_of_truth"] = draw(st.booleans())
        return s

    def branch(i, total):
        """An alternative path after main step i: it ends, drops out, rejoins a later step or loops back."""
        steps = [step() for _ in range(draw(st.integers(1, 3)))]
        b = {"name": draw(TEXT), "steps": steps}
        way = draw(st.sampled_from(["end", "exit", "rejoin", "loop"]))
        if way == "exit":
            steps[-1]["exit"] = True
            if draw(st.booleans()):
                steps[-1]["exit_reason"] = draw(TEXT)
        elif way == "rejoin" and i + 1 < total:
            b["rejoin"] = f"s{draw(st.integers(i + 1, total - 1))}"
        elif way == "loop":
            steps[-1]["next"] = f"s{draw(st.integers(0, i))}"
        return b

    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    total = sum(sizes)
    stages, n = [], 0
    for size in sizes:
        steps = []
        for _ in range(size):
            s = step(n)
            if draw(st.integers(0, 3)) == 0:  # a quarter of the steps offer paths
                s["paths"] = [branch(n, total) for _ in range(draw(st.integers(1, 3)))]
            if n > 0 and draw(st.integers(0, 7)) == 0:  # now and then a loop back from the main path
                s["next"] = f"s{draw(st.integers(0, n - 1))}"
            steps.append(s)
            n += 1
        stages.append({"name": draw(TEXT), "steps": steps,
                       "metrics": draw(st.dictionaries(TEXT, st.integers(0, 10**6) | TEXT, max_size=3))})
    doc = {"journeymap": 1, "title": draw(TEXT), "stages": stages, "scenario": draw(TEXT)}
    if n_personas == 1:
        doc["persona"] = {**personas[0], "goals": [draw(TEXT)]}
    elif n_personas > 1:
        doc["personas"] = personas
    lanes = draw(st.permutations(LANES))[:draw(st.integers(1, len(LANES)))]
    if draw(st.booleans()):
        doc["lanes"] = list(lanes)
    return doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(maps(), st.sampled_from(["default", "dark", "print"]), st.sampled_from(["map", "blueprint"]))
def test_generated_maps_keep_every_invariant(doc, theme, view):
    journey = build_journey(doc)
    theme = load_theme(theme)
    layout = views.compute(journey, theme, view=view)
    drawn = replace(journey, lanes=BLUEPRINT_LANES) if view == "blueprint" else journey
    assert check_layout(layout, drawn) == []
    # Whatever the text, the SVG is well-formed XML.
    ET.fromstring(render_layout(layout, theme, embed_fonts=False).encode("utf-8"))
