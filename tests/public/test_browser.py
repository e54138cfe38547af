"""One browser journey through the directory, with and without JavaScript (Playwright driving
Debian's Chromium)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from pledgebook.coalitions.models import Coalition
from pledgebook.commitments.models import Commitment
from pledgebook.programmes.models import Theme
from pledgebook.reference.models import Country
from tests import factories
from tests.public.util import commitment_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


PHONE = {"width": 390, "height": 844}
# Links a crawl does not follow: downloads and the ones that end the session.
_NOT_PAGES = re.compile(
    r"logout|/admin/|/schema/|\.(csv|xlsx|pdf|docx|ics|json)\b|/download|/exports?/|page="
)
_HREFS = "els => els.filter(e => e.origin === location.origin).map(e => e.pathname + e.search)"


def _crawl_at_phone_width(page, base: str, starts: list[str], limit: int) -> tuple[list, list]:
    """Visit ``starts``, then pages found by following the site's own links; return the pages
    and those wider than the screen (path, width of the page, the widest elements)."""
    seen: list[str] = []
    queue = list(starts)
    too_wide = []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(
                """w => [...document.querySelectorAll('main *')]
                     .filter(e => e.getBoundingClientRect().right > w)
                     .slice(0, 3).map(e => e.tagName + '.' + e.className)""",
                PHONE["width"],
            )
            too_wide.append((path, width, culprits))
        for href in page.eval_on_selector_all("a[href]", _HREFS):
            if not _NOT_PAGES.search(href) and href not in seen and href not in queue:
                queue.append(href)
    return seen, too_wide


def test_every_page_fits_a_phone(live_server, browser):
    """At 390 px (a common phone) no page of the demo is wider than the screen: the home page,
    the directory with its filters, commitment, organisation, programme, theme and coalition
    pages, and, signed in, the workspace and the console."""
    call_command("load_demo", stdout=io.StringIO())
    page = browser.new_page(viewport=PHONE)
    featured = Commitment.objects.filter(status="featured").order_by("pk").first()
    coalition = Coalition.objects.order_by("pk").first()
    theme = Theme.objects.filter(commitments__status="featured").order_by("pk").first()
    starts = [
        "/",
        "/commitments/",
        "/commitments/?q=women",
        featured.get_absolute_url(),
        featured.organisation.get_absolute_url(),
        featured.programme.get_absolute_url(),
        theme.get_absolute_url(),
        "/coalitions/",
        reverse("public:coalition", kwargs={"slug": coalition.slug}),
        "/how-commitments-are-assessed/",
        "/accounts/login/",
        "/accounts/signup/",
        "/api/v1/docs/",
    ]

    public, too_wide = _crawl_at_phone_width(page, live_server.url, starts, limit=40)
    assert too_wide == []
    assert len(public) == 40

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("secretariat@demo.pledgebook.org")
    page.get_by_label("Password").fill("pledgebook-demo")
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    console, too_wide = _crawl_at_phone_width(page, live_server.url, ["/console/"], limit=30)
    assert too_wide == []
    assert any(p.endswith("/applications/") for p in console)
    _, too_wide = _crawl_at_phone_width(page, live_server.url, ["/workspace/"], limit=10)
    assert too_wide == []
