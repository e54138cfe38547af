"""Task workers: heartbeats, and recovery of the tasks a dead worker left running.

django-tasks-db marks a task RUNNING when a worker claims it, and SUCCESSFUL or FAILED when the
task returns or raises.  A worker that dies in between (``kill -9``, the kernel's OOM killer, a
machine that stops, the autoreloader of ``make run`` restarting on a code change) leaves the
task RUNNING for ever: the library (0.13) has no lease, no timeout and no retry.  So core's
``manage.py db_worker`` (``core/management/commands/db_worker.py``, which replaces the
library's command of the same name) adds:

* a heartbeat: each worker has a :class:`~pledgebook.core.models.WorkerHeartbeat` row, renewed
  every ``TASKS_HEARTBEAT_SECONDS`` (10) by a thread of its own, so also while a long task runs;
* recovery (:func:`recover`), when a worker starts and every ``TASKS_RECOVERY_SECONDS`` (30):
  a RUNNING task whose worker has not beaten for ``TASKS_STALE_SECONDS`` (60) was interrupted.
  It is queued again (READY) if it has run fewer than ``TASKS_MAX_ATTEMPTS`` (3) times (the
  library appends a worker id to ``worker_ids`` at each run, so that list counts the runs), and
  otherwise marked FAILED with the error :class:`WorkerLost`.  Tasks are written to be safe to
  run twice, so running an interrupted one again is safe.  :data:`task_interrupted` tells the
  owner of the task (the annual report shows "queued again" or "failed");
* periodic checks other apps register (:func:`register_check`): similarity queues a batch when
  items wait to be indexed and no task is queued for them.

A task claimed by a worker that keeps no heartbeat (another version of the command) counts as
interrupted once it has run for ``TASKS_STALE_SECONDS``: run only this command.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.dispatch import Signal
from django.utils import timezone

from pledgebook.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: Sent after recovery dealt with a task left running by a dead worker, with ``task_result``
#: (django-tasks' TaskResult, as it now is) and ``retried``: True if it was queued again,
#: False if it was marked failed.  A failed one also gets django-tasks' ``task_finished``, as a
#: task that raises does.
task_interrupted = Signal()

#: How long a worker that is not heard of stays listed (its row is then deleted).
FORGET_AFTER = dt.timedelta(days=1)


class WorkerLost(Exception):
    """The error recorded for a task whose worker stopped while running it, too often."""


def heartbeat_seconds() -> float:
    return float(settings.TASKS_HEARTBEAT_SECONDS)


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(settings.TASKS_STALE_SECONDS))


def recovery_seconds() -> float:
    return float(settings.TASKS_RECOVERY_SECONDS)


def max_attempts() -> int:
    return max(1, int(settings.TASKS_MAX_ATTEMPTS))


# Heartbeats ------------------------------------------------------------------------------------


def register(worker_id: str, queues: str) -> None:
    """Write the worker's heartbeat row.  Single statements, no read-then-write transaction:
    on SQLite (WAL) such a transaction fails at once with "database is locked" when another
    process wrote meanwhile, where a single statement waits for the lock."""
    now = timezone.now()
    fields = {
        "hostname": socket.gethostname()[:255],
        "pid": os.getpid(),
        "queues": queues[:200],
        "started_at": now,
        "beat_at": now,
    }
    if not WorkerHeartbeat.objects.filter(pk=worker_id).update(**fields):
        WorkerHeartbeat.objects.create(worker_id=worker_id, **fields)


def beat(worker_id: str, queues: str = "") -> None:
    """Renew the worker's heartbeat (its row is written again if recovery removed it)."""
    if not WorkerHeartbeat.objects.filter(pk=worker_id).update(beat_at=timezone.now()):
        register(worker_id, queues)


def unregister(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).delete()


def quietly(action: Callable[[], object], what: str, *, tries: int = 3) -> None:
    """Run a bookkeeping ``action`` of the worker, trying again on a database error (a locked
    SQLite database) and logging the last failure instead of raising it: the worker goes on
    without it (a heartbeat missed is written again by the next beat).

    Each try after a failure starts on a new connection: a stop signal (SIGTERM) may have
    interrupted a statement midway, and PostgreSQL's connection is then unusable ("another
    command is already in progress"), so the stopping worker's heartbeat row was left behind."""
    for attempt in range(1, tries + 1):
        try:
            action()
            return
        except DatabaseError:
            if attempt == tries:
                logger.exception("worker: %s failed", what)
                return
            _drop_connection()
            time.sleep(0.5 * attempt)


def _drop_connection() -> None:
    """Close this thread's connection however broken it is; Django opens a new one when it is
    next used."""
    try:
        connection.close()
    except Exception:  # the connection was broken: it is dropped all the same
        logger.debug("worker: closing a broken connection", exc_info=True)


