"""Money in one reporting currency: the exchange rates a secretariat keeps per reporting cycle,
how totals are converted with them, and the CSV file they can be imported from.

**Rates.**  A programme may choose a reporting currency (``Programme.reporting_currency``).
For each cycle the secretariat keeps one :class:`~pledgebook.reporting.models.ExchangeRate`
per currency, in the layout of the UN operational rates of exchange: units of the currency
for one unit of the reporting currency (KES 129.50 per USD), with its effective date and its
source.  An amount converts as ``amount / rate``; the reporting currency itself at exactly 1.

**Conversion.**  Totals stay exact fractions until they are shown: the converted total of a
group is Σ amountᵢ / rateᵢ over the currencies that have a rate, so the converted totals of the
parts of a programme add up to the converted total of the programme, exactly.  A currency with
no rate is never dropped and never converted at 1: it is listed as *not converted*, with its
own total.

**Import.**  :func:`parse_csv` reads a CSV with a header row naming a currency code column, a
rate column and an effective date column (the UN file's ``Currency code``/``ISO code``,
``Rate``, ``Effective date`` are recognised, and so are a few other spellings), and returns the
rows it understood and, for every other row, its line number and why.  Saving them is
:func:`pledgebook.reporting.domain.import_exchange_rates`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pledgebook.reporting.models import ExchangeRate, ReportingCycle

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 2000
#: Digits of ``ExchangeRate.rate``: 12 before the decimal point, 8 after.
MAX_RATE = Decimal("999999999999.99999999")


# Rates and conversion ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """One currency's rate: ``rate`` units of ``currency`` for one unit of the reporting
    currency."""

    currency: str
    rate: Decimal
    effective_on: dt.date
    source: str


@dataclass(frozen=True)
class Conversion:
    """A sum of money of several currencies in the reporting currency: ``total`` of the
    currencies with a rate, and ``unconverted`` (currency → amount) of those without."""

    total: Fraction
    unconverted: dict[str, Fraction]


@dataclass(frozen=True)
class Rates:
    """The rates of a cycle to its programme's reporting currency (``currency`` is "" when the
    programme has none: nothing is converted)."""

    currency: str
    by_currency: dict[str, Rate] = field(default_factory=dict)

    @classmethod
    def of(cls, cycle: ReportingCycle) -> Rates:
        """The rates of ``cycle`` (one query), kept for the programme's current reporting
        currency only."""
        code = cycle.programme.reporting_currency_id or ""
        if not code:
            return cls("")
        rows = ExchangeRate.objects.filter(cycle=cycle, reporting_currency_id=code).values_list(
            "currency_id", "rate", "effective_on", "source"
        )
        return cls(code, {c: Rate(c, r, d, s) for c, r, d, s in rows.order_by("currency_id")})

    def factor(self, currency: str) -> Fraction | None:
        """What one unit of ``currency`` is worth in the reporting currency, or None."""
        if not self.currency:
            return None
        if currency == self.currency:
            return Fraction(1)
        rate = self.by_currency.get(currency)
        return None if rate is None else 1 / Fraction(rate.rate)

    def convert(self, amounts: Mapping[str, Fraction | Decimal]) -> Conversion:
        total = Fraction(0)
        unconverted: dict[str, Fraction] = {}
        for currency, amount in amounts.items():
            factor = self.factor(currency)
            if factor is None:
                unconverted[currency] = Fraction(amount)
            else:
                total += Fraction(amount) * factor
        return Conversion(total, unconverted)

    def used(self, currencies: set[str]) -> list[Rate]:
        """The rates of ``currencies`` (those other than the reporting currency that have
        one), by currency."""
        return [self.by_currency[c] for c in sorted(currencies) if c in self.by_currency]


# CSV import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRate:
    line: int
    currency: str
    rate: Decimal
    effective_on: dt.date
    source: str


@dataclass(frozen=True)
class RowProblem:
    line: int
    text: str  # the row as it was in the file
    message: str


@dataclass
class ParsedFile:
    rows: list[ParsedRate] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


# Header names, normalised (lower case, single spaces), in order of preference.
CURRENCY_HEADERS = (
    "currency code",
    "iso code",
    "iso currency code",
    "iso 4217",
    "code",
    "curr code",
    "currency",
)
RATE_HEADERS = (
    "rate",
    "rate per usd",
    "rate per 1 usd",
    "operational rate",
    "un operational rate",
    "exchange rate",
    "rates",
)
DATE_HEADERS = ("effective date", "effective from", "effective", "date")
SOURCE_HEADERS = ("source",)

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for m in names
}
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)$")


def _norm(header: str) -> str:
    return " ".join(re.sub(r"[_\-/().:]+", " ", header).lower().split())


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    normalised = [_norm(h) for h in headers]
    for name in names:
        if name in normalised:
            return normalised.index(name)
    return None


def parse_rate(text: str) -> Decimal:
    """A positive rate: ``129.5``, ``1,234.5678`` (commas grouping thousands).  A lone
    decimal comma (``0,92``) is refused: it cannot be told from a thousands separator."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if _GROUPED.match(value):
        value = value.replace(",", "")
    if not _PLAIN.match(value):
        raise ValueError(
            _("“%(value)s” is not a rate: write digits with a decimal point, e.g. 129.5.")
            % {"value": text.strip()}
        )
    try:
        rate = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits decimals only
        raise ValueError(_("“%(value)s” is not a rate.") % {"value": text.strip()}) from exc
    if rate <= 0:
        raise ValueError(_("A rate must be more than zero."))
    if rate > MAX_RATE or rate != rate.quantize(Decimal("1e-8")):
        raise ValueError(_("A rate has at most 12 digits before the decimal point and 8 after it."))
    return rate


