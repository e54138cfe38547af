"""The status light on the public directory and commitment page, the API's ``status_light``
and progress endpoint, and ``manage.py send_reminders``."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pledgebook.commitments.models import Commitment
from pledgebook.reporting import domain, links
from pledgebook.reporting.models import ProgressReport
from tests import factories
from tests.reporting.conftest import Reporting, form_data

pytestmark = pytest.mark.django_db

REPORTED_MEANING = "A progress report was submitted in the current reporting cycle."
DUE_MEANING = "The reporting cycle is open and the report is not due yet."


def submit(client, rp: Reporting, **overrides) -> None:
    response = client.post(rp.report_url(), {**form_data(rp, **overrides), "submit": "1"})
    assert response.status_code == 302


def iso(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat().replace("+00:00", "Z")


def test_directory_rows_show_the_status_light(client, rp: Reporting) -> None:
    submit(client, rp)
    response = client.get(reverse("public:directory"))

    assert response.status_code == 200
    rows = {c.pk: c.status_light for c in response.context["page_obj"].object_list}
    assert rows == {rp.commitment.pk: "reported", rp.other_commitment.pk: "due"}
    html = response.content.decode()
    assert (
        f'<span class="badge light light-reported" title="{REPORTED_MEANING}">Reported'
        f'<span class="visually-hidden"> — {REPORTED_MEANING}</span></span>'
    ) in html
    assert f'title="{DUE_MEANING}">Report due' in html


def test_commitment_page_shows_the_light_and_the_progress_reported(client, rp: Reporting) -> None:
    page = client.get(rp.other_commitment.get_absolute_url())
    assert page.context["status_light"] == "due"
    assert "No progress report has been submitted yet." in page.content.decode()

    submit(client, rp)
    page = client.get(rp.commitment.get_absolute_url())
    assert page.context["status_light"] == "reported"
    html = page.content.decode()
    assert "light-reported" in html
    assert "Indicators reported in 2026 annual report" in html
    assert "<td>200</td>" in html
    assert "Rains closed the roads" not in html  # challenges stay with makers and secretariat


def test_api_lists_the_status_light_of_each_commitment(rp: Reporting, client) -> None:
    submit(client, rp)
    body = APIClient().get("/api/v1/commitments/").json()
    assert {row["id"]: row["status_light"] for row in body["results"]} == {
        rp.commitment.pk: "reported",
        rp.other_commitment.pk: "due",
    }
    detail = APIClient().get(f"/api/v1/commitments/{rp.other_commitment.pk}/").json()
    assert detail["status_light"] == "due"


def test_api_progress_is_the_latest_submitted_version_per_cycle(rp: Reporting, client) -> None:
    submit(client, rp)
    client.post(rp.link("correct", commitment=rp.commitment.pk))
    submit(client, rp, implementation_status="delayed")
    v2 = ProgressReport.objects.get(version=2)
    cy = rp.cycle

    response = APIClient().get(reverse("api:commitment-progress", kwargs={"pk": rp.commitment.pk}))

    assert response.status_code == 200
    assert response.json() == {
        "commitment": rp.commitment.pk,
        "status_light": "reported",
        "reports": [
            {
                "cycle": {
                    "id": cy.pk,
                    "name": "2026 annual report",
                    "kind": "annual",
                    "status": "open",
                    "opens_at": iso(cy.opens_at),
                    "deadline": iso(cy.deadline),
                    "closes_at": iso(cy.closes_at),
                },
                "version": 2,
                "implementation_status": "delayed",
                "submitted_at": iso(v2.submitted_at),
                "disbursed_amount": "250.00",
                "disbursed_currency": "USD",
                "exchange_rate": None,
                "indicators": [
                    {
                        "code": "people",
                        "name": "People reached",
                        "unit": "people",
                        "baseline": "0.0000",
                        "target": "500.0000",
                        "value": "200.0000",
                    }
                ],
            }
        ],
    }
    empty = APIClient().get(f"/api/v1/commitments/{rp.other_commitment.pk}/progress/").json()
    assert empty == {"commitment": rp.other_commitment.pk, "status_light": "due", "reports": []}


def test_api_progress_only_for_public_commitments_of_published_programmes(
    rp: Reporting, theme
) -> None:
    draft = factories.CommitmentFactory(theme=theme)
    assert APIClient().get(f"/api/v1/commitments/{draft.pk}/progress/").status_code == 404
    rp.programme.is_published = False
    rp.programme.save()
    response = APIClient().get(f"/api/v1/commitments/{rp.commitment.pk}/progress/")
    assert response.status_code == 404
    assert draft.status == Commitment.Status.DRAFT


def _link_invitation(body: str):
    """The invitation of the one personal reporting link in a mail body."""
    prefix = reverse("reporting:link", kwargs={"token": "TOKEN"}).split("TOKEN")[0]
    tokens = re.findall(re.escape(prefix) + r"([^/\s]+)/", body)
    assert len(tokens) == 1, body
    return links.resolve(tokens[0])


def test_send_reminders_command_is_idempotent(rp: Reporting) -> None:
    rp.cycle.deadline = timezone.now() + dt.timedelta(days=3)
    rp.cycle.save()
    mail.outbox.clear()

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Reminders sent: 2"
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(bodies) == sorted([rp.user.email, rp.other_user.email])
    # Each mail carries the personal link of its own maker (tokens are timestamped: read them
    # back rather than signing again).
    assert _link_invitation(bodies[rp.user.email]) == rp.invitation()
    assert _link_invitation(bodies[rp.other_user.email]) == rp.invitation(rp.other_org)

    again = StringIO()
    call_command("send_reminders", stdout=again)
    assert again.getvalue() == "Reminders sent: 0\n"
    assert len(mail.outbox) == 2
    domain.close_cycle(actor=rp.secretariat, cycle=rp.cycle)
    closed = StringIO()
    call_command("send_reminders", stdout=closed)
    assert closed.getvalue() == "Reminders sent: 0\n"
