"""Browser journey of the assessment that reads (Playwright driving Debian's Chromium), at a
phone's width: while a maker writes in Spanish, each criterion says why, quoting the words
that met it; the public rules page shows the endorsement ladder; nothing is wider than the
screen."""

import re

import pytest

from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}


def test_the_live_assessment_quotes_the_makers_words_at_phone_width(live_server, browser, theme):
    member = factories.member_of(theme)
    page = browser.new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, member.email)
    page.get_by_role("link", name="Draft a commitment").click()
    page.wait_for_url(re.compile(r".*/workspace/commitments/new/\?organisation=.*"))
    assessment = page.locator("#assessment")

    page.get_by_label("Title").fill("Pesca artesanal")
    page.get_by_label("Description").fill("Apoyaremos a la pesca artesanal.")
    assessment.get_by_text(
        "No reach (how many people, places or how much area) is stated."
    ).wait_for()

    page.get_by_label("Description").fill(
        "Capacitaremos a 800 pescadores artesanales en Manabí hasta junio de 2027, "
        "con 300.000 dólares, en colaboración con el Ministerio de Producción."
    )
    assessment.get_by_text("Reach: “800 pescadores”; where: “en Manabí”.").wait_for()
    assessment.get_by_text("“300.000 dólares”.").wait_for()
    assessment.get_by_text(
        "The commitment says “en colaboración con el Ministerio de Producción”."
    ).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}/how-commitments-are-assessed/")
    ladder = page.get_by_role("table", name="The top of the ladder, by kind of organisation")
    ladder.get_by_role("cell", name="The chief executive or the board").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
