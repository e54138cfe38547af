"""How the stakeholder types of other sources map onto the platform's taxonomy
(:class:`~pledgebook.organisations.models.Category`): the one mapping table
``data/entity_types.csv`` (sources in ``data/SOURCES.md``).

Each row maps a value of a source onto one category, optionally with a *note*: a known
ambiguity that an import reports on every row with that value.  Values are compared folded
(case, accents' composition, spaces and the spaces around a slash ignored).  A source used by
an importer (:data:`IMPORT_SOURCES`) maps each value to one category; a source that only
documents how a list of categories relates to the taxonomy (the Major Groups, seed 001
section 17) may map a value to several.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pledgebook.organisations.models import Category, all_categories

TABLE = Path(__file__).resolve().parent / "data" / "entity_types.csv"

#: The sources of the table, by the code its first column uses.
SOURCES: dict[str, Promise] = {
    "major_groups": _("Major Groups and other Stakeholders of the UN"),
    "seed_001": _("Generation Equality: categories of commitment makers"),
    "un_climate": _("UN Climate Initiatives Platform: type of lead organisation"),
    "ocean_action": _("UN Ocean Conference #OceanAction registry: entity type"),
    "pledgebook_1": _("Pledgebook's first categories (labels of files filled in before)"),
}
#: Sources whose values an importer maps: one category per value.
IMPORT_SOURCES = ("un_climate", "ocean_action", "pledgebook_1")

#: The notes a row may carry, shown with every imported row that uses it.
NOTES: dict[str, Promise] = {
    "may_be_ifi": _(
        "the source uses this type for private banks and investors and for international "
        "financial institutions (the World Bank): check the organisation"
    ),
    "may_be_igo": _(
        "the source uses this type for UN entities and for other multilateral bodies: check "
        "the organisation"
    ),
}


@dataclass(frozen=True)
class EntityType:
    source: str
    value: str
    category: str
    note: str = ""

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)

    @property
    def note_text(self) -> str:
        return str(NOTES[self.note]) if self.note else ""


def fold(value: str) -> str:
    """A value as compared with the table's."""
    value = unicodedata.normalize("NFKC", value or "").casefold()
    value = re.sub(r"\s*/\s*", "/", value)
    return re.sub(r"\s+", " ", value).strip()


@functools.cache
def table() -> tuple[EntityType, ...]:
    """Every row of the mapping table, in its order."""
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            EntityType(row["source"], row["value"], row["category"], row["note"])
            for row in csv.DictReader(handle)
        )


@functools.cache
def mapping(source: str) -> dict[str, EntityType]:
    """The folded values of an import source → their row."""
    if source not in IMPORT_SOURCES:
        raise ValueError(f"{source!r} is not a source an importer maps")
    return {fold(row.value): row for row in table() if row.source == source}


def lookup(source: str, value: str) -> EntityType | None:
    """The row of ``value`` in an import source, or None when the table does not have it."""
    return mapping(source).get(fold(value))


def categories_of(source: str) -> list[str]:
    """The categories a source's values map onto, in taxonomy order."""
    used = {row.category for row in table() if row.source == source}
    return [code for code in all_categories() if code in used]
