"""Browser journey of money in one currency (Playwright driving Debian's Chromium): the
secretariat chooses the programme's reporting currency, imports the cycle's exchange rates from
a CSV in the UN operational rates layout (one row refused, with its reason), and reads the
dashboard's totals in US dollars with the rate and its date; the rates page also works at phone
width."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reference.models import Currency
from pledgebook.reporting.models import ExchangeRate, ProgressReport, ReportingCycle
from tests import factories
from tests.browser import sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RATES = (
    b"Country/Area,Currency name,Currency code,Rate,Effective date\n"
    b"Euro area,Euro,EUR,0.80,01.11.2026\n"
    b"Kenya,Kenyan Shilling,KES,129.50,01.11.2026\n"
    b"Nowhere,Funny money,QQQ,2,01.11.2026\n"
)


def test_rates_imported_give_the_dashboard_totals_in_one_currency(
    live_server, browser, settings, theme
):
    settings.SITE_URL = live_server.url
    programme = theme.programme
    secretariat = factories.staff(programme, ProgrammeRole.Role.SECRETARIAT)
    eur, usd = Currency.objects.get(pk="EUR"), Currency.objects.get(pk="USD")
    pledges = [(eur, "1000"), (usd, "500")]
    now = timezone.now()
    cycle = ReportingCycle.objects.create(
        programme=programme,
        name="2026 annual report",
        opens_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=60),
        status=ReportingCycle.Status.OPEN,
    )
    for currency, amount in pledges:
        commitment = factories.CommitmentFactory(
            theme=theme,
            status=Commitment.Status.CONFIRMED,
            amount=Decimal(amount),
            currency=currency,
        )
        ProgressReport.objects.create(
            commitment=commitment,
            cycle=cycle,
            status="submitted",
            implementation_status="on_track",
            disbursed_amount=Decimal(amount) / 2,
            submitted_at=now,
        )
    errors: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, secretariat.email, lands="/console/")

    # The programme's reporting currency.
    page.goto(f"{live_server.url}/console/{programme.slug}/settings/")
    page.get_by_label("Reporting currency").select_option("USD")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Programme settings saved.").wait_for()

    # The cycle's rates, from a CSV: one row refused, with its line and reason.
    base = f"{live_server.url}/console/{programme.slug}/reporting/cycles/{cycle.pk}"
    page.goto(f"{base}/")
    page.get_by_role("link", name="Exchange rates").click()
    assert page.locator("#pledged-currencies").get_by_text("No rate: not converted").count() == 1
    page.locator("#import-form input[type=file]").set_input_files(
        files=[{"name": "ore.csv", "mimeType": "text/csv", "buffer": RATES}]
    )
    page.get_by_role("button", name="Import the rates").click()
    page.get_by_text("2 exchange rates imported.").wait_for()
    problems = page.locator("#import-problems")
    assert "QQQ is not a currency the platform knows." in problems.inner_text()
    assert "1 row was not imported" in problems.inner_text()
    assert sorted(ExchangeRate.objects.values_list("currency", "rate")) == [
        ("EUR", Decimal("0.8")),
        ("KES", Decimal("129.5")),
    ]

    # The dashboard: each currency with its rate and date, and the total in USD.
    page.get_by_role("link", name="Response rates").click()
    eur_row = page.locator("#money tbody tr", has_text="EUR")
    assert " ".join(eur_row.inner_text().split()) == (
        "EUR 1,000.00 500.00 0.80 of 1 Nov 2026 1,250.00 625.00"
    )
    assert page.locator("#money-total").inner_text().split() == [
        "Total", "in", "USD", "1,750.00", "875.00"
    ]  # fmt: skip

    # At phone width the rates page fits: wide tables scroll in their own box.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    small = phone.new_page()
    small.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(small, live_server.url, secretariat.email, lands="/console/")
    small.goto(f"{base}/rates/")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    assert small.get_by_role("button", name="Import the rates").is_visible()
    assert errors == []
