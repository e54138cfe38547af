"""Status lights, response rates and roll-ups."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.commitments import domain as commitment_domain
from pledgebook.commitments.models import Commitment
from pledgebook.organisations import domain as org_domain
from pledgebook.organisations.models import Category
from pledgebook.programmes.models import CommitmentType, Programme, ProgrammeRole
from pledgebook.reference.models import Country, Currency
from pledgebook.reporting import domain, figures
from pledgebook.reporting.models import FiguresSnapshot, ProgressReport, ReportingCycle
from tests import factories
from tests.reporting.factories import confirmed, cycle

# Dates decide what these tests check: they also run at the awkward instants of tests/clocks.py.
pytestmark = pytest.mark.dates

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
    # Running since before the oldest cycle: expected in all three.
    running = {"starts_on": (now - 1000 * days).date(), "ends_on": (now + 1000 * days).date()}
    reported, _ = confirmed(theme, **running)
    due, _ = confirmed(theme, **running)
    silent, _ = confirmed(theme, **running)
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


def test_a_budget_is_rolled_up_like_money_pledged(programme, theme):
    """Any type may carry an amount (the budget of a policy commitment): the roll-ups count
    it as the assessment's funding criterion does, under its own type."""
    cy = cycle(programme, status=S.OPEN)
    c, _ = confirmed(theme, amount=Decimal(250000), currency=Currency.objects.get(code="USD"))
    c.types.set(CommitmentType.objects.filter(code="policy"))
    result = figures.roll_up(cy)
    assert result.programme.pledged == {"USD": 250000}
    assert result.by_type["policy"].pledged == {"USD": 250000}
    assert "financial" not in result.by_type


def test_a_commitment_in_two_themes_counts_once_in_each_and_once_in_the_total(programme, theme):
    other = factories.ThemeFactory(programme=programme, name="Other")
    cy = cycle(programme, status=S.OPEN)
    c, _ = confirmed(theme, amount=Decimal(1000), currency=Currency.objects.get(code="USD"))
    c.themes.add(other)
    submitted(c, cy, status="completed")
    result = figures.roll_up(cy)
    assert result.programme.commitments == 1
    for group in (result.by_theme[theme.pk], result.by_theme[other.pk]):
        assert (group.commitments, group.reported, dict(group.by_status)) == (
            1,
            1,
            {"completed": 1},
        )
        assert group.progress == 100.0
        assert group.pledged == {"USD": 500}  # its money in halves: the themes add up


def test_disbursed_so_far_is_kept_when_a_maker_skips_a_cycle(programme, theme):
    usd = Currency.objects.get(code="USD")
    now = timezone.now()
    past = cycle(
        programme,
        status=S.CLOSED,
        name="2025",
        opens_at=now - dt.timedelta(days=400),
        deadline=now - dt.timedelta(days=350),
        closes_at=now - dt.timedelta(days=300),
    )
    current = cycle(programme, status=S.OPEN)
    # Running and confirmed before the past cycle opened: expected in both cycles.
    made = {
        "amount": Decimal(1000),
        "currency": usd,
        "starts_on": (now - dt.timedelta(days=600)).date(),
        "ends_on": (now + dt.timedelta(days=600)).date(),
        "decided_at": now - dt.timedelta(days=500),
    }
    skipper, _ = confirmed(theme, **made)
    blank, _ = confirmed(theme, **made)
    again, _ = confirmed(theme, **made)
    submitted(skipper, past, disbursed_amount=Decimal(400))
    submitted(blank, past, disbursed_amount=Decimal(100), exchange_rate=Decimal(2))
    submitted(blank, current)  # reported, but gave no amount this time
    submitted(again, past, disbursed_amount=Decimal(100))
    submitted(again, current, disbursed_amount=Decimal(700))
    # A later cycle's report never counts in an earlier cycle.
    assert figures.roll_up(past).programme.disbursed == {"USD": 400 + 200 + 100}
    result = figures.roll_up(current)
    assert result.programme.disbursed == {"USD": 400 + 200 + 700}
    assert result.programme.reported == 2  # skipping still means not reported this cycle
    assert figures.current(current).rollup == result


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
    # The snapshot's sums read back to exactly the same figures.
    assert figures.current(cy) == figures.compute(cy)
    assert figures.current(cy).rollup == result
    total = result.programme
    assert total.commitments == len(rows)
    # Counts are whole: a commitment counts once in its category and region, and once in
    # each of its themes (so the themes add up to Σ k, not to the total).
    themes_of = [len(theme_ix) for theme_ix, *_rest in rows]
    reported_themes = [len(t) for t, status, *_rest in rows if status]
    weights = [
        len(t) * figures.STATUS_WEIGHTS[figures.ImplementationStatus(status)]
        for t, status, *_rest in rows
        if status
    ]
    by_theme = list(result.by_theme.values())
    assert sum(p.commitments for p in by_theme) == sum(themes_of)
    assert sum(p.reported for p in by_theme) == sum(reported_themes)
    assert sum((p.weighted for p in by_theme), Fraction(0)) == sum(weights, Fraction(0))
    for groups in (result.by_theme, result.by_category, result.by_region, result.by_type):
        parts = list(groups.values())
        for p in parts:
            assert isinstance(p.commitments, int) and isinstance(p.reported, int)
        if groups is not result.by_theme:  # one type each here: they add up like categories
            assert sum(p.commitments for p in parts) == total.commitments
            assert sum(p.reported for p in parts) == total.reported
            assert sum((p.weighted for p in parts), Fraction(0)) == total.weighted
            for status in STATUSES[1:]:
                assert sum(p.by_status.get(status, 0) for p in parts) == total.by_status.get(
                    status, 0
                )
        # Money is shared (1/k in each theme): every dimension adds up to the total.
        for cur in ("USD", "EUR"):
            assert sum((p.pledged.get(cur, 0) for p in parts), Fraction(0)) == total.pledged.get(
                cur, 0
            )
            assert sum(
                (p.disbursed.get(cur, 0) for p in parts), Fraction(0)
            ) == total.disbursed.get(cur, 0)


