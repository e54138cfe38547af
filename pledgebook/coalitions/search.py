"""Search of coalitions: full text on each database's own engine, and semantic search through
the similarity engine.

Full text (migration ``0003_full_text_search``), as for commitments:

* PostgreSQL: a GIN expression index on ``to_tsvector('simple', name || ' ' || summary)``;
* SQLite: an FTS5 external-content table kept in step by triggers.

A query is split into words; every word must match, as a prefix ("plast" finds "plastics").

Semantic: a description of what one looks for is embedded and ranked by
``VectorIndex.nearest`` over the indexed coalitions (kind ``"coalition"``), scoped to the ids
the caller may show.  :func:`similarity_text` is the text a coalition is indexed with.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from pledgebook.coalitions.similar import similarity_text  # noqa: F401 - one text per kind
from pledgebook.coalitions.tasks import COALITION_KIND
from pledgebook.similarity import engine

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
#: How many coalitions a semantic query returns at most (best first).
SEMANTIC_LIMIT = 50
KIND = COALITION_KIND

SQLITE_TABLE = "coalitions_coalition_fts"
PG_DOCUMENT = "to_tsvector('simple'::regconfig, name || ' ' || summary)"


def terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_TERMS]


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow ``queryset`` (of Coalition) to rows matching every word of ``text``."""
    words = terms(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        matching = RawSQL(  # noqa: S611 - parameters bound, table names constant
            f"SELECT id FROM coalitions_coalition "  # noqa: S608 - constants only
            f"WHERE {PG_DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)",
            [query],
        )
    elif connection.vendor == "sqlite":
        query = " ".join(f'"{w}"*' for w in words)
        matching = RawSQL(  # noqa: S611 - parameters bound, table names constant
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s",  # noqa: S608
            [query],
        )
    else:  # pragma: no cover - other databases fall back to a scan
        for w in words:
            queryset = queryset.filter(name__icontains=w) | queryset.filter(summary__icontains=w)
        return queryset
    return queryset.filter(pk__in=matching)


def semantic(queryset: QuerySet, text: str, *, limit: int = SEMANTIC_LIMIT) -> QuerySet:
    """The coalitions of ``queryset`` nearest in meaning to ``text``, best first (annotated
    ``semantic_rank``, 0 for the best; ordered by it).  Only ids of ``queryset`` are scored,
    so the engine never returns a coalition the caller may not show."""
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
