"""The forum's whole journey in a browser (Playwright driving Debian's Chromium), at phone
width: a session has ended; its organiser writes and submits the summary; the secretariat
compiles the first draft of the Co-Chairs' Summary, edits it and publishes it; the public
reads it, without the names of those who spoke, and downloads the PDF."""

import io

import pytest

from pledgebook.forum.domain.summaries import open_summary_tasks
from pledgebook.forum.models import CoChairsSummary
from pledgebook.programmes.models import Programme
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH = 375


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_from_a_session_summary_to_the_published_cochairs_summary(live_server, browser):
    programme = factories.ProgrammeFactory(
        kind=Programme.Kind.PARTNERSHIP_FORUM, name="Partnership Forum"
    )
    event = factories.EventFactory(programme=programme, name="Partnership Forum 2026")
    organisation = factories.OrganisationFactory(name="Sahel Energy Alliance")
    organiser = factories.representative(organisation)
    organiser.first_name, organiser.last_name = "Awa", "Traoré"
    organiser.save()
    factories.SessionFactory(
        event=event,
        title="Energy access in the Sahel",
        organisers=[organiser],
        organisations=[organisation],
    )
    secretariat = factories.staff(programme)
    assert open_summary_tasks() == 1  # the session has ended: the organiser's task is open
    base = live_server.url
    errors: list[str] = []

    # The organiser writes the summary.
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, organiser.email)
    page.goto(f"{base}/workspace/forum/summaries/")
    page.get_by_role("link", name="Write the summary").click()
    page.get_by_label("Key messages").fill(
        "Sahel Energy Alliance showed that solar mini-grids run by cooperatives last. "
        "Awa Traoré asked for patient, local finance."
    )
    page.get_by_label("Recommendation 1", exact=True).fill(
        "Create a pooled fund for community-owned solar mini-grids."
    )
    page.get_by_role("button", name="Add a recommendation").click()
    page.get_by_label("Recommendation 2", exact=True).fill(
        "Publish every year what each partner has disbursed."
    )
    assert _fits(page)
    page.get_by_role("button", name="Save and submit").click()
    page.get_by_text("The summary is submitted. Thank you!").wait_for()
    page.close()

    # The secretariat compiles the first draft, edits it and publishes it.
    editor = browser.new_page(viewport={"width": WIDTH, "height": 900})
    editor.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(editor, base, secretariat.email, lands="/console/")
    editor.goto(f"{base}/console/{programme.slug}/forum/events/{event.slug}/")
    editor.get_by_role("link", name="Co-Chairs' Summary").click()
    editor.get_by_role("button", name="Compile the first draft").click()
    editor.get_by_text("Version 1 compiled from the session summaries.").wait_for()
    draft = editor.content()
    assert "A participating organisation showed that solar mini-grids" in draft
    assert "Create a pooled fund for community-owned solar mini-grids." in draft
    assert _fits(editor)

    editor.get_by_role("link", name="Edit", exact=True).click()
    editor.get_by_label("Introduction").fill(
        "The Co-Chairs present the outcomes of the Forum collectively."
    )
    editor.get_by_label("What changed").fill("Introduction")
    editor.get_by_role("button", name="Save as a new version").click()
    editor.get_by_text("Version 2 saved.").wait_for()
    editor.get_by_role("button", name="Publish version 2").click()
    editor.get_by_text("Version 2 is published.").wait_for()
    summary = CoChairsSummary.objects.get(event=event)
    assert (summary.status, summary.published_version.number) == ("published", 2)

    # The public reads it from the event's page and downloads the PDF.
    visitor = browser.new_context(accept_downloads=True).new_page()
    visitor.set_viewport_size({"width": WIDTH, "height": 900})
    visitor.goto(f"{base}{event.get_absolute_url()}")
    visitor.get_by_role("link", name="Co-Chairs' Summary").click()
    visitor.get_by_text("The Co-Chairs present the outcomes of the Forum collectively.").wait_for()
    visitor.get_by_text("Publish every year what each partner has disbursed.").wait_for()
    public = visitor.content()
    for name in ("Sahel Energy Alliance", "Awa", "Traoré", "Energy access in the Sahel"):
        assert name not in public
    assert _fits(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download as PDF").click()
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Create a pooled fund for community-owned solar mini-grids." in text
    assert "Traoré" not in text and "Sahel Energy Alliance" not in text
    assert errors == []
