"""Exchange rates to the programme's reporting currency: the CSV import (UN operational rates
of exchange layout), the conversion of totals, and the domain functions that keep them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pledgebook.core.models import AuditEntry
from pledgebook.programmes import domain as programmes
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reference.models import Currency
from pledgebook.reporting import domain, exchange
from pledgebook.reporting.models import ExchangeRate, ReportingCycle
from tests import factories
from tests.reporting.factories import cycle

D = Decimal
KNOWN = {"EUR", "KES", "NOK", "USD", "XOF", "ZAR"}

UN_FILE = """Country/Area,Currency name,Currency code,Rate,Effective date
Kenya,Kenyan Shilling,KES,129.50,01.12.2026
Norway,Norwegian Krone,NOK,"10,950.5",1 Dec 2026
Euro area,Euro,EUR,0.918,2026-11-01
Euro area,Euro,EUR,0.921,2026-12-01
Senegal,CFA Franc,XOF,"603,4",01.12.2026
Nowhere,Funny money,QQQ,2,01.12.2026
Somewhere,,eu,2,01.12.2026
South Africa,Rand,ZAR,-18,31.02.2026
United States,US Dollar,USD,1,01.12.2026
"""


def test_the_un_layout_is_read_with_a_reason_for_every_row_refused() -> None:
    parsed = exchange.parse_csv(
        UN_FILE.encode(), known=KNOWN, reporting_currency="USD", default_source="UN ORE"
    )
    assert [(r.line, r.currency, r.rate, r.effective_on, r.source) for r in parsed.rows] == [
        (2, "KES", D("129.50"), dt.date(2026, 12, 1), "UN ORE"),
        (3, "NOK", D("10950.5"), dt.date(2026, 12, 1), "UN ORE"),
        # the newest effective date supersedes (line 4's rate of 1 November)
        (5, "EUR", D("0.921"), dt.date(2026, 12, 1), "UN ORE"),
    ]
    assert [(p.line, p.message) for p in parsed.problems] == [
        (
            6,
            "“603,4” is not a rate: write digits with a decimal point, e.g. 129.5.",
        ),
        (7, "QQQ is not a currency the platform knows."),
        (8, "“EU” is not a three-letter currency code."),
        (
            9,
            "A rate must be more than zero. “31.02.2026” is not a date: write it as "
            "2026-12-01, 01.12.2026 or 1 Dec 2026.",
        ),
    ]
    assert parsed.problems[0].text == "Senegal, CFA Franc, XOF, 603,4, 01.12.2026"
    # USD at 1 (the reporting currency itself) is left out, without a complaint.


def test_two_rates_for_the_same_date_are_both_refused() -> None:
    text = "code;rate;date;source\nEUR;0.92;2026-12-01;ECB\nEUR;0.93;2026-12-01;UN\n"
    parsed = exchange.parse_csv(text.encode(), known=KNOWN, reporting_currency="USD")
    assert parsed.rows == []
    assert [(p.line, p.message) for p in parsed.problems] == [
        (2, "EUR has different rates for the same date on lines 2, 3: keep one."),
        (3, "EUR has different rates for the same date on lines 2, 3: keep one."),
    ]


def test_the_reporting_currency_at_another_rate_is_refused() -> None:
    text = "Currency code,Rate,Effective date\nUSD,1.1,2026-12-01\n"
    parsed = exchange.parse_csv(text.encode(), known=KNOWN, reporting_currency="USD")
    assert [p.message for p in parsed.problems] == [
        "USD is the reporting currency: its rate is always 1."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            b"Currency,Amount\nEUR,1\n",
            "The first row must name the columns; rate, effective date not found. Expected "
            "a header such as: Currency code, Rate, Effective date.",
        ),
        (b"\x00\xff\xfe" * 10 + b"\x81", "The file is not text: save it as CSV (UTF-8)."),
        (b"x" * (exchange.MAX_FILE_BYTES + 1), "The file is larger than 1 MB."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        exchange.parse_csv(data, known=KNOWN, reporting_currency="USD")
    assert err.value.messages == [message]


def test_conversion_is_exact_and_never_at_one_for_a_missing_rate() -> None:
    rates = exchange.Rates(
        "USD",
        {
            "KES": exchange.Rate("KES", D("129.5"), dt.date(2026, 12, 1), "UN"),
            "EUR": exchange.Rate("EUR", D("0.8"), dt.date(2026, 12, 1), "UN"),
        },
    )
    result = rates.convert(
        {"USD": Fraction(10), "KES": Fraction(259), "EUR": Fraction(1, 3), "XOF": Fraction(7)}
    )
    assert result.total == 10 + Fraction(259) / Fraction("129.5") + Fraction(1, 3) / Fraction("0.8")
    assert result.unconverted == {"XOF": Fraction(7)}
    assert exchange.Rates("").convert({"USD": Fraction(1)}).unconverted == {"USD": Fraction(1)}


# The domain ------------------------------------------------------------------------------------


@pytest.fixture
def kept(programme: Any) -> tuple[ReportingCycle, Any]:
    secretariat = factories.staff(programme)
    programmes.update_programme(
        actor=secretariat, programme=programme, reporting_currency=Currency.objects.get(pk="USD")
    )
    return cycle(programme, status=ReportingCycle.Status.OPEN), secretariat


def test_the_secretariat_keeps_and_replaces_a_rate(kept: tuple[ReportingCycle, Any]) -> None:
    cy, secretariat = kept
    eur = Currency.objects.get(pk="EUR")
    domain.set_exchange_rate(
        actor=secretariat, cycle=cy, currency=eur, rate=D("0.92"), effective_on=dt.date(2026, 11, 1)
    )
    rate = domain.set_exchange_rate(
        actor=secretariat,
        cycle=cy,
        currency=eur,
        rate=D("0.921"),
        effective_on=dt.date(2026, 12, 1),
        source=" UN operational rates of exchange ",
    )
    assert list(
        ExchangeRate.objects.values_list(
            "cycle", "currency", "reporting_currency", "rate", "effective_on", "source"
        )
    ) == [
        (cy.pk, "EUR", "USD", D("0.921"), dt.date(2026, 12, 1), "UN operational rates of exchange")
    ]
    entry = AuditEntry.objects.filter(action="exchange_rate.set").latest("pk")
    assert entry.data == {
        "currency": "EUR",
        "rate": "0.921",
        "reporting_currency": "USD",
        "effective_on": "2026-12-01",
        "source": "UN operational rates of exchange",
        "before": {
            "rate": "0.92000000",
            "reporting_currency": "USD",
            "effective_on": "2026-11-01",
            "source": "",
        },
    }
    domain.delete_exchange_rate(actor=secretariat, rate=rate)
    assert ExchangeRate.objects.count() == 0
    assert AuditEntry.objects.filter(action="exchange_rate.deleted").count() == 1


@pytest.mark.parametrize("who", ["reviewer", "maker", "other_secretariat"])
def test_only_the_secretariat_keeps_rates(kept: tuple[ReportingCycle, Any], who: str) -> None:
    cy, secretariat = kept
    eur = Currency.objects.get(pk="EUR")
    existing = domain.set_exchange_rate(
        actor=secretariat, cycle=cy, currency=eur, rate=D("0.92"), effective_on=dt.date(2026, 12, 1)
    )
    actor = {
        "reviewer": factories.staff(cy.programme, ProgrammeRole.Role.REVIEWER),
        "maker": factories.UserFactory(),
        "other_secretariat": factories.staff(factories.ProgrammeFactory()),
    }[who]
    audit_before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        domain.set_exchange_rate(
            actor=actor, cycle=cy, currency=eur, rate=D("5"), effective_on=dt.date(2026, 12, 2)
        )
    with pytest.raises(PermissionDenied):
        domain.import_exchange_rates(actor=actor, cycle=cy, data=UN_FILE.encode())
    with pytest.raises(PermissionDenied):
        domain.delete_exchange_rate(actor=actor, rate=existing)
    assert list(ExchangeRate.objects.values_list("currency", "rate")) == [("EUR", D("0.92"))]
    assert AuditEntry.objects.count() == audit_before


def test_rates_need_a_reporting_currency_and_a_sound_rate(programme: Any) -> None:
    secretariat = factories.staff(programme)
    cy = cycle(programme, status=ReportingCycle.Status.OPEN)
    eur = Currency.objects.get(pk="EUR")
    with pytest.raises(ValidationError) as err:
        domain.set_exchange_rate(
            actor=secretariat, cycle=cy, currency=eur, rate=D(1), effective_on=dt.date(2026, 1, 1)
        )
    assert err.value.messages == [
        "The programme has no reporting currency: choose one in its settings before keeping "
        "exchange rates."
    ]
    programme.reporting_currency = Currency.objects.get(pk="EUR")
    programme.save()
    with pytest.raises(ValidationError) as err:
        domain.set_exchange_rate(
            actor=secretariat, cycle=cy, currency=eur, rate=D(0), effective_on=dt.date(2026, 1, 1)
        )
    assert err.value.message_dict == {
        "currency": ["EUR is the reporting currency: its rate is always 1."],
        "rate": ["A rate must be more than zero."],
    }
    assert ExchangeRate.objects.count() == 0


def test_an_import_keeps_every_row_understood_and_returns_the_others(
    kept: tuple[ReportingCycle, Any],
) -> None:
    cy, secretariat = kept
    domain.set_exchange_rate(
        actor=secretariat,
        cycle=cy,
        currency=Currency.objects.get(pk="KES"),
        rate=D("100"),
        effective_on=dt.date(2026, 1, 1),
    )
    result = domain.import_exchange_rates(
        actor=secretariat, cycle=cy, data=UN_FILE.encode(), source="UN ORE"
    )
    assert [r.currency for r in result.saved] == ["KES", "NOK", "EUR"]
    assert [p.line for p in result.problems] == [6, 7, 8, 9]
    assert sorted(ExchangeRate.objects.values_list("currency", "rate", "source")) == [
        ("EUR", D("0.921"), "UN ORE"),
        ("KES", D("129.5"), "UN ORE"),  # replaced
        ("NOK", D("10950.5"), "UN ORE"),
    ]
    entry = AuditEntry.objects.get(action="exchange_rates.imported")
    assert entry.data == {
        "reporting_currency": "USD",
        "rates": {"KES": "129.50", "NOK": "10950.5", "EUR": "0.921"},
        "refused_lines": [6, 7, 8, 9],
    }


def test_the_un_treasury_column_names_and_date_styles_are_recognised() -> None:
    text = (
        "Country/Area Name;Currency Name;ISO Currency Code;Rates;Effective Date\n"
        "Kenya;Kenyan Shilling;kes;129.5;1-Dec-26\n"
        "Norway;Norwegian Krone;NOK;10.62;01 December 2026\n"
    )
    parsed = exchange.parse_csv(text.encode("cp1252"), known=KNOWN, reporting_currency="USD")
    assert parsed.problems == []
    assert [(r.currency, r.rate, r.effective_on) for r in parsed.rows] == [
        ("KES", D("129.5"), dt.date(2026, 12, 1)),
        ("NOK", D("10.62"), dt.date(2026, 12, 1)),
    ]
