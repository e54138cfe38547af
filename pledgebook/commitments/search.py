"""Full-text search of commitments, on each database's own engine.

* PostgreSQL: a stored generated column ``search_document`` =
  ``to_tsvector('simple', title || ' ' || description)`` with a GIN index.  The 'simple'
  configuration does no stemming, so it treats the 20+ languages of real registries alike.
* SQLite: an FTS5 external-content table kept in step by triggers (unicode61 tokenizer with
  diacritics removed).

Both are created by migrations ``0004_full_text_search`` and ``0005_search_document``.  A
query is split into words; every word must match, as a prefix ("fin" finds "financing").
"""

from django.db.models import QuerySet

from pledgebook.core.fulltext import Document, terms

__all__ = ["DOCUMENT", "search", "terms"]

DOCUMENT = Document(
    table="commitments_commitment",
    # A stored generated column (migration 0005) with a GIN index.
    pg_document="search_document",
    sqlite_table="commitments_commitment_fts",
    fallback_fields=("title", "description"),
)


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow ``queryset`` (of Commitment) to rows matching every word of ``text``."""
    return DOCUMENT.search(queryset, text)
