"""Commitment exports, registered once in :mod:`pledgebook.core.exports`.

The CSV export takes the directory's query string (``filters.directory_filter()``: the portal
adds the status light), so a download holds exactly the rows the directory and
``/api/v1/commitments/`` show for the same query.
Rows stream in chunks: memory stays flat however many commitments match.

Imported at startup by :meth:`pledgebook.commitments.apps.CommitmentsConfig.ready`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments import initiatives
from pledgebook.commitments.filters import directory_filter, public_commitments
from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.core.exports import BaseExporter, register
from pledgebook.core.site import absolute_url

#: Newest submission first; ``id`` breaks ties, so pages and exports are stable.  NULLs last on
#: every database (PostgreSQL would put them first in a descending order).
ORDERING = (F("submitted_at").desc(nulls_last=True), F("id").desc())

CHUNK_SIZE = 2000

#: Spreadsheets run a cell beginning with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def with_relations(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """Everything a commitment's API representation, CSV row and assessment read (its
    initiative, when it is one registration of several, by a left join), in a fixed
    number of queries however many rows (``CommitmentData.from_commitment`` calls ``.all()``
    on each relation, which the prefetch answers)."""
    return queryset.select_related(
        "programme", "organisation", "currency", "registration"
    ).prefetch_related(
        "types",
        "themes",
        "actions",
        "goals",
        "targets",
        "countries",
        "regions",
        Prefetch(
            "co_makers",
            queryset=CoMaker.objects.select_related("organisation").order_by(
                "organisation__name", "id"
            ),
        ),
        "assessment_overrides",
    )


def filtered_commitments(params: Any) -> QuerySet[Commitment]:
    """Public commitments matching the directory's filters, with their relations, in a stable
    order.  Raises :class:`ValidationError` (errors by parameter name) for invalid filters
    rather than silently ignoring them, as ``FilterSet.qs`` would."""
    filterset = directory_filter()(params, queryset=public_commitments())
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return with_relations(filterset.qs).order_by(*ORDERING)


class _Echo:
    """A file-like object whose ``write`` hands the line back, for ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _joined(values: Iterable[Any]) -> str:
    return ";".join(str(v) for v in values)


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


class CommitmentCSVExporter(BaseExporter):
    identifier = "commitments-csv"
    verbose_name = _("Commitments (CSV)")
    subject = "commitments"
    public = True  # public_commitments() only: what the directory shows

    HEADER = (
        "id",
        "url",
        "title",
        "programme",
        "lead_organisation",
        "category",
        "country_of_lead",
        "types",
        "themes",
        "goals",
        "targets",
        "countries",
        "regions",
        "starts_on",
        "ends_on",
        "amount",
        "currency",
        "funds_are_new",
        "endorsement_level",
        "status",
        # One initiative registered several times (commitments.initiatives): its rows share
        # this number; empty for a commitment registered once.
        "initiative",
    )

    def queryset(self, params: Any) -> QuerySet[Commitment]:
        """Raises :class:`django.core.exceptions.ValidationError` for invalid filters."""
        return filtered_commitments(params)

    def row(self, c: Commitment) -> list[str]:
        return [
            str(c.pk),
            absolute_url(c.get_absolute_url()),
            _cell(c.title),
            c.programme.slug,
            _cell(c.organisation.name),
            c.organisation.category,
            c.organisation.country_id,
            _joined(t.code for t in c.types.all()),
            _joined(t.slug for t in c.themes.all()),
            _joined(g.number for g in c.goals.all()),
            _joined(t.code for t in c.targets.all()),
            _joined(country.iso2 for country in c.countries.all()),
            _joined(r.m49 for r in c.regions.all()),
            c.starts_on.isoformat() if c.starts_on else "",
            c.ends_on.isoformat() if c.ends_on else "",
            "" if c.amount is None else str(c.amount),
            c.currency_id or "",
            _flag(c.funds_are_new),
            c.endorsement_level,
            c.status,
            str(initiatives.initiative_id(c) or ""),
        ]

    def render(self, rows: Iterable[Commitment]) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(self.HEADER)
        items = rows.iterator(chunk_size=CHUNK_SIZE) if isinstance(rows, QuerySet) else rows
        for commitment in items:
            yield writer.writerow(self.row(commitment))


register(CommitmentCSVExporter)
