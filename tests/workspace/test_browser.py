"""Browser journeys of the workspace (Playwright driving Debian's Chromium): sign up, verify,
sign in, draft a commitment with the live assessment, and the same form without JavaScript."""

import re

import pytest
from django.core import mail

from pledgebook.commitments.models import Commitment
from tests import factories
from tests.browser import PASSWORD, sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NO_NUMBERS_ADVICE = (
    "Name a measurable target and a date (for example “train 500 teachers by 2027”)."
)


@pytest.fixture
def member(programme, theme):
    user = factories.member_of(theme)
    return user


def test_sign_up_verify_and_arrive_in_the_workspace(live_server, browser, settings):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    # Playwright reads label text with the visual "(required)" marker, which is aria-hidden
    # (the inputs carry the required attribute for assistive technology).
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.get_by_label("Full name").fill("Amina Yusuf")
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_label("Password, again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text("We have sent a mail to amina@example.org.").wait_for()

    (message,) = mail.outbox
    link = re.search(r"http://\S+/accounts/verify/\S+/", message.body).group(0)
    page.goto(link)

    page.wait_for_url(f"{live_server.url}/workspace/")
    page.get_by_text("Your e-mail address is verified. Welcome to Pledgebook!").wait_for()
    assert page.locator("h1").inner_text() == "My workspace"


def test_draft_with_the_live_assessment(live_server, browser, member):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, member.email)
    page.get_by_role("link", name="Draft a commitment").click()
    page.wait_for_url(re.compile(r".*/workspace/commitments/new/\?organisation=.*"))
    page.evaluate("document.body.dataset.marker = 'same page'")

    page.get_by_label("Title").fill("Support women leaders in rural areas")
    page.get_by_label("Description").fill("We will support women leaders in rural areas.")
    assessment = page.locator("#assessment")
    assessment.get_by_text(NO_NUMBERS_ADVICE).wait_for()

    page.get_by_label("Description").fill(
        "We will train 300 women leaders in 12 rural districts by 2028."
    )
    assessment.get_by_text(NO_NUMBERS_ADVICE).wait_for(state="detached")
    # The assessment was swapped in place: no page load.
    assert page.evaluate("document.body.dataset.marker") == "same page"

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    commitment = Commitment.objects.get()
    assert page.url == f"{live_server.url}/workspace/commitments/{commitment.pk}/edit/"
    assert commitment.description == (
        "We will train 300 women leaders in 12 rural districts by 2028."
    )
    assert errors == []


def test_the_commitment_form_works_without_javascript(live_server, browser, member):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/workspace/commitments/new/")

    page.get_by_label("Title").fill("Support women leaders in rural areas")
    page.get_by_label("Start date").fill("2026-01-01")
    page.get_by_label("End date").fill("2033-01-01")
    page.get_by_role("button", name="Save draft").click()

    assert page.locator("#id_ends_on_error").inner_text() == (
        "Commitments of commitment makers last at most 5 years: end by 31 December 2030."
    )
    assert page.get_by_label("End date").get_attribute("aria-describedby") == "id_ends_on_error"
    assert page.get_by_label("Title").input_value() == "Support women leaders in rural areas"
    assert Commitment.objects.count() == 0

    page.get_by_label("End date").fill("2028-01-01")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    assert page.locator("#assessment").get_by_text(NO_NUMBERS_ADVICE).count() == 1
    assert Commitment.objects.get().ends_on.isoformat() == "2028-01-01"
    context.close()


def test_apply_shows_the_themes_of_the_chosen_programme(live_server, browser, programme, theme):
    other = factories.ThemeFactory(name="Ocean finance")
    org = factories.OrganisationFactory(name="Blue Futures")
    user = factories.representative(org)
    page = browser.new_page()
    sign_in(page, live_server.url, user.email)
    page.goto(f"{live_server.url}/workspace/apply/")
    page.evaluate("document.body.dataset.marker = 'same page'")
    themes = page.locator("#theme-choices")
    assert sorted(themes.locator("label").all_inner_texts()) == sorted(
        [theme.name, "Ocean finance"]
    )

    page.get_by_label("Programme").select_option(label=other.programme.name)
    themes.get_by_text(theme.name).wait_for(state="detached")
    assert themes.locator("label").all_inner_texts() == ["Ocean finance"]
    assert page.evaluate("document.body.dataset.marker") == "same page"

    page.get_by_label("Ocean finance").check()
    page.get_by_label("Motivation").fill("We finance 30 marine reserves.")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url(f"{live_server.url}/workspace/applications/")
    assert page.locator("tbody td").nth(1).inner_text() == "Ocean finance"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_co_maker_reads_the_invitation_and_declines_with_a_reason(
    live_server, browser, programme, theme, width
):
    from pledgebook.commitments import domain
    from pledgebook.commitments.models import CoMaker

    lead = factories.member_of(theme)
    partner_org = factories.OrganisationFactory(name="Partner Org")
    partner = factories.member_of(theme, organisation=partner_org)
    commitment = factories.CommitmentFactory(
        theme=theme, organisation=lead.organisations.get(), title="Train 500 teachers"
    )
    domain.save_draft(actor=lead, commitment=commitment, co_makers=[partner_org])
    page = browser.new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, partner.email)

    page.get_by_role("link", name="Decline… Train 500 teachers").click()
    page.get_by_label("Reason (optional)").fill("Our board decided against it.")
    page.get_by_role("button", name="Decline for Partner Org").click()

    page.get_by_text("Partner Org declined to co-make “Train 500 teachers”").wait_for()
    assert page.get_by_text("Partner Org declined on").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    row = CoMaker.objects.get()
    assert (row.state, row.decline_reason) == ("declined", "Our board decided against it.")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_apply_page_says_when_a_programme_closed(live_server, browser, programme, width):
    import datetime as dt

    closed = factories.ProgrammeFactory(
        name="UN Civil Society Conference 2024",
        registration_opens_at=dt.datetime(2024, 2, 15, tzinfo=dt.UTC),
        registration_closes_at=dt.datetime(2024, 4, 9, 12, tzinfo=dt.UTC),
    )
    user = factories.representative(factories.OrganisationFactory(name="Blue Futures"))
    page = browser.new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, user.email)

    page.goto(f"{live_server.url}/workspace/apply/?programme={closed.slug}")

    notice = page.locator("p.notice")
    assert notice.inner_text() == (
        "Registration for UN Civil Society Conference 2024 closed on 9 April 2024: "
        "it no longer accepts applications."
    )
    options = page.get_by_label("Programme").locator("option").all_inner_texts()
    assert "UN Civil Society Conference 2024" not in options
    assert programme.name in options
    assert page.evaluate("document.documentElement.scrollWidth") <= width
