"""Recovery of tasks left running by a dead worker (issue 9, 3.3): a task whose worker has not
beaten for TASKS_STALE_SECONDS is queued again, or failed after TASKS_MAX_ATTEMPTS runs; the
annual report it was generating says so.  (A real worker killed with SIGKILL:
test_worker_crash.py.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pledgebook.core import workers
from pledgebook.core.models import AuditEntry, WorkerHeartbeat
from pledgebook.core.tasks import send_email
from pledgebook.reporting import domain
from pledgebook.reporting.models import AnnualReport
from tests.core.helpers import run_worker
from tests.reporting.test_annual import make_world

# Committed, as in production: the worker loop closes and reopens its connection
# (close_old_connections), which a test inside one transaction would not survive on
# PostgreSQL.  serialized_rollback keeps the reference data (countries) for later tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _tasks(database_tasks: Any, settings: Any, tmp_path: Any) -> None:
    settings.TASKS_STALE_SECONDS = 60
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.MEDIA_ROOT = tmp_path / "media"


def ago(seconds: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def worker(worker_id: str, *, beat: float) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="host",
        pid=1,
        queues="*",
        started_at=ago(3600),
        beat_at=ago(beat),
    )


def claimed(task_result: Any, *worker_ids: str, started: float = 120) -> DBTaskResult:
    """The queued task as a worker leaves it when it dies while running it."""
    DBTaskResult.objects.filter(pk=task_result.id).update(
        status="RUNNING", worker_ids=list(worker_ids), started_at=ago(started)
    )
    return DBTaskResult.objects.get(pk=task_result.id)


def mail() -> Any:
    return send_email.enqueue(to=["a@example.org"], subject="Hello", body="Hi")


def test_a_task_of_a_dead_worker_is_queued_again_and_then_runs() -> None:
    worker("dead", beat=90)
    task = claimed(mail(), "dead")

    recovered = workers.recover()

    assert recovered == [
        workers.Recovered(str(task.pk), "pledgebook.core.tasks.send_email", 1, True)
    ]
    task.refresh_from_db()
    assert (task.status, task.started_at, task.worker_ids) == ("READY", None, ["dead"])
    assert not WorkerHeartbeat.objects.filter(pk="dead").exists()

    run_worker()
    task.refresh_from_db()
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", ["dead", "test-worker"])


def test_a_task_interrupted_too_often_fails_with_the_reason() -> None:
    worker("dead", beat=90)
    task = claimed(mail(), "first", "second", "dead")

    assert [r.retried for r in workers.recover()] == [False]

    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.finished_at is not None
    assert task.exception_class_path == "pledgebook.core.workers.WorkerLost"
    assert task.traceback == (
        "WorkerLost: the worker stopped while running this task "
        "(3 runs, the limit is TASKS_MAX_ATTEMPTS=3)\n"
    )


def test_a_task_of_a_live_worker_is_left_running() -> None:
    worker("alive", beat=5)
    task = claimed(mail(), "alive", started=3600)  # a long task, its worker beating

    assert workers.recover() == []
    task.refresh_from_db()
    assert task.status == "RUNNING"


@pytest.mark.parametrize(("started", "status"), [(10, "RUNNING"), (300, "READY")])
def test_without_a_heartbeat_the_start_of_the_task_counts(started: int, status: str) -> None:
    task = claimed(mail(), "no-heartbeat-kept", started=started)

    workers.recover()

    task.refresh_from_db()
    assert task.status == status


def test_workers_not_heard_of_for_a_day_are_forgotten() -> None:
    worker("gone", beat=2 * 86400)
    worker("alive", beat=1)

    workers.recover()

    assert list(WorkerHeartbeat.objects.values_list("pk", flat=True)) == ["alive"]


# The annual report ---------------------------------------------------------------------------


def dead_at_10_percent(report: AnnualReport, *worker_ids: str) -> DBTaskResult:
    """The report's worker died while it drew the charts."""
    worker(worker_ids[-1], beat=90)
    task = DBTaskResult.objects.get(task_path__endswith="generate_annual_report")
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.RUNNING,
        progress=10,
        step="Drawing the charts",
        heartbeat_at=ago(90),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", worker_ids=list(worker_ids), started_at=ago(100)
    )
    return task


def test_a_report_whose_worker_died_is_queued_again_then_generated() -> None:
    world = make_world()
    report = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    assert report.status == AnnualReport.Status.QUEUED
    dead_at_10_percent(report, "dead")

    workers.recover()

    report.refresh_from_db()
    assert (report.status, report.progress, report.step) == (
        "queued",
        0,
        "Interrupted: queued again",
    )
    assert AuditEntry.objects.filter(action="annual_report.requeued", object_id=report.pk).exists()
    run_worker()
    report.refresh_from_db()
    assert (report.status, report.progress) == ("done", 100)
    assert report.pdf.name and report.docx.name


def test_a_report_interrupted_too_often_fails_and_can_be_asked_again() -> None:
    world = make_world()
    report = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    task = dead_at_10_percent(report, "w1", "w2", "dead")

    workers.recover()

    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (
        "failed",
        10,
        "Interrupted: the task worker stopped, too often.",
    )
    task.refresh_from_db()
    assert task.status == "FAILED"
    again = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    assert again.pk != report.pk
    assert again.status == AnnualReport.Status.QUEUED


def test_unregistering_after_a_broken_connection_tries_again_on_a_new_one(monkeypatch) -> None:
    """A stop signal that interrupts a statement leaves PostgreSQL's connection unusable
    ("another command is already in progress": seen in CI, the stopping worker's row stayed).
    The bookkeeping's next try opens a new connection, and the row is removed."""
    from django.db import OperationalError, connection

    monkeypatch.setattr(workers.time, "sleep", lambda seconds: None)
    workers.register("stopping", "default")
    used: list[object] = []

    def unregister_once_broken() -> None:
        connection.ensure_connection()
        used.append(connection.connection)
        if len(used) == 1:
            raise OperationalError("sending query failed: another command is already in progress")
        workers.unregister("stopping")

    workers.quietly(unregister_once_broken, "unregistering")
    assert len(used) == 2
    # The second try ran on a new connection (an in-memory SQLite database, the tests' own,
    # lives in its one connection: Django never closes it).
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    assert (used[0] is used[1]) if in_memory else (used[0] is not used[1])
    assert not WorkerHeartbeat.objects.filter(pk="stopping").exists()
