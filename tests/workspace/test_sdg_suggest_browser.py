"""Browser journeys of the SDG suggestions on the commitment form (Playwright, Debian's
Chromium): ask, read the evidence, accept, save; with HTMX at desktop and phone width, and
without JavaScript."""

import re

import pytest

from pledgebook.commitments.models import Commitment
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Clean up plastic pollution on the beaches of Senegal"
DESCRIPTION = (
    "We will remove marine litter and plastic debris from 40 km of coast every month and "
    "train 300 fishers to recycle fishing nets, reducing marine pollution by 2028."
)


@pytest.fixture
def member(programme, theme):
    return factories.member_of(theme)


def write_and_ask(page, base: str) -> None:
    page.goto(f"{base}/workspace/commitments/new/")
    page.wait_for_url(re.compile(r".*/workspace/commitments/new/\?organisation=.*"))
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_role("button", name="Suggest goals and targets").click()


@pytest.mark.parametrize("width", [1280, 360])
def test_ask_read_the_evidence_accept_and_save(live_server, browser, member, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, member.email)
    write_and_ask(page, live_server.url)

    first = page.locator(".sdg-suggestion-list li").first
    first.wait_for()
    assert first.locator("strong").inner_text().startswith("SDG 14: Conserve and sustainably")
    assert "plastic" in [w.lower() for w in first.locator("mark").all_inner_texts()]
    assert page.locator(".sdg-suggestion-list > li").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.evaluate("document.body.dataset.marker = 'same page'")
    first.get_by_role("button", name="Accept goal 14 and target 14.1").click()
    page.get_by_text("Accepted: ticked below.").wait_for()
    assert page.evaluate("document.body.dataset.marker") == "same page"  # swapped by HTMX
    assert page.locator('input[name="goals"][value="14"]').is_checked()
    assert page.locator('input[name="targets"][value="14.1"]').is_checked()
    assert page.get_by_label("Description").input_value() == DESCRIPTION

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    commitment = Commitment.objects.get()
    assert list(commitment.goals.values_list("pk", flat=True)) == [14]
    assert list(commitment.targets.values_list("pk", flat=True)) == ["14.1"]
    assert commitment.title == TITLE
    assert errors == []


def test_without_javascript_the_form_comes_back_with_the_suggestions(live_server, browser, member):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, member.email)
    write_and_ask(page, live_server.url)

    first = page.locator(".sdg-suggestion-list li").first
    assert first.locator("strong").inner_text().startswith("SDG 14:")
    first.get_by_role("button", name="Dismiss goal 14").click()
    assert "SDG 14:" not in page.locator(".sdg-suggestion-list").inner_text()
    page.get_by_role("button", name="Accept goal", exact=False).first.click()
    assert page.get_by_text("Accepted: ticked below.").count() == 1
    assert page.get_by_label("Title").input_value() == TITLE

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    commitment = Commitment.objects.get()
    assert commitment.goals.count() == 1
    assert 14 not in list(commitment.goals.values_list("pk", flat=True))
    context.close()


def wait_until(page, condition) -> None:
    """Waits (in real time, whatever the page's clock) until ``condition()``, 10 s at most."""
    for _ in range(200):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("not within 10 s")


FORM_REQUESTS = re.compile(r".*/workspace/commitments/(sdgs|assessment|similar)/.*")


def test_suggest_while_the_typing_is_answered_shows_one_list(live_server, browser, member):
    """A click on "Suggest" before the typing's pause has passed, the live assessment and the
    similar panel then asked and all three requests in flight at once: one list of three, and
    the assessment is the assessment. The page's timers run on Playwright's clock and every
    request of the form is held until all three are out, so that the order is always this one.
    (The form's own requests used to go to the clicked button's formaction: the whole page with
    its suggestions came back into the assessment's place, the list twice.)"""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/workspace/commitments/new/")
    page.wait_for_url(re.compile(r".*/workspace/commitments/new/\?organisation=.*"))
    page.wait_for_load_state("networkidle")  # the similar panel's first answer (on load)
    held: list = []
    answered: list = []
    page.route(FORM_REQUESTS, lambda route: held.append(route))
    page.on(
        "requestfinished",
        lambda request: FORM_REQUESTS.match(request.url) and answered.append(request),
    )
    page.clock.install()
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_role("button", name="Suggest goals and targets").click()
    page.clock.run_for(1000)  # the 700 and 900 ms pauses after the typing pass
    wait_until(page, lambda: len(held) == 3)
    asked = sorted((r.request.headers.get("hx-target"), r.request.url.split("?")[0]) for r in held)
    for route in held:
        route.continue_()
    page.unroute(FORM_REQUESTS)
    wait_until(page, lambda: len(answered) == 3)
    page.clock.run_for(100)  # htmx settles the swaps

    assert page.locator(".sdg-suggestion-list > li").count() == 3
    assert page.locator("#commitment-sdgs").count() == 1
    assert page.locator("form").filter(has=page.get_by_label("Title")).count() == 1
    assert page.locator("#assessment").get_by_text("Strong commitment check").count() == 1
    assert page.locator("aside #commitment-sdgs, aside form").count() == 0
    assert asked == [
        ("assessment", f"{live_server.url}/workspace/commitments/assessment/"),
        ("commitment-sdgs", f"{live_server.url}/workspace/commitments/sdgs/"),
        ("similar-commitments", f"{live_server.url}/workspace/commitments/similar/"),
    ]
    assert errors == []
