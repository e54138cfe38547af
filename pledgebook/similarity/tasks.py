"""Background tasks: thin wrappers, safe to run twice.  Both run at low priority on the
"background" queue (core/tasks.py), behind mail and reports."""

from __future__ import annotations

from collections.abc import Iterable

from django_tasks import task

from pledgebook.core.tasks import BACKGROUND_PRIORITY, BACKGROUND_QUEUE, enqueue_once, waiting
from pledgebook.similarity import backlog, base, embedding, engine


@task(priority=BACKGROUND_PRIORITY, queue_name=BACKGROUND_QUEUE)
def index_object(kind: str, object_id: int, text: str | None = None) -> bool:
    """(Re)compute the object's embedding if its text changed.  Enqueue it in the same
    transaction as the change of text; without ``text`` the current text is read from the
    kind's registered source when the task runs (see engine.register_text_source).
    For many objects, or any change made by a person, prefer :func:`queue_index`."""
    return engine.index_object(kind, object_id, text)


@task(priority=BACKGROUND_PRIORITY, queue_name=BACKGROUND_QUEUE)
def index_pending() -> dict[str, int]:
    """One batch of the indexing backlog (``backlog.run_batch``); queues the next batch while
    objects remain."""
    result = backlog.run_batch()
    if result.remaining:
        enqueue_once(index_pending)
    return {"indexed": result.indexed, "failed": result.failed, "remaining": result.remaining}


def queue_index(kind: str, object_ids: Iterable[int], *, scope: int | None = None) -> None:
    """Have objects (re)indexed in the background, in batches: mark them in the backlog and
    queue a batch unless one is waiting.  Call it inside the transaction that changes the
    texts (with the database backend the marks and the task commit with the change).  Safe
    to call many times: an import of 288 objects queues one task."""
    backlog.mark(kind, object_ids, scope=scope)
    enqueue_once(index_pending)


def queue_if_needed() -> bool:
    """The workers' periodic check: queue a batch when objects wait in the backlog and no
    batch is queued or running (a batch that died, an item marked just after a batch read the
    backlog).  Returns True if one was queued."""
    if backlog.needs_a_run() and not waiting(index_pending, include_running=True):
        index_pending.enqueue()
        return True
    return False


@task(priority=BACKGROUND_PRIORITY, queue_name=BACKGROUND_QUEUE)
def build_base_index() -> dict[str, int]:
    """Build the next generation of the shared base index of the current model (see
    similarity/base.py); nothing when it is up to date or another worker is building it."""
    try:
        built = base.build()
    except base.BuildBusy:
        return {"generation": 0, "rows": 0}
    return {"generation": built.generation, "rows": built.rows}


def build_base_if_needed() -> bool:
    """The workers' periodic check for the base index: queue a build when
    ``base.needs_build`` says so and none is queued or running; remove old generations."""
    model = embedding.model_id()
    base.remove_old(model)
    if base.needs_build(model) and not waiting(build_base_index, include_running=True):
        build_base_index.enqueue()
        return True
    return False
