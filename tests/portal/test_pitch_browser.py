"""Browser journey of the pitch pipeline (Playwright driving Debian's Chromium): a maker marks
its commitment ready to scale with evidence from its report and submits it (a missing amount
is refused at the field, what was typed kept); the secretariat shortlists it and schedules it
into the forum's pitch session; the investor sees it among its matches with the reasons and
records interest; the secretariat records the outcome "funded"; the public page shows it, on
a phone (375 px) too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pledgebook.organisations.models import Category
from pledgebook.portal.models.pitch import InvestorInterest, PitchOutcome, ScaleUpPlan
from tests import factories
from tests.browser import sign_in
from tests.portal import factories_pitch as fp

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"


def field(page, label: str):
    """The field of this label exactly (Django writes labels "Title:")."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


@pytest.fixture
def world(db):
    theme = factories.ThemeFactory(
        programme=factories.ProgrammeFactory(name="ECOSOC Partnership Forum", slug="ecosoc-pf")
    )
    programme = theme.programme
    commitment, maker = fp.maker(theme, title="Solar cold rooms for Lake Victoria fishers")
    fp.submitted_report(commitment, value="640")
    secretariat = factories.staff(programme)
    event = factories.EventFactory(programme=programme, name="Partnership Forum")
    session = factories.SessionFactory(event=event, kind="pitch", title="Scale-up Tank")
    fp.open_call(programme, session)
    investor, investor_user = fp.investor(category=Category.PHILANTHROPY)
    investor.organisation.name = "Lakeside Foundation"
    investor.organisation.save()
    return {
        "programme": programme,
        "maker": maker,
        "secretariat": secretariat,
        "investor": investor,
        "investor_user": investor_user,
        "commitment": commitment,
    }


def test_from_ready_to_scale_to_funded(live_server, browser, world):
    base = live_server.url
    programme = world["programme"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []

    # The maker marks its commitment ready to scale.
    context = browser.new_context()
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, world["maker"].email)
    page.goto(f"{base}/workspace/pitch/")
    page.get_by_role("link", name=re.compile("Mark ready to scale")).click()
    field(page, "Title").fill("Cold rooms at ten more landing sites")
    page.get_by_label("The plan to scale").fill("Ten more landing sites around the lake.")
    field(page, "Loan").check()
    field(page, "Guarantee").check()
    field(page, "Stage").select_option("scale_up")
    field(page, "Countries").select_option("KE")
    page.get_by_label(re.compile(r"\bSDG 14:")).check()
    page.get_by_label(re.compile("People reached = 640")).check()
    page.get_by_label(re.compile("disbursed so far")).check()
    page.get_by_role("button", name="Save the plan").click()
    # no amount: refused at the field, what was typed kept
    assert "Give the funding sought." in page.locator(".field-error").first.inner_text()
    assert field(page, "Title").input_value() == "Cold rooms at ten more landing sites"
    assert field(page, "Loan").is_checked()
    assert not ScaleUpPlan.objects.exists()
    page.get_by_label("Funding sought").fill("500000")
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_role("button", name="Submit to the pitch segment").click()
    assert page.locator(".plan-status").inner_text() == "Submitted to the open call"
    plan = ScaleUpPlan.objects.get()
    assert (plan.evidence_count, plan.status) == (2, "submitted")
    context.close()

    # The secretariat shortlists it and schedules it into the pitch session.
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, world["secretariat"].email, lands="/console/")
    page.goto(f"{base}/console/{programme.slug}/pitch/")
    page.get_by_role("button", name=re.compile("^Shortlist")).click()
    page.get_by_role("button", name=re.compile("Schedule into the pitch session")).click()
    assert "Scale-up Tank" in page.locator(f"#plan-{plan.pk}").inner_text()
    context.close()

    # The investor sees the match with its reasons and records interest (on a phone).
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, base, world["investor_user"].email)
    page.goto(f"{base}/workspace/pitch/investors/{world['investor'].organisation.slug}/")
    match = page.locator(f"li.suggestion[data-plan='{plan.pk}']")
    text = match.inner_text()
    assert "Score 35" in text  # SDG 14 (10), stage (15), two results (5 + 5)
    assert "Works on SDG 14, which the investor funds" in text
    _fits(page)
    page.screenshot(path=str(SHOTS / "pitch-matches-375.png"), full_page=True)
    match.get_by_role("button", name=re.compile("Record interest")).click()
    assert InvestorInterest.objects.filter(plan=plan).count() == 1
    context.close()

    # The secretariat records the outcome: funded.
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, world["secretariat"].email, lands="/console/")
    page.goto(f"{base}/console/{programme.slug}/pitch/plans/{plan.pk}/outcome/")
    field(page, "Investor").select_option(str(world["investor"].pk))
    field(page, "Outcome").select_option("funded")
    page.get_by_label("Amount funded").fill("400000")
    field(page, "Instrument").select_option("guarantee")
    page.get_by_role("button", name="Record the outcome").click()
    page.wait_for_url(f"{base}/console/{programme.slug}/pitch/")
    assert PitchOutcome.objects.get().status == "funded"
    context.close()

    # The public page shows it, on a phone too.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/programmes/{programme.slug}/ready-to-scale/")
    assert page.locator("[data-figure='funded']").inner_text() == "1"
    assert page.locator("[data-figure='funded-usd']").inner_text() == "400,000"
    assert "Cold rooms at ten more landing sites" in page.locator(".ready-plan").inner_text()
    assert world["maker"].email not in page.content()
    _fits(page)
    page.screenshot(path=str(SHOTS / "pitch-public-375.png"), full_page=True)
    context.close()
    assert errors == []