# Snapshots -------------------------------------------------------------------------------------


def test_the_snapshot_is_served_while_nothing_changed(programme, theme, django_assert_num_queries):
    cy = cycle(programme, status=S.OPEN)
    a, _ = confirmed(theme)
    confirmed(theme)
    submitted(a, cy)
    assert figures.refresh(cy) is True  # computed and stored
    assert figures.refresh(cy) is False  # still current
    # fingerprint (5) + snapshot (1) + labels (2): no pass over the commitments
    with django_assert_num_queries(8):
        served = figures.current(cy)
    assert served == figures.compute(cy)
    assert served.rates["programme"][0].reported == 1


def test_every_change_the_figures_depend_on_is_seen(programme, theme):
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    cy = cycle(programme, status=S.OPEN)
    a, user = confirmed(theme, amount=Decimal(1000), currency=Currency.objects.get(code="USD"))
    confirmed(theme)

    def programme_rate():
        rate = figures.current(cy).rates["programme"][0]
        return rate.expected, rate.reported

    assert programme_rate() == (2, 0)
    # a report is submitted
    report = ProgressReport.objects.create(
        commitment=a,
        cycle=cy,
        implementation_status="on_track",
        narrative="We opened two training centres this year.",
    )
    assert programme_rate() == (2, 0)  # a draft does not count
    domain.submit_report(actor=user, report=report)
    assert programme_rate() == (2, 1)
    # a commitment in review is confirmed: it joins the record
    c = factories.CommitmentFactory(theme=theme, status=Commitment.Status.IN_REVIEW)
    commitment_domain.confirm_commitment(actor=reviewer, commitment=c)
    assert programme_rate() == (3, 1)
    # its maker's organisation changes category
    org = a.organisation
    org.category = Category.YOUTH_LED
    org_domain.update_organisation(actor=user, organisation=org, fields=["category"])
    by_category = {r.key: (r.expected, r.reported) for r in figures.current(cy).rates["category"]}
    assert by_category == {"civil_society": (2, 0), "youth_led": (1, 1)}
    # the programme gets a theme and the commitment counts in it too
    other = factories.ThemeFactory(programme=programme, name="Other")
    a.themes.add(other)
    a.save()
    assert figures.current(cy).rollup.by_theme == figures.compute(cy).rollup.by_theme
    assert figures.current(cy).rollup.by_theme[other.pk].commitments == 1
    assert figures.current(cy).rollup.by_theme[other.pk].pledged == {"USD": 500}


def test_an_old_snapshot_is_recomputed(programme, theme):
    cy = cycle(programme, status=S.OPEN)
    confirmed(theme)
    now = timezone.now()
    assert figures.refresh(cy, now=now) is True
    assert figures.refresh(cy, now=now + figures.MAX_AGE / 2) is False
    assert figures.refresh(cy, now=now + figures.MAX_AGE) is True


