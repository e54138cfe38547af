"""The foundation journey, end to end in a real browser (Playwright driving Debian's Chromium).

A newcomer signs up and verifies the address, registers an organisation, applies to join a
theme; the secretariat approves the application in the console; the newcomer drafts a
commitment with the live assessment and submits it; a reviewer confirms it; and anyone finds
it in the public directory and in the JSON API.

Four people, four browser contexts (separate cookies).  Every step is taken by clicking links
and buttons; an address is typed only where a person would type it (the site's home page) or
follow it from an e-mail.  After each step the visible texts, the mails and the database rows
are checked with exact values.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connections
from django.utils import timezone

from pledgebook.commitments.models import Application, Commitment, EndorsementLevel
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category, Organisation, Representative
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reference.models import Country
from tests import factories
from tests.browser import PASSWORD

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NO_NUMBERS_ADVICE = (
    "Name a measurable target and a date (for example “train 500 teachers by 2027”)."
)

PROGRAMME = "Generation Equality Forum"
THEME = "Economic Justice and Rights"
ACTION = "EJ1 Expand decent work and entrepreneurship for women"
NEWCOMER_EMAIL = "wanjiru@ushirika.example.org"
NEWCOMER_NAME = "Wanjiru Kamau"
ORGANISATION = "Ushirika Women Fund"
MOTIVATION = "We support 3,000 women-led businesses in Kenya and want to scale up with partners."
TITLE = "Train 500 women entrepreneurs in digital skills in Kenya"
VAGUE_DESCRIPTION = (
    "We will support women entrepreneurs with training and mentoring so that their businesses grow."
)
DESCRIPTION = (
    "By 2029 we will train 500 women entrepreneurs in digital and financial skills in 12 "
    "counties of Kenya, working with 40 local savings groups. Each trainee receives six months "
    "of mentoring, and 200 of them will be helped to sell online and reach new markets. Every "
    "year we publish the number of women trained, the businesses they start and their income "
    "on a public dashboard that members and donors can follow."
)
SDG5 = "SDG 5: Achieve gender equality and empower all women and girls"
REVIEW_NOTE = "Thank you: a clear and measurable commitment."


def new_page(browser, errors: list[str]):
    """A page in a fresh context (its own cookies: one person), recording script errors."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    return page


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def sign_in(page, base: str, email: str, lands: str = "/workspace/") -> None:
    """Type the site's address, follow "Sign in" and sign in: lands in the workspace, or for
    programme staff without an organisation on the console (``lands="/console/"``)."""
    page.goto(f"{base}/")
    main_nav(page).get_by_role("link", name="Sign in").click()
    page.wait_for_url(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{lands}")
    expect(main_nav(page).get_by_role("button", name=f"Sign out ({email})")).to_be_visible()


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def squash(text: str) -> str:
    return " ".join(text.split())


def table_rows(table) -> list[dict[str, str]]:
    """The rows of a table as {column heading: cell text}, so that a column added by another
    feature does not break the journey."""
    table.locator("tbody tr").first.wait_for()
    headings = [squash(t) for t in table.locator("thead th").all_inner_texts()]
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [squash(t) for t in row.locator(":scope > th, :scope > td").all_inner_texts()]
        rows.append(dict(zip(headings, cells, strict=True)))
    return rows


def columns(row: dict[str, str], *names: str) -> dict[str, str]:
    return {name: row.get(name, "<missing>") for name in names}


def wait_for_fresh_assessment(page) -> None:
    """Wait until HTMX has swapped in a new assessment panel (the old one was marked)."""
    page.locator("#assessment:not([data-stale])").wait_for()


def mark_assessment_stale(page) -> None:
    page.evaluate("document.getElementById('assessment').dataset.stale = 'yes'")


def test_foundation_journey(live_server, browser, settings):
    # No SITE_URL: the links in the mails point at the server the requests came to.
    try:
        walk_the_journey(live_server.url, browser)
    finally:
        # The ORM calls of the test body run in a context of their own beside Playwright's
        # event loop, and pytest-django's teardown does not see (nor close) that connection:
        # PostgreSQL would then refuse to drop the test database ("being accessed by other
        # users").
        connections.close_all()


def walk_the_journey(base: str, browser) -> None:
    errors: list[str] = []

    # The programme the secretariat has set up (the console's own journey is tested elsewhere).
    now = timezone.now()
    programme = factories.ProgrammeFactory(
        slug="generation-equality",
        name=PROGRAMME,
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=60),
    )
    theme = factories.ThemeFactory(programme=programme, slug="economic-justice", name=THEME)
    action = factories.ActionFactory(
        theme=theme, code="EJ1", title="Expand decent work and entrepreneurship for women"
    )
    factories.ActionFactory(theme=theme, code="EJ2", title="Close the gender pay gap")
    secretariat = factories.staff(programme, ProgrammeRole.Role.SECRETARIAT)
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    # Two public commitments already in the directory: one matches the words searched for
    # (but not the country), the other the country (but not the words).
    uganda = factories.CommitmentFactory(
        theme=theme,
        status=Commitment.Status.CONFIRMED,
        title="Train 300 women entrepreneurs in digital skills in Uganda",
        description="We will train 300 women entrepreneurs in digital skills in Uganda by 2028.",
    )
    uganda.countries.set(Country.objects.filter(iso2="UG"))
    mangroves = factories.CommitmentFactory(
        theme=theme,
        status=Commitment.Status.CONFIRMED,
        title="Plant 10000 mangroves along the coast of Kenya",
        description="Coastal communities will plant and guard 10000 mangroves by 2028.",
    )

    # 1. A newcomer signs up, reads the verification mail, follows its link. ---------------
    newcomer = new_page(browser, errors)
    newcomer.goto(f"{base}/")
    main_nav(newcomer).get_by_role("link", name="Sign up").click()
    newcomer.wait_for_url(f"{base}/accounts/signup/")
    expect(newcomer.locator("h1")).to_have_text("Create an account")
    newcomer.get_by_label("E-mail address").fill(NEWCOMER_EMAIL)
    newcomer.get_by_label("Full name").fill(NEWCOMER_NAME)
    newcomer.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    newcomer.get_by_label("Password, again").fill(PASSWORD)
    newcomer.get_by_role("button", name="Create my account").click()
    newcomer.wait_for_url(f"{base}/accounts/signup/check-your-mail/")
    expect(newcomer.locator("h1")).to_have_text("Check your mail")
    newcomer.get_by_text(f"We have sent a mail to {NEWCOMER_EMAIL}.").wait_for()

    user = get_user_model().objects.get(username=NEWCOMER_EMAIL)
    assert (user.email, user.first_name, user.is_active) == (NEWCOMER_EMAIL, NEWCOMER_NAME, False)
    (verification,) = mails_to(NEWCOMER_EMAIL)
    assert verification.subject == "Verify your e-mail address for Pledgebook"
    assert verification.body.startswith(f"Hello {NEWCOMER_NAME},")
    link = re.search(rf"{re.escape(base)}/accounts/verify/\S+/", verification.body).group(0)

    newcomer.goto(link)  # follows the link in the mail
    newcomer.wait_for_url(f"{base}/workspace/")
    newcomer.get_by_text("Your e-mail address is verified. Welcome to Pledgebook!").wait_for()
    expect(newcomer.locator("h1")).to_have_text("My workspace")
    newcomer.get_by_text("You do not act for an organisation yet.").wait_for()
    user.refresh_from_db()
    assert user.is_active is True

    # 2. Registers an organisation. --------------------------------------------------------
    newcomer.get_by_role("region", name="My organisations").get_by_role(
        "link", name="Register an organisation"
    ).click()
    newcomer.wait_for_url(f"{base}/workspace/organisations/new/")
    newcomer.get_by_label("Name (required)", exact=True).fill(ORGANISATION)
    newcomer.get_by_label("Stakeholder category").select_option(
        label="Women's and feminist organisation or movement"
    )
    newcomer.get_by_label("Country of headquarters").select_option(label="Kenya")
    newcomer.get_by_role("button", name="Register the organisation").click()
    newcomer.wait_for_url(f"{base}/workspace/organisations/ushirika-women-fund/")
    newcomer.get_by_text(f"{ORGANISATION} is registered. You are its admin.").wait_for()
    expect(newcomer.locator("h1")).to_have_text(ORGANISATION)
    facts = newcomer.locator("dl.facts dd")
    expect(facts.nth(0)).to_have_text("Women's and feminist organisation or movement")
    expect(facts.nth(1)).to_have_text("Kenya")

    organisation = Organisation.objects.get(representative__user=user)
    assert (
        organisation.name,
        organisation.slug,
        organisation.category,
        organisation.country_id,
    ) == (ORGANISATION, "ushirika-women-fund", Category.WOMEN, "KE")
    assert list(Representative.objects.values_list("organisation", "user", "is_admin")) == [
        (organisation.pk, user.pk, True)
    ]

    # 3. Applies to join the theme. ------------------------------------------------------------
    newcomer.get_by_role("link", name="My workspace").first.click()
    newcomer.wait_for_url(f"{base}/workspace/")
    newcomer.get_by_role("region", name="My applications").get_by_role(
        "link", name="Apply to join a theme"
    ).click()
    newcomer.wait_for_url(f"{base}/workspace/apply/")
    # One organisation and one open programme: both are chosen already.
    expect(newcomer.get_by_label("Organisation")).to_have_value(str(organisation.pk))
    expect(newcomer.get_by_label("Programme")).to_have_value(str(programme.pk))
    expect(newcomer.get_by_label("Commitment maker")).to_be_checked()
    newcomer.get_by_label(THEME, exact=True).check()
    newcomer.get_by_label("Motivation").fill(MOTIVATION)
    newcomer.get_by_role("button", name="Send the application").click()
    newcomer.wait_for_url(f"{base}/workspace/applications/")
    application = Application.objects.get()
    due = f"{application.due_at.day} {application.due_at:%B %Y}"
    newcomer.get_by_text(
        f"Your application is received. The secretariat decides by {due}; you will get a mail."
    ).wait_for()
    (row,) = table_rows(newcomer.get_by_role("table"))
    assert row == {
        "Programme": PROGRAMME,
        "Theme": THEME,
        "Organisation": ORGANISATION,
        "Role": "Commitment maker",
        "Submitted": f"{application.submitted_at:%-d %B %Y}",
        "Status": "Pending",
        "Decision due": f"{application.due_at:%-d %B %Y}",
    }
    assert (
        application.programme_id,
        application.theme_id,
        application.organisation_id,
        application.role,
        application.status,
        application.motivation,
        application.submitted_by_id,
    ) == (
        programme.pk,
        theme.pk,
        organisation.pk,
        Application.Role.MAKER,
        Application.Status.PENDING,
        MOTIVATION,
        user.pk,
    )
    assert application.due_at - application.submitted_at == dt.timedelta(days=21)
    (received,) = mails_to(NEWCOMER_EMAIL)[1:]
    assert received.subject == f"Your application to {PROGRAMME} was received"
    assert f"- {THEME} (Commitment maker)" in received.body

    # 4. The secretariat approves it in the console. -------------------------------------------
    staff_page = new_page(browser, errors)
    sign_in(staff_page, base, secretariat.email, lands="/console/")
    programmes_table = staff_page.get_by_role("table", name="Programmes where you have a role")
    (row,) = table_rows(programmes_table)
    assert row == {
        "Programme": PROGRAMME,
        "Your role": "Secretariat",
        "Pending applications": "1",
        "Overdue applications": "0",
        "Commitments awaiting review": "0",
    }
    programmes_table.get_by_role("link", name=PROGRAMME).click()
    staff_page.wait_for_url(f"{base}/console/generation-equality/")
    staff_page.get_by_role("link", name="1 pending application", exact=True).click()
    staff_page.wait_for_url(f"{base}/console/generation-equality/applications/")
    queue = staff_page.get_by_role("table", name="1 application, earliest due first")
    (row,) = table_rows(queue)
    assert row == {
        "Organisation": f"{ORGANISATION} Women's and feminist organisation or movement · Kenya",
        "Theme": THEME,
        "Role": "Commitment maker",
        "Received": f"{application.submitted_at:%-d %b %Y}",
        "Due": f"{application.due_at:%-d %b %Y}",
        "Status": "Pending",
    }
    queue.get_by_role("link", name=ORGANISATION).click()
    staff_page.wait_for_url(f"{base}/console/generation-equality/applications/{application.pk}/")
    expect(staff_page.locator("h1")).to_have_text(f"{ORGANISATION} → {THEME}")
    staff_page.get_by_text(MOTIVATION).wait_for()
    staff_page.get_by_label("Approve").check()
    staff_page.get_by_role("button", name="Record the decision").click()
    staff_page.wait_for_url(f"{base}/console/generation-equality/applications/")
    staff_page.get_by_text(
        f"Approved: {ORGANISATION} → {THEME} (Commitment maker). The applicant has been e-mailed."
    ).wait_for()
    expect(
        staff_page.get_by_role("table", name="0 applications, earliest due first")
    ).to_contain_text("No applications match.")

    application.refresh_from_db()
    assert (application.status, application.decided_by_id, application.decision_reason) == (
        Application.Status.APPROVED,
        secretariat.pk,
        "",
    )
    assert application.decided_at is not None
    (decided,) = mails_to(NEWCOMER_EMAIL)[2:]
    assert decided.subject == f"Welcome to {THEME}"
    assert decided.body.startswith(
        f"{ORGANISATION} is now confirmed in {THEME} as Commitment maker. "
        "You can now draft commitments."
    )
    workspace_link = re.search(rf"{re.escape(base)}/workspace/\s", decided.body).group(0).strip()

    # 5. The newcomer drafts a commitment, with the live assessment, and submits it. -----------
    newcomer.goto(workspace_link)  # follows the link in the decision mail
    newcomer.wait_for_url(f"{base}/workspace/")
    applications_region = newcomer.get_by_role("region", name="My applications")
    (row,) = table_rows(applications_region.get_by_role("table"))
    assert columns(row, "Theme", "Status", "Decision due") == {
        "Theme": f"{THEME} {PROGRAMME}",
        "Status": "Approved",
        "Decision due": "—",
    }
    newcomer.get_by_role("link", name="Draft a commitment").click()
    newcomer.wait_for_url(
        f"{base}/workspace/commitments/new/"
        "?organisation=ushirika-women-fund&programme=generation-equality"
    )
    expect(newcomer.locator("h1")).to_have_text("Draft a commitment")
    newcomer.get_by_text(f"{ORGANISATION} in {PROGRAMME}").wait_for()
    assessment = newcomer.locator("#assessment")

    mark_assessment_stale(newcomer)
    newcomer.get_by_label("Title (required)", exact=True).fill(TITLE)
    newcomer.get_by_label("Description", exact=True).fill(VAGUE_DESCRIPTION)
    wait_for_fresh_assessment(newcomer)
    # The title's “500 women … in Kenya” already says the reach (impact met, quoted); nothing
    # says by when yet.
    assessment.get_by_text("Reach: “500 women”; where: “in Kenya”.").wait_for()
    assessment.get_by_text(
        "Make it time-bound: give an end date and say by when each result comes."
    ).wait_for()
    expect(assessment.locator("p").first).to_have_text("Needs work · 1 of 5 criteria met")

    mark_assessment_stale(newcomer)
    newcomer.get_by_label("Description", exact=True).fill(DESCRIPTION)
    wait_for_fresh_assessment(newcomer)
    assessment.get_by_text(NO_NUMBERS_ADVICE).wait_for(state="detached")

    newcomer.get_by_label("Programmatic", exact=True).check()
    newcomer.get_by_label(THEME, exact=True).check()
    newcomer.get_by_label(ACTION, exact=True).check()
    newcomer.get_by_label(SDG5, exact=True).check()
    newcomer.locator("summary", has_text="SDG 5:").click()  # the targets of a goal fold away
    newcomer.get_by_label("5.5 Ensure women’s full and effective participation").check()
    expect(newcomer.get_by_label("National or local (named countries)")).to_be_checked()
    newcomer.get_by_label("Countries", exact=True).select_option(label="Kenya")
    newcomer.get_by_label("Start date").fill("2027-01-01")
    newcomer.get_by_label("End date").fill("2029-12-31")
    mark_assessment_stale(newcomer)
    newcomer.get_by_label("Level of endorsement").select_option(
        label="Minister or head of organisation"
    )
    wait_for_fresh_assessment(newcomer)
    # Impact, endorsement and SMART are met; funding and co-makers are not (none given).
    expect(assessment.locator("p").first).to_have_text(
        "Good, can be strengthened · 3 of 5 criteria met"
    )

    newcomer.get_by_role("button", name="Save draft").click()
    newcomer.get_by_text("Your draft is saved.").wait_for()
    commitment = Commitment.objects.get(organisation=organisation)
    newcomer.wait_for_url(f"{base}/workspace/commitments/{commitment.pk}/edit/")
    expect(newcomer.locator("p.lead .badge")).to_have_text("Draft")
    expect(assessment.locator("p").first).to_have_text(
        "Good, can be strengthened · 3 of 5 criteria met"
    )
    assert commitment.status == Commitment.Status.DRAFT

    newcomer.get_by_role("button", name="Save and submit").click()
    newcomer.wait_for_url(f"{base}/workspace/commitments/{commitment.pk}/")
    newcomer.get_by_text(
        "Your commitment is submitted. The programme's reviewers will read it; you will get a mail."
    ).wait_for()
    expect(newcomer.locator("h1")).to_have_text(TITLE)
    expect(newcomer.locator("p.lead .badge")).to_have_text("Submitted")
    expect(newcomer.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

    commitment.refresh_from_db()
    assert (
        commitment.status,
        commitment.programme_id,
        commitment.created_by_id,
        commitment.title,
        commitment.description,
        commitment.scope,
        commitment.starts_on,
        commitment.ends_on,
        commitment.endorsement_level,
        commitment.amount,
        commitment.is_conditional,
    ) == (
        Commitment.Status.SUBMITTED,
        programme.pk,
        user.pk,
        TITLE,
        DESCRIPTION,
        "national",
        dt.date(2027, 1, 1),
        dt.date(2029, 12, 31),
        EndorsementLevel.MINISTER,
        None,
        False,
    )
    assert commitment.submitted_at is not None
    assert list(commitment.types.values_list("code", flat=True)) == ["programmatic"]
    assert list(commitment.themes.all()) == [theme]
    assert list(commitment.actions.all()) == [action]
    assert list(commitment.goals.values_list("number", flat=True)) == [5]
    assert list(commitment.targets.values_list("code", flat=True)) == ["5.5"]
    assert list(commitment.countries.values_list("iso2", flat=True)) == ["KE"]
    (submitted_mail,) = mails_to(NEWCOMER_EMAIL)[3:]
    assert submitted_mail.subject == f"“{TITLE}” was submitted"
    assert submitted_mail.body.startswith(f"Your commitment “{TITLE}” was submitted.")

    # 6. A reviewer confirms it. ----------------------------------------------------------------
    review_page = new_page(browser, errors)
    sign_in(review_page, base, reviewer.email, lands="/console/")
    programmes_table = review_page.get_by_role("table", name="Programmes where you have a role")
    (row,) = table_rows(programmes_table)
    assert row == {
        "Programme": PROGRAMME,
        "Your role": "Reviewer",
        "Pending applications": "0",
        "Overdue applications": "0",
        "Commitments awaiting review": "1",
    }
    programmes_table.get_by_role("link", name=PROGRAMME).click()
    review_page.wait_for_url(f"{base}/console/generation-equality/")
    review_page.get_by_role("navigation", name=f"Console of {PROGRAMME}").get_by_role(
        "link", name="Review"
    ).click()
    review_page.wait_for_url(f"{base}/console/generation-equality/commitments/")
    queue = review_page.get_by_role(
        "table", name="1 commitment submitted or in review, oldest first"
    )
    (row,) = table_rows(queue)
    assert row == {
        "Commitment": TITLE,
        "Lead organisation": ORGANISATION,
        "Themes": THEME,
        "Co-makers confirmed": "none",
        "Submitted": f"{commitment.submitted_at:%-d %b %Y}",
        "Status": "Submitted",
    }
    queue.get_by_role("link", name=TITLE).click()
    review_page.wait_for_url(f"{base}/console/generation-equality/commitments/{commitment.pk}/")
    expect(review_page.locator("h1")).to_have_text(TITLE)
    review_page.get_by_text("Good, can be strengthened: 3 of 5 criteria met.").wait_for()
    review_page.get_by_label("Note to the makers (optional)").fill(REVIEW_NOTE)
    review_page.get_by_role("button", name="Confirm", exact=True).click()
    review_page.get_by_text(f"“{TITLE}” is now confirmed.").wait_for()
    expect(review_page.locator("p.lead .badge")).to_have_text("Confirmed")

    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.CONFIRMED
    assert commitment.decided_at is not None
    entry = AuditEntry.objects.get(object_id=commitment.pk, action="commitment.confirmed")
    assert (entry.actor_id, entry.reason) == (reviewer.pk, REVIEW_NOTE)
    (confirmed_mail,) = mails_to(NEWCOMER_EMAIL)[4:]
    assert confirmed_mail.subject == f"“{TITLE}” was confirmed"
    assert f"Note from the programme team: {REVIEW_NOTE}" in confirmed_mail.body
    commitment_link = f"{base}/workspace/commitments/{commitment.pk}/"
    assert commitment_link in confirmed_mail.body.split()

    newcomer.goto(commitment_link)  # the maker follows the link in the mail
    expect(newcomer.locator("p.lead .badge")).to_have_text("Confirmed")

    # 7. Anyone finds it in the directory and in the API. ---------------------------------------
    visitor = new_page(browser, errors)
    visitor.goto(f"{base}/")
    main_nav(visitor).get_by_role("link", name="Commitments", exact=True).click()
    visitor.wait_for_url(f"{base}/commitments/")
    results = visitor.locator("#results")
    expect(results.locator(".result-count")).to_have_text("3 commitments found.")
    visitor.get_by_role("searchbox", name="Search").fill("women entrepreneurs")
    expect(results.locator(".result-count")).to_have_text("2 commitments found.")
    visitor.get_by_label("Country", exact=True).select_option(label="Kenya")
    expect(results.locator(".result-count")).to_have_text("1 commitment found.")
    visitor.get_by_role("button", name="Show commitments").click()
    visitor.wait_for_url(
        re.compile(r".*/commitments/\?.*q=women(%20|\+)entrepreneurs&.*country=KE.*")
    )
    expect(results.locator(".result-count")).to_have_text("1 commitment found.")
    (row,) = table_rows(results.get_by_role("table"))
    assert columns(
        row, "Commitment", "Lead organisation", "Programme", "Types", "Where", "Status"
    ) == {
        "Commitment": TITLE,
        "Lead organisation": ORGANISATION,
        "Programme": PROGRAMME,
        "Types": "Programmatic",
        "Where": "Kenya",
        "Status": "Confirmed",
    }
    results.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(f"{base}/commitments/{commitment.pk}/")
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("h1 + p .badge")).to_have_text("Confirmed")
    visitor.get_by_text("By 2029 we will train 500 women entrepreneurs").wait_for()
    visitor.get_by_text("Good, can be strengthened: 3 of 5 criteria met.").wait_for()
    expect(visitor.get_by_role("link", name=ORGANISATION)).to_be_visible()

    response = visitor.request.get(f"{base}/api/v1/commitments/?q=women+entrepreneurs&country=KE")
    assert response.status == 200
    data = response.json()
    assert data["count"] == 1
    (found,) = data["results"]
    assert (found["id"], found["title"], found["status"], found["countries"]) == (
        commitment.pk,
        TITLE,
        "confirmed",
        ["KE"],
    )
    assert found["url"] == f"{base}/commitments/{commitment.pk}/"
    assert found["lead_organisation"]["name"] == ORGANISATION
    # Without the country, the search also finds the Ugandan one; the mangroves never match.
    response = visitor.request.get(f"{base}/api/v1/commitments/?q=women+entrepreneurs")
    assert sorted(r["id"] for r in response.json()["results"]) == sorted([commitment.pk, uganda.pk])
    assert mangroves.pk not in [r["id"] for r in response.json()["results"]]

    assert errors == []
