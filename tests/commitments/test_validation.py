"""Content rules of a commitment (commitments.validation.check_commitment)."""

import datetime as dt
from decimal import Decimal

import pytest

from pledgebook.commitments import validation
from pledgebook.commitments.models import Application, GeographicScope
from pledgebook.commitments.validation import CommitmentData, check_commitment
from pledgebook.programmes.models import CommitmentType
from pledgebook.reference.models import Country, Currency, Goal, Region, Target
from tests import factories


@pytest.fixture
def org(member):
    return member.organisations.get()


def data(theme, org, **overrides):
    base = {
        "programme": theme.programme,
        "organisation": org,
        "title": "Train 500 teachers in 3 provinces",
        "description": " ".join(["word"] * 25),
        "types": {"programmatic"},
        "themes": [theme],
        "countries": [Country.objects.get(iso2="KE")],
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2028, 1, 1),
        "endorsement_level": "executive",
    }
    base.update(overrides)
    return CommitmentData(**base)


def test_a_complete_commitment_is_valid(theme, org):
    assert check_commitment(data(theme, org), for_submission=True) == {}


def test_a_draft_may_be_incomplete(theme, org):
    empty = CommitmentData(programme=theme.programme, organisation=org)
    assert check_commitment(empty, for_submission=False) == {}
    assert set(check_commitment(empty, for_submission=True)) == {
        "title",
        "description",
        "types",
        "themes",
        "starts_on",
        "ends_on",
        "endorsement_level",
        "countries",
    }


@pytest.mark.dates
@pytest.mark.parametrize(
    ("ends_on", "error"),
    [
        (
            dt.date(2026, 6, 1),
            "Commitments of commitment makers last at least 1 year: "
            "end on or after 31 December 2026.",
        ),
        (
            dt.date(2031, 1, 1),
            "Commitments of commitment makers last at most 5 years: end by 31 December 2030.",
        ),
        (dt.date(2025, 12, 31), "The end date must be after the start date."),
    ],
)
def test_maker_duration_rules(theme, org, ends_on, error):
    errors = check_commitment(data(theme, org, ends_on=ends_on), for_submission=False)
    assert errors == {"ends_on": [error]}


@pytest.mark.dates
def test_a_calendar_year_is_a_year(theme, org):
    """1 January 2026 to 31 December 2026 was refused as shorter than one year."""
    for ends_on in (dt.date(2026, 12, 31), dt.date(2030, 12, 31)):
        assert check_commitment(data(theme, org, ends_on=ends_on), for_submission=True) == {}


@pytest.mark.dates
def test_leaders_commit_for_five_calendar_years(theme):
    leader = factories.member_of(theme, role=Application.Role.LEADER).organisations.get()
    errors = check_commitment(data(theme, leader), for_submission=True)
    assert errors == {
        "ends_on": [
            "Commitments of leaders last at least 5 years: end on or after 31 December 2030."
        ]
    }
    five = data(theme, leader, ends_on=dt.date(2030, 12, 31))
    assert check_commitment(five, for_submission=True) == {}
    a_day_more = data(theme, leader, ends_on=dt.date(2031, 1, 1))
    assert check_commitment(a_day_more, for_submission=True) == {
        "ends_on": ["Commitments of leaders last at most 5 years: end by 31 December 2030."]
    }


@pytest.mark.dates
def test_a_commitment_starting_on_29_february(theme, org):
    leap = {"starts_on": dt.date(2028, 2, 29)}
    one_year = data(theme, org, ends_on=dt.date(2029, 2, 28), **leap)
    assert check_commitment(one_year, for_submission=True) == {}
    errors = check_commitment(
        data(theme, org, ends_on=dt.date(2029, 2, 27), **leap), for_submission=True
    )
    assert errors == {
        "ends_on": [
            "Commitments of commitment makers last at least 1 year: "
            "end on or after 28 February 2029."
        ]
    }


@pytest.mark.dates
def test_durations_come_from_the_programme(theme, org):
    theme.programme.maker_max_years = 2
    theme.programme.maker_min_years = 2
    theme.programme.save()
    errors = check_commitment(data(theme, org, ends_on=dt.date(2028, 1, 1)), for_submission=True)
    assert errors["ends_on"] == [
        "Commitments of commitment makers last at most 2 years: end by 31 December 2027."
    ]
    errors = check_commitment(data(theme, org, ends_on=dt.date(2027, 1, 1)), for_submission=True)
    assert errors["ends_on"] == [
        "Commitments of commitment makers last at least 2 years: end on or after 31 December 2027."
    ]


def test_amount_needs_a_currency_and_currency_an_amount(theme, org):
    fin = {"types": {"financial"}, "funds_are_new": True}
    errors = check_commitment(data(theme, org, amount=Decimal("1000"), **fin), for_submission=True)
    assert errors == {"currency": ["Give the currency of the amount."]}
    usd = Currency.objects.get(code="USD")
    errors = check_commitment(data(theme, org, currency=usd, **fin), for_submission=True)
    assert errors == {
        "amount": ["Give the amount in USD.", "A financial commitment needs an amount."]
    }


