"""Shared fixtures.  Settings: ``pledgebook/settings_test.py`` (immediate tasks, so queued mail
lands in Django's outbox inside the test)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the rate limits of the sign-in and mail forms
    count there, per client address, and every test client is 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(db):
    """A published programme with its registration window open now."""
    now = timezone.now()
    return factories.ProgrammeFactory(
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=30),
    )


@pytest.fixture
def theme(programme):
    return factories.ThemeFactory(programme=programme)


@pytest.fixture
def member(theme):
    """A representative whose organisation is an approved commitment maker of ``theme``."""
    return factories.member_of(theme)
