"""Layout invariants on the shipped examples, the test maps and extreme maps."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from layout_invariants import check_layout

from journeymap.layouts import Box, Marker, Path as PathItem, Rect, Text, compute_layout
from journeymap.model import build_journey
from journeymap.render.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
MAPS = sorted((ROOT / "tests" / "maps").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.yaml"))
THEMES = ["default", "dark", "print"]

LONG = ("Customers describe the onboarding as confusing because " * 40)[:2000]
URL = "https://example.com/a/very/long/path/that/never/ends/" + "segment-" * 30 + "?utm_source=newsletter&ref=x"
CJK = "申し込みフォームが長すぎて途中で諦めてしまいました。もう一度最初から入力する必要がありました。" * 3


def journey(doc):
    return build_journey(doc)


def load_map(path: Path):
    from journeymap.api import load

    return load(path)


def doc(stages, **extra):
    return {"journeymap": 1, "title": extra.pop("title", "Extreme"), "stages": stages, **extra}


def full_step(i: int, text: str = "Reads the page") -> dict:
    return {
        "action": f"{text} {i}", "thought": [text], "emotion": (i % 5) - 2, "feeling": "ok",
        "touchpoints": [{"channel": ["web", "app", "email", "phone"][i % 4], "name": text, "owner": "Ops"}],
        "pains": [text], "backstage": [text], "moment_of_truth": i % 7 == 3,
        "opportunities": [{"idea": text, "impact": "high", "effort": "low", "owner": text}],
    }


EXTREMES = {
    "one-step": doc([{"name": "Only", "steps": ["Just one step"]}]),
    "two-hundred-steps": doc([{"name": f"Stage {s}", "metrics": {"nps": s, "csat": "80%"},
                               "steps": [full_step(s * 20 + i) for i in range(20)]} for s in range(10)],
                             persona={"name": "Ann", "goals": ["Finish"]}),
    "long-texts": doc([{"name": LONG, "description": LONG, "metrics": {LONG[:300]: LONG[:200]},
                        "steps": [full_step(0, LONG), full_step(1, LONG)]}],
                      title=LONG, description=LONG, scenario=LONG,
                      persona={"name": LONG[:300], "segment": LONG, "quote": LONG, "goals": [LONG], "expectations": [LONG]}),
    "urls": doc([{"name": URL, "steps": [full_step(0, URL), full_step(1, URL)]}], title=URL,
                persona={"name": "Ann", "quote": URL}),
    "cjk": doc([{"name": "検討", "steps": [full_step(0, CJK), full_step(1, CJK)]}, {"name": CJK, "steps": [full_step(2, CJK)]}],
               title=CJK, persona={"name": "山田 花子", "goals": [CJK]}),
    "personas": doc([{"name": "Try", "steps": [
        {"action": "A", "emotion": {"ann": 2, "bob": -2}}, {"action": "B", "emotion": {"ann": 1}},
        {"action": "C", "emotion": {"bob": 0}}, {"action": "D", "emotion": {"ann": -1, "bob": 1}}]}],
        personas=[{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob", "quote": "Fine."}]),
    "scale-1-10": doc([{"name": "S", "steps": [{"action": f"s{i}", "emotion": i} for i in range(1, 11)]}],
                      emotion_scale={"min": 1, "max": 10, "labels": {str(i): f"level {i} of ten" for i in range(1, 11)}}),
}


@pytest.mark.parametrize("name", sorted(EXTREMES))
@pytest.mark.parametrize("theme", THEMES)
def test_extreme_maps_keep_every_invariant(name, theme):
    j = journey(EXTREMES[name])
    assert check_layout(compute_layout(j, load_theme(theme)), j) == []


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
@pytest.mark.parametrize("theme", THEMES)
def test_examples_keep_every_invariant(path, theme):
    j = load_map(path)
    assert check_layout(compute_layout(j, load_theme(theme)), j) == []


def test_layout_is_pure_and_repeatable():
    j = journey(EXTREMES["two-hundred-steps"])
    theme = load_theme("default")
    assert compute_layout(j, theme) == compute_layout(j, theme)


def test_a_thousand_steps_lay_out():
    steps = [{"action": f"Step {i}", "emotion": i % 5 - 2, "touchpoints": ["web"]} for i in range(1000)]
    j = journey(doc([{"name": "All", "steps": steps}]))
    layout = compute_layout(j, load_theme("default"))
    assert len(layout.steps) == 1000
    assert layout.width == pytest.approx(48 + 144 + 1000 * 184 + 48)


def test_short_maps_stretch_to_the_minimum_width():
    layout = compute_layout(journey(EXTREMES["one-step"]), load_theme("default"))
    assert layout.width == 1184
    (_, step_box), = layout.steps
    assert step_box.w == 1184 - 2 * 48 - 144


def test_lanes_follow_the_declared_order():
    d = doc([{"name": "S", "steps": [full_step(0)]}], lanes=["pains", "emotions", "actions"])
    layout = compute_layout(journey(d), load_theme("default"))
    assert [name for name, _ in layout.lanes] == ["pains", "emotions", "actions"]
    tops = [box.y for _, box in layout.lanes]
    assert tops == sorted(tops)


def test_emotion_tints_show_on_an_alternate_tinted_row():
    d = doc([{"name": "S", "steps": [full_step(0), full_step(3)]}], lanes=["actions", "touchpoints", "emotions"])
    layout = compute_layout(journey(d), load_theme("default"))
    background = list(layout.groups[0].items)
    row = dict(layout.lanes)["emotions"]
    alt = next(k for k, i in enumerate(background) if isinstance(i, Rect) and i.cls == "lane-alt" and i.box == row)
    tints = [k for k, i in enumerate(background) if isinstance(i, Rect) and i.cls.startswith("emotion-")]
    assert len(tints) == 2 and alt < min(tints)  # the opaque row first, its tints on top
    assert check_layout(layout, journey(d)) == []


def _emotion_items(layout, cls):
    group = next(g for g in layout.groups if g.lane == "emotions")
    return [i for i in group.items if i.cls.split()[0] == cls]


def test_missing_emotions_leave_a_dashed_bridge_not_a_value():
    d = doc([{"name": "S", "steps": [{"action": "a", "emotion": 1}, {"action": "b"}, {"action": "c", "emotion": -1},
                                     {"action": "d", "emotion": 2}]}])
    layout = compute_layout(journey(d), load_theme("default"))
    markers = _emotion_items(layout, "emotion-marker")
    assert len(markers) == 3  # no marker for the step without a score
    steps = dict(layout.steps)
    centre_b = steps["b"].x + steps["b"].w / 2
    assert all(abs(m.x - centre_b) > 1 for m in markers)
    (gap,) = _emotion_items(layout, "emotion-gap")
    assert gap.d.startswith("M") and "L" in gap.d and "C" not in gap.d
    (curve,) = _emotion_items(layout, "emotion-curve")  # only c-d is a run of two
    assert curve.points[0][0] == pytest.approx(steps["c"].x + steps["c"].w / 2)


def test_markers_encode_valence_by_shape_and_colour():
    d = doc([{"name": "S", "steps": [{"action": "a", "emotion": 2}, {"action": "b", "emotion": 0},
                                     {"action": "c", "emotion": -2}]}])
    markers = _emotion_items(compute_layout(journey(d), load_theme("default")), "emotion-marker")
    assert [(m.shape, m.cls) for m in markers] == [
        ("circle", "emotion-marker pos"), ("square", "emotion-marker neu"), ("triangle-down", "emotion-marker neg")]
    tokens = load_theme("default").tokens["colors"]
    assert [m.fill for m in markers] == [tokens["positive"], tokens["neutral"], tokens["negative"]]


def test_higher_scores_sit_higher_and_labels_come_from_the_scale():
    d = doc([{"name": "S", "steps": [{"action": "a", "emotion": 2}, {"action": "b", "emotion": -1}]}],
            emotion_scale={"min": -2, "max": 2, "labels": {"-2": "furious", "2": "thrilled"}})
    layout = compute_layout(journey(d), load_theme("default"))
    a, b = _emotion_items(layout, "emotion-marker")
    assert a.y < b.y
    group = next(g for g in layout.groups if g.lane == "emotions")
    labels = [t.lines for t in group.items if isinstance(t, Text)]
    assert ("furious",) in labels and ("thrilled",) in labels
    assert a.label == "2 (thrilled)"


def test_several_personas_get_a_curve_each_with_its_own_colour_and_dash():
    layout = compute_layout(journey(EXTREMES["personas"]), load_theme("default"))
    curves = _emotion_items(layout, "emotion-curve")
    assert len({(c.stroke, c.dash) for c in curves}) == len(curves) >= 2
    legend = next(g for g in layout.groups if g.kind == "legend")
    texts = [t.lines[0] for t in legend.items if isinstance(t, Text)]
    # The key says how each persona's markers are drawn: filled, or hollow every other persona.
    assert "Ann \u00b7 filled markers" in texts and "Bob \u00b7 hollow markers" in texts


def test_moment_of_truth_is_highlighted_across_the_grid():
    d = doc([{"name": "S", "steps": [{"action": "a", "emotion": 1, "moment_of_truth": True}, {"action": "b"}]}])
    layout = compute_layout(journey(d), load_theme("default"))
    items = layout.items()
    assert [r for r in items if isinstance(r, Rect) and r.cls == "moment-column"]
    assert [m for m in items if isinstance(m, Marker) and m.cls == "moment-ring"]
    assert any(isinstance(t, Text) and t.lines[0].endswith("Moment of truth") for t in items)


def test_channel_switches_are_marked_between_steps():
    d = doc([{"name": "S", "steps": [{"action": "a", "touchpoints": ["web"]}, {"action": "b", "touchpoints": ["web"]},
                                     {"action": "c", "touchpoints": ["phone"]}]}])
    layout = compute_layout(journey(d), load_theme("default"))
    switches = [m for m in layout.items() if isinstance(m, Marker) and m.cls == "switch-disc"]
    steps = dict(layout.steps)
    assert [m.x for m in switches] == [steps["c"].x]


def test_wrapped_text_is_one_block_per_cell():
    d = doc([{"name": "S", "steps": [{"action": LONG}]}])
    layout = compute_layout(journey(d), load_theme("default"))
    actions = next(g for g in layout.groups if g.lane == "actions")
    (block,) = [t for t in actions.items if isinstance(t, Text) and len(t.lines) > 1]
    assert "".join(block.lines).replace(" ", "") == LONG.replace(" ", "")


def test_the_invariant_checker_catches_broken_layouts():
    from dataclasses import replace

    from journeymap.layouts import Box, Group

    j = journey(EXTREMES["personas"])
    layout = compute_layout(j, load_theme("default"))
    assert check_layout(layout, j) == []

    def broken(lane, change):
        groups = tuple(replace(g, items=tuple(change(i) for i in g.items)) if g.lane == lane else g
                       for g in layout.groups)
        return check_layout(replace(layout, groups=groups), j)

    def narrow(i):
        return replace(i, box=Box(i.box.x, i.box.y, 1, i.box.h)) if isinstance(i, Text) else i

    def drop_down(i):
        return replace(i, points=tuple((x, y + 500) for x, y in i.points)) if isinstance(i, PathItem) else i

    def widen_cards(i):
        return replace(i, box=Box(i.box.x, i.box.y, i.box.w * 2, i.box.h)) if isinstance(i, Rect) else i

    assert any("overflows its box" in p for p in broken("actions", narrow))
    assert any("leaves the emotion lane" in p for p in broken("emotions", drop_down))
    assert any("overlaps" in p for p in broken("actions", widen_cards))
    no_stage = tuple(g for g in layout.groups if g.kind != "stages")
    assert "stage try not drawn" in check_layout(replace(layout, groups=no_stage), j)
    assert isinstance(layout.groups[0], Group)


def _header_rows(layout) -> list[list[Rect]]:
    cards = [i for g in layout.groups if g.kind == "header" for i in g.items
             if isinstance(i, Rect) and i.cls == "card-header"]
    rows: dict[float, list[Rect]] = {}
    for c in cards:
        rows.setdefault(c.box.y, []).append(c)
    return [sorted(r, key=lambda c: c.box.x) for _, r in sorted(rows.items())]


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
def test_header_rows_span_the_grid_and_no_card_is_mostly_empty(path):
    layout = compute_layout(load_map(path), load_theme("default"))
    header = next(g for g in layout.groups if g.kind == "header")
    texts = [i.box for i in header.items if isinstance(i, Text)] + [
        Box(i.x - i.r, i.y - i.r, 2 * i.r, 2 * i.r) for i in header.items if isinstance(i, Marker)]
    for row in _header_rows(layout):
        assert row[0].box.x == 48 and row[-1].box.right == pytest.approx(layout.grid.right)
        assert all(b.box.x - a.box.right == pytest.approx(16) for a, b in zip(row, row[1:]))
        assert len({round(c.box.h, 2) for c in row}) == 1
        for c in row:  # the content reaches at least 70% down every card of the row
            bottom = max(t.bottom for t in texts if c.box.contains(t))
            assert (bottom + 16 - c.box.y) / c.box.h >= 0.7, (path.stem, c.box)


def test_several_personas_get_two_column_cards_and_the_scenario_a_row_of_its_own():
    journey = load_map(ROOT / "examples" / "clinic-visit.yaml")
    layout = compute_layout(journey, load_theme("default"))
    personas, scenario = _header_rows(layout)
    assert len(personas) == 2 and [c.box.w for c in scenario] == [layout.grid.right - 48]
    header = next(g for g in layout.groups if g.kind == "header")
    words = {" ".join(i.lines): i.box for i in header.items if isinstance(i, Text)}
    card = personas[0].box
    # Who Marcus is at the left of his card, his goals at the right, both from the top.
    assert words["Marcus Chen"].right <= card.x + card.w / 2 < words["GOALS"].x
    assert words["GOALS"].y == pytest.approx(card.y + 16)
    assert words["SCENARIO"].y == pytest.approx(scenario[0].box.y + 16)
    # A paragraph stays a readable measure even on a card as wide as the map.
    body = next(b for t, b in words.items() if t.startswith("Both patients need"))
    assert body.w == 880


# Crowded alternative paths: a gutter (or a card edge) that cannot hold its connectors 6+ px apart makes room.

def _vertical_runs(layout, near_x: float, within: float = 40) -> list[float]:
    """The x of every vertical connector run within `within` px of `near_x`, sorted."""
    actions = next(g for g in layout.groups if g.lane == "actions")
    xs = {round(p[0], 2) for i in actions.items if isinstance(i, PathItem) and i.cls in ("path-connector", "path-loop")
          for p, q in zip(i.points, i.points[1:]) if p[0] == q[0] and abs(p[0] - near_x) <= within}
    return sorted(xs)


def _path_cards(layout) -> dict[str, Box]:
    return {i.id: i.box for i in layout.items() if isinstance(i, Rect) and i.id.startswith("jm-path-step-")}


@pytest.mark.parametrize("theme", THEMES)
def test_entries_crowding_the_left_edge_widen_their_gutter(theme):
    # Four paths start in the first column: their entries all run down the gutter at the map's left edge.
    j = load_map(ROOT / "tests" / "maps" / "crowded-left-edge.yaml")
    layout = compute_layout(j, load_theme(theme))
    assert check_layout(layout, j) == []
    assert layout.width == 1184  # the cards give way; the map keeps its width
    runs = _vertical_runs(layout, layout.grid.x, 30)
    assert len(runs) == 4 and min(b - a for a, b in pairwise(runs)) >= 8
    first = [b for b in _path_cards(layout).values() if b.x < layout.grid.x + layout.steps[0][1].w / 2]
    assert all(b.x - runs[-1] >= 7 for b in first)  # room for the arrowheads before the cards


@pytest.mark.parametrize("theme", THEMES)
def test_loops_crowding_the_right_edge_widen_their_gutter(theme):
    # Four paths end in the last column and loop back: their ways back all run up the gutter at the right edge.
    j = load_map(ROOT / "tests" / "maps" / "loops-at-the-right-edge.yaml")
    layout = compute_layout(j, load_theme(theme))
    assert check_layout(layout, j) == []
    runs = _vertical_runs(layout, layout.grid.right, 40)
    assert len(runs) == 4 and min(b - a for a, b in pairwise(runs)) >= 8
    assert all(b.right <= runs[0] - 3 for b in _path_cards(layout).values())


def test_columns_widen_when_their_cards_cannot_give_the_gutters_enough_room():
    # Nine retries from the last step, each looping back to the first: nine ways back up the right edge, eight
    # entries down the gutter before the last column. Narrowing the cards alone would leave them too thin.
    steps = [{"id": f"s{i}", "action": f"Step {i}"} for i in range(8)]
    steps[-1]["paths"] = [{"name": f"Retry {k}", "steps": [{"action": f"Tries again {k}", "next": "s0"}]}
                          for k in range(9)]
    j = journey(doc([{"name": "All", "steps": steps}]))
    for theme in THEMES:
        layout = compute_layout(j, load_theme(theme))
        assert check_layout(layout, j) == []
        step_w = layout.steps[0][1].w
        assert step_w > 184
        # The path cards keep at least three quarters of their usual width (the column less 24 px a side).
        assert all(b.w >= 0.75 * (step_w - 48) - 0.01 for b in _path_cards(layout).values())
        runs = _vertical_runs(layout, layout.grid.right, 72)
        assert len(runs) == 9 and min(b - a for a, b in pairwise(runs)) >= 8


def _path_markers(name, theme):
    """The layout of a map from tests/maps (checked for every invariant) and its alternative paths' emotion markers."""
    j = load_map(ROOT / "tests" / "maps" / f"{name}.yaml")
    layout = compute_layout(j, load_theme(theme))
    assert check_layout(layout, j) == []
    emotions = next(g for g in layout.groups if g.lane == "emotions")
    return layout, [i for i in emotions.items if isinstance(i, Marker) and i.cls.startswith("emotion-marker-alt")]


@pytest.mark.parametrize("theme", THEMES)
def test_markers_meeting_at_the_plot_end_move_apart_inside_it(theme):
    # Both paths of a one-step map end at the right end of the emotion plot, four markers at one spot.
    layout, markers = _path_markers("paths-meet-at-the-end", theme)
    alt = sorted(m.x for m in markers)
    assert len(alt) == 4 and alt[-1] + 6 <= layout.grid.right
    assert min(b - a for a, b in pairwise(alt)) > 6


@pytest.mark.parametrize("theme", THEMES)
def test_markers_moving_in_from_the_plot_end_hide_no_neighbour(theme):
    # Three markers meet at the plot's end, the marker of a shorter path just left of them at the same level: the
    # row moves inwards and keeps its distance from that marker too.
    layout, alt = _path_markers("paths-squeezed-at-the-end", theme)
    row = sorted(m.x for m in alt if m.y == alt[0].y)
    assert len(row) == 4 and row[-1] + 6 <= layout.grid.right
    assert min(b - a for a, b in pairwise(row)) > 6
