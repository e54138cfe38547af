"""The coalition hub's journeys in a real browser (Playwright driving Debian's Chromium):
proposer A submits an expression of interest; proposer B submits a similar one and sees A's in
the similar panel; the secretariat merges both and accepts the coalition; both proposers see
the merged coalition in their workspace and on its public page.  And a proposer writing a new
expression of interest sees a similar coalition appear while typing, before saving, on a
desktop and at phone width."""

from __future__ import annotations

import re

import pytest

from pledgebook.coalitions.models import Coalition, ExpressionOfInterest
from tests import factories
from tests.browser import sign_in
from tests.coalitions.helpers import make_coalition

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def propose(page, base: str, programme, title: str, principle: str, ask: str) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name="Coalitions", exact=True
    ).click()
    page.get_by_role("link", name=f"Propose a coalition in {programme.name}").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Principles").fill(principle)
    page.get_by_label("Specific asks").fill(ask)
    page.locator("#id_milestones-0-title").fill("Launch at the conference")
    page.locator("#id_milestones-0-due_on").fill("2026-05-01")
    page.get_by_role("button", name="Save and submit").click()
    page.get_by_text("Submitted: the secretariat will review it.").wait_for()


def test_two_similar_eois_are_merged_and_both_proposers_see_the_coalition(
    live_server, browser, programme
):
    base = live_server.url
    org_a = factories.OrganisationFactory(name="Ocean Alliance Fiji")
    org_b = factories.OrganisationFactory(name="Blue Seas Network")
    user_a = factories.representative(org_a)
    user_b = factories.representative(org_b)
    secretariat = factories.staff(programme)

    a_page = browser.new_context().new_page()
    sign_in(a_page, base, user_a.email)
    propose(
        a_page,
        base,
        programme,
        "Plastic-free oceans",
        "Oceans free of plastic waste",
        "Ban single-use plastic bags",
    )

    b_page = browser.new_context().new_page()
    sign_in(b_page, base, user_b.email)
    propose(
        b_page,
        base,
        programme,
        "Stop plastic pollution of the sea",
        "Seas without plastic waste",
        "Ban single-use plastic bottles",
    )
    similar = b_page.locator("#similar")
    expect(similar.locator(".suggestion-name")).to_have_text(["Plastic-free oceans"])
    expect(similar).to_contain_text("Shared words in principles and asks: plastic, single-use")

    s_page = browser.new_context().new_page()
    sign_in(s_page, base, secretariat.email, lands="/console/")
    s_page.goto(f"{base}/console/{programme.slug}/")
    s_page.get_by_role("navigation", name=f"Console of {programme.name}").get_by_role(
        "link", name="Coalitions", exact=True
    ).click()
    s_page.get_by_label("Choose “Plastic-free oceans” to merge").check()
    s_page.get_by_label("Choose “Stop plastic pollution of the sea” to merge").check()
    s_page.get_by_role("button", name="Preview the merge").click()
    expect(s_page.locator("tr.duplicate")).to_have_count(1)  # the same milestone twice
    s_page.get_by_label("Name of the coalition").fill("Plastic-free seas coalition")
    s_page.get_by_role("button", name="Confirm the merge").click()
    s_page.get_by_text("Merged into “Plastic-free seas coalition”.", exact=False).wait_for()
    coalition = Coalition.objects.get()
    assert coalition.state == "under_consideration"
    assert sorted(ExpressionOfInterest.objects.values_list("status", flat=True)) == [
        "merged",
        "merged",
    ]
    s_page.get_by_role("navigation", name="Coalition hub").get_by_role(
        "link", name="Coalitions", exact=True
    ).click()
    s_page.get_by_role("button", name="Accept Plastic-free seas coalition").click()
    s_page.get_by_text("“Plastic-free seas coalition” is now accepted.").wait_for()

    for page in (a_page, b_page):
        page.goto(f"{base}/workspace/")
        page.get_by_role("navigation", name="Workspace").get_by_role(
            "link", name="Coalitions", exact=True
        ).click()
        mine = page.locator("#my-coalitions")
        expect(mine).to_contain_text("Plastic-free seas coalition")
        mine.get_by_role("link", name="Plastic-free seas coalition").click()
        page.wait_for_url(re.compile(rf".*/coalitions/{coalition.slug}/$"))
        expect(page.locator("h1")).to_have_text("Plastic-free seas coalition")
        expect(page.locator("#principles li")).to_have_count(2)
        expect(page.locator("#principles")).to_contain_text(
            "Oceans free of plastic waste from the EOI of Ocean Alliance Fiji"
        )
        expect(page.locator("#principles")).to_contain_text(
            "Seas without plastic waste from the EOI of Blue Seas Network"
        )
        expect(page.locator("#count-members")).to_have_text("2")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_similar_coalition_appears_while_typing_before_saving(
    live_server, browser, programme, width
):
    base = live_server.url
    secretariat = factories.staff(programme)
    reef = make_coalition(
        programme,
        secretariat,
        title="Coral reef restoration in the Pacific",
        principles=("Healthy coral reefs protect island coasts",),
        asks=("Fund coral nurseries and reef replanting in Fiji and Samoa",),
    )
    user = factories.representative(factories.OrganisationFactory(name="Reef Keepers Tonga"))
    eois = ExpressionOfInterest.objects.count()

    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, base, user.email)
    page.goto(f"{base}/workspace/coalitions/new/?programme={programme.slug}")
    similar = page.locator("#similar")
    expect(similar).to_contain_text("As you write the title, summary, principles and asks")
    page.get_by_label("Title").press_sequentially("Replanting corals on Pacific reefs", delay=20)
    page.get_by_label("Principles").press_sequentially(
        "Coral reefs shield small islands from storms", delay=20
    )
    page.get_by_label("Specific asks").press_sequentially(
        "Money for coral nurseries in Fiji", delay=20
    )
    expect(similar.locator(".suggestion-name")).to_have_text([reef.name], timeout=20_000)
    expect(similar).to_contain_text("Close in meaning: possibly the same initiative")
    # Nothing was saved to show it.
    assert ExpressionOfInterest.objects.count() == eois
    assert page.url == f"{base}/workspace/coalitions/new/?programme={programme.slug}"
    # The panel fits the screen: nothing runs off the side at phone width.
    similar.scroll_into_view_if_needed()
    box = similar.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    # Typing something unrelated instead empties the list.
    page.get_by_label("Principles").fill("")
    page.get_by_label("Specific asks").fill("")
    page.get_by_label("Title").fill("")
    page.get_by_label("Title").press_sequentially("Free legal aid for tenants", delay=20)
    expect(similar).to_contain_text("Nothing close in meaning found yet.", timeout=20_000)
    expect(similar.locator(".suggestion-name")).to_have_count(0)