def test_amount_must_be_positive(theme, org):
    usd = Currency.objects.get(code="USD")
    errors = check_commitment(
        data(theme, org, amount=Decimal("-5"), currency=usd), for_submission=False
    )
    assert errors == {"amount": ["The amount must be greater than zero."]}


@pytest.mark.parametrize("kind", ["policy", "programmatic", "advocacy"])
def test_any_type_may_carry_a_budget(theme, org, kind):
    """A policy or programmatic commitment with a budget was refused ("An amount is given:
    mark the commitment as financial"); seed 001 asks every strong commitment to be
    resourced."""
    usd = Currency.objects.get(code="USD")
    budget = data(theme, org, types={kind}, amount=Decimal("250000"), currency=usd)
    assert check_commitment(budget, for_submission=True) == {}
    # The budget's funds need not be declared new, but the assessment asks for it.
    assert check_commitment(data(theme, org, types={kind}), for_submission=True) == {}


def test_a_financial_commitment_needs_its_amount(theme, org):
    errors = check_commitment(
        data(theme, org, types={"financial"}, funds_are_new=True), for_submission=True
    )
    assert errors == {"amount": ["A financial commitment needs an amount."]}


def test_financial_commitment_says_whether_funds_are_new(theme, org):
    usd = Currency.objects.get(code="USD")
    errors = check_commitment(
        data(theme, org, types={"financial"}, amount=Decimal("10"), currency=usd),
        for_submission=True,
    )
    assert errors == {"funds_are_new": ["Say whether the funds are new."]}


def test_type_not_accepted_by_the_programme(theme, org):
    theme.programme.commitment_types.set(CommitmentType.objects.filter(code="policy"))
    errors = check_commitment(data(theme, org), for_submission=False)
    assert errors == {"types": ["This programme does not accept programmatic commitments."]}


def test_theme_where_the_organisation_is_not_a_member(theme, org):
    other = factories.ThemeFactory(programme=theme.programme, name="Climate")
    errors = check_commitment(data(theme, org, themes=[theme, other]), for_submission=False)
    assert errors == {
        "themes": [
            "Your organisation is not a confirmed member of “Climate”: apply to join it first."
        ]
    }


def test_theme_of_another_programme(theme, org):
    foreign = factories.ThemeFactory(name="Foreign")
    errors = check_commitment(data(theme, org, themes=[theme, foreign]), for_submission=False)
    assert errors == {"themes": ["“Foreign” is not a theme of this programme."]}


def test_action_of_a_theme_not_chosen(theme, org):
    action = factories.ActionFactory(theme=factories.ThemeFactory(programme=theme.programme))
    errors = check_commitment(data(theme, org, actions=[action]), for_submission=False)
    assert errors == {"actions": [f"Action “{action}” belongs to a theme you did not choose."]}


def test_target_needs_its_goal(theme, org):
    target = Target.objects.get(code="5.a")
    errors = check_commitment(data(theme, org, targets=[target]), for_submission=False)
    assert errors == {"targets": ["Target 5.a belongs to SDG 5: select that goal too."]}
    ok = data(theme, org, targets=[target], goals=[Goal.objects.get(number=5)])
    assert check_commitment(ok, for_submission=True) == {}


def test_geography_by_scope(theme, org):
    errors = check_commitment(data(theme, org, countries=[]), for_submission=True)
    assert list(errors) == ["countries"]
    regional = data(theme, org, countries=[], scope=GeographicScope.REGIONAL)
    assert list(check_commitment(regional, for_submission=True)) == ["regions"]
    regional.regions = [Region.objects.get(m49="002")]
    assert check_commitment(regional, for_submission=True) == {}
    world = data(theme, org, countries=[], scope=GeographicScope.GLOBAL)
    assert check_commitment(world, for_submission=True) == {}


def test_co_maker_must_be_a_member_of_a_chosen_theme(theme, org):
    outsider = factories.OrganisationFactory(name="Outsider")
    member = factories.member_of(theme).organisations.get()
    errors = check_commitment(data(theme, org, co_makers=[outsider, member]), for_submission=False)
    assert errors == {"co_makers": ["Outsider is not a confirmed member of the chosen themes."]}
    errors = check_commitment(data(theme, org, co_makers=[org]), for_submission=False)
    assert errors == {"co_makers": ["The lead organisation cannot also be a co-maker."]}


def test_conditional_pledge_states_its_condition(theme, org):
    errors = check_commitment(data(theme, org, is_conditional=True), for_submission=False)
    assert errors == {"condition": ["Say what approval the pledge depends on."]}


def test_anniversary_of_29_february():
    assert validation.anniversary(dt.date(2024, 2, 29), 1) == dt.date(2025, 3, 1)
    assert validation.anniversary(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
