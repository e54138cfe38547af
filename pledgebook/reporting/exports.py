"""Open data of a reporting cycle, registered once in :mod:`pledgebook.core.exports` (so they
are served by ``/api/v1/exports/<identifier>/?cycle=<id>`` and linked from the report page).

* ``progress-reports-csv``: one row per commitment expected to report with a submitted report
  in the cycle, from its latest submitted version, by commitment id.
* ``progress-reports-xlsx``: the same rows (sheet "Reports"), the totals by theme, stakeholder
  category and region (whole counts; money in shares, by pledged currency and, when the
  programme has a reporting currency, converted at the cycle's rates with the currencies not
  converted named), every commitment without a report (sheet "Non-reporters") and the
  exchange rates used (sheet "Exchange rates").

Only cycles that are open or closed, of a published programme, are exported: this is public
open data.  Money is in the pledged currency; a disbursement in another currency is converted
with the rate the maker reported and rounded half-even to the cent.  Indicator values are
written as stored, without trailing zeros.

Both stream: CSV rows are generated chunk by chunk; the workbook is written in openpyxl's
write-only mode to a temporary file (entry dates fixed, so the same data gives the same
bytes) and handed back in chunks.

Imported at startup by :meth:`pledgebook.reporting.apps.ReportingConfig.ready`.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments.exports import _cell, _Echo
from pledgebook.commitments.models import Commitment
from pledgebook.core.exports import BaseExporter, register
from pledgebook.reporting import annual
from pledgebook.reporting.documents import fixed_moment, normalize_zip
from pledgebook.reporting.models import Indicator, IndicatorValue, ProgressReport, ReportingCycle
from pledgebook.reporting.money import disbursed, to_cent
from pledgebook.reporting.queries import latest_in
from pledgebook.reporting.values import AnnualReportData

CHUNK_SIZE = 2000
FILE_CHUNK = 1 << 16
PUBLIC_CYCLE_STATUSES = (ReportingCycle.Status.OPEN, ReportingCycle.Status.CLOSED)


def public_cycle(params: Any) -> ReportingCycle:
    """The cycle named by ``?cycle=<id>``: open or closed, of a published programme.  Raises
    :class:`ValidationError` (by parameter name) otherwise."""
    raw = (params.get("cycle") or "").strip()
    if not raw:
        raise ValidationError({"cycle": [_("Give the id of a reporting cycle: ?cycle=<id>.")]})
    if not raw.isdigit():
        raise ValidationError({"cycle": [_("A cycle id is a whole number.")]})
    cycle = (
        ReportingCycle.objects.select_related("programme")
        .filter(
            pk=int(raw),
            status__in=PUBLIC_CYCLE_STATUSES,
            programme__is_published=True,
        )
        .first()
    )
    if cycle is None:
        raise ValidationError(
            {
                "cycle": [
                    _("No open or closed reporting cycle of a published programme has this id.")
                ]
            }
        )
    return cycle


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without trailing zeros (12.5000 → 12.5)."""
    if value is None:
        return None
    return value.normalize()


