"""A small world for the knowledge hub's tests: a programme with a secretariat; an
organisation (with its person) leading a confirmed commitment that reported an indicator value
in a closed cycle; another organisation with its own commitment and value; a co-maker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.organisations.models import Category
from pledgebook.portal.hub import domain
from pledgebook.portal.models import CaseStudy
from pledgebook.reference.models import Country, Goal
from pledgebook.reporting.models import Indicator, IndicatorValue, ProgressReport, ReportingCycle
from tests import factories

TEXTS = {
    "summary": "Solar mini-grids for rural clinics, financed by a guarantee and local banks.",
    "problem": "Rural clinics had no reliable power for vaccines and night deliveries.",
    "approach": "A first-loss guarantee let two local banks lend to solar installers.",
    "results": "Forty clinics have power day and night.",
    "replicability": "Any country with local banks and a guarantee fund can repeat it.",
    "lessons": "Start with the banks, not the technology.",
}


@dataclass
class HubWorld:
    programme: Any
    other_programme: Any
    secretariat: Any
    other_secretariat: Any
    organisation: Any
    author: Any
    commitment: Commitment
    value: IndicatorValue
    other_organisation: Any
    other_author: Any
    other_commitment: Commitment
    other_value: IndicatorValue
    co_maker: Any
    co_maker_author: Any
    stranger: Any


def reported_value(
    commitment: Commitment, cycle: ReportingCycle, indicator: Indicator, value, *, version=1
):
    report = ProgressReport.objects.create(
        commitment=commitment,
        cycle=cycle,
        version=version,
        status=ProgressReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
        implementation_status="on_track",
        narrative="Done.",
    )
    return IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))


def hub_world() -> HubWorld:
    programme = factories.ProgrammeFactory(name="Partnership Forum", slug="forum")
    other_programme = factories.ProgrammeFactory(name="Other Forum", slug="other-forum")
    theme = factories.ThemeFactory(programme=programme)
    now = timezone.now()
    cycle = ReportingCycle.objects.create(
        programme=programme,
        name="Annual report 2025",
        opens_at=now - dt.timedelta(days=60),
        deadline=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=1),
        status=ReportingCycle.Status.CLOSED,
    )
    clinics = Indicator.objects.create(
        programme=programme, code="clinics", name="Clinics powered", unit="clinics"
    )
    organisation = factories.OrganisationFactory(name="Sunline Energy")
    author = factories.representative(organisation)
    commitment = factories.CommitmentFactory(
        theme=theme,
        organisation=organisation,
        title="Solar power for 40 rural clinics",
        status=Commitment.Status.CONFIRMED,
    )
    value = reported_value(commitment, cycle, clinics, "40")
    other_organisation = factories.OrganisationFactory(name="Other Power")
    other_author = factories.representative(other_organisation)
    other_commitment = factories.CommitmentFactory(
        theme=theme,
        organisation=other_organisation,
        title="Wind for islands",
        status=Commitment.Status.CONFIRMED,
    )
    other_value = reported_value(other_commitment, cycle, clinics, "7")
    co_maker = factories.OrganisationFactory(name="Clinic Network")
    co_maker_author = factories.representative(co_maker)
    CoMaker.objects.create(commitment=commitment, organisation=co_maker, confirmed_at=now)
    return HubWorld(
        programme=programme,
        other_programme=other_programme,
        secretariat=factories.staff(programme),
        other_secretariat=factories.staff(other_programme),
        organisation=organisation,
        author=author,
        commitment=commitment,
        value=value,
        other_organisation=other_organisation,
        other_author=other_author,
        other_commitment=other_commitment,
        other_value=other_value,
        co_maker=co_maker,
        co_maker_author=co_maker_author,
        stranger=factories.UserFactory(),
    )


def complete_fields(world: HubWorld, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "Guarantees that powered forty clinics",
        **TEXTS,
        "commitments": [world.commitment],
        "indicator_values": [world.value],
        "goals": list(Goal.objects.filter(number__in=[3, 7])),
        "countries": list(Country.objects.filter(iso2="KE")),
    }
    fields.update(overrides)
    return fields


def draft(world: HubWorld, **overrides: Any) -> CaseStudy:
    return domain.save_case_study(
        actor=world.author,
        organisation=world.organisation,
        programme=world.programme,
        categories=[Category.PRIVATE_SECTOR, Category.FINANCIAL_INSTITUTION],
        **complete_fields(world, **overrides),
    )


def submitted(world: HubWorld, **overrides: Any) -> CaseStudy:
    case_study = draft(world, **overrides)
    return domain.submit_case_study(actor=world.author, case_study=case_study)


def published(world: HubWorld, **overrides: Any) -> CaseStudy:
    case_study = submitted(world, **overrides)
    return domain.publish_case_study(actor=world.secretariat, case_study=case_study)
