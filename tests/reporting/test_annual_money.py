"""The annual report in one reporting currency, its "data as of", and its web version served
from a snapshot.  On the known world of ``test_annual`` (USD 1,500 and EUR 1,000 pledged;
USD 400 and EUR 300 disbursed; c2's EUR 1,000 shared by three themes)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pledgebook.reference.models import Currency
from pledgebook.reporting import annual, charts, documents, domain
from pledgebook.reporting.models import ProgressReport, ReportingCycle
from tests import factories
from tests.reporting.test_annual import (
    ENDS_ON,
    STARTS_ON,
    UTC,
    World,
    _docx_tables,
    _flat,
    _report,
    make_world,
)
from tests.reporting.test_annual_console import client_for, url

# Dates decide what these tests check: they also run at the awkward instants of tests/clocks.py.
pytestmark = pytest.mark.dates

D = Decimal


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def in_usd(world: World, **rates: str) -> None:
    world.programme.reporting_currency = Currency.objects.get(pk="USD")
    world.programme.save()
    world.cycle.programme = world.programme
    for code, rate in rates.items():
        domain.set_exchange_rate(
            actor=world.secretariat,
            cycle=world.cycle,
            currency=Currency.objects.get(pk=code),
            rate=D(rate),
            effective_on=dt.date(2026, 4, 1),
            source="UN operational rates of exchange",
        )


def test_totals_are_also_given_in_the_reporting_currency_with_the_rate_and_its_date(
    db: Any,
) -> None:
    world = make_world()
    in_usd(world, EUR="0.8")
    data = annual.build(world.cycle)

    assert data.reporting_currency == "USD"
    assert data.exchange_rates == (
        annual.RateUsed("EUR", D("0.8"), dt.date(2026, 4, 1), "UN operational rates of exchange"),
    )
    # 1,500 + 1,000 / 0.8 pledged; 400 + 300 / 0.8 disbursed.
    assert data.converted == annual.Converted("USD", D("2750.00"), D("775.00"), ())
    assert [(m.currency, m.pledged_converted, m.disbursed_converted) for m in data.money] == [
        ("USD", D("1500.00"), D("400.00")),
        ("EUR", D("1250.00"), D("375.00")),
    ]
    # By theme, the shares convert too: the converted parts add up to the converted total.
    assert [(g.label, g.converted) for g in data.by_theme] == [
        ("Economic justice", annual.Converted("USD", D("1416.67"), D("525.00"), ())),
        ("Technology", annual.Converted("USD", D("916.67"), D("125.00"), ())),
        ("Health", annual.Converted("USD", D("416.67"), D("125.00"), ())),
    ]

    sections = {s.key: s for s in documents.sections(data)}
    key_figures = dict(sections["summary"].tables[0].rows)
    assert key_figures["Money pledged (USD)"] == "2,750.00"
    assert key_figures["Disbursed so far (USD)"] == "775.00"
    _by_currency, converted = sections["money"].tables
    assert converted.headers == (
        "Currency",
        "Rate per 1 USD",
        "Rate of",
        "Pledged (USD)",
        "Disbursed so far (USD)",
    )
    assert converted.rows == (
        ("USD", "1", "—", "1,500.00", "400.00"),
        ("EUR", "0.80", "1 April 2026", "1,250.00", "375.00"),
        ("Total", "", "", "2,750.00", "775.00"),
    )
    assert sections["money"].notes == (
        "Sources of the exchange rates (units of the currency for 1 USD): EUR: UN operational "
        "rates of exchange.",
    )
    by_theme = sections["by-group"].tables[0]
    assert by_theme.headers[5:] == ("Pledged (USD)", "Disbursed so far (USD)")
    assert by_theme.rows[0][5:] == ("1,416.67", "525.00")

    # The Word document says the same; the chart is drawn in USD, on one scale.
    rendered = charts.render_all(data)
    _paragraphs, tables = _docx_tables(documents.render_docx(data, rendered))
    assert [
        ["Currency", "Rate per 1 USD", "Rate of", "Pledged (USD)", "Disbursed so far (USD)"],
        ["USD", "1", "—", "1,500.00", "400.00"],
        ["EUR", "0.80", "1 April 2026", "1,250.00", "375.00"],
        ["Total", "", "", "2,750.00", "775.00"],
    ] in tables
    assert rendered["money"].title == "Money pledged and disbursed, in USD"
    assert rendered["money"].alt == (
        "Grouped bars of the money pledged and disbursed so far, in USD at the cycle's exchange "
        "rates, by pledged currency: USD: 1,500.00 pledged, 400.00 disbursed; EUR: 1,250.00 "
        "pledged, 375.00 disbursed."
    )


def test_a_currency_without_a_rate_is_never_dropped_nor_converted_at_one(db: Any) -> None:
    world = make_world()
    in_usd(world)  # no rate for EUR
    data = annual.build(world.cycle)

    eur = annual.Money("EUR", D("1000.00"), D("300.00"), None, None)
    assert data.converted == annual.Converted("USD", D("1500.00"), D("400.00"), (eur,))
    sections = {s.key: s for s in documents.sections(data)}
    assert dict(sections["summary"].tables[0].rows)["Money pledged (USD)"] == (
        "1,500.00\nnot converted:\nEUR 1,000.00"
    )
    assert sections["money"].tables[1].rows[1] == (
        "EUR",
        "no rate: not converted",
        "—",
        "—",
        "—",
    )
    note = (
        "EUR has no exchange rate for this cycle: its money is not converted, not counted in "
        "the USD totals, and shown in its own currency."
    )
    assert note in sections["money"].notes
    assert note in sections["by-group"].notes
    economic_justice = sections["by-group"].tables[0].rows[0]
    assert economic_justice[5:] == (
        "1,000.00\nnot converted:\nEUR 333.33",
        "400.00\nnot converted:\nEUR 100.00",
    )
    # The chart shows the converted currency and names the other.
    chart = charts.money_chart(data)
    assert chart.alt.endswith("Not converted (no rate), so not shown: EUR.")


def test_counts_in_the_documents_are_whole_and_say_how(db: Any) -> None:
    world = make_world()
    data = annual.build(world.cycle)
    sections = {s.key: s for s in documents.sections(data)}
    by_theme = sections["by-group"].tables[0]
    assert [row[:3] for row in by_theme.rows] == [
        ("Economic justice", "3", "2"),
        ("Technology", "4", "2"),
        ("Health", "1", "1"),
    ]
    assert (
        sections["by-group"]
        .notes[0]
        .startswith(
            "Counts are whole numbers: a commitment with several themes (or types) counts once in "
            "each of them and once in the programme's total, so the rows by theme or type can add "
            "up to more than the total. Its money is divided equally between its themes"
        )
    )
    html = documents.pdf_html(data, charts.render_all(data))
    assert "Counts are whole numbers" in html
    assert ".33" not in "".join("".join(row[1:5]) for row in by_theme.rows)


# Data as of --------------------------------------------------------------------------------


def _local(moment: dt.datetime) -> str:
    """A moment as the report states it: to the minute, in the current time zone, named
    ("10 April 2026, 08:15 UTC"; "10 April 2026, 04:15 EDT" in New York)."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def test_data_as_of_is_the_cut_off_of_the_reports_it_includes(db: Any) -> None:
    """The issue: "Data as of 25 November" (the deadline) on a report that included a late
    report of 5 December.  The moment now stated is the one the data was read, after every
    report included."""
    world = make_world(status=ReportingCycle.Status.OPEN)
    late = _report(
        world.c["c4"],
        world.cycle,
        "on_track",
        submitted_at=dt.datetime(2026, 4, 5, 16, 20, tzinfo=UTC),  # after the deadline (31 March)
    )
    read_at = dt.datetime(2026, 4, 10, 8, 15, 42, 123456, tzinfo=UTC)
    data = annual.build(world.cycle, now=read_at)

    assert data.facts.data_as_of == dt.datetime(2026, 4, 10, 8, 15, 42, tzinfo=UTC)
    latest = max(
        ProgressReport.objects.filter(
            cycle=world.cycle, status=ProgressReport.Status.SUBMITTED
        ).values_list("submitted_at", flat=True)
    )
    assert latest == late.submitted_at <= data.facts.data_as_of
    assert data.totals.reported == 4  # the late report is included

    from pypdf import PdfReader

    pdf = documents.render_pdf(data, charts.render_all(data))
    reader = PdfReader(io.BytesIO(pdf))
    title_page = _flat(reader.pages[0].extract_text())
    assert f"Data as of {_local(read_at)}" in title_page
    assert reader.metadata.creation_date == dt.datetime(2026, 4, 10, 8, 15, 42, tzinfo=UTC)


