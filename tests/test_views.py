"""Views beyond the single curve: language additions, flow checks, personas, paths, blueprint, overlays."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from layout_invariants import check_layout
from typer.testing import CliRunner

from journeymap import views
from journeymap.api import load
from journeymap.cli import app
from journeymap.diagnostics import JourneyError
from journeymap.layouts import Box, Line, Marker, Rect, Text
from journeymap.layouts import Path as PathItem
from journeymap.render.svg import render_layout
from journeymap.render.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PATHS_MAP = ROOT / "tests" / "maps" / "paths-and-loops.yaml"
HEAD = "journeymap: 1\ntitle: T\n"


def texts(layout) -> list[str]:
    return [" ".join(i.lines) for i in layout.items() if isinstance(i, Text)]


# --- language: schema and diagnostics -------------------------------------------------------------------------

FLOW = HEAD + """stages:
  - name: A
    steps:
      - id: one
        action: One
        paths:
          - name: Side
            rejoin: {rejoin}
            steps:
              - id: side
                action: Side step
                {side}
      - id: two
        action: Two
        {two}
      - id: three
        action: Three
"""


def flow(rejoin: str = "three", side: str = "emotion: 0", two: str = "emotion: 0") -> str:
    return FLOW.format(rejoin=rejoin, side=side, two=two)


def test_a_valid_flow_has_no_problems(problems) -> None:
    assert problems(flow()) == []


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"rejoin": "thre"}, [(10, 21, "E211", "rejoin: unknown step 'thre'; did you mean 'three'?")]),
    ({"rejoin": "one"}, [(10, 21, "E212", ("rejoin must name a step after 'one' on the main path; to loop back, "
                                          "use 'next' on the path's last step"))]),
    ({"rejoin": "side"}, [(10, 21, "E212", "rejoin must name a step on the main path; 'side' is in a path")]),
    ({"two": "next: tow"}, [(17, 15, "E211", "next: unknown step 'tow'; did you mean 'two'?")]),
    ({"two": "next: two"}, [(17, 15, "E213", "next cannot name the step itself")]),
    ({"two": "exit_reason: bored"}, [(17, 9, "E214", "exit_reason needs 'exit: true'")]),
    ({"two": "exit: true"}, [(17, 15, "E215", ("only a step in a path, or the last step of the journey, can exit: "
                                               "the main path goes on after 'two'; move the drop-off into a path"))]),
    ({"side": "exit: true\n                next: two", "rejoin": "null"},
     [(15, 17, "E216", "a step that exits cannot also have 'next'")]),
    ({"two": "next: one", "side": "next: one", "rejoin": "null"}, [
        (14, 23, "E217", ("'next: one' makes a loop with no way out: from 'side' the customer can never reach the "
                          "end of the journey; give a step in the loop a path out, or an exit")),
        (17, 15, "E217", ("'next: one' makes a loop with no way out: from 'two' the customer can never reach the "
                          "end of the journey; give a step in the loop a path out, or an exit"))]),
])
def test_flow_diagnostics(problems, kwargs, expected) -> None:
    assert problems(flow(**kwargs)) == expected


def test_a_loop_with_a_way_out_is_fine(problems) -> None:
    # The path from 'one' rejoins at 'three', so the loop two -> one is not a trap.
    assert problems(flow(two="next: one")) == []
    assert problems(flow(side="next: one", rejoin="null")) == []


def test_paths_do_not_nest_and_path_ids_are_unique(problems) -> None:
    nested = flow(side="paths: [{name: X, steps: [Y]}]")
    assert [(p[2], p[3].split(";")[0]) for p in problems(nested)] == [("E103", "unknown key 'paths' in a step")]
    dup = HEAD + """stages:
  - name: A
    steps:
      - action: One
        paths:
          - {id: p, name: P, steps: [X]}
          - {id: p, name: Q, steps: [Y]}
      - Two