def parse_date(text: str) -> dt.date:
    """``2026-12-01``, ``01.12.2026``, ``1 Dec 2026``, ``01-DEC-2026`` or ``01-DEC-26``."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})[ \-]([A-Za-z]+)\.?[ \-](\d{4}|\d{2})", value):
            month = _MONTHS.get(m[2].lower())
            if month is not None:
                year = int(m[3]) if len(m[3]) == 4 else 2000 + int(m[3])
                return dt.date(year, month, int(m[1]))
    except ValueError:
        pass
    raise ValueError(
        _("“%(value)s” is not a date: write it as 2026-12-01, 01.12.2026 or 1 Dec 2026.")
        % {"value": value}
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not text: save it as CSV (UTF-8)."))


def parse_rate_or_none(text: str) -> Decimal | None:
    try:
        return parse_rate(text)
    except ValueError:
        return None


def parse_csv(
    data: bytes, *, known: set[str], reporting_currency: str, default_source: str = ""
) -> ParsedFile:
    """The rates of a CSV file, and the problems of its other rows.  ``known`` are the
    currency codes the platform knows; a row of the reporting currency at 1 is left out.
    Raises :class:`ValidationError` when the file as a whole cannot be read (not text, no
    header naming the three columns, too large)."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 1 MB."))
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    headers: list[str] | None = None
    result = ParsedFile()
    columns: tuple[int, int, int, int | None] | None = None
    by_code: dict[str, list[ParsedRate]] = {}
    texts: dict[int, str] = {}
    for row in reader:
        line = reader.line_num  # the file's line where the row ends
        if not any(cell.strip() for cell in row):
            continue
        if headers is None:
            headers = row
            currency_col = _column(row, CURRENCY_HEADERS)
            rate_col = _column(row, RATE_HEADERS)
            date_col = _column(row, DATE_HEADERS)
            missing = [
                name
                for name, col in (
                    (_("currency code"), currency_col),
                    (_("rate"), rate_col),
                    (_("effective date"), date_col),
                )
                if col is None
            ]
            if missing:
                raise ValidationError(
                    _(
                        "The first row must name the columns; %(missing)s not found. Expected "
                        "a header such as: Currency code, Rate, Effective date."
                    )
                    % {"missing": ", ".join(missing)}
                )
            assert currency_col is not None and rate_col is not None and date_col is not None
            columns = (currency_col, rate_col, date_col, _column(row, SOURCE_HEADERS))
            continue
        if len(texts) >= MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(n)s rows: split it.") % {"n": MAX_ROWS}
            )
        assert columns is not None
        currency_col, rate_col, date_col, source_col = columns

        def cell(col: int | None, row: list[str] = row) -> str:
            return row[col].strip() if col is not None and col < len(row) else ""

        raw = texts[line] = ", ".join(c.strip() for c in row)
        errors: list[str] = []
        code = cell(currency_col).upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            errors.append(
                _("“%(value)s” is not a three-letter currency code.") % {"value": code}
                if code
                else _("The currency code is missing.")
            )
        elif code not in known:
            errors.append(_("%(code)s is not a currency the platform knows.") % {"code": code})
        elif code == reporting_currency:
            if parse_rate_or_none(cell(rate_col)) == 1:
                continue  # the reporting currency itself, at 1: nothing to keep
            errors.append(
                _("%(code)s is the reporting currency: its rate is always 1.") % {"code": code}
            )
        rate = effective = None
        try:
            rate = parse_rate(cell(rate_col))
        except ValueError as exc:
            errors.append(str(exc))
        try:
            effective = parse_date(cell(date_col))
        except ValueError as exc:
            errors.append(str(exc))
        source = (cell(source_col) or default_source)[:200]
        if errors:
            result.problems.append(RowProblem(line, raw, " ".join(errors)))
            continue
        assert rate is not None and effective is not None
        by_code.setdefault(code, []).append(ParsedRate(line, code, rate, effective, source))
    if headers is None:
        raise ValidationError(_("The file is empty."))
    for code, rows in by_code.items():
        # The newest effective date supersedes the older ones (as in the UN file); two
        # different rates for that date are refused, both.
        newest = max(r.effective_on for r in rows)
        latest = [r for r in rows if r.effective_on == newest]
        if len({r.rate for r in latest}) == 1:
            result.rows.append(latest[0])
            continue
        lines = ", ".join(str(r.line) for r in latest)
        for r in latest:
            result.problems.append(
                RowProblem(
                    r.line,
                    texts[r.line],
                    _(
                        "%(code)s has different rates for the same date on lines %(lines)s: "
                        "keep one."
                    )
                    % {"code": code, "lines": lines},
                )
            )
    result.rows.sort(key=lambda r: r.line)
    result.problems.sort(key=lambda p: p.line)
    return result
