"""A small world of public commitments for the map's and the dashboard's tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from pledgebook.commitments import domain
from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import Category
from pledgebook.programmes.models import CommitmentType, Programme, Theme
from pledgebook.reference.models import Country, Goal
from pledgebook.reporting import domain as reporting_domain
from pledgebook.reporting.models import ReportingCycle
from tests import factories

COUNTRIES = ("KE", "FJ", "BR", "FR", "WS")
CATEGORIES = (Category.CIVIL_SOCIETY, Category.PRIVATE_SECTOR)
NARRATIVE = "We trained the first 200 teachers in two provinces this year."


@dataclass
class World:
    programmes: list[Programme]
    themes: list[Theme]
    secretariat: dict[int, object]
    commitments: list[Commitment] = field(default_factory=list)
    makers: dict[int, object] = field(default_factory=dict)
    cycles: dict[int, ReportingCycle] = field(default_factory=dict)


def world() -> World:
    programmes = [factories.ProgrammeFactory(), factories.ProgrammeFactory()]
    themes = [factories.ThemeFactory(programme=p) for p in programmes for _ in range(2)]
    w = World(programmes, themes, {p.pk: factories.staff(p) for p in programmes})
    now = timezone.now()
    for p in programmes:
        cy = ReportingCycle.objects.create(
            programme=p,
            name="This year",
            opens_at=now - dt.timedelta(days=1),
            deadline=now + dt.timedelta(days=30),
            closes_at=now + dt.timedelta(days=60),
        )
        w.cycles[p.pk] = cy
    return w


def add(
    w: World, i: int, *, goals: list[int], types: list[str], countries: list[str]
) -> Commitment:
    """A submitted commitment, then confirmed through the domain (the facts' hook)."""
    theme = w.themes[i % len(w.themes)]
    org = factories.OrganisationFactory(category=CATEGORIES[i % len(CATEGORIES)])
    user = factories.member_of(theme, organisation=org)
    c = factories.CommitmentFactory(
        theme=theme,
        organisation=org,
        status=Commitment.Status.SUBMITTED,
        amount=Decimal(1000 * (i + 1)),
        currency_id="USD",
    )
    c.goals.set(Goal.objects.filter(number__in=goals))
    c.types.set(CommitmentType.objects.filter(code__in=types))
    c.countries.set(Country.objects.filter(iso2__in=countries))
    domain.confirm_commitment(actor=w.secretariat[theme.programme_id], commitment=c)
    w.commitments.append(c)
    w.makers[c.pk] = user
    return c


def open_cycles(w: World) -> None:
    for p in w.programmes:
        reporting_domain.open_cycle(actor=w.secretariat[p.pk], cycle=w.cycles[p.pk])


def submit_report(w: World, c: Commitment) -> None:
    user = w.makers[c.pk]
    cy = w.cycles[c.programme_id]
    draft = reporting_domain.draft_for(actor=user, commitment=c, cycle=cy)
    draft.implementation_status = "on_track"
    draft.narrative = NARRATIVE
    draft.disbursed_amount = Decimal(500)
    reporting_domain.save_report(actor=user, report=draft)
    reporting_domain.submit_report(actor=user, report=draft)
