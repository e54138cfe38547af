"""Import a registry's commitments and their organisations, all or nothing.

Files: CSV and XLSX (read as the coalition import reads them: ``coalitions.importing``'s
``read_table``, its limits and messages) and JSON Lines (one object a line, nested lists kept).
Two layouts, told apart by their columns:

* the **Pledgebook commitments template** (:data:`TEMPLATE_COLUMNS`, documented column by
  column; :func:`template_csv` gives a file to fill in);
* the **UN Ocean Conference #OceanAction registry** (:data:`UN_OCEAN_MAPPING`): the columns
  of its public pages, as the JSON Lines export of the ocean commitments has them.

Steps, each one function:

1. :func:`create_run` reads the file (a bad file: wrong header, wrong encoding, not the format
   its name claims, is refused with a message and nothing is stored), maps every column
   (:func:`default_mapping`; the secretariat may change it with :func:`set_mapping`), and
   previews every record: imported or set aside with its reason, with warnings naming the
   row and column of everything that is not taken as written.  Each organisation the file
   names gets a decision (:class:`~pledgebook.registry.models.OrganisationDecision`): matched
   to one on the platform (``registry.matching``, with its score) or created; the
   secretariat may change it (:func:`change_decision`).
2. :func:`start_import` queues :func:`import_registry` (a task with progress on the run); it
   reads the kept file again and creates every accepted record in one transaction, or none.

What is messy in the real registry is never guessed silently; each is a warning of a *kind*
(:data:`WARNING_KINDS`): placeholder dates (1 January 1970) are dropped, money that is not a
plain number stays text, place names that are not countries stay text, types of organisation
the mapping table does not know become "Other".  Descriptions are kept as written, in their
language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from pledgebook.coalitions.importing import Countries, FileError, read_table
from pledgebook.commitments import domain as commitments_domain
from pledgebook.commitments import duplicates
from pledgebook.commitments import suggest as sdg_suggest
from pledgebook.commitments.models import Commitment, GeographicScope
from pledgebook.core import audit, uploads
from pledgebook.core.tasks import BACKGROUND_PRIORITY, INTERACTIVE_PRIORITY
from pledgebook.organisations import entity_types
from pledgebook.organisations.models import Category, Organisation, category_label
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Country, Currency, Target
from pledgebook.registry.matching import Matcher, fold, normalise
from pledgebook.registry.models import (
    GoalSuggestion,
    ImportRun,
    Milestone,
    NamedPartner,
    OrganisationDecision,
    Provenance,
    ReportHistory,
    Resource,
)

logger = logging.getLogger(__name__)

PERM = "registry.import_commitments"
MAX_BYTES = 20 * 1024 * 1024
MAX_RECORDS = 10_000
#: Records created per step of the progress.
CHUNK = 250
TITLE_MAX = Commitment._meta.get_field("title").max_length or 300
NAME_MAX = Organisation._meta.get_field("name").max_length or 200
#: The registry's placeholder for "no date".
PLACEHOLDER_DATES = {dt.date(1970, 1, 1)}
#: The largest amount a commitment holds (DecimalField max_digits=18, 2 decimals).
MAX_AMOUNT = Decimal("9999999999999999.99")

# What a column may become -------------------------------------------------------------------

FIELDS: dict[str, Any] = {
    "title": gettext_lazy("Title (required)"),
    "description": gettext_lazy("Description (kept as written, in its language)"),
    "external_id": gettext_lazy("Identifier in the source registry"),
    "url": gettext_lazy("Address of the record in the source registry"),
    "organisation": gettext_lazy("Lead organisation (name; required)"),
    "organisation_type": gettext_lazy("Lead organisation: type or stakeholder category"),
    "organisation_country": gettext_lazy("Lead organisation: country or headquarters"),
    "countries": gettext_lazy("Countries where the commitment acts"),
    "partners": gettext_lazy("Partners (kept as names, not confirmed co-makers)"),
    "starts_on": gettext_lazy("Start date"),
    "ends_on": gettext_lazy("End date"),
    "milestones": gettext_lazy("Deliverables (dated milestones)"),
    "resources": gettext_lazy("Resources (type and details; plain USD financing as amount)"),
    "financing": gettext_lazy("Financing in USD (a plain number becomes the amount)"),
    "goals": gettext_lazy("SDGs (numbers)"),
    "targets": gettext_lazy("SDG targets (codes such as 14.1)"),
    "themes": gettext_lazy("Themes of the programme (by name)"),
    "reports_submitted": gettext_lazy("Progress reports submitted (kept as history)"),
}
REQUIRED = ("title", "organisation")

#: The template: header → (field, what to write).  Lists are separated by semicolons or line
#: breaks; milestones one a line, "YYYY-MM-DD: deliverable"; resources one a line,
#: "type: details".
TEMPLATE_COLUMNS: dict[str, tuple[str, Any]] = {
    "title": ("title", gettext_lazy("The commitment's title. Required.")),
    "description": ("description", gettext_lazy("What will be done, in any language.")),
    "external id": ("external_id", gettext_lazy("Its identifier in your registry, if any.")),
    "source url": ("url", gettext_lazy("Its address in your registry, if any.")),
    "organisation": ("organisation", gettext_lazy("The lead organisation's name. Required.")),
    "organisation category": (
        "organisation_type",
        gettext_lazy("A stakeholder category (its name or code)."),
    ),
    "organisation country": (
        "organisation_country",
        gettext_lazy("The lead organisation's country: ISO code or name."),
    ),
    "countries": ("countries", gettext_lazy("Countries where it acts, ISO codes or names.")),
    "partners": ("partners", gettext_lazy("Partner organisations, one a line or ';'.")),
    "start date": ("starts_on", gettext_lazy("YYYY-MM-DD.")),
    "end date": ("ends_on", gettext_lazy("YYYY-MM-DD.")),
    "milestones": ("milestones", gettext_lazy("One a line: 'YYYY-MM-DD: deliverable'.")),
    "financing usd": ("financing", gettext_lazy("A plain number of US dollars, or text.")),
    "resources": ("resources", gettext_lazy("One a line: 'type: details'.")),
    "sdgs": ("goals", gettext_lazy("Goal numbers, e.g. '14; 13'.")),
    "sdg targets": ("targets", gettext_lazy("Target codes, e.g. '14.1; 14.2'.")),
    "themes": ("themes", gettext_lazy("Names of the programme's themes.")),
    "progress reports submitted": (
        "reports_submitted",
        gettext_lazy("yes or no: whether progress reports were submitted before."),
    ),
}
TEMPLATE_EXAMPLE = {
    "title": "Restore 500 hectares of mangroves in the Gulf of Fonseca",
    "description": "Community nurseries and replanting with three fishing cooperatives.",
    "external id": "REG-0042",
    "source url": "https://registry.example.org/commitments/42",
    "organisation": "Fundación Manglares Vivos (FMV)",
    "organisation category": "civil_society",
    "organisation country": "HN",
    "countries": "HN; SV; NI",
    "partners": "Cooperativa Pesquera El Tamarindo; University of Honduras",
    "start date": "2025-01-01",
    "end date": "2028-12-31",
    "milestones": "2026-06-30: 200 ha replanted\n2028-12-31: 500 ha replanted",
    "financing usd": "250000",
    "resources": "Staff / Technical expertise: two foresters",
    "sdgs": "14; 13",
    "sdg targets": "14.2",
    "themes": "",
    "progress reports submitted": "no",
}

#: The #OceanAction registry: source column → field ('' = not imported).
UN_OCEAN_MAPPING: dict[str, str] = {
    "title": "title",
    "description": "description",
    "ocean_action_id": "external_id",
    "url": "url",
    "lead_entity": "organisation",
    "entity_type": "organisation_type",
    "headquarters": "organisation_country",
    "countries": "countries",
    "partners": "partners",
    "start_date": "starts_on",
    "completion_date": "ends_on",
    "deliverables": "milestones",
    "resources": "resources",
    "sdgs": "goals",
    "sdg14_targets": "targets",
    "communities_of_ocean_action": "themes",
    "progress_reports_submitted": "reports_submitted",
    "source_file": "",
    "node_id": "",
    "smart": "",
    "website": "",
    "geographical_coverage": "",
    "region": "",
    "ocean_basins": "",
    "other_beneficiaries": "",
}
#: Why a column of the registry is not imported (shown in the mapping step).
NOT_IMPORTED: dict[str, Any] = {
    "source_file": gettext_lazy("the archive's file name, not the registry's"),
    "node_id": gettext_lazy("the number inside the #OceanAction identifier, kept with it"),
    "smart": gettext_lazy("the registry's own SMART flag; the platform assesses the text"),
    "website": gettext_lazy("the initiative's site; the registry address is kept"),
    "geographical_coverage": gettext_lazy("free text; the countries are imported"),
    "region": gettext_lazy("set on 6 records only"),
    "ocean_basins": gettext_lazy("no field on the platform"),
    "other_beneficiaries": gettext_lazy("free text with no field on the platform"),
}
UN_OCEAN_SIGNATURE = {"title", "ocean_action_id", "lead_entity"}
UN_OCEAN_SOURCE = "UN Ocean Conference #OceanAction registry"
UN_TYPES_SOURCE = "ocean_action"

#: Warnings by kind: what was not taken as written.
WARNING_KINDS: dict[str, Any] = {
    "placeholder_date": gettext_lazy("placeholder date dropped"),
    "bad_date": gettext_lazy("date not understood, dropped"),
    "dates_reversed": gettext_lazy("end before start"),
    "money_as_text": gettext_lazy("financing not a plain number, kept as text"),
    "amounts_summed": gettext_lazy("several amounts summed"),
    "not_a_country": gettext_lazy("place that is not a country, kept as text"),
    "organisation_country_inferred": gettext_lazy(
        "organisation's country taken from the commitment's one country"
    ),
    "organisation_country_unknown": gettext_lazy(
        "organisation's country unknown, the import's fallback used"
    ),
    "unknown_type": gettext_lazy("type of organisation not in the mapping table: Other"),
    "type_note": gettext_lazy("type of organisation ambiguous in the source"),
    "type_differs": gettext_lazy("organisation given another type by an earlier record"),
    "unknown_goal": gettext_lazy("SDG or target not recognised, dropped"),
    "theme_not_in_programme": gettext_lazy("theme not in the programme, dropped"),
    "truncated": gettext_lazy("text longer than the field, shortened"),
    "not_yes_no": gettext_lazy("not yes or no, dropped"),
    "partner_is_lead": gettext_lazy("the lead listed among its own partners: kept as the lead"),
}
SET_ASIDE_REASONS: dict[str, Any] = {
    "no_title": gettext_lazy("no title"),
    "no_organisation": gettext_lazy("no lead organisation"),
    "repeated_id": gettext_lazy("same identifier as an earlier record of the file"),
    "already_imported": gettext_lazy("already imported into this programme"),
}


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(TEMPLATE_COLUMNS))
    writer.writerow([TEMPLATE_EXAMPLE[c] for c in TEMPLATE_COLUMNS])
    return out.getvalue()


# Reading a file ------------------------------------------------------------------------------


@dataclass
class Source:
    file_format: str
    layout: str
    columns: list[str]
    #: (row as the user sees it, {column: value})
    records: list[tuple[int, dict[str, Any]]]


def _format_of(name: str, data: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return ImportRun.FileFormat.JSONL
    if lower.endswith(".xlsx"):
        if data[:2] != b"PK":
            raise FileError(_("The file is named .xlsx but is not an XLSX workbook."))
        return ImportRun.FileFormat.XLSX
    if lower.endswith(".csv"):
        if data[:2] == b"PK":
            raise FileError(_("The file is named .csv but is a workbook: name it .xlsx."))
        return ImportRun.FileFormat.CSV
    raise FileError(_("Upload a .csv, .xlsx or .jsonl file."))


def _jsonl_records(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            _("The file is not UTF-8 encoded (byte %(n)s): save it as UTF-8.") % {"n": exc.start}
        ) from exc
    columns: dict[str, None] = {}
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise FileError(
                _("Line %(n)s is not JSON (%(reason)s): the file is not JSON Lines.")
                % {"n": number, "reason": exc.msg if hasattr(exc, "msg") else exc}
            ) from exc
        if not isinstance(value, dict):
            raise FileError(_("Line %(n)s is not a JSON object.") % {"n": number})
        columns.update(dict.fromkeys(value))
        records.append((number, value))
        if len(records) > MAX_RECORDS:
            raise FileError(_("The file has more than %(n)s records.") % {"n": MAX_RECORDS})
    return list(columns), records


def _table_records(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    table = read_table(name, data)
    if not table or not any(table[0]):
        raise FileError(_("The file is empty: its first line must name the columns."))
    header = [h.strip() for h in table[0]]
    records = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        records.append(
            (number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
        )
        if len(records) > MAX_RECORDS:
            raise FileError(_("The file has more than %(n)s records.") % {"n": MAX_RECORDS})
    return [h for h in header if h], records


def _template_key(column: str) -> str:
    return re.sub(r"[\s_\-()]+", " ", column.strip().casefold()).strip()


def read_source(name: str, data: bytes) -> Source:
    """The file's format, layout, columns and records; a bad file raises ``FileError``."""
    file_format = _format_of(name, data)
    if file_format == ImportRun.FileFormat.JSONL:
        columns, records = _jsonl_records(data)
    else:
        columns, records = _table_records(name, data)
    present = set(columns)
    if present >= UN_OCEAN_SIGNATURE:
        layout = ImportRun.Layout.UN_OCEAN
    elif {"title", "organisation"} <= {_template_key(c) for c in columns}:
        layout = ImportRun.Layout.TEMPLATE
    else:
        raise FileError(
            _(
                "The columns are neither those of the Pledgebook template (it needs “title” and "
                "“organisation”) nor those of the #OceanAction registry (“title”, "
                "“ocean_action_id”, “lead_entity”). The file's columns: %(columns)s."
            )
            % {"columns": ", ".join(columns[:20]) or _("none")}
        )
    if not records:
        raise FileError(_("The file has no records under its header."))
    return Source(file_format, layout, columns, records)


