"""The annual report as a document: its sections (headings, sentences, tables, charts) and
their renderings as the console's web page, a PDF (WeasyPrint) and a Word document
(python-docx).

:func:`sections` turns the report's data into display text once; the web page, the PDF and the
Word document all render those same sections, so they hold the same words and numbers.

Both files are deterministic, so the same data gives byte-identical files:

* PDF: the creation date written is the moment the data is as of
  (``<meta name="dcterms.created">``), never the moment of rendering; WeasyPrint writes no
  file identifier unless asked (``pdf_identifier=None``), and its font subsets are
  deterministic.  The PDF is tagged, for screen readers.
* Word: the core properties (created, modified, revision, author) are fixed from the data,
  and the ZIP container is rewritten with a fixed date for every entry (python-docx stamps
  each entry with the current time).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledgebook.reporting.values import AnnualReportData, Converted, Group, Money, RateRow

if TYPE_CHECKING:  # matplotlib, WeasyPrint and python-docx load only when a file is made
    from pledgebook.reporting.charts import Chart

#: Documents list the first makers without a report; the open data (CSV, XLSX) has them all.
#: 50: a reader's sample, where 200 was more than half of the PDF's layout time (7 of 11 s).
NON_REPORTERS_IN_DOCUMENTS = 50
COMMITMENTS_PER_MAKER = 5


# Display text ------------------------------------------------------------------------------


def num(value: Decimal | int) -> str:
    """A count or share: whole numbers without decimals, shares with two."""
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, places, force_grouping=True)


def amount(value: Decimal) -> str:
    return number_format(value, 2, force_grouping=True)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value, 1)}%"


def day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def instant(value: dt.datetime) -> str:
    """A moment to the minute, in the site's time zone, naming it: 30 April 2026, 00:00 UTC."""
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y, H:i')} {local.tzname()}"


def moneys(money: tuple[Money, ...], attr: str) -> str:
    """One line per currency."""
    return "\n".join(f"{m.currency} {amount(getattr(m, attr))}" for m in money) or "—"


def converted_cell(converted: Converted, attr: str) -> str:
    """A group's money in the reporting currency and, on lines of their own, the currencies
    that have no rate (not converted), each with its own total."""
    lines = [amount(getattr(converted, attr))]
    if converted.unconverted:
        lines.append(_("not converted:"))
        lines += [f"{m.currency} {amount(getattr(m, attr))}" for m in converted.unconverted]
    return "\n".join(lines)


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # columns aligned to the end

    @property
    def short(self) -> bool:
        """Kept on one page (with its caption) in the PDF."""
        return len(self.rows) <= 15

    @property
    def head(self) -> list[tuple[str, bool]]:
        return list(zip(self.headers, self.numeric, strict=True))

    @property
    def body(self) -> list[list[tuple[str, bool]]]:
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    chart: str | None = None  # key of the chart (its first table holds the chart's figures)
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    wide: bool = False  # its tables need a landscape page in the PDF


def _rates_table(key: str, caption: str, first: str, rows: tuple[RateRow, ...]) -> Table:
    return Table(
        key,
        caption,
        (first, _("Expected to report"), _("Reported"), _("Response rate")),
        tuple((r.label, num(r.expected), num(r.reported), pct(r.percent)) for r in rows),
        (False, True, True, True),
    )


def _group_money(g: Group, attr: str) -> str:
    return converted_cell(g.converted, attr) if g.converted else moneys(g.money, attr)


def _groups_table(
    key: str, caption: str, first: str, groups: tuple[Group, ...], currency: str
) -> Table:
    if currency:
        pledged = _("Pledged (%(currency)s)") % {"currency": currency}
        disbursed = _("Disbursed so far (%(currency)s)") % {"currency": currency}
    else:
        pledged, disbursed = _("Pledged"), _("Disbursed so far")
    return Table(
        key,
        caption,
        (
            first,
            _("Commitments"),
            _("Reported"),
            _("Completed"),
            _("Progress index"),
            pledged,
            disbursed,
        ),
        tuple(
            (
                g.label,
                num(g.commitments),
                num(g.reported),
                num(next(s.count for s in g.statuses if s.status == "completed")),
                pct(g.progress),
                _group_money(g, "pledged"),
                _group_money(g, "disbursed"),
            )
            for g in groups
        ),
        (False, True, True, True, True, True, True),
    )