def test_a_submitted_report_brings_the_snapshot_up_to_date(
    programme, theme, django_capture_on_commit_callbacks
):
    cy = cycle(programme, status=S.OPEN)
    a, user = confirmed(theme)
    figures.refresh(cy)
    report = ProgressReport.objects.create(
        commitment=a,
        cycle=cy,
        implementation_status="completed",
        narrative="All three centres are open and running.",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        domain.submit_report(actor=user, report=report)
    assert len(callbacks) == 1  # the refresh task, enqueued after the commit
    snapshot = FiguresSnapshot.objects.get(cycle=cy)
    assert snapshot.fingerprint == figures.fingerprint(cy)
    assert figures.refresh(cy) is False


def test_refresh_after_a_change_recomputes_a_snapshot_taken_before_it(programme, theme):
    # The fingerprint may miss a change whose transaction committed after a later one: the
    # task enqueued after the commit says when, and a snapshot taken before is recomputed.
    cy = cycle(programme, status=S.OPEN)
    confirmed(theme)
    now = timezone.now()
    figures.refresh(cy, now=now)
    assert figures.refresh(cy, since=now - dt.timedelta(seconds=1)) is False
    assert figures.refresh(cy, since=now + dt.timedelta(seconds=1)) is True
    assert FiguresSnapshot.objects.get(cycle=cy).computed_at > now


# Days (relative to now) where the rule changes: the opening, deadline and close of each cycle
# of the test below, and the day on either side.
CYCLE_DAYS = (-900, -810, -805, -800, -500, -410, -405, -400, -30, -29, -2, -1, 20, 40)
EDGES = sorted({d + e for d in CYCLE_DAYS for e in (-1, 0, 1)})
DAY_OFFSET = st.one_of(st.none(), st.sampled_from(EDGES), st.integers(-1300, 60))
COMMITMENT = st.tuples(
    st.sampled_from(["confirmed", "featured", "confirmed", "submitted"]),  # status
    DAY_OFFSET,  # starts_on
    DAY_OFFSET,  # ends_on
    DAY_OFFSET,  # decided_at
    st.sets(st.integers(0, 2), max_size=3),  # the cycles it reported in (0: current)
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    joins=st.sampled_from(Programme.ReportingJoins.values),
    current_dates=st.sampled_from([(-2, 40), (20, 40), (-30 + 1, -1)]),
    closed_early=st.booleans(),
    n_past=st.integers(0, 2),
    rows=st.lists(COMMITMENT, min_size=1, max_size=6),
)
def test_the_escalation_query_agrees_with_the_status_lights(
    db, joins, current_dates, closed_early, n_past, rows
):
    # One rule (figures.Window over expected.Terms), computed in Python for a page of
    # commitments and in SQL for a whole programme: both give the same late and inactive
    # commitments, whatever the commitments' dates, decisions and the programme's rule.
    programme = factories.ProgrammeFactory(reporting_joins=joins)
    theme = factories.ThemeFactory(programme=programme)
    now = timezone.now()
    days = dt.timedelta(days=1)

    def at(offset):
        return None if offset is None else now + offset * days

    cycles = [
        cycle(
            programme,
            status=S.CLOSED,
            opens_at=now - (400 * k + 100) * days,
            deadline=now - (400 * k + 10) * days,
            closes_at=now - (400 * k) * days,
            # the secretariat may have closed it early
            closed_at=now - (400 * k + 5) * days if closed_early else now - (400 * k) * days,
        )
        for k in range(1, n_past + 1)
    ]
    deadline, closes = current_dates
    current = cycle(
        programme,
        status=S.OPEN,
        opens_at=now - 30 * days,
        deadline=at(deadline),
        closes_at=at(closes),
    )
    cycles = [current, *cycles]
    commitments = []
    for status, starts, ends, decided, reported_in in rows:
        c, _ = confirmed(
            theme,
            status=status,
            starts_on=starts if starts is None else at(starts).date(),
            ends_on=ends if ends is None else at(ends).date(),
            decided_at=at(decided),
        )
        commitments.append(c)
        for i in reported_in:
            if i < len(cycles):
                submitted(c, cycles[i])
    lights = figures.status_lights(commitments, now=now)
    window = figures.Window.of(list(figures.started_cycles([programme.pk], now)), now)
    assert window is not None
    silent = dict(
        window.silent(Commitment.objects.filter(programme=programme)).values_list("pk", "light")
    )
    assert silent == {pk: light for pk, light in lights.items() if light in ("late", "inactive")}
