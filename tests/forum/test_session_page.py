"""The public pages of an event and a session bring the forum's parts together: the session's
submitted summary, the statements selected, the button to mark it; the event's registration,
Co-Chairs' Summary and impact report links."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from pledgebook.forum.models import CoChairsSummary, Registration, SessionSummary, Statement
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    RecommendationFactory,
    SessionFactory,
    SessionSummaryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, session):
    return client.get(session.get_absolute_url()).content.decode()


def test_a_submitted_summary_and_selected_statements_are_on_the_session_page(client):
    session = SessionFactory()
    summary = SessionSummaryFactory(
        session=session,
        status=SessionSummary.Status.SUBMITTED,
        submitted_at=timezone.now(),
        key_messages="Partnerships must reach the last mile.",
        participants_in_person=120,
    )
    RecommendationFactory(summary=summary, text="Fund local health workers first.")
    organisation = OrganisationFactory(name="Coastal Voices")
    Statement.objects.create(
        session=session,
        organisation=organisation,
        title="Our statement",
        text="Oceans need finance.",
        status=Statement.Status.SELECTED,
    )
    Statement.objects.create(
        session=session,
        organisation=OrganisationFactory(name="Quiet Org"),
        title="Not chosen",
        text="Hidden.",
        status=Statement.Status.SUBMITTED,
    )

    page = _page(client, session)

    assert "Partnerships must reach the last mile." in page
    assert "Fund local health workers first." in page
    assert "Oceans need finance." in page and "Coastal Voices" in page
    assert "Hidden." not in page
    assert "120" not in page  # participation figures stay with the secretariat


def test_a_draft_summary_is_not_shown(client):
    session = SessionFactory()
    SessionSummaryFactory(session=session, key_messages="Not finished yet.")
    assert "Not finished yet." not in _page(client, session)


def test_a_registered_person_marks_an_upcoming_session_from_its_page(client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    event = EventFactory(starts_on=tomorrow, ends_on=tomorrow + dt.timedelta(days=1))
    session = SessionFactory(event=event)
    person = UserFactory()
    Registration.objects.create(
        event=event,
        user=person,
        mode=Registration.Mode.ONLINE,
        status=Registration.Status.REGISTERED,
    )
    client.force_login(person)
    assert "Add to my sessions" in _page(client, session)

    client.post(reverse("workspace:forum_mark", args=[session.pk]))

    assert "In my sessions" in _page(client, session)


def test_the_event_page_links_what_the_event_produced(client):
    event = EventFactory()
    # Yesterday where the event is (the factory's New York): the server's yesterday is still
    # today there between 00:00 and 05:00 UTC, when the event has not ended.
    venue = zoneinfo.ZoneInfo(event.time_zone)
    event.starts_on = event.ends_on = timezone.localdate(timezone=venue) - dt.timedelta(days=1)
    event.save()
    url = event.get_absolute_url()
    summary_url = reverse("public:cochairs_summary", args=[event.programme.slug, event.slug])
    impact_url = reverse("public:forum_impact", args=[event.programme.slug, event.slug])

    page = client.get(url).content.decode()
    assert impact_url in page
    assert summary_url not in page

    CoChairsSummary.objects.create(
        event=event, title="Summary", status=CoChairsSummary.Status.PUBLISHED
    )
    assert summary_url in client.get(url).content.decode()
