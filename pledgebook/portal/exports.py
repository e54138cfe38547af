"""The map's and the dashboard's figures as CSV, registered once in :mod:`core.exports`
(public: the figures count only public commitments of published programmes, as the pages)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.core.exports import BaseExporter, register
from pledgebook.portal import aggregates
from pledgebook.portal.filters import cleaned
from pledgebook.reference.models import Country, Goal
from pledgebook.reporting.figures import LIGHTS


class _Echo:
    def write(self, value: str) -> str:
        return value


def _money(value: float) -> str:
    return f"{value:.2f}"


class MapCSVExporter(BaseExporter):
    """Per country: public commitments naming it, money pledged and disbursed (USD, shared
    equally between a commitment's countries), commitments whose money is not converted."""

    identifier = "map-csv"
    verbose_name = _("Map: commitments by country (CSV)")
    subject = "map"
    public = True

    HEADER = (
        "iso2",
        "m49",
        "country",
        "commitments",
        "pledged_usd",
        "disbursed_usd",
        "unconverted",
    )

    def queryset(self, params: Any) -> QuerySet[Country]:
        self.figures = aggregates.by_country(cleaned(params))
        return Country.objects.filter(pk__in=list(self.figures)).order_by("name")

    def render(self, rows: Iterable[Country]) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(self.HEADER)
        for c in rows:
            f = self.figures[c.pk]
            yield writer.writerow(
                [
                    c.iso2,
                    c.m49,
                    c.name,
                    f.commitments,
                    _money(f.pledged),
                    _money(f.disbursed),
                    f.unconverted,
                ]
            )


class DashboardCSVExporter(BaseExporter):
    """Per SDG: public commitments naming it, money (USD, whole), share reporting, lights."""

    identifier = "sdg-dashboard-csv"
    verbose_name = _("SDG dashboard (CSV)")
    subject = "sdgs"
    public = True

    HEADER = (
        "goal",
        "title",
        "commitments",
        "pledged_usd",
        "disbursed_usd",
        "unconverted",
        "share_reporting_percent",
        *(f"light_{k}" for k in LIGHTS),
    )

    def queryset(self, params: Any) -> QuerySet[Goal]:
        self.figures = aggregates.by_goal(cleaned(params)).by_goal
        return Goal.objects.order_by("number")

    def render(self, rows: Iterable[Goal]) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(self.HEADER)
        for goal in rows:
            f = self.figures[goal.number]
            share = f.share_reporting
            yield writer.writerow(
                [
                    goal.number,
                    goal.title,
                    f.commitments,
                    _money(f.pledged),
                    _money(f.disbursed),
                    f.unconverted,
                    "" if share is None else f"{share:.1f}",
                    *(f.lights[k] for k in LIGHTS),
                ]
            )


def register_all() -> None:
    register(MapCSVExporter)
    register(DashboardCSVExporter)
