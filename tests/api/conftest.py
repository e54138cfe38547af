"""A small world for the API tests: what is public and, beside it, everything that must not
show (drafts, declined and in-review commitments, an unpublished programme, organisations that
only applied or were only invited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import pytest

from pledgebook.commitments.models import (
    Application,
    AssessmentOverride,
    CoMaker,
    Commitment,
    EndorsementLevel,
    GeographicScope,
)
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Action, CommitmentType, Programme, Theme
from pledgebook.reference.models import Country, Currency, Goal, Region, Target
from tests import factories

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class World:
    programme: Programme
    other: Programme
    hidden: Programme
    theme_a: Theme
    theme_b: Theme
    theme_other: Theme
    theme_hidden: Theme
    action_a1: Action
    action_a2: Action
    lead_ke: Organisation
    lead_fr: Organisation
    lead_other: Organisation
    co_maker: Organisation
    invited: Organisation
    member: Organisation
    applicant: Organisation
    hidden_member: Organisation
    drafter: Organisation
    hidden_lead: Organisation
    c1: Commitment
    c2: Commitment
    c3: Commitment
    draft: Commitment
    declined: Commitment
    in_review: Commitment
    hidden_commitment: Commitment

    @property
    def public_ids(self) -> set[int]:
        return {self.c1.pk, self.c2.pk, self.c3.pk}


def relate(
    commitment: Commitment,
    *,
    themes: list[Theme],
    types: list[str],
    countries: Sequence[str] = (),
    regions: Sequence[str] = (),
    goals: Sequence[int] = (),
    targets: Sequence[str] = (),
    actions: Sequence[Action] = (),
) -> Commitment:
    commitment.themes.set(themes)
    commitment.types.set(CommitmentType.objects.filter(code__in=types))
    commitment.countries.set(Country.objects.filter(iso2__in=countries))
    commitment.regions.set(Region.objects.filter(m49__in=regions))
    commitment.goals.set(Goal.objects.filter(number__in=goals))
    commitment.targets.set(Target.objects.filter(code__in=targets))
    commitment.actions.set(actions)
    return commitment


# factory_boy's calls are typed as returning the factory: these say what they return.
def make_programme(**kwargs: Any) -> Programme:
    return cast(Programme, factories.ProgrammeFactory(**kwargs))


def make_theme(**kwargs: Any) -> Theme:
    return cast(Theme, factories.ThemeFactory(**kwargs))


def make_action(**kwargs: Any) -> Action:
    return cast(Action, factories.ActionFactory(**kwargs))


def make_commitment(**kwargs: Any) -> Commitment:
    # The representations are compared exactly: the dates are given, not the factory's.
    kwargs.setdefault("starts_on", dt.date(2026, 1, 1))
    kwargs.setdefault("ends_on", dt.date(2028, 12, 31))
    return cast(Commitment, factories.CommitmentFactory(**kwargs))


def organisation(name: str, slug: str, category: str, country: str) -> Organisation:
    org = cast(
        Organisation,
        factories.OrganisationFactory(
            name=name, slug=slug, category=category, country=Country.objects.get(iso2=country)
        ),
    )
    factories.representative(org)  # a person with an e-mail, never to be exposed
    return org


@pytest.fixture
def world(db) -> World:
    programme = make_programme(
        slug="equality-forum",
        name="Equality Forum",
        summary="Action coalitions for gender equality.",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2029, 12, 31),
        registration_opens_at=NOW - dt.timedelta(days=10),
        registration_closes_at=NOW + dt.timedelta(days=20),
    )
    other = make_programme(
        slug="ocean-conference",
        name="Ocean Conference",
        kind=Programme.Kind.CONFERENCE,
        starts_on=dt.date(2024, 6, 1),
        commitment_types=list(CommitmentType.objects.filter(code__in=["programmatic", "policy"])),
    )
    hidden = make_programme(slug="secret-forum", name="Secret", is_published=False)
    theme_a = make_theme(
        programme=programme, slug="economic-justice", name="Economic justice", position=1
    )
    theme_a.goals.set(Goal.objects.filter(number__in=[5, 8]))
    theme_b = make_theme(
        programme=programme, slug="technology", name="Technology and innovation", position=2
    )
    theme_other = make_theme(programme=other, slug="coasts", name="Coasts")
    theme_hidden = make_theme(programme=hidden, slug="hush", name="Hush")
    action_a1 = make_action(theme=theme_a, code="1.1", title="Decent work", position=1)
    action_a2 = make_action(theme=theme_a, code="1.2", title="Care economy", position=2)

    lead_ke = organisation("Amani Women Fund", "amani", Category.CIVIL_SOCIETY, "KE")
    lead_fr = organisation("Bleu Tech", "bleu-tech", Category.PRIVATE_SECTOR, "FR")
    lead_other = organisation("Coral Trust", "coral-trust", Category.PHILANTHROPY, "TZ")
    co_maker = organisation("Delta Youth", "delta-youth", Category.YOUTH_LED, "UG")
    invited = organisation("Echo Invited", "echo-invited", Category.OTHER, "KE")
    member = organisation("Fanaka Network", "fanaka", Category.CIVIL_SOCIETY, "UG")
    applicant = organisation("Gamma Applicant", "gamma", Category.CIVIL_SOCIETY, "KE")
    hidden_member = organisation("Hidden Member", "hidden-member", Category.OTHER, "KE")
    drafter = organisation("Iota Drafts", "iota", Category.GOVERNMENT, "KE")
    hidden_lead = organisation("Juno Hidden Lead", "juno", Category.OTHER, "FR")

    approved = Application.Status.APPROVED
    factories.ApplicationFactory(
        theme=theme_a,
        organisation=member,
        status=approved,
        role=Application.Role.LEADER,
        decided_at=NOW,
    )
    factories.ApplicationFactory(theme=theme_a, organisation=applicant)  # pending
    factories.ApplicationFactory(
        theme=theme_b, organisation=applicant, status=Application.Status.DECLINED
    )
    factories.ApplicationFactory(theme=theme_hidden, organisation=hidden_member, status=approved)

    confirmed = Commitment.Status.CONFIRMED
    c1 = make_commitment(
        theme=theme_a,
        organisation=lead_ke,
        title="Finance 200 women-led cooperatives by 2027",
        status=confirmed,
        scope=GeographicScope.NATIONAL,
        amount=Decimal("1500000.00"),
        currency=Currency.objects.get(code="USD"),
        funds_are_new=True,
        endorsement_level=EndorsementLevel.MINISTER,
        submitted_at=NOW - dt.timedelta(days=2),
        decided_at=NOW - dt.timedelta(days=1),
    )
    relate(
        c1,
        themes=[theme_a],
        types=["financial", "policy"],
        countries=["KE", "UG"],
        goals=[5, 8],
        targets=["5.1", "5.a"],
        actions=[action_a1],
    )
    CoMaker.objects.create(commitment=c1, organisation=co_maker, confirmed_at=NOW)
    CoMaker.objects.create(commitment=c1, organisation=invited)  # not confirmed
    c2 = make_commitment(
        theme=theme_b,
        organisation=lead_fr,
        title="Teach 10000 girls coding across Europe",
        status=Commitment.Status.FEATURED,
        scope=GeographicScope.REGIONAL,
        submitted_at=NOW - dt.timedelta(days=1),
        decided_at=NOW,
    )
    relate(c2, themes=[theme_b], types=["advocacy"], countries=["FR"], regions=["150"], goals=[4])
    c3 = make_commitment(
        theme=theme_other,
        organisation=lead_other,
        title="Solar power for 300 rural clinics by 2028",
        status=confirmed,
        submitted_at=NOW - dt.timedelta(days=3),
        decided_at=NOW - dt.timedelta(days=2),
    )
    relate(c3, themes=[theme_other], types=["programmatic"], countries=["TZ"], goals=[5, 7])

    draft = make_commitment(theme=theme_a, organisation=drafter, title="Draft plan")
    relate(draft, themes=[theme_a], types=["financial"], countries=["KE"], goals=[5])
    declined = make_commitment(
        theme=theme_a,
        organisation=drafter,
        title="Declined plan",
        status=Commitment.Status.DECLINED,
        submitted_at=NOW,
    )
    relate(declined, themes=[theme_a], types=["financial"], countries=["KE"], goals=[5])
    in_review = make_commitment(
        theme=theme_b,
        organisation=drafter,
        title="Plan in review",
        status=Commitment.Status.IN_REVIEW,
        submitted_at=NOW,
    )
    # A confirmed commitment in an unpublished programme, co-made by the invited
    # organisation: neither it nor its organisations are public.
    hidden_commitment = make_commitment(
        theme=theme_hidden,
        organisation=hidden_lead,
        title="Hidden confirmed plan",
        status=confirmed,
        submitted_at=NOW,
    )
    relate(hidden_commitment, themes=[theme_hidden], types=["financial"], countries=["KE"])
    CoMaker.objects.create(commitment=hidden_commitment, organisation=invited, confirmed_at=NOW)
    AssessmentOverride.objects.create(
        commitment=c1, criterion="impact", met=True, note="Reach is documented in annex."
    )
    return World(
        programme=programme,
        other=other,
        hidden=hidden,
        theme_a=theme_a,
        theme_b=theme_b,
        theme_other=theme_other,
        theme_hidden=theme_hidden,
        action_a1=action_a1,
        action_a2=action_a2,
        lead_ke=lead_ke,
        lead_fr=lead_fr,
        lead_other=lead_other,
        co_maker=co_maker,
        invited=invited,
        member=member,
        applicant=applicant,
        hidden_member=hidden_member,
        drafter=drafter,
        hidden_lead=hidden_lead,
        c1=c1,
        c2=c2,
        c3=c3,
        draft=draft,
        declined=declined,
        in_review=in_review,
        hidden_commitment=hidden_commitment,
    )
