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
from pathlib import Path

import pytest

from journeymap.html import render_html
from journeymap.validation import compile_journey

EXAMPLES = Path(__file__).parent.parent / "examples"
SAAS = EXAMPLES / "saas-onboarding.yaml"
CLINIC = EXAMPLES / "clinic-visit.yaml"


@pytest.fixture(scope="module")
def saas_page() -> str:
    return render_html(compile_journey(SAAS))


@pytest.fixture(scope="module")
def clinic_page() -> str:
    return render_html(compile_journey(CLINIC))


def test_page_loads_nothing_from_anywhere(saas_page: str) -> None:
    # The only URL is the SVG namespace, which is a name, not a fetch.
    assert set(re.findall(r"https?://[^\s\"')]+", saas_page)) == {"http://www.w3.org/2000/svg"}
    # url(#id) points into the page itself (the confidence hatch), not out of it.
    assert not re.search(r"<link|<img|<iframe|<object|\ssrc=|@import|url\((?!data:|#)", saas_page)
    assert "default-src 'none'" in saas_page
    assert "<?xml" not in saas_page and saas_page.count("<svg") == 1


def test_every_step_has_a_hotspot_and_details(saas_page: str) -> None:
    journey = compile_journey(SAAS)
    for n, step in enumerate(journey.steps, 1):
        assert f'id="jm-hot-{step.id}"' in saas_page
        assert f'<article class="jm-step" id="jm-detail-{step.id}">' in saas_page
        assert f'aria-label="Step {n} of 10: {step.action}' in saas_page


def test_details_hold_thoughts_evidence_and_owners(saas_page: str) -> None:
    detail = saas_page[saas_page.index('id="jm-detail-check-pricing"'):]
    detail = detail[: detail.index("</article>")]
    assert "“Why do I have to talk to sales just to see a price?”" in detail
    assert "Web: Pricing page — owner: Marketing" in detail
    assert "Show list prices for every tier up to 100 seats (impact high, effort low) — owner: Revenue operations" in detail
    assert "&#34;If there is no price, I assume it is expensive.&#34; — interview 6" in detail
    assert "<dd>-1 (uneasy)</dd>" in detail


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


def _worst_block(a: bytes, b: bytes, block: int = 32) -> int:
    """The largest difference (0-255, grey) between the two images' averages over block × block squares.

    Chromium and cairo draw text with different engines (Chromium kerns, cairo's text API does
    not), so glyphs land a few pixels apart; averaged over 32-pixel squares the same map differs
    by under 10, while a missing card or lane differs by 30 or more.
    """
    from PIL import Image, ImageChops

    one, two = (Image.open(io.BytesIO(x)).convert("RGB") for x in (a, b))
    box = (0, 0, min(one.width, two.width), min(one.height, two.height))
    assert abs(one.width - two.width) <= 1 and abs(one.height - two.height) <= 1, (one.size, two.size)
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
    # The comparison can fail: hiding a lane makes a clearly different picture.
    page.page.click("input[data-lane=pains]")
    assert _worst_block(png, page.page.locator("#jm-map svg").screenshot()) > 16
