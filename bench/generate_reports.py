"""Progress reports for the generated programme (``bench.generate``): reporting cycles,
reports (corrections included) and indicator values.

* :func:`write_reports` writes one batch of reports and their indicator values in one
  transaction; ``bench/annual.py`` (100,000 commitments) and :func:`generate_resumable` share it.
* :func:`generate_resumable` adds three closed annual cycles with as many reports per cycle as
  the programme has commitments (3,000,000 reports at 1,000,000 commitments) to a database
  that already holds the commitments (``make bench-scale``: ``bench/annual.py --scale``).  It
  goes through the commitments by id in chunks, each committed with its indicator values, so a
  generation that was stopped resumes where it stopped: the progress is read from the database
  (the largest commitment id already reported in each cycle), never from a file.  Every chunk
  draws from a random generator seeded by (seed, cycle, chunk): the data does not depend on
  where a run was interrupted.  ``var/bench/<db>-scale-reports.meta.json`` records what was
  generated and how long it took (per 100,000 reports and in total, over all runs).

    python -m bench.generate_reports     # in bench/annual.py's environment (DATABASE_URL...)
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
CYCLES = (2024, 2025, 2026)  # annual cycles; the last one is measured
STATUS_WEIGHTS = {
    "on_track": 45,
    "delayed": 20,
    "completed": 15,
    "not_started": 15,
    "discontinued": 5,
}
#: Commitments per committed chunk of :func:`generate_resumable` (as many reports).
RESUMABLE_CHUNK = 10_000
VERSION = 1  # of the resumable generation: bump when the data it writes changes


def log(message: str) -> None:
    from django.db import connection

    print(f"[bench reports {connection.vendor}] {message}", file=sys.stderr, flush=True)


def indicators(programme: Any) -> list[Any]:
    """The programme's two indicators (created the first time)."""
    from pledgebook.reporting.models import Indicator

    return [
        Indicator.objects.get_or_create(
            programme=programme, code=code, defaults={"name": name, "unit": unit, "position": i}
        )[0]
        for i, (code, name, unit) in enumerate(
            (
                ("people-reached", "People reached", "people"),
                ("funds-mobilised", "Funds mobilised", "USD"),
            )
        )
    ]


def cycle(programme: Any, year: int) -> Any:
    """The closed annual cycle of ``year`` (created the first time)."""
    from pledgebook.reporting.models import ReportingCycle

    return ReportingCycle.objects.get_or_create(
        programme=programme,
        name=f"{year} annual report",
        defaults={
            "opens_at": dt.datetime(year, 1, 15, tzinfo=dt.UTC),
            "deadline": dt.datetime(year, 3, 31, 23, 59, tzinfo=dt.UTC),
            "closes_at": dt.datetime(year, 4, 30, tzinfo=dt.UTC),
            "status": ReportingCycle.Status.CLOSED,
            "opened_at": dt.datetime(year, 1, 15, tzinfo=dt.UTC),
            "closed_at": dt.datetime(year, 4, 30, tzinfo=dt.UTC),
        },
    )[0]


REPORT_COLUMNS = (
    "id",
    "commitment_id",
    "cycle_id",
    "version",
    "status",
    "implementation_status",
    "narrative",
    "challenges",
    "disbursed_amount",
    "disbursed_currency_id",
    "exchange_rate",
    "created_by_id",
    "submitted_at",
    "created_at",
    "updated_at",
)
VALUE_COLUMNS = ("id", "report_id", "indicator_id", "baseline", "target", "value")


