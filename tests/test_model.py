"""Normalisation of a valid document into the typed Journey."""

import dataclasses

import pytest

from journeymap.model import DEFAULT_PERSONA, LANES, build_journey, slugify


def doc(**extra):
    base = {
        "journeymap": 1,
        "title": "T",
        "stages": [{"name": "Find it", "steps": ["Searches the web", {"action": "Searches the web", "emotion": 1}]}],
    }
    return {**base, **extra}


def test_shorthands_expand_and_ids_derive_uniquely():
    j = build_journey(doc())
    stage = j.stages[0]
    assert stage.id == "find-it"
    assert [s.id for s in stage.steps] == ["searches-the-web", "searches-the-web-2"]
    assert stage.steps[0].action == "Searches the web"
    assert stage.steps[0].thoughts == () and stage.steps[0].touchpoints == ()


def test_derived_ids_never_take_an_explicit_id():
    j = build_journey(doc(stages=[{"name": "S", "steps": ["Pay", {"id": "pay", "action": "Pays again"}]}]))
    assert [s.id for s in j.steps] == ["pay-2", "pay"]


def test_missing_emotion_is_missing_not_zero():
    j = build_journey(doc())
    assert dict(j.steps[0].emotions) == {}
    assert dict(j.steps[1].emotions) == {DEFAULT_PERSONA: 1.0}


def test_single_persona_keys_emotions_by_its_id():
    j = build_journey(doc(persona={"name": "Maya Lin", "goals": ["Ship"]}))
    assert j.personas[0].id == "maya-lin"
    assert j.personas[0].goals == ("Ship",)
    assert dict(j.steps[1].emotions) == {"maya-lin": 1.0}


def test_several_personas_keep_keyed_emotions():
    personas = [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
    stages = [{"name": "S", "steps": [{"action": "X", "emotion": {"a": 2, "b": -1}}]}]
    j = build_journey(doc(personas=personas, stages=stages))
    assert j.persona_ids == ("a", "b")
    assert dict(j.steps[0].emotions) == {"a": 2.0, "b": -1.0}


def test_channels_include_builtins_in_use_and_declared_ones():
    stages = [{"name": "S", "steps": [{"action": "X", "touchpoints": ["email", {"channel": "portal", "name": "Portal"}]}]}]
    j = build_journey(doc(stages=stages, channels={"portal": {"label": "Partner portal", "icon": "web"}}))
    assert sorted(j.channels) == ["email", "portal"]
    assert j.channels["email"].label == "Email"
    assert (j.channels["portal"].label, j.channels["portal"].icon) == ("Partner portal", "web")
    assert j.steps[0].touchpoints[1].name == "Portal"


def test_default_lanes_are_those_with_content_in_canonical_order():
    j = build_journey(doc())
    assert j.lanes == ("actions", "emotions")
    assert build_journey(doc(lanes=["pains", "actions"])).lanes == ("pains", "actions")
    assert set(LANES) >= set(j.lanes)


def test_emotion_scale_defaults_and_labels_sorted_as_ints():
    j = build_journey(doc(emotion_scale={"min": 1, "max": 5, "labels": {"5": "great", "1": "awful"}}))
    assert (j.emotion_scale.min, j.emotion_scale.max) == (1, 5)
    assert list(j.emotion_scale.labels.items()) == [(1, "awful"), (5, "great")]
    assert build_journey(doc()).emotion_scale.min == -2


def test_metrics_keep_numbers_and_strings():
    j = build_journey(doc(stages=[{"name": "S", "metrics": {"nps": 32, "csat": "78%", "ces": 4.1}, "steps": ["X"]}]))
    assert [(m.name, m.text) for m in j.stages[0].metrics] == [("nps", "32"), ("csat", "78%"), ("ces", "4.1")]


def test_journey_is_immutable():
    j = build_journey(doc())
    with pytest.raises(dataclasses.FrozenInstanceError):
        j.title = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        j.steps[1].emotions["x"] = 1  # type: ignore[index]


@pytest.mark.parametrize(("text", "slug"), [("Sign up!", "sign-up"), ("Café au lait", "cafe-au-lait"), ("注文", "item")])
def test_slugify(text, slug):
    assert slugify(text) == slug


def _ids_as_before(explicit, texts):
    """Derived ids as journeymap 0.1 handed them out, counting up from 2 on every clash."""
    taken, out = set(explicit), []
    for text in texts:
        base = slugify(text)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


def test_derived_ids_are_the_same_as_before_when_suffixes_collide():
    explicit = ["pay-2", "pay-4", "a"]
    actions = ["Pay", "Pay", "Pay 3", "Pay", "Pay", "Pay 5", "Pay", "Pay 2", "Pay", "A", "A", "A 2", "A"]
    steps = [{"id": i, "action": "Explicit"} for i in explicit] + actions
    j = build_journey(doc(stages=[{"name": "S", "steps": steps}]))
    assert [s.id for s in j.steps][len(explicit):] == _ids_as_before(explicit, actions)
    assert [s.id for s in j.steps][len(explicit):] == [
        "pay", "pay-3", "pay-3-2", "pay-5", "pay-6", "pay-5-2", "pay-7", "pay-2-2", "pay-8", "a-2", "a-3", "a-2-2",
        "a-4"]


def test_many_steps_with_one_action_derive_ids_in_linear_time():
    from journeymap.model import _Ids

    class Counting(set):
        lookups = 0

        def __contains__(self, item):
            Counting.lookups += 1
            return super().__contains__(item)

    ids = _Ids(set())
    ids.taken = Counting()
    got = [ids.derive("Same action") for _ in range(8000)]
    assert got[:3] == ["same-action", "same-action-2", "same-action-3"] and got[-1] == "same-action-8000"
    assert Counting.lookups <= 2 * 8000  # counting up from 2 on every clash took 32 million


def test_channels_of_steps_on_paths_are_the_journeys_too():
    branch = {"name": "Calls instead", "steps": [{"action": "Calls sales", "touchpoints": ["phone", {"channel": "kiosk"}]}]}
    stages = [{"name": "Buy", "steps": [{"action": "Pays", "touchpoints": ["web"], "paths": [branch]}]}]
    j = build_journey(doc(stages=stages))
    assert {cid: c.label for cid, c in j.channels.items()} == {"kiosk": "Kiosk", "phone": "Phone", "web": "Web"}