def default_mapping(layout: str, columns: Iterable[str]) -> dict[str, str]:
    """Every column of the file → the field it becomes ('' = not imported)."""
    mapping = {}
    for column in columns:
        if layout == ImportRun.Layout.UN_OCEAN:
            mapping[column] = UN_OCEAN_MAPPING.get(column, "")
        else:
            target = TEMPLATE_COLUMNS.get(_template_key(column))
            mapping[column] = target[0] if target else ""
    return mapping


def check_mapping(mapping: dict[str, str], columns: Iterable[str]) -> dict[str, str]:
    """The mapping if valid: known fields, each field from one column at most, the required
    fields mapped; otherwise ``ValidationError`` naming the problem."""
    columns = list(columns)
    errors = []
    used: dict[str, str] = {}
    clean = {}
    for column in columns:
        target = mapping.get(column, "") or ""
        if target and target not in FIELDS:
            errors.append(_("“%(f)s” is not a field.") % {"f": target})
            continue
        if target and target in used:
            errors.append(
                _("“%(a)s” and “%(b)s” both become “%(f)s”: choose one.")
                % {"a": used[target], "b": column, "f": FIELDS[target]}
            )
            continue
        if target:
            used[target] = column
        clean[column] = target
    for required in REQUIRED:
        if required not in used:
            errors.append(_("No column becomes “%(f)s”.") % {"f": FIELDS[required]})
    if errors:
        raise ValidationError(errors)
    return clean