def test_a_closed_cycle_is_as_of_its_closing(db: Any) -> None:
    world = make_world()
    world.cycle.closed_at = dt.datetime(2026, 4, 20, 17, 0, tzinfo=UTC)
    world.cycle.save()
    data = annual.build(world.cycle, now=dt.datetime(2026, 12, 5, tzinfo=UTC))
    assert data.facts.data_as_of == dt.datetime(2026, 4, 20, 17, 0, tzinfo=UTC)
    # Past the scheduled close, an open cycle accepts no report: as of that close.
    world.cycle.status = ReportingCycle.Status.OPEN
    world.cycle.save()
    data = annual.build(world.cycle, now=dt.datetime(2026, 12, 5, tzinfo=UTC))
    assert data.facts.data_as_of == dt.datetime(2026, 4, 30, tzinfo=UTC)


# The web version from its snapshot ----------------------------------------------------------


def _report_part(html: str) -> str:
    return html[html.index('<div class="annual-report">') :]


def _queries(client: Any, address: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_the_web_report_is_served_from_its_snapshot_while_the_data_is_unchanged(
    db: Any,
) -> None:
    world = make_world()
    client = client_for(world.secretariat)
    address = url(world, "annual_report")
    first, built = _queries(client, address)
    again, served = _queries(client, address)
    assert _report_part(again) == _report_part(first)
    # Served: the fingerprint's look-ups, no pass over the commitments and no chart drawn.
    assert served < built - 10
    assert served <= 22

    # Whatever the number of commitments, serving takes as many queries.
    for n in range(5):
        c = factories.CommitmentFactory(
            theme=world.themes["tech"],
            organisation=world.orgs["apex"],
            title=f"More {n}",
            status="confirmed",
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
        )
        _report(c, world.cycle, "completed")
    grown, _n = _queries(client, address)  # rebuilt: the data changed
    assert "8 of the 11 commitments expected to report" in grown
    _same, served_again = _queries(client, address)
    assert served_again == served


@pytest.mark.parametrize(
    "change",
    ["report", "rate", "theme", "name", "cycle"],
)
def test_any_change_the_page_shows_rebuilds_it(db: Any, change: str) -> None:
    world = make_world()
    in_usd(world)
    client = client_for(world.secretariat)
    address = url(world, "annual_report")
    before = client.get(address).content.decode()
    if change == "report":
        _report(
            world.c["c3"],
            world.cycle,
            "completed",
            submitted_at=dt.datetime(2026, 4, 1, tzinfo=UTC),
        )
        expected = "4 of the 6 commitments"
    elif change == "rate":
        in_usd(world, EUR="0.8")
        expected = "2,750.00"
    elif change == "theme":
        world.themes["health"].name = "Health and well-being"
        world.themes["health"].save()
        expected = "Health and well-being"
    elif change == "name":
        world.cycle.name = "2026 annual report (final)"
        world.cycle.save()
        expected = "2026 annual report (final)"
    else:
        world.cycle.closed_at = dt.datetime(2026, 4, 20, 17, 0, tzinfo=UTC)
        world.cycle.save()
        expected = f"Data as of {_local(world.cycle.closed_at)}"
    assert expected not in before
    assert expected in client.get(address).content.decode()