"""
    assert problems(dup) == [(9, 18, "E201", "duplicate path id 'p' (first used at line 8, column 18)")]


def test_target_for_an_unknown_metric_is_a_warning(problems) -> None:
    text = HEAD + "stages:\n  - name: A\n    metrics: {nps: 30}\n    targets: {npss: 40}\n    steps: [X]\n"
    assert problems(text) == [(6, 15, "W202", "target for unknown metric 'npss'; did you mean 'nps'?")]


def test_new_item_shapes_are_explained(problems) -> None:
    text = HEAD + "stages:\n  - name: A\n    steps:\n      - action: X\n        support: [3]\n        evidence: [{quote: q}]\n"
    assert problems(text) == [
        (7, 19, "E104", "a support process must be a string or a mapping with a 'process', got 3"),
        (8, 20, "E102", "an evidence item is missing required key 'source' (where the evidence comes from)"),
    ]


# --- model ------------------------------------------------------------------------------------------------------

def test_model_of_the_additions() -> None:
    clinic = load(EXAMPLES / "clinic-visit.yaml")
    first = clinic.steps[0]
    assert first.confidence == "high"
    assert first.backstage == ("Referrals triaged by the lead physio twice a week", "Online slots released 28 days ahead")
    assert first.backstage_items[0].owner == "Lead physio"
    assert first.support[0].process == "Practice management system (bookings)" and first.support[0].owner == "IT"
    assert first.evidence_items[0].sample_size == 212
    assert first.evidence == ("Reception call logs, March (n=212): \u201cTwenty minutes of music, then they cut me "
                              "off.\u201d; Call logs: 41% of callers over 65 hung up before answer (March)")
    retail = load(EXAMPLES / "retail-purchase.yaml")
    lead = next(s for s in retail.steps if s.id == "check-lead-time")
    assert [(b.id, b.rejoin, [s.id for s in b.steps]) for b in lead.paths] == [
        ("shops-elsewhere", None, ["check-rival", "leaves-showroom"]), ("order-by-phone", "book-slot", ["phone-order"])]
    assert lead.paths[0].steps[-1].exit and lead.paths[0].steps[-1].exit_reason == "Ten-week lead time"
    assert len(retail.every_step) == len(retail.steps) + 4
    saas = load(EXAMPLES / "saas-onboarding.yaml")
    assert saas.stages[0].target("visit-to-trial").text == "5%"


# --- layouts: invariants for every view ---------------------------------------------------------------------------

MAPS = sorted(EXAMPLES.glob("*.yaml")) + [PATHS_MAP]


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
@pytest.mark.parametrize("view", ["map", "blueprint"])
def test_every_view_keeps_the_layout_invariants(path: Path, view: str) -> None:
    journey = load(path)
    layout = views.compute(journey, load_theme("default"), view=view, show={"confidence"}, summary=True)
    expected = replace(journey, lanes=("actions", "touchpoints", "backstage", "support")) if view == "blueprint" \
        else journey
    assert check_layout(layout, expected) == []


@pytest.mark.parametrize("name", ["two-hundred-steps", "long-texts", "urls", "cjk", "personas"])
def test_extreme_maps_keep_the_invariants_with_every_overlay(name: str) -> None:
    from test_layout import EXTREMES, journey

    j = journey(EXTREMES[name])
    layout = views.compute(j, load_theme("default"), show={"confidence"}, summary=True)
    assert check_layout(layout, j) == []


# --- several personas -----------------------------------------------------------------------------------------

def test_several_personas_get_tagged_curves_a_gap_band_and_a_labelled_widest_gap() -> None:
    journey = load(EXAMPLES / "clinic-visit.yaml")
    layout = views.compute(journey, load_theme("default"))
    lane = next(g for g in layout.groups if g.lane == "emotions")
    curves = [i for i in lane.items if isinstance(i, PathItem) and i.cls == "emotion-curve"]
    assert sorted({c.persona for c in curves}) == ["eileen", "marcus"]
    assert {c.dash for c in curves if c.persona == "marcus"} != {c.dash for c in curves if c.persona == "eileen"}
    markers = [i for i in lane.items if isinstance(i, Marker) and i.cls.startswith("emotion-marker")]
    assert {m.persona for m in markers} == {"eileen", "marcus"}
    band = [i for i in lane.items if isinstance(i, PathItem) and i.cls == "persona-gap"]
    assert band and lane.items.index(band[0]) < lane.items.index(curves[0])  # behind the curves
    assert "Gap 4" in texts(layout)  # first step: marcus 2, eileen -2
    assert "Gap between personas" in texts(layout)
    svg = render_layout(layout, load_theme("default"), embed_fonts=False)
    tagged = [i for i in lane.items if getattr(i, "persona", "") == "eileen"]
    assert len(re.findall(r'data-persona="eileen"', svg)) == len(tagged) > 8


def _samples(paths) -> list[tuple[float, float]]:
    """Points along curves drawn as cubic Béziers (points: start, then control, control, end per segment)."""
    out = []
    for p in paths:
        pts = p.points
        for k in range(0, len(pts) - 3, 3):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[k:k + 4]
            for j in range(41):
                t = j / 40
                u = 1 - t
                out.append((u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                            u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3))
    return out


def test_coinciding_persona_markers_stay_visible_and_the_gap_label_clear_of_the_curves() -> None:
    journey = load(EXAMPLES / "clinic-visit.yaml")
    layout = views.compute(journey, load_theme("default"))
    lane = next(g for g in layout.groups if g.lane == "emotions")
    steps = dict(layout.steps)
    box = steps["first-assessment"]  # a moment of truth where both patients score 2
    here = [i for i in lane.items if isinstance(i, Marker) and i.cls.startswith("emotion-marker ")
            and box.x < i.x < box.right]
    assert len(here) == 2 and abs(here[0].x - here[1].x) >= here[0].r * 1.5 and here[0].y == here[1].y
    rings = [i for i in lane.items if isinstance(i, Marker) and i.cls == "moment-ring" and box.x < i.x < box.right]
    assert len(rings) == 1 and all(abs(m.x - rings[0].x) + m.r <= rings[0].r for m in here)
    (label,) = [i for i in lane.items if isinstance(i, Text) and i.cls == "text-gap"]
    assert label.lines == ("Gap 4",)
    neutral = next(i for i in lane.items if isinstance(i, Line) and i.cls == "emotion-neutral")
    assert not label.box.y < neutral.y1 < label.box.bottom
    curves = [i for i in lane.items if isinstance(i, PathItem) and i.cls == "emotion-curve"]
    assert not [p for p in _samples(curves) if label.box.contains(Box(p[0], p[1], 0, 0))]
    assert any(i.box.contains(label.box) for i in lane.items if isinstance(i, Rect) and i.cls == "label-halo")


FOUR = ROOT / "tests" / "maps" / "four-personas.yaml"


@pytest.mark.parametrize("theme", ["default", "dark", "print"])
def test_four_personas_band_only_the_two_furthest_apart_and_say_which_markers_are_hollow(theme: str) -> None:
    journey = load(FOUR)
    layout = views.compute(journey, load_theme(theme))
    assert check_layout(layout, journey) == []
    lane = next(g for g in layout.groups if g.lane == "emotions")
    steps = dict(layout.steps)
    # At the last step Ana and Dev agree (2) while Cleo is at -1: a band around every curve would cover it.
    band = [p for i in lane.items if isinstance(i, PathItem) and i.cls == "persona-gap" for p in i.points]
    fee = steps["pays-the-fee"]
    assert band and max(x for x, _ in band) <= fee.x + fee.w / 2 + 1
    assert "Gap 4" in texts(layout)  # Ana 2, Dev -2 at the upload
    legend = texts(layout)
    assert {"Ana \u00b7 filled markers", "Ben \u00b7 hollow markers", "Cleo \u00b7 filled markers",
            "Dev \u00b7 hollow markers", "Gap: Ana and Dev, furthest apart"} <= set(legend)
    # All four score 1 at the fee: four markers side by side, none hiding another.
    here = [i for i in lane.items if isinstance(i, Marker) and i.cls.startswith("emotion-marker ")
            and fee.x < i.x < fee.right]
    assert len({round(m.x) for m in here}) == 4 and len({m.y for m in here}) == 1


def test_one_personas_view() -> None:
    journey = views.select_persona(load(EXAMPLES / "clinic-visit.yaml"), "eileen")
    assert [p.id for p in journey.personas] == ["eileen"]
    assert all(set(s.emotions) <= {"eileen"} for s in journey.steps)
    layout = views.compute(journey, load_theme("default"))
    assert "Gap between personas" not in texts(layout)
    with pytest.raises(JourneyError) as info:
        views.select_persona(load(EXAMPLES / "clinic-visit.yaml"), "eilen", "clinic.yaml")
    assert [(d.code, d.message) for d in info.value.diagnostics] == [
        ("E301", "unknown persona 'eilen'; did you mean 'eileen'?")]


def test_render_persona_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "eileen.svg"
    ok = runner.invoke(app, ["render", str(EXAMPLES / "clinic-visit.yaml"), "-o", str(out), "--persona", "eileen",
                             "--no-embed-fonts"])
    assert ok.exit_code == 0, ok.output
    svg = out.read_text(encoding="utf-8")
    assert "Marcus Chen" not in svg and "Eileen Murphy" in svg
    bad = runner.invoke(app, ["render", str(EXAMPLES / "clinic-visit.yaml"), "-o", str(out), "--persona", "marcos"])
    assert bad.exit_code == 1
    assert "error[E301]: unknown persona 'marcos'; did you mean 'marcus'?" in bad.output


# --- paths ------------------------------------------------------------------------------------------------------

def test_paths_draw_cards_connectors_drop_offs_and_their_own_curves() -> None:
    journey = load(PATHS_MAP)
    layout = views.compute(journey, load_theme("default"))
    actions = next(g for g in layout.groups if g.lane == "actions")
    cards = [i for i in actions.items if isinstance(i, Rect) and i.cls.startswith("card-path")]
    assert [c.cls for c in cards] == ["card-path", "card-path-exit", "card-path", "card-path"]
    main = [i for i in actions.items if isinstance(i, Rect) and i.cls.startswith("card-action")]
    assert max(c.box.bottom for c in main) < min(c.box.y for c in cards)  # path rows under the main cards
    assert "\u00d7 Drops out: Forty minutes on hold" in texts(layout)
    assert "\u21b3 Calls sales Calls sales and waits" not in texts(layout)
    assert {"\u21b3 Calls sales", "\u21b3 Visits the store", "\u21b3 Card declined"} <= set(texts(layout))
    kinds = [i.cls for i in actions.items if isinstance(i, PathItem)]
    assert kinds.count("path-connector") >= 4 and kinds.count("path-loop") == 1
    emotions = next(g for g in layout.groups if g.lane == "emotions")
    alternatives = [i for i in emotions.items if isinstance(i, PathItem) and i.cls == "emotion-alt"]
    assert len(alternatives) == 3  # one short curve per path
    legend = set(texts(layout))
    assert {"Alternative path", "Emotion on a path", "Drop-off", "Loop back"} <= legend
    assert check_layout(layout, journey) == []


def _card(layout, step_id: str) -> Rect:
    return next(i for i in layout.items() if isinstance(i, Rect) and i.id in (f"jm-step-{step_id}",
                                                                             f"jm-path-step-{step_id}"))


def test_a_branch_card_stays_in_its_stage_next_to_the_step_that_offers_it() -> None:
    journey = load(PATHS_MAP)
    layout = views.compute(journey, load_theme("default"))
    stages, steps = dict(layout.stages), dict(layout.steps)
    declined = _card(layout, "card-declined").box
    # "Pays" ends the Buy stage: its branch hangs under it, not under "Receives the parcel" in After.
    assert steps["pay"].contains(declined) and stages["buy"].contains(declined)
    assert not any(steps["done"].x < i.box.right and i.box.x < steps["done"].right
                   for i in layout.items() if isinstance(i, Rect) and i.id.startswith("jm-path-step-"))
    retail = load(EXAMPLES / "retail-purchase.yaml")
    layout = views.compute(retail, load_theme("default"))
    steps = dict(layout.steps)
    assert steps["check-lead-time"].contains(_card(layout, "check-rival").box)  # the Try stage's last step
    assert steps["book-slot"].contains(_card(layout, "credit-check-fails").box)  # after place-order, in Order


def test_every_connector_has_its_own_end_and_keeps_off_the_stage_separators() -> None:
    layout = views.compute(load(PATHS_MAP), load_theme("default"))
    actions = next(g for g in layout.groups if g.lane == "actions")
    wires = [i for i in actions.items if isinstance(i, PathItem) and i.cls.startswith("path-")]
    arrows = [i for i in actions.items if isinstance(i, Marker) and i.cls.startswith("path-arrow")]
    pay = dict(layout.steps)["pay"]
    into_pay = [a for a in arrows if a.shape == "triangle-up" and pay.x < a.x < pay.right]
    assert len(into_pay) == 2 and abs(into_pay[0].x - into_pay[1].x) >= 12  # the rejoin and the loop: apart
    ends = [p for w in wires for p in (w.points[0], w.points[-1])]
    assert len({(round(x), round(y)) for x, y in ends}) == len(ends)
    separator = dict(layout.stages)["after"].x
    loop = next(w for w in wires if w.cls == "path-loop")
    assert all(abs(x - separator) >= 6 for x, _ in loop.points)
    # A dotted loop with an arrowhead in the legend, not a second dashed line like the emotion on a path.
    legend = next(g for g in layout.groups if g.kind == "legend")
    symbols = {t: s for s, t in zip(legend.items[1::2], legend.items[2::2]) if isinstance(t, Text)}
    by_text = {" ".join(t.lines): s for t, s in symbols.items()}
    assert isinstance(by_text["Loop back"], Marker) and by_text["Loop back"].shape == "arrow-left"
    svg = render_layout(layout, load_theme("print"), embed_fonts=False)
    dash = dict(re.findall(r"\.(path-loop|emotion-alt)\{[^}]*stroke-dasharray:([^;}]+)", svg))
    assert dash["path-loop"] != dash["emotion-alt"]


def test_alternative_curves_are_named_marked_by_valence_and_drop_offs_by_a_cross() -> None:
    journey = load(PATHS_MAP)
    layout = views.compute(journey, load_theme("default"))
    emotions = next(g for g in layout.groups if g.lane == "emotions")
    lane_texts = [" ".join(i.lines) for i in emotions.items if isinstance(i, Text)]
    assert {"Calls sales", "Visits the store", "Card declined", "Drops out: Forty minutes on hold"} <= set(lane_texts)
    halos = [i.box for i in emotions.items if isinstance(i, Rect) and i.cls == "label-halo"]
    labels = [i for i in emotions.items if isinstance(i, Text) and i.cls in ("text-alt-label", "text-exit")]
    assert all(any(h.contains(t.box) for h in halos) for t in labels)
    alt = [i for i in emotions.items if isinstance(i, Marker) and i.cls.startswith("emotion-marker-alt")]
    assert "diamond" not in {m.shape for m in alt}
    assert {m.cls.split()[1]: m.shape for m in alt} == {"neg": "triangle-down", "pos": "circle", "exit": "cross"}
    (cross,) = [m for m in alt if m.shape == "cross"]
    reason = next(t for t in labels if t.lines[0].startswith("Drops out"))
    assert abs(reason.box.x + reason.box.w / 2 - cross.x) < 150 and abs(reason.box.y - cross.y) < 40  # nearby
    curves = [i for i in emotions.items if isinstance(i, PathItem) and i.cls == "emotion-alt"]
    assert len({c.dash for c in curves}) == len(curves) == 3  # told apart where they cross


# --- blueprint ----------------------------------------------------------------------------------------------------

def test_blueprint_rows_and_lines() -> None:
    journey = load(EXAMPLES / "clinic-visit.yaml")
    layout = views.compute(journey, load_theme("default"), view="blueprint")
    assert [name for name, _ in layout.lanes] == ["actions", "touchpoints", "backstage", "support"]
    words = texts(layout)
    for label in ("CUSTOMER", "FRONTSTAGE", "BACKSTAGE", "SUPPORT", "LINE OF INTERACTION", "LINE OF VISIBILITY",
                  "LINE OF INTERNAL INTERACTION"):
        assert any(w == label for w in words), label
    assert "Referrals triaged by the lead physio twice a week \u00b7 Lead physio" in words
    assert "Practice management system (bookings) \u00b7 IT" in words
    rows = dict(layout.lanes)
    lines = {i.cls: i.y1 for i in layout.items() if isinstance(i, Line) and i.cls.startswith("blueprint-line")}
    assert rows["actions"].bottom <= lines["blueprint-line"] <= rows["touchpoints"].y + 0.01
    assert rows["touchpoints"].bottom < lines["blueprint-line-visibility"] < rows["backstage"].y
    assert rows["backstage"].bottom < lines["blueprint-line-internal"] < rows["support"].y
    assert layout.description.startswith("Service blueprint")


def test_open_band_moves_what_lies_below_and_stretches_what_spans_it() -> None:
    from journeymap.layouts import Box, Group, Layout, Line, Marker, Rect

    items = (Rect(Box(0, 0, 10, 50), "row"), Line(0, 50, 10, 50, "hairline"), Rect(Box(0, 50, 10, 20), "next"),
             Rect(Box(0, 10, 10, 80), "column"), Line(5, 10, 5, 90, "separator"), Marker(5, 60, 2, "circle", "m"),
             PathItem("M0 40C1 45 2 55 3 60V70H4L5 30", "curve", ((0, 40), (3, 60))))
    layout = Layout(100, 100, "t", "d", (Group("g", "grid", "", items),), Box(0, 0, 10, 90), (("a", Box(0, 0, 10, 50)),),
                    (), (("s", Box(0, 0, 10, 90)),))
    out = views.open_band(layout, 50, 15)
    row, rule, below, column, separator, marker, curve = out.groups[0].items
    assert row.box == Box(0, 0, 10, 50) and rule.y1 == rule.y2 == 50  # the row above and its closing rule stay
    assert below.box == Box(0, 65, 10, 20) and marker.y == 75
    assert column.box == Box(0, 10, 10, 95) and (separator.y1, separator.y2) == (10, 105)
    assert curve.d == "M0 40C1 45 2 70 3 75V85H4L5 30" and curve.points == ((0, 40), (3, 75))
    assert (out.height, out.grid.h, dict(out.lanes)["a"].h, dict(out.steps)["s"].h) == (115, 105, 50, 105)


SHORT_ACTIONS = HEAD + """stages:
  - name: Renew
    steps:
      - action: Opens the site
        touchpoints: [web]
        backstage: [Account check]
        support: [Library system]
      - action: Pays
        touchpoints: [web]