# Values --------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if _text(v))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if _text(v))
    return str(value).strip()


def _items(value: Any, *, lines_only: bool = False) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [t for t in (_text(v) for v in value) if t]
    pattern = r"\n+" if lines_only else r"[;\n]+"
    parts = (p.strip().lstrip("•-* ").strip() for p in re.split(pattern, str(value)))
    return [p for p in parts if p]


def _is_the_lead(partner: str, lead: str) -> bool:
    """A partner entry naming the lead organisation itself, with or without the registry's role
    note in parentheses ("Project AWARE (lead entity - Non-governmental organization)")."""
    if "lead entity" in partner.lower():
        return True
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", partner)
    return bool(lead) and normalise(bare) == lead


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y")


def _date(value: Any) -> dt.date | str | None:
    """A date, None when empty, or the text when not understood."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T].*", text):
        text = text[:10]
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return text


_MONEY = re.compile(r"^(?:US\$|USD|\$)?\s*([\d][\d,\s]*(?:\.\d{1,2})?)\s*(?:USD|US\$|\$)?$", re.I)


def plain_amount(text: str) -> Decimal | None:
    """A plain number of US dollars ("$ 1000000000", "137950", "110876.70", "1,500,000"); None
    for anything else (words, ranges, other currencies, "1.000.000")."""
    found = _MONEY.match(text.strip())
    if not found:
        return None
    number = found.group(1).strip()
    digits = re.sub(r"[,\s]", "", number)
    if "," in number and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        return None
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        return None
    return amount if 0 < amount <= MAX_AMOUNT else None


def _yes_no(value: Any) -> bool | str | None:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if not text:
        return None
    if text in {"yes", "true", "1", "y", "oui", "sí", "si"}:
        return True
    if text in {"no", "false", "0", "n", "non"}:
        return False
    return text


# Records -------------------------------------------------------------------------------------


@dataclass
class Record:
    row: int
    title: str = ""
    external_id: str = ""
    set_aside: str = ""
    warnings: list[dict[str, str]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    organisation_key: str = ""

    def warn(self, column: str, kind: str, message: str) -> None:
        self.warnings.append({"column": column, "kind": kind, "message": message})

    def preview(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "title": self.title,
            "external_id": self.external_id,
            "set_aside": self.set_aside,
            "reason": str(SET_ASIDE_REASONS[self.set_aside]) if self.set_aside else "",
            "warnings": self.warnings,
            "organisation": self.organisation_key,
        }


@dataclass
class Lead:
    name: str
    category: str
    country: str
    country_source: str
    records: int = 0
    first_row: int = 0


def _quote(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Analyser:
    def __init__(self, programme: Programme, layout: str, fallback_country: str) -> None:
        self.programme = programme
        self.layout = layout
        self.fallback = fallback_country
        self.countries = Countries()
        self.country_names = {
            fold(name): iso2 for iso2, name in Country.objects.values_list("iso2", "name")
        }
        self.targets = set(Target.objects.values_list("code", flat=True))
        self.themes = {
            fold(name): pk
            for pk, name, slug in Theme.objects.filter(programme=programme).values_list(
                "pk", "name", "slug"
            )
            for name in (name, slug)
        }
        self.imported = set(
            Provenance.objects.filter(commitment__programme=programme)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
        self.leads: dict[str, Lead] = {}

    def country(self, value: str) -> str | None:
        return self.countries.find(value) or self.country_names.get(fold(value).strip())

    def headquarters(self, text: str) -> str | None:
        """The country of "Irvine, CA, USA", "Busan, Republic of Korea", "France"."""
        parts = [p.strip() for p in re.split(r"[,;\n()]+", text) if p.strip()]
        for part in reversed(parts):
            found = self.country(part)
            if found:
                return found
        words = text.split()
        for size in (4, 3, 2, 1):
            if len(words) >= size:
                found = self.country(" ".join(words[-size:]))
                if found:
                    return found
        return None

    def category(self, value: str, record: Record, column: str) -> str:
        if not value:
            record.warn(column, "unknown_type", _("No type of organisation: “Other”."))
            return Category.OTHER
        if self.layout == ImportRun.Layout.UN_OCEAN:
            row = entity_types.lookup(UN_TYPES_SOURCE, value)
            if row is not None:
                if row.note:
                    record.warn(column, "type_note", f"{value}: {row.note_text}")
                return row.category
        else:
            folded = fold(value).strip()
            for code, label in Category.choices:
                if folded in (code, fold(str(label)), fold(code.replace("_", " "))):
                    return code
            earlier = entity_types.lookup("pledgebook_1", value)
            if earlier is not None:
                return earlier.category
        record.warn(
            column,
            "unknown_type",
            _("“%(v)s” is not in the mapping table of organisation types: “Other”.")
            % {"v": _quote(value)},
        )
        return Category.OTHER

    def record(self, row: int, cells: dict[str, Any], mapping: dict[str, str]) -> Record:
        by_field = {target: column for column, target in mapping.items() if target}
        record = Record(row)

        def get(name: str) -> Any:
            column = by_field.get(name)
            return cells.get(column) if column else None

        def column(name: str) -> str:
            return by_field.get(name, name)

        title = re.sub(r"\s+", " ", _text(get("title")))
        record.title = title[:TITLE_MAX]
        record.external_id = _text(get("external_id"))[:100]
        if not title:
            record.set_aside = "no_title"
            return record
        if len(title) > TITLE_MAX:
            record.warn(column("title"), "truncated", _("Title shortened to 300 characters."))
        values: dict[str, Any] = {
            "title": record.title,
            "description": _text(get("description"))
            if isinstance(get("description"), list)
            else str(get("description") or "").strip(),
            "external_id": record.external_id,
            "url": _text(get("url"))[:500],
        }
        # Dates.
        for name in ("starts_on", "ends_on"):
            parsed = _date(get(name))
            if isinstance(parsed, str):
                record.warn(
                    column(name),
                    "bad_date",
                    _("“%(v)s” is not a date: no date kept.") % {"v": _quote(parsed)},
                )
                parsed = None
            elif parsed in PLACEHOLDER_DATES:
                record.warn(
                    column(name),
                    "placeholder_date",
                    _("%(d)s is the registry's placeholder: no date kept.")
                    % {"d": parsed.isoformat()},
                )
                parsed = None
            values[name] = parsed.isoformat() if parsed else None
        if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
            record.warn(
                column("ends_on"),
                "dates_reversed",
                _("The end (%(e)s) is before the start (%(s)s): both kept.")
                % {"e": values["ends_on"], "s": values["starts_on"]},
            )
        # Milestones.
        milestones = []
        raw = get("milestones")
        entries: list[tuple[Any, str]] = []
        if isinstance(raw, list):
            for item in raw:
                if isinstance(item, dict):
                    entries.append((item.get("date"), _text(item.get("deliverable"))))
                else:
                    entries.append((None, _text(item)))
        else:
            for line in _items(raw, lines_only=True):
                found = re.match(r"^(\d{4}-\d{2}-\d{2})\s*[:|\-–]\s*(.*)$", line)
                entries.append((found.group(1), found.group(2)) if found else (None, line))
        for when, text in entries:
            due = _date(when)
            if isinstance(due, str):
                record.warn(
                    column("milestones"),
                    "bad_date",
                    _("Deliverable date “%(v)s” not understood: kept without a date.")
                    % {"v": _quote(due)},
                )
                due = None
            elif due in PLACEHOLDER_DATES:
                record.warn(
                    column("milestones"),
                    "placeholder_date",
                    _("Deliverable dated %(d)s, the registry's placeholder: kept without a date.")
                    % {"d": due.isoformat()},
                )
                due = None
            if text or due:
                milestones.append({"due_on": due.isoformat() if due else None, "text": text})
        values["milestones"] = milestones
        # Resources and money.
        resources = []
        raw = get("resources")
        if isinstance(raw, list):
            pairs = [
                (_text(i.get("type")), _text(i.get("details")))
                if isinstance(i, dict)
                else ("", _text(i))
                for i in raw
            ]
        else:
            pairs = []
            for line in _items(raw, lines_only=True):
                kind, sep, details = line.partition(":")
                pairs.append((kind.strip(), details.strip()) if sep else ("", line))
        financing = _text(get("financing"))
        if financing:
            pairs.append(("Financing (in USD)", financing))
        amounts = []
        for kind, details in pairs:
            amount = None
            if "financing" in kind.casefold() and details:
                amount = plain_amount(details)
                if amount is None:
                    record.warn(
                        column("financing")
                        if kind == "Financing (in USD)" and financing
                        else column("resources"),
                        "money_as_text",
                        _("“%(v)s” is not a plain amount in USD: kept as text.")
                        % {"v": _quote(details)},
                    )
                else:
                    amounts.append(amount)
            if kind or details:
                resources.append(
                    {
                        "kind": kind[:100],
                        "details": details,
                        "amount": str(amount) if amount else None,
                    }
                )
        values["resources"] = resources
        if len(amounts) > 1:
            record.warn(
                column("resources"),
                "amounts_summed",
                _("%(n)s amounts in USD given: their sum is the commitment's amount.")
                % {"n": len(amounts)},
            )
        total = sum(amounts, Decimal(0))
        values["amount"] = str(total) if amounts and total <= MAX_AMOUNT else None
        # Countries.
        countries, places = [], []
        for item in _items(get("countries")):
            iso2 = self.country(item)
            if iso2:
                if iso2 not in countries:
                    countries.append(iso2)
            else:
                places.append(item)
                record.warn(
                    column("countries"),
                    "not_a_country",
                    _("“%(v)s” is not a country: kept as text.") % {"v": _quote(item)},
                )
        values["countries"] = countries
        values["places"] = places
        # Goals, targets, themes.
        goals, targets = [], []
        for item in _items(get("goals")):
            number = re.sub(r"^(sdg|goal)\s*", "", item.strip(), flags=re.I)
            if number.isdigit() and 1 <= int(number) <= 17:
                if int(number) not in goals:
                    goals.append(int(number))
            else:
                record.warn(
                    column("goals"), "unknown_goal", _("“%(v)s” is not an SDG.") % {"v": item}
                )
        for item in _items(get("targets")):
            code = item.strip().lower()
            if code in self.targets:
                if code not in targets:
                    targets.append(code)
            else:
                record.warn(
                    column("targets"),
                    "unknown_goal",
                    _("“%(v)s” is not an SDG target.") % {"v": _quote(item)},
                )
        for code in targets:
            goal = int(code.split(".")[0])
            if goal not in goals:
                goals.append(goal)
        values["goals"], values["targets"] = goals, targets
        themes = []
        for item in _items(get("themes")):
            pk = self.themes.get(fold(item).strip())
            if pk is None:
                record.warn(
                    column("themes"),
                    "theme_not_in_programme",
                    _("“%(v)s” is not a theme of the programme.") % {"v": _quote(item)},
                )
            elif pk not in themes:
                themes.append(pk)
        values["themes"] = themes
        # Past reporting.
        reported = _yes_no(get("reports_submitted"))
        if isinstance(reported, str):
            record.warn(
                column("reports_submitted"),
                "not_yes_no",
                _("“%(v)s” is not yes or no.") % {"v": _quote(reported)},
            )
            reported = None
        values["reports_submitted"] = reported
        # Partners: names, each line (or ';') one.
        partners = _items(get("partners"))
        values["partners"] = partners
        values["scope"] = GeographicScope.NATIONAL if countries else GeographicScope.GLOBAL
        # The lead organisation.
        name = re.sub(r"\s+", " ", _text(get("organisation")))
        if not name:
            record.set_aside = "no_organisation"
            return record
        if len(name) > NAME_MAX:
            record.warn(
                column("organisation"),
                "truncated",
                _("The organisation's name is longer than %(n)s characters: shortened.")
                % {"n": NAME_MAX},
            )
            name = name[:NAME_MAX].rstrip()
        # The registry often lists the lead among its partners ("X (lead entity - NGO)"): the
        # lead is not its own partner (the assessment counts partners for "collective").
        lead_name = normalise(name)
        kept = [p for p in partners if not _is_the_lead(p, lead_name)]
        if len(kept) < len(partners):
            record.warn(
                column("partners"),
                "partner_is_lead",
                _("The lead organisation is listed among the partners: kept as the lead only."),
            )
            values["partners"] = kept
        category = self.category(
            _text(get("organisation_type")), record, column("organisation_type")
        )
        where = _text(get("organisation_country"))
        country = self.headquarters(where) if where else None
        source = "file" if country else ""
        if where and not country:
            record.warn(
                column("organisation_country"),
                "not_a_country",
                _("No country found in “%(v)s”.") % {"v": _quote(where)},
            )
        if not country and category in (Category.MEMBER_STATE, Category.GOVERNMENT):
            country = self.headquarters(name)
            source = "name" if country else ""
        if not country and len(countries) == 1:
            country, source = countries[0], "countries"
            record.warn(
                column("organisation_country"),
                "organisation_country_inferred",
                _("The organisation's country is not given: %(c)s, the commitment's one country.")
                % {"c": country},
            )
        if not country:
            country, source = self.fallback, "fallback"
            record.warn(
                column("organisation_country"),
                "organisation_country_unknown",
                _("The organisation's country is not given: %(c)s, the import's fallback.")
                % {"c": country or _("none chosen")},
            )
        key = f"{normalise(name)}|{country if source != 'fallback' else ''}"
        lead = self.leads.get(key)
        if lead is None:
            lead = self.leads[key] = Lead(name, category, country, source, first_row=row)
        elif lead.category != category:
            record.warn(
                column("organisation_type"),
                "type_differs",
                _(
                    "%(name)s is a “%(here)s” here and a “%(first)s” in row %(row)s: it is "
                    "created once, as the first."
                )
                % {
                    "name": name,
                    "here": category_label(category),
                    "first": category_label(lead.category),
                    "row": lead.first_row,
                },
            )
        lead.records += 1
        record.organisation_key = key
        values["organisation_as_written"] = _text(get("organisation"))
        record.values = values
        # Repeated and already imported.
        if record.external_id and record.external_id in self.imported:
            record.set_aside = "already_imported"
        return record


def analyse(
    programme: Programme,
    source: Source,
    mapping: dict[str, str],
    fallback_country: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Record], dict[str, Lead]]:
    analyser = _Analyser(programme, source.layout, fallback_country)
    records = []
    seen: dict[str, int] = {}
    total = len(source.records)
    for done, (row, cells) in enumerate(source.records, start=1):
        record = analyser.record(row, cells, mapping)
        if not record.set_aside and record.external_id:
            if record.external_id in seen:
                record.set_aside = "repeated_id"
            else:
                seen[record.external_id] = row
        records.append(record)
        if progress and done % CHUNK == 0:
            progress(done, total)
    return records, analyser.leads


def matcher() -> Matcher:
    return Matcher(Organisation.objects.values_list("pk", "name", "country_id").iterator())


def propose(leads: dict[str, Lead], match: Matcher) -> dict[str, dict[str, Any]]:
    """A decision for each organisation of the file: matched (score, reason) or created."""
    decisions = {}
    for key, lead in leads.items():
        country = lead.country if lead.country_source != "fallback" else ""
        best, shown = match.best(lead.name, country)
        decisions[key] = {
            "action": OrganisationDecision.Action.MATCH
            if best
            else OrganisationDecision.Action.CREATE,
            "organisation_id": best.id if best else None,
            "score": round(best.score, 1) if best else None,
            "reason": best.reason if best else "",
            "candidates": [c.as_json() for c in shown],
        }
    return decisions


def summarise(records: list[Record], decisions: Iterable[Any] = ()) -> dict[str, Any]:
    accepted = [r for r in records if not r.set_aside]
    actions = Counter(d.action for d in decisions)
    return {
        "records": len(records),
        "accepted": len(accepted),
        "set_aside": dict(sorted(Counter(r.set_aside for r in records if r.set_aside).items())),
        "warnings": dict(sorted(Counter(w["kind"] for r in accepted for w in r.warnings).items())),
        "warnings_by_column": dict(
            sorted(
                Counter(f"{w['kind']}: {w['column']}" for r in accepted for w in r.warnings).items()
            )
        ),
        "records_with_warnings": sum(1 for r in accepted if r.warnings),
        "organisations": {
            "matched": actions.get(OrganisationDecision.Action.MATCH, 0),
            "created": actions.get(OrganisationDecision.Action.CREATE, 0),
        },
    }


# State changes -------------------------------------------------------------------------------


def _require(actor: Any, programme: Programme) -> None:
    if not actor.has_perm(PERM, programme):
        raise PermissionDenied


def _read(run: ImportRun) -> Source:
    run.file.open("rb")
    try:
        data = run.file.read()
    finally:
        run.file.close()
    return read_source(run.original_name, data)


def column_examples(run: ImportRun, records: int = 50) -> dict[str, str]:
    """The first value of each column among the first records of the kept file, shortened:
    shown beside the column's mapping."""
    try:
        source = _read(run)
    except (OSError, ValueError, FileError):  # the file is gone: the mapping still shows
        return {}
    found: dict[str, str] = {}
    for _row, cells in source.records[:records]:
        for column, value in cells.items():
            text = _text(value)
            if text and column not in found:
                found[column] = text if len(text) <= 80 else text[:79] + "…"
    return found


