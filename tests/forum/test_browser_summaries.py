"""Browser journey of a session summary (Playwright driving Debian's Chromium): a session has
ended; its organiser finds the task in the workspace, writes the key messages and three
recommendations (adding rows), links a commitment announced to the one on the platform (found
by its title as they type), gives the participation and submits; the secretariat's tracker
shows it submitted."""

import re

import pytest

from pledgebook.commitments.models import Commitment
from pledgebook.forum.domain.summaries import open_summary_tasks
from pledgebook.forum.models import SessionSummary
from pledgebook.organisations.models import Category
from pledgebook.programmes.models import Programme
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 390])
def test_an_organiser_submits_the_summary_and_the_secretariat_sees_it(live_server, browser, width):
    programme = factories.ProgrammeFactory(
        kind=Programme.Kind.PARTNERSHIP_FORUM,
        stakeholder_categories=["member_state", "civil_society", "youth_led"],
    )
    theme = factories.ThemeFactory(programme=programme)
    solar = factories.CommitmentFactory(
        theme=theme, status=Commitment.Status.CONFIRMED, title="Solar for 100 clinics"
    )
    factories.CommitmentFactory(
        theme=theme, status=Commitment.Status.CONFIRMED, title="Water for every school"
    )
    event = factories.EventFactory(programme=programme, name="Partnership Forum 2025")
    organisation = factories.OrganisationFactory(name="Sahel Energy Alliance")
    organiser = factories.representative(organisation)
    session = factories.SessionFactory(
        event=event, title="Energy access in the Sahel", organisers=[organiser]
    )
    secretariat = factories.staff(programme)
    assert open_summary_tasks() == 1  # the workers' check: the session has ended

    errors: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, organiser.email)
    page.get_by_role("link", name="Energy access in the Sahel").click()
    page.wait_for_url(f"{live_server.url}/workspace/forum/summaries/{session.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_label("Key messages").fill("Energy access needs patient, local finance.")
    page.get_by_label("Recommendation 1", exact=True).fill("Pool funds for local action.")
    page.get_by_role("button", name="Add a recommendation").click()
    page.get_by_label("Recommendation 2", exact=True).fill("Publish what is disbursed.")
    page.get_by_role("button", name="Add a recommendation").click()
    page.get_by_label("Recommendation 3", exact=True).fill("Train local installers.")
    assert page.get_by_label("Key messages").input_value() == (
        "Energy access needs patient, local finance."
    )

    picker = page.get_by_label("Commitment on the platform", exact=True)
    assert picker.locator("option").count() == 3  # none, and the two public commitments
    page.get_by_label("Find a commitment on the platform by its title").fill("solar")
    # The list is narrowed as one types (HTMX), without a page load.
    picker.locator("option", has_text="Water for every school").wait_for(state="detached")
    assert picker.locator("option").all_inner_texts() == [
        "— Not on the platform: describe it below —",
        "Solar for 100 clinics",
    ]
    picker.select_option(label="Solar for 100 clinics")

    page.get_by_label("Participants in person").fill("45")
    page.get_by_label("Participants online").fill("120")
    page.get_by_label(str(Category.CIVIL_SOCIETY.label), exact=True).fill("60")
    page.get_by_role("button", name="Save and submit").click()

    page.wait_for_url(f"{live_server.url}/workspace/forum/summaries/")
    page.get_by_text("The summary is submitted. Thank you!").wait_for()
    assert page.locator("tbody tr td").nth(3).inner_text() == "Submitted"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    summary = SessionSummary.objects.get(session=session)
    assert summary.status == "submitted"
    assert list(summary.recommendations.values_list("text", flat=True)) == [
        "Pool funds for local action.",
        "Publish what is disbursed.",
        "Train local installers.",
    ]
    assert summary.announcements.get().commitment == solar
    assert (summary.participants_in_person, summary.participants_online) == (45, 120)
    assert summary.participation_by_category == {"civil_society": 60}

    console = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(console, live_server.url, secretariat.email, lands="/console/")
    console.goto(f"{live_server.url}/console/{programme.slug}/forum/events/{event.slug}/summaries/")
    row = console.locator("#summary-tracker tbody tr")
    assert row.count() == 1
    assert row.get_attribute("data-state") == "submitted"
    assert console.locator('strong[data-state="submitted"]').inner_text() == "1"
    assert console.locator('strong[data-state="missing"]').inner_text() == "0"
    row.get_by_role("link", name="Energy access in the Sahel").click()
    console.get_by_text("Train local installers.").wait_for()
    assert re.search(r"/summaries/\d+/$", console.url)
    assert errors == []
