"""Who is expected to report in a cycle (``reporting.expected``), and everything that follows
from it: the status lights, the escalation list, the annual report's non-reporters, the
response rates, the invitations given on confirmation and the reminders."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.accounts import domain as accounts
from pledgebook.commitments import domain as commitments
from pledgebook.commitments.models import Application, CoMaker, Commitment, EndorsementLevel
from pledgebook.commitments.validation import last_day
from pledgebook.core.models import AuditEntry
from pledgebook.organisations import domain as organisations
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import CommitmentType, Programme, ProgrammeRole
from pledgebook.reference.models import Country
from pledgebook.reporting import annual, domain, figures, links, queries
from pledgebook.reporting.expected import expected_in, is_expected
from pledgebook.reporting.models import Invitation, Reminder, ReportingCycle
from tests import factories
from tests.reporting.factories import confirmed

# Dates decide what these tests check: they also run at the awkward instants of tests/clocks.py.
pytestmark = pytest.mark.dates

DAY = dt.timedelta(days=1)
PASSWORD = "correct horse battery staple"
DESCRIPTION = (
    "We will open 24 one-stop centres for survivors of gender-based violence in 12 counties of "
    "Kenya, train 600 health workers and police officers, and publish a yearly dashboard of "
    "cases served."
)
NARRATIVE = "We trained the first 200 teachers in two provinces this year."


@dataclass
class World:
    """Generation Equality as the demo has it: a cycle closed a year ago, and this year's
    cycle open with its deadline passed ten days ago (it closes in thirty days)."""

    programme: Programme
    theme: Any
    secretariat: Any
    reviewer: Any
    past: ReportingCycle
    current: ReportingCycle
    veteran: Commitment  # confirmed long ago, silent in both cycles: inactive
    now: dt.datetime


def run_cycle(programme, secretariat, name, opens, deadline, closes, now) -> ReportingCycle:
    cycle = domain.schedule_cycle(
        actor=secretariat,
        programme=programme,
        name=name,
        opens_at=opens,
        deadline=deadline,
        closes_at=closes,
    )
    domain.open_cycle(actor=secretariat, cycle=cycle, now=opens)
    if closes <= now:
        domain.close_cycle(actor=secretariat, cycle=cycle, now=closes)
    return cycle


@pytest.fixture
def world(programme, theme) -> World:
    now = timezone.now()
    secretariat = factories.staff(programme)
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    veteran, _ = confirmed(
        theme,
        starts_on=(now - 900 * DAY).date(),
        ends_on=(now + 900 * DAY).date(),
        decided_at=now - 800 * DAY,
    )
    past = run_cycle(
        programme,
        secretariat,
        "Last year",
        now - 425 * DAY,
        now - 375 * DAY,
        now - 335 * DAY,
        now,
    )
    current = run_cycle(
        programme, secretariat, "This year", now - 60 * DAY, now - 10 * DAY, now + 30 * DAY, now
    )
    mail.outbox.clear()
    return World(programme, theme, secretariat, reviewer, past, current, veteran, now)


def newcomer_commitment(world: World, starts_on: dt.date) -> tuple[Commitment, Any]:
    """Sign up, register an organisation, apply as leader, be approved, submit a commitment
    and have it confirmed by the reviewer: every step through the domain."""
    user = accounts.register(
        email="wanjiru@ushirika.example.org", full_name="Wanjiru Kamau", password=PASSWORD
    )
    assert accounts.verify(user=user, token=default_token_generator.make_token(user))
    org = organisations.create_organisation(
        actor=user,
        organisation=Organisation(
            name="Ushirika Women Fund",
            category=Category.CIVIL_SOCIETY,
            country=Country.objects.get(iso2="KE"),
        ),
    )
    (application,) = commitments.apply_to_join(
        actor=user, organisation=org, themes=[world.theme], role=Application.Role.LEADER
    )
    commitments.decide_application(actor=world.secretariat, application=application, approve=True)
    commitment = Commitment(
        programme=world.programme,
        organisation=org,
        title="Survivor-centred services in 12 Kenyan counties",
        description=DESCRIPTION,
        starts_on=starts_on,
        ends_on=last_day(starts_on, 5),
        endorsement_level=EndorsementLevel.EXECUTIVE,
    )
    commitments.save_draft(
        actor=user,
        commitment=commitment,
        themes=[world.theme],
        types=CommitmentType.objects.filter(code="programmatic"),
        countries=Country.objects.filter(iso2="KE"),
    )
    commitments.submit_commitment(actor=user, commitment=commitment)
    mail.outbox.clear()
    commitments.confirm_commitment(actor=world.reviewer, commitment=commitment)
    commitment.refresh_from_db()
    return commitment, user


def link_in(body: str) -> Invitation:
    """The invitation behind the personal link of a mail: the URL resolved as the site would."""
    (url,) = re.findall(r"https?://\S+", body)
    match = resolve(urlsplit(url).path)
    assert (match.namespace, match.url_name) == ("reporting", "link")
    return links.resolve(match.kwargs["token"])


# The journey of issue 9, 2.1 and 2.2 -----------------------------------------------------------


@pytest.mark.dates
def test_a_commitment_confirmed_today_is_due_not_inactive(world, client):
    # It started before this year's deadline (as 1 January 2026 before November 2026), after
    # last year's cycle: expected this year only.
    c, user = newcomer_commitment(world, (world.now - 200 * DAY).date())

    assert figures.status_lights([c, world.veteran]) == {
        c.pk: "due",
        world.veteran.pk: "inactive",
    }
    page = client.get(c.get_absolute_url()).content.decode()
    assert "light light-due" in page
    assert "light-inactive" not in page and "light-late" not in page
    directory = client.get(reverse("public:directory")).content.decode()
    assert directory.count("light light-due") == 1
    assert directory.count("light light-inactive") == 1  # the veteran

    client.force_login(world.secretariat)
    escalation = client.get(
        reverse("console:reporting_escalation", kwargs={"programme": world.programme.slug})
    ).content.decode()
    assert world.veteran.title in escalation
    assert c.title not in escalation

    assert [n.organisation for n in annual._non_reporters(world.past)] == [
        world.veteran.organisation.name
    ]
    # This year it is expected and has not reported yet.
    assert {n.organisation for n in annual._non_reporters(world.current)} == {
        world.veteran.organisation.name,
        c.organisation.name,
    }

    # Confirmed while the cycle is open: it joined it, with its personal link.
    invitation = Invitation.objects.get(cycle=world.current, organisation=c.organisation)
    assert not Invitation.objects.filter(cycle=world.past, organisation=c.organisation).exists()
    (joined,) = [m for m in mail.outbox if "report" in m.subject and m.to == [user.email]]
    assert link_in(joined.body) == invitation
    cycle_page = client.get(
        reverse(
            "console:reporting_cycle",
            kwargs={"programme": world.programme.slug, "cycle": world.current.pk},
        )
    ).content.decode()
    assert "Ushirika Women Fund" in cycle_page

    # It reports through its link: reported.
    report = domain.draft_for(actor=links.LinkActor(invitation), commitment=c, cycle=world.current)
    report.implementation_status = "on_track"
    report.narrative = NARRATIVE
    domain.save_report(actor=links.LinkActor(invitation), report=report, submit=True)
    assert figures.status_lights([c]) == {c.pk: "reported"}

    # "Send reminders now" in the console: the veteran is late and reminded with its link;
    # the newcomer reported, so nothing goes to it.
    mail.outbox.clear()
    client.post(
        reverse(
            "console:reporting_cycle_remind",
            kwargs={"programme": world.programme.slug, "cycle": world.current.pk},
        )
    )
    (reminder,) = mail.outbox
    assert reminder.to == [world.veteran.organisation.people.get().email]
    assert reminder.subject == "This year: your report is late"
    assert link_in(reminder.body).organisation == world.veteran.organisation


# The rule, in Python and in SQL -----------------------------------------------------------------

EDGES = sorted({d + e for d in (-60, -10, 30) for e in (-1, 0, 1)})
DAY_OFFSET = st.one_of(st.none(), st.sampled_from(EDGES), st.integers(-120, 60))


@pytest.mark.dates
@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    joins=st.sampled_from(Programme.ReportingJoins.values),
    closed_at=st.one_of(st.none(), st.sampled_from([-5, 30, 31])),
    rows=st.lists(
        st.tuples(
            st.sampled_from(["confirmed", "featured", "in_review", "draft"]),
            DAY_OFFSET,
            DAY_OFFSET,
            DAY_OFFSET,
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_expected_in_sql_agrees_with_python(db, joins, closed_at, rows):
    programme = factories.ProgrammeFactory(reporting_joins=joins)
    theme = factories.ThemeFactory(programme=programme)
    now = timezone.now()

    def at(offset):
        return None if offset is None else now + offset * DAY

    cy = ReportingCycle.objects.create(
        programme=programme,
        name="This year",
        status=ReportingCycle.Status.OPEN if closed_at is None else ReportingCycle.Status.CLOSED,
        opens_at=at(-60),
        deadline=at(-10),
        closes_at=at(30),
        closed_at=at(closed_at),
    )
    made = [
        factories.CommitmentFactory(
            theme=theme,
            status=status,
            starts_on=None if starts is None else at(starts).date(),
            ends_on=None if ends is None else at(ends).date(),
            decided_at=at(decided),
        )
        for status, starts, ends, decided in rows
    ]
    cy.refresh_from_db()
    assert set(expected_in(cy).values_list("pk", flat=True)) == {
        c.pk for c in made if is_expected(c, cy)
    }


@pytest.mark.dates
def test_the_rule_case_by_case(world):
    now, current, past = world.now, world.current, world.past
    long_ago = {"starts_on": (now - 900 * DAY).date(), "ends_on": (now + 900 * DAY).date()}

    def expected(**kw) -> tuple[bool, bool]:
        c = factories.CommitmentFactory(theme=world.theme, **{"status": "confirmed", **kw})
        return is_expected(c, past), is_expected(c, current)

    assert expected(**long_ago) == (True, True)  # no decision date: imported, always expected
    assert expected(**long_ago, decided_at=now - 800 * DAY) == (True, True)
    assert expected(**long_ago, status="in_review") == (False, False)
    # Starts after this year's deadline: nothing to report yet.
    later = (now + 900 * DAY).date()
    assert expected(
        starts_on=timezone.localdate(now - 9 * DAY), ends_on=later, decided_at=now - 20 * DAY
    ) == (False, False)
    # Starts on the day of the deadline: expected.
    assert expected(starts_on=timezone.localdate(now - 10 * DAY), ends_on=later)[1] is True
    # Ended before this year's cycle opened.
    assert expected(
        starts_on=(now - 900 * DAY).date(), ends_on=timezone.localdate(now - 61 * DAY)
    ) == (
        True,
        False,
    )
    # Confirmed while last year's cycle was open (after its deadline): joins it ...
    assert expected(**long_ago, decided_at=now - 350 * DAY) == (True, True)
    # ... but not after it closed.
    assert expected(**long_ago, decided_at=now - 300 * DAY) == (False, True)
    # From the next cycle, by the programme's rule.
    world.programme.reporting_joins = Programme.ReportingJoins.NEXT_CYCLE
    world.programme.save()
    for cy in (past, current):
        cy.programme = world.programme
    assert expected(**long_ago, decided_at=now - 350 * DAY) == (False, True)
    assert expected(**long_ago, decided_at=now - 30 * DAY) == (False, False)
    assert expected(**long_ago, decided_at=now - 61 * DAY) == (False, True)


# Lights, rates and reminders --------------------------------------------------------------------


@pytest.mark.dates
def test_confirmed_after_the_deadline_it_is_due_until_the_cycle_closes(world):
    long_ago = {
        "starts_on": (world.now - 900 * DAY).date(),
        "ends_on": (world.now + 900 * DAY).date(),
    }
    on_time, _ = confirmed(world.theme, decided_at=world.now - 100 * DAY, **long_ago)
    joined, _ = confirmed(world.theme, decided_at=world.now - DAY, **long_ago)
    lights = figures.status_lights
    assert lights([on_time, joined]) == {on_time.pk: "late", joined.pk: "due"}
    after_close = world.current.closes_at + DAY
    assert lights([on_time, joined], now=after_close) == {on_time.pk: "late", joined.pk: "late"}


@pytest.mark.dates
def test_response_rates_count_only_the_commitments_expected(world):
    newcomer, _ = confirmed(
        world.theme,
        starts_on=(world.now - 200 * DAY).date(),
        ends_on=(world.now + 900 * DAY).date(),
        decided_at=world.now,
    )
    assert figures.response_rates(world.past)["programme"][0].expected == 1  # the veteran
    rate = figures.response_rates(world.current)["programme"][0]
    assert (rate.expected, rate.reported) == (2, 0)
    assert newcomer.pk in set(
        queries.active_commitments(world.current).values_list("pk", flat=True)
    )


def confirm_submitted(world: World, *, co_maker: Organisation | None = None) -> Commitment:
    """A commitment submitted by a newly approved maker, confirmed now by the reviewer."""
    user = factories.member_of(world.theme)
    c = factories.CommitmentFactory(
        theme=world.theme,
        organisation=user.organisations.get(),
        status=Commitment.Status.SUBMITTED,
        starts_on=(world.now - 200 * DAY).date(),
        ends_on=(world.now + 900 * DAY).date(),
    )
    if co_maker is not None:
        CoMaker.objects.create(commitment=c, organisation=co_maker)
    mail.outbox.clear()
    commitments.confirm_commitment(actor=world.reviewer, commitment=c)
    return c


def test_confirmation_gives_the_lead_and_co_makers_their_links(world):
    partner_user = factories.member_of(world.theme)
    partner = partner_user.organisations.get()
    c = confirm_submitted(world, co_maker=partner)
    lead_mail, partner_mail = (
        next(m for m in mail.outbox if m.to == [user.email])
        for user in (c.organisation.people.get(), partner_user)
    )
    closes = timezone.localtime(world.current.closes_at)
    assert f"Please report its progress by {closes.day} {closes:%B %Y}." in lead_mail.body
    assert f"{c.organisation.name} reports on it; you confirm its report." in partner_mail.body
    assert link_in(lead_mail.body).organisation == c.organisation
    assert link_in(partner_mail.body).organisation == partner
    assert set(
        Invitation.objects.filter(cycle=world.current).values_list("organisation", flat=True)
    ) == {world.veteran.organisation_id, c.organisation_id, partner.pk}
    entry = AuditEntry.objects.get(action="cycle.commitment_joined")
    assert (entry.actor, entry.data) == (
        world.reviewer,
        {"commitment": c.pk, "invited": [c.organisation.name, partner.name]},
    )


def test_from_the_next_cycle_by_the_programme_rule(world):
    world.programme.reporting_joins = Programme.ReportingJoins.NEXT_CYCLE
    world.programme.save()
    c = confirm_submitted(world)
    c.refresh_from_db()
    assert not Invitation.objects.filter(organisation=c.organisation).exists()
    assert not [m for m in mail.outbox if "report on your commitments" in m.subject]
    assert figures.status_lights([c]) == {c.pk: "none"}
    assert figures.response_rates(world.current)["programme"][0].expected == 1
    assert domain.send_reminders(cycle=world.current, now=world.now) == 1  # the veteran only
    following = domain.schedule_cycle(
        actor=world.secretariat,
        programme=world.programme,
        name="Next year",
        opens_at=world.now + 300 * DAY,
        deadline=world.now + 350 * DAY,
        closes_at=world.now + 390 * DAY,
    )
    domain.close_cycle(actor=world.secretariat, cycle=world.current)
    assert domain.open_cycle(actor=world.secretariat, cycle=following) == 2
    assert Invitation.objects.filter(cycle=following, organisation=c.organisation).exists()


def test_only_a_reviewer_makes_a_commitment_join_a_cycle(world):
    c, user = confirmed(world.theme, starts_on=(world.now - 200 * DAY).date(), decided_at=world.now)
    with pytest.raises(PermissionDenied):
        domain.join_open_cycles(actor=user, commitment=c)
    assert not Invitation.objects.filter(organisation=c.organisation).exists()
    assert not AuditEntry.objects.filter(action="cycle.commitment_joined").exists()
    assert [
        i.organisation for i in domain.join_open_cycles(actor=world.reviewer, commitment=c)
    ] == [c.organisation]


def test_unfeaturing_keeps_the_date_of_confirmation(world):
    c = confirm_submitted(world)
    c.refresh_from_db()
    confirmed_at = c.decided_at
    commitments.feature_commitment(actor=world.secretariat, commitment=c)
    commitments.unfeature_commitment(actor=world.secretariat, commitment=c)
    c.refresh_from_db()
    assert c.decided_at == confirmed_at


@pytest.mark.dates
def test_every_reminder_carries_the_personal_link(world):
    # A maker whose commitment was confirmed before the cycle opened but that has no link
    # (made before links were given on confirmation, or imported).
    never_invited, user = confirmed(
        world.theme,
        starts_on=(world.now - 900 * DAY).date(),
        ends_on=(world.now + 900 * DAY).date(),
        decided_at=world.now - 100 * DAY,
    )
    assert domain.send_reminders(cycle=world.current, now=world.now) == 2
    by_org = {}
    for message in mail.outbox:
        assert message.subject == "This year: your report is late"
        invitation = link_in(message.body)
        assert invitation.cycle == world.current
        by_org[invitation.organisation] = message.to
    assert by_org == {
        world.veteran.organisation: [world.veteran.organisation.people.get().email],
        never_invited.organisation: [user.email],
    }
    assert AuditEntry.objects.get(action="cycle.link_given").data == {
        "organisation": never_invited.organisation.name
    }


@pytest.mark.dates
def test_a_maker_that_joined_after_the_deadline_is_reminded_before_the_close(world):
    c = confirm_submitted(world)
    mail.outbox.clear()
    assert domain.send_reminders(cycle=world.current, now=world.now) == 1  # the veteran
    assert c.organisation.people.get().email not in mail.outbox[0].to
    mail.outbox.clear()
    week_before = world.current.closes_at - 3 * DAY
    assert domain.send_reminders(cycle=world.current, now=week_before) == 1
    (message,) = mail.outbox
    closes = timezone.localtime(world.current.closes_at)
    assert message.subject == f"This year: your report is due on {closes.day} {closes:%B}"
    assert message.to == [c.organisation.people.get().email]
    assert link_in(message.body).organisation == c.organisation
    assert Reminder.objects.get(organisation=c.organisation).deadline == world.current.closes_at


def test_the_subject_names_the_cycle_once(world):
    world.current.name = "2026 annual report"
    world.current.save()
    domain.send_reminders(cycle=world.current, now=world.now)
    assert [m.subject for m in mail.outbox] == ["2026 annual report: your report is late"]
