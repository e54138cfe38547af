"""Builders of the pitch pipeline's tests: a confirmed commitment with a submitted report, an
investor organisation with its profile, a plan in the pipeline (through the domain)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pledgebook.forum.models import Session
from pledgebook.organisations.models import Category
from pledgebook.portal.models.pitch import InvestorKind, PitchCall, ScaleUpPlan
from pledgebook.portal.pitch import domain
from pledgebook.reference.models import Country, Currency, Goal, Region
from pledgebook.reporting.models import (
    ExchangeRate,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingCycle,
)
from tests import factories
from tests.reporting.factories import confirmed, cycle


def usd() -> Currency:
    return Currency.objects.get(code="USD")


def eur_rate(programme: Any, rate: str = "0.9", on: dt.date = dt.date(2025, 6, 1)) -> None:
    """A rate of the euro to the dollar kept by ``programme``'s secretariat (0.9 EUR per USD)."""
    c = cycle(programme, name=f"rates {on}")
    ExchangeRate.objects.create(
        cycle=c,
        currency_id="EUR",
        reporting_currency_id="USD",
        rate=Decimal(rate),
        effective_on=on,
    )


def submitted_report(
    commitment: Any, *, value: str = "120", disbursed: str | None = "50000"
) -> ProgressReport:
    c = ReportingCycle.objects.filter(programme=commitment.programme, name="pitch cycle").first()
    c = c or cycle(commitment.programme, name="pitch cycle", status=ReportingCycle.Status.OPEN)
    indicator, _ = Indicator.objects.get_or_create(
        programme=commitment.programme, code="people-reached", defaults={"name": "People reached"}
    )
    version = ProgressReport.objects.filter(commitment=commitment, cycle=c).count() + 1
    report = ProgressReport.objects.create(
        commitment=commitment,
        cycle=c,
        version=version,
        status=ProgressReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
        disbursed_amount=Decimal(disbursed) if disbursed else None,
        disbursed_currency=usd() if disbursed else None,
    )
    IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))
    return report


def plan_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Solar cold rooms for 2,000 fishers",
        "text": "Replicate the cold rooms of the pilot in three more landing sites.",
        "amount": Decimal("500000"),
        "currency": usd(),
        "instruments": ["loan", "guarantee"],
        "stage": "scale_up",
        "countries": [Country.objects.get(iso2="KE")],
        "regions": [],
        "goals": [Goal.objects.get(pk=14), Goal.objects.get(pk=5)],
        "values": [],
        "reports": [],
    }
    data.update(overrides)
    return data


def plan(commitment: Any, user: Any, *, submit: bool = True, **overrides: Any) -> ScaleUpPlan:
    row = domain.save_plan(actor=user, partnership=commitment, **plan_data(**overrides))
    if submit:
        if not PitchCall.objects.filter(programme=commitment.programme).exists():
            open_call(commitment.programme)
        row = domain.submit_plan(actor=user, plan=row)
    return row


def open_call(programme: Any, session: Session | None = None) -> PitchCall:
    now = timezone.now()
    call, _ = PitchCall.objects.update_or_create(
        programme=programme,
        defaults={
            "title": "Pitch call",
            "opens_at": now - dt.timedelta(days=1),
            "closes_at": now + dt.timedelta(days=30),
            "session": session,
        },
    )
    return call


def profile_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": InvestorKind.FOUNDATION,
        "summary": "Blue economy and women's enterprise.",
        "ticket_min": Decimal("100000"),
        "ticket_max": Decimal("1000000"),
        "currency": usd(),
        "instruments": ["grant", "guarantee"],
        "stages": ["scale_up"],
        "countries": [],
        "regions": [Region.objects.get(m49="002")],  # Africa
        "goals": [Goal.objects.get(pk=14)],
    }
    data.update(overrides)
    return data


def investor(*, category: str = Category.PHILANTHROPY, **overrides: Any) -> tuple[Any, Any]:
    """An investor organisation, its representative and its profile."""
    org = factories.OrganisationFactory(category=category)
    user = factories.representative(org)
    profile = domain.save_profile(actor=user, organisation=org, **profile_data(**overrides))
    return profile, user


def maker(programme_theme: Any, **kw: Any) -> tuple[Any, Any]:
    return confirmed(programme_theme, **kw)
