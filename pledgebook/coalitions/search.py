"""Search of coalitions: full text on each database's own engine, and semantic search through
the similarity engine.

Full text (migration ``0003_full_text_search``), as for commitments:

* PostgreSQL: a GIN expression index on ``to_tsvector('simple', name || ' ' || summary)``;
* SQLite: an FTS5 external-content table kept in step by triggers.

A query is split into words; every word must match, as a prefix ("plast" finds "plastics").

Semantic: a description of what one looks for is embedded and ranked by
``VectorIndex.nearest`` over the indexed coalitions (kind ``"coalition"``), scoped to the ids
the caller may show, and cut at ``engine.SEARCH_THRESHOLD``: a description close to nothing in
the network returns no coalition (the page then says there is no close match) instead of the
whole network in some order.  :func:`similarity_text` is the text a coalition is indexed with.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from pledgebook.coalitions.indexing import COALITION_KIND
from pledgebook.coalitions.similar import similarity_text  # noqa: F401 - one text per kind
from pledgebook.core.fulltext import Document
from pledgebook.similarity import backlog, engine

#: How many coalitions a semantic query returns at most (best first).
SEMANTIC_LIMIT = 50
KIND = COALITION_KIND

DOCUMENT = Document(
    table="coalitions_coalition",
    pg_document="to_tsvector('simple'::regconfig, name || ' ' || summary)",
    sqlite_table="coalitions_coalition_fts",
    fallback_fields=("name", "summary"),
)


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow ``queryset`` (of Coalition) to rows matching every word of ``text``."""
    return DOCUMENT.search(queryset, text)


def semantic(queryset: QuerySet, text: str, *, limit: int = SEMANTIC_LIMIT) -> QuerySet:
    """The coalitions of ``queryset`` nearest in meaning to ``text``, best first (annotated
    ``semantic_rank``, 0 for the best; ordered by it), none below the engine's search cut-off
    (none at all when nothing is close).  Only ids of ``queryset`` are scored, so the engine
    never returns a coalition the caller may not show."""
    if not (text or "").strip():
        return queryset
    allowed = list(queryset.order_by().values_list("pk", flat=True))
    hits = engine.search(text, kinds={KIND}, k=limit, allowed_ids={KIND: allowed})
    ids = [object_id for kind, object_id, _score in hits if kind == KIND]
    if not ids:
        return queryset.none()
    rank = Case(
        *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ids).annotate(semantic_rank=rank).order_by("semantic_rank")


def not_indexed(queryset: QuerySet) -> int:
    """How many coalitions of ``queryset`` a semantic search cannot find yet (waiting to be
    indexed, or not indexed at all): when not 0, its results may be incomplete."""
    return backlog.not_indexed(KIND, queryset)
