"""Browser journey of the Co-Chairs' Summary after its first draft (Playwright driving Debian's
Chromium): the secretariat opens the draft, edits a point, saves, compares versions, splits a
merged point and publishes; the public reads the page and downloads the PDF."""

import io

import pytest

from pledgebook.forum.models import CoChairsSummary
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

#: Where the journey leaves screenshots, for a person to look at.
SHOTS = "/tmp"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_secretariat_edits_splits_publishes_and_the_public_reads_it(live_server, browser):
    event = factories.EventFactory(name="Partnership Forum 2025", slug="pf-2025")
    programme = event.programme
    editor = factories.staff(programme)
    organisation = factories.OrganisationFactory(name="Blue Basin Network")
    session = factories.SessionFactory(event=event, title="Water action segment")
    session.organisations.set([organisation])
    source = factories.SessionSummaryFactory(session=session)
    first = factories.RecommendationFactory(
        summary=source, text="Blue Basin Network asks for blended finance for water utilities."
    )
    second = factories.RecommendationFactory(
        summary=source, text="Lower the cost of capital with public guarantees."
    )
    summary = factories.CoChairsSummaryFactory(
        event=event, title="Co-Chairs' Summary of the Partnership Forum 2025"
    )
    factories.SummaryVersionFactory(
        summary=summary, content=factories.cochairs_content(merged=[first, second])
    )
    base = live_server.url
    console = f"{base}/console/{programme.slug}/forum/events/{event.slug}/cochairs/"

    page = browser.new_page()
    page.set_viewport_size({"width": 375, "height": 800})  # every page readable on a phone
    sign_in(page, base, editor.email, lands="/console/")
    page.goto(console)
    page.get_by_text("Merged from 2 recommendations.").wait_for()
    page.locator("#point-m1 summary").click()
    page.get_by_text("Water action segment").first.wait_for()

    # Edit the first point and save.
    assert _no_horizontal_scroll(page)
    page.get_by_role("link", name="Edit", exact=True).click()
    assert _no_horizontal_scroll(page)
    page.get_by_label("Point 1", exact=True).first.fill(
        "Put partnerships with cities at the centre of SDG 6 delivery."
    )
    page.get_by_label("What changed").fill("Cities, not only governments")
    page.get_by_role("button", name="Save as a new version").click()
    page.get_by_text("Version 2 saved.").wait_for()

    # Compare version 1 with version 2.
    page.get_by_role("link", name="Versions and comparison").click()
    page.get_by_label("Compare version").select_option("1")
    page.get_by_label("with version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    page.get_by_text("From version 1 to version 2").wait_for()
    assert page.locator("#diff del").first.inner_text() == "local governments "
    assert page.locator("#diff ins").first.inner_text() == "cities "
    page.get_by_role("cell", name="Cities, not only governments").wait_for()
    page.screenshot(path=f"{SHOTS}/cochairs_versions.png", full_page=True)
    assert _no_horizontal_scroll(page)

    # Split the merged point again.
    page.get_by_role("link", name="Current version").click()
    page.get_by_role("button", name="Split").click()
    page.get_by_text("The merged point was split: version 3 saved.").wait_for()
    assert page.get_by_text("Merged from 2 recommendations.").count() == 0
    page.get_by_text("Lower the cost of capital with public guarantees.").first.wait_for()
    page.screenshot(path=f"{SHOTS}/cochairs_console.png", full_page=True)

    # Publish version 3; the page is readable on a phone.
    page.get_by_role("button", name="Publish version 3").click()
    page.get_by_text("Version 3 is published.").wait_for()
    summary.refresh_from_db()
    assert summary.status == CoChairsSummary.Status.PUBLISHED
    assert summary.published_version.number == 3
    assert _no_horizontal_scroll(page)
    page.close()

    # The public reads the page and downloads the PDF.
    visitor = browser.new_context(accept_downloads=True).new_page()
    visitor.set_viewport_size({"width": 375, "height": 800})
    visitor.goto(f"{base}/programmes/{programme.slug}/events/{event.slug}/cochairs-summary/")
    visitor.get_by_role(
        "heading", name="Co-Chairs' Summary of the Partnership Forum 2025"
    ).wait_for()
    visitor.get_by_text("Put partnerships with cities at the centre of SDG 6 delivery.").wait_for()
    visitor.get_by_text("Asks for blended finance for water utilities.").wait_for()
    assert "Blue Basin Network" not in visitor.content()
    assert "Water action segment" not in visitor.content()
    assert _no_horizontal_scroll(visitor)
    visitor.screenshot(path=f"{SHOTS}/cochairs_public_375.png", full_page=True)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename == "pf-2025-cochairs-summary.pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Put partnerships with cities at the centre of SDG 6" in " ".join(text.split())
