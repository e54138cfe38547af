"""Browser journey of the partner finder (Playwright driving Debian's Chromium): a coalition
leader on a phone finds partners for the coalition, reads the reasons, sends a contact request
(after an empty one is refused at the field); the recipient opens the link of the mail and
replies on the platform; the reply reaches the leader by mail.  Nobody's address is shown."""

from __future__ import annotations

import os
import re

import pytest
from django.core import mail

from pledgebook.organisations.models import Category as C
from pledgebook.portal.models import ContactRequest
from tests import factories
from tests.browser import sign_in
from tests.portal import factories_finder as ff

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
LEADER = "leader.finder@example.org"
FUNDER = "funder.finder@example.org"
SHOTS = os.environ.get("FINDER_SCREENSHOTS", "")


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def world():
    programme = factories.ProgrammeFactory(name="ECOSOC Partnership Forum")
    theme = factories.ThemeFactory(programme=programme)
    women = ff.org("Kenya Women Network", C.WOMEN, "KE")
    nordic = ff.org("Nordic Foundation", C.PHILANTHROPY, "NO")
    leader = factories.representative(women, factories.UserFactory(username=LEADER))
    funder = factories.representative(nordic, factories.UserFactory(username=FUNDER))
    coalition = ff.coalition(
        programme,
        "Clean oceans for women fishers",
        [women],
        summary="Removing plastic pollution from coastal fisheries run by women",
    )
    ff.public_commitment(theme, nordic)
    return {"coalition": coalition, "leader": leader, "funder": funder}


def test_find_partners_contact_and_reply_through_the_platform(live_server, browser, world):
    base = live_server.url
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # Anyone sees the suggestions from the coalition's public page.
    page.goto(f"{base}{world['coalition'].get_absolute_url()}")
    page.locator("#find-partners").click()
    page.wait_for_url(f"**/coalitions/{world['coalition'].slug}/partners/")
    _fits(page)

    # The leader finds partners for the coalition in the workspace.
    sign_in(page, base, LEADER)
    page.goto(f"{base}/workspace/partners/")
    _fits(page)
    page.get_by_role("link", name="Clean oceans for women fishers").click()
    page.wait_for_url(f"**/workspace/partners/coalitions/{world['coalition'].slug}/")
    suggestion = page.locator(".partner-suggestion").first
    assert suggestion.locator("h3").inner_text() == "Nordic Foundation"
    reasons = [
        " ".join(t.split()) for t in suggestion.locator(".partner-reasons li").all_inner_texts()
    ]
    assert reasons == [
        "Complementary: a women's organisation and a philanthropy: reach in communities and "
        "funding (Kenya Women Network with Nordic Foundation) (+4 points)",
        "North-South: Norway, a developed country, and Kenya (+3 points)",
        "Unusual partner: the coalition has no philanthropy and foundations yet (+2 points)",
    ]
    assert suggestion.locator(".partner-score").inner_text() == "Score: 9 points"
    _fits(page)
    _shot(page, "finder-phone")

    suggestion.get_by_role("link", name="Contact Nordic Foundation").click()
    page.get_by_text("About the coalition “Clean oceans for women fishers”").wait_for()
    page.get_by_role("button", name="Send through the platform").click()
    page.locator(".field-error #id_message").wait_for()
    assert ContactRequest.objects.count() == 0
    page.get_by_label("Message").fill("Would you fund a pilot with 300 women fishers?")
    page.get_by_role("button", name="Send through the platform").click()
    page.get_by_text("Your message was sent to Nordic Foundation.").wait_for()
    _fits(page)
    assert FUNDER not in page.content()

    # The funder opens the link of the mail and replies.
    (request_mail,) = [m for m in mail.outbox if FUNDER in m.to]
    assert LEADER not in request_mail.body
    link = re.search(r"(http\S+/workspace/partners/requests/\d+/)", request_mail.body).group(1)
    desktop = browser.new_context(viewport=DESKTOP)
    other = desktop.new_page()
    other.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(other, base, FUNDER)
    other.goto(link)
    assert (
        "Would you fund a pilot with 300 women fishers?"
        in other.locator("#request-message").inner_text()
    )
    assert LEADER not in other.content()
    other.get_by_label("Your reply").fill("Yes: our programme officer will call you.")
    other.get_by_role("button", name="Send the reply").click()
    other.get_by_text("Your reply was sent to Kenya Women Network.").wait_for()
    _shot(other, "finder-reply-desktop")

    # The reply reaches the leader by mail, and on the platform.
    (reply_mail,) = [m for m in mail.outbox if LEADER in m.to]
    assert reply_mail.subject == "Nordic Foundation replied to your contact request"
    assert "Yes: our programme officer will call you." in reply_mail.body
    assert FUNDER not in reply_mail.body
    page.goto(link)
    assert page.locator("#request-status").inner_text() == "Replied"
    assert "our programme officer will call you" in page.locator("#request-reply").inner_text()
    _fits(page)
    _shot(page, "finder-request-phone")
    assert errors == []
    phone.close()
    desktop.close()
