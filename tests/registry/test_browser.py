"""Browser journey of the registry import (Playwright driving Debian's Chromium), at desktop and
phone width: a bad file is refused on the upload page; a small #OceanAction file is uploaded,
its columns mapped (one kept out), the preview shows the record set aside and the warnings by
row and column, a wrong organisation match is changed to "create new", the import runs and the
report downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import Organisation
from pledgebook.registry.models import ImportRun
from tests import factories
from tests.browser import sign_in
from tests.registry.test_importing import jsonl, ocean

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fits(page, locator, width: int) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("width", [1280, 360])
def test_the_secretariat_imports_a_registry_file(
    live_server, browser, programme, tmp_path: Path, width: int
):
    base = live_server.url
    secretariat = factories.staff(programme)
    factories.ThemeFactory(programme=programme, name="Marine pollution")
    wrong = factories.OrganisationFactory(name="Pacific Clean Sea Foundation", country_id="FJ")
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, base, secretariat.email, lands="/console/")

    page.goto(f"{base}/console/{programme.slug}/commitments/")
    page.get_by_role("link", name="Import commitments from a registry").click()
    upload = page.get_by_label("File of commitments (.csv, .xlsx or .jsonl)")
    upload.set_input_files({"name": "bad.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"})
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.locator("#registry-upload")).to_contain_text(
        "The columns are neither those of the Pledgebook template"
    )
    assert ImportRun.objects.count() == 0

    file = jsonl(
        ocean(lead_entity="Pacific Clean Seas Foundation"),
        ocean(ocean_action_id="#OceanAction2", title=""),
        ocean(ocean_action_id="#OceanAction3", title="Mangroves of Viti Levu"),
    )
    page.get_by_label("File of commitments (.csv, .xlsx or .jsonl)").set_input_files(
        {"name": "ocean.jsonl", "mimeType": "application/jsonl", "buffer": file.read()}
    )
    page.get_by_label(
        "Country of organisations whose country the file does not give"
    ).select_option("FR")
    page.get_by_role("button", name="Upload and map the columns").click()
    page.get_by_role("heading", name="Columns of ocean.jsonl").wait_for()
    expect(page.locator("#layout")).to_contain_text(
        "Read as JSON Lines, in the layout of the UN Ocean Conference #OceanAction registry: "
        "3 records."
    )
    mapping = page.get_by_role("table", name="What each column becomes")
    expect(mapping.locator("tr[data-column='smart']")).to_contain_text(
        "Not imported: the registry's own SMART flag"
    )
    mapping.get_by_label("description", exact=True).select_option("")
    page.screenshot(path=str(tmp_path / f"mapping-{width}.png"), full_page=True)
    page.get_by_role("button", name="Preview the records").click()

    page.get_by_role("heading", name="Import of ocean.jsonl").wait_for()
    expect(page.locator("#import-summary")).to_have_text(
        "3 records: 2 to import (2 with warnings); organisations: 1 matched, 1 to create."
    )
    expect(page.locator("tr[data-row='2']")).to_contain_text("Set aside: no title")
    expect(page.locator("tr[data-row='1']")).to_contain_text(
        "start_date: 1970-01-01 is the registry's placeholder: no date kept."
    )
    decisions = page.get_by_role("table", name="Each organisation the file names")
    row = decisions.locator("tr", has_text="Pacific Clean Seas Foundation")
    expect(row).to_contain_text("Matched to Pacific Clean Sea Foundation (score 98, similar name)")
    fits(page, page.locator("#import-summary"), width)
    page.screenshot(path=str(tmp_path / f"preview-{width}.png"), full_page=True)
    # The match is wrong: create the organisation instead.
    row.get_by_label("Decision for Pacific Clean Seas Foundation").select_option("create")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Pacific Clean Seas Foundation: will be created.")).to_be_visible()
    expect(page.locator("#import-summary")).to_contain_text("0 matched, 2 to create.")

    page.get_by_role("button", name="Import 2 commitments").click()
    expect(page.locator("#import-status")).to_contain_text("Imported on")
    expect(page.locator("#import-status")).to_contain_text("2 commitments")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (CSV)").click()
    lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(line[0], line[3], line[4]) for line in lines[1:]] == [
        ("1", "imported", ""),
        ("2", "set aside", "no title"),
        ("3", "imported", ""),
    ]
    assert Commitment.objects.filter(programme=programme).count() == 2
    assert Commitment.objects.filter(organisation=wrong).count() == 0
    assert Organisation.objects.filter(name="Pacific Clean Seas Foundation").count() == 1
    assert set(Commitment.objects.values_list("description", flat=True)) == {""}
    context.close()
