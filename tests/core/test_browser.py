"""The Content-Security-Policy in a real browser (Playwright driving Debian's Chromium): htmx
keeps working (filters swapped in place, the live assessment posted with its CSRF header), the
annual report's charts and the rate bars show, the icon loads, and the browser reports no
violation of the policy on any of these pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pledgebook.commitments.models import Commitment
from tests import factories
from tests.public.util import commitment_in
from tests.reporting.test_annual import make_world

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs before the page's own scripts, outside the page's policy (an init script of the
# browser): every violation the browser reports lands in window.__violations.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} line ${e.lineNumber}`);
});
"""


class Watched:
    """A page whose policy violations, script errors and console errors are kept."""

    def __init__(self, browser: Any, base: str, user: Any = None) -> None:
        self.context = browser.new_context()
        self.base = base
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            self.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda e: self.problems.append(f"error: {e}"))
        self.page.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__violations")) + self.problems


def test_htmx_works_under_the_policy(live_server, browser, theme) -> None:
    commitment_in(theme, title="Solar clinics in rural Kenya")
    commitment_in(theme, title="Water for every school")
    watched = Watched(browser, live_server.url)
    page = watched.page
    watched.goto("/commitments/")
    page.get_by_text("2 commitments found.").wait_for()
    page.evaluate("document.body.dataset.marker = 'same page'")
    page.get_by_label("Search", exact=True).fill("solar")
    page.get_by_text("1 commitment found.").wait_for()
    assert page.evaluate("document.body.dataset.marker") == "same page"
    # The icon of the page loads (the SVG, and /favicon.ico for older browsers).
    assert page.request.get(live_server.url + "/favicon.ico").status == 200
    icon = page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href")
    assert page.request.get(live_server.url + icon).headers["content-type"] == "image/svg+xml"
    assert watched.violations() == []

    # An htmx POST: the live assessment of the commitment form, with hx-headers' CSRF token.
    member = factories.member_of(theme)
    watched = Watched(browser, live_server.url, member)
    page = watched.page
    watched.goto("/workspace/commitments/new/")
    page.evaluate("document.body.dataset.marker = 'same page'")
    page.get_by_label("Title").fill("Support women leaders in rural areas")
    page.get_by_label("Description").fill("We will support women leaders in rural areas.")
    page.locator("#assessment").get_by_text("Name a measurable target and a date").wait_for()
    assert page.evaluate("document.body.dataset.marker") == "same page"
    assert Commitment.objects.filter(title="Support women leaders in rural areas").count() == 0
    assert watched.violations() == []


def test_report_charts_and_rate_bars_show_under_the_policy(live_server, browser) -> None:
    world = make_world()
    watched = Watched(browser, live_server.url, world.secretariat)
    page = watched.page
    slug, cycle = world.programme.slug, world.cycle.pk

    watched.goto(f"/console/{slug}/reporting/cycles/{cycle}/report/")
    charts = page.locator("figure.chart img")
    # Response rates, progress, money, types, and the world map of where the commitments work.
    assert charts.count() == 5
    for i in range(5):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")

    watched.goto(f"/console/{slug}/reporting/cycles/{cycle}/dashboard/")
    bar = page.locator("meter.bar").first
    assert bar.bounding_box()["width"] > 40
    assert watched.violations() == []
