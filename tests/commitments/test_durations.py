"""The duration rule of commitments at awkward dates (commitments.validation.last_day and
duration_errors): the end date is a day of the commitment, a calendar year is a year, and
29 February's anniversary in a common year is 1 March."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pledgebook.commitments.validation import anniversary, duration_errors, last_day

pytestmark = pytest.mark.dates

ONE_DAY = dt.timedelta(days=1)
DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
YEARS = st.integers(min_value=1, max_value=10)
# The autouse fixtures (clock, cache) do not change between examples of one test.
SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@pytest.mark.parametrize(
    ("starts_on", "years", "last"),
    [
        (dt.date(2026, 1, 1), 1, dt.date(2026, 12, 31)),  # a calendar year
        (dt.date(2026, 1, 1), 5, dt.date(2030, 12, 31)),  # a leader's five calendar years
        (dt.date(2024, 2, 29), 1, dt.date(2025, 2, 28)),  # leap day: its year ends 28 February
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 28)),  # ... or the day before 29 February
        (dt.date(2023, 3, 1), 1, dt.date(2024, 2, 29)),  # a year that includes a leap day
        (dt.date(2024, 3, 1), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 12, 31), 1, dt.date(2026, 12, 30)),
        (dt.date(2099, 3, 1), 1, dt.date(2100, 2, 28)),  # 2100 is not a leap year
    ],
)
def test_last_day_of_a_commitment_of_whole_years(starts_on, years, last):
    assert last_day(starts_on, years) == last


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "leader", "errors"),
    [
        # The reported cases: both were refused as too short.
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), False, []),
        (dt.date(2026, 1, 1), dt.date(2030, 12, 31), True, []),
        (
            dt.date(2026, 1, 1),
            dt.date(2026, 12, 30),
            False,
            [
                "Commitments of commitment makers last at least 1 year: "
                "end on or after 31 December 2026."
            ],
        ),
        (
            dt.date(2026, 1, 1),
            dt.date(2031, 1, 1),
            True,
            ["Commitments of leaders last at most 5 years: end by 31 December 2030."],
        ),
        (
            dt.date(2026, 1, 1),
            dt.date(2030, 12, 30),
            True,
            ["Commitments of leaders last at least 5 years: end on or after 31 December 2030."],
        ),
        (dt.date(2028, 2, 29), dt.date(2033, 2, 28), True, []),
        (
            dt.date(2028, 2, 29),
            dt.date(2033, 3, 1),
            True,
            ["Commitments of leaders last at most 5 years: end by 28 February 2033."],
        ),
        (
            dt.date(2026, 1, 1),
            dt.date(2026, 1, 1),
            False,
            ["The end date must be after the start date."],
        ),
    ],
)
def test_duration_rule(starts_on, ends_on, leader, errors):
    low, high = (5, 5) if leader else (1, 5)
    assert duration_errors(starts_on, ends_on, low=low, high=high, leader=leader) == errors


@SETTINGS
@given(starts_on=DAYS, years=YEARS)
@example(starts_on=dt.date(2024, 2, 29), years=1)
@example(starts_on=dt.date(2096, 2, 29), years=4)  # 2100 is not a leap year
def test_a_commitment_of_exactly_n_years_is_accepted_and_a_day_less_or_more_is_not(
    starts_on, years
):
    last = last_day(starts_on, years)

    assert duration_errors(starts_on, last, low=years, high=years, leader=False) == []
    shorter = duration_errors(starts_on, last - ONE_DAY, low=years, high=years, leader=False)
    longer = duration_errors(starts_on, last + ONE_DAY, low=years, high=years, leader=False)
    assert len(shorter) == 1 and "at least" in shorter[0]
    assert len(longer) == 1 and "at most" in longer[0]


@SETTINGS
@given(starts_on=DAYS, years=YEARS)
def test_n_years_cover_365_days_a_year_plus_the_leap_days_in_them(starts_on, years):
    last = last_day(starts_on, years)
    days = (last - starts_on).days + 1  # both days included
    leap_days = sum(
        1
        for year in range(starts_on.year, last.year + 1)
        if is_leap(year) and starts_on <= dt.date(year, 2, 29) <= last
    )
    assert days == 365 * years + leap_days


@SETTINGS
@given(starts_on=DAYS, years=YEARS)
def test_the_next_period_starts_on_the_anniversary(starts_on, years):
    following = last_day(starts_on, years) + ONE_DAY

    assert following == anniversary(starts_on, years)
    if (starts_on.month, starts_on.day) == (2, 29) and not is_leap(following.year):
        assert (following.month, following.day) == (3, 1)
    else:
        assert (following.year, following.month, following.day) == (
            starts_on.year + years,
            starts_on.month,
            starts_on.day,
        )


@SETTINGS
@given(year=st.integers(min_value=1990, max_value=2090), years=YEARS)
def test_calendar_years_are_years(year, years):
    assert last_day(dt.date(year, 1, 1), years) == dt.date(year + years - 1, 12, 31)


@SETTINGS
@given(starts_on=DAYS, years=st.integers(min_value=1, max_value=9))
def test_more_years_end_later(starts_on, years):
    assert last_day(starts_on, years) < last_day(starts_on, years + 1)
