"""The console page of a cycle's exchange rates, the programme setting of the reporting currency
and the dashboard's totals in it.  Readers of the console see the rates; only the secretariat
changes them (everyone else: 403 and nothing changed); a cycle of another programme is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from pledgebook.reference.models import Currency
from pledgebook.reporting import domain
from pledgebook.reporting.models import ExchangeRate, ReportingCycle
from tests import factories
from tests.reporting.test_annual import World, make_world
from tests.reporting.test_annual_console import client_for, person, url

D = Decimal


@pytest.fixture
def world(db: Any) -> World:
    world = make_world()
    world.programme.reporting_currency = Currency.objects.get(pk="USD")
    world.programme.save()
    world.cycle.programme = world.programme
    return world


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def keep(world: World, code: str, rate: str) -> ExchangeRate:
    return domain.set_exchange_rate(
        actor=world.secretariat,
        cycle=world.cycle,
        currency=Currency.objects.get(pk=code),
        rate=D(rate),
        effective_on=dt.date(2026, 4, 1),
        source="UN operational rates of exchange",
    )


def test_readers_see_the_rates_and_the_currencies_not_converted(world: World) -> None:
    keep(world, "EUR", "0.8")
    response = client_for(world.reviewer).get(url(world, "reporting_rates"))
    assert response.status_code == 200
    assert [(p["code"], p["n"], bool(p["rate"])) for p in response.context["pledged"]] == [
        ("EUR", 1, True),
        ("USD", 2, False),
    ]
    assert response.context["missing"] == []
    html = response.content.decode()
    assert '<tr id="rate-EUR">' in html
    assert "Add or change a rate" not in html  # a reviewer only reads
    assert response.context["form"] is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer", 403), ("maker", 403), ("other_secretariat", 403), ("no_role", 403)],
)
def test_only_the_secretariat_changes_rates(world: World, persona: str, status: int) -> None:
    rate = keep(world, "EUR", "0.8")
    client = client_for(person(world, persona))
    audit = AuditEntry.objects.count()
    save = client.post(
        url(world, "reporting_rate_save"),
        {"currency": "EUR", "rate": "2", "effective_on": "2026-04-02", "source": ""},
    )
    upload = client.post(
        url(world, "reporting_rates_import"),
        {"file": SimpleUploadedFile("r.csv", b"code,rate,date\nKES,129.5,2026-04-01\n")},
    )
    delete = client.post(url(world, "reporting_rate_delete", rate=rate.pk))
    assert (save.status_code, upload.status_code, delete.status_code) == (status,) * 3
    assert list(ExchangeRate.objects.values_list("currency", "rate")) == [("EUR", D("0.8"))]
    assert AuditEntry.objects.count() == audit


def test_the_secretariat_keeps_a_rate_with_the_form(world: World) -> None:
    client = client_for(world.secretariat)
    response = client.post(
        url(world, "reporting_rate_save"),
        {
            "currency": "EUR",
            "rate": "0.918",
            "effective_on": "2026-04-01",
            "source": "UN operational rates of exchange",
        },
    )
    assert response.status_code == 302
    assert response.url == url(world, "reporting_rates")
    assert list(ExchangeRate.objects.values_list("currency", "rate", "reporting_currency")) == [
        ("EUR", D("0.918"), "USD")
    ]


def test_a_bad_rate_is_refused_at_its_field_and_keeps_what_was_typed(world: World) -> None:
    response = client_for(world.secretariat).post(
        url(world, "reporting_rate_save"),
        {"currency": "EUR", "rate": "0,92", "effective_on": "2026-04-01", "source": "ECB"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"rate": ["Enter a number."]}
    html = response.content.decode()
    assert 'value="0,92"' in html and 'value="ECB"' in html
    assert ExchangeRate.objects.count() == 0


def test_an_import_lists_the_rows_it_refused(world: World) -> None:
    keep(world, "EUR", "0.5")
    data = (
        b"Country/Area,Currency name,Currency code,Rate,Effective date\n"
        b"Euro area,Euro,EUR,0.918,01.04.2026\n"
        b"Kenya,Kenyan Shilling,KES,abc,01.04.2026\n"
    )
    response = client_for(world.secretariat).post(
        url(world, "reporting_rates_import"),
        {"file": SimpleUploadedFile("ore.csv", data, "text/csv"), "source": "UN ORE"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<section class="error-summary" id="import-problems"' in html
    assert "1 row was not imported" in html
    assert "<td>“abc” is not a rate: write digits with a decimal point, e.g. 129.5.</td>" in html
    assert "<code>Kenya, Kenyan Shilling, KES, abc, 01.04.2026</code>" in html
    assert [str(m) for m in response.context["messages"]] == [
        "1 exchange rate imported.",
        "1 row was not imported: see why below.",
    ]
    assert list(ExchangeRate.objects.values_list("currency", "rate", "source")) == [
        ("EUR", D("0.918"), "UN ORE")
    ]


def test_an_unreadable_file_is_refused_at_the_field(world: World) -> None:
    response = client_for(world.secretariat).post(
        url(world, "reporting_rates_import"),
        {"file": SimpleUploadedFile("r.csv", b"Name,Amount\nEUR,1\n"), "source": "x"},
    )
    assert response.status_code == 200
    assert response.context["import_form"].errors == {
        "file": [
            "The first row must name the columns; currency code, rate, effective date not "
            "found. Expected a header such as: Currency code, Rate, Effective date.",
            "Choose the file again once it is corrected.",
        ]
    }
    assert ExchangeRate.objects.count() == 0


def test_without_a_reporting_currency_the_page_says_where_to_choose_one(db: Any) -> None:
    world = make_world()
    response = client_for(world.secretariat).get(url(world, "reporting_rates"))
    html = response.content.decode()
    assert 'id="no-reporting-currency"' in html
    assert reverse("console:settings", kwargs={"programme": world.programme.slug}) in html
    assert response.context["form"] is None


def test_a_cycle_of_another_programme_is_404(world: World) -> None:
    other = ReportingCycle.objects.exclude(programme=world.programme).get()
    rate = keep(world, "EUR", "0.8")
    client = client_for(world.secretariat)
    assert client.get(url(world, "reporting_rates", cycle=other)).status_code == 404
    other_rate = ExchangeRate.objects.create(
        cycle=other,
        currency_id="KES",
        reporting_currency_id="USD",
        rate=D("129"),
        effective_on=dt.date(2026, 4, 1),
    )
    response = client.post(url(world, "reporting_rate_delete", rate=other_rate.pk))
    assert response.status_code == 404
    assert ExchangeRate.objects.filter(pk__in=[rate.pk, other_rate.pk]).count() == 2


def test_the_dashboard_gives_totals_in_the_reporting_currency(world: World) -> None:
    keep(world, "EUR", "0.8")
    response = client_for(world.reviewer).get(url(world, "reporting_dashboard"))
    assert response.status_code == 200
    ctx = response.context
    assert [
        (m.currency, m.pledged, m.disbursed, m.pledged_converted, m.disbursed_converted)
        for m in ctx["money"]
    ] == [
        ("EUR", D("1000.00"), D("300.00"), D("1250.00"), D("375.00")),
        ("USD", D("1500.00"), D("400.00"), D("1500.00"), D("400.00")),
    ]
    assert ctx["converted"] == {
        "currency": "USD",
        "pledged": D("2750.00"),
        "disbursed": D("775.00"),
        "unconverted": [],
    }
    html = response.content.decode()
    assert "Total in USD" in html
    assert "of 1 Apr 2026" in html
    assert 'id="counting-note"' in html


def test_the_dashboard_shows_a_currency_without_a_rate_not_converted(world: World) -> None:
    response = client_for(world.reviewer).get(url(world, "reporting_dashboard"))
    assert response.context["converted"] == {
        "currency": "USD",
        "pledged": D("1500.00"),
        "disbursed": D("400.00"),
        "unconverted": ["EUR"],
    }
    html = response.content.decode()
    assert "not converted: no rate for this cycle" in html
    assert "Not converted, and not in the USD total: EUR (no exchange rate for this cycle)." in html


def test_the_secretariat_chooses_the_reporting_currency_in_the_settings(db: Any) -> None:
    world = make_world()
    client = client_for(world.secretariat)
    address = reverse("console:settings", kwargs={"programme": world.programme.slug})
    form = client.get(address).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "commitment_types"
    }
    data["commitment_types"] = [t.code for t in world.programme.commitment_types.all()]
    data["reporting_currency"] = "EUR"
    for name in ("registration_opens_at", "registration_closes_at", "starts_on", "ends_on"):
        data.pop(name, None)
    response = client.post(address, data)
    assert response.status_code == 302, response.context["form"].errors
    world.programme.refresh_from_db()
    assert world.programme.reporting_currency_id == "EUR"
    entry = AuditEntry.objects.get(action="programme.updated")
    assert entry.data["changed"]["reporting_currency"] == [None, "EUR"]
    # Another programme's secretariat cannot.
    outsider = client_for(factories.staff(factories.ProgrammeFactory()))
    data["reporting_currency"] = "KES"
    assert outsider.post(address, data).status_code == 403
    world.programme.refresh_from_db()
    assert world.programme.reporting_currency_id == "EUR"
