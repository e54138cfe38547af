"""Content rules of a commitment (commitments.validation.check_commitment)."""

import datetime as dt
from decimal import Decimal

import pytest

from pledgebook.commitments.models import Application, GeographicScope
from pledgebook.commitments.validation import CommitmentData, add_years, check_commitment
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


@pytest.mark.parametrize(
    ("ends_on", "error"),
    [
        (dt.date(2026, 6, 1), "Commitments of commitment makers last at least 1 year(s)"),
        (dt.date(2031, 1, 2), "Commitments of commitment makers last at most 5 year(s)"),
        (dt.date(2025, 12, 31), "The end date must be after the start date."),
    ],
)
def test_maker_duration_rules(theme, org, ends_on, error):
    errors = check_commitment(data(theme, org, ends_on=ends_on), for_submission=False)
    assert list(errors) == ["ends_on"]
    assert errors["ends_on"][0].startswith(error)


def test_maker_bounds_are_inclusive(theme, org):
    for ends_on in (dt.date(2027, 1, 1), dt.date(2031, 1, 1)):
        assert check_commitment(data(theme, org, ends_on=ends_on), for_submission=True) == {}


def test_leaders_commit_for_five_years(theme):
    leader = factories.member_of(theme, role=Application.Role.LEADER).organisations.get()
    errors = check_commitment(data(theme, leader), for_submission=True)
    assert errors == {
        "ends_on": ["Commitments of leaders last at least 5 year(s): end on or after 2031-01-01."]
    }
    assert (
        check_commitment(data(theme, leader, ends_on=dt.date(2031, 1, 1)), for_submission=True)
        == {}
    )


def test_durations_come_from_the_programme(theme, org):
    theme.programme.maker_max_years = 2
    theme.programme.save()
    errors = check_commitment(data(theme, org, ends_on=dt.date(2029, 1, 1)), for_submission=True)
    assert errors["ends_on"] == [
        "Commitments of commitment makers last at most 2 year(s): end by 2028-01-01."
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


def test_amount_must_be_positive_and_financial(theme, org):
    usd = Currency.objects.get(code="USD")
    errors = check_commitment(
        data(theme, org, amount=Decimal("-5"), currency=usd), for_submission=False
    )
    assert errors == {
        "amount": ["The amount must be greater than zero."],
        "types": ["An amount is given: mark the commitment as financial."],
    }


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


def test_add_years_on_29_february():
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
