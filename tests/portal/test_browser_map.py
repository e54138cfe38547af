"""Browser journey of the world map (Playwright driving Debian's Chromium): the map shows
coloured countries (in the DOM and in the screenshot's pixels), a keyboard-only visitor tabs to
a country and presses Enter to list what is there, the toggle shows money, a filter narrows the
map, and on a phone nothing scrolls sideways."""

from __future__ import annotations

from collections import Counter

import pytest

from pledgebook.reference.worldmap import COLOURS, NO_DATA
from tests.portal import factories_map as fm

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.fixture
def world(db):
    w = fm.world()
    fm.add(w, 0, goals=[5], types=["financial"], countries=["KE"])
    fm.add(w, 1, goals=[5, 13], types=["policy"], countries=["KE", "BR"])
    fm.add(w, 2, goals=[14], types=["programmatic"], countries=["WS"])  # Samoa: a marker
    return w


def _coloured_fills(page) -> Counter:
    fills = page.evaluate(
        """() => Array.from(
            document.querySelectorAll('svg.worldmap .country, svg.worldmap .marker')
        ).map(e => getComputedStyle(e).fill)"""
    )
    return Counter(fills)


def test_the_map_shows_coloured_countries_and_lists_a_country_by_keyboard(
    live_server, browser, world, tmp_path
):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/map/")

    # Coloured in the DOM: Kenya, Brazil, Samoa (and its marker) in a colour of the bins.
    fills = _coloured_fills(page)
    palette = {"rgb({}, {}, {})".format(*_rgb(c)) for c in COLOURS}
    coloured = {f: n for f, n in fills.items() if f in palette}
    assert sum(coloured.values()) == 4, fills  # 3 countries + Samoa's marker
    assert fills["rgb({}, {}, {})".format(*_rgb(NO_DATA))] > 150

    # ... and in the pixels of the screenshot.
    shot = tmp_path / "map.png"
    page.locator("svg.worldmap").screenshot(path=str(shot))
    from PIL import Image

    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 24) or []
    in_palette = sum(n for n, rgb in colours if rgb in {_rgb(c) for c in COLOURS})
    assert in_palette > 500, in_palette

    # The accessible table holds the same figures.
    rows = page.locator("table.map-table tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().split("\t")[:2] == ["Kenya", "2"]

    # Keyboard only: Tab to a country of the map, Enter, its list appears.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.worldmap')"):
            break
    else:
        pytest.fail("no country of the map is reachable with Tab")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    panel = page.locator("#map-country")
    country = label.split(":")[0]
    panel.get_by_role("heading", name=country).wait_for()
    assert page.url == f"{live_server.url}/map/"  # shown in place, no reload
    link = panel.get_by_role("link", name="All of them in the directory, with the same filters")
    href = link.get_attribute("href")
    assert "country=" in href

    # The toggle: money pledged.
    page.get_by_label("Money pledged (USD)").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**measure=pledged**")
    assert "money pledged (usd) by country" in page.locator("#h-map").inner_text().lower()

    # A filter: SDG 13 leaves Kenya and Brazil (one commitment each).
    page.goto(f"{live_server.url}/map/")
    page.get_by_label("SDG").select_option("13")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**sdg=13**")
    assert page.locator("table.map-table tbody tr").count() == 2
    assert sum(n for f, n in _coloured_fills(page).items() if f in palette) == 2
    assert errors == []


def test_on_a_phone_the_map_does_not_scroll_sideways(live_server, browser, world):
    page = browser.new_page(viewport=PHONE)
    for path in ("/map/", "/sdgs/", "/sdgs/5/", "/map/KE/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
