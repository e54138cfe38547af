"""Shared fixtures.  Tests run with the immediate task backend, so queued mail lands in
Django's outbox inside the test."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings):  # noqa: ANN001, ANN202
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def programme(db):  # noqa: ANN001, ANN201
    """A published programme with its registration window open now."""
    now = timezone.now()
    return factories.ProgrammeFactory(
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=30),
    )


@pytest.fixture
def theme(programme):  # noqa: ANN001, ANN201
    return factories.ThemeFactory(programme=programme)


@pytest.fixture
def member(theme):  # noqa: ANN001, ANN201
    """A representative whose organisation is an approved commitment maker of ``theme``."""
    return factories.member_of(theme)
