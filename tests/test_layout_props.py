"""Property tests: generated maps of every shape keep the layout invariants in every built-in theme."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layout_invariants import check_layout

from journeymap.layouts import compute_layout
from journeymap.model import LANES, build_journey
from journeymap.render import render_svg
from journeymap.render.theme import load_theme

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

    def step():
        s = {"action": draw(TEXT)}
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

    stages = [{"name": draw(TEXT), "steps": [step() for _ in range(draw(st.integers(1, 4)))],
               "metrics": draw(st.dictionaries(TEXT, st.integers(0, 10**6) | TEXT, max_size=3))}
              for _ in range(draw(st.integers(1, 4)))]
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
@given(maps(), st.sampled_from(["default", "dark", "print"]))
def test_generated_maps_keep_every_invariant(doc, theme):
    journey = build_journey(doc)
    assert check_layout(compute_layout(journey, load_theme(theme)), journey) == []
    # Whatever the text, the SVG is well-formed XML.
    ET.fromstring(render_svg(journey, theme, embed_fonts=False).encode("utf-8"))
