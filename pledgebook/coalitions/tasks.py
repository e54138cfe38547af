"""Keeping the similarity index of expressions of interest and coalitions up to date.

Domain functions that change a text call :func:`reindex` inside their transaction.  The task
(``similarity.tasks.index_object``) is enqueued without the text: it reads the current text
from the source registered in ``CoalitionsConfig.ready`` when it runs, so two edits whose tasks
run out of order never leave a stale vector, and an object that is gone loses its vector.
"""

from __future__ import annotations

from django_tasks import task

from pledgebook.coalitions.models import Coalition, ExpressionOfInterest
from pledgebook.similarity.tasks import index_object

EOI_KIND = "eoi"
COALITION_KIND = "coalition"


def kind_of(container: ExpressionOfInterest | Coalition) -> str:
    return EOI_KIND if isinstance(container, ExpressionOfInterest) else COALITION_KIND


def reindex(container: ExpressionOfInterest | Coalition) -> None:
    """Queue the (re)indexing of a container's text; safe to call twice."""
    index_object.enqueue(kind=kind_of(container), object_id=container.pk)


def reindex_kind(kind: str, object_id: int) -> None:
    index_object.enqueue(kind=kind, object_id=object_id)


@task()
def import_coalitions(*, batch_id: int) -> str:
    """Import a queued file of coalitions (see ``importing.import_batch``), recording its
    progress on the batch; returns the batch's final status.  Safe to run twice."""
    from pledgebook.coalitions import importing

    return importing.import_batch(batch_id).status
