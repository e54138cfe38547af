"""Shared fixtures.  Settings: ``pledgebook/settings_test.py`` (immediate tasks, so queued mail
lands in Django's outbox inside the test)."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from tests import factories
from tests.browser import browser  # noqa: F401  (the fixture of every browser test)
from tests.clocks import CLOCKS, parse


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default="",
        help="run every test at this instant: one of "
        + ", ".join(CLOCKS)
        + ", or an ISO 8601 instant (tests/clocks.py)",
    )


def pytest_configure(config):
    if config.getoption("--clock"):
        parse(config.getoption("--clock"))  # a wrong value stops the run before any test


def pytest_generate_tests(metafunc):
    """A test marked ``dates`` runs at the real clock and at every awkward instant, unless the
    whole run is already at one (``--clock``)."""
    if metafunc.definition.get_closest_marker("dates") and not metafunc.config.getoption("--clock"):
        metafunc.parametrize("_clock", ["now", *CLOCKS], indirect=True)


@pytest.fixture(autouse=True)
def _clock(request):
    """Moves the clock (and the current time zone) before any other fixture of the test runs,
    so the dates the fixtures compute and the dates the code computes agree."""
    name = getattr(request, "param", None) or request.config.getoption("--clock")
    if not name or name == "now":
        yield None
        return
    clock = parse(name)
    with time_machine.travel(clock.at, tick=True), override_settings(TIME_ZONE=clock.time_zone):
        yield clock


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


@pytest.fixture
def database_tasks(settings):
    """Tasks are queued in the database (django-tasks-db), as in production, instead of
    running at once: run them with a worker (``tests/core/helpers.run_worker``).  The
    worker's heartbeat thread stays idle (an hour between beats) in in-process tests."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    settings.TASKS_HEARTBEAT_SECONDS = 3600
    return settings
