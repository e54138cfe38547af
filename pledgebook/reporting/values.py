"""The annual report's value types: the plain, ordered, deterministic structure that
:func:`pledgebook.reporting.annual.build` returns (dataclasses, tuples, ``str``, ``int``,
``Decimal``; no model instances) and every format renders (the console's web page, the PDF, the
Word document, the XLSX workbook)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


def _percent(part: Decimal, whole: Decimal) -> float | None:
    return round(float(100 * part / whole), 1) if whole else None


@dataclass(frozen=True)
class Money:
    """Money of one currency: pledged, and disbursed so far (converted to the pledged currency
    with the maker's rate); and both in the reporting currency, or None (no rate)."""

    currency: str
    pledged: Decimal
    disbursed: Decimal
    pledged_converted: Decimal | None = None
    disbursed_converted: Decimal | None = None

    @property
    def percent(self) -> float | None:
        """Disbursed as a share of pledged, in percent (1 decimal)."""
        return _percent(self.disbursed, self.pledged)


@dataclass(frozen=True)
class Converted:
    """The money of a group in the reporting currency ``currency``: the total of the
    currencies with a rate, and the currencies without one (not converted), each with its
    own total."""

    currency: str
    pledged: Decimal
    disbursed: Decimal
    unconverted: tuple[Money, ...]

    @property
    def percent(self) -> float | None:
        return _percent(self.disbursed, self.pledged)


@dataclass(frozen=True)
class RateUsed:
    """An exchange rate of the cycle used by the report: ``rate`` units of ``currency`` for
    one unit of the reporting currency."""

    currency: str
    rate: Decimal
    effective_on: dt.date
    source: str


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Group:
    """The roll-up of one theme, type, stakeholder category or region: whole counts, money
    in shares."""

    key: str
    label: str
    commitments: int
    reported: int
    statuses: tuple[StatusCount, ...]
    progress: float | None
    money: tuple[Money, ...]
    converted: Converted | None  # None: the programme has no reporting currency


@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    expected: int
    reported: int
    percent: float


class NonReporter(NamedTuple):
    """A lead maker with commitments without a report: plain values only."""

    organisation: str
    category: str
    country: str
    commitments: tuple[tuple[int, str], ...]  # (id, title), by id


@dataclass(frozen=True)
class Highlight:
    key: str
    label: str
    completed: int
    expected: int


@dataclass(frozen=True)
class Facts:
    programme_slug: str
    programme_name: str
    programme_kind: str
    cycle_id: int
    cycle_name: str
    cycle_kind: str
    cycle_status: str
    cycle_status_label: str
    opens_on: dt.date
    deadline: dt.date
    closes_on: dt.date
    data_as_of: dt.datetime  # the cut-off: every report included was submitted up to it


@dataclass(frozen=True)
class Totals:
    expected: int
    reported: int
    percent: float
    progress: float | None
    statuses: tuple[StatusCount, ...]
    makers: int  # lead organisations expected to report
    silent_makers: int  # of which with at least one commitment without a report
    silent_commitments: int


@dataclass(frozen=True)
class CountryCount:
    """The commitments expected to report that name a country (whole counts: a commitment
    counts in each country it names)."""

    iso2: str
    m49: str
    name: str
    commitments: int
    reported: int


@dataclass(frozen=True)
class AnnualReportData:
    facts: Facts
    totals: Totals
    money: tuple[Money, ...]  # the programme's, by currency, largest pledge first
    converted: Converted | None  # the programme's in the reporting currency (None: none)
    reporting_currency: str  # "" when the programme has none
    exchange_rates: tuple[RateUsed, ...]  # the rates used, by currency
    by_theme: tuple[Group, ...]
    by_type: tuple[Group, ...]
    by_category: tuple[Group, ...]
    by_region: tuple[Group, ...]
    rates_by_theme: tuple[RateRow, ...]
    rates_by_category: tuple[RateRow, ...]
    rates_by_region: tuple[RateRow, ...]
    highlights: tuple[Highlight, ...]
    completed: int
    non_reporters: tuple[NonReporter, ...]
    indicators: tuple[tuple[str, str, str], ...]  # (code, name, unit) of the framework
    reports_fingerprint: str  # changes whenever a row of the open data changes
    by_country: tuple[CountryCount, ...] = ()  # the map, by country name
