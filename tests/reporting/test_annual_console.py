"""The console pages of the annual report: secretariat only; anonymous people are sent to log
in, everyone else gets 403 and changes nothing; a cycle of another programme is a 404."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reporting import annual, domain
from pledgebook.reporting.models import AnnualReport, ReportingCycle
from tests import factories
from tests.csp import inline_code
from tests.reporting.test_annual import World, make_world

LOGIN = "login"
PERSONAS = ("anonymous", "no_role", "maker", "reviewer", "other_secretariat", "secretariat")
OUTCOME = {
    "anonymous": LOGIN,
    "no_role": 403,
    "maker": 403,
    "reviewer": 403,
    "other_secretariat": 403,
    "secretariat": 200,
}


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def person(world: World, persona: str) -> Any:
    return {
        "anonymous": None,
        "no_role": factories.UserFactory(),
        "maker": factories.representative(world.orgs["amani"]),
        "reviewer": world.reviewer,
        "other_secretariat": factories.staff(factories.ProgrammeFactory()),
        "secretariat": world.secretariat,
    }[persona]


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(world: World, name: str, cycle: ReportingCycle | None = None, **kw: Any) -> str:
    return reverse(
        f"console:{name}",
        kwargs={"programme": world.programme.slug, "cycle": (cycle or world.cycle).pk, **kw},
    )


def assert_outcome(response: Any, expected: Any, address: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={quote(address)}"
    else:
        assert response.status_code == expected


def done_report(world: World) -> AnnualReport:
    return domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)


def stored_report(world: World) -> AnnualReport:
    """A finished report with a small stored PDF (quicker than generating one)."""
    report = AnnualReport(cycle=world.cycle, status=AnnualReport.Status.DONE, progress=100)
    report.pdf.save("stored.pdf", ContentFile(b"%PDF-1.7 stored"), save=False)
    report.save()
    return report


def test_urls() -> None:
    kw = {"programme": "p", "cycle": 7}
    assert reverse("console:annual_report", kwargs=kw) == "/console/p/reporting/cycles/7/report/"
    assert (
        reverse("console:annual_generate", kwargs=kw)
        == "/console/p/reporting/cycles/7/report/generate/"
    )
    assert (
        reverse("console:annual_status", kwargs=kw)
        == "/console/p/reporting/cycles/7/report/status/"
    )
    assert (
        reverse("console:annual_download", kwargs={**kw, "report": 3, "kind": "pdf"})
        == "/console/p/reporting/cycles/7/report/3/pdf/"
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["annual_report", "annual_status", "download"])
def test_page_access(world: World, persona: str, page: str) -> None:
    if page == "download":
        report = stored_report(world)
        address = url(world, "annual_download", report=report.pk, kind="pdf")
    else:
        address = url(world, page)
    response = client_for(person(world, persona)).get(address)
    assert_outcome(response, OUTCOME[persona], address)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "secretariat"])
def test_denied_request_creates_nothing(world: World, persona: str) -> None:
    address = url(world, "annual_generate")
    response = client_for(person(world, persona)).post(address)
    assert_outcome(response, OUTCOME[persona], address)
    assert AnnualReport.objects.count() == 0
    assert AuditEntry.objects.filter(action="annual_report.requested").count() == 0


def test_secretariat_generates_the_files(world: World) -> None:
    client = client_for(world.secretariat)
    response = client.post(url(world, "annual_generate"))
    assert response.status_code == 302
    assert response.url == url(world, "annual_report")
    report = AnnualReport.objects.get()
    assert (report.status, report.progress, report.requested_by) == (
        "done",
        100,
        world.secretariat,
    )
    page = client.get(response.url).content.decode()
    assert "The PDF and Word files are being generated." in page
    for kind in annual.FILE_KINDS:
        assert url(world, "annual_download", report=report.pk, kind=kind) in page


def test_htmx_request_answers_with_the_status_partial(world: World) -> None:
    response = client_for(world.secretariat).post(
        url(world, "annual_generate"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="annual-reports">')  # done: no more polling
    assert "hx-trigger" not in html
    report = AnnualReport.objects.get()
    assert url(world, "annual_download", report=report.pk, kind="docx") in html


def test_generating_before_the_cycle_opens_says_why(db: Any) -> None:
    world = make_world(status=ReportingCycle.Status.SCHEDULED)
    client = client_for(world.secretariat)
    response = client.post(url(world, "annual_generate"), follow=True)
    assert "The report can be generated once the cycle has opened." in response.content.decode()
    assert AnnualReport.objects.count() == 0


def test_generate_takes_post_only(world: World) -> None:
    response = client_for(world.secretariat).get(url(world, "annual_generate"))
    assert response.status_code == 405
    assert AnnualReport.objects.count() == 0


def test_status_polls_while_a_report_is_pending(world: World) -> None:
    AnnualReport.objects.create(
        cycle=world.cycle, status=AnnualReport.Status.RUNNING, progress=60, step="Writing Word"
    )
    html = client_for(world.secretariat).get(url(world, "annual_status")).content.decode()
    assert (
        f'hx-get="{url(world, "annual_status")}" hx-trigger="every 2s" hx-swap="outerHTML"' in html
    )
    assert '<progress id="progress-' in html
    assert 'max="100" value="60">60%</progress>' in html
    assert "Generating: Writing Word" in html


def test_a_failed_report_shows_its_error(world: World) -> None:
    AnnualReport.objects.create(
        cycle=world.cycle, status=AnnualReport.Status.FAILED, error="OSError: disk full"
    )
    html = client_for(world.secretariat).get(url(world, "annual_status")).content.decode()
    assert "OSError: disk full" in html
    assert "hx-trigger" not in html


def test_a_report_without_a_sign_of_life_shows_as_interrupted_with_generate_again(
    world: World,
) -> None:
    stuck = AnnualReport.objects.create(
        cycle=world.cycle,
        status=AnnualReport.Status.RUNNING,
        progress=10,
        step="Drawing the charts",
        heartbeat_at=timezone.now() - dt.timedelta(minutes=10),
    )
    client = client_for(world.secretariat)

    html = client.get(url(world, "annual_status")).content.decode()
    assert "Interrupted</span>: the task worker stopped at 10% (last sign of life" in html
    assert "Generating: Drawing the charts" not in html
    generate = url(world, "annual_generate")
    assert f'hx-post="{generate}" hx-target="#annual-reports"' in html
    assert ">Generate again</button>" in html

    html = client.post(generate, HTTP_HX_REQUEST="true").content.decode()

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == ("failed", "Interrupted: the task worker stopped.")
    new = AnnualReport.objects.exclude(pk=stuck.pk).get()
    assert new.status == AnnualReport.Status.DONE  # the immediate task backend of the tests
    assert f'id="annual-report-{new.pk}"' in html
    assert AuditEntry.objects.filter(
        action="annual_report.interrupted", object_id=stuck.pk, actor=world.secretariat
    ).exists()


def test_a_report_with_a_recent_sign_of_life_still_holds_back_a_new_one(world: World) -> None:
    running = AnnualReport.objects.create(
        cycle=world.cycle,
        status=AnnualReport.Status.RUNNING,
        progress=60,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=30),
    )
    html = client_for(world.secretariat).get(url(world, "annual_status")).content.decode()
    assert "Interrupted" not in html
    assert "Generate again" not in html
    assert domain.request_annual_report(actor=world.secretariat, cycle=world.cycle) == running


def test_a_failed_report_offers_generate_again(world: World) -> None:
    AnnualReport.objects.create(
        cycle=world.cycle, status=AnnualReport.Status.FAILED, error="OSError: disk full"
    )
    html = client_for(world.secretariat).get(url(world, "annual_status")).content.decode()
    assert ">Generate again</button>" in html


def test_the_web_version_shows_the_report(world: World) -> None:
    response = client_for(world.secretariat).get(url(world, "annual_report"))
    html = response.content.decode()
    assert "<h1>Annual accountability report: 2026 annual report</h1>" in html
    assert (
        "3 of the 6 commitments expected to report in 2026 annual report submitted a report: "
        "a response rate of 50.0%." in html
    )
    # Charts are SVG images (inline SVG from matplotlib carries style attributes, which the
    # Content-Security-Policy refuses).
    assert (
        html.count('<img class="chart-image" src="data:image/svg+xml;base64,') == 5
    )  # four charts and the map
    assert 'id="chart-rates-theme">' in html
    assert inline_code(html) == []
    assert '<table class="report-table" id="table-non-reporters">' in html
    assert '<th scope="row">apex Foundation</th>' in html
    assert "Generate PDF and Word" in html
    assert f"/api/v1/exports/progress-reports-csv/?cycle={world.cycle.pk}" in html
    assert f"/api/v1/exports/progress-reports-xlsx/?cycle={world.cycle.pk}" in html


def test_no_open_data_links_for_an_unpublished_programme(world: World) -> None:
    world.programme.is_published = False
    world.programme.save()
    html = client_for(world.secretariat).get(url(world, "annual_report")).content.decode()
    assert "/api/v1/exports/progress-reports" not in html


def test_downloads_serve_the_stored_files(world: World) -> None:
    report = done_report(world)
    client = client_for(world.secretariat)
    for kind, content_type in (
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        response = client.get(url(world, "annual_download", report=report.pk, kind=kind))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="equality-forum-{world.cycle.pk}-annual-report.{kind}"'
        )
        with getattr(report, kind).open("rb") as f:
            assert b"".join(response.streaming_content) == f.read()


def _other_programme_cycle(world: World) -> tuple[ReportingCycle, Any]:
    other = factories.ProgrammeFactory()
    cycle = ReportingCycle.objects.create(
        programme=other,
        name="Other cycle",
        opens_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        deadline=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        status=ReportingCycle.Status.CLOSED,
    )
    return cycle, factories.staff(other, ProgrammeRole.Role.SECRETARIAT)


@pytest.mark.parametrize("page", ["annual_report", "annual_status", "annual_generate"])
def test_a_cycle_of_another_programme_is_404(world: World, page: str) -> None:
    cycle, _ = _other_programme_cycle(world)
    client = client_for(world.secretariat)
    address = url(world, page, cycle=cycle)
    response = client.post(address) if page == "annual_generate" else client.get(address)
    assert response.status_code == 404
    assert AnnualReport.objects.count() == 0


def test_a_report_of_another_cycle_or_an_unknown_kind_is_404(world: World) -> None:
    cycle, other_secretariat = _other_programme_cycle(world)
    foreign = domain.request_annual_report(actor=other_secretariat, cycle=cycle)
    client = client_for(world.secretariat)
    assert (
        client.get(url(world, "annual_download", report=foreign.pk, kind="pdf")).status_code == 404
    )
    mine = done_report(world)
    assert client.get(url(world, "annual_download", report=mine.pk, kind="html")).status_code == 404
    pending = AnnualReport.objects.create(cycle=world.cycle)
    assert (
        client.get(url(world, "annual_download", report=pending.pk, kind="pdf")).status_code == 404
    )
