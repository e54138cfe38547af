"""In a real browser (Playwright driving Debian's Chromium): the secretariat watches the
indexing of an import progress in place (HTMX polling) while a worker works through the
batches, and generates again an annual report whose worker died."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pledgebook.reporting.models import AnnualReport
from tests import factories
from tests.browser import sign_in
from tests.core.helpers import run_worker
from tests.core.test_task_queues import imported
from tests.reporting.test_annual import make_world

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_progress_of_indexing_updates_in_place(
    live_server: Any, browser: Any, database_tasks: Any, programme: Any
) -> None:
    database_tasks.SIMILARITY_BATCH_SIZE = 16
    database_tasks.SIMILARITY_BATCH_SECONDS = 3600
    secretariat = factories.staff(programme)
    imported(programme, 20)
    page = browser.new_page()
    sign_in(page, live_server.url, secretariat.email, lands="/console/")

    page.goto(f"{live_server.url}/console/{programme.slug}/coalitions/")
    status = page.locator("#indexing-status")
    expect(status).to_contain_text("Indexing for similarity: 0 of 20")

    run_worker(max_tasks=1)  # one batch of 16
    expect(status).to_contain_text("Indexing for similarity: 16 of 20", timeout=15_000)
    expect(
        page.get_by_role("progressbar", name="Indexing for similarity: 16 of 20")
    ).to_have_attribute("value", "16")

    run_worker()
    expect(status).to_contain_text("Indexing for similarity is finished.", timeout=15_000)


def test_an_interrupted_report_is_generated_again(live_server: Any, browser: Any) -> None:
    world = make_world()
    AnnualReport.objects.create(
        cycle=world.cycle,
        status=AnnualReport.Status.RUNNING,
        progress=10,
        step="Drawing the charts",
        heartbeat_at=timezone.now() - dt.timedelta(minutes=10),
    )
    page = browser.new_page()
    sign_in(page, live_server.url, world.secretariat.email, lands="/console/")

    page.goto(
        f"{live_server.url}/console/{world.programme.slug}/reporting/cycles/"
        f"{world.cycle.pk}/report/"
    )
    reports = page.locator("#annual-reports")
    expect(reports).to_contain_text("Interrupted: the task worker stopped at 10%")
    reports.get_by_role("button", name="Generate again").click()

    rows = reports.locator("tbody tr")
    expect(rows).to_have_count(2, timeout=60_000)
    expect(rows.nth(0)).to_contain_text("Ready", timeout=60_000)
    expect(rows.nth(0).get_by_role("link", name="PDF")).to_be_visible()
    expect(rows.nth(1)).to_contain_text("Failed: Interrupted: the task worker stopped.")
