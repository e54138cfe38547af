"""Status lights, response rates and roll-ups."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.organisations.models import Category
from pledgebook.programmes.models import CommitmentType
from pledgebook.reference.models import Country, Currency
from pledgebook.reporting import figures
from pledgebook.reporting.models import ProgressReport, ReportingCycle
from tests import factories
from tests.reporting.factories import confirmed, cycle

S = ReportingCycle.Status


def submitted(c, cy, status="on_track", **kw):
    return ProgressReport.objects.create(
        commitment=c, cycle=cy, status="submitted", implementation_status=status, **kw
    )


def test_status_lights(programme, theme):
    now = timezone.now()
    days = dt.timedelta(days=1)
    old = cycle(
        programme,
        status=S.CLOSED,
        opens_at=now - 800 * days,
        deadline=now - 700 * days,
        closes_at=now - 690 * days,
    )
    last = cycle(
        programme,
        status=S.CLOSED,
        opens_at=now - 400 * days,
        deadline=now - 300 * days,
        closes_at=now - 290 * days,
    )
    current = cycle(
        programme,
        status=S.OPEN,
        opens_at=now - 10 * days,
        deadline=now + 20 * days,
        closes_at=now + 50 * days,
    )
    reported, _ = confirmed(theme)
    due, _ = confirmed(theme)
    silent, _ = confirmed(theme)
    submitted(reported, current)
    submitted(due, last)
    assert old.pk  # the oldest cycle is outside the two-cycle window
    lights = figures.status_lights([reported, due, silent], now=now)
    assert lights == {reported.pk: "reported", due.pk: "due", silent.pk: "inactive"}
    later = now + 21 * days
    assert figures.status_lights([reported, due], now=later) == {
        reported.pk: "reported",
        due.pk: "late",
    }


def test_no_cycle_means_no_light(programme, theme):
    c, _ = confirmed(theme)
    assert figures.status_lights([c]) == {c.pk: "none"}


def test_status_lights_use_two_queries_whatever_the_number(
    programme, theme, django_assert_num_queries
):
    cycle(programme, status=S.OPEN)
    items = [confirmed(theme)[0] for _ in range(3)]
    with django_assert_num_queries(2):
        figures.status_lights(items[:1])
    with django_assert_num_queries(2):
        figures.status_lights(items)


def test_response_rates_by_group(programme, theme):
    other_theme = factories.ThemeFactory(programme=programme, name="Other")
    cy = cycle(programme, status=S.OPEN)
    a, _ = confirmed(theme)
    b, _ = confirmed(theme)
    b.themes.add(other_theme)
    youth = factories.OrganisationFactory(
        category=Category.YOUTH_LED, country=Country.objects.get(iso2="FR")
    )
    c, _ = confirmed(theme, organisation=youth)
    submitted(b, cy)
    rates = figures.response_rates(cy)
    assert [(r.expected, r.reported, r.percent) for r in rates["programme"]] == [(3, 1, 33.3)]
    assert [(r.key, r.expected, r.reported) for r in rates["category"]] == [
        ("civil_society", 2, 1),
        ("youth_led", 1, 0),
    ]
    assert [(r.label, r.expected, r.reported) for r in rates["region"]] == [
        ("Africa", 2, 1),
        ("Europe", 1, 0),
    ]
    assert [(r.label, r.expected, r.reported) for r in rates["theme"]] == [
        (theme.name, 3, 1),
        ("Other", 1, 1),
    ]
    assert a.pk and c.pk


def test_latest_version_counts_and_disbursed_is_converted(programme, theme):
    cy = cycle(programme, status=S.OPEN)
    c, _ = confirmed(theme, amount=Decimal(1000), currency=Currency.objects.get(code="USD"))
    c.types.add(CommitmentType.objects.get(code="financial"))
    submitted(c, cy, status="delayed", version=1, disbursed_amount=Decimal(100))
    submitted(
        c,
        cy,
        status="on_track",
        version=2,
        disbursed_amount=Decimal(200),
        exchange_rate=Decimal("1.5"),
    )
    result = figures.roll_up(cy)
    assert result.programme.by_status == {"on_track": 1}
    assert result.programme.pledged == {"USD": 1000}
    assert result.programme.disbursed == {"USD": 300}
    assert result.programme.progress == 50.0
    assert result.by_type["financial"].pledged == {"USD": 500}
    assert result.by_type["programmatic"].pledged == {"USD": 500}


STATUSES = [None, "not_started", "on_track", "delayed", "completed", "discontinued"]


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.tuples(
            st.sets(st.integers(0, 2), min_size=1),
            st.sampled_from(STATUSES),
            st.sampled_from(["USD", "EUR", None]),
            st.integers(1, 10**6),
            st.sampled_from(list(Category.values)),
            st.sampled_from(["KE", "FR", "BR", "FJ"]),
        ),
        max_size=8,
    )
)
def test_parents_equal_the_sum_of_their_parts(db, rows):
    # Each example has its own programme: the database is shared between examples.
    programme = factories.ProgrammeFactory()
    themes = [factories.ThemeFactory(programme=programme) for _ in range(3)]
    cy = cycle(programme, status=S.OPEN)
    for theme_ix, status, currency, amount, category, iso2 in rows:
        org = factories.OrganisationFactory(
            category=category, country=Country.objects.get(iso2=iso2)
        )
        first = themes[min(theme_ix)]
        c, _ = confirmed(
            first,
            organisation=org,
            amount=Decimal(amount) if currency else None,
            currency=Currency.objects.get(code=currency) if currency else None,
        )
        c.themes.set([themes[i] for i in theme_ix])
        if status:
            submitted(
                c, cy, status=status, disbursed_amount=Decimal(amount // 3) if currency else None
            )
    result = figures.roll_up(cy)
    total = result.programme
    assert total.commitments == len(rows)
    for groups in (result.by_theme, result.by_category, result.by_region, result.by_type):
        parts = list(groups.values())
        assert sum((p.commitments for p in parts), Fraction(0)) == total.commitments
        assert sum((p.reported for p in parts), Fraction(0)) == total.reported
        assert sum((p.weighted for p in parts), Fraction(0)) == total.weighted
        for status in STATUSES[1:]:
            assert sum(
                (p.by_status.get(status, 0) for p in parts), Fraction(0)
            ) == total.by_status.get(status, 0)
        for cur in ("USD", "EUR"):
            assert sum((p.pledged.get(cur, 0) for p in parts), Fraction(0)) == total.pledged.get(
                cur, 0
            )
            assert sum(
                (p.disbursed.get(cur, 0) for p in parts), Fraction(0)
            ) == total.disbursed.get(cur, 0)
