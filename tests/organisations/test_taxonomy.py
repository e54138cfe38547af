"""The stakeholder taxonomy and its one mapping table (organisations/data/entity_types.csv):
every category listed once, the table names only real categories, each value an importer maps
has one category, and every type used by the real UN registries is in the table."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest

from pledgebook.organisations import entity_types
from pledgebook.organisations.models import GROUPS, Category, all_categories, grouped_choices
from tests.realdata import realdata

CLIMATE = realdata("climate_initiatives", "UNClimateDataInitiatives-20230611.csv")
OCEAN = realdata("unoc_commitments", "unoc_ocean_commitments_2026-03.jsonl")
OCEAN_LIST = realdata("unoc_commitments", "compiled_vc_list_since_unoc2022_20250904.md")


def test_every_category_is_under_one_heading_once() -> None:
    listed = [code for codes in GROUPS.values() for code in codes]
    assert sorted(listed) == sorted(Category.values)
    assert len(listed) == len(set(listed)) == 25
    assert all_categories() == listed
    # Forms list them under their headings, in the same order.
    assert [code for _group, choices in grouped_choices() for code, _label in choices] == listed
    assert [str(group) for group, _choices in grouped_choices(["women", "ifi"])] == [
        "The United Nations and international organisations",
        "Civil society",
    ]


def test_the_eight_codes_of_the_first_taxonomy_are_kept() -> None:
    first = {
        "member_state",
        "government",
        "private_sector",
        "philanthropy",
        "international",
        "civil_society",
        "youth_led",
        "other",
    }
    assert first <= set(Category.values)
    # Their labels map back onto them (a template filled in before still imports).
    old = {row.value: row.category for row in entity_types.table() if row.source == "pledgebook_1"}
    assert sorted(old.values()) == sorted(first)
    assert entity_types.lookup("pledgebook_1", "Women's and feminist organisation, civil society")
    assert old["Women's and feminist organisation, civil society"] == "civil_society"


def test_the_table_names_known_sources_categories_and_notes() -> None:
    rows = entity_types.table()
    assert {row.source for row in rows} == set(entity_types.SOURCES)
    assert {row.category for row in rows} <= set(Category.values)
    assert {row.note for row in rows} - {""} <= set(entity_types.NOTES)
    for source in entity_types.IMPORT_SOURCES:
        folded = Counter(entity_types.fold(row.value) for row in rows if row.source == source)
        assert [value for value, n in folded.items() if n > 1] == [], source


def test_the_nine_major_groups_have_nine_categories() -> None:
    major = {
        row.value: row.category for row in entity_types.table() if row.source == "major_groups"
    }
    nine = [
        "Women",
        "Children and Youth",
        "Indigenous Peoples",
        "Non-Governmental Organizations",
        "Local Authorities",
        "Workers and Trade Unions",
        "Business and Industry",
        "Scientific and Technological Community",
        "Farmers",
    ]
    assert [major[group] for group in nine] == [
        "women",
        "youth_led",
        "indigenous_peoples",
        "civil_society",
        "local_authority",
        "workers",
        "private_sector",
        "science",
        "farmers",
    ]
    assert major["Persons with disabilities"] == "persons_with_disabilities"
    assert major["Older persons"] == "ageing"
    assert major["Volunteer groups"] == "volunteers"
    assert major["Education and academic entities"] == "academia"
    assert major["Foundations"] == "philanthropy"


def test_seed_001_section_17_maps_onto_the_categories_a_generation_equality_programme_shows() -> (
    None
):
    assert entity_types.categories_of("seed_001") == [
        "member_state",
        "government",
        "parliament",
        "local_authority",
        "un_system",
        "international",
        "ifi",
        "women",
        "youth_led",
        "civil_society",
        "faith_based",
        "private_sector",
        "philanthropy",
        "academia",
        "science",
        "media",
        "other",
    ]


def test_values_are_compared_folded() -> None:
    found = entity_types.lookup("ocean_action", "United Nations /  Multilateral body")
    assert found is not None
    assert (found.category, found.note) == ("un_system", "may_be_igo")
    assert entity_types.lookup("un_climate", "  ngo / civil society ").category == "civil_society"
    assert entity_types.lookup("un_climate", "Think tank") is None
    with pytest.raises(ValueError):
        entity_types.lookup("seed_001", "Member States")


@pytest.mark.skipif(not CLIMATE.exists(), reason=f"real data not found at {CLIMATE}")
def test_every_type_of_the_climate_initiatives_platform_is_in_the_table() -> None:
    with CLIMATE.open(encoding="utf-8-sig", newline="") as handle:
        types = {row["Type of lead organisation"] for row in csv.DictReader(handle)}
    single = set()
    for value in types - {""}:
        if entity_types.lookup("un_climate", value) is None:
            single |= {part.strip() for part in value.split(",")}
        else:
            single.add(value)
    missing = {v for v in single if entity_types.lookup("un_climate", v) is None}
    # One cell holds the platform's own refusal of a value, quoting its list of values: the
    # import warns on it ("not in the mapping table") and imports the lead as "Other".
    assert missing == {
        '"International Non-Governmental Organization" is not in the list of possible values '
        "(National government",
        "International organisation) for this property.",
    }
    assert {entity_types.fold(v) for v in single - missing} == set(
        entity_types.mapping("un_climate")
    )


@pytest.mark.skipif(not OCEAN.exists(), reason=f"real data not found at {OCEAN}")
def test_every_entity_type_of_the_ocean_action_registry_is_in_the_table() -> None:
    with OCEAN.open(encoding="utf-8") as handle:
        types = Counter(json.loads(line).get("entity_type") for line in handle)
    assert sum(types.values()) == 2650
    assert [t for t in types if t and entity_types.lookup("ocean_action", t) is None] == []
    assert types[None] == 5
    text = OCEAN_LIST.read_text(encoding="utf-8")
    listed = Counter(re.findall(r"\(([^()]*)\)\)\s*\[", text))
    unmapped = {t for t in listed if entity_types.lookup("ocean_action", t) is None}
    # Not types: a ministry's division, an institute, two organisations' names.
    assert unmapped == {
        "International Maritime Organization, NORAD",
        "INEI",
        "Environment and Climate Change Division",
        "Institution François d'Assise-Nicolas Barré, Academic Institution",
    }
