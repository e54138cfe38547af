"""Computed accountability figures: status lights, response rates and roll-ups.

Formulas (also shown on the public page "How progress is computed"):

* **Status light** of a commitment, from the programme's cycles whose reporting has started:
  ``reported`` — a submitted report in the current cycle; ``due`` — the current cycle is open,
  its deadline not passed, no report yet; ``late`` — the current cycle's deadline passed without
  a report; ``inactive`` — no report in the two latest cycles whose deadline has passed (as the
  SDG Actions Platform marks initiatives after two years of silence); ``none`` — no cycle yet.
* **Response rate** of a group = commitments of the group with a submitted report in the
  cycle ÷ commitments of the group expected to report (active during the cycle).
* **Progress index** of a group = Σ wᵢ·sᵢ ÷ Σ sᵢ over the group's commitments that reported,
  with the weight w of the reported implementation status (completed 1, on track 0.5,
  delayed 0.25, not started 0, discontinued 0) and the share s of the commitment in the group.
* **Shares.** A commitment belongs wholly to its lead organisation's stakeholder category and
  region, and in equal parts 1/k to each of its k themes.  So every figure of a programme —
  counts by status, money pledged and disbursed — is exactly the sum of its parts, by theme,
  by category or by region (kept as exact fractions, rounded only for display).
* **Money** stays in the currency it was pledged in (no conversion between currencies);
  disbursements in another currency are converted with the rate the maker reported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments.models import Commitment
from pledgebook.reporting.domain import active_commitments
from pledgebook.reporting.models import ImplementationStatus, ProgressReport, ReportingCycle

STATUS_WEIGHTS = {
    ImplementationStatus.COMPLETED: Fraction(1),
    ImplementationStatus.ON_TRACK: Fraction(1, 2),
    ImplementationStatus.DELAYED: Fraction(1, 4),
    ImplementationStatus.NOT_STARTED: Fraction(0),
    ImplementationStatus.DISCONTINUED: Fraction(0),
}

LIGHTS = {
    "reported": _("Reported this cycle"),
    "due": _("Report due"),
    "late": _("Late"),
    "inactive": _("Inactive: no report for two cycles"),
    "none": _("No reporting cycle yet"),
}


# Status lights -------------------------------------------------------------------------------


def status_lights(
    commitments: Iterable[Commitment], *, now: dt.datetime | None = None
) -> dict[int, str]:
    """The light of each commitment, in two queries whatever their number."""
    now = now or timezone.now()
    commitments = list(commitments)
    programme_ids = {c.programme_id for c in commitments}
    cycles_by_programme: dict[int, list[ReportingCycle]] = defaultdict(list)
    for cycle in ReportingCycle.objects.filter(
        programme_id__in=programme_ids, status__in=["open", "closed"], opens_at__lte=now
    ).order_by("-deadline"):
        cycles_by_programme[cycle.programme_id].append(cycle)
    reported = set(
        ProgressReport.objects.filter(
            commitment_id__in=[c.pk for c in commitments],
            status=ProgressReport.Status.SUBMITTED,
        ).values_list("commitment_id", "cycle_id")
    )
    lights = {}
    for c in commitments:
        lights[c.pk] = _light(c, cycles_by_programme.get(c.programme_id, []), reported, now)
    return lights


def _light(
    c: Commitment, cycles: list[ReportingCycle], reported: set[tuple[int, int]], now: dt.datetime
) -> str:
    if not cycles:
        return "none"
    current = cycles[0]
    if (c.pk, current.pk) in reported:
        return "reported"
    past = [cy for cy in cycles if cy.deadline <= now][:2]
    if len(past) == 2 and not any((c.pk, cy.pk) in reported for cy in past):
        return "inactive"
    return "late" if current.deadline <= now else "due"


# Response rates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    expected: int
    reported: int

    @property
    def percent(self) -> float:
        return round(100 * self.reported / self.expected, 1) if self.expected else 0.0


def _reported_ids(cycle: ReportingCycle) -> Any:
    return ProgressReport.objects.filter(
        cycle=cycle, status=ProgressReport.Status.SUBMITTED
    ).values("commitment_id")


def response_rates(cycle: ReportingCycle) -> dict[str, list[Rate]]:
    """Response rates of the programme, and by theme, category and region: four queries."""
    from pledgebook.organisations.models import Category
    from pledgebook.programmes.models import Theme
    from pledgebook.reference.models import Region

    expected = active_commitments(cycle)
    did = Q(pk__in=_reported_ids(cycle))
    total = expected.aggregate(n=Count("pk"), r=Count("pk", filter=did))
    result: dict[str, list[Rate]] = {
        "programme": [Rate(cycle.programme.slug, cycle.programme.name, total["n"], total["r"])]
    }
    categories = dict(Category.choices)
    result["category"] = [
        Rate(
            row["organisation__category"],
            str(categories[row["organisation__category"]]),
            row["n"],
            row["r"],
        )
        for row in expected.values("organisation__category")
        .annotate(n=Count("pk"), r=Count("pk", filter=did))
        .order_by("organisation__category")
    ]
    regions = dict(Region.objects.values_list("m49", "name"))
    result["region"] = [
        Rate(
            row["organisation__country__region"],
            regions[row["organisation__country__region"]],
            row["n"],
            row["r"],
        )
        for row in expected.values("organisation__country__region")
        .annotate(n=Count("pk"), r=Count("pk", filter=did))
        .order_by("organisation__country__region")
    ]
    themes = dict(Theme.objects.filter(programme=cycle.programme).values_list("pk", "name"))
    through = Commitment.themes.through.objects.filter(commitment__in=expected)
    result["theme"] = [
        Rate(str(row["theme_id"]), themes[row["theme_id"]], row["n"], row["r"])
        for row in through.values("theme_id")
        .annotate(
            n=Count("commitment_id"),
            r=Count("commitment_id", filter=Q(commitment_id__in=_reported_ids(cycle))),
        )
        .order_by("theme_id")
    ]
    return result


# Roll-up -------------------------------------------------------------------------------------


@dataclass
class Figures:
    """Additive figures of a group, exact fractions."""

    commitments: Fraction = Fraction(0)
    reported: Fraction = Fraction(0)
    by_status: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))
    weighted: Fraction = Fraction(0)
    pledged: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))
    disbursed: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    def add(
        self,
        share: Fraction,
        status: str | None,
        currency: str | None,
        amount: Decimal | None,
        disbursed: Decimal | None,
    ) -> None:
        self.commitments += share
        if status:
            self.reported += share
            self.by_status[status] += share
            self.weighted += share * STATUS_WEIGHTS[ImplementationStatus(status)]
        if currency and amount is not None:
            self.pledged[currency] += share * Fraction(amount)
            if disbursed is not None:
                self.disbursed[currency] += share * Fraction(disbursed)

    @property
    def progress(self) -> float | None:
        """The progress index in percent, or None when nobody reported."""
        return round(float(100 * self.weighted / self.reported), 1) if self.reported else None


@dataclass
class RollUp:
    programme: Figures
    by_theme: dict[int, Figures]
    by_category: dict[str, Figures]
    by_region: dict[str, Figures]
    by_type: dict[str, Figures]


def latest_reports(cycle: ReportingCycle) -> dict[int, tuple[str, Decimal | None]]:
    """commitment id → (status, disbursed in the pledged currency) of its latest submitted
    version in the cycle.  Streams the rows."""
    latest: dict[int, tuple[str, Decimal | None]] = {}
    rows = (
        ProgressReport.objects.filter(cycle=cycle, status=ProgressReport.Status.SUBMITTED)
        .order_by("commitment_id", "-version")
        .values_list("commitment_id", "implementation_status", "disbursed_amount", "exchange_rate")
    )
    for commitment_id, status, amount, rate in rows.iterator(chunk_size=5000):
        if commitment_id in latest:
            continue
        if amount is not None and rate is not None:
            amount = amount * rate
        latest[commitment_id] = (status, amount)
    return latest


def roll_up(cycle: ReportingCycle) -> RollUp:
    expected = active_commitments(cycle)
    through = Commitment.themes.through.objects.filter(commitment__in=expected)
    themes: dict[int, list[int]] = defaultdict(list)
    for commitment_id, theme_id in through.values_list("commitment_id", "theme_id").iterator(
        chunk_size=5000
    ):
        themes[commitment_id].append(theme_id)
    types_through = Commitment.types.through.objects.filter(commitment__in=expected)
    types: dict[int, list[str]] = defaultdict(list)
    for commitment_id, code in types_through.values_list(
        "commitment_id", "commitmenttype_id"
    ).iterator(chunk_size=5000):
        types[commitment_id].append(code)
    latest = latest_reports(cycle)
    result = RollUp(
        Figures(),
        defaultdict(Figures),
        defaultdict(Figures),
        defaultdict(Figures),
        defaultdict(Figures),
    )
    rows = expected.values_list(
        "pk", "organisation__category", "organisation__country__region", "amount", "currency_id"
    ).order_by("pk")
    for pk, category, region, amount, currency in rows.iterator(chunk_size=5000):
        status, disbursed = latest.get(pk, (None, None))
        args = (status, currency, amount, disbursed)
        result.programme.add(Fraction(1), *args)
        result.by_category[category].add(Fraction(1), *args)
        result.by_region[region].add(Fraction(1), *args)
        own = themes.get(pk, [])
        for theme_id in own:
            result.by_theme[theme_id].add(Fraction(1, len(own)), *args)
        kinds = types.get(pk, [])
        for code in kinds:
            result.by_type[code].add(Fraction(1, len(kinds)), *args)
    return result
