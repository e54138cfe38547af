"""Browser journey of the knowledge hub (Playwright driving Debian's Chromium), at desktop and
phone width: a maker writes a case study linked to its commitment and a reported indicator
value and submits it; the secretariat publishes it; the public finds it by words, by meaning
and by SDG, and reads its reported figure."""

from __future__ import annotations

import re

import pytest

from pledgebook.portal.models import CaseStudy
from tests.browser import sign_in
from tests.portal.factories_hub import TEXTS, hub_world

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _fits(page, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_write_publish_and_find_a_case_study(live_server, browser, viewport):
    world = hub_world()
    base = live_server.url
    errors: list[str] = []

    # The maker writes and submits.
    maker = browser.new_context(viewport=viewport).new_page()
    maker.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(maker, base, world.author.email)
    maker.get_by_role("link", name="Case studies").click()
    maker.get_by_role("link", name="Write a case study").click()
    _fits(maker, viewport)
    maker.locator("#id_organisation").select_option(str(world.organisation.pk))
    maker.locator("#id_programme").select_option(str(world.programme.pk))
    maker.locator("#id_title").fill("Guarantees that powered forty clinics")
    for name, text in TEXTS.items():
        maker.locator(f"#id_{name}").fill(text)
    maker.get_by_label("Partner organisations on the platform").select_option(
        str(world.other_organisation.pk)
    )
    maker.get_by_label("Partnership Forum: Solar power for 40 rural clinics").check()
    maker.get_by_label(
        "Solar power for 40 rural clinics: Clinics powered: 40 clinics (Annual report 2025)"
    ).check()
    maker.locator("#id_goals input[value='7']").check()
    maker.locator("#id_countries").select_option("KE")
    maker.locator("#id_categories").select_option(["private_sector", "financial_institution"])
    maker.get_by_role("button", name="Submit for review").click()
    maker.wait_for_url(f"{base}/workspace/case-studies/")
    row = maker.locator("tr", has_text="Guarantees that powered forty clinics")
    assert "Submitted for review" in row.inner_text()
    _fits(maker, viewport)
    case_study = CaseStudy.objects.get()
    assert list(case_study.indicator_values.all()) == [world.value]

    # The secretariat publishes it.
    console = browser.new_context(viewport=viewport).new_page()
    console.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(console, base, world.secretariat.email, lands="/console/")
    console.goto(f"{base}/console/{world.programme.slug}/case-studies/")
    article = console.locator(f"#case-study-{case_study.pk}")
    article.get_by_text("Read the case study").click()
    assert "40 clinics" in article.inner_text()
    _fits(console, viewport)
    article.get_by_role("button", name="Publish").click()
    console.get_by_text("Case study published on the knowledge hub").wait_for()

    # The public finds it by words, by meaning and by SDG.
    public = browser.new_context(viewport=viewport).new_page()
    public.on("pageerror", lambda e: errors.append(str(e)))
    public.goto(f"{base}/")
    public.get_by_role("link", name="Knowledge hub").click()
    public.wait_for_url(f"{base}/knowledge/")
    public.locator("#id_q").fill("guarantee clinics")
    public.get_by_role("button", name="Show case studies").click()
    public.wait_for_url(re.compile(r".*q=guarantee.*"))
    public.get_by_text("1 case study found.").wait_for()
    _fits(public, viewport)

    public.get_by_role("link", name="Clear all filters").click()
    public.locator("#id_semantic").fill("electricity for health centres in villages")
    public.get_by_role("button", name="Show case studies").click()
    public.wait_for_url(re.compile(r".*semantic=electricity.*"))
    public.get_by_text("Ordered by closeness in meaning").wait_for()
    assert public.locator(".case-study-row h3").all_inner_texts() == [
        "Guarantees that powered forty clinics"
    ]

    public.get_by_role("link", name="Clear all filters").click()
    public.locator("#id_sdg").select_option("3")
    public.get_by_role("button", name="Show case studies").click()
    public.wait_for_url(re.compile(r".*sdg=3.*"))
    public.get_by_text("0 case studies found.").wait_for()
    public.locator("#id_sdg").select_option("7")
    public.get_by_role("button", name="Show case studies").click()
    public.wait_for_url(re.compile(r".*sdg=7.*"))
    public.get_by_text("1 case study found.").wait_for()

    public.get_by_role("link", name="Guarantees that powered forty clinics").click()
    public.wait_for_url(f"{base}/knowledge/{case_study.pk}/")
    figure = public.locator(f"[data-indicator-value='{world.value.pk}']").inner_text()
    assert "Clinics powered" in figure and "40 clinics" in figure
    _fits(public, viewport)
    assert errors == []
