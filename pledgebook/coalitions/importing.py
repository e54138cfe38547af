"""Import existing coalitions from a CSV or XLSX file, all or nothing.

Two steps, both here:

1. :func:`create_batch` reads the uploaded file (at most :data:`MAX_ROWS` rows: reading stops
   at the first row past the limit) into every row as it will be imported, with its **errors**
   (the row cannot be imported) and **warnings** (the row imports, but something in the source
   is dropped, changed or mapped in a way the secretariat must accept), each naming the row
   (as a spreadsheet shows it: the header is row 1) and the column, and the file's **notes**:
   every column that is not imported, and how every type of organisation in the file maps
   onto the stakeholder categories.  A file with any error is refused and nothing of it is
   kept; otherwise the file and its preview are kept in an :class:`ImportBatch`.
2. :func:`run_import` reads the kept file again (nothing is trusted from the preview: a
   coalition created meanwhile with the same name is an error again), and creates every
   coalition in one transaction, or none.  Warnings must be accepted explicitly.  A file of
   more than :data:`INLINE_ROWS` rows is imported by a task (:func:`import_coalitions`) that
   records its progress on the batch.

Two layouts are recognised by their header:

* the **Pledgebook template** (:data:`TEMPLATE_COLUMNS`; ``template_csv()`` gives a file to
  fill in);
* the **UN Climate Initiatives Platform** export (``UNClimateDataInitiatives-*.csv``), mapped
  column by column in :data:`UN_MAPPING`; its types of lead organisation map onto the
  stakeholder categories through the one mapping table of ``organisations/entity_types.py``.

Imported coalitions are *active* and pre-existing; their lead organisation becomes an active
lead member (an organisation of that name and country already on the platform, or named by an
earlier row, is reused, and keeps its category: the preview says so when the row's type gives
another); their texts are queued for the similarity engine.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from pledgebook.coalitions.indexing import reindex_many
from pledgebook.coalitions.models import (
    Ask,
    Coalition,
    ImportBatch,
    Membership,
    Principle,
)
from pledgebook.coalitions.validation import normalise_text
from pledgebook.core import audit, uploads
from pledgebook.core.tasks import INTERACTIVE_PRIORITY
from pledgebook.organisations import entity_types
from pledgebook.organisations.models import Category, Organisation, category_label
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Country, Goal

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
#: Rows of coalitions a file may have (empty rows not counted).
MAX_ROWS = 5000
#: Lines read at most, empty ones included: a sheet of a million empty rows is not read whole.
MAX_LINES = 10 * MAX_ROWS
#: Cells of the sheets of an XLSX that does not give their size (see ``_check_workbook``).
MAX_CELLS = 500_000
#: The parts of an XLSX that openpyxl reads whole (shared strings, styles) may unpack to this
#: much; the sheets themselves are streamed.
MAX_UNPACKED = 64 * 1024 * 1024
#: A file of more rows is imported by a task, with progress; a smaller one at once.
INLINE_ROWS = 100
#: A queued or running import that has not finished after this long is taken as lost (the
#: worker stopped): it can be started again.  Nothing of it was saved (all or nothing).
STALE_AFTER_SECONDS = 3600
#: The longest name of an organisation (``Organisation.name``).
ORGANISATION_NAME_MAX = Organisation._meta.get_field("name").max_length or 200
PERM = "coalitions.import_coalitions"

# The template ---------------------------------------------------------------------------------

#: Columns of the template: key → (header, required).  Lists (principles, asks, themes) are
#: separated by semicolons or line breaks; SDGs are numbers separated by commas or semicolons.
TEMPLATE_COLUMNS: dict[str, tuple[str, bool]] = {
    "name": ("name", True),
    "summary": ("summary", True),
    "lead_name": ("lead organisation", True),
    "lead_category": ("lead organisation category", True),
    "lead_country": ("country", True),
    "website": ("website", False),
    "principles": ("principles", False),
    "asks": ("asks", False),
    "themes": ("themes", False),
    "sdgs": ("sdgs", False),
}
TEMPLATE_EXAMPLE = {
    "name": "Clean Seas Island Alliance",
    "summary": "Island governments and fishers cutting marine plastic litter.",
    "lead_name": "Pacific Ocean Trust",
    "lead_category": "Non-governmental or civil society organisation",
    "lead_country": "FJ",
    "website": "https://example.org/clean-seas",
    "principles": "Oceans are a common good; Polluters pay",
    "asks": "Ban single-use plastics by 2030",
    "themes": "",
    "sdgs": "14, 12",
}

# The UN Climate Initiatives Platform export ---------------------------------------------------

UN_NAME = "Name of initiative"
UN_MAPPING = {
    "name": UN_NAME,
    "summary": "Description",
    "website": "Website address",
    "principles": "Objectives",
    "asks": "Goals",
    "lead_name": "Name of lead organisation",
    "lead_category": "Type of lead organisation",
    "lead_country": "Location/Nationality of lead organisation",
    "members": "Number of members in the years",
}
#: Every initiative of the platform is a climate initiative: SDG 13, said in the preview.
UN_GOALS = [13]
#: The source of the mapping table (``organisations/data/entity_types.csv``) for its types.
UN_TYPES_SOURCE = "un_climate"
#: Places that are not countries, as the platform writes them: a warning, not an error.
NOT_COUNTRIES = {"eu", "european union", "global", "international"}

#: Country names written otherwise than in the reference table (ISO 3166 / UN M49 names).
COUNTRY_ALIASES = {
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "united states": "US",
    "usa": "US",
    "us": "US",
    "korea (south)": "KR",
    "south korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "netherlands": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "russia": "RU",
    "iran": "IR",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "syria": "SY",
    "laos": "LA",
    "moldova": "MD",
    "vietnam": "VN",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "turkey": "TR",
    "swaziland": "SZ",
    "cape verde": "CV",
    "micronesia": "FM",
    "palestine": "PS",
    "macedonia": "MK",
    "brunei": "BN",
    "vatican": "VA",
}


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for header, _required in TEMPLATE_COLUMNS.values()])
    writer.writerow([TEMPLATE_EXAMPLE[key] for key in TEMPLATE_COLUMNS])
    return out.getvalue()


# Reading a file -------------------------------------------------------------------------------


class FileError(Exception):
    pass


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _limited(lines: Iterable[list[str]]) -> list[list[str]]:
    """The header and the lines after it, up to the first line past :data:`MAX_ROWS` rows
    that are not empty (enough to refuse the file): the rest of the file is never read.  More
    than :data:`MAX_LINES` lines, empty ones included, refuse the file."""
    table: list[list[str]] = []
    filled = 0
    for number, cells in enumerate(lines):
        if number > MAX_LINES:
            raise FileError(_too_many_lines())
        table.append(cells)
        if number and any(cells):
            filled += 1
            if filled > MAX_ROWS:
                break
    return table


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_ROW = re.compile(rb"<(?:\w+:)?row\b")
_CELL = re.compile(rb"<(?:\w+:)?c\b")
_CHUNK = 1 << 16


def _has_dimension(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """The sheet gives its size before its rows (as spreadsheet programs write it)."""
    with archive.open(part) as handle:
        head = handle.read(_CHUNK)
    dimension, rows = _DIMENSION.search(head), _SHEET_DATA.search(head)
    return dimension is not None and (rows is None or dimension.start() < rows.start())


def _check_workbook(data: bytes) -> None:
    """Refuse, before openpyxl opens it, a workbook that would take long to read.

    * The parts openpyxl reads whole (shared strings, styles) may unpack to at most
      :data:`MAX_UNPACKED` (a few kilobytes can unpack to gigabytes).
    * openpyxl reads a sheet that does not give its size (``<dimension>``; openpyxl's own
      write-only mode omits it) to its end as it opens the workbook, before a single row is
      asked for: such sheets may have at most :data:`MAX_LINES` rows and :data:`MAX_CELLS`
      cells in all, counted here in one pass over the unpacked text that stops at the limit.
      A sheet that gives its size is read row by row and no further than :func:`_limited`.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            lines = cells = 0
            for part in archive.infolist():
                if not part.filename.startswith("xl/worksheets/"):
                    if part.file_size > MAX_UNPACKED:
                        raise FileError(
                            _(
                                "The workbook is too large once unpacked: save its first sheet "
                                "as CSV."
                            )
                        )
                    continue
                if _has_dimension(archive, part):
                    continue
                with archive.open(part) as handle:
                    while chunk := handle.read(_CHUNK):
                        lines += len(_ROW.findall(chunk))
                        cells += len(_CELL.findall(chunk))
                        if lines > MAX_LINES:
                            raise FileError(_too_many_lines())
                        if cells > MAX_CELLS:
                            raise FileError(
                                _(
                                    "The workbook has more than %(n)s cells: keep only the "
                                    "sheet to import and its columns, or save it as CSV."
                                )
                                % {"n": f"{MAX_CELLS:,}"}
                            )
    except zipfile.BadZipFile as exc:
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc


