"""Events, rooms and sessions: the domain functions (allowed, refused, nothing changed), the
secretariat's console pages and the public schedule (filters, venue time, what is hidden).

The event runs 7-9 March 2026 in New York: the clocks change there on the 8th (02:00 EST →
03:00 EDT), so a session at 10:00 on the 7th is 15:00 UTC and one at 10:00 on the 9th is
14:00 UTC.  Fixed dates: nothing depends on today."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from pledgebook.forum.domain import schedule
from pledgebook.forum.models import Event, Room, Session
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reference.models import Goal
from tests import factories

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A time at the venue, March 2026."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=NY)


@pytest.fixture
def event(programme):
    return factories.EventFactory(
        programme=programme,
        slug="forum-2026",
        name="Partnership Forum 2026",
        starts_on=dt.date(2026, 3, 7),
        ends_on=dt.date(2026, 3, 9),
    )


@pytest.fixture
def secretariat(programme):
    return factories.staff(programme)


@pytest.fixture
def reviewer(programme):
    return factories.staff(programme, ProgrammeRole.Role.REVIEWER)


@pytest.fixture
def room(event):
    return factories.RoomFactory(event=event, name="Conference Room 4")


def _session(event: Event, **kwargs: Any) -> Session:
    kwargs.setdefault("starts_at", at(7, 10))
    kwargs.setdefault("ends_at", kwargs["starts_at"] + dt.timedelta(hours=1))
    return factories.SessionFactory(event=event, **kwargs)


# Domain ----------------------------------------------------------------------------------------


def test_create_event_by_the_secretariat(programme, secretariat):
    event = schedule.create_event(
        actor=secretariat,
        programme=programme,
        slug="pf-2027",
        name="Partnership Forum 2027",
        starts_on=dt.date(2027, 1, 30),
        ends_on=dt.date(2027, 1, 31),
        time_zone="Europe/Paris",
    )
    assert (event.programme, event.slug, event.time_zone) == (programme, "pf-2027", "Europe/Paris")
    entry = AuditEntry.objects.get(action="event.created")
    assert (entry.object_id, entry.actor, entry.programme) == (event.pk, secretariat, programme)


def test_create_event_refused_to_a_reviewer(programme, reviewer):
    with pytest.raises(PermissionDenied):
        schedule.create_event(
            actor=reviewer,
            programme=programme,
            slug="pf-2027",
            name="Partnership Forum 2027",
            starts_on=dt.date(2027, 1, 30),
            ends_on=dt.date(2027, 1, 31),
        )
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()


def test_create_event_with_an_unknown_time_zone_is_refused_at_the_field(programme, secretariat):
    with pytest.raises(ValidationError) as refused:
        schedule.create_event(
            actor=secretariat,
            programme=programme,
            slug="pf-2027",
            name="Forum",
            starts_on=dt.date(2027, 1, 30),
            ends_on=dt.date(2027, 1, 31),
            time_zone="Mars/Olympus",
        )
    assert list(refused.value.message_dict) == ["time_zone"]
    assert not Event.objects.exists()


def test_update_event_allowed_and_denied(event, secretariat, reviewer):
    with pytest.raises(PermissionDenied):
        schedule.update_event(actor=reviewer, event=event, name="Renamed")
    event.refresh_from_db()
    assert event.name == "Partnership Forum 2026"
    schedule.update_event(actor=secretariat, event=event, name="Renamed", venue="Geneva")
    event.refresh_from_db()
    assert (event.name, event.venue) == ("Renamed", "Geneva")
    assert AuditEntry.objects.get(action="event.changed").data == {"fields": ["name", "venue"]}


def test_rooms_added_and_a_duplicate_refused(event, secretariat, reviewer):
    room = schedule.add_room(actor=secretariat, event=event, name="Trusteeship Council")
    assert (room.event, room.name, room.position) == (event, "Trusteeship Council", 0)
    with pytest.raises(ValidationError) as refused:
        schedule.add_room(actor=secretariat, event=event, name="trusteeship council")
    assert list(refused.value.message_dict) == ["name"]
    with pytest.raises(PermissionDenied):
        schedule.add_room(actor=reviewer, event=event, name="ECOSOC Chamber")
    assert list(event.rooms.values_list("name", flat=True)) == ["Trusteeship Council"]


def test_save_session_with_organisers_speakers_themes_and_sdgs(event, room, secretariat):
    organiser = factories.UserFactory()
    organisation = factories.OrganisationFactory(name="Ocean Alliance")
    theme = factories.ThemeFactory(programme=event.programme)
    session = schedule.save_session(
        actor=secretariat,
        event=event,
        kind=Session.Kind.SDG_SEGMENT,
        segment="SDG Action Segment: Goal 14",
        title="Oceans",
        starts_at=at(9, 10),
        ends_at=at(9, 11, 30),
        room=room,
        organisations=[organisation],
        organisers=[organiser],
        themes=[theme],
        goals=Goal.objects.filter(number__in=[14, 17]),
        speakers=[
            {"name": "Ana Costa", "title": "Minister", "organisation": organisation},
            {"name": "Li Wei", "affiliation": "University of Fiji"},
        ],
    )
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
    assert list(session.organisations.all()) == [organisation]
    assert list(session.organisers.all()) == [organiser]
    assert list(session.themes.all()) == [theme]
    assert list(session.goals.values_list("number", flat=True)) == [14, 17]
    assert [(s.name, s.position) for s in session.speakers.all()] == [
        ("Ana Costa", 0),
        ("Li Wei", 1),
    ]
    assert AuditEntry.objects.filter(action="session.created", object_id=session.pk).count() == 1


def test_a_clash_is_refused_and_nothing_changes(event, room, secretariat):
    taken = _session(event, title="Opening plenary", room=room)
    with pytest.raises(ValidationError) as refused:
        schedule.save_session(
            actor=secretariat,
            event=event,
            kind=Session.Kind.SIDE_EVENT,
            title="Side event",
            starts_at=at(7, 10, 30),
            ends_at=at(7, 11, 30),
            room=room,
        )
    assert refused.value.message_dict == {
        "room": [
            "Conference Room 4 is taken from March 7, 2026, 10 a.m. to March 7, 2026, 11 a.m. "
            "by “Opening plenary”."
        ]
    }
    assert list(Session.objects.all()) == [taken]
    assert not AuditEntry.objects.filter(action__startswith="session.").exists()


def test_moving_a_session_onto_another_is_refused_and_it_stays(event, room, secretariat):
    _session(event, title="Opening plenary", room=room)
    other = _session(event, title="Breakout", starts_at=at(8, 14), room=room)
    with pytest.raises(ValidationError):
        schedule.save_session(
            actor=secretariat,
            event=event,
            session=other,
            title="Breakout renamed",
            starts_at=at(7, 10),
            ends_at=at(7, 11),
        )
    other.refresh_from_db()
    assert (other.title, other.starts_at) == ("Breakout", at(8, 14))


def test_a_time_outside_the_event_days_is_refused(event, secretariat):
    with pytest.raises(ValidationError) as refused:
        schedule.save_session(
            actor=secretariat,
            event=event,
            kind=Session.Kind.PLENARY,
            title="Too late",
            starts_at=at(10, 9),
            ends_at=at(10, 10),
        )
    assert list(refused.value.message_dict) == ["starts_at"]
    assert not Session.objects.exists()


def test_save_session_refused_to_a_reviewer(event, reviewer):
    session = _session(event, title="Opening")
    with pytest.raises(PermissionDenied):
        schedule.save_session(actor=reviewer, event=event, session=session, title="Changed")
    session.refresh_from_db()
    assert session.title == "Opening"


def test_cancel_session_through_its_transition(event, secretariat, reviewer):
    session = _session(event)
    with pytest.raises(PermissionDenied):
        schedule.cancel_session(actor=reviewer, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    schedule.cancel_session(actor=secretariat, session=session, reason="Speaker ill")
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    entry = AuditEntry.objects.get(action="session.cancelled")
    assert (entry.object_id, entry.reason) == (session.pk, "Speaker ill")
    with pytest.raises(ValidationError):
        schedule.cancel_session(actor=secretariat, session=session)
    assert AuditEntry.objects.filter(action="session.cancelled").count() == 1


def test_a_cancelled_session_frees_its_room(event, room, secretariat):
    gone = _session(event, room=room)
    schedule.cancel_session(actor=secretariat, session=gone)
    placed = schedule.save_session(
        actor=secretariat,
        event=event,
        kind=Session.Kind.PLENARY,
        title="In its place",
        starts_at=gone.starts_at,
        ends_at=gone.ends_at,
        room=room,
    )
    assert placed.room == room


# Console ----------------------------------------------------------------------------------------

CONSOLE_PAGES = [
    ("console:forum_events", lambda e, s: {}),
    ("console:forum_event_create", lambda e, s: {}),
    ("console:forum_event", lambda e, s: {"event": e.slug}),
    ("console:forum_event_edit", lambda e, s: {"event": e.slug}),
    ("console:forum_room_create", lambda e, s: {"event": e.slug}),
    ("console:forum_session_create", lambda e, s: {"event": e.slug}),
    ("console:forum_session", lambda e, s: {"event": e.slug, "session": s.pk}),
]


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "kwargs"), CONSOLE_PAGES, ids=[p[0] for p in CONSOLE_PAGES])
@pytest.mark.parametrize("persona", ["anonymous", "no_role", "reviewer", "other", "secretariat"])
def test_console_pages_per_persona(event, secretariat, reviewer, persona, name, kwargs):
    session = _session(event)
    other_programme = factories.ProgrammeFactory()
    people = {
        "anonymous": None,
        "no_role": factories.UserFactory(),
        "reviewer": reviewer,
        "other": factories.staff(other_programme),
        "secretariat": secretariat,
    }
    url = reverse(name, kwargs={"programme": event.programme.slug, **kwargs(event, session)})
    response = _client(people[persona]).get(url)
    expected = {"anonymous": 302, "no_role": 403, "reviewer": 403, "other": 403}
    assert response.status_code == expected.get(persona, 200)
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


def test_console_event_of_another_programme_is_404(event, secretariat):
    other_event = factories.EventFactory(slug="elsewhere")
    other_session = _session(other_event)
    client = _client(secretariat)
    slug = event.programme.slug
    assert (
        client.get(reverse("console:forum_event", args=[slug, other_event.slug])).status_code == 404
    )
    # The session of another event, through this event's address.
    assert (
        client.get(
            reverse("console:forum_session", args=[slug, event.slug, other_session.pk])
        ).status_code
        == 404
    )
    response = client.post(
        reverse("console:forum_session_cancel", args=[slug, event.slug, other_session.pk])
    )
    assert response.status_code == 404
    other_session.refresh_from_db()
    assert other_session.status == Session.Status.SCHEDULED


def test_console_home_links_to_the_forum(event, secretariat):
    response = _client(secretariat).get(reverse("console:programme", args=[event.programme.slug]))
    assert reverse("console:forum_events", args=[event.programme.slug]).encode() in (
        response.content
    )


def test_console_creates_an_event(programme, secretariat):
    response = _client(secretariat).post(
        reverse("console:forum_event_create", args=[programme.slug]),
        {
            "name": "Civil Society Conference",
            "slug": "csc-2024",
            "starts_on": "2024-05-09",
            "ends_on": "2024-05-10",
            "venue": "Nairobi",
            "time_zone": "Africa/Nairobi",
            "is_hybrid": "on",
            "registration_open": "on",
        },
    )
    event = Event.objects.get(slug="csc-2024")
    assert response.status_code == 302
    assert response.url == reverse("console:forum_event", args=[programme.slug, "csc-2024"])
    assert (event.time_zone, event.is_published, event.is_hybrid) == ("Africa/Nairobi", False, True)


def test_console_refuses_an_unknown_time_zone_and_keeps_the_form(programme, secretariat):
    response = _client(secretariat).post(
        reverse("console:forum_event_create", args=[programme.slug]),
        {
            "name": "Conference",
            "slug": "c",
            "starts_on": "2024-05-09",
            "ends_on": "2024-05-10",
            "time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Conference"
    assert not Event.objects.exists()


def _session_post(room: Room | None = None, **changes: str) -> dict[str, str]:
    data = {
        "kind": "side_event",
        "title": "Financing the oceans",
        "description": "Blue bonds.",
        "starts_at": "2026-03-09T10:00",
        "ends_at": "2026-03-09T11:30",
        "room": str(room.pk) if room else "",
        "language": "en",
        "organisers": "",
        "speakers-TOTAL_FORMS": "3",
        "speakers-INITIAL_FORMS": "0",
        "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "40",
        "speakers-0-name": "Ana Costa",
        "speakers-0-title": "Minister",
        "speakers-0-affiliation": "Government of Portugal",
        "goals": ["14"],
    }
    data.update(changes)
    return data


def test_console_session_times_are_the_venue_s(event, room, secretariat):
    organiser = factories.UserFactory(username="organiser@example.org")
    response = _client(secretariat).post(
        reverse("console:forum_session_create", args=[event.programme.slug, event.slug]),
        _session_post(room, organisers="Organiser@example.org"),
    )
    assert response.status_code == 302
    session = Session.objects.get()
    # 10:00 in New York on 9 March 2026 (EDT, UTC-4), whatever the server's zone.
    assert session.starts_at == dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
    assert session.ends_at == dt.datetime(2026, 3, 9, 15, 30, tzinfo=dt.UTC)
    assert list(session.organisers.all()) == [organiser]
    assert [(s.name, s.affiliation) for s in session.speakers.all()] == [
        ("Ana Costa", "Government of Portugal")
    ]
    assert list(session.goals.values_list("number", flat=True)) == [14]


def test_console_clash_is_shown_at_the_room_and_what_was_typed_stays(event, room, secretariat):
    _session(event, title="Opening plenary", room=room, starts_at=at(9, 9), ends_at=at(9, 12))
    response = _client(secretariat).post(
        reverse("console:forum_session_create", args=[event.programme.slug, event.slug]),
        _session_post(room),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["room"] == [
        "Conference Room 4 is taken from March 9, 2026, 9 a.m. to March 9, 2026, noon by "
        "“Opening plenary”."
    ]
    assert form["title"].value() == "Financing the oceans"
    assert form["starts_at"].value() == "2026-03-09T10:00"
    assert response.context["speakers"].forms[0]["name"].value() == "Ana Costa"
    assert Session.objects.count() == 1


def test_console_unknown_organiser_is_refused_at_the_field(event, secretariat):
    response = _client(secretariat).post(
        reverse("console:forum_session_create", args=[event.programme.slug, event.slug]),
        _session_post(organisers="nobody@example.org"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisers"] == [
        "No account uses nobody@example.org: the organisers must have signed up first."
    ]
    assert not Session.objects.exists()


def test_console_edit_shows_venue_times_and_saves(event, room, secretariat):
    session = _session(event, starts_at=at(9, 10), ends_at=at(9, 11), room=room)
    url = reverse("console:forum_session", args=[event.programme.slug, event.slug, session.pk])
    client = _client(secretariat)
    form = client.get(url).context["form"]
    assert form["starts_at"].value() == dt.datetime(2026, 3, 9, 10, 0)
    response = client.post(url, _session_post(room, title="Renamed"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.starts_at) == ("Renamed", at(9, 10))


def test_console_cancel_allowed_and_denied(event, secretariat, reviewer):
    session = _session(event)
    url = reverse(
        "console:forum_session_cancel", args=[event.programme.slug, event.slug, session.pk]
    )
    assert _client(reviewer).post(url).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    response = _client(secretariat).post(url)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_console_event_page_lists_forum_sections(event, secretariat):
    _session(event, title="Opening plenary")
    response = _client(secretariat).get(
        reverse("console:forum_event", args=[event.programme.slug, event.slug])
    )
    content = response.content.decode()
    assert "Opening plenary" in content
    assert '<ul class="forum-sections">' in content
    assert reverse("console:forum_session_create", args=[event.programme.slug, event.slug]) in (
        content
    )


# Public pages ----------------------------------------------------------------------------------


def _event_url(event: Event, query: str = "") -> str:
    url = reverse("public:event", kwargs={"programme": event.programme.slug, "event": event.slug})
    return f"{url}?{query}" if query else url


def _titles(response) -> list[str]:
    return [s.title for sessions in response.context["days"].values() for s in sessions]


@pytest.fixture
def programme_of_sessions(event, room):
    ocean = factories.ThemeFactory(programme=event.programme, slug="oceans", name="Oceans")
    org = factories.OrganisationFactory(name="Blue Planet Trust")
    a = _session(event, title="Opening plenary", starts_at=at(7, 10), room=room)
    b = _session(
        event,
        title="Ocean finance",
        kind=Session.Kind.SDG_SEGMENT,
        starts_at=at(9, 10),
        organisations=[org],
    )
    b.goals.set(Goal.objects.filter(number=14))
    b.themes.set([ocean])
    c = _session(event, title="Gender pitch", kind=Session.Kind.PITCH, starts_at=at(8, 15))
    c.goals.set(Goal.objects.filter(number=5))
    _session(event, title="Cancelled chat", status=Session.Status.CANCELLED, starts_at=at(8, 9))
    return a, b, c


def test_the_programme_page_links_its_published_events(event):
    factories.EventFactory(programme=event.programme, slug="draft", is_published=False)
    response = Client().get(reverse("public:programme", args=[event.programme.slug]))
    assert list(response.context["events"]) == [event]
    assert _event_url(event).encode() in response.content


def test_event_page_by_day_with_scheduled_sessions_only(event, programme_of_sessions):
    response = Client().get(_event_url(event))
    assert response.status_code == 200
    assert {day: [s.title for s in ss] for day, ss in response.context["days"].items()} == {
        dt.date(2026, 3, 7): ["Opening plenary"],
        dt.date(2026, 3, 8): ["Gender pitch"],
        dt.date(2026, 3, 9): ["Ocean finance"],
    }
    assert b"Cancelled chat" not in response.content


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("sdg=14", ["Ocean finance"]),
        ("sdg=5", ["Gender pitch"]),
        ("kind=pitch", ["Gender pitch"]),
        ("theme=oceans", ["Ocean finance"]),
        ("day=2026-03-07", ["Opening plenary"]),
        ("day=2026-03-09&sdg=5", []),
        ("q=blue+planet", ["Ocean finance"]),
        ("q=PLENARY", ["Opening plenary"]),
    ],
)
def test_event_page_filters(event, programme_of_sessions, query, titles):
    response = Client().get(_event_url(event, query))
    assert response.status_code == 200
    assert _titles(response) == titles


def test_an_invalid_filter_says_so(event, programme_of_sessions):
    response = Client().get(_event_url(event, "day=31-31-2026"))
    assert response.status_code == 200
    assert response.context["valid"] is False
    assert "day" in response.context["form"].errors


def test_venue_time_on_both_sides_of_the_clock_change(event, programme_of_sessions, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # the server's zone is not the venue's
    response = Client().get(_event_url(event))
    content = response.content.decode()
    # 10:00 EST (15:00 UTC) on the 7th and 10:00 EDT (14:00 UTC) on the 9th both read 10:00.
    assert '<time datetime="2026-03-07T10:00:00-05:00">10:00</time>' in content
    assert '<time datetime="2026-03-09T10:00:00-04:00">10:00</time>' in content
    assert "America/New_York" in content


def test_session_page_shows_venue_time_and_zone(event, programme_of_sessions, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    session = programme_of_sessions[1]
    session.speakers.create(name="Ana Costa", title="Minister", affiliation="Portugal")
    session.organisers.add(factories.UserFactory(first_name="Grace Hopper"))
    response = Client().get(session.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Monday 9 March 2026, 10:00" in content
    assert "America/New_York (EDT)" in content
    assert "Ana Costa" in content and "Grace Hopper" in content
    assert "Blue Planet Trust" in content and "Oceans" in content and "SDG 14" in content
    assert "This session is cancelled." not in content


def test_an_organiser_without_a_name_is_not_shown_by_e_mail(event):
    session = _session(event)
    session.organisers.add(factories.UserFactory(username="private@example.org"))
    response = Client().get(session.get_absolute_url())
    assert b"private@example.org" not in response.content


def test_a_cancelled_session_page_says_so(event):
    session = _session(event, status=Session.Status.CANCELLED)
    response = Client().get(session.get_absolute_url())
    assert response.status_code == 200
    assert b"This session is cancelled." in response.content


def test_unpublished_and_other_programmes_are_404(event):
    session = _session(event)
    other = factories.EventFactory(slug="other-forum")
    client = Client()
    # An event under another programme's address, a session under another event's.
    assert (
        client.get(reverse("public:event", args=[other.programme.slug, event.slug])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("public:session", args=[other.programme.slug, other.slug, session.pk])
        ).status_code
        == 404
    )
    Event.objects.filter(pk=event.pk).update(is_published=False)
    assert client.get(_event_url(event)).status_code == 404
    assert client.get(session.get_absolute_url()).status_code == 404
    Event.objects.filter(pk=event.pk).update(is_published=True)
    type(event.programme).objects.filter(pk=event.programme.pk).update(is_published=False)
    assert client.get(_event_url(event)).status_code == 404
    assert client.get(session.get_absolute_url()).status_code == 404


def test_event_page_queries_do_not_grow_with_sessions(event, room):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(_event_url(event)).status_code == 200
        return len(ctx.captured_queries)

    org = factories.OrganisationFactory()
    for hour in (9, 11):
        s = _session(event, starts_at=at(7, hour), room=room, organisations=[org])
        s.goals.set(Goal.objects.filter(number__in=[1, 2]))
    few = count()
    for hour in (13, 15, 17):
        for day in (8, 9):
            s = _session(event, starts_at=at(day, hour), room=room, organisations=[org])
            s.goals.set(Goal.objects.filter(number__in=[3, 4]))
    assert count() == few


def test_many_sessions_are_shown_one_day_at_a_time(event, settings, monkeypatch):
    from pledgebook.public import views_forum_schedule

    monkeypatch.setattr(views_forum_schedule, "SHOWN_AT_ONCE", 2)
    for day in (7, 8, 9):
        _session(event, title=f"Day {day} morning", starts_at=at(day, 9))
        _session(event, title=f"Day {day} afternoon", starts_at=at(day, 15))
    response = Client().get(_event_url(event))
    assert _titles(response) == ["Day 7 morning", "Day 7 afternoon"]
    assert response.context["total"] == 6
    assert [(d, n) for d, n, _q in response.context["day_links"]] == [
        (dt.date(2026, 3, 7), 2),
        (dt.date(2026, 3, 8), 2),
        (dt.date(2026, 3, 9), 2),
    ]
    second = Client().get(_event_url(event, response.context["day_links"][1][2]))
    assert _titles(second) == ["Day 8 morning", "Day 8 afternoon"]


def test_event_page_escapes_what_the_secretariat_typed(event, room):
    org = factories.OrganisationFactory(name="Tom & Jerry <Ltd>")
    _session(event, title='<script>alert("x")</script>', segment="A & B", organisations=[org])
    content = Client().get(_event_url(event)).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert "Tom &amp; Jerry &lt;Ltd&gt;" in content
    assert "A &amp; B" in content