def _preview(run: ImportRun, source: Source, *, keep: dict[str, OrganisationDecision]) -> None:
    """Analyse the file with the run's mapping; store the preview rows, the decisions
    (keeping those the secretariat changed) and the counts."""
    records, leads = analyse(run.programme, source, run.mapping, run.fallback_country_id or "")
    proposed = propose(leads, matcher())
    OrganisationDecision.objects.filter(run=run).exclude(key__in=list(leads)).delete()
    new, changed = [], []
    for key, lead in leads.items():
        decision = keep.get(key)
        values = proposed[key]
        if decision is None:
            new.append(
                OrganisationDecision(
                    run=run,
                    key=key[:300],
                    name=lead.name,
                    category=lead.category,
                    country_id=lead.country or None,
                    country_source=lead.country_source,
                    records=lead.records,
                    action=values["action"],
                    organisation_id=values["organisation_id"],
                    score=values["score"],
                    reason=values["reason"],
                    candidates=values["candidates"],
                )
            )
        else:
            decision.records = lead.records
            decision.candidates = values["candidates"]
            if decision.changed_by_id is None:
                decision.action = values["action"]
                decision.organisation_id = values["organisation_id"]
                decision.score = values["score"]
                decision.reason = values["reason"]
            changed.append(decision)
    OrganisationDecision.objects.bulk_create(new, batch_size=500)
    OrganisationDecision.objects.bulk_update(
        changed,
        ["records", "candidates", "action", "organisation_id", "score", "reason"],
        batch_size=500,
    )
    run.rows = [r.preview() for r in records]
    run.counts = summarise(records, OrganisationDecision.objects.filter(run=run).only("action"))


