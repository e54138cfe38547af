"""What the pages read of a case study: its linked commitments, each with the reported
indicator values the case study cites (real numbers from submitted progress reports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from pledgebook.commitments.models import Commitment
from pledgebook.portal.hub.validation import reported_values
from pledgebook.portal.models import CaseStudy
from pledgebook.programmes.models import Theme
from pledgebook.reporting.models import IndicatorValue


def with_relations(queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """What a list row and the API show, in a fixed number of queries."""
    return queryset.select_related("programme", "organisation").prefetch_related(
        "goals", "countries", "regions", "categories"
    )


def with_page_relations(queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    values = IndicatorValue.objects.select_related(
        "indicator", "report__cycle", "report__commitment"
    ).order_by("report__commitment_id", "-report__cycle__deadline", "indicator__position", "pk")
    return with_relations(queryset).prefetch_related(
        "partners",
        "targets",
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related("organisation").prefetch_related(
                Prefetch("themes", queryset=Theme.objects.order_by("position"))
            ),
        ),
        Prefetch("indicator_values", queryset=values),
    )


@dataclass
class CitedValue:
    value: IndicatorValue
    current: bool  # still the latest submitted version's (not corrected since)


@dataclass
class LinkedCommitment:
    commitment: Commitment
    is_public: bool
    values: list[CitedValue] = field(default_factory=list)


def results(case_study: CaseStudy) -> list[LinkedCommitment]:
    """The linked commitments in title order, each with its cited values (from
    ``with_page_relations``).  A value whose report was corrected since is marked
    ``current=False``.  One query."""
    commitments = sorted(case_study.commitments.all(), key=lambda c: (c.title, c.pk))
    cited = list(case_study.indicator_values.all())
    current = set(
        reported_values([c.pk for c in commitments])
        .filter(pk__in=[v.pk for v in cited])
        .values_list("pk", flat=True)
    )
    out = []
    for commitment in commitments:
        linked = LinkedCommitment(commitment, commitment.is_public)
        for value in cited:
            if value.report.commitment_id == commitment.pk:
                linked.values.append(CitedValue(value, value.pk in current))
        out.append(linked)
    return out


def plain(number: Decimal) -> Decimal:
    """3450.0000 as 3450, 12.5000 as 12.5 (never 3.45E+3)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def value_label(value: Any) -> str:
    """ "People reached: 3,450 people (Annual report 2025)" for a choice list."""
    from django.utils.formats import number_format

    unit = f" {value.indicator.unit}" if value.indicator.unit else ""
    number = number_format(plain(value.value), use_l10n=True, force_grouping=True)
    return (
        f"{value.report.commitment.title}: {value.indicator.name}: {number}{unit} "
        f"({value.report.cycle.name})"
    )
