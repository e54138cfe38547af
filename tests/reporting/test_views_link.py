"""The personal reporting link: the maker's page, the report form (bad input keeps what was
typed and loses nothing saved), submission and correction, co-makers, evidence downloads."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.reporting import domain
from pledgebook.reporting.models import (
    CoMakerConfirmation,
    Evidence,
    IndicatorValue,
    Invitation,
    ProgressReport,
)
from tests import factories, samples
from tests.reporting.conftest import NARRATIVE, Reporting, form_data

# Dates decide what these tests check: they also run at the awkward instants of tests/clocks.py.
pytestmark = [pytest.mark.django_db, pytest.mark.dates]

R = ProgressReport.Status


def fields(report: ProgressReport) -> tuple:
    return (
        report.version,
        report.status,
        report.implementation_status,
        report.narrative,
        report.challenges,
        report.disbursed_amount,
        report.disbursed_currency_id,
        report.exchange_rate,
    )


def save_draft(client: Client, rp: Reporting, **overrides) -> ProgressReport:
    response = client.post(rp.report_url(), {**form_data(rp, **overrides), "save": "1"})
    assert response.status_code == 302
    return ProgressReport.objects.get(commitment=rp.commitment, status=R.DRAFT)


# The link page --------------------------------------------------------------------------


def test_valid_link_lists_the_commitments_of_its_maker(client, rp: Reporting) -> None:
    # The links are signed with the time: the clock stands still, so that the page's link and
    # the one the test signs are made in the same second.
    with time_machine.travel(timezone.now(), tick=False):
        response = client.get(rp.link())
        expected_report_url = rp.report_url()

    assert response.status_code == 200
    html = response.content.decode()
    assert rp.commitment.title in html
    assert rp.other_commitment.title not in html
    assert "Not started" in html
    assert expected_report_url in html
    assert "0 of 1 commitment reported." in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_forged_link_is_403_and_says_what_to_do(client, rp: Reporting) -> None:
    token = rp.token()
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url in (
        reverse("reporting:link", kwargs={"token": forged}),
        reverse("reporting:link", kwargs={"token": "garbage"}),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "This reporting link is not valid. Ask the secretariat for a new one." in (
            response.content.decode()
        )
    response = client.post(
        reverse("reporting:report", kwargs={"token": forged, "commitment": rp.commitment.pk}),
        {**form_data(rp), "submit": "1"},
    )
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_expired_link_is_410_and_nothing_is_saved(client, rp: Reporting) -> None:
    draft = save_draft(client, rp)
    url = rp.report_url()
    domain.close_cycle(actor=rp.secretariat, cycle=rp.cycle)

    response = client.get(rp.link())
    assert response.status_code == 410
    assert "This reporting link expired when the cycle closed on" in response.content.decode()
    assert "This link has expired" in response.content.decode()

    data = {**form_data(rp, narrative="Changed after the close"), "submit": "1"}
    response = client.post(url, data)
    assert response.status_code == 410
    draft.refresh_from_db()
    assert (draft.status, draft.narrative) == (R.DRAFT, NARRATIVE)


def test_replaced_link_is_403(client, rp: Reporting) -> None:
    old = rp.link()
    domain.resend_link(actor=rp.secretariat, invitation=rp.invitation())

    response = client.get(old)
    assert response.status_code == 403
    assert "This reporting link has been replaced by a newer one: use the latest e-mail." in (
        response.content.decode()
    )
    assert client.get(rp.link()).status_code == 200


def test_another_makers_commitment_through_a_link_is_404(client, rp: Reporting) -> None:
    url = rp.report_url(rp.other_commitment)

    assert client.get(url).status_code == 404
    assert client.post(url, {**form_data(rp), "submit": "1"}).status_code == 404
    assert client.post(rp.link("correct", commitment=rp.other_commitment.pk)).status_code == 404
    assert client.post(rp.link("confirm", commitment=rp.other_commitment.pk)).status_code == 404
    assert ProgressReport.objects.count() == 0
    assert CoMakerConfirmation.objects.count() == 0


def test_link_page_queries_do_not_grow_with_commitments(client, rp: Reporting, theme) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(rp.link()).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for _ in range(2):
        factories.CommitmentFactory(
            theme=theme, organisation=rp.org, status=Commitment.Status.CONFIRMED
        )
    ProgressReport.objects.create(
        commitment=rp.commitment, cycle=rp.cycle, status=R.SUBMITTED, version=1
    )
    assert "1 of 3 commitments reported." in client.get(rp.link()).content.decode()
    assert count() == one


# The report form --------------------------------------------------------------------------


def test_save_a_draft_through_the_link(client, rp: Reporting) -> None:
    url = rp.report_url()  # the token is timestamped: sign once
    response = client.post(url, {**form_data(rp), "save": "1"})

    assert response.status_code == 302
    assert response.url == url
    report = ProgressReport.objects.get()
    assert fields(report) == (
        1,
        R.DRAFT,
        "on_track",
        NARRATIVE,
        "Rains closed the roads for a month.",
        Decimal("250.00"),
        "USD",
        None,
    )
    assert report.created_by is None
    assert list(IndicatorValue.objects.values_list("baseline", "target", "value")) == [
        (Decimal(0), Decimal(500), Decimal(200))
    ]
    assert list(Evidence.objects.values_list("url", flat=True)) == ["https://example.org/photos"]
    page = client.get(rp.report_url()).content.decode()
    assert "Your draft is saved. You can come back to it later." in page
    assert 'value="200.0000"' in page


def test_a_non_number_is_an_error_at_its_field_and_keeps_what_was_typed(
    client, rp: Reporting
) -> None:
    draft = save_draft(client, rp)
    before = fields(draft)
    name = f"indicator_{rp.indicator.pk}_value"

    response = client.post(
        rp.report_url(),
        {
            **form_data(rp, narrative="A new narrative typed here.", **{name: "two hundred"}),
            "submit": "1",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {name: ["Enter a number."]}
    html = response.content.decode()
    assert 'value="two hundred"' in html
    assert "A new narrative typed here." in html
    draft.refresh_from_db()
    assert fields(draft) == before
    assert IndicatorValue.objects.get().value == Decimal(200)


def test_another_currency_without_a_rate_is_an_error_at_the_rate(client, rp: Reporting) -> None:
    draft = save_draft(client, rp)
    before = fields(draft)

    response = client.post(
        rp.report_url(),
        {
            **form_data(rp, disbursed_currency="EUR", disbursed_amount="90", narrative="Typed."),
            "save": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "exchange_rate": ["The money was pledged in USD: give the exchange rate from EUR."]
    }
    assert 'value="90"' in response.content.decode()
    draft.refresh_from_db()
    assert fields(draft) == before

    response = client.post(
        rp.report_url(),
        {
            **form_data(rp, disbursed_currency="EUR", disbursed_amount="90", exchange_rate="1.1"),
            "save": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.disbursed_currency_id, draft.exchange_rate) == ("EUR", Decimal("1.1"))


NOT_EVIDENCE = (
    "“{}” is not a PDF, PNG, JPEG, CSV, Word (.docx) or Excel (.xlsx) file (judged by its "
    "content, whatever its name says): choose another file."
)


@pytest.mark.parametrize(
    ("name", "content_type", "content", "message"),
    [
        ("run.exe", "application/x-msdownload", samples.EXE, NOT_EVIDENCE.format("run.exe")),
        ("setup.exe", "application/pdf", samples.EXE, NOT_EVIDENCE.format("setup.exe")),
        ("invoice.pdf", "application/pdf", samples.EXE, NOT_EVIDENCE.format("invoice.pdf")),
        ("photo.png", "image/png", samples.HTML, NOT_EVIDENCE.format("photo.png")),
        (
            "photo.pdf",
            "application/pdf",
            samples.png(),
            "“photo.pdf” is a PNG file but its name does not end in .png: rename it, or choose "
            "the file you meant.",
        ),
        ("big.pdf", "application/pdf", samples.PDF.ljust(101), "big.pdf is larger than 10 MB."),
    ],
)
def test_a_bad_evidence_file_is_an_error_at_its_field(
    client, rp: Reporting, monkeypatch, settings, tmp_path, name, content_type, content, message
) -> None:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(domain, "MAX_EVIDENCE_BYTES", 100)
    draft = save_draft(client, rp)
    before = fields(draft)
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    response = client.post(
        rp.report_url(),
        {
            **form_data(rp, challenges="Typed just now, kept on the page."),
            "evidence_files": [upload],
            "submit": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"evidence_files": [message]}
    html = response.content.decode()
    assert "Files are not kept when the form shows errors: choose them again." in html
    assert "Typed just now, kept on the page." in html
    draft.refresh_from_db()
    assert fields(draft) == before
    assert list(Evidence.objects.values_list("url", "file")) == [("https://example.org/photos", "")]
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_refused_submission_keeps_the_saved_draft(client, rp: Reporting) -> None:
    response = client.post(
        rp.report_url(),
        {
            **form_data(rp, implementation_status="", narrative="", challenges="New challenges"),
            "submit": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "implementation_status": ["Choose a status."],
        "narrative": ["Say in a few sentences what happened."],
    }
    assert "Your draft is saved, but it was not submitted." in response.content.decode()
    draft = ProgressReport.objects.get()
    assert (draft.status, draft.challenges) == (R.DRAFT, "New challenges")
    assert IndicatorValue.objects.get().value == Decimal(200)


def test_submit_then_correct_makes_version_2_and_keeps_version_1(client, rp: Reporting) -> None:
    response = client.post(rp.report_url(), {**form_data(rp), "submit": "1"})
    assert response.status_code == 302
    v1 = ProgressReport.objects.get()
    assert (v1.version, v1.status) == (1, R.SUBMITTED)
    v1_fields = fields(v1)

    page = client.get(rp.report_url()).content.decode()
    assert "Thank you: version 1 of the report on" in page
    assert "Correct this report" in page
    assert "<form" in page and 'name="narrative"' not in page  # read only

    response = client.post(rp.link("correct", commitment=rp.commitment.pk))
    assert response.status_code == 302
    v2 = ProgressReport.objects.get(status=R.DRAFT)
    assert (v2.version, v2.narrative, v2.implementation_status) == (2, NARRATIVE, "on_track")
    assert list(v2.values.values_list("value", flat=True)) == [Decimal(200)]
    # Clicking again does not make a third version.
    client.post(rp.link("correct", commitment=rp.commitment.pk))
    assert ProgressReport.objects.count() == 2

    response = client.post(
        rp.report_url(),
        {**form_data(rp, implementation_status="delayed", evidence_links=""), "submit": "1"},
    )
    assert response.status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert fields(v1) == v1_fields
    assert (v2.version, v2.status, v2.implementation_status) == (2, R.SUBMITTED, "delayed")
    assert list(
        ProgressReport.objects.filter(commitment=rp.commitment).values_list("version", "status")
    ) == [(2, R.SUBMITTED), (1, R.SUBMITTED)]

    page = client.get(rp.report_url()).content.decode()
    assert page.index("Version 2") < page.index("Version 1")
    assert "Delayed" in page
    old = client.get(rp.report_url(), {"version": "1"}).content.decode()
    assert "On track" in old
    assert client.get(rp.report_url(), {"version": "9"}).status_code == 404


# Co-makers ----------------------------------------------------------------------------------


def test_co_maker_reads_and_confirms_the_leads_report(client, rp: Reporting) -> None:
    page = client.get(rp.link(org=rp.partner)).content.decode()
    assert "Not submitted yet" in page
    assert "Confirm the lead" not in page
    # The co-maker cannot write the lead's report.
    response = client.post(
        rp.link("report", org=rp.partner, commitment=rp.commitment.pk),
        {**form_data(rp), "submit": "1"},
    )
    assert response.status_code == 404
    assert ProgressReport.objects.count() == 0

    client.post(rp.report_url(), {**form_data(rp), "submit": "1"})
    report = ProgressReport.objects.get()
    page = client.get(rp.link(org=rp.partner)).content.decode()
    assert f"Confirm the lead's report for {rp.partner.name}" in page
    view = client.get(rp.link("report", org=rp.partner, commitment=rp.commitment.pk))
    assert view.status_code == 200
    assert NARRATIVE in view.content.decode()

    response = client.post(rp.link("confirm", org=rp.partner, commitment=rp.commitment.pk))
    assert response.status_code == 302
    confirmation = CoMakerConfirmation.objects.get()
    assert (confirmation.report, confirmation.organisation) == (report, rp.partner)
    assert (
        f"Confirmed by {rp.partner.name} on" in client.get(rp.link(org=rp.partner)).content.decode()
    )


# Evidence files ------------------------------------------------------------------------------


def test_evidence_files_are_served_only_to_the_maker_and_the_secretariat(
    client, rp: Reporting, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client.post(
        rp.report_url(), {**form_data(rp), "evidence_files": [upload], "save": "1"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(url="")
    assert (evidence.original_name, evidence.size) == ("minutes.pdf", 16)

    own = client.get(rp.link("evidence", evidence=evidence.pk))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"%PDF-1.4 minutes"
    assert own["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert own["X-Content-Type-Options"] == "nosniff"
    # Another maker's link, and the co-maker while the report is a draft: 404.
    for org in (rp.other_org, rp.partner):
        assert client.get(rp.link("evidence", org=org, evidence=evidence.pk)).status_code == 404
    # The workspace: the lead's people yes, others no, anonymous to the login page.
    url = reverse("workspace:reporting_evidence", kwargs={"evidence": evidence.pk})
    assert client.get(url).status_code == 302
    other = Client()
    other.force_login(rp.other_user)
    assert other.get(url).status_code == 404
    lead = Client()
    lead.force_login(rp.user)
    assert lead.get(url).status_code == 200
    # No public address: the file is not under a served media URL.
    assert Client().get("/" + evidence.file.name).status_code == 404
    assert Client().get("/media/" + evidence.file.name).status_code == 404


def test_evidence_is_stored_by_id_and_served_with_the_type_of_its_content(
    client, rp: Reporting, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Site visit.png", samples.png(), content_type="text/html")
    response = client.post(
        rp.report_url(), {**form_data(rp), "evidence_files": [upload], "save": "1"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(url="")
    assert re.fullmatch(r"evidence/\d{4}/[0-9a-f]{32}\.png", evidence.file.name)
    assert (evidence.original_name, evidence.content_type) == ("Site visit.png", "image/png")

    download = client.get(rp.link("evidence", evidence=evidence.pk))
    assert (download["Content-Type"], download["Content-Disposition"]) == (
        "image/png",
        'attachment; filename="Site visit.png"',
    )
    assert download["X-Content-Type-Options"] == "nosniff"

    # A file stored before contents were checked keeps the type its sender declared: it is
    # served as bytes to download, never as what it claimed to be.
    legacy = Evidence.objects.create(
        report=evidence.report,
        file=ContentFile(samples.EXE, name="invoice.pdf"),
        original_name="invoice.pdf",
        content_type="application/pdf",
    )
    download = client.get(rp.link("evidence", evidence=legacy.pk))
    assert (download["Content-Type"], download["Content-Disposition"]) == (
        "application/octet-stream",
        'attachment; filename="invoice.pdf"',
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == samples.EXE


def test_invitation_of_the_link_is_unchanged_by_reading(client, rp: Reporting) -> None:
    before = Invitation.objects.values_list("nonce", "times_sent").get(pk=rp.invitation().pk)
    client.get(rp.link())
    client.get(rp.report_url())
    assert Invitation.objects.values_list("nonce", "times_sent").get(pk=rp.invitation().pk) == (
        before
    )
