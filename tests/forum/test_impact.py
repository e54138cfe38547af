"""The impact report of an event: exact figures on a built event (registrations, summaries,
sessions, statements, consultation responses, announcements), its pages (console, public once
the event has ended) and its PDF, read back, every table within the page's margins."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.forum import impact
from pledgebook.forum.figures import participation
from pledgebook.forum.models import (
    AnnouncedCommitment,
    Consultation,
    ConsultationResponse,
    Event,
    Registration,
    Session,
    SessionSummary,
    Statement,
)
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reference.models import Country
from tests import factories

pytestmark = pytest.mark.django_db

CM = 72 / 2.54
MARGIN_INLINE = 1.8 * CM  # @page margin of forum/impact_pdf.css
TOLERANCE = 0.5


def register(event: Event, mode: str, status: str, category: str = "", country: str = "") -> None:
    Registration.objects.create(
        event=event,
        user=factories.UserFactory(),
        mode=mode,
        status=status,
        category=category,
        country=Country.objects.get(iso2=country) if country else None,
    )


IN, ON = Registration.Mode.IN_PERSON, Registration.Mode.ONLINE
HELD, WAIT, GONE = (
    Registration.Status.REGISTERED,
    Registration.Status.WAITLISTED,
    Registration.Status.CANCELLED,
)


def build_event(*, wide: bool = False) -> Event:
    """An event that has ended, with a known world of data."""
    today = timezone.localdate()
    event = factories.EventFactory(
        name="Partnership Forum 2025",
        starts_on=today - dt.timedelta(days=12),
        ends_on=today - dt.timedelta(days=10),
    )
    # Registrations: 3 in person and 2 online hold a place, 1 waits, 1 cancelled.
    register(event, IN, HELD, "civil_society", "KE")
    register(event, IN, HELD, "civil_society", "FR")
    register(event, IN, HELD, "member_state", "KE")
    register(event, ON, HELD, "", "")
    register(event, ON, HELD, "civil_society", "BR")
    register(event, IN, WAIT, "women", "KE")
    register(event, ON, GONE, "women", "FR")
    # Sessions: 2 plenaries, 1 SDG segment, 2 side events (+1 cancelled), 1 pitch.
    s = {
        "p1": factories.SessionFactory(event=event, kind=Session.Kind.PLENARY),
        "p2": factories.SessionFactory(event=event, kind=Session.Kind.PLENARY),
        "sdg": factories.SessionFactory(event=event, kind=Session.Kind.SDG_SEGMENT),
        "se1": factories.SessionFactory(event=event, kind=Session.Kind.SIDE_EVENT),
        "se2": factories.SessionFactory(event=event, kind=Session.Kind.SIDE_EVENT),
        "se3": factories.SessionFactory(
            event=event, kind=Session.Kind.SIDE_EVENT, status=Session.Status.CANCELLED
        ),
        "pitch": factories.SessionFactory(event=event, kind=Session.Kind.PITCH),
    }
    other_event = factories.EventFactory(programme=event.programme)
    factories.SessionFactory(event=other_event, kind=Session.Kind.SIDE_EVENT)
    # Summaries: two submitted, one draft (its figures not counted).
    submitted = SessionSummary.Status.SUBMITTED
    a = factories.SessionSummaryFactory(
        session=s["p1"],
        status=submitted,
        submitted_at=timezone.now(),
        participants_in_person=120,
        participants_online=300,
        participation_by_category={"civil_society": 50, "member_state": 20},
    )
    b = factories.SessionSummaryFactory(
        session=s["sdg"],
        status=submitted,
        submitted_at=timezone.now(),
        participants_in_person=None,
        participants_online=40,
        participation_by_category={"civil_society": 5, "women": 0},
    )
    factories.SessionSummaryFactory(
        session=s["se1"],
        participants_in_person=999,
        participants_online=999,
        participation_by_category={"civil_society": 999},
    )
    # Statements: 3 submitted (one selected, one declined), 1 withdrawn.
    org = factories.OrganisationFactory()
    for status in ("submitted", "selected", "declined", "withdrawn"):
        Statement.objects.create(
            session=s["p2"], organisation=org, title=status, text="…", status=status
        )
    # Consultation responses: 2 to the event's consultation, 1 to another.
    now = timezone.now()
    mine = Consultation.objects.create(
        programme=event.programme, event=event, slug="c1", title="C1", opens_at=now, closes_at=now
    )
    theirs = Consultation.objects.create(
        programme=event.programme, slug="c2", title="C2", opens_at=now, closes_at=now
    )
    for consultation in (mine, mine, theirs):
        ConsultationResponse.objects.create(consultation=consultation)
    # Announcements: 3 of submitted summaries (2 linked), 1 of the draft.
    public = factories.CommitmentFactory(
        title="Blue bonds for island states", status=Commitment.Status.CONFIRMED
    )
    hidden = factories.CommitmentFactory(status=Commitment.Status.DRAFT)
    AnnouncedCommitment.objects.create(
        summary=a, commitment=public, title="Blue bond", amount=Decimal("1000000"), currency="USD"
    )
    AnnouncedCommitment.objects.create(
        summary=b, title="Mangrove fund", amount=Decimal("50000.50"), currency="EUR"
    )
    AnnouncedCommitment.objects.create(
        summary=b, commitment=hidden, title="Coral pledge", amount=Decimal("250000"), currency="usd"
    )
    AnnouncedCommitment.objects.create(
        summary=SessionSummary.objects.get(session=s["se1"]),
        title="Draft only",
        amount=Decimal("7"),
        currency="USD",
    )
    if wide:
        event.name = "Partnership Forum on Accelerating the Implementation of the 2030 Agenda"
        event.save()
        biggest = Decimal("99999999999999")  # exact in SQLite's REAL too
        for currency in ("XOF", "JPY", "NOK", "KES", "IDR"):
            AnnouncedCommitment.objects.create(
                summary=a, title=currency, amount=biggest, currency=currency
            )
        long_labels = {
            "government": 12345678,
            "indigenous_peoples": 7654321,
            "international": 99999999,
            "local_authority": 1,
        }
        a.participation_by_category = {**a.participation_by_category, **long_labels}
        a.save()
    return event


def test_the_figures_of_a_built_event_are_exact() -> None:
    event = build_event()
    report = impact.build(event)
    p = report.participation
    assert (p.in_person, p.online, p.waitlisted, p.total) == (3, 2, 1, 5)
    assert p.by_category.rows == [
        ("civil_society", "Non-governmental or civil society organisation", 2, 1),
        ("member_state", "Member State (national government)", 1, 0),
        ("", "Not given", 0, 1),
    ]
    assert p.by_region.rows == [
        ("002", "Africa", 2, 0),
        ("019", "Americas", 0, 1),
        ("150", "Europe", 1, 0),
        ("", "Not given", 0, 1),
    ]
    assert p.by_category.total == p.by_region.total == p.by_gender.total == 5
    assert report.reported.summaries == 2
    assert (report.reported.in_person, report.reported.online) == (120, 340)
    assert report.reported.by_category == [
        ("civil_society", "Non-governmental or civil society organisation", 55),
        ("member_state", "Member State (national government)", 20),
    ]
    assert report.sessions_by_kind == [
        ("plenary", "Plenary", 2),
        ("sdg_segment", "SDG action segment", 1),
        ("side_event", "Side event", 2),
        ("pitch", "Pitch", 1),
    ]
    assert (report.sessions, report.side_events) == (6, 2)
    assert (report.statements_submitted, report.statements_selected) == (3, 1)
    assert report.consultation_responses == 2
    a = report.announced
    assert (a.count, a.linked) == (3, 2)
    assert a.money == [("EUR", Decimal("50000.50")), ("USD", Decimal("1250000"))]
    assert a.formatted_money == [("EUR", "50,000.50"), ("USD", "1,250,000")]
    assert [(c.title, c.path) for c in a.commitments] == [
        ("Blue bonds for island states", f"/commitments/{a.commitments[0].path.split('/')[2]}/")
    ]


def test_participation_counts_an_event_without_registrations_as_zero() -> None:
    p = participation(factories.EventFactory())
    assert (p.in_person, p.online, p.waitlisted, p.by_category.rows, p.by_region.rows) == (
        0,
        0,
        0,
        [],
        [],
    )


def test_the_event_has_ended_in_its_own_time_zone() -> None:
    event = factories.EventFactory(
        starts_on=dt.date(2025, 6, 25), ends_on=dt.date(2025, 6, 27), time_zone="Pacific/Auckland"
    )
    moment = dt.datetime(2025, 6, 27, 13, 0, tzinfo=dt.UTC)  # 28 June 01:00 in Auckland
    assert impact.has_ended(event, moment)
    event.time_zone = "America/New_York"  # 27 June 09:00 there
    assert not impact.has_ended(event, moment)


# Pages -------------------------------------------------------------------------------------


def console(event: Event, name: str) -> str:
    return reverse(
        f"console:{name}", kwargs={"programme": event.programme.slug, "event": event.slug}
    )


def public(event: Event, name: str) -> str:
    return reverse(
        f"public:{name}", kwargs={"programme": event.programme.slug, "event": event.slug}
    )


@pytest.mark.dates
def test_the_public_page_opens_once_a_published_event_has_ended(client: Client) -> None:
    event = build_event()
    page = client.get(public(event, "forum_impact"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Impact report: Partnership Forum 2025" in html
    assert "Attendance reported by the organisers of 2 sessions" in html
    assert client.get(public(event, "forum_impact_pdf")).status_code == 200

    event.ends_on = timezone.localdate() + dt.timedelta(days=2)
    event.save()
    assert client.get(public(event, "forum_impact")).status_code == 404
    assert client.get(public(event, "forum_impact_pdf")).status_code == 404

    event.ends_on = timezone.localdate() - dt.timedelta(days=10)
    event.is_published = False
    event.save()
    assert client.get(public(event, "forum_impact")).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "stranger", "reviewer", "other_secretariat"])
def test_the_console_report_is_the_secretariats(client: Client, who: str) -> None:
    event = build_event()
    if who != "anonymous":
        client.force_login(
            {
                "stranger": lambda: factories.UserFactory(),
                "reviewer": lambda: factories.staff(event.programme, ProgrammeRole.Role.REVIEWER),
                "other_secretariat": lambda: factories.staff(factories.ProgrammeFactory()),
            }[who]()
        )
    expected = 302 if who == "anonymous" else 403
    assert client.get(console(event, "forum_impact")).status_code == expected
    assert client.get(console(event, "forum_impact_pdf")).status_code == expected


def test_the_secretariat_reads_the_report_and_downloads_the_pdf(client: Client) -> None:
    event = build_event()
    client.force_login(factories.staff(event.programme))
    page = client.get(console(event, "forum_impact"))
    assert page.status_code == 200
    assert "Stakeholder statements submitted" in page.content.decode()
    pdf = client.get(console(event, "forum_impact_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="{event.programme.slug}-{event.slug}-impact-report.pdf"'
    )
    other = factories.EventFactory()
    url = reverse(
        "console:forum_impact", kwargs={"programme": event.programme.slug, "event": other.slug}
    )
    assert client.get(url).status_code == 404


# PDF ---------------------------------------------------------------------------------------


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def test_the_pdf_reads_back_with_the_figures() -> None:
    event = build_event()
    pdf = impact.render_pdf(impact.build(event))
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "Impact report: Partnership Forum 2025",
        event.programme.name,
        "In person 3",
        "Online 2",
        "Total 5",
        "On the waiting list 1",
        "Non-governmental or civil society organisation 2 1",
        "Africa 2 0",
        "Attendance reported by the organisers of 2 sessions",
        "Online 340",
        "Side events 2",
        "Stakeholder statements submitted 3",
        "Statements selected and published 1",
        "Consultation responses 2",
        "Announced 3",
        "Registered on the platform 2",
        "EUR 50,000.50",
        "USD 1,250,000",
    ):
        assert expected in text, expected


def overflows(pdf: bytes) -> list[str]:
    """Each page's characters outside its inline margins (as tests/reporting/
    test_annual_layout.py reads them)."""
    import pdfplumber

    problems = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            right = float(page.width) - MARGIN_INLINE + TOLERANCE
            left = MARGIN_INLINE - TOLERANCE
            outside = [c for c in page.chars if c["x1"] > right or c["x0"] < left]
            if outside:
                text = "".join(c["text"] for c in outside[:40])
                problems.append(f"page {number}: {len(outside)} characters outside: {text!r}")
    return problems


def test_every_table_of_the_pdf_fits_its_page() -> None:
    event = build_event(wide=True)
    report = impact.build(event)
    pdf = impact.render_pdf(report)
    assert overflows(pdf) == []
    text = " ".join(pdf_text(pdf).split())
    assert "XOF 99,999,999,999,999" in text
    assert "Intergovernmental or regional organisation 99,999,999" in text
    # Each caption stays on the page of its table's header row.
    pages = [" ".join(t.split()) for t in pdf_pages(pdf)]
    for caption, header in (
        ("Attendance reported by the organisers of 2 sessions", "Taking part Attendances"),
        ("Money announced, by currency (not converted)", "Currency Amount"),
        ("Sessions held, by kind", "Kind Sessions"),
    ):
        on = [i for i, page in enumerate(pages) if caption in page]
        assert len(on) == 1 and header in pages[on[0]], (caption, on)


def test_the_overflow_check_sees_text_beyond_the_margin() -> None:
    from weasyprint import HTML

    pdf = HTML(
        string="<style>@page { size: A4; margin: 2cm 1.8cm }</style>"
        "<p style='white-space: nowrap'>" + "overflowing " * 30 + "</p>"
    ).write_pdf()
    assert len(overflows(pdf)) == 1
