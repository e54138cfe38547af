"""Reporting cycles, personal links, versioned reports and reminders."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pledgebook.commitments.models import CoMaker
from pledgebook.core.models import AuditEntry
from pledgebook.reference.models import Currency
from pledgebook.reporting import domain, links
from pledgebook.reporting.models import (
    CoMakerConfirmation,
    Evidence,
    Indicator,
    Invitation,
    ProgressReport,
    Reminder,
    ReportingCycle,
)
from tests import factories, samples
from tests.reporting.factories import confirmed, cycle

# Dates decide what these tests check: they also run at the awkward instants of tests/clocks.py.
pytestmark = pytest.mark.dates

NARRATIVE = "We trained the first 200 teachers in two provinces this year."


@pytest.fixture
def secretariat(programme):
    return factories.staff(programme)


@pytest.fixture
def setup(programme, theme):
    c, user = confirmed(theme)
    return c, user


def open_cycle(programme, secretariat, **kw):
    cy = cycle(programme, **kw)
    domain.open_cycle(actor=secretariat, cycle=cy)
    return cy


def test_opening_a_cycle_invites_every_maker_with_active_commitments(programme, theme, secretariat):
    (c1, u1), (c2, u2) = confirmed(theme), confirmed(theme)
    factories.CommitmentFactory(theme=theme, organisation=c2.organisation)  # a draft: not active
    confirmed(theme, ends_on=dt.date(2024, 12, 31), starts_on=dt.date(2023, 1, 1))  # ended
    cy = cycle(programme)
    assert domain.open_cycle(actor=secretariat, cycle=cy) == 2
    assert cy.status == ReportingCycle.Status.OPEN
    assert set(Invitation.objects.values_list("organisation", flat=True)) == {
        c1.organisation_id,
        c2.organisation_id,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([u1.email, u2.email])
    assert "/report/" in mail.outbox[0].body


def test_only_the_secretariat_opens_a_cycle(programme, setup):
    cy = cycle(programme)
    reviewer = factories.staff(programme, "reviewer")
    with pytest.raises(PermissionDenied):
        domain.open_cycle(actor=reviewer, cycle=cy)
    cy.refresh_from_db()
    assert cy.status == ReportingCycle.Status.SCHEDULED
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_cycle_dates_are_checked(programme, secretariat):
    now = timezone.now()
    with pytest.raises(ValidationError) as err:
        domain.schedule_cycle(
            actor=secretariat,
            programme=programme,
            name="x",
            opens_at=now,
            deadline=now - dt.timedelta(days=1),
            closes_at=now - dt.timedelta(days=2),
        )
    assert err.value.message_dict == {
        "deadline": ["The deadline must come after the opening."],
        "closes_at": ["The cycle cannot close before its deadline."],
    }
    assert ReportingCycle.objects.count() == 0


# Links -------------------------------------------------------------------------------------


def test_link_resolves_to_its_maker_and_cycle(programme, setup, secretariat):
    c, _user = setup
    cy = open_cycle(programme, secretariat)
    invitation = Invitation.objects.get()
    assert links.resolve(links.make_token(invitation)) == invitation
    assert invitation.cycle == cy
    assert invitation.organisation == c.organisation


def test_forged_link_is_refused(programme, setup, secretariat):
    open_cycle(programme, secretariat)
    token = links.make_token(Invitation.objects.get())
    with pytest.raises(links.LinkError, match="not valid"):
        links.resolve(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(links.LinkError, match="not valid"):
        links.resolve("garbage")


def test_expired_link_is_refused(programme, setup, secretariat):
    cy = open_cycle(programme, secretariat)
    token = links.make_token(Invitation.objects.get())
    with pytest.raises(links.LinkError, match="expired"):
        links.resolve(token, now=cy.closes_at + dt.timedelta(seconds=1))


def test_resent_link_replaces_the_old_one(programme, setup, secretariat):
    open_cycle(programme, secretariat)
    invitation = Invitation.objects.get()
    old = links.make_token(invitation)
    domain.resend_link(actor=secretariat, invitation=invitation)
    with pytest.raises(links.LinkError, match="replaced"):
        links.resolve(old)
    assert links.resolve(links.make_token(invitation)).times_sent == 2
    assert len(mail.outbox) == 2


def test_a_link_cannot_report_on_another_makers_commitment(programme, theme, secretariat):
    (c1, _), (c2, _) = confirmed(theme), confirmed(theme)
    cy = open_cycle(programme, secretariat)
    actor = links.LinkActor(Invitation.objects.get(organisation=c1.organisation))
    assert domain.draft_for(actor=actor, commitment=c1, cycle=cy).commitment == c1
    with pytest.raises(PermissionDenied):
        domain.draft_for(actor=actor, commitment=c2, cycle=cy)


# Reports -----------------------------------------------------------------------------------


def report(actor, c, cy, **fields):
    draft = domain.draft_for(actor=actor, commitment=c, cycle=cy)
    for k, v in {"implementation_status": "on_track", "narrative": NARRATIVE, **fields}.items():
        setattr(draft, k, v)
    return draft


def test_report_through_the_link_then_correct_makes_a_new_version(programme, setup, secretariat):
    c, _user = setup
    cy = open_cycle(programme, secretariat)
    indicator = Indicator.objects.create(programme=programme, code="people", name="People reached")
    actor = links.LinkActor(Invitation.objects.get())
    first = report(actor, c, cy)
    domain.save_report(
        actor=actor,
        report=first,
        entries=[domain.IndicatorEntry(indicator, Decimal(0), Decimal(500), Decimal(200))],
        evidence_links=["https://example.org/photos"],
        submit=True,
    )
    assert first.status == ProgressReport.Status.SUBMITTED
    with pytest.raises(ValidationError):
        domain.save_report(actor=actor, report=first)
    correction = report(actor, c, cy, implementation_status="delayed")
    assert correction.version == 2
    assert correction.narrative == NARRATIVE
    domain.save_report(actor=actor, report=correction, submit=True)
    first.refresh_from_db()
    assert (first.status, first.implementation_status) == ("submitted", "on_track")
    assert list(
        ProgressReport.objects.filter(commitment=c).values_list("version", "implementation_status")
    ) == [(2, "delayed"), (1, "on_track")]
    assert list(correction.values.values_list("value", flat=True)) == [Decimal(200)]
    assert list(correction.evidence.values_list("url", flat=True)) == ["https://example.org/photos"]
    assert list(
        AuditEntry.objects.filter(action__startswith="report.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["report.saved", "report.submitted", "report.saved", "report.corrected"]


def test_report_after_the_cycle_closed_is_refused_and_the_draft_kept(programme, setup, secretariat):
    c, user = setup
    cy = open_cycle(programme, secretariat)
    draft = report(user, c, cy)
    domain.save_report(actor=user, report=draft)
    with pytest.raises(ValidationError, match="closed"):
        domain.submit_report(actor=user, report=draft, now=cy.closes_at)
    draft.refresh_from_db()
    assert (draft.status, draft.narrative) == ("draft", NARRATIVE)


def test_late_report_before_close_is_accepted(programme, setup, secretariat):
    c, user = setup
    cy = open_cycle(programme, secretariat)
    draft = report(user, c, cy)
    domain.save_report(
        actor=user, report=draft, submit=True, now=cy.deadline + dt.timedelta(days=1)
    )
    assert draft.status == "submitted"


def test_disbursed_in_another_currency_needs_a_rate(programme, setup, secretariat):
    c, user = setup
    c.amount, c.currency = Decimal("1000"), Currency.objects.get(code="USD")
    c.save()
    cy = open_cycle(programme, secretariat)
    draft = report(
        user,
        c,
        cy,
        disbursed_amount=Decimal(100),
        disbursed_currency=Currency.objects.get(code="EUR"),
    )
    with pytest.raises(ValidationError) as err:
        domain.save_report(actor=user, report=draft)
    assert err.value.message_dict == {
        "exchange_rate": ["The money was pledged in USD: give the exchange rate from EUR."]
    }
    assert ProgressReport.objects.count() == 0
    draft.exchange_rate = Decimal("1.1")
    domain.save_report(actor=user, report=draft)
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content_type", "content", "message"),
    [
        ("run.exe", "application/x-msdownload", samples.EXE, "is not a PDF, PNG, JPEG"),
        ("invoice.pdf", "application/pdf", samples.EXE, "is not a PDF, PNG, JPEG"),
        ("photo.png", "image/png", samples.HTML, "is not a PDF, PNG, JPEG"),
        (
            "big.pdf",
            "application/pdf",
            samples.PDF.ljust(10 * 1024 * 1024 + 1),
            "larger than 10 MB",
        ),
    ],
)
def test_evidence_files_are_checked(
    programme, setup, secretariat, name, content_type, content, message
):
    c, user = setup
    cy = open_cycle(programme, secretariat)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    with pytest.raises(ValidationError, match=message):
        domain.save_report(actor=user, report=report(user, c, cy), evidence_files=[upload])
    assert Evidence.objects.count() == 0
    assert ProgressReport.objects.count() == 0


def test_evidence_file_is_stored_by_id_with_the_type_of_its_content(
    programme, setup, secretariat, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    c, user = setup
    cy = open_cycle(programme, secretariat)
    # The browser's declared type is not what is stored: the content is a PDF.
    upload = SimpleUploadedFile("minutes.pdf", samples.PDF, content_type="text/html")
    domain.save_report(actor=user, report=report(user, c, cy), evidence_files=[upload])
    ev = Evidence.objects.get()
    assert (ev.original_name, ev.content_type, ev.size) == (
        "minutes.pdf",
        "application/pdf",
        len(samples.PDF),
    )
    assert re.fullmatch(r"evidence/\d{4}/[0-9a-f]{32}\.pdf", ev.file.name)
    assert (tmp_path / ev.file.name).read_bytes() == samples.PDF


def test_submission_needs_status_and_narrative(programme, setup, secretariat):
    c, user = setup
    cy = open_cycle(programme, secretariat)
    draft = report(user, c, cy, implementation_status="", narrative="")
    with pytest.raises(ValidationError) as err:
        domain.save_report(actor=user, report=draft, submit=True)
    assert set(err.value.message_dict) == {"implementation_status", "narrative"}
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_co_maker_confirms_the_lead_report(programme, theme, setup, secretariat):
    c, user = setup
    partner_user = factories.member_of(theme)
    partner = partner_user.organisations.get()
    CoMaker.objects.create(commitment=c, organisation=partner, confirmed_at=timezone.now())
    cy = open_cycle(programme, secretariat)
    submitted = report(user, c, cy)
    domain.save_report(actor=user, report=submitted, submit=True)
    assert mail.outbox[-1].to == [partner_user.email]
    with pytest.raises(PermissionDenied):
        domain.confirm_report(actor=user, report=submitted, organisation=partner)
    with pytest.raises(PermissionDenied):
        domain.draft_for(actor=partner_user, commitment=c, cycle=cy)
    domain.confirm_report(actor=partner_user, report=submitted, organisation=partner)
    assert CoMakerConfirmation.objects.get().organisation == partner


# Reminders ---------------------------------------------------------------------------------


def test_reminders_are_sent_once_per_maker_cycle_and_deadline(programme, theme, secretariat):
    (c1, u1), (_c2, u2) = confirmed(theme), confirmed(theme)
    cy = open_cycle(programme, secretariat)
    domain.save_report(actor=u1, report=report(u1, c1, cy), submit=True)
    mail.outbox.clear()
    early = cy.deadline - dt.timedelta(days=10)
    assert domain.send_reminders(cycle=cy, now=early) == 0
    before = cy.deadline - dt.timedelta(days=3)
    assert domain.send_reminders(cycle=cy, now=before) == 1
    assert domain.send_reminders(cycle=cy, now=before + dt.timedelta(hours=5)) == 0
    assert [m.to for m in mail.outbox] == [[u2.email]]
    after = cy.deadline + dt.timedelta(days=8)
    assert domain.send_reminders(cycle=cy, now=after) == 1
    assert domain.send_reminders(cycle=cy, now=after) == 0
    assert "late" in mail.outbox[-1].subject
    # A new deadline is a new reminder.
    cy.deadline = cy.deadline + dt.timedelta(days=14)
    cy.save()
    assert domain.send_reminders(cycle=cy, now=cy.deadline - dt.timedelta(days=1)) == 1
    assert Reminder.objects.count() == 3
