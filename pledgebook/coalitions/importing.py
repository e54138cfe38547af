"""Import existing coalitions from a CSV or XLSX file, all or nothing.

Two steps, both here:

1. :func:`create_batch` keeps the uploaded file in an :class:`ImportBatch` and reads it: every
   row as it will be imported, with its **errors** (the row cannot be imported; the file is
   refused while any remains) and **warnings** (the row imports, but something in the source
   was dropped or mapped in a way the secretariat must accept), each naming the row (as a
   spreadsheet shows it: the header is row 1) and the column.
2. :func:`run_import` reads the kept file again (nothing is trusted from the preview: a
   coalition created meanwhile with the same name is an error again), and creates every
   coalition in one transaction, or none.  Warnings must be accepted explicitly.

Two layouts are recognised by their header:

* the **Pledgebook template** (:data:`TEMPLATE_COLUMNS`; ``template_csv()`` gives a file to
  fill in);
* the **UN Climate Initiatives Platform** export (``UNClimateDataInitiatives-*.csv``), mapped
  column by column in :data:`UN_MAPPING`.

Imported coalitions are *active* and pre-existing; their lead organisation becomes an active
lead member (an organisation of that name and country already on the platform is reused); their
texts are queued for the similarity engine.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pledgebook.coalitions import content
from pledgebook.coalitions.models import Ask, Coalition, ImportBatch, Membership, Principle
from pledgebook.coalitions.tasks import reindex
from pledgebook.coalitions.validation import normalise_text
from pledgebook.core import audit
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Country, Goal

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
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
    "lead_category": "civil_society",
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
#: The platform's types of lead organisation → stakeholder category.  A type missing here
#: (``Network/Consortium/Partnership``, ``Financial institution``: private bank or IFI?) maps
#: to no category: the row warns and imports as "other" only if the warnings are accepted.
UN_TYPES: dict[str, str] = {
    "ngo/civil society": Category.CIVIL_SOCIETY,
    "international organisation": Category.INTERNATIONAL,
    "other intergovernmental organization": Category.INTERNATIONAL,
    "united nations or specialised agency": Category.INTERNATIONAL,
    "academic/research institution": Category.OTHER,
    "business": Category.PRIVATE_SECTOR,
    "corporate": Category.PRIVATE_SECTOR,
    "national government": Category.MEMBER_STATE,
    "local government": Category.GOVERNMENT,
    "other public institution": Category.GOVERNMENT,
    "other": Category.OTHER,
}
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


def read_table(name: str, data: bytes) -> list[list[str]]:
    """The cells of the first sheet (XLSX) or of the CSV, as text; header first."""
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise FileError(_("The file is not a readable XLSX workbook.")) from exc
        sheet = book.worksheets[0]
        table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return table
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(_("The CSV file is not UTF-8 encoded: save it as “CSV UTF-8”.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


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


def _list(value: str) -> list[str]:
    """Items separated by semicolons or line breaks; repeated items (same words) once."""
    seen: set[str] = set()
    out = []
    for item in re.split(r"[;\n]+", value or ""):
        item = item.strip().lstrip("•-* ").strip()
        key = normalise_text(item)
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _lines(value: str) -> list[str]:
    """Items separated by line breaks (free texts of the UN export contain semicolons)."""
    seen: set[str] = set()
    out = []
    for item in (value or "").splitlines():
        item = item.strip().lstrip("•-* ").strip()
        key = normalise_text(item)
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out


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
    """A stakeholder category by its code or its label."""
    folded = _fold(value)
    for code, label in Category.choices:
        if folded in (code, _fold(str(label)), _fold(code.replace("_", " "))):
            return code
    return None


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


class _Context:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme
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


_URL = URLValidator(schemes=["http", "https"])


def _valid_url(value: str) -> bool:
    try:
        _URL(value)
    except ValidationError:
        return False
    return len(value) <= 500


def _template_row(ctx: _Context, number: int, cells: dict[str, str]) -> Row:
    row = Row(number)
    head = {key: header for key, (header, _required) in TEMPLATE_COLUMNS.items()}
    name = cells.get("name", "")
    ctx.check_name(row, head["name"], name)
    lead = cells.get("lead_name", "")
    category = _category(cells.get("lead_category", ""))
    country_value = cells.get("lead_country", "")
    country = ctx.countries.find(country_value) if country_value else None
    if lead:
        if category is None:
            row.error(
                head["lead_category"],
                _("“%(value)s” is not a stakeholder category (use one of: %(codes)s).")
                % {
                    "value": cells.get("lead_category", ""),
                    "codes": ", ".join(Category.values),
                },
            )
        if not country_value:
            row.error(head["lead_country"], _("Give the country of the lead organisation."))
        elif country is None:
            row.error(
                head["lead_country"],
                _("Unknown country “%(value)s”: give an ISO 3166 code or the country's name.")
                % {"value": country_value},
            )
    elif cells.get("lead_category") or country_value:
        row.error(head["lead_name"], _("Give the name of the lead organisation."))
    website = cells.get("website", "")
    if website and not _valid_url(website):
        row.error(
            head["website"],
            _("“%(value)s” is not a web address starting with http:// or https://.")
            % {"value": website},
        )
    theme_ids, theme_names = [], []
    for theme_name in _list(cells.get("themes", "")):
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
    row.values = {
        "name": name,
        "summary": cells.get("summary", ""),
        "website": website,
        "lead_name": lead,
        "lead_category": category or "",
        "lead_country": country or "",
        "principles": _list(cells.get("principles", "")),
        "asks": _list(cells.get("asks", "")),
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
                % {"value": website[:120]},
            )
            website = ""
    lead = cells.get("lead_name", "")
    lead_type = cells.get("lead_category", "")
    category: str | None = None
    if lead_type:
        mapped = {UN_TYPES.get(_fold(part)) for part in lead_type.split(",")}
        if len(mapped) == 1 and None not in mapped:
            category = mapped.pop()
    country_value = cells.get("lead_country", "")
    country = ctx.countries.find(country_value) if country_value else None
    if country_value and country is None and _fold(country_value) not in NOT_COUNTRIES:
        row.error(
            col["lead_country"],
            _("Unknown country “%(value)s”.") % {"value": country_value},
        )
    if not lead:
        row.warn(col["lead_name"], _("No lead organisation is named: imported without a lead."))
    else:
        if category is None:
            row.warn(
                col["lead_category"],
                (
                    _(
                        "The type “%(value)s” maps to no stakeholder category: the lead "
                        "organisation is imported as “Other”."
                    )
                    % {"value": lead_type[:160]}
                )
                if lead_type
                else _("No type is given: the lead organisation is imported as “Other”."),
            )
            category = Category.OTHER
        if not country_value:
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
    row.values = {
        "name": name,
        "summary": cells.get("summary", ""),
        "website": website,
        "lead_name": lead if country else "",
        "lead_category": (category or "") if country else "",
        "lead_country": country or "",
        "lead_as_given": lead,
        "principles": _lines(cells.get("principles", "")),
        "asks": _lines(cells.get("asks", "")),
        "themes": [],
        "theme_names": [],
        "sdgs": list(UN_GOALS),
        "reported_members": reported,
    }
    return row


def parse(programme: Programme, table: Sequence[Sequence[str]]) -> Parsed:
    """Read a table (header first) into rows with their errors and warnings."""
    if not table or not any(c for c in table[0]):
        return Parsed("", [_("The file is empty: the first row must name the columns.")], [])
    header = [h.strip() for h in table[0]]
    body = [(i, r) for i, r in enumerate(table[1:], start=2) if any(c.strip() for c in r)]
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
        rows = []
        for number, cells in body:
            values = {
                key: (cells[position[h]].strip() if position[h] < len(cells) else "")
                for key, h in UN_MAPPING.items()
            }
            rows.append(_un_row(ctx, number, values))
        return Parsed(ImportBatch.Format.UN_CLIMATE, [], rows)
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
    if errors:
        return Parsed(ImportBatch.Format.TEMPLATE, errors, [])
    rows = []
    for number, cells in body:
        values = {key: (cells[i].strip() if i < len(cells) else "") for key, i in found.items()}
        rows.append(_template_row(ctx, number, values))
    return Parsed(ImportBatch.Format.TEMPLATE, [], rows)


def parse_file(programme: Programme, name: str, data: bytes) -> Parsed:
    try:
        table = read_table(name, data)
    except FileError as exc:
        return Parsed("", [str(exc)], [])
    return parse(programme, table)


# State changes --------------------------------------------------------------------------------


def _require(actor: Any, programme: Programme) -> None:
    if not actor.has_perm(PERM, programme):
        raise PermissionDenied


def create_batch(*, actor: Any, programme: Programme, upload: UploadedFile) -> ImportBatch:
    """Keep the uploaded file and its preview (rows, errors, warnings)."""
    _require(actor, programme)
    name = upload.name or "upload"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than 5 MB.")]})
    data = upload.read()
    upload.seek(0)
    parsed = parse_file(programme, name, data)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            programme=programme,
            file=upload,
            original_name=name[:255],
            source_format=parsed.source_format,
            uploaded_by=actor,
            file_errors=parsed.file_errors,
            rows=[r.as_json() for r in parsed.rows],
        )
        audit.record(
            actor=actor,
            action="coalitions.import_uploaded",
            obj=batch,
            programme=programme,
            data={"rows": len(parsed.rows), "errors": batch.error_count},
        )
    return batch


def _organisation(values: dict[str, Any], made: dict[tuple[str, str], Organisation]) -> Any:
    key = (_fold(values["lead_name"]), values["lead_country"])
    if key in made:
        return made[key]
    existing = Organisation.objects.filter(
        name__iexact=values["lead_name"], country_id=values["lead_country"]
    ).first()
    if existing is None:
        base = slugify(values["lead_name"])[:200].strip("-") or "organisation"
        slug, n = base, 1
        while Organisation.objects.filter(slug=slug).exists() or slug in {"new", "edit"}:
            n += 1
            slug = f"{base}-{n}"
        existing = Organisation.objects.create(
            name=values["lead_name"][:200],
            slug=slug,
            category=values["lead_category"] or Category.OTHER,
            country_id=values["lead_country"],
        )
    made[key] = existing
    return existing


def run_import(*, actor: Any, batch: ImportBatch, accept_warnings: bool = False) -> list[Coalition]:
    """Create a coalition for every row of the batch, or none: the kept file is read again and
    any error refuses the whole file.  Rows with warnings need ``accept_warnings``."""
    _require(actor, batch.programme)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ValidationError(_("This file has already been imported."))
        batch.file.open("rb")
        try:
            data = batch.file.read()
        finally:
            batch.file.close()
        parsed = parse_file(batch.programme, batch.original_name, data)
        batch.file_errors = parsed.file_errors
        batch.rows = [r.as_json() for r in parsed.rows]
        batch.source_format = parsed.source_format
        if not batch.is_clean:
            # Keep the fresh preview, outside the failed import.
            ImportBatch.objects.filter(pk=batch.pk).update(
                file_errors=batch.file_errors, rows=batch.rows
            )
            raise ValidationError(
                _("The file has errors: nothing was imported. Correct them and upload it again.")
            )
        if batch.rows_with_warnings and not accept_warnings:
            raise ValidationError(
                _("Accept the warnings listed to import the file; nothing was imported.")
            )
        made: dict[tuple[str, str], Organisation] = {}
        created = []
        for row in batch.rows:
            values = row["values"]
            coalition = Coalition.objects.create(
                programme=batch.programme,
                name=values["name"],
                slug=content.unique_slug(values["name"]),
                summary=values["summary"],
                website=values["website"],
                is_pre_existing=True,
                state=Coalition.State.ACTIVE,
                reported_members=values["reported_members"],
                import_batch=batch,
                import_row=row["number"],
            )
            Principle.objects.bulk_create(
                Principle(coalition=coalition, position=i, text=t)
                for i, t in enumerate(values["principles"])
            )
            Ask.objects.bulk_create(
                Ask(coalition=coalition, position=i, text=t) for i, t in enumerate(values["asks"])
            )
            if values["lead_name"] and values["lead_country"]:
                Membership.objects.create(
                    coalition=coalition,
                    organisation=_organisation(values, made),
                    role=Membership.Role.LEAD,
                    status=Membership.Status.ACTIVE,
                    invited_by=actor,
                    decided_at=timezone.now(),
                )
            if values["themes"]:
                coalition.themes.set(values["themes"])
            if values["sdgs"]:
                coalition.goals.set(values["sdgs"])
            created.append(coalition)
        batch.status = ImportBatch.Status.IMPORTED
        batch.imported_at = timezone.now()
        batch.imported_by = actor
        batch.save()
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
        for coalition in created:
            reindex(coalition)
    return created


def summary(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    rows = list(rows)
    return {
        "rows": len(rows),
        "with_errors": sum(1 for r in rows if r["errors"]),
        "with_warnings": sum(1 for r in rows if r["warnings"]),
    }