def _text(value: Any) -> str:
    """A CSV field: text protected against formulas, decimals never in exponent notation."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _cell(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class Row(NamedTuple):
    """A report row as read from the database (:data:`FIELDS`)."""

    pk: int
    commitment_id: int
    title: str
    organisation: str
    category: str
    country: str
    region: str
    status: str
    amount: Decimal | None
    currency: str | None
    disbursed_amount: Decimal | None
    exchange_rate: Decimal | None
    submitted_at: dt.datetime | None
    version: int


FIELDS = (
    "pk",
    "commitment_id",
    "commitment__title",
    "commitment__organisation__name",
    "commitment__organisation__category",
    "commitment__organisation__country_id",
    "commitment__organisation__country__region_id",
    "implementation_status",
    "commitment__amount",
    "commitment__currency_id",
    "disbursed_amount",
    "exchange_rate",
    "submitted_at",
    "version",
)


def _iso(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class ProgressReportsCSVExporter(BaseExporter):
    identifier = "progress-reports-csv"
    verbose_name = _("Progress reports of a cycle (CSV)")
    subject = "progress-reports"
    public = True  # public_cycle() only: open or closed cycles of a published programme

    FIRST = (
        "commitment_id",
        "title",
        "programme",
        "lead_organisation",
        "category",
        "country",
        "region",
        "themes",
        "status",
    )
    LAST = (
        "pledged_amount",
        "pledged_currency",
        "disbursed_in_pledged_currency",
        "submitted_at",
        "version",
    )

    def __init__(self, cycle: ReportingCycle | None = None, **kwargs: Any) -> None:
        self.cycle = cycle
        self._indicators: list[tuple[int, str]] | None = None

    def queryset(self, params: Any) -> QuerySet[ProgressReport, tuple[Any, ...]]:
        """Raises :class:`ValidationError` unless ``?cycle=`` names a public cycle."""
        self.cycle = public_cycle(params)
        return self.rows(self.cycle)

    def rows(self, cycle: ReportingCycle) -> QuerySet[ProgressReport, tuple[Any, ...]]:
        """Plain values, by commitment: no model instances (see :meth:`iterate`)."""
        self.cycle = cycle
        return latest_in(cycle).order_by("commitment_id").values_list(*FIELDS)

    def indicators(self) -> list[tuple[int, str]]:
        """(id, code) of the programme's indicators: one column each."""
        if self._indicators is None:
            assert self.cycle is not None
            self._indicators = list(
                Indicator.objects.filter(programme_id=self.cycle.programme_id)
                .order_by("position", "code")
                .values_list("pk", "code")
            )
        return self._indicators

    def header(self) -> list[str]:
        return [*self.FIRST, *(f"indicator:{code}" for _pk, code in self.indicators()), *self.LAST]

    def values(
        self, row: Row, themes: list[str], values: dict[tuple[int, int], Decimal | None]
    ) -> list[Any]:
        """A row as typed values (text, Decimal, int); the CSV writes them as text."""
        assert self.cycle is not None
        return [
            row.commitment_id,
            row.title,
            self.cycle.programme.slug,
            row.organisation,
            row.category,
            row.country,
            row.region,
            ";".join(themes),
            row.status,
            *(_plain(values.get((row.pk, pk))) for pk, _code in self.indicators()),
            row.amount,
            row.currency or "",
            to_cent(disbursed(row.disbursed_amount, row.exchange_rate)),
            _iso(row.submitted_at),
            row.version,
        ]

    def iterate(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[list[Any]]:
        """The typed values of each row, streamed chunk by chunk; the themes and indicator
        values of a chunk come in one query each."""
        source = rows.iterator(chunk_size=CHUNK_SIZE) if isinstance(rows, QuerySet) else iter(rows)
        while chunk := [Row(*r) for r in islice(source, CHUNK_SIZE)]:
            themes: dict[int, list[str]] = defaultdict(list)
            for commitment_id, slug in (
                Commitment.themes.through.objects.filter(
                    commitment_id__in=[r.commitment_id for r in chunk]
                )
                .order_by("commitment_id", "theme__position", "theme__name", "theme_id")
                .values_list("commitment_id", "theme__slug")
            ):
                themes[commitment_id].append(slug)
            values = {
                (report_id, indicator_id): value
                for report_id, indicator_id, value in IndicatorValue.objects.filter(
                    report_id__in=[r.pk for r in chunk]
                ).values_list("report_id", "indicator_id", "value")
            }
            for row in chunk:
                yield self.values(row, themes[row.commitment_id], values)

    def render(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes | str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(self.header())
        for values in self.iterate(rows):
            yield writer.writerow([_text(v) for v in values])

    def csv_writer(self, handle: IO[str]) -> Any:
        """A ``csv.writer`` on ``handle`` (opened with ``newline=""``) that has written the
        header: :meth:`render`'s lines, row by row (``writerow([_text(v) for v in values])``)."""
        writer = csv.writer(handle)
        writer.writerow(self.header())
        return writer


class SheetRows:
    """The data rows of a large write-only sheet as the XML openpyxl writes for them
    (``openpyxl.cell._writer``: inline strings, ``%.16g`` numbers, non-ASCII as character
    references, the error codes typed as errors, an empty string as an empty text cell;
    ``tests/reporting/test_annual_sheetrows.py`` compares the bytes), several times faster
    than appending them to the sheet.  The rows go to a temporary file, spliced into the
    sheet's part of the saved workbook by :func:`normalize_zip` (``insert``); the sheet itself
    gets only its header.  Values are text, whole numbers, Decimals or None (an empty cell);
    text is never a formula (as the exporter's text cells)."""

    def __init__(self, sheet: Any, handle: IO[bytes], first_row: int = 2) -> None:
        from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
        from openpyxl.compat import safe_string
        from openpyxl.utils import get_column_letter

        self.number = safe_string
        self.errors = frozenset(ERROR_CODES)
        self.illegal = ILLEGAL_CHARACTERS_RE
        self.sheet = sheet
        self.handle = handle
        self.row = first_row
        self.letters = [get_column_letter(i) for i in range(1, 257)]
        self.buffer: list[str] = []
        self.texts: dict[str, str] = {}

    def append(self, values: Iterable[Any]) -> None:
        r = self.row
        texts = self.texts
        cells = [f'<row r="{r}">']
        for letter, value in zip(self.letters, values, strict=False):
            if value is None:
                continue
            if isinstance(value, str):
                # the cell after its reference, kept for repeated values (names, codes)
                rest = texts.get(value)
                if rest is None:
                    rest = self.text(value)
                    if len(value) <= 200 and len(texts) < 100_000:
                        texts[value] = rest
                cells.append(f'<c r="{letter}{r}{rest}')
            elif isinstance(value, int | Decimal | float) and not isinstance(value, bool):
                cells.append(f'<c r="{letter}{r}" t="n"><v>{self.number(value)}</v></c>')
            else:
                raise TypeError(f"{type(value).__name__} is not written by SheetRows")
        cells.append("</row>")
        self.buffer.append("".join(cells))
        self.row += 1
        if len(self.buffer) >= 1000:
            self.flush()

    def text(self, value: str) -> str:
        """A text cell as openpyxl writes it, after its reference (``<c r="A1``)."""
        value = value[:32767]  # openpyxl cuts longer text
        if self.illegal.search(value):
            from openpyxl.utils.exceptions import IllegalCharacterError

            raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
        if value in self.errors:
            return f'" t="e"><v>{value}</v></c>'
        if not value:
            return '" t="inlineStr"></c>'
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        escaped = escaped.replace("\r", "&#13;")
        if not escaped.isascii():
            escaped = escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'" t="inlineStr"><is><t{space}>{escaped}</t></is></c>'

    def flush(self) -> None:
        if self.buffer:
            self.handle.write("".join(self.buffer).encode("ascii"))
            self.buffer = []

    @property
    def part(self) -> str:
        """The sheet's entry in the saved workbook."""
        return str(self.sheet.path).lstrip("/")

    def done(self) -> IO[bytes]:
        """The rows written, from their start."""
        self.flush()
        self.handle.seek(0)
        return self.handle


class ProgressReportsXLSXExporter(ProgressReportsCSVExporter):
    identifier = "progress-reports-xlsx"
    verbose_name = _("Progress reports, totals and non-reporters of a cycle (XLSX)")
    subject = "progress-reports"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def __init__(
        self,
        cycle: ReportingCycle | None = None,
        data: AnnualReportData | None = None,
        csv_to: IO[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``csv_to``: a text file (``newline=""``) that receives the CSV export of the same
        rows, written in the same pass (the annual report's files: one read of the rows)."""
        super().__init__(cycle)
        self.data = data
        self.csv_to = csv_to

    def render(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
        # The rows of the two long sheets (reports, non-reporters) go to temporary files
        # (SheetRows), spliced into the workbook when it is saved.
        with tempfile.TemporaryFile() as reports, tempfile.TemporaryFile() as silent:
            yield from self._render(rows, reports, silent)

    def _render(
        self, rows: Iterable[tuple[Any, ...]], report_file: IO[bytes], silent_file: IO[bytes]
    ) -> Iterator[bytes]:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.xml.functions import tostring

        assert self.cycle is not None
        data = self.data or annual.build(self.cycle)
        moment = fixed_moment(data)
        workbook = Workbook(write_only=True)
        bold = Font(bold=True)

        def text(sheet: Any, value: str, header: bool = False) -> Any:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # never a formula, whatever the text begins with
            if header:
                cell.font = bold
            return cell

        def row(sheet: Any, values: Iterable[Any]) -> list[Any]:
            # openpyxl reads a text beginning with "=" as a formula: only those need a cell
            # typed as text (a cell per value would double the time of a large sheet).
            return [
                text(sheet, v) if isinstance(v, str) and v.startswith("=") else v for v in values
            ]

        reports = workbook.create_sheet(str(_("Reports")))
        reports.freeze_panes = "A2"
        reports.append([text(reports, h, True) for h in self.header()])
        report_rows = SheetRows(reports, report_file)
        if self.csv_to is None:
            for values in self.iterate(rows):
                report_rows.append(values)
        else:
            lines = self.csv_writer(self.csv_to)
            for values in self.iterate(rows):
                report_rows.append(values)
                lines.writerow([_text(v) for v in values])

        currencies = [m.currency for m in data.money]
        for sheet_title, first, groups, rates in (
            (_("Totals by theme"), "theme", data.by_theme, data.rates_by_theme),
            (_("Totals by category"), "category", data.by_category, data.rates_by_category),
            (_("Totals by region"), "region", data.by_region, data.rates_by_region),
        ):
            sheet = workbook.create_sheet(str(sheet_title))
            sheet.freeze_panes = "B2"
            header = [
                first,
                "key",
                "expected_to_report",
                "reported",
                "response_rate_percent",
                *(f"status:{s.status}" for s in data.totals.statuses),
                "progress_index_percent",
                *(f"{kind}:{code}" for code in currencies for kind in ("pledged", "disbursed")),
                *(
                    (
                        f"pledged_in:{data.reporting_currency}",
                        f"disbursed_in:{data.reporting_currency}",
                        "not_converted",
                    )
                    if data.reporting_currency
                    else ()
                ),
            ]
            sheet.append([text(sheet, h, True) for h in header])
            by_key = {r.key: r for r in rates}
            for g in groups:
                rate = by_key.get(g.key)
                money = {m.currency: m for m in g.money}
                sheet.append(
                    row(
                        sheet,
                        [
                            g.label,
                            g.key,
                            rate.expected if rate else 0,
                            rate.reported if rate else 0,
                            rate.percent if rate else 0.0,
                            *(s.count for s in g.statuses),
                            g.progress,
                            *(
                                getattr(money[code], kind) if code in money else Decimal("0.00")
                                for code in currencies
                                for kind in ("pledged", "disbursed")
                            ),
                            *(
                                (
                                    g.converted.pledged,
                                    g.converted.disbursed,
                                    ";".join(m.currency for m in g.converted.unconverted),
                                )
                                if g.converted
                                else ()
                            ),
                        ],
                    )
                )

        if data.reporting_currency:
            rates = workbook.create_sheet(str(_("Exchange rates")))
            rates.append(
                [
                    text(rates, h, True)
                    for h in (
                        "currency",
                        f"units_per_{data.reporting_currency}",
                        "effective_date",
                        "source",
                    )
                ]
            )
            for r in data.exchange_rates:
                rates.append(row(rates, [r.currency, r.rate, r.effective_on, r.source]))

        silent = workbook.create_sheet(str(_("Non-reporters")))
        silent.freeze_panes = "A2"
        silent.append(
            [
                text(silent, h, True)
                for h in ("organisation", "category", "country", "commitment_id", "title")
            ]
        )
        silent_rows = SheetRows(silent, silent_file)
        for maker in data.non_reporters:
            for pk, title in maker.commitments:
                silent_rows.append([maker.organisation, maker.category, maker.country, pk, title])

        workbook.properties.creator = "Pledgebook"
        workbook.properties.title = str(
            _("Progress reports of %(cycle)s") % {"cycle": data.facts.cycle_name}
        )
        workbook.properties.created = moment.replace(tzinfo=None)
        with tempfile.TemporaryFile() as raw, tempfile.TemporaryFile() as fixed:
            workbook.save(raw)
            raw.seek(0)
            # openpyxl stamps docProps/core.xml "modified" with the current time: write it
            # again with the data's moment, and fix the dates of the ZIP entries.
            workbook.properties.modified = moment.replace(tzinfo=None)
            core = tostring(workbook.properties.to_tree())
            normalize_zip(
                raw,
                fixed,
                moment,
                replace={"docProps/core.xml": core},
                insert={r.part: (b"</sheetData>", r.done()) for r in (report_rows, silent_rows)},
            )
            fixed.seek(0)
            while chunk := fixed.read(FILE_CHUNK):
                yield chunk


register(ProgressReportsCSVExporter)
register(ProgressReportsXLSXExporter)
