"""Keeping the similarity index of expressions of interest and coalitions up to date.

Domain functions that change a text call :func:`reindex` inside their transaction.  It puts the
object in the similarity backlog (``similarity.tasks.queue_index``), worked through in batches
by a low-priority task that reads the current text from the source registered in
``CoalitionsConfig.ready`` when it runs: an import of 288 coalitions queues one task, not 288;
two edits never leave a stale vector; an object that is gone loses its vector.  The backlog is
counted per programme, for the console's progress ("Indexing: 120 of 288").
"""

from __future__ import annotations

from collections.abc import Iterable

from pledgebook.coalitions.models import Coalition, ExpressionOfInterest
from pledgebook.similarity.tasks import queue_index

EOI_KIND = "eoi"
COALITION_KIND = "coalition"


def kind_of(container: ExpressionOfInterest | Coalition) -> str:
    return EOI_KIND if isinstance(container, ExpressionOfInterest) else COALITION_KIND


def reindex(container: ExpressionOfInterest | Coalition) -> None:
    """Queue the (re)indexing of a container's text; safe to call twice."""
    queue_index(kind_of(container), [container.pk], scope=container.programme_id)


def reindex_many(containers: Iterable[Coalition]) -> None:
    """Queue the (re)indexing of many coalitions of one programme at once (an import)."""
    by_scope: dict[int, list[int]] = {}
    for coalition in containers:
        by_scope.setdefault(coalition.programme_id, []).append(coalition.pk)
    for scope, ids in by_scope.items():
        queue_index(COALITION_KIND, ids, scope=scope)


def reindex_kind(kind: str, object_id: int, *, scope: int | None = None) -> None:
    queue_index(kind, [object_id], scope=scope)
