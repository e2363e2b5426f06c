"""The interactive HTML page: self-contained, and working in a real headless Chromium.

The browser tests need Debian's `chromium` and the `playwright` package (installed with
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1: Playwright drives the system browser through
`executable_path`). Without them they are skipped; set JOURNEYMAP_CHROMIUM to use
another Chromium binary.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from journeymap.html import render_html
from journeymap.validation import compile_journey

EXAMPLES = Path(__file__).parent.parent / "examples"
SAAS = EXAMPLES / "saas-onboarding.yaml"
CLINIC = EXAMPLES / "clinic-visit.yaml"
PATHS = Path(__file__).parent / "maps" / "paths-and-loops.yaml"


@pytest.fixture(scope="module")
def saas_page() -> str:
    return render_html(compile_journey(SAAS))


@pytest.fixture(scope="module")
def clinic_page() -> str:
    return render_html(compile_journey(CLINIC))


@pytest.fixture(scope="module")
def paths_page() -> str:
    return render_html(compile_journey(PATHS))


def detail(page: str, step_id: str) -> str:
    text = page[page.index(f'id="jm-detail-{step_id}"'):]
    return text[: text.index("</article>")]


def test_page_loads_nothing_from_anywhere(saas_page: str) -> None:
    # The only URL is the SVG namespace, which is a name, not a fetch.
    assert set(re.findall(r"https?://[^\s\"')]+", saas_page)) == {"http://www.w3.org/2000/svg"}
    # url(#id) points into the page itself (the confidence hatch), not out of it.
    assert not re.search(r"<link|<img|<iframe|<object|\ssrc=|@import|url\((?!data:|#)", saas_page)
    assert "default-src 'none'" in saas_page
    assert "<?xml" not in saas_page and saas_page.count("<svg") == 1


def test_every_step_has_a_hotspot_and_details(saas_page: str) -> None:
    journey = compile_journey(SAAS)
    assert journey.every_step == journey.steps
    for n, step in enumerate(journey.steps, 1):
        assert f'id="jm-hot-{step.id}"' in saas_page
        assert f'<article class="jm-step" id="jm-detail-{step.id}">' in saas_page
        assert f'aria-label="Step {n} of 10: {step.action} (' in saas_page


def test_details_hold_thoughts_evidence_and_owners(saas_page: str) -> None:
    detail = saas_page[saas_page.index('id="jm-detail-check-pricing"'):]
    detail = detail[: detail.index("</article>")]
    assert "“Why do I have to talk to sales just to see a price?”" in detail
    assert "Web: Pricing page — owner: Marketing" in detail
    assert "Show list prices for every tier up to 100 seats (impact high, effort low) — owner: Revenue operations" in detail
    assert "&#34;If there is no price, I assume it is expensive.&#34; — interview 6" in detail
    assert "<dd>-1 (uneasy)</dd>" in detail


def test_steps_on_paths_get_hotspots_on_their_cards_and_details(paths_page: str) -> None:
    from journeymap import views
    from journeymap.render.theme import load_theme

    journey = compile_journey(PATHS)
    assert len(journey.every_step) == 8
    labels = ["1", "1a", "1b", "1c", "2", "3", "3a", "4"]
    ids = re.findall(r'<button type="button" class="jm-hotspot[^"]*" id="jm-hot-([^"]+)"', paths_page)
    assert ids == [s.id for s in journey.every_step]  # in the order of the map, paths after their step
    for label, step in zip(labels, journey.every_step):
        assert f'aria-label="Step {label} of 8: {step.action} (' in paths_page
        assert f"<h3>{label}. {step.action}</h3>" in detail(paths_page, step.id)
    # A path step's hotspot covers its card in the actions lane.
    layout = views.compute(journey, load_theme("default"))
    cards = [i.box for g in layout.groups if g.lane == "actions" for i in g.items
             if i.kind == "rect" and i.cls.startswith("card-path")]
    boxes = re.findall(r'class="jm-hotspot jm-hotspot-path" id="jm-hot-[^"]+" data-step="[^"]+" data-box="([^"]+)"',
                       paths_page)
    assert boxes == [" ".join(f"{v:.2f}".rstrip("0").rstrip(".") for v in (b.x, b.y, b.w, b.h)) for b in cards]
    assert 'aria-label="Step 3a of 8: Card declined (Buy; path Card declined, after step 3)"' in paths_page
    assert "<dt>Drops out</dt>\n<dd>Forty minutes on hold</dd>" in detail(paths_page, "gives-up-on-hold")
    assert "<dt>Then</dt>\n<dd>Rejoins at step 3</dd>" in detail(paths_page, "visit")
    assert "<dt>Then</dt>\n<dd>Step 3</dd>" in detail(paths_page, "card-declined")
    assert "Buy · path “Calls sales”, after step 1" in detail(paths_page, "calls-sales-and-waits")


def test_details_hold_backstage_owners_support_confidence_and_exit_reasons(clinic_page: str) -> None:
    booking = detail(clinic_page, "book-first-appointment")
    assert "<dt>Backstage</dt>\n<dd><ul><li>Referrals triaged by the lead physio twice a week — owner: Lead physio</li>" in booking
    assert ("<dt>Support processes</dt>\n<dd><ul><li>Practice management system (bookings) — owner: IT</li>"
            "<li>GP referral fax inbox — owner: Front desk</li></ul></dd>") in booking
    assert "<dt>Confidence</dt>\n<dd>high (a finding)</dd>" in booking
    assert "<dt>Confidence</dt>\n<dd>low (an assumption)</dd>" in detail(clinic_page, "check-in")
    retail = render_html(compile_journey(EXAMPLES / "retail-purchase.yaml"))
    leaves = re.search(r'id="jm-detail-([^"]+)">\n<h3>[^<]*Leaves to buy', retail)
    assert leaves is not None
    assert "<dt>Drops out</dt>\n<dd>" in detail(retail, leaves.group(1))


def test_the_title_is_shown_once(saas_page: str) -> None:
    # In the map; the page's heading is for screen readers only.
    bar = saas_page[saas_page.index('<div class="jm-bar">'):saas_page.index("</div>")]
    assert '<h1 class="jm-sr">Buying and rolling out Relay helpdesk</h1>' in bar
    assert ">Buying and rolling out Relay helpdesk</tspan>" in saas_page


def test_render_html_shows_the_view_overlays_and_summary_asked_for(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from journeymap.cli import app

    options = ["--view", "blueprint", "--show", "confidence", "--summary", "--persona", "eileen"]
    runner = CliRunner()
    assert runner.invoke(app, ["render", str(CLINIC), "-o", str(tmp_path / "m.html"), *options]).exit_code == 0
    assert runner.invoke(app, ["render", str(CLINIC), "-o", str(tmp_path / "m.svg"), *options]).exit_code == 0
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    svg = (tmp_path / "m.svg").read_text(encoding="utf-8")
    inline = page[page.index("<svg"):page.index("</svg>") + len("</svg>")]
    assert inline == svg[svg.index("<svg"):].rstrip()
    assert ">LINE OF INTERNAL</tspan>" in inline and 'class="confidence-low"' in inline and 'id="jm-summary"' in inline
    assert '<input type="checkbox" checked data-lane="support"> Support' in page
    assert 'id="jm-persona-toggles"' not in page  # one persona's view
    plain = runner.invoke(app, ["render", str(CLINIC), "-o", str(tmp_path / "p.html")])
    assert plain.exit_code == 0 and "LINE OF INTERNAL" not in (tmp_path / "p.html").read_text(encoding="utf-8")


def test_text_from_the_map_is_escaped() -> None:
    text = SAAS.read_text(encoding="utf-8").replace(
        "action: Looks for pricing for 40 seats", "action: \"</script><img src=x onerror=alert(1)>\""
    )
    page = render_html(compile_journey(text))
    assert "<img" not in page and "</script><" not in page
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_toggles_for_lanes_and_for_several_personas(saas_page: str, clinic_page: str) -> None:
    for lane in compile_journey(SAAS).lanes:
        assert f'data-lane="{lane}"' in saas_page
    assert 'id="jm-persona-toggles"' not in saas_page  # one persona: nothing to toggle
    assert '<input type="checkbox" checked data-persona="marcus">' in clinic_page
    assert '<input type="checkbox" checked data-persona="eileen">' in clinic_page


def test_same_map_same_bytes(saas_page: str) -> None:
    assert render_html(compile_journey(SAAS)) == saas_page


# --- in a real browser -----------------------------------------------------------------------

def _chromium() -> str | None:
    return os.environ.get("JOURNEYMAP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = _chromium()
    if not executable:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        # PNG export points FONTCONFIG_FILE at a folder holding only the shipped font; a
        # browser started from this process must see the machine's own fonts.
        env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"], env=env)
        yield b
        b.close()


class Page:
    """A page with the HTML loaded; every console message, error and request is recorded."""

    def __init__(self, browser: object, html: str, width: int = 1400, height: int = 900):
        self.page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.set_content(html, wait_until="load")

    def js(self, expression: str) -> object:
        return self.page.evaluate(expression)

    def popover(self) -> tuple[bool, str]:
        return self.js("[document.getElementById('jm-popover').hidden, document.getElementById('jm-popover').innerText]")  # type: ignore[return-value]


def test_page_loads_without_console_errors_or_requests(browser: object, clinic_page: str) -> None:
    page = Page(browser, clinic_page)
    page.page.hover("#jm-hot-check-in")
    page.page.click("input[data-lane=pains]")
    page.page.click("input[data-persona=eileen]")
    assert page.problems == []
    assert [url for url in page.requests if not url.startswith(("about:", "data:"))] == []


def test_hover_shows_the_steps_details(browser: object, saas_page: str) -> None:
    page = Page(browser, saas_page)
    assert page.popover()[0] is True
    page.page.hover("#jm-hot-check-pricing")
    hidden, text = page.popover()
    assert hidden is False
    assert text.startswith("2. Looks for pricing for 40 seats\n\nDiscover\n\nTHOUGHTS\n“Why do I have to talk to sales")
    assert "Team plan price hidden behind" in text and "owner: Revenue operations" in text
    page.page.mouse.move(1, 1)
    assert page.popover()[0] is True


def test_keyboard_reaches_every_step(browser: object, saas_page: str) -> None:
    page = Page(browser, saas_page)
    page.page.focus("#jm-hot-search-alternatives")
    assert page.popover()[1].startswith("1. Searches for shared inbox alternatives")
    page.page.keyboard.press("ArrowRight")
    assert page.js("document.activeElement.id") == "jm-hot-check-pricing"
    assert page.popover()[1].startswith("2. Looks for pricing")
    last = f"jm-hot-{compile_journey(SAAS).steps[-1].id}"
    page.page.keyboard.press("End")
    assert page.js("document.activeElement.id") == last
    page.page.keyboard.press("Tab")  # leaves the map: details close
    assert page.popover()[0] is True
    page.page.keyboard.press("Shift+Tab")
    page.page.keyboard.press("Escape")
    assert page.popover()[0] is True
    assert page.js("document.activeElement.id") == last
    page.page.keyboard.press("Enter")  # pins
    assert page.popover()[0] is False


def test_lane_toggle_hides_and_shows_the_lane(browser: object, saas_page: str) -> None:
    page = Page(browser, saas_page)
    display = "getComputedStyle(document.getElementById('jm-lane-pains')).display"
    assert page.js(display) == "inline"
    page.page.click("input[data-lane=pains]")
    assert page.js(display) == "none"
    page.page.keyboard.press("Space")  # the checkbox keeps focus: the keyboard toggles it back
    assert page.js(display) == "inline"


def test_persona_toggle_hides_that_personas_curve_and_rows(browser: object, clinic_page: str) -> None:
    page = Page(browser, clinic_page)
    visible = """(name) => Array.from(document.querySelectorAll('#jm-lane-emotions .emotion-marker'))
        .filter(el => el.textContent.startsWith(name + ':') && getComputedStyle(el).display !== 'none').length"""
    assert page.page.evaluate(visible, "Eileen Murphy") == 8
    page.page.click("input[data-persona=eileen]")
    assert page.page.evaluate(visible, "Eileen Murphy") == 0
    assert page.page.evaluate(visible, "Marcus Chen") == 8
    page.page.hover("#jm-hot-check-in")
    text = page.popover()[1]
    assert "Marcus Chen: +1 (reassured)" in text and "Eileen Murphy" not in text
    page.page.click("input[data-persona=eileen]")
    assert page.page.evaluate(visible, "Eileen Murphy") == 8


def test_hiding_a_lane_collapses_its_row(browser: object, saas_page: str) -> None:
    from journeymap.api import layout

    page = Page(browser, saas_page)
    box = layout(compile_journey(SAAS))
    pains = dict(box.lanes)["pains"].h  # the pains lane's row, in SVG units
    state = """() => {
        const svg = document.querySelector('#jm-map svg'), scale = svg.getBoundingClientRect().width / 2080;
        const top = id => document.getElementById(id).getBoundingClientRect().top / scale;
        const spot = document.getElementById('jm-hot-check-pricing').getBoundingClientRect();
        return {viewBox: svg.getAttribute('viewBox'), height: svg.getBoundingClientRect().height / scale,
                opportunities: top('jm-lane-opportunities'), legend: top('jm-legend'), actions: top('jm-lane-actions'),
                spot: spot.height / scale, column: +document.querySelector('rect.moment-column').getAttribute('height'),
                pains: getComputedStyle(document.getElementById('jm-lane-pains')).display};
    }"""
    before = page.page.evaluate(state)
    assert box.width == 2080 and before["viewBox"] == f"0 0 2080 {box.height}" and before["pains"] == "inline"
    page.page.click("input[data-lane=pains]")
    after = page.page.evaluate(state)
    assert after["pains"] == "none"
    assert after["height"] == pytest.approx(box.height - pains, abs=0.5)
    for moved in ("opportunities", "legend"):  # everything below moves up by the row's height
        assert after[moved] == pytest.approx(before[moved] - pains, abs=0.5)
    assert after["actions"] == pytest.approx(before["actions"], abs=0.01)  # and nothing above it
    assert after["spot"] == pytest.approx(before["spot"] - pains, abs=0.5)  # the steps' hotspots shrink with the map
    assert after["column"] == pytest.approx(before["column"] - pains, abs=0.01)
    page.page.click("input[data-lane=pains]")
    again = page.page.evaluate(state)
    assert again["viewBox"] == f"0 0 2080 {box.height}"
    for key in ("height", "opportunities", "legend", "spot", "column"):
        # Screen positions scaled back to SVG units: within a few hundredths of a unit.
        assert again[key] == pytest.approx(before[key], abs=0.05)
    assert page.problems == []


def test_pinned_details_stay_with_their_step_when_the_page_scrolls(browser: object, saas_page: str) -> None:
    page = Page(browser, saas_page)
    offset = """() => document.getElementById('jm-popover').getBoundingClientRect().top
                      - document.getElementById('jm-hot-check-pricing').getBoundingClientRect().top"""
    page.page.click("#jm-hot-check-pricing")  # pins
    assert page.popover()[0] is False
    before = page.page.evaluate(offset)
    page.page.mouse.wheel(0, 600)
    page.page.wait_for_function("window.scrollY >= 600")
    assert page.popover()[0] is False
    assert page.page.evaluate(offset) == pytest.approx(before, abs=0.5)
    page.page.click("#jm-popover")  # a click inside the details keeps them
    assert page.popover()[0] is False
    page.page.click("#jm-all > summary")  # a click anywhere else closes them
    assert page.popover()[0] is True


def test_path_steps_have_their_own_hotspots_in_the_browser(browser: object, paths_page: str) -> None:
    page = Page(browser, paths_page)
    centre = page.page.evaluate("""() => { const r = document.getElementById('jm-hot-visit').getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2]; }""")
    # On top of the column of the main step it is drawn in.
    assert page.page.evaluate("([x, y]) => document.elementFromPoint(x, y).id", centre) == "jm-hot-visit"
    page.page.mouse.move(*centre)
    assert page.popover()[1].startswith("1c. Visits store\n\nBuy · path “Visits the store”, after step 1")
    page.page.focus("#jm-hot-browse")
    page.page.keyboard.press("ArrowRight")
    assert page.js("document.activeElement.id") == "jm-hot-calls-sales-and-waits"
    page.page.click("input[data-lane=actions]")  # the path cards are in the actions lane: gone with it
    hidden = "id => document.getElementById(id).hidden"
    assert page.page.evaluate(hidden, "jm-hot-visit") is True and page.page.evaluate(hidden, "jm-hot-browse") is False
    page.page.focus("#jm-hot-browse")
    page.page.keyboard.press("ArrowRight")  # skips the hidden ones
    assert page.js("document.activeElement.id") == "jm-hot-cart"
    assert page.problems == []


def _worst_block(a: bytes, b: bytes, block: int = 32) -> int:
    """The largest difference (0-255, grey) between the two images' averages over block × block squares.

    Chromium and cairo draw text with different engines (Chromium kerns, cairo's text API does
    not), so glyphs land a few pixels apart; averaged over 32-pixel squares the same map differs
    by under 10, while a missing card or lane differs by 30 or more.
    """
    from PIL import Image, ImageChops

    one, two = (Image.open(io.BytesIO(x)).convert("RGB") for x in (a, b))
    box = (0, 0, min(one.width, two.width), min(one.height, two.height))
    # Canvases are whole pixels: a collapsed lane can leave the page up to 2 px off the map drawn without it.
    assert abs(one.width - two.width) <= 1 and abs(one.height - two.height) <= 2, (one.size, two.size)
    size = (box[2] // block, box[3] // block)
    small = [im.crop(box).resize(size, Image.BOX) for im in (one, two)]
    return ImageChops.difference(*small).convert("L").getextrema()[1]


@pytest.mark.parametrize("example", ["saas-onboarding.yaml", "clinic-visit.yaml"])
def test_screenshot_matches_the_png_export(browser: object, example: str) -> None:
    import journeymap
    from journeymap.api import layout

    journey = compile_journey(EXAMPLES / example)
    png = journeymap.render_png(journey, scale=1)
    box = layout(journey)
    # Tall enough for the whole page: the sticky bar stays above the map.
    page = Page(browser, render_html(journey), width=int(box.width), height=int(box.height) + 400)
    assert _worst_block(png, page.page.locator("#jm-map svg").screenshot()) <= 16
    # Hiding a lane takes its row out: the page then looks like the map drawn without that lane
    # (a page that only blanked the lane would be 227 pixels taller, and fail).
    page.page.click("input[data-lane=pains]")
    shot = page.page.locator("#jm-map svg").screenshot()
    without = journeymap.render_png(replace(journey, lanes=tuple(lane for lane in journey.lanes if lane != "pains")))
    assert _worst_block(without, shot) <= 16
    page.page.click("input[data-lane=pains]")
    assert _worst_block(png, page.page.locator("#jm-map svg").screenshot()) <= 16