def create_run(
    *,
    actor: Any,
    programme: Programme,
    upload: UploadedFile,
    fallback_country: Country | None = None,
) -> ImportRun:
    """Keep the uploaded file with its mapping, preview and organisation decisions.  A bad
    file raises ``ValidationError`` naming what is wrong, and nothing is stored."""
    _require(actor, programme)
    name = upload.name or "upload"
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than 20 MB.")]})
    data = upload.read()
    upload.seek(0)
    try:
        source = read_source(name, data)
    except FileError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    with uploads.atomic_with_files():
        run = ImportRun.objects.create(
            programme=programme,
            file=upload,
            original_name=name[:255],
            file_format=source.file_format,
            layout=source.layout,
            columns=source.columns,
            mapping=default_mapping(source.layout, source.columns),
            fallback_country=fallback_country,
            uploaded_by=actor,
        )
        _preview(run, source, keep={})
        run.save(update_fields=["rows", "counts"])
        audit.record(
            actor=actor,
            action="registry.import_uploaded",
            obj=run,
            programme=programme,
            data={"records": len(source.records), "layout": run.layout},
        )
    return run


def _editable(run: ImportRun) -> ImportRun:
    """The run, locked, while it may still change: a preview, or a failed import (nothing of
    it was imported: its decisions may be corrected and the import started again)."""
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    if locked.status not in ImportRun.EDITABLE_STATUSES:
        raise ValidationError(_("This import has started: its preview can no longer change."))
    return locked