"""


def test_blueprint_lines_get_bands_of_their_own_even_under_one_line_actions() -> None:
    journey = load(SHORT_ACTIONS)
    st = load_theme("default").tokens["spacing"]
    layout = views.compute(journey, load_theme("default"), view="blueprint", show={"confidence"}, summary=True)
    # The interaction label used to sit inside the customer row, over its CUSTOMER label.
    assert check_layout(layout, replace(journey, lanes=("actions", "touchpoints", "backstage", "support"))) == []
    rows = dict(layout.lanes)
    words = {" ".join(i.lines): i for i in layout.items() if isinstance(i, Text)}
    bands = {"blueprint-line": ("LINE OF INTERACTION", "actions", "touchpoints"),
             "blueprint-line-visibility": ("LINE OF VISIBILITY", "touchpoints", "backstage"),
             "blueprint-line-internal": ("LINE OF INTERNAL INTERACTION", "backstage", "support")}
    for line in (i for i in layout.items() if isinstance(i, Line) and i.cls in bands):
        label, above, below = bands[line.cls]
        # Each line as the line of visibility is drawn: 1.5 gaps under the row above, its label under it at
        # the left, and the next row a gap under the label.
        assert line.y1 == pytest.approx(rows[above].bottom + 1.5 * st["gap"]), line.cls
        assert words[label].box.y == pytest.approx(line.y1 + 4) and words[label].box.x == st["margin"] + st["pad"]
        assert rows[below].y == pytest.approx(words[label].box.bottom + st["gap"]), line.cls
    # The stage separators and the step columns reach through every row, the support row included.
    separators = [i for i in layout.groups[0].items if isinstance(i, Line) and i.cls == "stage-separator"]
    assert all(s.y2 == pytest.approx(rows["support"].bottom) for s in separators)
    assert all(b.bottom == pytest.approx(rows["support"].bottom) for _, b in layout.steps)


# --- overlays: confidence, metrics, summary, hand-offs -------------------------------------------------------------

def test_confidence_tints_every_step_and_the_legend_says_so() -> None:
    journey = load(EXAMPLES / "clinic-visit.yaml")
    layout = views.compute(journey, load_theme("default"), show={"confidence"})
    tints = [i.cls for i in layout.groups[0].items if isinstance(i, Rect) and i.cls.startswith("confidence-")]
    assert tints == [f"confidence-{s.confidence}" for s in journey.steps]
    assert {"High confidence (research)", "Medium confidence", "Low confidence (assumption)"} <= set(texts(layout))
    plain = views.compute(journey, load_theme("default"))
    assert not any(isinstance(i, Rect) and i.cls.startswith("confidence-") for i in plain.items())


def test_low_confidence_steps_get_an_assumption_badge_on_their_first_card() -> None:
    journey = load(EXAMPLES / "clinic-visit.yaml")
    layout = views.compute(journey, load_theme("default"), show={"confidence"})
    group = next(g for g in layout.groups if g.id == "jm-confidence")
    assert [g.id for g in layout.groups].index("jm-confidence") == [g.id for g in layout.groups].index(
        "jm-lane-actions") + 1  # drawn over the cards, read after them
    pills = [i for i in group.items if isinstance(i, Rect)]
    low = [s.id for s in journey.steps if s.confidence == "low"]
    assert low == ["check-in", "discharge"] and len(pills) == 2
    assert [" ".join(i.lines) for i in group.items if isinstance(i, Text)] == ["ASSUMPTION"] * 2
    steps, actions = dict(layout.steps), dict(layout.lanes)["actions"]
    cards = {i.id: i.box for i in layout.items() if isinstance(i, Rect) and i.id.startswith("jm-step-")}
    for sid, pill in zip(low, pills):
        card = cards[f"jm-step-{sid}"]
        assert pill.box.right == pytest.approx(card.right - 6) and steps[sid].contains(pill.box)
        assert pill.box.y < card.y < pill.box.bottom and pill.box.y >= actions.y  # on the card's top edge
    # The confidence tint is the only column encoding: no moment-of-truth tint darkens a column as well.
    assert not [i for i in layout.groups[0].items if i.cls == "moment-column"]
    assert [i for i in views.compute(journey, load_theme("default")).groups[0].items if i.cls == "moment-column"]


def _grey(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b  # as a greyscale conversion (Pillow's "L") sees it


@pytest.mark.parametrize("theme", ["default", "dark", "print"])
def test_confidence_tints_read_in_greyscale(theme: str) -> None:
    """The less research backs a step, the further its column's grey lies from the background's."""
    from test_themes import css_rules

    tokens = load_theme(theme).tokens
    layout = views.compute(load(EXAMPLES / "clinic-visit.yaml"), load_theme(theme), show={"confidence"})
    svg = render_layout(layout, load_theme(theme), embed_fonts=False)
    rules = css_rules(svg)
    background = _grey(tokens["colors"]["background"])

    def over(grey: float, fill: str, opacity: float) -> float:
        return grey + (_grey(fill) - grey) * opacity

    depth = {level: abs(over(background, rules[f"confidence-{level}"]["fill"],
                             float(rules[f"confidence-{level}"]["fill-opacity"])) - background)
             for level in ("high", "medium")}
    assert rules["confidence-low"]["fill"] == "url(#jm-hatch-low)"
    pattern = svg[svg.index('<pattern id="jm-hatch-low"'):svg.index("</pattern>")]
    (size, _, base_fill, base_op), (width, _, stripe_fill, stripe_op) = re.findall(
        r'<rect width="([0-9.]+)" height="([0-9.]+)" fill="(#[0-9A-F]{6})" fill-opacity="([0-9.]+)"/>', pattern)
    base = over(background, base_fill, float(base_op))
    stripe = over(base, stripe_fill, float(stripe_op))
    assert abs(stripe - base) >= 8  # the hatch itself shows
    depth["low"] = abs(base + (stripe - base) * float(width) / float(size) - background)  # on average
    assert 2 <= depth["high"] and depth["medium"] - depth["high"] >= 6 and depth["low"] - depth["medium"] >= 6, depth


def test_metric_bars_share_a_scale_and_show_the_gap_to_target() -> None:
    layout = views.compute(load(EXAMPLES / "saas-onboarding.yaml"), load_theme("default"))
    metrics = next(g for g in layout.groups if g.lane == "metrics")
    bars = [i for i in metrics.items if isinstance(i, Rect) and i.cls == "metric-bar"]
    tracks = [i for i in metrics.items if isinstance(i, Rect) and i.cls == "metric-bar-bg"]
    assert len(bars) == len(tracks) == 9  # every value but "6 days"; "median days to sign" is compared with its target
    assert "target 5% \u00b7 gap \u22121.8 pts" in texts(layout)
    assert "target 45 \u00b7 gap \u22127" in texts(layout)
    assert len([i for i in metrics.items if isinstance(i, Line) and i.cls == "metric-target"]) == 8  # one per target
    assert "Metric target" in texts(layout)


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
def test_metric_tiles_in_a_stage_are_even_and_fill_its_width(path: Path) -> None:
    layout = views.compute(load(path), load_theme("default"))
    tiles = [i.box for i in layout.items() if isinstance(i, Rect) and i.cls == "card-metric"]
    for sid, col in layout.stages:
        mine = [b for b in tiles if col.x <= b.x < col.right]
        if not mine:
            continue
        assert len({round(b.w, 2) for b in mine}) == 1 and len({round(b.h, 2) for b in mine}) == 1, sid
        assert max(b.right for b in mine) == pytest.approx(col.right - 8), sid  # rows filled to the stage's edge


def _bars(layout) -> dict[str, tuple[float, float, float]]:
    """Metric name -> (track left, bar left, bar right) of every metric that has a bar."""
    metrics = next(g for g in layout.groups if g.lane == "metrics").items
    out = {}
    for k, item in enumerate(metrics):
        if isinstance(item, Rect) and item.cls == "metric-bar-bg":
            name = metrics[k - 1]
            bar = metrics[k + 1]
            assert isinstance(name, Text) and isinstance(bar, Rect)
            out[" ".join(name.lines)] = (item.box.x, item.box.w, bar.box.x, bar.box.right)
    return out


def test_numbers_on_a_known_scale_get_a_bar_and_lone_plain_numbers_stay_figures() -> None:
    clinic = views.compute(load(EXAMPLES / "clinic-visit.yaml"), load_theme("default"))
    bars = _bars(clinic)
    assert "days to first appointment" not in bars and "median wait" not in bars  # "6", "11 min": no scale
    left, width, a, b = bars["nps"]  # 52 on -100..100: from the middle to 76%
    assert (a - left) / width == pytest.approx(0.5) and (b - left) / width == pytest.approx(0.76)
    assert len([i for i in clinic.items() if isinstance(i, Line) and i.cls == "metric-zero"]) == 1
    retail = _bars(views.compute(load(EXAMPLES / "retail-purchase.yaml"), load_theme("default")))
    left, width, a, b = retail["csat"]  # 4.5 on 1..5
    assert (a - left, (b - left) / width) == (pytest.approx(0), pytest.approx(3.5 / 4))
    left, width, a, b = retail["ces"]  # 2.1 on 1..7
    assert (b - left) / width == pytest.approx(1.1 / 6)
    assert "contact rate" not in retail  # "0.42 per order" alone


def test_summary_ranks_opportunities_like_the_report() -> None:
    from journeymap.report import Table, build_report

    journey = load(EXAMPLES / "retail-purchase.yaml")
    layout = views.compute(journey, load_theme("default"), summary=True)
    panel = next(g for g in layout.groups if g.id == "jm-summary")
    ideas = [" ".join(i.lines) for i in panel.items if isinstance(i, Text) and i.cls == "text-strong"]
    table = next(b for b in build_report(journey) if isinstance(b, Table) and b.headers[1] == "Opportunity")
    assert ideas == [row[1] for row in table.rows]
    assert layout.height > views.compute(journey, load_theme("default")).height
    # Quick wins first: the medium-impact, low-effort call-back comes before the high-effort crew logs.
    assert ideas[:5] == ["Give every delivery agent the same refund authority", "Room-fit checker with door and stair widths",
                         "Live lead time per fabric on the product page", "Call-back instead of hold for delivery issues",
                         "Crew logs damage with photos and books the replacement on the doorstep"]


def test_summary_columns_are_as_wide_as_their_text() -> None:
    from journeymap.layouts.style import Style, single_line_width
    from journeymap.layouts.summary import TITLES

    journey = load(EXAMPLES / "clinic-visit.yaml")
    layout = views.compute(journey, load_theme("default"), summary=True)
    st = Style.from_tokens(load_theme("default").tokens)
    panel = next(g for g in layout.groups if g.id == "jm-summary")
    heads = [next(i for i in panel.items if isinstance(i, Text) and i.lines == (t,)) for t in TITLES]
    body = [i for i in panel.items if isinstance(i, Text) and i.cls in ("text-strong", "text-body")]
    for a, b in zip(heads, heads[1:]):
        assert b.box.x - a.box.right == pytest.approx(3 * st.sp("gap"))  # one gutter between columns
    for k, head in enumerate(heads[:-1]):  # every column but the last holds its longest cell on one line
        cells = [t for t in body if t.box.x == head.box.x]
        assert all(len(t.lines) == 1 for t in cells)
        assert head.box.w == pytest.approx(1 + max(max(t.widths[0] for t in cells),
                                                   single_line_width(TITLES[k], st, "small", 600)))
    card = next(i for i in panel.items if isinstance(i, Rect) and i.cls == "card-summary")
    assert card.box.right == pytest.approx(heads[-1].box.right + st.sp("pad"))
    assert card.box.right < layout.grid.right - 200  # no longer stretched over the map's width


def test_ownership_hand_offs_are_marked_like_channel_switches() -> None:
    from journeymap.layouts.lanes import handoffs

    journey = load(EXAMPLES / "retail-purchase.yaml")
    assert [journey.steps[i].id for i in handoffs(journey)] == [
        "order-swatches", "check-lead-time", "place-order", "book-slot", "damaged-arrival", "agent-resolves"]
    layout = views.compute(journey, load_theme("default"))
    discs = [i for i in layout.items() if isinstance(i, Marker) and i.cls == "handoff-disc"]
    assert len(discs) == 6
    assert "Hand-off: the owning team changes" in texts(layout)


def test_render_cli_views(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "b.svg"
    result = runner.invoke(app, ["render", str(EXAMPLES / "clinic-visit.yaml"), "-o", str(out), "--view", "blueprint",
                                 "--show", "confidence", "--summary", "--no-embed-fonts"])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert ">LINE OF INTERNAL</tspan>" in svg and 'class="confidence-low"' in svg and 'id="jm-summary"' in svg
    bad = runner.invoke(app, ["render", str(EXAMPLES / "clinic-visit.yaml"), "-o", str(out), "--view", "journey"])
    assert bad.exit_code == 2


EXTREME_PATHS = {
    "path-longer-than-the-map": [{"action": "Only", "emotion": 1, "paths": [
        {"name": "Long", "steps": [{"action": f"Path step {i}", "emotion": -1} for i in range(5)]}]}],
    "branches-from-the-last-step": ["One", {"action": "Two", "paths": [{"name": "P", "steps": ["A", "B"]},
                                                                      {"name": "Q", "steps": ["C"]}]}],
    "a-path-from-every-step": [
        {"id": f"s{i}", "action": f"Step {i}", "emotion": 0, "next": None,
         "paths": [{"name": f"P{i}", "rejoin": f"s{i + 2}" if i + 2 < 6 else None,
                    "steps": [{"action": f"Alt {i}", "emotion": 1, **({"next": "s0"} if i == 5 else {})}]}]}
        for i in range(6)],
    "long-texts": [{"action": "Go", "paths": [{"name": "N" * 300, "steps": [
        {"action": "word " * 200, "exit": True, "exit_reason": "why " * 100}]}]}, "End"],
}


@pytest.mark.parametrize("name", list(EXTREME_PATHS))
def test_extreme_paths_keep_the_layout_invariants(name: str) -> None:
    import json

    from journeymap.validation import check

    steps = [{k: v for k, v in s.items() if v is not None} if isinstance(s, dict) else s for s in EXTREME_PATHS[name]]
    result = check(json.dumps({"journeymap": 1, "title": name, "stages": [{"name": "A", "steps": steps}]}) + "\n")
    assert result.journey is not None, [d.message for d in result.diagnostics]
    layout = views.compute(result.journey, load_theme("default"))
    assert check_layout(layout, result.journey) == []
    actions = next(g for g in layout.groups if g.lane == "actions")
    cards = [i for i in actions.items if isinstance(i, Rect) and i.cls.startswith("card-path")]
    assert len(cards) == sum(len(b.steps) for s in result.journey.steps for b in s.paths)


def test_new_language_is_described_closed_and_its_examples_validate() -> None:
    import jsonschema

    from journeymap.validation import schema

    doc = schema()
    defs = doc["definitions"]
    step = defs["step_mapping"]["properties"]
    new = {**{k: step[k] for k in ("backstage", "support", "evidence", "confidence", "paths", "next", "exit",
                                   "exit_reason")},
           "targets": defs["stage"]["properties"]["targets"], "path": defs["path"],
           **{f"path.{k}": v for k, v in defs["path"]["properties"].items()}}
    for name, sub in new.items():
        assert sub.get("description"), name
        for example in sub.get("examples", []):
            # With the definitions beside it, the subschema's local $refs resolve.
            jsonschema.Draft7Validator({**sub, "definitions": defs}).validate(example)
    for name in ("path", "path_step_mapping"):
        assert defs[name]["additionalProperties"] is False
    for name in ("process", "evidence_item"):
        assert defs[name]["oneOf"][1]["additionalProperties"] is False
    assert "paths" not in defs["path_step_mapping"]["properties"]  # paths do not nest
    assert set(defs["path_step_mapping"]["properties"]) == set(step) - {"paths"}


def test_build_draws_the_blueprint_view_and_rebuilds_when_the_view_changes(tmp_path: Path) -> None:
    from journeymap.batch import ConfigError, build

    source = tmp_path / "clinic.yaml"
    source.write_text((EXAMPLES / "clinic-visit.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert build([source], out, "svg", jobs=1, view="blueprint").exit_code == 0
    assert ">LINE OF INTERNAL</tspan>" in (out / "clinic.svg").read_text(encoding="utf-8")
    again = build([source], out, "svg", jobs=1)  # the journey map: a different output, rebuilt
    assert again.exit_code == 0 and ">LINE OF INTERNAL</tspan>" not in (out / "clinic.svg").read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown view 'plan'; use map or blueprint"):
        build([source], out, "svg", jobs=1, view="plan")
