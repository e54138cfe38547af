"""A real worker process killed with SIGKILL while it generates the annual report (issue 9,
3.3), then a worker started again: the report ends ready (the task is run again) or failed
with "Generate again" (when no run is left), never "Generating" for ever.

The database is shared with the worker processes: on PostgreSQL the test database itself (the
test commits, ``transaction=True``); on SQLite, whose test database lives in this process's
memory, a copy of it in a file that the workers use and the test reads."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings

from pledgebook.reporting import domain
from pledgebook.reporting.models import AnnualReport
from tests.reporting.test_annual import make_world

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "background"]}
}


class SharedDatabase:
    def __init__(self, tmp_path: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "shared.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(self.path)) as target:
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            login = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
            self.url = f"postgres://{login}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"

    def one(self, sql: str, *params: Any) -> tuple[Any, ...]:
        if self.sqlite:
            with closing(sqlite3.connect(self.path, timeout=30)) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchone()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


def wait_for(condition: Callable[[], bool], *, seconds: float, what: str, proc: Any) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the worker exited ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} after {seconds} s")
        time.sleep(0.2)


@contextmanager
def started(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("attempts", "ends"), [("3", "done"), ("1", "failed")])
def test_a_worker_killed_mid_report_leaves_no_report_running(
    tmp_path: Path, attempts: str, ends: str
) -> None:
    world = make_world()
    with override_settings(TASKS=DATABASE_TASKS):
        report = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    db = SharedDatabase(tmp_path)
    paused = tmp_path / "paused"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "DATABASE_URL": db.url,
        "DEBUG": "0",
        "PAUSED_FILE": str(paused),
        "TASKS_HEARTBEAT_SECONDS": "0.3",
        "TASKS_STALE_SECONDS": "2",
        "TASKS_RECOVERY_SECONDS": "0.5",
        "TASKS_MAX_ATTEMPTS": attempts,
    }
    report_row = "SELECT status, progress, error FROM reporting_annualreport WHERE id = %s"
    task_row = (
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'pledgebook.reporting.tasks.generate_annual_report'"
    )

    with started(["-m", "tests.core.pausing_worker"], env, tmp_path / "first.log") as first:
        wait_for(paused.exists, seconds=180, what="report at 10 %", proc=first)
        assert db.one(report_row, report.pk) == ("running", 10, "")
        assert db.one(task_row)[0] == "RUNNING"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    # What the issue saw: the dead worker leaves both "running".
    assert db.one(report_row, report.pk) == ("running", 10, "")
    assert db.one(task_row)[0] == "RUNNING"

    args = ["manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
    with started(args, env, tmp_path / "second.log") as second:
        wait_for(
            lambda: db.one(report_row, report.pk)[0] == ends,
            seconds=300,
            what=f"report {ends}",
            proc=second,
        )
        if ends == "done":
            wait_for(
                lambda: db.one(task_row)[0] == "SUCCESSFUL",
                seconds=30,
                what="task done",
                proc=second,
            )
    log = (tmp_path / "second.log").read_text()

    status, progress, error = db.one(report_row, report.pk)
    task_status, worker_ids = db.one(task_row)
    if ends == "done":
        assert (status, progress, error) == ("done", 100, "")
        assert task_status == "SUCCESSFUL"
        assert "(pledgebook.reporting.tasks.generate_annual_report) was left running" in log
        assert "queued again (run 2 of 3)" in log
    else:
        assert (status, progress) == ("failed", 10)
        assert error == "Interrupted: the task worker stopped, too often."
        assert task_status == "FAILED"
    runs = json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids
    assert len(runs) == (2 if ends == "done" else 1)
    # Both workers are gone from the heartbeats: the dead one removed by the recovery, the
    # second one by its clean stop (SIGTERM).
    assert db.one("SELECT COUNT(*) FROM core_workerheartbeat") == (0,)
    if ends == "failed" and not db.sqlite:
        # "Generate again" makes a new report: the failed one holds nothing back.
        with override_settings(TASKS=DATABASE_TASKS):
            again = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
        assert again.pk != report.pk
        assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.FAILED
