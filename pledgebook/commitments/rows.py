"""The names a list of commitments shows on each row: its types, countries and regions.

A page of rows reads them in one query (a ``UNION ALL`` over the three link tables, joined to
the named tables) instead of three ``prefetch_related`` queries, whose model instances and
related managers cost ~3 ms each for 25 rows (docs/BENCHMARKS.md, finding 10).  The names
come in the order of the models' own ``Meta.ordering`` (types by position, countries and
regions by name), sorted by the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, F, IntegerField, QuerySet, Value

from pledgebook.commitments.models import Commitment

#: link field of Commitment -> (the named model's field on the link table, its sort key)
_LINKS = {
    "types": ("commitmenttype", "commitmenttype__position"),
    "countries": ("country", None),
    "regions": ("region", None),
}


@dataclass
class RowLabels:
    types: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


def _names(link: str, ids: list[int]) -> QuerySet:
    target, position = _LINKS[link]
    through = getattr(Commitment, link).through.objects.filter(commitment_id__in=ids)
    return through.annotate(
        link=Value(link, output_field=CharField()),
        label=F(f"{target}__name"),
        position=F(position) if position else Value(0, output_field=IntegerField()),
    ).values_list("commitment_id", "link", "position", "label")


def labelled(rows: Iterable[Commitment]) -> list[Commitment]:
    """``rows`` as a list, each given ``labels`` (a :class:`RowLabels`), in one query."""
    rows = list(rows)
    by_pk = {c.pk: c for c in rows}
    for c in rows:
        c.labels = RowLabels()  # type: ignore[attr-defined]
    if not rows:
        return rows
    ids = list(by_pk)
    first, *others = (_names(link, ids) for link in _LINKS)
    query = first.union(*others, all=True).order_by("commitment_id", "link", "position", "label")
    for pk, link, _position, label in query:
        getattr(by_pk[pk].labels, link).append(label)  # type: ignore[attr-defined]
    return rows