def _too_many_lines() -> str:
    return _(
        "The file has more than %(n)s lines, empty ones included: delete the empty lines at "
        "its end."
    ) % {"n": f"{MAX_LINES:,}"}


def _xlsx_lines(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    _check_workbook(data)
    try:
        # read_only streams the sheet: rows are parsed as they are asked for.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        # Rows past the size the sheet gives would be left out silently: read them all (no
        # further than _limited asks).
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    except FileError:
        raise
    except Exception as exc:
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    finally:
        book.close()


def _csv_lines(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(_("The CSV file is not UTF-8 encoded: save it as “CSV UTF-8”.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield [c.strip() for c in row]
    except csv.Error as exc:
        raise FileError(
            _("The CSV file cannot be read (%(reason)s): save it again as “CSV UTF-8”.")
            % {"reason": exc}
        ) from exc


def read_table(name: str, data: bytes) -> list[list[str]]:
    """The cells of the first sheet (XLSX) or of the CSV, as text; header first; at most one
    row more than :data:`MAX_ROWS` (see :func:`_limited`)."""
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _limited(_xlsx_lines(data))
    return _limited(_csv_lines(data))


def _header_key(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().casefold())


# Values ---------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", folded.replace("’", "'"))


class Countries:
    """ISO 3166 alpha-2, alpha-3 or name (the reference name or a common alias)."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        for iso2, iso3, name in Country.objects.values_list("iso2", "iso3", "name"):
            self.by_key[iso2.casefold()] = iso2
            self.by_key[iso3.casefold()] = iso2
            self.by_key[_fold(name)] = iso2
        for alias, iso2 in COUNTRY_ALIASES.items():
            self.by_key.setdefault(alias, iso2)

    def find(self, value: str) -> str | None:
        return self.by_key.get(_fold(value))


def _items(parts: Iterable[str]) -> tuple[list[str], int]:
    """The items, stripped of bullets, each once (same words: see ``normalise_text``); and
    how many repeated items were left out."""
    seen: set[str] = set()
    out = []
    repeated = 0
    for item in parts:
        item = item.strip().lstrip("•-* ").strip()
        key = normalise_text(item)
        if not key:
            continue
        if key in seen:
            repeated += 1
            continue
        seen.add(key)
        out.append(item)
    return out, repeated


def _list(value: str) -> tuple[list[str], int]:
    """Items separated by semicolons or line breaks (see :func:`_items`)."""
    return _items(re.split(r"[;\n]+", value or ""))


def _lines(value: str) -> tuple[list[str], int]:
    """Items separated by line breaks (free texts of the UN export contain semicolons)."""
    return _items((value or "").splitlines())


MAX_COUNT_DIGITS = 5
_YEAR = re.compile(r"(19[7-9]\d|20[0-4]\d)")


def parse_member_counts(value: str) -> dict[int, int] | None:
    """The platform's "Number of members in the years" lost its separators: "201824" is 24
    members in 2018; "2017192201823420192742023406" is 192, 234, 274 and 406 in 2017, 2018,
    2019 and 2023.  Years ascend, counts have no leading zero and at most
    :data:`MAX_COUNT_DIGITS` digits.  Returns the counts by year
    when exactly one reading exists, None when there is none or more than one (ambiguous)."""
    digits = re.sub(r"\s+", "", value or "")
    if not digits.isdigit():
        return None
    readings: list[dict[int, int]] = []

    def walk(rest: str, last_year: int, found: dict[int, int]) -> None:
        if len(readings) > 1:
            return
        if not rest:
            if found:
                readings.append(dict(found))
            return
        year = int(rest[:4]) if _YEAR.fullmatch(rest[:4]) else None
        if year is None or year <= last_year:
            return
        tail = rest[4:]
        for end in range(1, min(len(tail), MAX_COUNT_DIGITS) + 1):
            count = tail[:end]
            if len(count) > 1 and count[0] == "0":
                break
            walk(tail[end:], year, {**found, year: int(count)})

    walk(digits, 0, {})
    return readings[0] if len(readings) == 1 else None


def _category(value: str) -> str | None:
    """A stakeholder category by its code or its label (in the current language or in
    English)."""
    folded = _fold(value)
    if not folded:
        return None
    with translation.override("en"):
        english = {code: _fold(str(label)) for code, label in Category.choices}
    for code, label in Category.choices:
        if folded in (code, _fold(str(label)), english[code], _fold(code.replace("_", " "))):
            return code
    # A label of the first taxonomy (a template filled in before it changed).
    earlier = entity_types.lookup("pledgebook_1", value)
    return earlier.category if earlier else None


# Rows -----------------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})

    def warn(self, column: str, message: str) -> None:
        self.warnings.append({"column": column, "message": message})

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "values": self.values,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class Parsed:
    source_format: str
    file_errors: list[str]
    rows: list[Row]
    #: ``dropped_columns``: [{column, filled}] (``filled``: rows with a value in it);
    #: ``types``: [{value, rows, category, known, note}], how each type of lead organisation
    #: given maps onto the stakeholder categories; ``types_column``: where they were read.
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)


def _quote(value: str, limit: int = 160) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Context:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.shown = set(programme.shown_categories())
        self.countries = Countries()
        self.themes = {
            key: t
            for t in Theme.objects.filter(programme=programme)
            for key in (_fold(t.name), _fold(t.slug))
        }
        self.goals = set(Goal.objects.values_list("number", flat=True))
        self.taken_names = {
            normalise_text(n)
            for n in Coalition.objects.for_programme(programme).values_list("name", flat=True)
        }
        self.names_in_file: dict[str, int] = {}
        #: Lead organisations named so far: key → (row, category it is imported with).
        self.leads: dict[tuple[str, str], tuple[int, str]] = {}
        self.types: Counter[str] = Counter()
        self.type_rows: dict[str, entity_types.EntityType | None] = {}

    def check_name(self, row: Row, column: str, name: str) -> None:
        if not name:
            row.error(column, _("The name is empty."))
            return
        if len(name) > Coalition._meta.get_field("name").max_length:  # type: ignore[operator]
            row.error(column, _("The name is longer than 300 characters."))
        key = normalise_text(name)
        if key in self.taken_names:
            row.error(
                column,
                _("A coalition named “%(name)s” already exists in this programme.")
                % {"name": name},
            )
        elif key in self.names_in_file:
            row.error(
                column,
                _("“%(name)s” is already the name of row %(row)s.")
                % {"name": name, "row": self.names_in_file[key]},
            )
        else:
            self.names_in_file[key] = row.number

    def lead_category(self, row: Row, column: str, name: str, country: str, category: str) -> str:
        """The category the lead organisation ``name`` of ``country`` is imported with: an
        organisation named by an earlier row, or already on the platform, is reused and keeps
        its category (a warning says so when this row's gives another)."""
        key = (_fold(name), country)
        if key in self.leads:
            first_row, kept = self.leads[key]
            if kept != category:
                row.warn(
                    column,
                    _(
                        "“%(name)s” is the lead organisation of row %(row)s too, as “%(kept)s”: "
                        "it is imported once, as “%(kept)s”, not as “%(this)s”."
                    )
                    % {
                        "name": name,
                        "row": first_row,
                        "kept": category_label(kept),
                        "this": category_label(category),
                    },
                )
            return kept
        existing = find_organisation(name, country)
        kept = category
        if existing is not None and existing.category != category:
            kept = existing.category
            row.warn(
                column,
                _(
                    "“%(name)s” is already on the platform, as “%(kept)s”: the coalition joins "
                    "it and its category stays “%(kept)s”, not “%(this)s”."
                )
                % {
                    "name": existing.name,
                    "kept": category_label(kept),
                    "this": category_label(category),
                },
            )
        self.leads[key] = (row.number, kept)
        if kept not in self.shown:
            row.warn(
                column,
                _(
                    "“%(category)s” is not among the stakeholder categories this programme "
                    "shows: “%(name)s” is imported with it all the same."
                )
                % {"category": category_label(kept), "name": name},
            )
        return kept

    def un_type(self, row: Row, column: str, value: str) -> str:
        """The category of a type of lead organisation of the UN export, by the mapping table;
        a value it does not have, or none, is a warning and "Other"."""
        if not value:
            self.types[""] += 1
            self.type_rows[""] = None
            row.warn(column, _("No type is given: the lead organisation is imported as “Other”."))
            return Category.OTHER
        whole = entity_types.lookup(UN_TYPES_SOURCE, value)
        parts = [p.strip() for p in value.split(",") if p.strip()]
        found: list[entity_types.EntityType | None] = (
            [whole] if whole else [entity_types.lookup(UN_TYPES_SOURCE, p) for p in parts]
        )
        if not found or any(f is None for f in found):
            self.types[value] += 1
            self.type_rows[value] = None
            row.warn(
                column,
                _(
                    "The type “%(value)s” is not in the mapping table of the UN Climate "
                    "Initiatives Platform: the lead organisation is imported as “Other”."
                )
                % {"value": _quote(value)},
            )
            return Category.OTHER
        rows = [f for f in found if f is not None]
        for f in rows:
            self.types[f.value] += 1
            self.type_rows[f.value] = f
        chosen = rows[0]
        categories = list(dict.fromkeys(f.category for f in rows))
        if len(categories) > 1:
            row.warn(
                column,
                _(
                    "Several types are given (%(types)s): the lead organisation is imported as "
                    "“%(category)s”, the category of the first."
                )
                % {
                    "types": "; ".join(
                        f"“{f.value}” → “{category_label(f.category)}”" for f in rows
                    ),
                    "category": category_label(chosen.category),
                },
            )
        if chosen.note:
            row.warn(
                column,
                _("“%(value)s” is imported as “%(category)s”: %(note)s.")
                % {
                    "value": chosen.value,
                    "category": category_label(chosen.category),
                    "note": chosen.note_text,
                },
            )
        return chosen.category

    def types_note(self) -> list[dict[str, Any]]:
        out = []
        for value, n in sorted(self.types.items(), key=lambda kv: (-kv[1], kv[0])):
            mapped = self.type_rows.get(value)
            out.append(
                {
                    "value": value,
                    "rows": n,
                    "category": mapped.category if mapped else str(Category.OTHER.value),
                    "known": mapped is not None,
                    "note": mapped.note if mapped else "",
                }
            )
        return out


def find_organisation(name: str, country: str) -> Organisation | None:
    """The organisation of that name (any case) and country already on the platform."""
    return Organisation.objects.filter(name__iexact=name, country_id=country).order_by("pk").first()


_URL = URLValidator(schemes=["http", "https"])


def _valid_url(value: str) -> bool:
    try:
        _URL(value)
    except ValidationError:
        return False
    return len(value) <= 500


def _repeated(row: Row, column: str, repeated: int) -> None:
    if repeated:
        row.warn(
            column,
            ngettext(
                "%(n)s repeated line is imported once.",
                "%(n)s repeated lines are imported once.",
                repeated,
            )
            % {"n": repeated},
        )


def _template_row(ctx: _Context, number: int, cells: dict[str, str]) -> Row:
    row = Row(number)
    head = {key: header for key, (header, _required) in TEMPLATE_COLUMNS.items()}
    name = cells.get("name", "")
    ctx.check_name(row, head["name"], name)
    lead = cells.get("lead_name", "")
    given_category = cells.get("lead_category", "")
    category = _category(given_category)
    country_value = cells.get("lead_country", "")
    country = ctx.countries.find(country_value) if country_value else None
    if lead:
        if len(lead) > ORGANISATION_NAME_MAX:
            row.error(
                head["lead_name"],
                _("The name has %(n)s characters: an organisation's name has at most %(max)s.")
                % {"n": len(lead), "max": ORGANISATION_NAME_MAX},
            )
        if category is None:
            row.error(
                head["lead_category"],
                _(
                    "“%(value)s” is not a stakeholder category: give one of those listed on the "
                    "upload page, by its name or its code."
                )
                % {"value": given_category},
            )
        else:
            ctx.types[given_category] += 1
        if not country_value:
            row.error(head["lead_country"], _("Give the country of the lead organisation."))
        elif country is None:
            row.error(
                head["lead_country"],
                _("Unknown country “%(value)s”: give an ISO 3166 code or the country's name.")
                % {"value": country_value},
            )
        if category is not None and country is not None and not row.errors:
            category = ctx.lead_category(row, head["lead_category"], lead, country, category)
    elif given_category or country_value:
        row.error(head["lead_name"], _("Give the name of the lead organisation."))
    website = cells.get("website", "")
    if website and not _valid_url(website):
        row.error(
            head["website"],
            _("“%(value)s” is not a web address starting with http:// or https://.")
            % {"value": website},
        )
    theme_ids, theme_names = [], []
    for theme_name in _list(cells.get("themes", ""))[0]:
        theme = ctx.themes.get(_fold(theme_name))
        if theme is None:
            row.error(
                head["themes"],
                _("“%(value)s” is not a theme of this programme.") % {"value": theme_name},
            )
        else:
            theme_ids.append(theme.pk)
            theme_names.append(theme.name)
    sdgs: list[int] = []
    for token in re.split(r"[,;\s]+", cells.get("sdgs", "")):
        token = re.sub(r"(?i)^sdg", "", token.strip())
        if not token:
            continue
        if not token.isdigit() or int(token) not in ctx.goals:
            row.error(
                head["sdgs"], _("“%(value)s” is not an SDG number (1 to 17).") % {"value": token}
            )
        elif int(token) not in sdgs:
            sdgs.append(int(token))
    principles, repeated = _list(cells.get("principles", ""))
    _repeated(row, head["principles"], repeated)
    asks, repeated = _list(cells.get("asks", ""))
    _repeated(row, head["asks"], repeated)
    row.values = {
        "name": name,
        "summary": cells.get("summary", ""),
        "website": website,
        "lead_name": lead,
        "lead_category": category or "",
        "lead_country": country or "",
        "principles": principles,
        "asks": asks,
        "themes": theme_ids,
        "theme_names": theme_names,
        "sdgs": sdgs,
        "reported_members": None,
    }
    return row


def _un_row(ctx: _Context, number: int, cells: dict[str, str]) -> Row:
    row = Row(number)
    col = UN_MAPPING
    name = cells.get("name", "")
    ctx.check_name(row, col["name"], name)
    website = cells.get("website", "")
    if website and not _valid_url(website):
        with_scheme = f"http://{website}"
        if " " not in website and _valid_url(with_scheme):
            row.warn(
                col["website"],
                _("“%(value)s” has no http:// or https://: imported as “%(url)s”.")
                % {"value": website, "url": with_scheme},
            )
            website = with_scheme
        else:
            row.warn(
                col["website"],
                _("“%(value)s” is not a web address: the coalition is imported without a website.")
                % {"value": _quote(website, 120)},
            )
            website = ""
    lead = cells.get("lead_name", "")
    lead_type = cells.get("lead_category", "")
    country_value = cells.get("lead_country", "")
    country = ctx.countries.find(country_value) if country_value else None
    if country_value and country is None and _fold(country_value) not in NOT_COUNTRIES:
        row.error(
            col["lead_country"],
            _("Unknown country “%(value)s”.") % {"value": country_value},
        )
    category = ""
    stored_lead = lead
    if not lead:
        row.warn(col["lead_name"], _("No lead organisation is named: imported without a lead."))
    elif not country_value:
        row.warn(
            col["lead_country"],
            _(
                "No country is given for “%(lead)s”: the coalition is imported without its "
                "lead organisation as a member."
            )
            % {"lead": lead},
        )
    elif country is None:
        row.warn(
            col["lead_country"],
            _(
                "“%(value)s” is not a country: the coalition is imported without its lead "
                "organisation “%(lead)s” as a member."
            )
            % {"value": country_value, "lead": lead},
        )
    else:
        if len(lead) > ORGANISATION_NAME_MAX:
            stored_lead = lead[:ORGANISATION_NAME_MAX].rstrip()
            row.warn(
                col["lead_name"],
                _(
                    "The name has %(n)s characters, more than the %(max)s an organisation's "
                    "name may have: imported as “%(name)s”."
                )
                % {"n": len(lead), "max": ORGANISATION_NAME_MAX, "name": stored_lead},
            )
        category = ctx.un_type(row, col["lead_category"], lead_type)
        category = ctx.lead_category(row, col["lead_category"], stored_lead, country, category)
    members_value = cells.get("members", "")
    reported = None
    if members_value:
        counts = parse_member_counts(members_value)
        if counts is None:
            row.warn(
                col["members"],
                _("The member count “%(value)s” cannot be read: no member count is imported.")
                % {"value": members_value},
            )
        else:
            reported = counts[max(counts)]
    principles, repeated = _lines(cells.get("principles", ""))
    _repeated(row, col["principles"], repeated)
    asks, repeated = _lines(cells.get("asks", ""))
    _repeated(row, col["asks"], repeated)
    row.values = {
        "name": name,
        "summary": cells.get("summary", ""),
        "website": website,
        "lead_name": stored_lead if category else "",
        "lead_category": category,
        "lead_country": country if category else "",
        "lead_as_given": lead,
        "lead_type_as_given": lead_type,
        "principles": principles,
        "asks": asks,
        "themes": [],
        "theme_names": [],
        "sdgs": list(UN_GOALS),
        "reported_members": reported,
    }
    return row


Progress = Callable[[int, int], None]


def _rows(
    body: list[tuple[int, list[str]]],
    make: Callable[[int, list[str]], Row],
    progress: Progress | None,
) -> list[Row]:
    rows = []
    for done, (number, cells) in enumerate(body, start=1):
        rows.append(make(number, cells))
        if progress is not None and (done % 250 == 0 or done == len(body)):
            progress(done, len(body))
    return rows


def _dropped(
    header: list[str], used: set[int], body: list[tuple[int, list[str]]]
) -> list[dict[str, Any]]:
    """The columns not imported, each with the number of rows that have a value in it;
    a column without a name only when some row has a value in it."""
    dropped = []
    for i, name in enumerate(header):
        if i in used:
            continue
        filled = sum(1 for _number, cells in body if i < len(cells) and cells[i].strip())
        if name or filled:
            label = name or _("column %(n)s (no name)") % {"n": i + 1}
            dropped.append({"column": label, "filled": filled})
    return dropped


def parse(
    programme: Programme, table: Sequence[Sequence[str]], progress: Progress | None = None
) -> Parsed:
    """Read a table (header first) into rows with their errors and warnings, and the notes
    of the whole file.  ``progress(done, total)`` is called as rows are read."""
    if not table or not any(c for c in table[0]):
        return Parsed("", [_("The file is empty: the first row must name the columns.")], [])
    header = [h.strip() for h in table[0]]
    body = [(i, list(r)) for i, r in enumerate(table[1:], start=2) if any(c.strip() for c in r)]
    if len(body) > MAX_ROWS:
        return Parsed("", [_("The file has more than %(n)s rows.") % {"n": MAX_ROWS}], [])
    if not body:
        return Parsed("", [_("The file has a header but no rows.")], [])
    ctx = _Context(programme)
    if UN_NAME in header and UN_MAPPING["lead_category"] in header:
        position = {h: i for i, h in reversed(list(enumerate(header)))}
        missing = [h for h in UN_MAPPING.values() if h not in position]
        if missing:
            message = _("Missing columns of the UN Climate Initiatives export: %(cols)s.")
            return Parsed(
                ImportBatch.Format.UN_CLIMATE, [message % {"cols": ", ".join(missing)}], []
            )

        def un_row(number: int, cells: list[str]) -> Row:
            values = {
                key: (cells[position[h]].strip() if position[h] < len(cells) else "")
                for key, h in UN_MAPPING.items()
            }
            return _un_row(ctx, number, values)

        rows = _rows(body, un_row, progress)
        notes = {
            "columns": len(header),
            "dropped_columns": _dropped(header, {position[h] for h in UN_MAPPING.values()}, body),
            "types_column": UN_MAPPING["lead_category"],
            "types": ctx.types_note(),
        }
        return Parsed(ImportBatch.Format.UN_CLIMATE, [], rows, notes)
    known = {_header_key(h): key for key, (h, _required) in TEMPLATE_COLUMNS.items()}
    found: dict[str, int] = {}
    errors = []
    unknown = [h for h in header if h and _header_key(h) not in known]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    for i, h in enumerate(header):
        if _header_key(h) in known:
            found.setdefault(known[_header_key(h)], i)
    missing = [
        h for key, (h, required) in TEMPLATE_COLUMNS.items() if required and key not in found
    ]
    if missing:
        errors.append(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    if unknown:
        errors.append(
            _("Unknown columns: %(cols)s (the template's columns are: %(known)s).")
            % {
                "cols": ", ".join(unknown),
                "known": ", ".join(h for h, _required in TEMPLATE_COLUMNS.values()),
            }
        )
    if repeated:
        errors.append(_("Columns given twice: %(cols)s.") % {"cols": ", ".join(repeated)})
    unnamed = [
        _("column %(n)s") % {"n": i + 1}
        for i, h in enumerate(header)
        if not h and any(i < len(cells) and cells[i].strip() for _n, cells in body)
    ]
    if unnamed:
        errors.append(
            _("Columns without a name hold values: %(cols)s. Name them or delete them.")
            % {"cols": ", ".join(unnamed)}
        )
    if errors:
        return Parsed(ImportBatch.Format.TEMPLATE, errors, [])

    def template_row(number: int, cells: list[str]) -> Row:
        values = {key: (cells[i].strip() if i < len(cells) else "") for key, i in found.items()}
        return _template_row(ctx, number, values)

    rows = _rows(body, template_row, progress)
    notes = {
        "columns": len(header),
        "dropped_columns": [],
        "types_column": TEMPLATE_COLUMNS["lead_category"][0],
        "types": [
            {
                "value": value,
                "rows": n,
                "category": _category(value),
                "known": True,
                "note": "",
            }
            for value, n in sorted(ctx.types.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }
    return Parsed(ImportBatch.Format.TEMPLATE, [], rows, notes)


def parse_file(
    programme: Programme, name: str, data: bytes, progress: Progress | None = None
) -> Parsed:
    try:
        table = read_table(name, data)
    except FileError as exc:
        return Parsed("", [str(exc)], [])
    return parse(programme, table, progress)


# State changes --------------------------------------------------------------------------------


class ImportRefused(ValidationError):
    """The uploaded file has errors: nothing of it was kept.  ``parsed`` is its preview."""

    def __init__(self, parsed: Parsed, name: str) -> None:
        n = parsed.error_count
        super().__init__(
            ngettext(
                "The file cannot be imported: %(n)s error, listed below. Nothing of it was "
                "kept: correct the file and upload it again.",
                "The file cannot be imported: %(n)s errors, listed below. Nothing of it was "
                "kept: correct the file and upload it again.",
                n,
            )
            % {"n": n}
        )
        self.parsed = parsed
        self.name = name


def _require(actor: Any, programme: Programme) -> None:
    if not actor.has_perm(PERM, programme):
        raise PermissionDenied


def create_batch(*, actor: Any, programme: Programme, upload: UploadedFile) -> ImportBatch:
    """Keep the uploaded file and its preview (rows, warnings, notes).  A file with any error
    raises :class:`ImportRefused` (with its preview) and nothing is kept."""
    _require(actor, programme)
    name = upload.name or "upload"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than 5 MB.")]})
    data = upload.read()
    upload.seek(0)
    parsed = parse_file(programme, name, data)
    if parsed.error_count:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="coalitions.import_refused",
                obj=programme,
                programme=programme,
                data={
                    "file": name[:255],
                    "rows": len(parsed.rows),
                    "errors": parsed.error_count,
                },
            )
        raise ImportRefused(parsed, name)
    with uploads.atomic_with_files():  # the disk full: no batch, no file
        batch = ImportBatch.objects.create(
            programme=programme,
            file=upload,
            original_name=name[:255],
            source_format=parsed.source_format,
            uploaded_by=actor,
            file_errors=[],
            rows=[r.as_json() for r in parsed.rows],
            notes=parsed.notes,
        )
        audit.record(
            actor=actor,
            action="coalitions.import_uploaded",
            obj=batch,
            programme=programme,
            data={"rows": len(parsed.rows), "warnings": batch.rows_with_warnings},
        )
    return batch


def _is_stale(batch: ImportBatch) -> bool:
    started = batch.queued_at or batch.uploaded_at
    return (timezone.now() - started).total_seconds() > STALE_AFTER_SECONDS


def can_start(batch: ImportBatch) -> bool:
    """The import of this batch may be (re)started: never started, failed, or lost."""
    if batch.status in (ImportBatch.Status.PREVIEW, ImportBatch.Status.FAILED):
        return True
    return batch.is_active and _is_stale(batch)


def run_import(*, actor: Any, batch: ImportBatch, accept_warnings: bool = False) -> ImportBatch:
    """Import every row of the batch, or none (see :func:`import_batch`): at once when it
    has at most :data:`INLINE_ROWS` rows, otherwise by a queued task, whose progress the
    batch records.  Rows with warnings need ``accept_warnings``.  Returns the batch:
    ``IMPORTED``, or ``QUEUED``; any other outcome raises ``ValidationError``."""
    _require(actor, batch.programme)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportBatch.Status.IMPORTED:
            raise ValidationError(_("This file has already been imported."))
        if batch.status == ImportBatch.Status.REFUSED:
            raise ValidationError(_("This file was refused: correct it and upload it again."))
        if not can_start(batch):
            raise ValidationError(_("This file is being imported."))
        if not batch.is_clean:
            raise ValidationError(
                _("The file has errors: nothing was imported. Correct them and upload it again.")
            )
        if batch.rows_with_warnings and not accept_warnings:
            raise ValidationError(
                _("Accept the warnings listed to import the file; nothing was imported.")
            )
        queued = len(batch.rows) > INLINE_ROWS
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.QUEUED if queued else ImportBatch.Status.RUNNING,
            queued_at=timezone.now(),
            imported_by=actor,
            warnings_accepted=accept_warnings,
            progress=0,
            step=_("Waiting for the worker") if queued else _("Importing"),
            error="",
        )
        if queued:
            audit.record(
                actor=actor,
                action="coalitions.import_queued",
                obj=batch,
                programme=batch.programme,
                data={"rows": len(batch.rows)},
            )
            # Enqueued inside the transaction: with the database backend the task row
            # commits (or not) with the batch's status.
            import_coalitions.enqueue(batch_id=batch.pk)
    if not queued:
        import_batch(batch.pk)
    batch.refresh_from_db()
    if batch.status in (ImportBatch.Status.IMPORTED, ImportBatch.Status.QUEUED):
        return batch
    raise ValidationError(batch.error or _("The file was not imported."))


def _progress(batch: ImportBatch, progress: int, step: str, **fields: Any) -> None:
    batch.progress = progress
    batch.step = step
    for name, value in fields.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk).update(progress=progress, step=step, **fields)


def _warnings(rows: Iterable[dict[str, Any]]) -> list[tuple[int, list[dict[str, str]]]]:
    return [(r["number"], r["warnings"]) for r in rows]


def import_batch(batch_id: int) -> ImportBatch:
    """Read the kept file again and create its coalitions in one transaction, recording the
    progress on the batch (``RUNNING`` → ``IMPORTED``).  A file that now has errors is
    ``REFUSED`` and its stored file deleted; a file whose warnings changed since they were
    accepted goes back to ``PREVIEW``; an unexpected failure is ``FAILED`` and may be started
    again.  Safe to run twice: only a queued or running batch is imported."""
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=ImportBatch.ACTIVE_STATUSES
    ).update(status=ImportBatch.Status.RUNNING)
    batch = ImportBatch.objects.select_related("programme", "imported_by").get(pk=batch_id)
    if not claimed:
        return batch
    try:
        return _import(batch)
    except Exception as exc:
        logger.exception("coalition import %s failed", batch_id)
        _progress(
            batch,
            batch.progress,
            _("Failed"),
            status=ImportBatch.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
        )
        return batch


@task(priority=INTERACTIVE_PRIORITY)
def import_coalitions(*, batch_id: int) -> str:
    """Import a queued file of coalitions (:func:`import_batch`), recording its progress on the
    batch; returns the batch's final status.  Safe to run twice.  The secretariat watches its
    progress (core.tasks: queues and priorities)."""
    return import_batch(batch_id).status


def _import(batch: ImportBatch) -> ImportBatch:
    actor = batch.imported_by
    _progress(batch, 0, _("Reading the file"))
    batch.file.open("rb")
    try:
        data = batch.file.read()
    finally:
        batch.file.close()
    previewed = _warnings(batch.rows)

    def reading(done: int, total: int) -> None:
        _progress(
            batch,
            done * 50 // total,
            _("Checking row %(n)s of %(total)s") % {"n": done, "total": total},
        )

    parsed = parse_file(batch.programme, batch.original_name, data, reading)
    rows = [r.as_json() for r in parsed.rows]
    if parsed.error_count:
        batch.file.delete(save=False)
        _progress(
            batch,
            batch.progress,
            _("Refused"),
            status=ImportBatch.Status.REFUSED,
            file="",
            file_errors=parsed.file_errors,
            rows=rows,
            notes=parsed.notes,
            error=_("The file has errors: nothing was imported. Correct them and upload it again."),
        )
        audit.record(
            actor=actor,
            action="coalitions.import_refused",
            obj=batch,
            programme=batch.programme,
            data={"rows": len(rows), "errors": parsed.error_count},
        )
        return batch
    if _warnings(rows) != previewed:
        _progress(
            batch,
            0,
            "",
            status=ImportBatch.Status.PREVIEW,
            rows=rows,
            notes=parsed.notes,
            warnings_accepted=False,
            error=_(
                "The file reads differently now (the platform changed since the preview): "
                "nothing was imported. Read the warnings below and import again."
            ),
        )
        return batch
    _progress(batch, 50, _("Creating %(n)s coalitions") % {"n": len(rows)})
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.RUNNING:
            return locked
        created = _create(batch, rows, actor)
        _progress(
            batch,
            100,
            _("Imported"),
            status=ImportBatch.Status.IMPORTED,
            rows=rows,
            notes=parsed.notes,
            imported_at=timezone.now(),
        )
        audit.record(
            actor=actor,
            action="coalitions.imported",
            obj=batch,
            programme=batch.programme,
            data={
                "coalitions": len(created),
                "rows_with_warnings": batch.rows_with_warnings,
                "format": batch.source_format,
            },
        )
        # Their texts join the similarity backlog at once: one batch task, not one per row.
        reindex_many(created)
    return batch


class _Slugs:
    """Free slugs of a model, handed out for many new rows with few queries."""

    def __init__(self, model: Any, bases: Iterable[str]) -> None:
        self.model = model
        wanted = set(bases)
        self.taken: set[str] = set(
            model.objects.filter(slug__in=wanted).values_list("slug", flat=True)
        )
        self.checked: set[str] = set()

    def free(self, base: str) -> str:
        if base in self.taken and base not in self.checked:
            self.taken |= set(
                self.model.objects.filter(slug__startswith=f"{base}-").values_list(
                    "slug", flat=True
                )
            )
            self.checked.add(base)
        slug, n = base, 1
        while slug in self.taken or slug in {"new", "edit", "add", "create"}:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


def _coalition_base(name: str) -> str:
    return slugify(name)[:80].strip("-") or "coalition"


def _organisation_base(name: str) -> str:
    return slugify(name)[:200].strip("-") or "organisation"


def _create(batch: ImportBatch, rows: list[dict[str, Any]], actor: Any) -> list[Coalition]:
    """Create the coalitions of ``rows`` and everything they own, a few bulk inserts for the
    whole file."""
    now = timezone.now()
    values = [row["values"] for row in rows]
    slugs = _Slugs(Coalition, (_coalition_base(v["name"]) for v in values))
    coalitions = Coalition.objects.bulk_create(
        Coalition(
            programme=batch.programme,
            name=v["name"],
            slug=slugs.free(_coalition_base(v["name"])),
            summary=v["summary"],
            website=v["website"],
            is_pre_existing=True,
            state=Coalition.State.ACTIVE,
            reported_members=v["reported_members"],
            import_batch=batch,
            import_row=row["number"],
        )
        for row, v in zip(rows, values, strict=True)
    )
    Principle.objects.bulk_create(
        Principle(coalition=c, position=i, text=t)
        for c, v in zip(coalitions, values, strict=True)
        for i, t in enumerate(v["principles"])
    )
    Ask.objects.bulk_create(
        Ask(coalition=c, position=i, text=t)
        for c, v in zip(coalitions, values, strict=True)
        for i, t in enumerate(v["asks"])
    )
    leads = _organisations([v for v in values if v["lead_name"] and v["lead_country"]])
    Membership.objects.bulk_create(
        Membership(
            coalition=c,
            organisation=leads[(_fold(v["lead_name"]), v["lead_country"])],
            role=Membership.Role.LEAD,
            status=Membership.Status.ACTIVE,
            invited_by=actor,
            decided_at=now,
        )
        for c, v in zip(coalitions, values, strict=True)
        if v["lead_name"] and v["lead_country"]
    )
    Coalition.themes.through.objects.bulk_create(
        Coalition.themes.through(coalition_id=c.pk, theme_id=t)
        for c, v in zip(coalitions, values, strict=True)
        for t in v["themes"]
    )
    Coalition.goals.through.objects.bulk_create(
        Coalition.goals.through(coalition_id=c.pk, goal_id=g)
        for c, v in zip(coalitions, values, strict=True)
        for g in v["sdgs"]
    )
    return coalitions


def _organisations(values: list[dict[str, Any]]) -> dict[tuple[str, str], Organisation]:
    """The lead organisation of each row by (folded name, country): one already on the
    platform, or one created (once per file) with the row's category."""
    found: dict[tuple[str, str], Organisation] = {}
    new: dict[tuple[str, str], Organisation] = {}
    for v in values:
        key = (_fold(v["lead_name"]), v["lead_country"])
        if key in found or key in new:
            continue
        existing = find_organisation(v["lead_name"], v["lead_country"])
        if existing is not None:
            found[key] = existing
        else:
            new[key] = Organisation(
                name=v["lead_name"][:ORGANISATION_NAME_MAX],
                category=v["lead_category"] or Category.OTHER,
                country_id=v["lead_country"],
            )
    slugs = _Slugs(Organisation, (_organisation_base(o.name) for o in new.values()))
    for organisation in new.values():
        organisation.slug = slugs.free(_organisation_base(organisation.name))
    Organisation.objects.bulk_create(new.values())
    return {**found, **new}


def summary(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    rows = list(rows)
    return {
        "rows": len(rows),
        "with_errors": sum(1 for r in rows if r["errors"]),
        "with_warnings": sum(1 for r in rows if r["warnings"]),
    }