def write_reports(
    rng: random.Random,
    cycle: Any,
    plan: list[tuple[tuple[int, Decimal | None, str | None], int]],
    indicators: list[Any],
) -> tuple[int, int]:
    """Write, in one transaction, a report of ``cycle`` for each ((commitment id, amount,
    currency), version) of ``plan``: a few corrections (version 2) are still drafts; financial
    commitments report money disbursed, some in another currency with a rate; half the reports
    give a value for each indicator.  Returns (reports, indicator values) written."""
    from django.db import transaction
    from django.utils import timezone

    from pledgebook.reporting.models import IndicatorValue, ProgressReport

    year = cycle.opens_at.year
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    now = timezone.now()
    narrative = "We trained the first cohort and opened two more centres."
    reports = []
    for (pk, amount, currency), version in plan:
        draft = version == 2 and rng.random() < 0.05
        disbursed = rate = other = None
        if amount is not None and rng.random() < 0.8:
            disbursed = (amount * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("0.01"))
            if rng.random() < 0.1:
                other = "EUR" if currency != "EUR" else "USD"
                rate = Decimal(rng.randint(50, 200)) / 100
        submitted = dt.datetime(year, 2, 1, tzinfo=dt.UTC) + dt.timedelta(
            minutes=rng.randrange(60 * 24 * 80)
        )
        reports.append(
            [
                None,  # id: numbered by _insert
                pk,
                cycle.pk,
                version,
                "draft" if draft else "submitted",
                rng.choices(statuses, weights)[0],
                narrative,
                "",
                disbursed,
                other,
                rate,
                None,
                None if draft else submitted,
                now,
                now,
            ]
        )
    with transaction.atomic():
        _insert(ProgressReport, REPORT_COLUMNS, reports)
        values = [
            [None, r[0], indicator.pk, None, None, Decimal(rng.randint(0, 100_000))]
            for r in reports
            if rng.random() < 0.5
            for indicator in indicators
        ]
        _insert(IndicatorValue, VALUE_COLUMNS, values)
    return len(reports), len(values)


def _insert(model: Any, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Insert ``rows`` (values of ``columns``, the id first and None) into ``model``'s table
    in statements of 500 rows, numbering the ids from the table's largest (set in ``rows``).
    Values go through the backend's adapters for dates and decimals, as the ORM sends them;
    no model instance, no SQL compilation per row (``bulk_create`` spent 80 % of its time
    there).  Run inside the chunk's transaction: the generator is the only writer of these
    tables.  The id sequence is then moved past them (PostgreSQL; SQLite's follows)."""
    from django.core.management.color import no_style
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.models import DateTimeField, DecimalField, Max

    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: no proxy per value
    if not rows:
        return
    first = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    fields = [model._meta.get_field(c.removesuffix("_id")) for c in columns]
    missing = {f.column for f in model._meta.concrete_fields} - {f.column for f in fields}
    if missing:
        raise SystemExit(f"the generator does not fill {model.__name__}.{', '.join(missing)}")
    adapters = []
    for index, field in enumerate(fields):
        if isinstance(field, DateTimeField):
            adapters.append((index, connection.ops.adapt_datetimefield_value))
        elif isinstance(field, DecimalField):
            digits, places = field.max_digits, field.decimal_places
            adapters.append(
                (
                    index,
                    lambda v, d=digits, p=places: connection.ops.adapt_decimalfield_value(v, d, p),
                )
            )
    for offset, row in enumerate(rows):
        row[0] = first + offset
    prepared = []
    for row in rows:
        values = list(row)
        for index, adapt in adapters:
            if values[index] is not None:
                values[index] = adapt(values[index])
        prepared.append(values)
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = f"({', '.join(['%s'] * len(fields))})"
    # 500 rows a statement: psycopg parses a statement's text once (cached), not each time
    batch = 500
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), batch):
            part = prepared[start : start + batch]
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) "
                f"VALUES {', '.join([placeholders] * len(part))}",
                [value for values in part for value in values],
            )
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


# Resumable, for make bench-scale ---------------------------------------------------------------


def meta_path() -> Path:
    from bench.worker import db_label

    return BASE_DIR / "var" / "bench" / f"{db_label()}-scale-reports.meta.json"


def load_meta() -> dict[str, Any] | None:
    try:
        return json.loads(meta_path().read_text())
    except (OSError, ValueError):
        return None


