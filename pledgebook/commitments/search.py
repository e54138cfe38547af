"""Full-text search of commitments, on each database's own engine.

* PostgreSQL: a stored generated column ``search_document`` =
  ``to_tsvector('simple', title || ' ' || description)`` with a GIN index.  The 'simple'
  configuration does no stemming, so it treats the 20+ languages of real registries alike.
* SQLite: an FTS5 external-content table kept in step by triggers (unicode61 tokenizer with
  diacritics removed).

Both are created by migrations ``0004_full_text_search`` and ``0005_search_document``.  A
query is split into words; every word must match, as a prefix ("fin" finds "financing").

**Facets** (PostgreSQL): ``facets``, a ``text[]`` column of the commitment holding
``type:<code>``, ``theme:<id>``, ``goal:<number>`` and ``country:<iso2>`` for each of its links,
kept by triggers on the four link tables (migration ``0009_facets``), with a GIN index over the
public commitments.  The directory's filters read it (:func:`facet`) instead of the link tables,
so PostgreSQL combines the text match and every filter in the indexes (``BitmapAnd``) before it
reads a row: at 1,000,000 commitments a word, a type and a country went from 424 ms to 27 ms
(docs/BENCHMARKS.md).  SQLite reads the link tables.
"""

from django.db import connections
from django.db.models import Exists, Q, QuerySet

from pledgebook.core.fulltext import Document, OwnColumn, terms

__all__ = ["DOCUMENT", "facet", "search", "terms"]

DOCUMENT = Document(
    table="commitments_commitment",
    # A stored generated column (migration 0005) with a GIN index.
    pg_document="search_document",
    sqlite_table="commitments_commitment_fts",
    fallback_fields=("title", "description"),
    pg_stored=True,
)


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow ``queryset`` (of Commitment) to rows matching every word of ``text``."""
    return DOCUMENT.search(queryset, text)


def facet(queryset: QuerySet, name: str, value: object, linked: Exists | Q) -> QuerySet:
    """Narrow ``queryset`` (of Commitment) to rows linked to ``value`` by ``name`` (type,
    theme, goal, country): from the facets on PostgreSQL, else by ``linked`` (the same
    condition on the link table)."""
    if connections[queryset.db].vendor == "postgresql":
        # ``<> '{}'`` lets the planner use the partial index (migration 0009).
        return queryset.filter(
            OwnColumn("facets", "@> %s::text[]", [[f"{name}:{value}"]]),
            OwnColumn("facets", "<> '{}'", []),
        )
    return queryset.filter(linked)
