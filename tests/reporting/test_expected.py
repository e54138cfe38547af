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
from django.urls import resolve, reverse
from django.utils import timezone

from pledgebook.accounts import domain as accounts
from pledgebook.commitments import domain as commitments
from pledgebook.commitments.models import Application, CoMaker, Commitment, EndorsementLevel
from pledgebook.commitments.validation import add_years
from pledgebook.organisations import domain as organisations
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import CommitmentType, Programme, ProgrammeRole
from pledgebook.reference.models import Country
from pledgebook.reporting import annual, domain, figures, links
from pledgebook.reporting.models import Invitation, ProgressReport, Reminder, ReportingCycle
from tests import factories
from tests.reporting.factories import confirmed

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
        ends_on=add_years(starts_on, 5),
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
    report = domain.draft_for(
        actor=links.LinkActor(invitation), commitment=c, cycle=world.current
    )
    report.implementation_status = "on_track"
    report.narrative = NARRATIVE
    domain.save_report(actor=links.LinkActor(invitation), report=report, submit=True)
    assert figures.status_lights([c]) == {c.pk: "reported"}