@contextmanager
def beating(callback: Callable[[], object], *, every: float) -> Iterator[None]:
    """Call ``callback`` every ``every`` seconds from a thread of its own while the block
    runs (a heartbeat that goes on while the block is busy in a long computation).  Errors of
    the callback are logged, never raised.  The thread has its own database connection."""
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(every):
                try:
                    callback()
                except Exception:
                    logger.exception("heartbeat failed")
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class Ticker:
    """What a worker's heartbeat thread does: beat every time, run the checks every
    ``TASKS_RECOVERY_SECONDS``."""

    def __init__(self, worker_id: str, queues: str) -> None:
        self.worker_id = worker_id
        self.queues = queues
        self.next_check = time.monotonic() + recovery_seconds()

    def __call__(self) -> None:
        beat(self.worker_id, self.queues)
        if time.monotonic() >= self.next_check:
            self.next_check = time.monotonic() + recovery_seconds()
            run_checks()


# Recovery --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovered:
    task_id: str
    task_path: str
    attempts: int  # runs so far, the interrupted one included
    retried: bool


def recover(*, now: dt.datetime | None = None) -> list[Recovered]:
    """Queue again (or fail, after ``TASKS_MAX_ATTEMPTS`` runs) every task left RUNNING by a
    worker that has not beaten for ``TASKS_STALE_SECONDS``.  Safe to run in several workers
    at once: each task is re-read under the library's exclusive lock before it is changed."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    limit = now - stale_after()
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    lost = [
        pk
        for pk, worker_ids, started_at in DBTaskResult.objects.filter(status="RUNNING").values_list(
            "pk", "worker_ids", "started_at"
        )
        if _last_seen(beats, worker_ids, started_at) < limit
    ]
    recovered = [found for pk in lost if (found := _recover_one(pk, limit, now)) is not None]
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
    return recovered


def _last_seen(
    beats: dict[str, dt.datetime], worker_ids: list[str], started_at: dt.datetime | None
) -> dt.datetime:
    """When the worker running a task was last heard of: its heartbeat, or (a worker that
    keeps none) when it started the task."""
    worker_id = worker_ids[-1] if worker_ids else None
    seen = beats.get(worker_id) if worker_id else None
    return seen or started_at or dt.datetime.min.replace(tzinfo=dt.UTC)


def _recover_one(pk: Any, limit: dt.datetime, now: dt.datetime) -> Recovered | None:
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    with exclusive_transaction(DBTaskResult.objects.db):
        result = DBTaskResult.objects.select_for_update().filter(pk=pk, status="RUNNING").first()
        if result is None:
            return None  # finished meanwhile
        beats = dict(
            WorkerHeartbeat.objects.filter(pk__in=result.worker_ids[-1:]).values_list(
                "worker_id", "beat_at"
            )
        )
        if _last_seen(beats, result.worker_ids, result.started_at) >= limit:
            return None  # its worker beat meanwhile
        attempts = len(result.worker_ids)
        retried = attempts < max_attempts()
        if retried:
            result.status = "READY"
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
        else:
            result.status = "FAILED"
            result.finished_at = now
            result.return_value = None
            result.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            result.traceback = (
                f"{WorkerLost.__qualname__}: the worker stopped while running this task "
                f"({attempts} runs, the limit is TASKS_MAX_ATTEMPTS={max_attempts()})\n"
            )
            result.save(
                update_fields=[
                    "status",
                    "finished_at",
                    "return_value",
                    "exception_class_path",
                    "traceback",
                ]
            )
        WorkerHeartbeat.objects.filter(pk__in=result.worker_ids[-1:], beat_at__lt=limit).delete()
    logger.warning(
        "task %s (%s) was left running by a stopped worker: %s",
        result.pk,
        result.task_path,
        f"queued again (run {attempts + 1} of {max_attempts()})" if retried else "failed",
    )
    _announce(result, retried)
    return Recovered(str(result.pk), result.task_path, attempts, retried)


def _announce(result: object, retried: bool) -> None:
    from django_tasks.signals import task_finished

    try:
        task_result = result.task_result  # type: ignore[attr-defined]
        sender = type(task_result.task.get_backend())
    except Exception:  # the task's code is gone (ImportError) or invalid
        logger.exception("cannot announce the recovery of task %s", getattr(result, "pk", "?"))
        return
    signals = [(task_interrupted, {"retried": retried})]
    if not retried:
        signals.append((task_finished, {}))
    for signal, extra in signals:
        for receiver, error in signal.send_robust(sender=sender, task_result=task_result, **extra):
            if isinstance(error, Exception):
                logger.error(
                    "recovery of task %s: %r failed",
                    task_result.id,
                    receiver,
                    exc_info=(type(error), error, error.__traceback__),
                )


# Periodic checks -------------------------------------------------------------------------------

_checks: list[Callable[[], object]] = []


def register_check(check: Callable[[], object]) -> None:
    """Have every worker call ``check()`` when it starts and every
    ``TASKS_RECOVERY_SECONDS`` (from ``AppConfig.ready``).  It must be quick and safe to run
    in several workers at once."""
    if check not in _checks:
        _checks.append(check)


def run_checks() -> None:
    """Recovery, then the registered checks; an error is logged and the others still run."""
    checks: list[Callable[[], object]] = [recover, *_checks]
    for check in checks:
        try:
            check()
        except Exception:
            logger.exception("worker check %s failed", getattr(check, "__name__", check))