def _save_meta(meta: dict[str, Any]) -> None:
    meta_path().parent.mkdir(parents=True, exist_ok=True)
    tmp = meta_path().with_suffix(".tmp")
    tmp.write_text(json.dumps(meta))
    tmp.replace(meta_path())


def counts() -> dict[str, int]:
    from pledgebook.reporting.models import IndicatorValue, ProgressReport

    return {
        "reports": ProgressReport.objects.count(),
        "indicator_values": IndicatorValue.objects.count(),
    }


def generate_resumable(seed: int, chunk: int = RESUMABLE_CHUNK) -> dict[str, Any]:
    """Bring the database to three closed cycles of reports of the generated programme, one
    report row per commitment and cycle: in each chunk of ``chunk`` commitments (by id) 80 %
    report (version 1) and a quarter of those also send a correction (version 2).  Starts
    where a previous run stopped; returns the meta record (also written to
    :func:`meta_path`)."""
    from django.db.models import Max

    from bench.generate import PROGRAMME_SLUG
    from pledgebook.commitments.models import Commitment
    from pledgebook.programmes.models import Programme
    from pledgebook.reporting.models import ProgressReport

    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    commitments = list(
        Commitment.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("pk", "amount", "currency_id")
    )
    meta = load_meta() or {}
    if not ProgressReport.objects.exists() or meta.get("version") != VERSION:
        meta = {}  # a new database (or generator): the times recorded are not of this data
    meta.update(
        {
            "version": VERSION,
            "seed": seed,
            "chunk": chunk,
            "commitments": len(commitments),
            "complete": False,
        }
    )
    meta.setdefault("seconds", 0.0)
    meta.setdefault("per_100k_seconds", [])
    meta.setdefault("runs", 0)
    meta["runs"] += 1
    own = indicators(programme)
    run_started = time.perf_counter()
    written = 0
    mark, mark_written = time.perf_counter(), 0
    for year in CYCLES:
        this = cycle(programme, year)
        done = ProgressReport.objects.filter(cycle=this).aggregate(last=Max("commitment_id"))[
            "last"
        ]
        for index, start in enumerate(range(0, len(commitments), chunk)):
            part = commitments[start : start + chunk]
            if done is not None and part[0][0] <= done:
                continue  # committed by an earlier run
            rng = random.Random(f"{seed}:{year}:{index}")
            first = round(len(part) * 0.8)
            chosen = rng.sample(part, first)
            plan = [(c, 1) for c in chosen] + [(c, 2) for c in chosen[: len(part) - first]]
            t = time.perf_counter()
            n, _values = write_reports(rng, this, plan, own)
            meta["seconds"] = round(meta["seconds"] + time.perf_counter() - t, 1)
            meta["analyzed"] = False
            written += n
            _save_meta(meta)
            if written - mark_written >= 100_000:
                seconds = round(time.perf_counter() - mark, 1)
                meta["per_100k_seconds"].append(seconds)
                log(
                    f"cycle {year}: {written} reports written in this run, {seconds}s for the "
                    f"last {written - mark_written}"
                )
                mark, mark_written = time.perf_counter(), written
        log(f"cycle {year} complete, {time.perf_counter() - run_started:.1f}s in this run")
    if written or not meta.get("analyzed"):  # (a run stopped before its ANALYZE: now)
        t = time.perf_counter()
        analyze_reports()
        meta["analyze_seconds"] = round(time.perf_counter() - t, 1)
        meta["analyzed"] = True
    meta.update(counts())
    meta["complete"] = True
    _save_meta(meta)
    return meta


def analyze_reports() -> None:
    """Planner statistics (and, on PostgreSQL, the visibility map) of the reporting tables
    only: the commitments' were made by their generator."""
    from django.db import connection

    tables = ("reporting_reportingcycle", "reporting_progressreport", "reporting_indicatorvalue")
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ANALYZE {table}")
            else:
                cursor.execute(f"ANALYZE {table}")


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    meta = generate_resumable(int(os.environ.get("BENCH_SEED", "20240308")))
    print(json.dumps(meta), flush=True)


if __name__ == "__main__":
    main()
