"""The backlog of indexing: objects whose text must be (re)embedded, worked through in batches.

Embedding costs 0.3-1 s of CPU a text, so indexing 288 imported coalitions one task each kept
the only worker busy for minutes while mail and reports waited behind (issue 9, 2.9).  Now:

* a change of text marks the object in the backlog (:func:`mark`, an ``IndexRequest`` row,
  inside the change's transaction) and queues one ``tasks.index_pending`` unless one is
  already waiting (``core.tasks.enqueue_once``): an import of 288 queues one task;
* each run of the task embeds at most ``SIMILARITY_BATCH_SIZE`` (32) objects and stops after
  ``SIMILARITY_BATCH_SECONDS`` (10) (:func:`run_batch`), then queues its successor while some
  remain.  It runs at low priority on the "background" queue, so a mail queued meanwhile runs
  next, after at most one batch;
* nothing is lost when a worker dies mid-batch: an object leaves the backlog only once its
  vector is stored, and the workers' periodic check (:func:`needs_a_run`) queues a batch when
  the backlog has no task;
* an object marked again while its batch runs stays in the backlog (its ``queued_at``
  changed), so the newest text is what ends up embedded;
* an object tried ``MAX_ATTEMPTS`` times (its batch died each time) is given up with an error,
  so one bad text cannot block the rest;
* done rows stay until the backlog is empty, so :func:`progress` can say "120 of 288"; rows
  given up stay until their object is marked again, so that they are counted as failed.

The text is read from the kind's registered source when the batch runs (``engine.
register_text_source``), never a copy from when the change was made.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from pledgebook.similarity import engine
from pledgebook.similarity.models import IndexRequest, Vector

#: Texts embedded in one model call, between two looks at the clock.
CHUNK = 8
#: Runs of a batch an object may be part of before it is given up (a batch that dies each
#: time it reaches this object).
MAX_ATTEMPTS = 3


def batch_size() -> int:
    return max(1, int(getattr(settings, "SIMILARITY_BATCH_SIZE", 32)))


def batch_seconds() -> float:
    return float(getattr(settings, "SIMILARITY_BATCH_SECONDS", 10.0))


@dataclass(frozen=True)
class Progress:
    done: int  # indexed since the backlog was last empty
    total: int  # done and still to do
    failed: int  # given up (kept until the object is marked again)

    @property
    def remaining(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


@dataclass(frozen=True)
class BatchResult:
    indexed: int
    failed: int
    remaining: int


def mark(kind: str, object_ids: Iterable[int], *, scope: int | None = None) -> int:
    """Put objects in the backlog (again: an object already there is queued anew).  ``scope``
    says whose progress they count in (a programme's id).  Returns how many were marked."""
    engine._check_kind(kind)
    now = timezone.now()
    rows = [
        IndexRequest(kind=kind, object_id=int(object_id), scope=scope, queued_at=now)
        for object_id in sorted({int(i) for i in object_ids})
    ]
    IndexRequest.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["scope", "queued_at", "attempts", "done_at", "error"],
    )
    return len(rows)


def todo() -> QuerySet[IndexRequest]:
    return IndexRequest.objects.filter(done_at__isnull=True)


def needs_a_run() -> bool:
    return todo().exists()


def progress(*, scope: int | None = None) -> Progress:
    """Indexing since the backlog was last empty, of one scope (or of all)."""
    rows = IndexRequest.objects.all()
    if scope is not None:
        rows = rows.filter(scope=scope)
    counts = rows.aggregate(
        total=Count("pk", filter=Q(error="")),
        done=Count("pk", filter=Q(done_at__isnull=False, error="")),
        failed=Count("pk", filter=~Q(error="")),
    )
    return Progress(done=counts["done"], total=counts["total"], failed=counts["failed"])


def not_indexed(kind: str, objects: QuerySet) -> int:
    """How many of ``objects`` (a queryset of the kind's model) a search cannot find as they
    are now: in the backlog, or without a vector of the current model at all."""
    waiting = todo().filter(kind=kind).values("object_id")
    indexed = Vector.objects.filter(kind=kind, model_id=engine.model_id()).values("object_id")
    return objects.filter(Q(pk__in=waiting) | ~Q(pk__in=indexed)).count()


def run_batch(*, limit: int | None = None, seconds: float | None = None) -> BatchResult:
    """Index the oldest objects of the backlog: at most ``limit``, and no new chunk of
    :data:`CHUNK` after ``seconds``.  When the backlog is then empty its done rows are
    cleared (progress starts again from 0 of n; rows given up stay)."""
    limit = limit or batch_size()
    seconds = batch_seconds() if seconds is None else seconds
    started = time.monotonic()
    failed = _give_up()
    rows = list(todo().order_by("queued_at", "pk")[:limit])
    indexed = 0
    for start in range(0, len(rows), CHUNK):
        if start and time.monotonic() - started >= seconds:
            break
        chunk = rows[start : start + CHUNK]
        IndexRequest.objects.filter(pk__in=[r.pk for r in chunk]).update(attempts=F("attempts") + 1)
        done, given_up = _index(chunk)
        indexed += done
        failed += given_up
    remaining = todo().count()
    if not remaining:
        IndexRequest.objects.filter(done_at__isnull=False, error="").delete()
    return BatchResult(indexed=indexed, failed=failed, remaining=remaining)


def _give_up() -> int:
    return (
        todo()
        .filter(attempts__gte=MAX_ATTEMPTS)
        .update(
            done_at=timezone.now(),
            error=f"not indexed: its batch stopped {MAX_ATTEMPTS} times",
        )
    )


def _index(chunk: list[IndexRequest]) -> tuple[int, int]:
    """Embed a chunk's texts (one model call a kind); returns (done, given up)."""
    by_kind: dict[str, list[IndexRequest]] = {}
    for row in chunk:
        by_kind.setdefault(row.kind, []).append(row)
    done: list[IndexRequest] = []
    given_up = 0
    for kind, rows in by_kind.items():
        texts: list[tuple[int, str]] = []
        for row in rows:
            try:
                text = engine.current_text(kind, row.object_id)
            except LookupError as exc:
                _finish(row, error=str(exc)[:300])
                given_up += 1
                continue
            if text is None:  # the object is gone
                engine.remove(kind, row.object_id)
            else:
                texts.append((row.object_id, text))
            done.append(row)
        if texts:
            engine.index_many(kind, texts, batch_size=CHUNK)
    for row in done:
        _finish(row)
    return len(done), given_up


def _finish(row: IndexRequest, *, error: str = "") -> None:
    # Only if it was not queued again meanwhile (a newer text): then it stays for the next run.
    IndexRequest.objects.filter(pk=row.pk, queued_at=row.queued_at, done_at__isnull=True).update(
        done_at=timezone.now(), error=error
    )
