"""A request's database statement past ``statement_timeout`` is stopped by PostgreSQL and the
person gets a 503 page saying so, with nothing of the request kept; the app servers set the
timeout (deploy/gunicorn.conf.py), the task worker and the commands do not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from pledgebook import urls as site_urls
from pledgebook.organisations.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db
REPOSITORY = Path(__file__).resolve().parents[2]


def slow(request: HttpRequest) -> HttpResponse:
    """Saves an organisation, then runs a statement longer than the timeout."""
    with transaction.atomic():
        factories.OrganisationFactory(name="Kept only if the request ended")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


urlpatterns = [path("slow/", slow), *site_urls.urlpatterns]


def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")


def test_a_statement_past_the_timeout_answers_503_and_keeps_nothing(client, settings):
    _postgresql()
    settings.ROOT_URLCONF = __name__
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 200")  # undone with the test's transaction
    response = client.get("/slow/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "This page took too long" in page and "nothing was changed" in page
    assert not Organisation.objects.filter(name="Kept only if the request ended").exists()


def test_other_database_errors_stay_server_errors(rf):
    from django.db import OperationalError

    from pledgebook.core.middleware import QueryTimeoutMiddleware

    middleware = QueryTimeoutMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(rf.get("/"), OperationalError("locked")) is None
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None


def test_the_app_servers_set_the_timeout_and_the_commands_do_not():
    _postgresql()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT_MS"}
    shown = "from django.db import connection; c = connection.cursor(); " + (
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    conf = (
        "import os, runpy; runpy.run_path('deploy/gunicorn.conf.py'); "
        "print(os.environ['DATABASE_STATEMENT_TIMEOUT_MS'])"
    )

    def run(*args: str, **extra: str) -> str:
        out = subprocess.run(
            [sys.executable, *args],
            cwd=REPOSITORY,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return out.stdout.strip().splitlines()[-1]

    assert run("-c", conf) == "30000"
    assert run("-c", conf, GUNICORN_TIMEOUT="20") == "15000"
    assert run("manage.py", "shell", "-c", shown) == "0"  # a command: no timeout
    with_timeout = run("manage.py", "shell", "-c", shown, DATABASE_STATEMENT_TIMEOUT_MS="30000")
    assert with_timeout == "30s"
