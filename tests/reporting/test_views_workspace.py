"""Reporting from the workspace: the same pages and form as the personal link, for signed-in
representatives of the organisations; another organisation's commitment is a 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.reporting import domain
from pledgebook.reporting.models import CoMakerConfirmation, ProgressReport
from pledgebook.workspace.forms_reporting import ReportForm
from tests import factories
from tests.reporting.conftest import NARRATIVE, Reporting, form_data

pytestmark = pytest.mark.django_db
R = ProgressReport.Status


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(rp: Reporting, name: str = "reporting_cycle", **kwargs) -> str:
    if name == "reporting":
        return reverse("workspace:reporting")
    return reverse(f"workspace:{name}", kwargs={"cycle": rp.cycle.pk, **kwargs})


def test_workspace_lists_the_open_cycles_of_my_organisations(rp: Reporting) -> None:
    response = signed_in(rp.user).get(url(rp, "reporting"))
    assert response.status_code == 200
    assert list(response.context["cycles"]) == [rp.cycle]
    assert "Progress reports" in response.content.decode()

    stranger = factories.UserFactory()
    assert list(signed_in(stranger).get(url(rp, "reporting")).context["cycles"]) == []
    assert signed_in(stranger).get(url(rp)).status_code == 404
    anonymous = Client().get(url(rp))
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))


def test_the_same_form_from_the_workspace(rp: Reporting) -> None:
    client = signed_in(rp.user)
    page = client.get(url(rp))
    assert rp.commitment.title in page.content.decode()
    report_url = url(rp, "reporting_report", commitment=rp.commitment.pk)
    form_page = client.get(report_url)
    assert isinstance(form_page.context["form"], ReportForm)
    assert [t.name for t in form_page.templates][:1] == ["reporting/report_form.html"]

    response = client.post(report_url, {**form_data(rp), "submit": "1"})

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.status, report.narrative, report.created_by) == (R.SUBMITTED, NARRATIVE, rp.user)
    assert report.values.get().value == Decimal(200)
    assert list(
        AuditEntry.objects.filter(action__startswith="report.")
        .order_by("id")
        .values_list("action", "actor")
    ) == [("report.saved", rp.user.pk), ("report.submitted", rp.user.pk)]


def test_another_organisations_commitment_is_404_in_the_workspace(rp: Reporting) -> None:
    client = signed_in(rp.user)
    for name in ("reporting_report", "reporting_correct", "reporting_confirm"):
        target = url(rp, name, commitment=rp.other_commitment.pk)
        assert client.post(target, {**form_data(rp), "submit": "1"}).status_code == 404
    assert (
        client.get(url(rp, "reporting_report", commitment=rp.other_commitment.pk)).status_code
        == 404
    )
    assert ProgressReport.objects.count() == 0


def test_report_after_the_cycle_closed_is_refused_and_the_draft_kept(rp: Reporting) -> None:
    client = signed_in(rp.user)
    report_url = url(rp, "reporting_report", commitment=rp.commitment.pk)
    client.post(report_url, {**form_data(rp), "save": "1"})
    draft = ProgressReport.objects.get()
    domain.close_cycle(actor=rp.secretariat, cycle=rp.cycle)

    page = client.get(report_url).content.decode()
    assert "This reporting cycle is closed: the draft was not submitted." in page
    response = client.post(
        report_url,
        {**form_data(rp, narrative="Typed after the close, kept on the page."), "submit": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The 2026 annual report reporting cycle is closed: reports can no longer be sent."
    ]
    assert "Typed after the close, kept on the page." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.narrative) == (R.DRAFT, NARRATIVE)
    # Correcting is refused too.
    response = client.post(url(rp, "reporting_correct", commitment=rp.commitment.pk), follow=True)
    assert ProgressReport.objects.count() == 1


def test_co_maker_confirms_from_the_workspace(rp: Reporting) -> None:
    signed_in(rp.user).post(
        url(rp, "reporting_report", commitment=rp.commitment.pk), {**form_data(rp), "submit": "1"}
    )
    client = signed_in(rp.partner_user)
    page = client.get(url(rp)).content.decode()
    assert f"Confirm the lead's report for {rp.partner.name}" in page
    response = client.post(
        url(rp, "reporting_confirm", commitment=rp.commitment.pk),
        {"organisation": rp.partner.pk},
    )
    assert response.status_code == 302
    confirmation = CoMakerConfirmation.objects.get()
    assert (confirmation.organisation, confirmation.confirmed_by) == (rp.partner, rp.partner_user)
    # The lead cannot confirm its own report.
    assert (
        signed_in(rp.user)
        .post(url(rp, "reporting_confirm", commitment=rp.commitment.pk))
        .status_code
        == 404
    )
    assert CoMakerConfirmation.objects.count() == 1


def test_workspace_cycle_page_queries_do_not_grow(rp: Reporting, theme) -> None:
    client = signed_in(rp.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(rp)).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for _ in range(2):
        factories.CommitmentFactory(
            theme=theme, organisation=rp.org, status=Commitment.Status.CONFIRMED
        )
    three = count()
    assert len(client.get(url(rp)).context["lead_rows"]) == 3
    assert one == three
