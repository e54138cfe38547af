"""One browser journey through the directory, with and without JavaScript (Playwright driving
Debian's Chromium)."""

import re

import pytest

from pledgebook.reference.models import Country
from tests import factories
from tests.public.util import commitment_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (building data) are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield b
        b.close()


@pytest.fixture
def data():
    theme = factories.ThemeFactory()
    kenya = commitment_in(theme, title="Solar clinics in rural Kenya")
    mexico = commitment_in(theme, title="Solar schools in Oaxaca")
    mexico.countries.set(Country.objects.filter(iso2="MX"))
    commitment_in(theme, title="Water for every school")
    return {"kenya": kenya, "mexico": mexico}


def test_directory_filters_in_place_with_htmx(live_server, browser, data):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/commitments/")
    page.get_by_text("3 commitments found.").wait_for()
    page.evaluate("document.body.dataset.marker = 'same page'")

    page.get_by_label("Search", exact=True).fill("solar")
    page.get_by_text("2 commitments found.").wait_for()
    assert re.search(r"[?&]q=solar\b", page.url)

    page.get_by_label("Country").select_option("MX")
    page.get_by_text("1 commitment found.").wait_for()
    assert "country=MX" in page.url
    # The results were swapped in place: no page load, the typed text is still there.
    assert page.evaluate("document.body.dataset.marker") == "same page"
    assert page.get_by_label("Search", exact=True).input_value() == "solar"
    rows = page.locator("#results tbody th a")
    assert rows.all_inner_texts() == ["Solar schools in Oaxaca"]

    rows.first.click()
    page.wait_for_url(f"**{data['mexico'].get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Solar schools in Oaxaca"
    assert errors == []


def test_directory_works_without_javascript(live_server, browser, data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/commitments/?country=ZZ")
    assert page.locator("#id_country_error").inner_text() == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    page.get_by_label("Country").select_option("")
    page.get_by_label("Search", exact=True).fill("solar")
    page.get_by_role("button", name="Show commitments").click()
    page.wait_for_url(re.compile(r".*q=solar.*"))
    page.get_by_text("2 commitments found.").wait_for()
    assert sorted(page.locator("#results tbody th a").all_inner_texts()) == [
        "Solar clinics in rural Kenya",
        "Solar schools in Oaxaca",
    ]
    context.close()
