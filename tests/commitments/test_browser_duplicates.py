"""Browser journey (Playwright driving Debian's Chromium), at desktop and phone width: a maker
writing a near-copy of a registered commitment sees it in the form's panel; the secretariat,
reviewing the second registration (submitted by that organisation: made here by the factory,
since the form's other fields are not what this journey is about), links the two as one
initiative and confirms it; the public directory shows the initiative once, with both
registrants, and, filtered to a country only the second registration names, that one."""

import pytest
from django.urls import reverse

from pledgebook.commitments import duplicates
from pledgebook.commitments.models import Commitment, Registration
from pledgebook.organisations.models import Representative
from pledgebook.reference.models import Country
from pledgebook.similarity import backlog
from tests import factories
from tests.browser import sign_in
from tests.public.util import commitment_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Mangrove nurseries for the coast of Guinea-Bissau"
TEXT = (
    "Women's associations of the Bijagós islands will raise 200,000 mangrove seedlings in "
    "village nurseries and replant 300 hectares of degraded coast by 2028."
)


@pytest.mark.parametrize("width", [1280, 360])
def test_a_near_copy_is_seen_linked_and_shown_once(live_server, browser, programme, width):
    theme = factories.ThemeFactory(programme=programme)
    first_org = factories.OrganisationFactory(name="Bijagós Women's Network")
    registered = commitment_in(theme, title=TITLE, description=TEXT, organisation=first_org)
    maker = factories.member_of(
        theme, organisation=factories.OrganisationFactory(name="Tiniguena Foundation")
    )
    organisation = Representative.objects.get(user=maker).organisation
    duplicates.reindex(commitment_ids=[registered.pk])
    backlog.run_batch()

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, maker.email)
    page.goto(
        f"{live_server.url}{reverse('workspace:commitment_create')}"
        f"?organisation={organisation.slug}&programme={programme.slug}"
    )
    panel = page.locator("#similar-commitments")
    panel.get_by_text("As you write the title and description").wait_for()
    page.get_by_label("Title").fill("Mangrove nurseries on the Guinea-Bissau coast")
    page.get_by_label("Description").fill(TEXT)
    panel.locator(".suggestion-name", has_text=TITLE).wait_for()
    assert panel.locator(".suggestion-name").all_inner_texts() == [TITLE]
    assert "the same description" in panel.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The second registration, submitted by the maker's organisation, in review.
    second = commitment_in(
        theme,
        title="Mangrove nurseries on the Guinea-Bissau coast",
        description=TEXT,
        organisation=organisation,
        status=Commitment.Status.IN_REVIEW,
    )
    second.countries.add(Country.objects.get(iso2="GW"))  # the first names no country
    duplicates.reindex(commitment_ids=[second.pk])
    backlog.run_batch()
    secretary = factories.staff(programme)
    context.clear_cookies()
    sign_in(page, live_server.url, secretary.email, lands="/console/")
    page.goto(
        f"{live_server.url}"
        + reverse("console:commitment", kwargs={"programme": programme.slug, "pk": second.pk})
    )
    section = page.locator("#duplicates")
    section.locator(".suggestion-name", has_text=TITLE).wait_for()
    section.get_by_label("Note (optional)").fill("Same nurseries, two partners")
    section.get_by_role("button", name=f"Link with “{TITLE}” as one initiative").click()
    page.get_by_text("are now registrations of one initiative").wait_for()
    section.get_by_text("Registrations of this initiative").wait_for()
    assert Registration.objects.filter(note="Same nurseries, two partners").count() == 2
    page.get_by_role("button", name="Confirm", exact=True).click()
    page.get_by_text("is now confirmed").wait_for()

    page.goto(f"{live_server.url}{reverse('public:directory')}")
    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert TITLE in row
    assert "also registered by Tiniguena Foundation" in row
    # Filtered to Guinea-Bissau, the one registration that names it shows, with the other.
    page.get_by_label("Country").select_option(label="Guinea-Bissau")
    page.get_by_role("button", name="Show commitments").click()
    second_row = rows.filter(has_text="Mangrove nurseries on the Guinea-Bissau coast")
    second_row.wait_for()
    assert rows.count() == 1
    assert "also registered by Bijagós Women's Network" in second_row.inner_text()
    page.get_by_role("link", name="Clear all filters").click()
    page.get_by_role("link", name=TITLE).click()
    page.locator("#other-registrations").wait_for()
    assert (
        page.get_by_role("link", name="Mangrove nurseries on the Guinea-Bissau coast").count() == 1
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    context.close()
