"""Full-text search of commitments, on each database's own engine.

* PostgreSQL: a stored generated column ``search_document`` =
  ``to_tsvector('simple', title || ' ' || description)`` with a GIN index.  The 'simple'
  configuration does no stemming, so it treats the 20+ languages of real registries alike.
* SQLite: an FTS5 external-content table kept in step by triggers (unicode61 tokenizer with
  diacritics removed).

Both are created by migrations ``0004_full_text_search`` and ``0005_search_document``.  A
query is split into words; every word must match, as a prefix ("fin" finds "financing").
"""

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12

SQLITE_TABLE = "commitments_commitment_fts"
# A stored generated column (migration 0005) with a GIN index.
PG_DOCUMENT = "search_document"


def terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_TERMS]


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow ``queryset`` (of Commitment) to rows matching every word of ``text``."""
    words = terms(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        matching = RawSQL(  # noqa: S611 - parameters bound, table names constant
            f"SELECT id FROM commitments_commitment "  # noqa: S608 - constants only
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
            queryset = queryset.filter(title__icontains=w) | queryset.filter(
                description__icontains=w
            )
        return queryset
    return queryset.filter(pk__in=matching)
