"""Paging of lists whose total is already known, or counted with the page in one query."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A paginator told its total instead of counting it with a query of its own (the
    directory's small result sets, the escalation list's counts by light)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _order_sql(queryset: QuerySet, quote: Any) -> tuple[list[str], str]:
    """The fields of ``queryset``'s ordering (field names or ``F(...).asc/desc``) and its
    ORDER BY over them, for a query reading ``values()`` of those fields."""
    names, terms = [], []
    query, meta = queryset.query, queryset.model._meta
    for item in query.order_by or (meta.ordering if query.default_ordering else ()):
        expr: Any
        if isinstance(item, str):
            expr = F(item[1:]).desc() if item.startswith("-") else F(item).asc()
        else:
            expr = item
        if not (isinstance(expr, OrderBy) and isinstance(expr.expression, F)):
            raise ValueError(f"cannot page by {item!r} in one pass: order by fields")
        field = meta.pk if expr.expression.name == "pk" else meta.get_field(expr.expression.name)
        assert field is not None
        term = f"{quote(field.attname)} {'DESC' if expr.descending else 'ASC'}"
        if expr.nulls_last:
            term += " NULLS LAST"
        elif expr.nulls_first:
            term += " NULLS FIRST"
        names.append(field.attname)
        terms.append(term)
    return names, ", ".join(terms)


#: Sets up to this size are counted and paged in one query; larger ones as Django does
#: (``COUNT(*)``, then the page): materialising them would cost more than running the filters
#: twice.
ONE_PASS_ROWS = 50_000
#: On PostgreSQL a set the planner expects to hold more than this many times ONE_PASS_ROWS is
#: counted as Django does at once (one EXPLAIN, no row read), instead of materialising
#: ONE_PASS_ROWS rows for nothing first (at 1,000,000 a word found in 73,000 public rows,
#: expected 92,000, materialised 50,001 of them, then counted them all again).
EXPECTED_OVER = 1


def count_and_slice(
    queryset: QuerySet, offset: int, limit: int, cap: int | None = None
) -> tuple[int | None, list[Any]]:
    """The number of rows of the ordered ``queryset`` and the primary keys of its rows
    ``[offset:offset + limit]``, in one query that computes the filtered set once (a
    materialised common table expression of up to ``cap`` + 1 rows, counted and sorted for
    the top rows; ``cap`` is ``ONE_PASS_ROWS`` unless given), instead of ``COUNT(*)`` and the
    page each running the filters.  The count is None when the set has more than ``cap`` rows
    or none at ``offset`` > 0 (a page past the end): then the caller pages as Django does."""
    cap = ONE_PASS_ROWS if cap is None else cap
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    names, order = _order_sql(queryset, quote)
    pk = queryset.model._meta.pk
    assert pk is not None
    columns = [pk.attname, *(n for n in names if n != pk.attname)]
    if estimates(connection.vendor) and expected_rows(queryset) > EXPECTED_OVER * cap:
        return None, []
    keyed = queryset.order_by().values(*columns)
    inner, params = keyed[: cap + 1].query.sql_with_params()
    sql = (
        f"WITH matched AS MATERIALIZED ({inner}) "  # noqa: S608 - compiled by Django
        f"SELECT (SELECT COUNT(*) FROM matched), {quote(pk.attname)} FROM matched "
        f"ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
    if not rows:
        return (0, []) if offset == 0 else (None, [])
    if rows[0][0] > cap:
        return None, []
    return rows[0][0], [pk.to_python(r[1]) for r in rows]


def estimates(vendor: str) -> int:
    """The queries a page adds to ask the planner's estimate first: one on PostgreSQL."""
    return 1 if vendor == "postgresql" else 0


def expected_rows(queryset: QuerySet) -> float:
    """The rows PostgreSQL's planner expects ``queryset`` to give (its estimate: no row read;
    asked once per queryset)."""
    cached = getattr(queryset, "_expected_rows", None)
    if cached is None:
        connection = connections[queryset.db]
        cached = _expected_rows(connection, queryset.order_by().values("pk"))
        queryset._expected_rows = cached  # type: ignore[attr-defined]
    return float(cached)


def _expected_rows(connection: Any, queryset: QuerySet) -> float:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # (a driver that does not decode json)
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _rounded(expected: float) -> int:
    """An estimate to two significant figures (92,187 -> 92,000)."""
    magnitude = 10 ** max(len(str(int(expected))) - 2, 0)
    return max(round(expected / magnitude) * magnitude, 1)


class OnePassPaginator(Paginator):
    """A paginator of an ordered queryset that counts it and reads the page's primary keys in
    one query (:func:`count_and_slice`), then reads the page's rows by primary key from
    ``rows`` (the same rows without the filters, with what a row shows), in the order of the
    list.  Same pages, numbers and errors as Django's ``Paginator``."""

    def __init__(
        self, object_list: QuerySet, per_page: int, rows: QuerySet, estimate: bool = False
    ) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.rows = rows
        #: With ``estimate``, a set PostgreSQL expects to be larger than what it pages in one
        #: pass is not counted: its total is the planner's estimate (``estimated`` then True),
        #: rounded, and its pages are read in the list's order (an index): counting a word
        #: found in 70,000 rows read all of them (448 ms at 1,000,000), its page reads 25.
        self.estimate = estimate
        self.estimated = False

    def page(self, number: Any) -> Page:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as e:
            raise PageNotAnInteger("That page number is not an integer") from e
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        bottom = (number - 1) * self.per_page
        count: int | None = None
        ids: list[Any] = []
        if self.estimate and estimates(connections[self.queryset.db].vendor):
            expected = expected_rows(self.queryset)
            if expected > EXPECTED_OVER * ONE_PASS_ROWS:
                self.estimated = True
                self.__dict__["count"] = _rounded(expected)  # not counted
        if not self.estimated and bottom <= ONE_PASS_ROWS:  # (further pages: past the end)
            count, ids = count_and_slice(self.queryset, bottom, self.per_page)
        if count is None:  # a large or estimated set, or a page past the end: as Django does
            self.validate_number(number)  # raises EmptyPage past the (estimated) end
            top = bottom + self.per_page
            ids = list(self.queryset.values_list("pk", flat=True)[bottom:top])
        elif count == 0 and not self.allow_empty_first_page:
            raise EmptyPage("That page contains no results")
        else:
            self.__dict__["count"] = count
        by_pk = {row.pk: row for row in self.rows.filter(pk__in=ids)} if ids else {}
        return Page([by_pk[pk] for pk in ids if pk in by_pk], number, self)

    def get_page(self, number: Any) -> Page:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)
