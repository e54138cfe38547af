"""The five criteria of a strong commitment, computed and overridden."""

import datetime as dt
from decimal import Decimal

import pytest

from pledgebook.commitments.assessment import assess
from pledgebook.commitments.models import AssessmentOverride
from pledgebook.commitments.validation import CommitmentData
from pledgebook.reference.models import Country, Currency, Goal, Target
from tests import factories

STRONG_TEXT = (
    "By 2027 we will train 5,000 women cooperative members in climate-resilient agriculture "
    "across 12 districts of Kenya and Uganda, reaching 40,000 household members. "
) * 4


@pytest.fixture
def strong(theme, member):
    org = member.organisations.get()
    partner = factories.member_of(theme).organisations.get()
    return CommitmentData(
        programme=theme.programme,
        organisation=org,
        title="Climate-resilient farming for 5,000 women by 2027",
        description=STRONG_TEXT,
        types={"financial", "programmatic"},
        themes=[theme],
        actions=[factories.ActionFactory(theme=theme)],
        goals=[Goal.objects.get(number=5)],
        targets=[Target.objects.get(code="5.a")],
        countries=[Country.objects.get(iso2="KE")],
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        amount=Decimal("2000000"),
        currency=Currency.objects.get(code="USD"),
        funds_are_new=True,
        endorsement_level="minister",
        co_makers=[partner],
        confirmed_co_makers=1,
    )


def test_a_strong_commitment_meets_all_five(strong):
    result = assess(strong)
    assert [(c.key, c.met) for c in result.criteria] == [
        ("impact", True),
        ("funding", True),
        ("endorsement", True),
        ("collective", True),
        ("smart", True),
    ]
    assert result.score == 5
    assert result.label == "Strong commitment"


def test_a_vague_commitment_gets_concrete_advice(theme, member):
    vague = CommitmentData(
        programme=theme.programme,
        organisation=member.organisations.get(),
        title="Support women",
        description="We support women and girls everywhere with our partners.",
    )
    result = assess(vague)
    assert result.score == 0
    assert result.label == "Needs work"
    advice = {c.key: c.advice for c in result.criteria}
    assert advice["smart"] == (
        "Name a measurable target and a date (for example “train 500 teachers by 2027”).",
        "Make it time-bound: give an end date and say by when each result comes.",
    )
    assert advice["collective"] == (
        "Design it with other stakeholders: invite co-makers from your coalition.",
    )
    assert advice["impact"] == (
        "Say whom the change reaches and how many or how much: for example “3,000 women "
        "farmers”, “120 hectares of mangrove”, “30% of our marine area”.",
        "Say where the commitment applies: countries, regions or global.",
    )
    assert advice["funding"] == (
        "State the resources behind the commitment: an amount and its currency, in the budget "
        "of your organisation.",
    )
    assert len(advice["endorsement"]) == 1
    assert {c.key: c.reason for c in result.criteria} == {
        "impact": "No reach (how many people, places or how much area) is stated.",
        "funding": "No amount is stated.",
        "endorsement": "No level of endorsement is stated.",
        "collective": "No co-maker has confirmed and no partner is named.",
        "smart": "No measurable target and no date.",
    }


def test_pending_co_makers_are_not_yet_collective(strong):
    strong.confirmed_co_makers = 0
    collective = assess(strong).criteria[3]
    assert (collective.met, collective.advice) == (
        False,
        ("Waiting for your co-makers to confirm their part.",),
    )


def test_funds_that_are_not_new_do_not_meet_funding(strong):
    strong.funds_are_new = False
    funding = assess(strong).criteria[1]
    assert funding.met is False


def test_override_replaces_the_computed_value_and_keeps_it_visible(strong):
    overrides = [AssessmentOverride(criterion="endorsement", met=False, note="Not signed yet.")]
    endorsement = assess(strong, overrides).criteria[2]
    assert (endorsement.computed, endorsement.met, endorsement.override_note) == (
        True,
        False,
        "Not signed yet.",
    )
    assert endorsement.overridden
    assert assess(strong, overrides).score == 4


def test_a_budget_behind_a_policy_commitment_meets_the_funding_criterion(strong):
    """Funding reads the amount whatever the type: a policy commitment's budget resources it."""
    strong.types = {"policy"}
    funding = {c.key: c for c in assess(strong).criteria}["funding"]
    assert (funding.met, funding.advice) == (True, ())


def test_co_makers_that_all_declined_are_not_awaited(strong):
    strong.confirmed_co_makers = 0
    strong.declined_co_makers = 1
    collective = {c.key: c for c in assess(strong).criteria}["collective"]
    assert collective.advice == (
        "Design it with other stakeholders: invite co-makers from your coalition.",
    )
    strong.declined_co_makers = 0
    collective = {c.key: c for c in assess(strong).criteria}["collective"]
    assert collective.advice == ("Waiting for your co-makers to confirm their part.",)