def money_tables(data: AnnualReportData) -> tuple[Table, ...]:
    """Money by pledged currency; with a reporting currency, a second table: each currency's
    rate and its date next to its amounts in the reporting currency, and the converted
    total."""
    by_currency = Table(
        "money",
        _("Money pledged and disbursed, by currency"),
        (_("Currency"), _("Pledged"), _("Disbursed so far"), _("Disbursed (%)")),
        tuple(
            (m.currency, amount(m.pledged), amount(m.disbursed), pct(m.percent)) for m in data.money
        ),
        (False, True, True, True),
    )
    currency = data.reporting_currency
    if not currency:
        return (by_currency,)
    rates = {r.currency: r for r in data.exchange_rates}
    rows: list[tuple[str, ...]] = []
    for m in data.money:
        rate = rates.get(m.currency)
        if m.currency == currency:
            rate_text, date_text = "1", "—"
        elif rate is None:
            rate_text, date_text = _("no rate: not converted"), "—"
        else:
            rate_text, date_text = rate_number(rate.rate), day(rate.effective_on)
        rows.append(
            (
                m.currency,
                rate_text,
                date_text,
                "—" if m.pledged_converted is None else amount(m.pledged_converted),
                "—" if m.disbursed_converted is None else amount(m.disbursed_converted),
            )
        )
    if data.converted is not None:
        rows.append(
            (
                _("Total"),
                "",
                "",
                amount(data.converted.pledged),
                amount(data.converted.disbursed),
            )
        )
    converted = Table(
        "money-converted",
        _("Money pledged and disbursed, in %(currency)s") % {"currency": currency},
        (
            _("Currency"),
            _("Rate per 1 %(currency)s") % {"currency": currency},
            _("Rate of"),
            _("Pledged (%(currency)s)") % {"currency": currency},
            _("Disbursed so far (%(currency)s)") % {"currency": currency},
        ),
        tuple(rows),
        (False, True, False, True, True),
    )
    return (by_currency, converted)


def rate_number(value: Decimal) -> str:
    """A rate with the decimals it has (at least two): 129.5 → 129.50, 655.957 → 655.957."""
    places = max(2, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return number_format(value, min(places, 8), force_grouping=True)


def money_notes(data: AnnualReportData) -> tuple[str, ...]:
    """The conversion stated in words: the rates' sources and the currencies not converted."""
    return tuple(n for n in (rates_note(data), unconverted_note(data)) if n)


def rates_note(data: AnnualReportData) -> str:
    currency = data.reporting_currency
    by_source: dict[str, list[str]] = {}
    for rate in data.exchange_rates:
        by_source.setdefault(rate.source or _("source not given"), []).append(rate.currency)
    if not currency or not by_source:
        return ""
    return _(
        "Sources of the exchange rates (units of the currency for 1 %(currency)s): %(sources)s."
    ) % {
        "currency": currency,
        "sources": "; ".join(
            f"{', '.join(codes)}: {source}" for source, codes in by_source.items()
        ),
    }


def unconverted_note(data: AnnualReportData) -> str:
    currency = data.reporting_currency
    missing = [m.currency for m in data.money if m.pledged_converted is None]
    if not currency or not missing:
        return ""
    return ngettext(
        "%(codes)s has no exchange rate for this cycle: its money is not converted, "
        "not counted in the %(currency)s totals, and shown in its own currency.",
        "%(codes)s have no exchange rate for this cycle: their money is not converted, "
        "not counted in the %(currency)s totals, and shown in their own currencies.",
        len(missing),
    ) % {"codes": ", ".join(missing), "currency": currency}


def counting_note() -> str:
    return _(
        "Counts are whole numbers: a commitment with several themes (or types) counts once in "
        "each of them and once in the programme's total, so the rows by theme or type can add "
        "up to more than the total. Its money is divided equally between its themes (or "
        "types), one half each for two, so the money of the rows adds up to the programme's. "
        "By stakeholder category and by region, a commitment counts once, with its lead "
        "maker. Amounts are rounded to the cent at the end, each on its own."
    )


def non_reporter_rows(data: AnnualReportData) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = []
    for maker in data.non_reporters[:NON_REPORTERS_IN_DOCUMENTS]:
        listed = [f"#{pk} {title}" for pk, title in maker.commitments[:COMMITMENTS_PER_MAKER]]
        more = len(maker.commitments) - COMMITMENTS_PER_MAKER
        if more > 0:
            listed.append(ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more})
        rows.append((maker.organisation, maker.category, maker.country, "\n".join(listed)))
    return tuple(rows)


