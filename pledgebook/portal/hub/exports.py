"""The knowledge hub's public CSV export, registered once in :mod:`pledgebook.core.exports`:
it takes the hub page's query string (:class:`CaseStudyFilter`), so a download holds the rows
``/knowledge/`` and ``/api/v1/case-studies/`` show for the same query.  Public fields only.

Imported at startup by ``PortalConfig.ready``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.core.exports import BaseExporter, register
from pledgebook.core.site import absolute_url
from pledgebook.portal.hub.filters import CaseStudyFilter, public_case_studies
from pledgebook.portal.hub.reads import with_relations
from pledgebook.portal.models import CaseStudy

#: Spreadsheets run a cell beginning with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def filtered_case_studies(params: Any) -> QuerySet[CaseStudy]:
    """Published case studies matching the hub's filters (errors by parameter name raised,
    never ignored), newest first, or by closeness to ``semantic``."""
    filterset = CaseStudyFilter(
        params, queryset=with_relations(public_case_studies()).order_by("-published_at", "-pk")
    )
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


class CaseStudyCSVExporter(BaseExporter):
    identifier = "case-studies-csv"
    verbose_name = _("Case studies (CSV)")
    subject = "case_studies"
    public = True  # public_case_studies() only: what the hub shows

    HEADER = (
        "id",
        "url",
        "title",
        "programme",
        "organisation",
        "category_of_organisation",
        "summary",
        "goals",
        "countries",
        "regions",
        "categories_involved",
        "published_at",
    )

    def queryset(self, params: Any) -> QuerySet[CaseStudy]:
        return filtered_case_studies(params)

    def row(self, cs: CaseStudy) -> list[str]:
        return [
            str(cs.pk),
            absolute_url(cs.get_absolute_url()),
            _cell(cs.title),
            cs.programme.slug,
            _cell(cs.organisation.name),
            cs.organisation.category,
            _cell(cs.summary),
            ";".join(str(g.number) for g in cs.goals.all()),
            ";".join(c.iso2 for c in cs.countries.all()),
            ";".join(r.m49 for r in cs.regions.all()),
            ";".join(sorted(c.category for c in cs.categories.all())),
            cs.published_at.isoformat() if cs.published_at else "",
        ]

    def render(self, rows: Iterable[CaseStudy]) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(self.HEADER)
        for cs in rows:
            yield writer.writerow(self.row(cs))


register(CaseStudyCSVExporter)
