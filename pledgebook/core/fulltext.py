"""Full-text matching on each database's own engine, shared by every searchable model.

A query is split into words (at most :data:`MAX_TERMS`); every word must match, as a prefix
("fin" finds "financing").  Each model declares where its document lives:

* PostgreSQL: an expression or a stored ``tsvector`` column with a GIN index, in the 'simple'
  configuration (no stemming: it treats the 20+ languages of real registries alike);
* SQLite: an FTS5 external-content table kept in step by triggers (unicode61, diacritics
  removed).

The tables and indexes are created by each app's migrations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


def terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_TERMS]


@dataclass(frozen=True)
class Document:
    table: str  # the model's table
    pg_document: str  # a tsvector column or expression of that table
    sqlite_table: str  # the FTS5 table whose rowid is the model's id
    fallback_fields: tuple[str, ...]  # for other databases: a scan with icontains
    pg_stored: bool = False  # ``pg_document`` is a stored column of ``table`` (not declared)

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        """Narrow ``queryset`` to rows matching every word of ``text``."""
        words = terms(text)
        if not words:
            return queryset
        if connection.vendor == "postgresql" and self.pg_stored:
            # On the row itself (not ``id IN (SELECT ...)``, which PostgreSQL joins back to the
            # table row by row): its GIN index combines with the others (``BitmapAnd``).
            query = " & ".join(f"{w}:*" for w in words)
            return queryset.filter(
                OwnColumn(self.pg_document, "@@ to_tsquery('simple'::regconfig, %s)", [query])
            )
        if connection.vendor == "postgresql":
            matching = RawSQL(  # noqa: S611 - parameters bound, names are constants
                f"SELECT id FROM {self.table} "  # noqa: S608 - constants only
                f"WHERE {self.pg_document} @@ to_tsquery('simple'::regconfig, %s)",
                [" & ".join(f"{w}:*" for w in words)],
            )
        elif connection.vendor == "sqlite":
            matching = RawSQL(  # noqa: S611 - parameters bound, names are constants
                f"SELECT rowid FROM {self.sqlite_table} "  # noqa: S608 - constants only
                f"WHERE {self.sqlite_table} MATCH %s",
                [" ".join(f'"{w}"*' for w in words)],
            )
        else:  # pragma: no cover - other databases fall back to a scan
            for w in words:
                any_field = Q()
                for name in self.fallback_fields:
                    any_field |= Q(**{f"{name}__icontains": w})
                queryset = queryset.filter(any_field)
            return queryset
        return queryset.filter(pk__in=matching)


class OwnColumn(Expression):
    """A condition on a column that the database keeps in the queryset's own table but the
    model does not declare (a PostgreSQL-only stored column: the commitments' search document
    and facets): ``<table>.<column> <operator>`` with ``params``.  The table is named as Django
    compiles the primary key, so the condition stays right when the queryset becomes a
    subquery (where Django renames its tables, ``U0``).  PostgreSQL only."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, operator: str, params: list[Any]) -> None:
        super().__init__()
        self.column, self.operator, self.params = column, operator, params
        self.pk: Any = F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        pk_sql, pk_params = compiler.compile(self.pk)
        table = pk_sql.rsplit(".", 1)[0]
        column = connection.ops.quote_name(self.column)
        return f"{table}.{column} {self.operator}", [*pk_params, *self.params]
