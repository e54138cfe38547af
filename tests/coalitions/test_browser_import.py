"""Browser journey of the coalition import (Playwright driving Debian's Chromium): the
secretariat chooses the categories the programme shows, uploads a file with an error (shown,
nothing kept), then the corrected export of the UN Climate Initiatives Platform: the preview
names the columns not imported and how each type of lead organisation is mapped; the warnings
are accepted and the coalitions imported."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pledgebook.coalitions.models import Coalition, ImportBatch
from pledgebook.organisations.models import Organisation
from tests import factories
from tests.browser import sign_in
from tests.coalitions.test_import_details import UN_HEADER, un_row

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def un_csv(*rows: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([UN_HEADER, *rows])
    return out.getvalue().encode()


def test_the_secretariat_imports_an_export_and_sees_what_is_dropped_and_mapped(
    live_server, browser, programme, settings, tmp_path: Path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    secretariat = factories.staff(programme)
    page = browser.new_page()
    sign_in(page, base, secretariat.email, lands="/console/")

    # The programme shows the categories it chooses.
    page.goto(f"{base}/console/{programme.slug}/settings/")
    page.get_by_role("checkbox", name="Media").uncheck()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Programme settings saved.").wait_for()
    programme.refresh_from_db()
    assert "media" not in programme.stakeholder_categories
    assert len(programme.stakeholder_categories) == 24

    page.goto(f"{base}/console/{programme.slug}/coalitions/")
    page.get_by_role("navigation", name="Coalition hub").get_by_role(
        "link", name="Import coalitions"
    ).click()
    file_field = page.get_by_label("File of coalitions (.csv or .xlsx)")

    rows = [
        un_row("Green Finance Pact", "Green Bank", "Financial institution", "France"),
        un_row("Reef Network", "Reef Alliance", "Network/Consortium/Partnership", "Atlantis"),
        un_row("Think Climate", "Think Tank C", "Think tank", "Brazil", secretariat="UNEP"),
    ]
    file_field.set_input_files(
        {"name": "initiatives.csv", "mimeType": "text/csv", "buffer": un_csv(*rows)}
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Errors in initiatives.csv")).to_be_visible()
    expect(page.locator("#row-3")).to_contain_text(
        "Error, row 3, column “Location/Nationality of lead organisation”: Unknown country "
        "“Atlantis”."
    )
    expect(page.locator("#id_file_error")).to_have_text(
        "The file cannot be imported: 1 error, listed below. Nothing of it was kept: correct "
        "the file and upload it again."
    )
    assert ImportBatch.objects.count() == 0

    rows[1] = un_row("Reef Network", "Reef Alliance", "Network/Consortium/Partnership", "Fiji")
    file_field.set_input_files(
        {"name": "initiatives.csv", "mimeType": "text/csv", "buffer": un_csv(*rows)}
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("heading", name="Import of initiatives.csv").wait_for()
    dropped = page.locator("#dropped-columns")
    expect(dropped.get_by_role("heading")).to_have_text(
        "2 of the file's 12 columns are not imported"
    )
    expect(dropped).to_contain_text("Secretariat (1 row with a value)")
    mapping = page.get_by_role("table", name="Types of lead organisation")
    expect(mapping.get_by_role("row", name="Think tank")).to_contain_text(
        "Other (not in the mapping table: each row warns)"
    )
    expect(mapping.get_by_role("row", name="Financial institution")).to_contain_text(
        "Financial institution (bank, investor)"
    )
    expect(page.locator("#row-3")).to_contain_text(
        "Network, alliance or multi-stakeholder partnership · Fiji"
    )
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)

    page.get_by_role("button", name="Import 3 coalitions").click()
    expect(page.get_by_text("Accept the warnings listed to import the file")).to_be_visible()
    assert Coalition.objects.count() == 0
    page.get_by_label("I have read the warnings").check()
    page.get_by_role("button", name="Import 3 coalitions").click()
    page.get_by_text("3 coalitions imported.").wait_for()
    expect(page.locator("#import-status")).to_contain_text("Imported on")
    assert dict(Organisation.objects.values_list("name", "category")) == {
        "Green Bank": "financial_institution",
        "Reef Alliance": "partnership",
        "Think Tank C": "other",
    }