def non_reporters_note(data: AnnualReportData) -> str:
    total = len(data.non_reporters)
    if total <= NON_REPORTERS_IN_DOCUMENTS:
        return ""
    return _(
        "The first %(n)s of %(total)s makers, by name; the full list is in the CSV and XLSX "
        "open data files."
    ) % {"n": NON_REPORTERS_IN_DOCUMENTS, "total": num(total)}


def _summary(data: AnnualReportData) -> Section:
    t = data.totals
    f = data.facts
    summary: tuple[str, ...] = (
        _(
            "%(reported)s of the %(expected)s commitments expected to report in %(cycle)s "
            "submitted a report: a response rate of %(rate)s."
        )
        % {
            "reported": num(t.reported),
            "expected": num(t.expected),
            "cycle": f.cycle_name,
            "rate": pct(t.percent),
        },
        _("Progress index of the commitments that reported: %(index)s.")
        % {"index": pct(t.progress)},
        _(
            "%(makers)s lead makers were expected to report; %(silent)s of them have "
            "%(commitments)s commitments without a report."
        )
        % {
            "makers": num(t.makers),
            "silent": num(t.silent_makers),
            "commitments": num(t.silent_commitments),
        },
    )
    if f.cycle_status != "closed":
        summary += (
            _(
                "The cycle is still %(status)s: these figures are provisional and will change "
                "as reports arrive."
            )
            % {"status": f.cycle_status_label.lower()},
        )
    key_rows: list[tuple[str, str]] = [
        (_("Commitments expected to report"), num(t.expected)),
        (_("Commitments that reported"), num(t.reported)),
        (_("Response rate"), pct(t.percent)),
        (_("Progress index"), pct(t.progress)),
        (_("Completed commitments"), num(data.completed)),
        (_("Lead makers expected to report"), num(t.makers)),
        (_("Lead makers with a missing report"), num(t.silent_makers)),
    ]
    if data.converted is not None:
        cur = {"currency": data.converted.currency}
        key_rows += [
            (_("Money pledged (%(currency)s)") % cur, converted_cell(data.converted, "pledged")),
            (
                _("Disbursed so far (%(currency)s)") % cur,
                converted_cell(data.converted, "disbursed"),
            ),
        ]
    key_figures = Table(
        "key-figures", _("Key figures"), (_("Figure"), _("Value")), tuple(key_rows), (False, True)
    )
    return Section("summary", _("Summary"), paragraphs=summary, tables=(key_figures,))


def _status(data: AnnualReportData) -> Section:
    t = data.totals
    status_rows = tuple(
        (
            s.label,
            num(s.count),
            pct(round(float(100 * s.count / t.reported), 1) if t.reported else None),
        )
        for s in t.statuses
    )
    return Section(
        "status",
        _("Implementation status"),
        paragraphs=(_("The status each commitment gave in its latest report of the cycle."),),
        chart="status",
        tables=(
            Table(
                "status",
                _("Commitments by implementation status"),
                (_("Status"), _("Commitments"), _("Share of those that reported")),
                status_rows,
                (False, True, True),
            ),
        ),
    )


