"""Browser journeys of consultations and statements (Playwright driving Debian's Chromium):
the secretariat creates a consultation with two questions, a member of the public responds,
the secretariat imports a CSV of responses, groups them and reads the themes; an organisation
submits a statement for a plenary, which the secretariat selects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pledgebook.forum.models import (
    Consultation,
    ConsultationResponse,
    ConsultationTheme,
    Session,
    Statement,
)
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST = "What should the forum do first?"
SECOND = "What else would you like to tell us?"


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_consultation_from_creation_to_themes(live_server, browser, programme):
    base = live_server.url
    secretariat = factories.staff(programme)
    page = browser.new_page()
    sign_in(page, base, secretariat.email, lands="/console/")

    # The secretariat creates the consultation and its two questions.
    page.goto(f"{base}/console/{programme.slug}/forum/consultations/")
    page.get_by_role("link", name="Create a consultation").click()
    page.get_by_label("Title").fill("Inputs on the forum")
    page.get_by_label("Short name (in its address)").fill("inputs")
    page.get_by_label("Open to").select_option("public")
    now = timezone.now()
    page.get_by_label("Opens").fill(_local(now - dt.timedelta(hours=1)))
    page.get_by_label("Closes").fill(_local(now + dt.timedelta(days=7)))
    page.get_by_label("Published (its page and form are public while open)").check()
    page.get_by_role("button", name="Create the consultation").click()
    expect(page.get_by_text("Consultation created: now add its questions.")).to_be_visible()
    for text, required in ((FIRST, True), (SECOND, False)):
        page.locator("#id_text").fill(text)
        if required:
            page.get_by_label("An answer is required").check()
        page.get_by_role("button", name="Add the question").click()
        expect(page.get_by_text("Question added.")).to_be_visible()
    consultation = Consultation.objects.get(slug="inputs")
    assert [(q.text, q.required) for q in consultation.questions.all()] == [
        (FIRST, True),
        (SECOND, False),
    ]

    # A member of the public responds (a page of its own: not signed in).
    public = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    public.goto(f"{base}/programmes/{programme.slug}/consultations/inputs/")
    # Readable on a phone: nothing wider than the screen.
    assert public.evaluate("document.documentElement.scrollWidth") <= 375
    public.get_by_role("button", name="Send my response").click()
    expect(public.locator("#form-errors")).to_contain_text("This question must be answered.")
    public.get_by_label(SECOND).fill("Thank you for asking.")
    public.get_by_label(FIRST).fill("Small farmers need easier access to credit and loans.")
    public.get_by_role("button", name="Send my response").click()
    expect(public.locator("#thanks")).to_have_text("Thank you: your response was received.")
    assert ConsultationResponse.objects.get().source == ConsultationResponse.Source.FORM

    # The secretariat imports a CSV: first with an error (shown, nothing stored), then fixed.
    page.get_by_role("link", name="Import responses").click()
    rows = [
        "q1,q2,name,country",
        "Make it simpler for smallholder farmers to borrow money.,,Ana,Brazil",
        "Keep girls in secondary school: too many drop out early.,,Joy,KE",
        "Ensure every girl completes secondary schooling.,,,",
        "Give small-scale farmers better access to finance and credit.,,,Atlantis",
    ]
    file_field = page.get_by_label("File of responses (.csv or .xlsx)")
    file_field.set_input_files(
        {"name": "responses.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#row-errors")).to_contain_text(
        "Row 5, column “country”: “Atlantis” is not a country (give its ISO code or its name)."
    )
    assert ConsultationResponse.objects.count() == 1
    rows[4] = rows[4].replace("Atlantis", "Ghana")
    page.get_by_label("File of responses (.csv or .xlsx)").set_input_files(
        {"name": "responses.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import 4 responses").click()
    expect(page.get_by_text("4 responses imported.")).to_be_visible()
    expect(page.locator("#response-count")).to_have_text("5 responses")

    # The secretariat groups the answers and reads the themes.
    page.get_by_role("navigation", name="Consultation").get_by_role("link", name="Themes").click()
    page.get_by_role("button", name="Group the answers into themes").click()
    expect(page.get_by_text("Answers grouped into themes.")).to_be_visible()
    themes = ConsultationTheme.objects.filter(question__text=FIRST)
    assert sorted(t.count for t in themes) == [2, 3]
    farmers = themes.get(count=3)
    expect(page.locator(f"#theme-{farmers.pk}")).to_contain_text("3 answers")
    expect(page.locator(f"#theme-{farmers.pk} blockquote").first).to_contain_text("farmers")


def test_an_organisation_submits_a_statement_the_secretariat_selects(
    live_server, browser, programme
):
    base = live_server.url
    event = factories.EventFactory(programme=programme, name="Partnership Forum")
    now = timezone.now()
    plenary = factories.SessionFactory(
        event=event,
        kind=Session.Kind.PLENARY,
        title="Opening plenary",
        starts_at=now + dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=4),
    )
    organisation = factories.OrganisationFactory(name="Ocean Youth Network")
    rep = factories.representative(organisation)

    page = browser.new_page()
    sign_in(page, base, rep.email)
    page.goto(f"{base}/workspace/forum/statements/new/")
    page.get_by_label("On behalf of").select_option(label="Ocean Youth Network")
    page.get_by_label("Plenary session").select_option(str(plenary.pk))
    page.get_by_label("Title").fill("Youth for the ocean")
    page.locator("#id_text").fill("We ask member states to protect 30% of the seas.")
    page.get_by_role("button", name="Submit the statement").click()
    expect(page.get_by_text("Statement “Youth for the ocean” submitted")).to_be_visible()
    statement = Statement.objects.get()
    assert statement.status == Statement.Status.SUBMITTED

    secretariat = factories.staff(programme)
    console = browser.new_context().new_page()
    sign_in(console, base, secretariat.email, lands="/console/")
    console.goto(f"{base}/console/{programme.slug}/forum/events/{event.slug}/statements/")
    expect(console.locator(f"#statement-{statement.pk}")).to_contain_text("Ocean Youth Network")
    console.get_by_role("button", name="Select and publish Youth for the ocean").click()
    expect(
        console.get_by_text("Statement selected: it is published on the session page.")
    ).to_be_visible()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SELECTED

    page.goto(f"{base}/workspace/forum/statements/")
    expect(page.get_by_role("row", name="Youth for the ocean")).to_contain_text(
        "Selected and published"
    )
