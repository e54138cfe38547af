"""Browser journey of side events and participation (Playwright driving Debian's Chromium): an
organisation proposes two side events, the secretariat declines one with a reason and accepts
the other, which joins the event's sessions; two people register in person for the last
place, and the second is told plainly that they are on the waiting list."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from pledgebook.forum.models import Registration, Session, SideEventProposal
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_side_events_proposed_decided_and_people_registering(live_server, browser):
    event = factories.upcoming_event(
        name="Partnership Forum 2025", proposals_open=True, in_person_capacity=1
    )
    room = factories.RoomFactory(event=event, name="Conference Room 4", capacity=80)
    organisation = factories.OrganisationFactory(name="Women's Network for Water")
    proposer = factories.representative(organisation)
    secretariat = factories.staff(event.programme)
    base = live_server.url
    second_day = (event.starts_on + dt.timedelta(days=1)).isoformat()

    # The organisation proposes two side events from its workspace.
    page = browser.new_context().new_page()
    sign_in(page, base, proposer.email)
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Forum").click()
    for title, start in (("Water for all", "13:00"), ("Rivers without borders", "16:00")):
        page.get_by_role("link", name="Propose a side event").click()
        page.get_by_label("Title (required)", exact=True).fill(title)
        page.get_by_label("Description (required)", exact=True).fill("Partners share what worked.")
        page.get_by_label("Day (required)", exact=True).select_option(second_day)
        page.get_by_label("Starts at (required)", exact=True).fill(start)
        page.get_by_label("Ends at (required)", exact=True).fill(start.replace(":00", ":45"))
        page.get_by_label("Room", exact=True).select_option(label="Conference Room 4 (80)")
        page.get_by_label("Expected participants (required)", exact=True).fill("40")
        page.get_by_role("button", name="Send the proposal").click()
        page.get_by_text(f"Side event “{title}” proposed.").wait_for()
        page.get_by_role("link", name="Forum", exact=True).click()
    assert SideEventProposal.objects.filter(status="submitted").count() == 2

    # The secretariat declines one with a reason and accepts the other.
    console = browser.new_context().new_page()
    sign_in(console, base, secretariat.email, lands="/console/")
    console.goto(
        base
        + reverse(
            "console:forum_proposals",
            kwargs={"programme": event.programme.slug, "event": event.slug},
        )
    )
    console.get_by_role("link", name="Rivers without borders").click()
    console.get_by_role("button", name="Decline").click()
    console.get_by_text("This field is required.").first.wait_for()
    console.locator("#id_decline-reason").fill("That afternoon is full.")
    console.get_by_role("button", name="Decline").click()
    console.get_by_text("Side event declined; the organisation is told why.").wait_for()
    console.get_by_role("link", name="Side-event proposals · Partnership Forum 2025").click()
    console.get_by_role("link", name="Water for all").click()
    console.get_by_role("button", name="Accept and schedule").click()
    console.get_by_text("Side event accepted: it is on the schedule").wait_for()

    session = Session.objects.get(event=event, kind=Session.Kind.SIDE_EVENT)
    assert (session.title, session.room) == ("Water for all", room)
    assert list(session.organisations.all()) == [organisation]
    assert [m.subject for m in mail.outbox if proposer.email in m.to] == [
        "Side event not accepted: “Rivers without borders” at Partnership Forum 2025",
        "Side event accepted: “Water for all” at Partnership Forum 2025",
    ]

    # The organisation reads both decisions, the reason with the declined one.
    page.goto(f"{base}/workspace/forum/proposals/")
    declined = page.get_by_role("row", name="Rivers without borders")
    assert "That afternoon is full." in declined.inner_text()
    assert "Accepted" in page.get_by_role("row", name="Water for all").inner_text()

    # Two people register in person for the one place; the second waits.
    first, second = factories.UserFactory(), factories.UserFactory()
    for person, expected in (
        (first, "You are registered to take part in person."),
        (second, "All places in person are taken: you are on the waiting list."),
    ):
        tab = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
        tab.goto(f"{base}/workspace/forum/{event.programme.slug}/{event.slug}/register/")
        tab.wait_for_url(
            re.compile(r".*/accounts/login/\?next=.*register.*")
        )  # signed in, then back
        tab.get_by_label("E-mail address").fill(person.email)
        tab.get_by_label("Password (required)", exact=True).fill("correct horse battery staple")
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(f"{base}/workspace/forum/{event.programme.slug}/{event.slug}/register/")
        tab.get_by_label("In person").check()
        tab.get_by_role("button", name="Register").click()
        tab.get_by_text(expected).first.wait_for()
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 375, scroll
    assert Registration.objects.get(user=first).status == Registration.Status.REGISTERED
    assert Registration.objects.get(user=second).status == Registration.Status.WAITLISTED