def _money(data: AnnualReportData) -> Section:
    money_intro = _(
        "Money is added up in the currency it was pledged in; a disbursement in another "
        "currency is converted with the rate the maker reported. Disbursed so far: the amount "
        "of each commitment's latest report that gives one, in this cycle or an earlier one."
    )
    if data.reporting_currency:
        money_intro += " " + _(
            "Totals are also given in %(currency)s, the programme's reporting currency, at "
            "the exchange rates of the cycle stated next to them."
        ) % {"currency": data.reporting_currency}
    return Section(
        "money",
        _("Money pledged and disbursed"),
        paragraphs=(money_intro,),
        chart="money",
        tables=money_tables(data),
        notes=money_notes(data),
    )


def _map(data: AnnualReportData) -> Section:
    rows = tuple((c.name, num(c.commitments), num(c.reported)) for c in data.by_country)
    return Section(
        "map",
        _("Where the commitments work"),
        paragraphs=(
            _(
                "The countries named by the commitments expected to report in the cycle; a "
                "commitment counts in each country it names. The darker, the more commitments."
            ),
        ),
        chart="map",
        tables=(
            Table(
                "map",
                _("Commitments expected to report, by country"),
                (_("Country"), _("Commitments"), _("Reported")),
                rows,
                (False, True, True),
            ),
        ),
    )


def _rates_by_theme(data: AnnualReportData) -> Section:
    return Section(
        "rates-theme",
        _("Response rate by theme"),
        chart="rates-theme",
        tables=(
            _rates_table(
                "rates-theme", _("Response rate by theme"), _("Theme"), data.rates_by_theme
            ),
        ),
        notes=(
            _(
                "A commitment with several themes is expected to report in each of them, "
                "so the rows can add up to more than the programme's total."
            ),
        ),
    )


def _rates_by_category(data: AnnualReportData) -> Section:
    return Section(
        "rates-category",
        _("Response rate by stakeholder category"),
        chart="rates-category",
        tables=(
            _rates_table(
                "rates-category",
                _("Response rate by stakeholder category"),
                _("Stakeholder category"),
                data.rates_by_category,
            ),
        ),
    )


def _rates_by_region(data: AnnualReportData) -> Section:
    return Section(
        "rates-region",
        _("Response rate by region"),
        tables=(
            _rates_table(
                "rates-region",
                _("Response rate by region of the lead maker"),
                _("Region"),
                data.rates_by_region,
            ),
        ),
    )


def _highlights(data: AnnualReportData) -> Section:
    return Section(
        "highlights",
        _("Highlights"),
        paragraphs=(
            ngettext(
                "%(n)s commitment was completed.",
                "%(n)s commitments were completed.",
                data.completed,
            )
            % {"n": num(data.completed)},
        ),
        tables=(
            Table(
                "highlights",
                _("Completed commitments by theme"),
                (_("Theme"), _("Completed"), _("Expected to report")),
                tuple((h.label, num(h.completed), num(h.expected)) for h in data.highlights),
                (False, True, True),
            ),
        ),
    )


def _by_group(data: AnnualReportData) -> Section:
    cur_code = data.reporting_currency
    return Section(
        "by-group",
        _("Figures by theme, type, stakeholder category and region"),
        tables=(
            _groups_table("by-theme", _("By theme"), _("Theme"), data.by_theme, cur_code),
            _groups_table("by-type", _("By type of commitment"), _("Type"), data.by_type, cur_code),
            _groups_table(
                "by-category",
                _("By stakeholder category of the lead maker"),
                _("Stakeholder category"),
                data.by_category,
                cur_code,
            ),
            _groups_table(
                "by-region",
                _("By region of the lead maker"),
                _("Region"),
                data.by_region,
                cur_code,
            ),
        ),
        notes=tuple(n for n in (counting_note(), unconverted_note(data)) if n),
        wide=True,
    )


