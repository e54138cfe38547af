"""Two people changing the same thing at once on SQLite, the database ``make run`` uses.

SQLite has no row locks, so ``select_for_update`` does nothing there.  With the project's
connection options (``transaction_mode: IMMEDIATE``, settings.py), a transaction takes the
write lock when it begins: the second of two read-then-write changes waits for the first,
then reads its result and decides on it, as with PostgreSQL's row locks.  Measured here with
two real connections (the project's own options) on a database file, the state change read
then written in each, as every ``domain`` function does."""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.http import HttpRequest, HttpResponse

if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    pytest.skip("the SQLite connection options", allow_module_level=True)


def _connection(path: str, alias: str, **options: Any) -> DatabaseWrapper:
    configured = settings.DATABASES["default"]
    settings_dict = {
        **configured,
        "NAME": path,
        "OPTIONS": {**configured.get("OPTIONS", {}), **options},
        "TEST": {},
    }
    return DatabaseWrapper(settings_dict, alias=alias)


def _decide(conn: DatabaseWrapper, decision: str, hold: float, acted: threading.Event) -> str:
    """A secretary decides a pending suggestion: read its state, then write, in one
    transaction (``hold``: seconds the first keeps it open, a slow request)."""
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute("SELECT state FROM suggestion WHERE id = 1")
        (state,) = cursor.fetchone()
        if state != "pending":
            return f"already {state}"
        cursor.execute("UPDATE suggestion SET state = %s WHERE id = 1", [decision])
        cursor.execute("INSERT INTO audit (what) VALUES (%s)", [decision])
        acted.set()
        time.sleep(hold)
    return decision


def _race(path: str, **options: Any) -> dict[str, object]:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE suggestion (id INTEGER PRIMARY KEY, state TEXT)")
        db.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)")
        db.execute("INSERT INTO suggestion VALUES (1, 'pending')")
    outcomes: dict[str, object] = {}
    first_acted = threading.Event()
    started = threading.Barrier(2, timeout=10)

    def person(name: str, decision: str, hold: float) -> None:
        conn = _connection(path, alias=f"race-{name}", **options)
        connections[conn.alias] = conn
        try:
            conn.ensure_connection()
            started.wait()
            if name == "second":
                first_acted.wait(10)
            outcomes[name] = _decide(conn, decision, hold, first_acted)
        except Exception as exc:  # reported to the test
            outcomes[name] = exc
        finally:
            conn.close()
            del connections[conn.alias]

    threads = [
        threading.Thread(target=person, args=("first", "accepted", 0.5)),
        threading.Thread(target=person, args=("second", "dismissed", 0)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with sqlite3.connect(path) as db:
        outcomes["state"] = db.execute("SELECT state FROM suggestion").fetchone()[0]
        outcomes["audit"] = [w for (w,) in db.execute("SELECT what FROM audit ORDER BY id")]
    return outcomes


def test_the_second_waits_and_is_told_what_the_first_decided(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # connections of their own, to a file of their own
        outcomes = _race(str(tmp_path / "race.sqlite3"))
    assert outcomes == {
        "first": "accepted",
        "second": "already accepted",
        "state": "accepted",
        "audit": ["accepted"],
    }


def test_without_the_setting_the_second_would_get_database_is_locked(tmp_path, django_db_blocker):
    """What the setting prevents (so the test above cannot pass by luck): a deferred
    transaction reads, then cannot write over a snapshot another writer changed."""
    with django_db_blocker.unblock():
        outcomes = _race(str(tmp_path / "race.sqlite3"), transaction_mode="DEFERRED", timeout=2)
    assert outcomes["first"] == "accepted"
    assert "database is locked" in str(outcomes["second"])
    assert outcomes["state"] == "accepted"
    assert outcomes["audit"] == ["accepted"]


def test_a_request_that_cannot_get_the_write_lock_answers_503_and_keeps_nothing(
    client, settings, tmp_path, django_db_blocker
):
    """A writer holds the lock past the connection's timeout (a large import): the person
    gets the "busy" page with Retry-After, not a server error, and nothing of theirs is kept."""
    from django.urls import path

    from pledgebook import urls as site_urls

    database = str(tmp_path / "busy.sqlite3")
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")

    def save(request: HttpRequest) -> HttpResponse:
        conn = _connection(database, alias="busy", timeout=0.2)
        connections[conn.alias] = conn
        try:
            with transaction.atomic(using="busy"), conn.cursor() as cursor:
                cursor.execute("INSERT INTO note (text) VALUES (%s)", [request.POST["text"]])
        finally:
            conn.close()
            del connections[conn.alias]
        return HttpResponse("saved")

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("save/", save), *site_urls.urlpatterns]}
    )
    importer = sqlite3.connect(database, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # the import's transaction, not committed yet
    try:
        with django_db_blocker.unblock():
            response = client.post("/save/", {"text": "mine"})
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The site is busy" in page and "nothing of what you sent was saved" in page
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM note").fetchone()[0] == 0
