"""The schedule as files and in the API: iCalendar read back with ``icalendar`` (times, time
zone, VTIMEZONE), the Frab schedule JSON checked field by field, "my sessions" for the signed-in
person, and the API's events and sessions with the schedule's FilterSet.

The event runs 7-9 March 2026 in New York (the clocks change on the 8th).  Fixed dates."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from pledgebook.forum.models import Event, Session, SessionMark
from pledgebook.reference.models import Goal
from tests import factories

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=NY)


@pytest.fixture
def event(programme) -> Event:
    return factories.EventFactory(
        programme=programme,
        slug="forum-2026",
        name="Partnership Forum 2026",
        acronym="PF26",
        starts_on=dt.date(2026, 3, 7),
        ends_on=dt.date(2026, 3, 9),
        venue="UN Headquarters, New York",
    )


@pytest.fixture
def sessions(event) -> dict[str, Session]:
    hall = factories.RoomFactory(event=event, name="General Assembly Hall")
    org = factories.OrganisationFactory(name="Blue Planet Trust")
    theme = factories.ThemeFactory(programme=event.programme, slug="oceans", name="Oceans")
    opening = factories.SessionFactory(
        event=event,
        title="Opening plenary",
        starts_at=at(7, 10),
        ends_at=at(7, 11, 30),
        room=hall,
        description="Welcome by the Co-Chairs.",
    )
    ocean = factories.SessionFactory(
        event=event,
        kind=Session.Kind.SDG_SEGMENT,
        segment="SDG Action Segment: Goal 14",
        title="Ocean finance",
        starts_at=at(9, 10),
        ends_at=at(9, 12),
        room=hall,
        organisations=[org],
    )
    ocean.goals.set(Goal.objects.filter(number=14))
    ocean.themes.set([theme])
    ocean.speakers.create(name="Ana Costa", title="Minister", organisation=org)
    online = factories.SessionFactory(
        event=event,
        kind=Session.Kind.SIDE_EVENT,
        title="Youth voices online",
        starts_at=at(8, 15),
        ends_at=at(8, 16),
        online_url="https://meet.example.org/youth",
    )
    cancelled = factories.SessionFactory(
        event=event,
        title="Cancelled chat",
        starts_at=at(8, 9),
        ends_at=at(8, 10),
        status=Session.Status.CANCELLED,
    )
    return {"opening": opening, "ocean": ocean, "online": online, "cancelled": cancelled}


def _kw(event: Event, **more: Any) -> dict[str, Any]:
    return {"programme": event.programme.slug, "event": event.slug, **more}


def _events_of(content: bytes) -> list[Any]:
    return list(Calendar.from_ical(content).walk("VEVENT"))


# iCalendar -------------------------------------------------------------------------------------


def test_event_ics_has_every_scheduled_session_in_venue_time(event, sessions):
    response = Client().get(reverse("public:event_ics", kwargs=_kw(event)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="forum-2026.ics"'
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    items = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert sorted(items) == ["Ocean finance", "Opening plenary", "Youth voices online"]
    opening = items["Opening plenary"]
    assert opening["DTSTART"].params["TZID"] == "America/New_York"
    assert opening.decoded("DTSTART") == at(7, 10)
    assert opening.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2026, 3, 7, 15, 0, tzinfo=dt.UTC
    )
    assert opening.decoded("DTEND") == at(7, 11, 30)
    # After the change to summer time: 10:00 EDT is 14:00 UTC.
    assert items["Ocean finance"].decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2026, 3, 9, 14, 0, tzinfo=dt.UTC
    )
    assert str(opening["LOCATION"]) == "General Assembly Hall, UN Headquarters, New York"
    assert str(items["Youth voices online"]["LOCATION"]) == "https://meet.example.org/youth"
    assert str(opening["URL"]) == "http://testserver" + sessions["opening"].get_absolute_url()
    assert "Welcome by the Co-Chairs." in str(opening["DESCRIPTION"])
    ocean = str(items["Ocean finance"]["DESCRIPTION"])
    assert "Organised by: Blue Planet Trust" in ocean
    assert "- Ana Costa, Minister, Blue Planet Trust" in ocean
    assert "SDG 14" in ocean
    uids = [str(e["UID"]) for e in items.values()]
    assert len(set(uids)) == 3 and all(u.endswith("@pledgebook") for u in uids)


def test_the_uid_of_a_session_is_the_same_in_every_file(event, sessions):
    client = Client()
    whole = _events_of(client.get(reverse("public:event_ics", kwargs=_kw(event))).content)
    one = _events_of(
        client.get(
            reverse("public:session_ics", kwargs=_kw(event, session=sessions["ocean"].pk))
        ).content
    )
    assert [str(e["UID"]) for e in one] == [
        str(e["UID"]) for e in whole if str(e["SUMMARY"]) == "Ocean finance"
    ]


def test_event_ics_takes_the_page_filters(event, sessions):
    url = reverse("public:event_ics", kwargs=_kw(event)) + "?sdg=14"
    assert [str(e["SUMMARY"]) for e in _events_of(Client().get(url).content)] == ["Ocean finance"]


def test_session_ics_of_a_cancelled_session_says_cancelled(event, sessions):
    url = reverse("public:session_ics", kwargs=_kw(event, session=sessions["cancelled"].pk))
    (item,) = _events_of(Client().get(url).content)
    assert str(item["STATUS"]) == "CANCELLED"


def test_ics_of_an_unpublished_event_is_404(event, sessions):
    Event.objects.filter(pk=event.pk).update(is_published=False)
    client = Client()
    assert client.get(reverse("public:event_ics", kwargs=_kw(event))).status_code == 404
    url = reverse("public:session_ics", kwargs=_kw(event, session=sessions["opening"].pk))
    assert client.get(url).status_code == 404


def test_an_event_in_utc_has_no_vtimezone(programme):
    event = factories.EventFactory(
        programme=programme,
        time_zone="UTC",
        starts_on=dt.date(2026, 3, 7),
        ends_on=dt.date(2026, 3, 7),
    )
    factories.SessionFactory(
        event=event,
        starts_at=dt.datetime(2026, 3, 7, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 7, 10, tzinfo=dt.UTC),
    )
    content = Client().get(reverse("public:event_ics", kwargs=_kw(event))).content
    calendar = Calendar.from_ical(content)
    assert calendar.walk("VTIMEZONE") == []
    (item,) = calendar.walk("VEVENT")
    assert item.decoded("DTSTART") == dt.datetime(2026, 3, 7, 9, tzinfo=dt.UTC)
    assert b"DTSTART:20260307T090000Z" in content


# My sessions -----------------------------------------------------------------------------------


def test_my_sessions_ics_holds_the_marked_sessions_of_the_person(event, sessions):
    me, someone = factories.UserFactory(), factories.UserFactory()
    SessionMark.objects.create(user=me, session=sessions["ocean"])
    SessionMark.objects.create(user=me, session=sessions["cancelled"])
    SessionMark.objects.create(user=someone, session=sessions["opening"])
    other_event_session = factories.SessionFactory(event=factories.EventFactory())
    SessionMark.objects.create(user=me, session=other_event_session)
    client = Client()
    client.force_login(me)
    response = client.get(reverse("workspace:forum_my_sessions_ics", kwargs=_kw(event)))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    items = {str(e["SUMMARY"]): str(e["STATUS"]) for e in _events_of(response.content)}
    assert items == {"Ocean finance": "CONFIRMED", "Cancelled chat": "CANCELLED"}


def test_my_sessions_ics_needs_a_signed_in_person(event, sessions):
    url = reverse("workspace:forum_my_sessions_ics", kwargs=_kw(event))
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Frab JSON -------------------------------------------------------------------------------------


def test_frab_schedule_structure_and_values(event, sessions):
    response = Client().get(reverse("public:event_schedule_json", kwargs=_kw(event)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    schedule = json.loads(response.content)["schedule"]
    assert set(schedule) == {"version", "base_url", "conference"}
    assert schedule["base_url"] == "http://testserver/"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/4", schedule["version"])
    conference = schedule["conference"]
    assert {k: conference[k] for k in conference if k not in ("days", "rooms", "url")} == {
        "acronym": "PF26",
        "title": "Partnership Forum 2026",
        "start": "2026-03-07",
        "end": "2026-03-09",
        "daysCount": 3,
        "timeslot_duration": "00:15",
        "time_zone_name": "America/New_York",
    }
    assert conference["rooms"] == [{"name": "General Assembly Hall"}, {"name": "Online"}]
    days = conference["days"]
    assert [(d["index"], d["date"], d["day_start"]) for d in days] == [
        (1, "2026-03-07", "2026-03-07T00:00:00-05:00"),
        (2, "2026-03-08", "2026-03-08T00:00:00-05:00"),
        (3, "2026-03-09", "2026-03-09T00:00:00-04:00"),
    ]
    assert {d["date"]: sorted(d["rooms"]) for d in days} == {
        "2026-03-07": ["General Assembly Hall"],
        "2026-03-08": ["Online"],
        "2026-03-09": ["General Assembly Hall"],
    }
    (ocean,) = days[2]["rooms"]["General Assembly Hall"]
    session = sessions["ocean"]
    speaker = session.speakers.get()
    assert ocean == {
        "id": session.pk,
        "guid": ocean["guid"],
        "date": "2026-03-09T10:00:00-04:00",
        "start": "10:00",
        "duration": "02:00",
        "room": "General Assembly Hall",
        "slug": f"forum-2026-{session.pk}",
        "url": "http://testserver" + session.get_absolute_url(),
        "title": "Ocean finance",
        "subtitle": "SDG Action Segment: Goal 14",
        "track": "SDG Action Segment: Goal 14",
        "type": "sdg_segment",
        "language": "en",
        "abstract": "",
        "description": "",
        "persons": [
            {"id": speaker.pk, "guid": ocean["persons"][0]["guid"], "public_name": "Ana Costa"}
        ],
        "links": [],
        "attachments": [],
    }
    uuid5 = r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.fullmatch(uuid5, ocean["guid"])
    (online,) = days[1]["rooms"]["Online"]
    assert (online["start"], online["duration"], online["links"]) == (
        "15:00",
        "01:00",
        [{"url": "https://meet.example.org/youth", "title": "Online"}],
    )
    all_ids = [s["id"] for d in days for room in d["rooms"].values() for s in room]
    assert sessions["cancelled"].pk not in all_ids


def test_frab_session_without_room_or_link_goes_under_other(event):
    factories.SessionFactory(event=event, title="Reception", starts_at=at(7, 18), ends_at=at(7, 20))
    data = Client().get(reverse("public:event_schedule_json", kwargs=_kw(event))).json()
    (day1, *_rest) = data["schedule"]["conference"]["days"]
    assert [s["title"] for s in day1["rooms"]["Other"]] == ["Reception"]


# API -------------------------------------------------------------------------------------------


def test_api_lists_public_events_of_a_programme(event, sessions):
    factories.EventFactory(programme=event.programme, slug="draft", is_published=False)
    other = factories.EventFactory(slug="other")
    client = Client()
    everything = client.get("/api/v1/events/").json()
    assert sorted(e["slug"] for e in everything["results"]) == ["forum-2026", "other"]
    response = client.get(f"/api/v1/events/?programme={event.programme.slug}")
    (found,) = response.json()["results"]
    assert found["slug"] == "forum-2026"
    assert found["time_zone"] == "America/New_York"
    assert found["url"] == "http://testserver" + event.get_absolute_url()
    assert found["sessions"] == f"http://testserver/api/v1/events/{event.pk}/sessions/"
    assert found["ical"] == "http://testserver" + reverse("public:event_ics", kwargs=_kw(event))
    assert other.slug not in [e["slug"] for e in response.json()["results"]]


def test_api_event_detail_and_unpublished_404(event, sessions):
    client = Client()
    detail = client.get(f"/api/v1/events/{event.pk}/").json()
    assert detail["rooms"][0]["name"] == "General Assembly Hall"
    assert detail["days"] == ["2026-03-07", "2026-03-08", "2026-03-09"]
    Event.objects.filter(pk=event.pk).update(is_published=False)
    assert client.get(f"/api/v1/events/{event.pk}/").status_code == 404
    assert client.get(f"/api/v1/events/{event.pk}/sessions/").status_code == 404


def test_api_sessions_in_venue_time_with_the_schedule_filters(event, sessions):
    client = Client()
    data = client.get(f"/api/v1/events/{event.pk}/sessions/").json()
    assert [s["title"] for s in data["results"]] == [
        "Opening plenary",
        "Youth voices online",
        "Ocean finance",
    ]
    ocean = data["results"][2]
    assert ocean["starts_at"] == "2026-03-09T10:00:00-04:00"
    assert ocean["time_zone"] == "America/New_York"
    assert ocean["room"] == "General Assembly Hall"
    assert ocean["sdgs"] == [14]
    assert ocean["themes"] == ["oceans"]
    assert ocean["organisations"][0]["name"] == "Blue Planet Trust"
    assert ocean["speakers"][0]["name"] == "Ana Costa"
    assert "organisers" not in ocean
    for query, titles in [
        ("sdg=14", ["Ocean finance"]),
        ("kind=side_event", ["Youth voices online"]),
        ("day=2026-03-07", ["Opening plenary"]),
        ("theme=oceans", ["Ocean finance"]),
        ("q=youth", ["Youth voices online"]),
    ]:
        found = client.get(f"/api/v1/events/{event.pk}/sessions/?{query}").json()
        assert [s["title"] for s in found["results"]] == titles, query


@pytest.mark.parametrize(
    "query", ["kind=banquet", "sdg=18", "theme=nowhere", "kind=", "sdg=1&sdg=2", "day=soon"]
)
def test_api_sessions_refuse_bad_filters(event, sessions, query):
    response = Client().get(f"/api/v1/events/{event.pk}/sessions/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_api_sessions_queries_do_not_grow(event, sessions, django_assert_max_num_queries):
    url = f"/api/v1/events/{event.pk}/sessions/"
    with django_assert_max_num_queries(12):
        Client().get(url)
    for hour in (11, 13, 15, 17):
        s = factories.SessionFactory(event=event, starts_at=at(7, hour), ends_at=at(7, hour, 30))
        s.goals.set(Goal.objects.filter(number__in=[1, 2]))
        s.speakers.create(name="Someone", organisation=factories.OrganisationFactory())
    with django_assert_max_num_queries(12):
        Client().get(url)


def test_the_schema_documents_the_schedule(client):
    schema = Client().get("/api/v1/schema/?format=json").json()
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/events/{id}/sessions/"]["get"]["parameters"]
    }
    assert set(parameters) == {"id", "q", "day", "kind", "sdg", "theme", "page"}
    assert sorted(parameters["kind"]["schema"]["enum"]) == sorted(Session.Kind.values)