def _non_reporters(data: AnnualReportData) -> Section:
    table = Table(
        "non-reporters",
        _("Makers without a report"),
        (_("Organisation"), _("Category"), _("Country"), _("Commitments without a report")),
        non_reporter_rows(data),
        (False, False, False, False),
    )
    return Section(
        "non-reporters",
        _("Makers who did not report"),
        paragraphs=(
            ngettext(
                "%(n)s lead maker has commitments without a report in this cycle.",
                "%(n)s lead makers have commitments without a report in this cycle.",
                len(data.non_reporters),
            )
            % {"n": num(len(data.non_reporters))},
        ),
        tables=(table,),
        notes=tuple(n for n in (non_reporters_note(data),) if n),
    )


def _method(data: AnnualReportData) -> Section:
    return Section(
        "method",
        _("How the figures are computed"),
        paragraphs=(
            _(
                "Response rate: the commitments with a submitted report in the cycle, "
                "divided by the commitments expected to report (public, running during the "
                "cycle, and confirmed in time for it by the programme's rule)."
            ),
            _(
                "Progress index: the average of the weights of the reported statuses "
                "(completed 1, on track 0.5, delayed 0.25, not started and discontinued 0) "
                "over the commitments that reported."
            ),
            _("When a report was corrected, its latest submitted version counts."),
            _(
                "Data as of %(moment)s: every report submitted up to that moment is "
                "included, and none after it."
            )
            % {"moment": instant(data.facts.data_as_of)},
            counting_note(),
        ),
    )


#: The report's sections, in order: one function each.
SECTIONS = (
    _summary,
    _status,
    _money,
    _map,
    _rates_by_theme,
    _rates_by_category,
    _rates_by_region,
    _highlights,
    _by_group,
    _non_reporters,
    _method,
)


def sections(data: AnnualReportData) -> tuple[Section, ...]:
    """The report, section by section, as display text (in the active language)."""
    return tuple(section(data) for section in SECTIONS)


def context(data: AnnualReportData, charts: dict[str, Chart]) -> dict[str, Any]:
    """The template context of the web page and the PDF."""
    return {
        "data": data,
        "facts": data.facts,
        "parts": [(s, charts[s.chart] if s.chart else None) for s in sections(data)],
        "data_as_of": instant(data.facts.data_as_of),
        "opens_on": day(data.facts.opens_on),
        "deadline": day(data.facts.deadline),
        "closes_on": day(data.facts.closes_on),
        "created": fixed_moment(data).isoformat(),
    }


# PDF ---------------------------------------------------------------------------------------


def pdf_html(data: AnnualReportData, charts: dict[str, Chart]) -> str:
    return render_to_string("reporting/annual_pdf.html", context(data, charts))


def fixed_moment(data: AnnualReportData) -> dt.datetime:
    """The moment the documents say they were made: the moment the data is as of (UTC, to
    the second).  Never the moment of rendering, so the same data gives the same bytes."""
    return data.facts.data_as_of.astimezone(dt.UTC)


def render_pdf(data: AnnualReportData, charts: dict[str, Chart]) -> bytes:
    from weasyprint import HTML

    html = HTML(string=pdf_html(data, charts), base_url=None)
    # The embedded font subsets carry a "modified" time (fontTools stamps the clock unless
    # SOURCE_DATE_EPOCH is set): pin it to the report's moment, or two PDFs of the same data
    # rendered a second apart differ.  Generation runs in the worker, one report at a time.
    epoch = str(int(fixed_moment(data).timestamp()))
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        # A tagged PDF (headings, tables, figures with their text alternative) for screen
        # readers.
        return html.write_pdf(pdf_identifier=None, pdf_tags=True)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


# Word --------------------------------------------------------------------------------------