def set_mapping(
    *,
    actor: Any,
    run: ImportRun,
    mapping: dict[str, str],
    fallback_country: Country | None = None,
) -> ImportRun:
    """Change what each column becomes (and the fallback country), and preview again;
    decisions the secretariat changed are kept."""
    _require(actor, run.programme)
    with transaction.atomic():
        run = _editable(run)
        run.mapping = check_mapping(mapping, run.columns)
        run.fallback_country = fallback_country
        keep = {d.key: d for d in OrganisationDecision.objects.filter(run=run)}
        _preview(run, _read(run), keep=keep)
        run.save(update_fields=["mapping", "fallback_country", "rows", "counts"])
    return run


def change_decision(
    *,
    actor: Any,
    decision: OrganisationDecision,
    organisation: Organisation | None,
) -> OrganisationDecision:
    """Match the file's organisation to ``organisation``, or (None) create it."""
    _require(actor, decision.run.programme)
    with transaction.atomic():
        run = _editable(decision.run)
        decision = OrganisationDecision.objects.select_for_update().get(pk=decision.pk, run=run)
        if organisation is None:
            decision.action = OrganisationDecision.Action.CREATE
            decision.organisation = None
            decision.score = None
            decision.reason = _("chosen by the secretariat")
        else:
            decision.action = OrganisationDecision.Action.MATCH
            decision.organisation = organisation
            scores = {c["id"]: c["score"] for c in decision.candidates}
            decision.score = scores.get(organisation.pk)
            decision.reason = _("chosen by the secretariat")
        decision.changed_by = actor
        decision.save()
        run.counts = {
            **run.counts,
            "organisations": {
                "matched": run.decisions.filter(action=OrganisationDecision.Action.MATCH).count(),
                "created": run.decisions.filter(action=OrganisationDecision.Action.CREATE).count(),
            },
        }
        run.save(update_fields=["counts"])
    return decision


def start_import(*, actor: Any, run: ImportRun) -> ImportRun:
    """Queue the import of every accepted record (a task; progress on the run)."""
    _require(actor, run.programme)
    with transaction.atomic():
        run = _editable(run)
        if not run.counts.get("accepted"):
            raise ValidationError(_("No record of the file can be imported."))
        unknown = run.decisions.filter(
            action=OrganisationDecision.Action.CREATE, country__isnull=True
        ).count()
        if unknown:
            raise ValidationError(
                _(
                    "%(n)s organisations to create have no country: choose the country for "
                    "organisations whose country the file does not give."
                )
                % {"n": unknown}
            )
        run.status = ImportRun.Status.QUEUED
        run.queued_at = timezone.now()
        run.imported_by = actor
        run.progress = 0
        run.step = _("Waiting for the worker")
        run.error = ""
        run.save(update_fields=["status", "queued_at", "imported_by", "progress", "step", "error"])
        audit.record(
            actor=actor,
            action="registry.import_queued",
            obj=run,
            programme=run.programme,
            data={"records": run.counts.get("accepted", 0)},
        )
        import_registry.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


def _progress(run: ImportRun, progress: int, step: str, **fields: Any) -> None:
    run.progress = progress
    run.step = step
    for name, value in fields.items():
        setattr(run, name, value)
    ImportRun.objects.filter(pk=run.pk).update(progress=progress, step=step, **fields)


