"""Browser journey of accountability (Playwright driving Debian's Chromium): the secretariat
opens a reporting cycle, the maker follows the personal link from the e-mail and submits a
report, the secretariat sees the response rate change and generates the annual report."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reporting import domain
from pledgebook.reporting.models import Indicator, ProgressReport, ReportingCycle
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_open_report_and_see_the_response_rate(live_server, browser, settings, theme):
    programme = theme.programme
    secretariat = factories.staff(programme, ProgrammeRole.Role.SECRETARIAT)
    maker = factories.member_of(theme)
    commitment = factories.CommitmentFactory(
        theme=theme, organisation=maker.organisations.get(), status=Commitment.Status.CONFIRMED
    )
    indicator = Indicator.objects.create(
        programme=programme, code="people", name="People reached", unit="people"
    )
    now = timezone.now()
    cycle = ReportingCycle.objects.create(
        programme=programme,
        name="2026 annual report",
        opens_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=60),
    )
    errors: list[str] = []

    # The secretariat opens the cycle.
    staff_page = browser.new_page()
    staff_page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(staff_page, live_server.url, secretariat.email, lands="/console/")
    staff_page.goto(f"{live_server.url}/console/{programme.slug}/reporting/")
    staff_page.get_by_role("link", name="2026 annual report").click()
    staff_page.get_by_role("button", name="Open the cycle and send the links").click()
    staff_page.get_by_text(
        "The cycle is open: 1 maker received its personal reporting link."
    ).wait_for()
    staff_page.get_by_role("link", name="Response rates").click()
    assert staff_page.locator("#response-rate strong").inner_text() == "0.0 %"

    # The maker follows the link of the e-mail, without an account session.
    (message,) = mail.outbox
    assert message.to == [maker.email]
    link = re.search(r"http://\S+/report/\S+/", message.body).group(0)
    maker_page = browser.new_context().new_page()
    maker_page.on("pageerror", lambda e: errors.append(str(e)))
    maker_page.goto(link)
    maker_page.get_by_role("link", name=f"Write the report {commitment.title}").click()
    maker_page.get_by_label("On track").check()
    maker_page.get_by_label("What happened").fill(
        "We trained 120 women entrepreneurs in two counties and opened a help desk."
    )
    maker_page.get_by_label("People reached: Value reached (people)").fill("abc")
    maker_page.get_by_role("button", name="Submit").click()
    # A non-number: the error is at its field and what was typed stays.
    error = maker_page.locator(f"#id_indicator_{indicator.pk}_value_error")
    error.wait_for()
    assert error.inner_text() == "Enter a number."
    value = maker_page.get_by_label("People reached: Value reached (people)")
    assert value.input_value() == "abc"
    assert value.get_attribute("aria-describedby") == f"id_indicator_{indicator.pk}_value_error"
    assert maker_page.get_by_label("What happened").input_value().startswith("We trained 120")
    assert ProgressReport.objects.count() == 0
    maker_page.get_by_label("People reached: Value reached (people)").fill("120")
    maker_page.get_by_label("Money disbursed so far").fill("5000")
    maker_page.get_by_role("button", name="Submit").click()
    maker_page.get_by_text("Thank you: version 1 of the report").wait_for()
    report = ProgressReport.objects.get()
    assert (report.status, report.version, report.implementation_status) == (
        "submitted",
        1,
        "on_track",
    )
    assert report.values.get().value == 120

    # The secretariat sees the response rate change.
    staff_page.reload()
    assert staff_page.locator("#response-rate strong").inner_text() == "100.0 %"
    assert staff_page.locator("#progress-index strong").inner_text() == "50.0 %"

    # ... and generates the annual report, then downloads the PDF.
    staff_page.goto(f"{live_server.url}/console/{programme.slug}/reporting/cycles/{cycle.pk}/")
    staff_page.get_by_role("link", name="Annual report").click()
    staff_page.get_by_role("button", name="Generate PDF and Word").click()
    pdf_link = staff_page.locator("#annual-reports").get_by_role("link", name="PDF")
    pdf_link.wait_for(timeout=120_000)
    with staff_page.expect_download() as download_info:
        pdf_link.click()
    path = download_info.value.path()
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert errors == []


@pytest.mark.dates
def test_a_commitment_confirmed_while_a_cycle_is_open_reports_in_it(live_server, browser, settings):
    """Issue 9, 2.1 and 2.2: a commitment confirmed today, after the deadline of this year's
    cycle, is shown as "Report due" (not "Inactive"), its maker has its personal link from
    the confirmation, and the escalation list does not name it."""
    settings.SITE_URL = live_server.url
    base = live_server.url
    now = timezone.now()
    day = dt.timedelta(days=1)
    theme = factories.ThemeFactory(
        programme=factories.ProgrammeFactory(
            registration_opens_at=now - 30 * day, registration_closes_at=now + 60 * day
        )
    )
    programme = theme.programme
    secretariat = factories.staff(programme, ProgrammeRole.Role.SECRETARIAT)
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    veteran = factories.CommitmentFactory(
        theme=theme,
        organisation=factories.member_of(theme).organisations.get(),
        status=Commitment.Status.CONFIRMED,
        title="Silent since two cycles",
        starts_on=(now - 900 * day).date(),
        ends_on=(now + 900 * day).date(),
        decided_at=now - 800 * day,
    )
    for name, opens, deadline, closes in [
        ("Last year", -425, -375, -335),
        ("This year", -60, -10, 30),
    ]:
        cycle = domain.schedule_cycle(
            actor=secretariat,
            programme=programme,
            name=name,
            opens_at=now + opens * day,
            deadline=now + deadline * day,
            closes_at=now + closes * day,
        )
        domain.open_cycle(actor=secretariat, cycle=cycle, now=cycle.opens_at)
        if closes < 0:
            domain.close_cycle(actor=secretariat, cycle=cycle, now=cycle.closes_at)
    maker = factories.member_of(theme)
    commitment = factories.CommitmentFactory(
        theme=theme,
        organisation=maker.organisations.get(),
        status=Commitment.Status.SUBMITTED,
        title="Survivor-centred services in 12 Kenyan counties",
        starts_on=(now - 200 * day).date(),
        ends_on=(now + 1600 * day).date(),
        submitted_at=now - 5 * day,
    )
    mail.outbox.clear()
    errors: list[str] = []

    # The reviewer confirms it in the console.
    review = browser.new_context().new_page()
    review.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(review, base, reviewer.email, lands="/console/")
    review.goto(f"{base}/console/{programme.slug}/commitments/{commitment.pk}/")
    review.get_by_role("button", name="Confirm", exact=True).click()
    review.get_by_text(f"“{commitment.title}” is now confirmed.").wait_for()

    # A visitor on a phone sees the light of a commitment whose report is due.
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.goto(f"{base}/commitments/{commitment.pk}/")
    light = phone.locator("p", has_text="Progress reporting:").locator(".light")
    playwright.expect(light).to_have_class(re.compile(r"\blight-due\b"))
    assert light.inner_text().startswith("Report due")
    playwright.expect(light).to_be_in_viewport()
    # ... and the directory gives each its own light.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/commitments/")
    lights = {
        title: visitor.get_by_role("row").filter(has_text=title).locator(".light").inner_text()
        for title in (commitment.title, veteran.title)
    }
    assert [text.split("—")[0].strip() for text in lights.values()] == ["Report due", "Inactive"]

    # The maker has its personal link from the confirmation, and reports through it.
    (joined,) = [m for m in mail.outbox if m.to == [maker.email] and "report on" in m.subject]
    link = re.search(r"http://\S+/report/\S+/", joined.body).group(0)
    maker_page = browser.new_context().new_page()
    maker_page.on("pageerror", lambda e: errors.append(str(e)))
    maker_page.goto(link)
    playwright.expect(
        maker_page.get_by_role("link", name=f"Write the report {commitment.title}")
    ).to_be_visible()

    # The secretariat's escalation list names the veteran, not the newcomer.
    staff = browser.new_context().new_page()
    sign_in(staff, base, secretariat.email, lands="/console/")
    staff.goto(f"{base}/console/{programme.slug}/reporting/escalation/")
    table = staff.get_by_role("table")
    playwright.expect(table).to_contain_text(veteran.title)
    playwright.expect(table).not_to_contain_text(commitment.title)
    assert errors == []