def normalize_zip(
    source: IO[bytes],
    target: IO[bytes],
    moment: dt.datetime,
    replace: dict[str, bytes] | None = None,
    insert: dict[str, tuple[bytes, IO[bytes]]] | None = None,
) -> None:
    """Copy a ZIP with every entry dated ``moment`` and the same attributes (and the entries
    named in ``replace`` replaced), so that its bytes depend on its content only (python-docx
    and openpyxl stamp entries with the current time).  Streams entry by entry.  ``insert``:
    entry name → (marker, stream): the stream's bytes are copied into the entry just before
    the first occurrence of the marker (the entry itself is read whole: keep it small)."""
    replace = replace or {}
    insert = insert or {}
    date_time = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    with (
        zipfile.ZipFile(source) as zin,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout,
    ):
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if item.filename in replace:
                zout.writestr(info, replace[item.filename])
                continue
            if item.filename in insert:
                marker, stream = insert[item.filename]
                head, found, tail = zin.read(item).partition(marker)
                if not found:
                    raise ValueError(f"{item.filename} has no {marker!r}")
                stream.seek(0, os.SEEK_END)
                size = len(head) + stream.tell() + len(found) + len(tail)
                stream.seek(0)
                big = size >= zipfile.ZIP64_LIMIT
                with zout.open(info, "w", force_zip64=big) as writer:
                    writer.write(head)
                    shutil.copyfileobj(stream, writer, 1 << 16)
                    writer.write(found + tail)
                continue
            big = item.file_size >= zipfile.ZIP64_LIMIT
            with zin.open(item) as reader, zout.open(info, "w", force_zip64=big) as writer:
                shutil.copyfileobj(reader, writer, 1 << 16)


def normalized_zip_bytes(blob: bytes, moment: dt.datetime) -> bytes:
    out = io.BytesIO()
    normalize_zip(io.BytesIO(blob), out, moment)
    return out.getvalue()


def _table_docx(document: Any, table: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.add_paragraph(table.caption, style="Caption")
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    # Repeat the header row on every page, and mark it as a header for screen readers.
    header_props = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for cell, text in zip(header.cells, table.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if table.numeric[i]:
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not table.rows:
        document.add_paragraph(_("Nothing to show."))


def render_docx(data: AnnualReportData, charts: dict[str, Chart]) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Inches

    f = data.facts
    document = docx.Document()
    moment = fixed_moment(data)
    props = document.core_properties
    props.title = _("%(programme)s: annual accountability report %(cycle)s") % {
        "programme": f.programme_name,
        "cycle": f.cycle_name,
    }
    props.subject = _("Accountability report")
    props.author = "Pledgebook"
    props.last_modified_by = "Pledgebook"
    props.comments = ""
    props.keywords = f.programme_slug
    props.revision = 1
    props.created = moment
    props.modified = moment
    props.last_printed = moment

    # Title page.
    document.add_heading(f.programme_name, level=0)
    document.add_paragraph(_("Annual accountability report"), style="Subtitle")
    document.add_paragraph(f.cycle_name)
    document.add_paragraph(_("Data as of %(moment)s") % {"moment": instant(f.data_as_of)})
    document.add_paragraph(
        _("Every report submitted up to this moment is included, and none after it.")
    )
    document.add_paragraph(
        _("Reporting cycle: %(opens)s to %(deadline)s (closes %(closes)s), %(status)s.")
        % {
            "opens": day(f.opens_on),
            "deadline": day(f.deadline),
            "closes": day(f.closes_on),
            "status": f.cycle_status_label.lower(),
        }
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for section in sections(data):
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.chart:
            chart = charts[section.chart]
            document.add_paragraph(chart.title, style="Caption")
            run = document.add_paragraph().add_run()
            shape = run.add_picture(io.BytesIO(chart.png), width=Inches(6.5))
            shape._inline.docPr.set("descr", chart.alt)  # the picture's alternative text
            shape._inline.docPr.set("title", chart.title)
            document.add_paragraph(chart.alt)
        for table in section.tables:
            _table_docx(document, table)
        for note in section.notes:
            document.add_paragraph().add_run(note).italic = True

    buffer = io.BytesIO()
    document.save(buffer)
    return normalized_zip_bytes(buffer.getvalue(), moment)
