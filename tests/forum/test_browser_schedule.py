"""Browser journeys of the forum schedule (Playwright driving Debian's Chromium): a visitor on
a phone finds an event's programme, filters it by SDG, opens a session and downloads it for
a calendar; the secretariat adds a session and meets a clash at the room field."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from icalendar import Calendar

from pledgebook.forum.models import Session
from pledgebook.reference.models import Goal
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NY = zoneinfo.ZoneInfo("America/New_York")
PHONE = {"width": 375, "height": 812}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=NY)


@pytest.fixture
def forum():
    programme = factories.ProgrammeFactory(name="ECOSOC Partnership Forum", slug="ecosoc-pf")
    event = factories.EventFactory(
        programme=programme,
        slug="pf-2026",
        name="Partnership Forum 2026",
        starts_on=dt.date(2026, 3, 7),
        ends_on=dt.date(2026, 3, 9),
        venue="UN Headquarters, New York",
    )
    hall = factories.RoomFactory(event=event, name="General Assembly Hall")
    org = factories.OrganisationFactory(name="Blue Planet Trust with a rather long name")
    opening = factories.SessionFactory(
        event=event, title="Opening plenary", starts_at=at(7, 10), ends_at=at(7, 11), room=hall
    )
    ocean = factories.SessionFactory(
        event=event,
        kind=Session.Kind.SDG_SEGMENT,
        segment="SDG Action Segment: Goal 14 — Life below water",
        title="Ocean finance: blue bonds for small island developing states",
        starts_at=at(9, 10),
        ends_at=at(9, 12),
        room=hall,
        organisations=[org],
    )
    ocean.goals.set(Goal.objects.filter(number__in=[14, 17]))
    ocean.speakers.create(name="Ana Costa", title="Minister", organisation=org)
    gender = factories.SessionFactory(
        event=event, kind=Session.Kind.PITCH, title="Gender pitch", starts_at=at(8, 15)
    )
    gender.goals.set(Goal.objects.filter(number=5))
    return {"event": event, "hall": hall, "opening": opening, "ocean": ocean}


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_a_visitor_on_a_phone_filters_by_sdg_and_takes_a_session(live_server, browser, forum):
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    event = forum["event"]
    page.goto(f"{live_server.url}/programmes/{event.programme.slug}/")
    page.get_by_role("link", name="Partnership Forum 2026").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    page.get_by_text("3 sessions shown").wait_for()
    _fits(page)

    page.get_by_label("SDG", exact=True).select_option("14")
    page.get_by_role("button", name="Show sessions").click()
    page.wait_for_url(re.compile(r".*sdg=14.*"))
    page.get_by_text("1 session shown").wait_for()
    _fits(page)
    titles = page.locator(".schedule h4 a").all_inner_texts()
    assert titles == ["Ocean finance: blue bonds for small island developing states"]

    page.locator(".schedule h4 a").first.click()
    page.wait_for_url(f"**{forum['ocean'].get_absolute_url()}")
    _fits(page)
    when = page.locator("#session-time").inner_text()
    assert "Monday 9 March 2026, 10:00" in when and "America/New_York (EDT)" in when
    assert "Ana Costa" in page.locator("main").inner_text()

    with page.expect_download() as info:
        page.locator("#session-ics").click()
    download = info.value
    assert download.suggested_filename == f"pf-2026-session-{forum['ocean'].pk}.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    (item,) = calendar.walk("VEVENT")
    assert item.decoded("DTSTART") == at(9, 10)
    assert item["DTSTART"].params["TZID"] == "America/New_York"
    assert str(item["SUMMARY"]) == forum["ocean"].title
    assert errors == []
    context.close()


def test_the_secretariat_adds_a_session_and_meets_a_clash(live_server, browser, forum):
    event = forum["event"]
    secretariat = factories.staff(event.programme)
    page = browser.new_page()
    sign_in(page, live_server.url, secretariat.email, lands="/console/")
    page.get_by_role("link", name="ECOSOC Partnership Forum").first.click()
    page.get_by_role("link", name="Forum", exact=True).click()
    page.get_by_role("link", name="Partnership Forum 2026").click()
    page.get_by_role("link", name="Add a session").click()

    page.locator("#id_kind").select_option("side_event")
    page.locator("#id_title").fill("Youth and the oceans")
    page.locator("#id_starts_at").fill("2026-03-07T10:30")
    page.locator("#id_ends_at").fill("2026-03-07T11:30")
    page.locator("#id_room").select_option(str(forum["hall"].pk))
    page.get_by_role("button", name="Add the session").click()

    page.locator(".field-error #id_room").wait_for()
    assert (
        "General Assembly Hall is taken from March 7, 2026, 10 a.m. to March 7, 2026, 11 a.m. "
        "by “Opening plenary”." in page.locator("main").inner_text()
    )
    assert page.locator("#id_title").input_value() == "Youth and the oceans"
    assert page.locator("#id_starts_at").input_value() == "2026-03-07T10:30"
    assert Session.objects.filter(title="Youth and the oceans").count() == 0

    page.locator("#id_starts_at").fill("2026-03-07T12:00")
    page.locator("#id_ends_at").fill("2026-03-07T13:00")
    page.get_by_role("button", name="Add the session").click()
    page.get_by_text("Session “Youth and the oceans” added.").wait_for()
    session = Session.objects.get(title="Youth and the oceans")
    assert session.starts_at == at(7, 12)
    assert session.room == forum["hall"]
