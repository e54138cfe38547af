"""Reporting in the console: who may do what (every POST, for the five personas, and a denied
POST changes nothing), the framework editor, cycles, links and reminders, the dashboard and
the escalation list with exact numbers, and query counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Programme, ProgrammeRole, Theme
from pledgebook.reference.models import Country
from pledgebook.reporting import domain
from pledgebook.reporting.models import (
    Evidence,
    Indicator,
    Invitation,
    ProgressReport,
    Reminder,
    ReportingCycle,
)
from tests import factories
from tests.console.conftest import (
    ANONYMOUS,
    NO_ROLE,
    OTHER_REVIEWER,
    PERSONAS,
    READERS,
    REVIEWER,
    SECRETARIAT,
    SECRETARIAT_ONLY,
    assert_outcome,
)
from tests.csp import inline_code
from tests.reporting.factories import confirmed, cycle

pytestmark = pytest.mark.django_db

S = ReportingCycle.Status
CHANGERS = {**SECRETARIAT_ONLY, SECRETARIAT: 302}
DAY = dt.timedelta(days=1)


@dataclass
class World:
    programme: Programme
    theme: Theme
    other: Programme
    indicator: Indicator
    other_indicator: Indicator
    scheduled: ReportingCycle
    other_cycle: ReportingCycle
    commitment: Commitment
    maker: Any
    people: dict[str, Any]

    def url(self, name: str, programme: Programme | None = None, **kwargs: Any) -> str:
        slug = (programme or self.programme).slug
        return reverse(f"console:{name}", kwargs={"programme": slug, **kwargs})

    def client(self, persona: str) -> Client:
        client = Client()
        if self.people[persona] is not None:
            client.force_login(self.people[persona])
        return client

    def open(self) -> ReportingCycle:
        domain.open_cycle(actor=self.people[SECRETARIAT], cycle=self.scheduled)
        return self.scheduled


@pytest.fixture
def world(programme, theme) -> World:
    other = factories.ProgrammeFactory()
    other_theme = factories.ThemeFactory(programme=other)
    people = {
        ANONYMOUS: None,
        NO_ROLE: factories.UserFactory(),
        OTHER_REVIEWER: factories.staff(other, ProgrammeRole.Role.REVIEWER),
        REVIEWER: factories.staff(programme, ProgrammeRole.Role.REVIEWER),
        SECRETARIAT: factories.staff(programme, ProgrammeRole.Role.SECRETARIAT),
    }
    commitment, maker = confirmed(theme)
    confirmed(other_theme)
    other_cycle = cycle(other, name="Other programme's cycle")
    domain.open_cycle(actor=factories.staff(other), cycle=other_cycle)
    mail.outbox.clear()
    return World(
        programme=programme,
        theme=theme,
        other=other,
        indicator=Indicator.objects.create(programme=programme, code="people", name="People"),
        other_indicator=Indicator.objects.create(programme=other, code="people", name="People"),
        # Deadline in three days: inside the reminder window.
        scheduled=cycle(
            programme, deadline=timezone.now() + 3 * DAY, closes_at=timezone.now() + 30 * DAY
        ),
        other_cycle=other_cycle,
        commitment=commitment,
        maker=maker,
        people=people,
    )


def state() -> tuple:
    """Everything a console POST of reporting may change."""
    return (
        list(Indicator.objects.order_by("pk").values_list("code", "name", "unit", "position")),
        list(ReportingCycle.objects.order_by("pk").values_list("name", "status", "deadline")),
        list(Invitation.objects.order_by("pk").values_list("nonce", "times_sent")),
        Reminder.objects.count(),
        AuditEntry.objects.count(),
        len(mail.outbox),
    )


CYCLE_DATA = {
    "name": "2027 annual report",
    "kind": "annual",
    "opens_at": "2027-01-10T09:00",
    "deadline": "2027-03-31T17:00",
    "closes_at": "2027-04-30T17:00",
}
INDICATOR_DATA = {"code": "policies", "name": "Policies changed", "unit": "", "position": "2"}

# (name, prepare the world and return (url, data)), every POST of reporting in the console.
POSTS: list[tuple[str, Callable[[World], tuple[str, dict[str, Any]]]]] = [
    ("indicator_create", lambda w: (w.url("reporting_indicator_create"), INDICATOR_DATA)),
    (
        "indicator_edit",
        lambda w: (
            w.url("reporting_indicator", indicator=w.indicator.pk),
            {**INDICATOR_DATA, "code": "people"},
        ),
    ),
    (
        "indicator_delete",
        lambda w: (w.url("reporting_indicator_delete", indicator=w.indicator.pk), {}),
    ),
    ("cycle_create", lambda w: (w.url("reporting_cycle_create"), CYCLE_DATA)),
    ("cycle_open", lambda w: (w.url("reporting_cycle_open", cycle=w.scheduled.pk), {})),
    ("cycle_close", lambda w: (w.url("reporting_cycle_close", cycle=w.open().pk), {})),
    ("cycle_remind", lambda w: (w.url("reporting_cycle_remind", cycle=w.open().pk), {})),
    (
        "resend",
        lambda w: (
            w.url("reporting_resend", invitation=w.open().invitations.get().pk),
            {},
        ),
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("action", "prepare"), POSTS, ids=[p[0] for p in POSTS])
def test_every_console_post(world: World, persona: str, action: str, prepare: Any) -> None:
    url, data = prepare(world)
    mail.outbox.clear()
    before = state()

    response = world.client(persona).post(url, data)

    assert_outcome(response, CHANGERS[persona], url)
    if persona != SECRETARIAT:
        assert state() == before
        return
    after = state()
    assert after != before
    assert AuditEntry.objects.count() == before[4] + (0 if action == "cycle_remind" else 1)
    if action == "cycle_remind":
        assert after[3] == before[3] + 1  # one reminder to the one silent maker
        assert [m.to for m in mail.outbox] == [[world.maker.email]]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("reporting_indicator", lambda w: {"indicator": w.other_indicator.pk}),
        ("reporting_indicator_delete", lambda w: {"indicator": w.other_indicator.pk}),
        ("reporting_cycle_open", lambda w: {"cycle": w.other_cycle.pk}),
        ("reporting_cycle_close", lambda w: {"cycle": w.other_cycle.pk}),
        ("reporting_cycle_remind", lambda w: {"cycle": w.other_cycle.pk}),
        ("reporting_resend", lambda w: {"invitation": w.other_cycle.invitations.get().pk}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_object_of_another_programme_is_404_and_unchanged(
    world: World, name: str, kwargs: Any
) -> None:
    before = state()
    response = world.client(SECRETARIAT).post(world.url(name, **kwargs(world)), INDICATOR_DATA)
    assert response.status_code == 404
    assert state() == before


PAGES: list[tuple[str, Callable[[World], dict[str, Any]], dict[str, Any]]] = [
    ("reporting", lambda w: {}, READERS),
    ("reporting_escalation", lambda w: {}, READERS),
    ("reporting_cycle", lambda w: {"cycle": w.scheduled.pk}, READERS),
    ("reporting_dashboard", lambda w: {"cycle": w.scheduled.pk}, READERS),
    ("reporting_reports", lambda w: {"cycle": w.scheduled.pk}, READERS),
    ("reporting_indicator_create", lambda w: {}, SECRETARIAT_ONLY),
    ("reporting_indicator", lambda w: {"indicator": w.indicator.pk}, SECRETARIAT_ONLY),
    ("reporting_indicator_delete", lambda w: {"indicator": w.indicator.pk}, SECRETARIAT_ONLY),
    ("reporting_cycle_create", lambda w: {}, SECRETARIAT_ONLY),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "kwargs", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(world: World, persona: str, name: str, kwargs: Any, expected: Any) -> None:
    url = world.url(name, **kwargs(world))
    assert_outcome(world.client(persona).get(url), expected[persona], url)


def test_reviewer_sees_no_buttons_that_change_anything(world: World) -> None:
    world.open()
    html = world.client(REVIEWER).get(world.url("reporting_cycle", cycle=world.scheduled.pk))
    page = html.content.decode()
    assert world.maker.email in page
    assert "Send reminders now" not in page
    assert "Resend link" not in page
    assert "Close the cycle" not in page
    assert (
        "Add an indicator"
        not in world.client(REVIEWER).get(world.url("reporting")).content.decode()
    )


# Framework -----------------------------------------------------------------------------------


def test_framework_cannot_change_while_a_cycle_is_open(world: World) -> None:
    client = world.client(SECRETARIAT)
    world.open()
    before = state()
    message = (
        "The 2026 annual report cycle is open and its reports answer these indicators: change "
        "the framework after it closes."
    )

    for url, data in [
        (world.url("reporting_indicator_create"), INDICATOR_DATA),
        (world.url("reporting_indicator", indicator=world.indicator.pk), INDICATOR_DATA),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [message]
        assert 'value="Policies changed"' in response.content.decode()
    response = client.post(world.url("reporting_indicator_delete", indicator=world.indicator.pk))
    assert response.status_code == 200
    assert response.context["errors"] == [message]
    assert state() == before
    assert "The framework cannot change while the 2026 annual report cycle is open" in (
        client.get(world.url("reporting")).content.decode()
    )


def test_indicator_code_is_unique_and_answered_indicators_are_kept(world: World) -> None:
    client = world.client(SECRETARIAT)
    Indicator.objects.create(programme=world.programme, code="policies", name="Policies")
    response = client.post(world.url("reporting_indicator_create"), INDICATOR_DATA)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["Another indicator of this programme has this code."]
    }
    report = ProgressReport.objects.create(
        commitment=world.commitment, cycle=world.scheduled, status="submitted"
    )
    report.values.create(indicator=world.indicator, value=Decimal(3))
    response = client.post(world.url("reporting_indicator_delete", indicator=world.indicator.pk))
    assert response.context["errors"] == [
        "A report answers this indicator, so it cannot be deleted: its value would be lost."
    ]
    assert Indicator.objects.filter(pk=world.indicator.pk).exists()


def test_edit_an_indicator(world: World) -> None:
    response = world.client(SECRETARIAT).post(
        world.url("reporting_indicator", indicator=world.indicator.pk),
        {"code": "people", "name": "People reached", "unit": "people", "position": "1"},
    )
    assert response.status_code == 302
    world.indicator.refresh_from_db()
    assert (world.indicator.name, world.indicator.unit, world.indicator.position) == (
        "People reached",
        "people",
        1,
    )


# Cycles --------------------------------------------------------------------------------------


def test_schedule_a_cycle_date_errors_are_at_the_fields(world: World) -> None:
    client = world.client(SECRETARIAT)
    before = state()
    response = client.post(
        world.url("reporting_cycle_create"),
        {**CYCLE_DATA, "deadline": "2027-01-01T09:00", "closes_at": "2026-12-31T09:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "deadline": ["The deadline must come after the opening."],
        "closes_at": ["The cycle cannot close before its deadline."],
    }
    assert state() == before

    response = client.post(world.url("reporting_cycle_create"), CYCLE_DATA)
    created = ReportingCycle.objects.get(name="2027 annual report")
    assert response.url == world.url("reporting_cycle", cycle=created.pk)
    assert (created.kind, created.status, created.deadline) == (
        "annual",
        "scheduled",
        dt.datetime(2027, 3, 31, 17, tzinfo=dt.UTC),
    )


def test_open_a_cycle_sends_the_links_and_a_second_click_changes_nothing(world: World) -> None:
    client = world.client(SECRETARIAT)
    url = world.url("reporting_cycle_open", cycle=world.scheduled.pk)
    page = client.get(world.url("reporting_cycle", cycle=world.scheduled.pk)).content.decode()
    assert "1 maker will receive its personal link." in page

    response = client.post(url, follow=True)
    assert "The cycle is open: 1 maker received its personal reporting link." in (
        response.content.decode()
    )
    assert [m.to for m in mail.outbox] == [[world.maker.email]]
    before = state()
    response = client.post(url, follow=True)
    assert "Only a scheduled cycle can be opened." in response.content.decode()
    assert state() == before


def test_cycle_page_lists_makers_with_their_people_and_links(world: World) -> None:
    world.open()
    colleague = factories.representative(world.commitment.organisation)
    invitation = Invitation.objects.get(cycle=world.scheduled)
    client = world.client(SECRETARIAT)
    response = client.post(world.url("reporting_resend", invitation=invitation.pk), follow=True)
    assert (
        f"A new link was sent to {world.commitment.organisation.name}; the previous one no "
        "longer works."
    ) in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.times_sent == 2

    response = client.get(world.url("reporting_cycle", cycle=world.scheduled.pk))
    (row,) = response.context["page"].object_list
    assert row.organisation == world.commitment.organisation
    assert [p.email for p in row.organisation.contacts] == sorted(
        [world.maker.email, colleague.email]
    )
    assert (row.times_sent, row.n_lead, row.n_reported, row.n_reminders) == (2, 1, 0, 0)
    assert response.context["totals"] == {"expected": 1, "reported": 0}


def test_send_reminders_twice_sends_once(world: World) -> None:
    world.open()
    client = world.client(SECRETARIAT)
    url = world.url("reporting_cycle_remind", cycle=world.scheduled.pk)
    mail.outbox.clear()

    first = client.post(url, follow=True).content.decode()
    second = client.post(url, follow=True).content.decode()

    assert "1 reminder sent." in first
    assert "No reminder sent." in second
    assert [m.to for m in mail.outbox] == [[world.maker.email]]
    assert Reminder.objects.count() == 1


def test_close_the_cycle(world: World) -> None:
    world.open()
    response = world.client(SECRETARIAT).post(
        world.url("reporting_cycle_close", cycle=world.scheduled.pk), follow=True
    )
    assert "The cycle is closed: the personal links no longer work." in response.content.decode()
    world.scheduled.refresh_from_db()
    assert world.scheduled.status == S.CLOSED


# Dashboard and escalation ---------------------------------------------------------------------


@dataclass
class Small:
    c1: Commitment
    c2: Commitment
    c3: Commitment
    cycle: ReportingCycle
    old: ReportingCycle
    users: dict[str, Any]


@pytest.fixture
def small(world: World) -> Small:
    """Three commitments.  c1: theme A, civil society, Kenya.  c2: themes A and B, private
    sector, France.  c3: theme B, civil society, Kenya.  The current cycle's deadline passed
    two days ago; c1 reported on track, c2 completed, c3 nothing.  In the previous (closed)
    cycle, c1 and c2 reported; c3 did not."""
    world.commitment.delete()
    now = timezone.now()
    theme_a = world.theme
    theme_a.name = "A economic justice"
    theme_a.save()
    theme_b = factories.ThemeFactory(programme=world.programme, name="B climate")
    private = factories.OrganisationFactory(
        category=Category.PRIVATE_SECTOR, country=Country.objects.get(iso2="FR")
    )
    c1, u1 = confirmed(theme_a)
    c2, u2 = confirmed(theme_a, organisation=private)
    c2.themes.add(theme_b)
    c3, u3 = confirmed(theme_b)
    old = cycle(
        world.programme,
        name="2025",
        status=S.CLOSED,
        opens_at=now - 400 * DAY,
        deadline=now - 300 * DAY,
        closes_at=now - 290 * DAY,
    )
    current = world.scheduled
    current.opens_at, current.deadline = now - 40 * DAY, now - 2 * DAY
    current.save()
    domain.open_cycle(actor=world.people[SECRETARIAT], cycle=current)
    for c in (c1, c2):
        ProgressReport.objects.create(
            commitment=c,
            cycle=old,
            status="submitted",
            implementation_status="on_track",
            submitted_at=now - 310 * DAY,
        )
    ProgressReport.objects.create(
        commitment=c1,
        cycle=current,
        status="submitted",
        implementation_status="on_track",
        submitted_at=now - 5 * DAY,
    )
    ProgressReport.objects.create(
        commitment=c2,
        cycle=current,
        status="submitted",
        implementation_status="completed",
        submitted_at=now - 4 * DAY,
    )
    return Small(c1, c2, c3, current, old, {"c1": u1, "c2": u2, "c3": u3})


def test_dashboard_numbers_are_exact(world: World, small: Small) -> None:
    response = world.client(REVIEWER).get(world.url("reporting_dashboard", cycle=small.cycle.pk))

    assert response.status_code == 200
    ctx = response.context
    rate = ctx["programme_rate"]
    assert (rate.expected, rate.reported, rate.percent) == (3, 2, 66.7)
    assert ctx["progress"] == 75.0
    assert ctx["statuses"] == [
        ("Not started", 0),
        ("On track", 1),
        ("Delayed", 0),
        ("Completed", 1),
        ("Discontinued", 0),
        ("Not reported", 1),
    ]
    groups = {
        str(title): [
            (row.label, row.rate.expected, row.rate.reported, row.rate.percent, row.progress)
            for row in rows
        ]
        for title, rows in ctx["groups"]
    }
    assert groups == {
        "By theme": [
            # Whole counts: c2 (two themes, completed) weighs as much as c1 (on track).
            ("A economic justice", 2, 2, 100.0, 75.0),
            ("B climate", 2, 1, 50.0, 100.0),
        ],
        "By stakeholder category": [
            ("Non-governmental or civil society organisation", 2, 1, 50.0, 50.0),
            ("Business and industry (private sector)", 1, 1, 100.0, 100.0),
        ],
        "By region": [("Africa", 2, 1, 50.0, 50.0), ("Europe", 1, 1, 100.0, 100.0)],
    }
    html = response.content.decode()
    assert "66.7 %" in html
    assert "75.0 %" in html
    # The rate bars are <meter> elements: no style attribute (Content-Security-Policy).
    assert '<meter class="bar" min="0" max="100" value="50" aria-hidden="true"></meter>' in html
    assert inline_code(html) == []


def test_escalation_lists_late_and_inactive_makers(world: World, small: Small) -> None:
    Reminder.objects.create(
        cycle=small.cycle,
        organisation=small.c3.organisation,
        kind="after",
        deadline=small.cycle.deadline,
    )
    # c2 is late: it has a submitted report in the old cycle only.
    ProgressReport.objects.filter(commitment=small.c2, cycle=small.cycle).delete()
    response = world.client(REVIEWER).get(world.url("reporting_escalation"))

    assert response.status_code == 200
    rows = [
        (
            c.title,
            c.light,
            c.organisation.name,
            [p.email for p in c.organisation.contacts],
            c.last_report.date() if c.last_report else None,
            c.n_reminders,
        )
        for c in response.context["page"].object_list
    ]
    expected = [
        (
            small.c2.title,
            "late",
            small.c2.organisation.name,
            [small.users["c2"].email],
            (timezone.now() - 310 * DAY).date(),
            0,
        ),
        (
            small.c3.title,
            "inactive",
            small.c3.organisation.name,
            [small.users["c3"].email],
            None,
            1,
        ),
    ]
    assert sorted(rows, key=lambda r: r[0]) == sorted(expected, key=lambda r: r[0])
    assert response.context["counts"] == {"late": 1, "inactive": 1}
    html = response.content.decode()
    assert "Never" in html
    assert small.users["c3"].email in html


# Reports and evidence -------------------------------------------------------------------------


def test_secretariat_reads_reports_and_downloads_evidence(world: World, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cy = world.open()
    draft = domain.draft_for(actor=world.maker, commitment=world.commitment, cycle=cy)
    draft.implementation_status = "on_track"
    draft.narrative = "We trained the first 200 teachers in two provinces."
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    domain.save_report(actor=world.maker, report=draft, evidence_files=[upload], submit=True)
    evidence = Evidence.objects.get()
    report_url = world.url("reporting_report", report=draft.pk)
    evidence_url = world.url("reporting_evidence", evidence=evidence.pk)

    secretariat = world.client(SECRETARIAT)
    page = secretariat.get(report_url).content.decode()
    assert "We trained the first 200 teachers in two provinces." in page
    assert evidence_url in page
    response = secretariat.get(evidence_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"

    reviewer = world.client(REVIEWER)
    page = reviewer.get(report_url).content.decode()
    assert evidence_url not in page
    assert "1 evidence file: only the secretariat can download it." in page
    for persona, expected in SECRETARIAT_ONLY.items():
        assert_outcome(world.client(persona).get(evidence_url), expected, evidence_url)
    # The secretariat of another programme: 404 through its own console.
    other = factories.staff(world.other)
    client = Client()
    client.force_login(other)
    url = world.url("reporting_evidence", programme=world.other, evidence=evidence.pk)
    assert client.get(url).status_code == 404
    reports = secretariat.get(world.url("reporting_reports", cycle=cy.pk))
    (row,) = reports.context["page"].object_list
    assert (row.report_id, row.report_version, row.report_status_label) == (
        draft.pk,
        1,
        "On track",
    )


# Query counts ---------------------------------------------------------------------------------


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_maker(world: World, cy: ReportingCycle) -> Organisation:
    """Another silent maker, invited to ``cy``, with two people and a reminder."""
    c, _user = confirmed(world.theme)
    factories.representative(c.organisation)
    Invitation.objects.create(cycle=cy, organisation=c.organisation, sent_at=timezone.now())
    Reminder.objects.create(
        cycle=cy, organisation=c.organisation, kind="after", deadline=cy.deadline
    )
    return c.organisation


def test_console_pages_queries_do_not_grow_with_rows(world: World, small: Small) -> None:
    client = world.client(SECRETARIAT)
    urls = [
        world.url("reporting"),
        world.url("reporting_cycle", cycle=small.cycle.pk),
        world.url("reporting_reports", cycle=small.cycle.pk),
        world.url("reporting_dashboard", cycle=small.cycle.pk),
        world.url("reporting_escalation"),
    ]
    one = [count(client, url) for url in urls]
    for _ in range(2):
        add_maker(world, small.cycle)
        Indicator.objects.create(
            programme=world.programme, code=f"i{Indicator.objects.count()}", name="x"
        )
        cycle(world.programme, name=f"later {ReportingCycle.objects.count()}")
    three = [count(client, url) for url in urls]
    assert len(client.get(urls[4]).context["page"].object_list) == 3
    assert len(client.get(urls[1]).context["page"].object_list) == 5
    assert one == three
