"""Search of case studies by words (each database's own full-text engine, migration
``portal/0002_hub_full_text``, through ``core.fulltext``) and by meaning (the similarity
engine, kind ``case_study``).

By meaning, with a fallback: the published case studies whose vector is missing or stale (the
backlog has not reached them, or the engine was down when they were published) cannot be found
by meaning, so they are searched by the words of the description instead and listed after the
close matches; :func:`semantic` says how many were (the page and the API tell the reader)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from pledgebook.core.fulltext import Document
from pledgebook.portal.hub.indexing import KIND
from pledgebook.similarity import backlog, engine
from pledgebook.similarity.models import Vector

#: How many case studies a search by meaning returns at most (best first).
SEMANTIC_LIMIT = 50

DOCUMENT = Document(
    table="portal_casestudy",
    pg_document=(
        "to_tsvector('simple'::regconfig, title || ' ' || summary || ' ' || problem || ' ' "
        "|| approach || ' ' || results)"
    ),
    sqlite_table="portal_casestudy_fts",
    fallback_fields=("title", "summary", "problem", "approach", "results"),
)


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow ``queryset`` (of CaseStudy) to rows matching every word of ``text``."""
    return DOCUMENT.search(queryset, text)


def not_indexed_ids(queryset: QuerySet) -> QuerySet:
    """The ids of ``queryset`` a search by meaning cannot find as they are now."""
    waiting = backlog.todo().filter(kind=KIND).values("object_id")
    indexed = Vector.objects.filter(kind=KIND, model_id=engine.model_id()).values("object_id")
    return queryset.filter(Q(pk__in=waiting) | ~Q(pk__in=indexed)).order_by().values("pk")


@dataclass
class Semantic:
    rows: QuerySet
    by_words: int  # how many of the rows were found by words (no vector yet)
    not_indexed: int  # how many candidates had no vector


def semantic(queryset: QuerySet, text: str, *, limit: int = SEMANTIC_LIMIT) -> Semantic:
    """The case studies of ``queryset`` nearest in meaning to ``text`` (above the engine's
    search cut-off), best first, then those not indexed yet that match its words; annotated
    ``semantic_rank``.  Only ids of ``queryset`` are scored."""
    missing = set(not_indexed_ids(queryset).values_list("pk", flat=True))
    allowed = [pk for pk in queryset.order_by().values_list("pk", flat=True) if pk not in missing]
    hits = engine.search(text, kinds={KIND}, k=limit, allowed_ids={KIND: allowed})
    ids = [object_id for kind, object_id, _score in hits if kind == KIND]
    words: list[int] = []
    if missing:
        words = list(
            search(queryset.filter(pk__in=missing), text)
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)
        )
    ordered = ids + [pk for pk in words if pk not in ids]
    if not ordered:
        return Semantic(queryset.none(), 0, len(missing))
    rank = Case(
        *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ordered)],
        output_field=IntegerField(),
    )
    rows = queryset.filter(pk__in=ordered).annotate(semantic_rank=rank).order_by("semantic_rank")
    return Semantic(rows, len(ordered) - len(ids), len(missing))