@task(priority=INTERACTIVE_PRIORITY)
def import_registry(*, run_id: int) -> str:
    """Import a queued run (:func:`run_import`); returns its final status."""
    return run_import(run_id).status


#: Called with ``commitment_ids`` after an import has committed (outside its transaction):
#: SDG suggestions and duplicate finding register here.
_after_import: list[Callable[..., object]] = []


def on_imported(hook: Callable[..., object]) -> None:
    if hook not in _after_import:
        _after_import.append(hook)


def run_import(run_id: int) -> ImportRun:
    """Read the kept file again with the run's mapping and decisions, and create every
    accepted record in one transaction (``RUNNING`` → ``IMPORTED``), or none (``FAILED``, and
    it may be started again).  Safe to run twice: only a queued or running run is imported."""
    claimed = ImportRun.objects.filter(pk=run_id, status__in=ImportRun.ACTIVE_STATUSES).update(
        status=ImportRun.Status.RUNNING
    )
    run = ImportRun.objects.select_related("programme", "imported_by").get(pk=run_id)
    if not claimed:
        return run
    started = time.monotonic()
    try:
        _progress(run, 0, _("Reading the file"))
        source = _read(run)

        def reading(done: int, total: int) -> None:
            _progress(
                run,
                done * 30 // total,
                _("Checking record %(n)s of %(t)s") % {"n": done, "t": total},
            )

        records, leads = analyse(
            run.programme, source, run.mapping, run.fallback_country_id or "", reading
        )
        decisions = {d.key: d for d in run.decisions.all()}
        missing = set(leads) - set(decisions)
        if missing:
            raise ValidationError(
                _("The file reads differently now: preview it again (%(n)s new organisations).")
                % {"n": len(missing)}
            )
        with transaction.atomic():
            ids = _create(run, records, decisions, leads)
            # Their texts join the similarity backlog (the duplicates finder's index) with the
            # import: queued marks and one batch task, embedded later by the worker.
            duplicates.reindex(commitment_ids=ids)
            # The map's and the dashboard's facts, as for any change of commitments, and the
            # open reporting cycles that expect them (their makers' personal links).
            commitments_domain.created_in_bulk(actor=run.imported_by, commitment_ids=ids)
            counts = summarise(records, decisions.values())
            counts["imported"] = len(ids)
            seconds = round(time.monotonic() - started, 2)
            rows = [r.preview() for r in records]
            by_row = dict(zip((r.row for r in records if not r.set_aside), ids, strict=True))
            for row in rows:
                row["commitment"] = by_row.get(row["row"])
            _progress(
                run,
                100,
                _("Imported"),
                status=ImportRun.Status.IMPORTED,
                imported_at=timezone.now(),
                counts=counts,
                rows=rows,
                seconds=seconds,
            )
            audit.record(
                actor=run.imported_by,
                action="registry.imported",
                obj=run,
                programme=run.programme,
                data={k: counts[k] for k in ("imported", "set_aside", "organisations")},
            )
    except Exception as exc:
        logger.exception("registry import %s failed", run_id)
        message = (
            "; ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else (f"{type(exc).__name__}: {exc}")
        )
        _progress(
            run,
            run.progress,
            _("Failed: nothing was imported"),
            status=ImportRun.Status.FAILED,
            error=message,
        )
        return run
    # SDG suggestions from each text: embedding thousands of texts is long, so a task of
    # its own after the import has committed (never part of the all-or-nothing).
    suggest_goals.enqueue(run_id=run.pk)
    for hook in _after_import:
        try:
            hook(commitment_ids=ids, programme=run.programme)
        except Exception:  # a hook's failure never undoes the import
            logger.exception("after-import hook %s failed for run %s", hook, run_id)
    return run


#: Texts embedded per step of the SDG suggestions.
SUGGEST_CHUNK = 64


@task(priority=BACKGROUND_PRIORITY)
def suggest_goals(*, run_id: int) -> int:
    """Suggest the SDGs of every commitment an import created (``commitments.suggest``, from
    its title and description), in chunks; returns how many suggestions were stored.  Safe
    to run twice: commitments that have suggestions of this run are skipped."""
    run = ImportRun.objects.get(pk=run_id)
    ids = [r["commitment"] for r in run.rows if r.get("commitment")]
    done = set(
        GoalSuggestion.objects.filter(run=run).values_list("commitment_id", flat=True).distinct()
    )
    todo = [pk for pk in ids if pk not in done]
    stored = 0
    for start in range(0, len(todo), SUGGEST_CHUNK):
        chunk = list(
            Commitment.objects.filter(pk__in=todo[start : start + SUGGEST_CHUNK]).values_list(
                "pk", "title", "description"
            )
        )
        found = sdg_suggest.suggest_many([f"{title}\n\n{text}" for _pk, title, text in chunk])
        rows = [
            GoalSuggestion(
                commitment_id=pk,
                run=run,
                goal_id=s.goal,
                target_id=s.target,
                rank=rank,
                score=s.score,
                evidence=list(s.evidence),
            )
            for (pk, _title, _text), suggestions in zip(chunk, found, strict=True)
            for rank, s in enumerate(suggestions, start=1)
        ]
        GoalSuggestion.objects.bulk_create(rows)
        stored += len(rows)
    return stored


