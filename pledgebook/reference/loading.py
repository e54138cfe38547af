"""Install the reference data shipped in ``data/*.csv`` into the database.

Called by the data migration ``0002_load_reference_data`` (with the migration's historical
``apps``) and usable again at any time, e.g. after the CSV files have been regenerated with
``data/build.py``: rows are inserted or updated by primary key, so loading twice changes
nothing and never duplicates a row. Rows that disappeared from the CSV files are left in
place (other tables may point at them with PROTECT foreign keys).

Only the ``csv`` module reads the files and every value is treated as text, so the ISO code
of Namibia, ``"NA"``, stays a code and never becomes a missing value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import models, transaction

DATA_DIR = Path(__file__).resolve().parent / "data"

APP_LABEL = "reference"


def read_rows(name: str) -> Iterator[dict[str, str]]:
    """The rows of ``data/<name>`` as dictionaries of strings."""
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _flag(value: str) -> bool:
    if value not in {"0", "1"}:
        raise ValueError(f"expected 0 or 1, got {value!r}")
    return value == "1"


def _upsert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Create or update ``rows`` (field name -> value, primary key included) by primary key."""
    pk_name = model._meta.pk.name if model._meta.pk else "pk"
    # A migration's historical model may predate a column: load only the fields it has.
    known = {f.attname for f in model._meta.concrete_fields}
    for row in rows:
        values = {k: v for k, v in row.items() if k in known}
        pk = values.pop(pk_name)
        model._default_manager.update_or_create(pk=pk, defaults=values)


def load_reference_data(apps: Apps | None = None) -> dict[str, int]:
    """Load regions, countries, currencies, goals and targets; return rows per model.

    ``apps`` is the app registry to take the models from: the historical registry inside a
    migration, the project's registry (the default) elsewhere.
    """
    registry = apps if apps is not None else global_apps
    region_model = registry.get_model(APP_LABEL, "Region")
    country_model = registry.get_model(APP_LABEL, "Country")
    currency_model = registry.get_model(APP_LABEL, "Currency")
    goal_model = registry.get_model(APP_LABEL, "Goal")
    target_model = registry.get_model(APP_LABEL, "Target")

    # The file lists regions before sub-regions before intermediate regions, so each
    # parent exists before its children.
    regions = [
        {
            "m49": r["m49"],
            "name": r["name"],
            "level": r["level"],
            "parent_id": r["parent_m49"] or None,
        }
        for r in read_rows("regions.csv")
    ]
    currencies = [{"code": r["code"], "name": r["name"]} for r in read_rows("currencies.csv")]
    countries = [
        {
            "iso2": r["iso2"],
            "iso3": r["iso3"],
            "m49": r["m49"],
            "name": r["name"],
            "region_id": r["region_m49"],
            "sub_region_id": r["sub_region_m49"],
            "is_ldc": _flag(r["is_ldc"]),
            "is_lldc": _flag(r["is_lldc"]),
            "is_sids": _flag(r["is_sids"]),
            "is_developed": _flag(r["is_developed"]),
            "currency": r["currency"],
            "intermediate_region_id": r["intermediate_region_m49"] or None,
        }
        for r in read_rows("countries.csv")
    ]
    goals = [{"number": int(r["number"]), "title": r["title"]} for r in read_rows("goals.csv")]
    targets = [
        {
            "code": r["code"],
            "goal_id": int(r["goal"]),
            "position": int(r["position"]),
            "text": r["text"],
        }
        for r in read_rows("targets.csv")
    ]

    with transaction.atomic():
        _upsert(region_model, regions)
        _upsert(currency_model, currencies)
        _upsert(country_model, countries)
        _upsert(goal_model, goals)
        _upsert(target_model, targets)

    return {
        "regions": len(regions),
        "currencies": len(currencies),
        "countries": len(countries),
        "goals": len(goals),
        "targets": len(targets),
    }
