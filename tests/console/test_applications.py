"""The application queue and the decision on one application."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pledgebook.commitments.models import Application
from pledgebook.core.models import AuditEntry
from tests import factories
from tests.console.conftest import (
    PERSONAS,
    REVIEWER,
    SECRETARIAT,
    SECRETARIAT_ONLY,
    World,
    assert_outcome,
    client_for,
    overdue_application,
)

# Dates decide what these tests check: they also run at the awkward instants of tests/clocks.py.
pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DECIDERS = {**SECRETARIAT_ONLY, SECRETARIAT: 302}


def _state(application: Application) -> tuple[Any, ...]:
    application.refresh_from_db()
    return (
        application.status,
        application.decided_by_id,
        application.decided_at,
        application.decision_reason,
    )


# The queue -------------------------------------------------------------------------------


def test_queue_lists_pending_applications_by_due_date_and_flags_overdue(world: World) -> None:
    now = timezone.now()
    late = overdue_application(world.theme, days_late=3)
    later = factories.ApplicationFactory(
        theme=world.theme, submitted_at=now, due_at=now + dt.timedelta(days=30)
    )
    soon = factories.ApplicationFactory(
        theme=world.theme, submitted_at=now, due_at=now + dt.timedelta(hours=1)
    )
    factories.ApplicationFactory(theme=world.theme, status=Application.Status.APPROVED)

    response = client_for(world, SECRETARIAT).get(world.url("console:applications"))

    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [a.pk for a in rows] == [late.pk, soon.pk, world.application.pk, later.pk]
    assert [a.is_overdue for a in rows] == [True, False, False, False]
    html = response.content.decode()
    assert html.count('<strong class="badge bad overdue">Overdue</strong>') == 1
    assert "4 applications, earliest due first" in html
    assert world.other_application.organisation.name not in html


def test_queue_filters_by_theme_and_status(world: World) -> None:
    second = factories.ThemeFactory(programme=world.programme)
    in_second = factories.ApplicationFactory(theme=second)
    approved = factories.ApplicationFactory(theme=second, status=Application.Status.APPROVED)
    client = client_for(world, REVIEWER)

    def listed(**params: Any) -> list[int]:
        response = client.get(world.url("console:applications"), params)
        assert response.status_code == 200
        return [a.pk for a in response.context["page"].object_list]

    assert listed(theme=second.pk) == [in_second.pk]
    assert listed(theme=second.pk, status="approved") == [approved.pk]
    assert sorted(listed(status="all")) == sorted([world.application.pk, in_second.pk, approved.pk])
    assert listed(status="declined") == []


def test_queue_filters_overdue_only(world: World) -> None:
    late = overdue_application(world.theme)
    response = client_for(world, SECRETARIAT).get(
        world.url("console:applications"), {"overdue": "on"}
    )
    assert [a.pk for a in response.context["page"].object_list] == [late.pk]


def test_queue_rejects_a_theme_of_another_programme_as_filter(world: World) -> None:
    response = client_for(world, SECRETARIAT).get(
        world.url("console:applications"), {"theme": world.other_theme.pk}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["theme"]
    assert [a.pk for a in response.context["page"].object_list] == [world.application.pk]


def test_application_queue_queries_do_not_grow_with_rows(world: World) -> None:
    """1 and 3 applications, each in its own theme and organisation: same number of queries."""
    client = client_for(world, SECRETARIAT)
    url = world.url("console:applications")
    client.get(url)  # warm up the session

    def queries(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(response.context["page"].object_list) == expected_rows
        return len(captured)

    one = queries(1)
    for _ in range(2):
        factories.ApplicationFactory(theme=factories.ThemeFactory(programme=world.programme))
    assert queries(3) == one


# Deciding --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_approve(world: World, persona: str) -> None:
    application = world.application
    before, audits = _state(application), AuditEntry.objects.count()
    url = world.url("console:application", pk=application.pk)

    response = client_for(world, persona).post(url, {"decision": "approve", "reason": ""})

    assert_outcome(response, DECIDERS[persona], url)
    if DECIDERS[persona] == 302:
        assert response.url == world.url("console:applications")
        status, decided_by, decided_at, reason = _state(application)
        assert (status, decided_by, reason) == ("approved", world.people[SECRETARIAT].pk, "")
        assert decided_at is not None
        assert AuditEntry.objects.count() == audits + 1
        assert AuditEntry.objects.first().action == "application.approved"
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject == f"Welcome to {application.theme.name}"
    else:
        assert _state(application) == before
        assert AuditEntry.objects.count() == audits
        assert mail.outbox == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_decline_with_reason(world: World, persona: str) -> None:
    application = world.application
    before, audits = _state(application), AuditEntry.objects.count()
    url = world.url("console:application", pk=application.pk)

    response = client_for(world, persona).post(
        url, {"decision": "decline", "reason": "  Outside the theme's scope.  "}
    )

    assert_outcome(response, DECIDERS[persona], url)
    if DECIDERS[persona] == 302:
        status, _by, _at, reason = _state(application)
        assert (status, reason) == ("declined", "Outside the theme's scope.")
        entry = AuditEntry.objects.first()
        assert (entry.action, entry.reason) == ("application.declined", reason)
        assert AuditEntry.objects.count() == audits + 1
        assert len(mail.outbox) == 1
        assert "Outside the theme's scope." in mail.outbox[0].body
    else:
        assert _state(application) == before
        assert AuditEntry.objects.count() == audits
        assert mail.outbox == []


def test_decline_without_reason_shows_the_error_at_the_field(world: World) -> None:
    application = world.application
    audits = AuditEntry.objects.count()
    url = world.url("console:application", pk=application.pk)

    response = client_for(world, SECRETARIAT).post(url, {"decision": "decline", "reason": " "})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Give the applicant a reason for declining."]
    }
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert _state(application)[0] == "pending"
    assert AuditEntry.objects.count() == audits
    assert mail.outbox == []


def test_a_decided_application_cannot_be_decided_again(world: World) -> None:
    application = world.application
    client = client_for(world, SECRETARIAT)
    url = world.url("console:application", pk=application.pk)
    client.post(url, {"decision": "approve"})
    audits = AuditEntry.objects.count()

    response = client.post(url, {"decision": "decline", "reason": "Changed our mind"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This application has already been decided."
    ]
    assert _state(application)[0] == "approved"
    assert AuditEntry.objects.count() == audits


def test_decision_without_choice_is_a_field_error(world: World) -> None:
    url = world.url("console:application", pk=world.application.pk)
    response = client_for(world, SECRETARIAT).post(url, {"reason": "x"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["decision"]
    assert _state(world.application)[0] == "pending"


def test_application_of_another_programme_is_404_and_unchanged(world: World) -> None:
    other = world.other_application
    before, audits = _state(other), AuditEntry.objects.count()
    url = world.url("console:application", pk=other.pk)

    response = client_for(world, SECRETARIAT).post(url, {"decision": "approve"})

    assert response.status_code == 404
    assert _state(other) == before
    assert AuditEntry.objects.count() == audits


def test_reviewers_see_the_application_but_no_decision_form(world: World) -> None:
    url = world.url("console:application", pk=world.application.pk)
    html = client_for(world, REVIEWER).get(url).content.decode()
    assert world.application.organisation.name in html
    assert 'name="decision"' not in html
    assert "The secretariat decides applications." in html
    html = client_for(world, SECRETARIAT).get(url).content.decode()
    assert 'name="decision"' in html