def _slugs(names: Iterable[str]) -> list[str]:
    bases = [slugify(n)[:200].strip("-") or "organisation" for n in names]
    taken = set(Organisation.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    checked: set[str] = set()
    out = []
    for base in bases:
        if base in taken and base not in checked:
            taken |= set(
                Organisation.objects.filter(slug__startswith=f"{base}-").values_list(
                    "slug", flat=True
                )
            )
            checked.add(base)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out.append(slug)
    return out


def _create(
    run: ImportRun,
    records: list[Record],
    decisions: dict[str, OrganisationDecision],
    leads: dict[str, Lead],
) -> list[int]:
    """Create the organisations decided so and every accepted record, with what it owns, in
    bulk; returns the commitments' ids in the records' order."""
    accepted = [r for r in records if not r.set_aside]
    used = {r.organisation_key for r in accepted}
    organisations: dict[str, int] = {}
    to_create = []
    for key in sorted(used):
        decision = decisions[key]
        if decision.action == OrganisationDecision.Action.MATCH:
            if decision.organisation_id:
                organisations[key] = decision.organisation_id
        else:
            to_create.append((key, decision))
    new = [
        Organisation(
            name=d.name,
            slug=slug,
            category=d.category,
            country_id=d.country_id or run.fallback_country_id or "",
        )
        for (key, d), slug in zip(to_create, _slugs(d.name for _k, d in to_create), strict=True)
    ]
    Organisation.objects.bulk_create(new, batch_size=500)
    for (key, _d), organisation in zip(to_create, new, strict=True):
        organisations[key] = organisation.pk
    # A matched organisation deleted since the preview (its decision's link is now empty) is
    # never replaced silently: the import stops and everything above is undone.
    gone = [
        d.name
        for d in decisions.values()
        if d.key in used and d.action == OrganisationDecision.Action.MATCH and not d.organisation_id
    ]
    if gone:
        raise ValidationError(
            _(
                "Organisations matched in the preview no longer exist (%(names)s): change their "
                "decisions and import again."
            )
            % {"names": ", ".join(sorted(gone)[:5])}
        )
    _progress(run, 40, _("Creating %(n)s commitments") % {"n": len(accepted)})
    now = timezone.now()
    usd = Currency.objects.filter(code="USD").first()
    source_name = UN_OCEAN_SOURCE if run.layout == ImportRun.Layout.UN_OCEAN else run.original_name
    ids: list[int] = []
    partner_index = Matcher(
        Organisation.objects.filter(pk__in=set(organisations.values())).values_list(
            "pk", "name", "country_id"
        )
    )
    for start in range(0, len(accepted), CHUNK):
        chunk = accepted[start : start + CHUNK]
        commitments = Commitment.objects.bulk_create(
            Commitment(
                programme=run.programme,
                organisation_id=organisations[r.organisation_key],
                created_by=run.imported_by,
                title=r.values["title"],
                description=r.values["description"],
                scope=r.values["scope"],
                starts_on=r.values["starts_on"],
                ends_on=r.values["ends_on"],
                amount=Decimal(r.values["amount"]) if r.values["amount"] else None,
                currency=usd if r.values["amount"] else None,
                status=Commitment.Status.CONFIRMED,
                submitted_at=now,
                decided_at=now,
            )
            for r in chunk
        )
        pairs = list(zip(chunk, commitments, strict=True))
        goals_link = Commitment.goals.through
        goals_link.objects.bulk_create(
            goals_link(commitment_id=c.pk, goal_id=g) for r, c in pairs for g in r.values["goals"]
        )
        targets_link = Commitment.targets.through
        targets_link.objects.bulk_create(
            targets_link(commitment_id=c.pk, target_id=t)
            for r, c in pairs
            for t in r.values["targets"]
        )
        countries_link = Commitment.countries.through
        countries_link.objects.bulk_create(
            countries_link(commitment_id=c.pk, country_id=k)
            for r, c in pairs
            for k in r.values["countries"]
        )
        themes_link = Commitment.themes.through
        themes_link.objects.bulk_create(
            themes_link(commitment_id=c.pk, theme_id=t)
            for r, c in pairs
            for t in r.values["themes"]
        )
        Provenance.objects.bulk_create(
            Provenance(
                commitment=c,
                run=run,
                source=source_name[:200],
                external_id=r.external_id,
                url=r.values["url"],
                row=r.row,
                organisation_decision=_decision_text(decisions[r.organisation_key]),
                organisation_as_written=r.values["organisation_as_written"],
                other_places="; ".join(r.values["places"]),
            )
            for r, c in pairs
        )
        Milestone.objects.bulk_create(
            Milestone(
                commitment=c,
                due_on=m["due_on"],
                text=m["text"],
                position=i,
            )
            for r, c in pairs
            for i, m in enumerate(r.values["milestones"])
        )
        Resource.objects.bulk_create(
            Resource(
                commitment=c,
                kind=x["kind"],
                details=x["details"],
                amount_usd=Decimal(x["amount"]) if x["amount"] else None,
                position=i,
            )
            for r, c in pairs
            for i, x in enumerate(r.values["resources"])
        )
        ReportHistory.objects.bulk_create(
            ReportHistory(
                commitment=c,
                source=source_name[:200],
                reports_submitted=r.values["reports_submitted"],
                as_of=run.uploaded_at.date(),
            )
            for r, c in pairs
            if r.values["reports_submitted"] is not None
        )
        NamedPartner.objects.bulk_create(
            NamedPartner(
                commitment=c,
                name=name,
                organisation_id=_exact(partner_index, name),
                position=i,
            )
            for r, c in pairs
            for i, name in enumerate(r.values["partners"])
        )
        ids.extend(c.pk for c in commitments)
        done = start + len(chunk)
        _progress(
            run,
            40 + 60 * done // max(len(accepted), 1) - (1 if done == len(accepted) else 0),
            _("Created %(n)s of %(t)s commitments") % {"n": done, "t": len(accepted)},
        )
    return ids


def _exact(index: Matcher, name: str) -> int | None:
    """A partner is linked to an organisation only on the same name or acronym."""
    best, _shown = index.best(name, "")
    return best.id if best and best.score >= 95 else None


def _decision_text(decision: OrganisationDecision) -> str:
    if decision.action == OrganisationDecision.Action.MATCH:
        score = f" ({decision.score:.0f})" if decision.score is not None else ""
        return f"matched{score}: {decision.reason}"[:200]
    return "created"


# The report ----------------------------------------------------------------------------------


def report_csv(run: ImportRun) -> str:
    """One line a record: its row, identifier, title, outcome (imported, to import, set aside
    and why), the commitment created, its organisation decision and its warnings."""
    decisions = {d.key: d for d in run.decisions.select_related("organisation", "country")}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "row",
            "external id",
            "title",
            "outcome",
            "reason",
            "commitment",
            "organisation",
            "organisation decision",
            "score",
            "warnings",
        ]
    )
    for row in run.rows:
        decision = decisions.get(row.get("organisation") or "")
        if row["set_aside"]:
            outcome = "set aside"
        elif run.status == ImportRun.Status.IMPORTED:
            outcome = "imported"
        else:
            outcome = "to import"
        if decision is None:
            organisation, action, score = "", "", ""
        elif decision.action == OrganisationDecision.Action.MATCH and decision.organisation:
            organisation = decision.organisation.name
            action = f"matched ({decision.reason})"
            score = f"{decision.score:.0f}" if decision.score is not None else ""
        else:
            organisation, action, score = decision.name, "created", ""
        writer.writerow(
            [
                row["row"],
                row["external_id"],
                row["title"],
                outcome,
                row["reason"],
                row.get("commitment") or "",
                organisation,
                action,
                score,
                " | ".join(f"{w['column']}: {w['message']}" for w in row["warnings"]),
            ]
        )
    return out.getvalue()
