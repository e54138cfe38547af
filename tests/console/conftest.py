"""Fixtures for the console: two programmes, each with a theme, an action, a pending
application and a submitted commitment, and the five kinds of person the console meets."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import Application, Commitment
from pledgebook.programmes.models import Action, Programme, ProgrammeRole, Theme
from tests import factories

User = get_user_model()

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
OTHER_REVIEWER = "other_reviewer"
REVIEWER = "reviewer"
SECRETARIAT = "secretariat"
PERSONAS = (ANONYMOUS, NO_ROLE, OTHER_REVIEWER, REVIEWER, SECRETARIAT)

LOGIN = "login"  # expected outcome: redirected to the login page
#: Who may open what: the console's readers (reviewers and secretariat) ...
READERS = {ANONYMOUS: LOGIN, NO_ROLE: 403, OTHER_REVIEWER: 403, REVIEWER: 200, SECRETARIAT: 200}
#: ... and the secretariat only.
SECRETARIAT_ONLY = {**READERS, REVIEWER: 403}


@dataclass
class World:
    programme: Programme
    theme: Theme
    action: Action
    application: Application
    commitment: Commitment
    other: Programme
    other_theme: Theme
    other_action: Action
    other_application: Application
    other_commitment: Commitment
    people: dict[str, Any]

    def url(self, name: str, programme: Programme | None = None, **kwargs: Any) -> str:
        slug = (programme or self.programme).slug
        return reverse(name, kwargs={"programme": slug, **kwargs})


def _submitted(theme: Theme, **kwargs: Any) -> Commitment:
    return factories.CommitmentFactory(
        theme=theme,
        status=Commitment.Status.SUBMITTED,
        submitted_at=kwargs.pop("submitted_at", timezone.now()),
        **kwargs,
    )


@pytest.fixture
def world(programme: Programme) -> World:
    theme = factories.ThemeFactory(programme=programme)
    other = factories.ProgrammeFactory()
    other_theme = factories.ThemeFactory(programme=other)
    people = {
        ANONYMOUS: None,
        NO_ROLE: factories.UserFactory(),
        OTHER_REVIEWER: factories.staff(other, ProgrammeRole.Role.REVIEWER),
        REVIEWER: factories.staff(programme, ProgrammeRole.Role.REVIEWER),
        SECRETARIAT: factories.staff(programme, ProgrammeRole.Role.SECRETARIAT),
    }
    application = factories.ApplicationFactory(theme=theme)
    factories.representative(application.organisation)
    return World(
        programme=programme,
        theme=theme,
        action=factories.ActionFactory(theme=theme),
        application=application,
        commitment=_submitted(theme, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2028, 12, 31)),
        other=other,
        other_theme=other_theme,
        other_action=factories.ActionFactory(theme=other_theme),
        other_application=factories.ApplicationFactory(theme=other_theme),
        other_commitment=_submitted(other_theme),
        people=people,
    )


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.people[persona]
    if user is not None:
        client.force_login(user)
    return client


def assert_outcome(response: Any, expected: Any, url: str) -> None:
    """``expected`` is ``LOGIN`` (anonymous, sent to log in) or an HTTP status code."""
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={quote(url)}"
    else:
        assert response.status_code == expected


def overdue_application(theme: Theme, days_late: int = 1, **kwargs: Any) -> Application:
    submitted = timezone.now() - dt.timedelta(days=21 + days_late)
    return factories.ApplicationFactory(theme=theme, submitted_at=submitted, **kwargs)
