"""Benchmark of the registry import: the 2,650 records of the UN Ocean Conference's
#OceanAction registry (JSON Lines) from upload to imported, on SQLite and PostgreSQL.

Timed as the console does it, with the domain functions of ``pledgebook.registry.importing``:
``create_run`` (read the file, map the columns, preview every record, match every organisation
against those on the platform with rapidfuzz, store the decisions), then ``run_import`` (read
the kept file again and create every record, organisation, milestone, partner, resource and
report history in one transaction, and queue the texts for the duplicates finder's index: the
embedding itself is the worker's, measured by ``embedding_throughput``).  The platform holds
``--orgs`` organisations before the import (default 10,000, generated names), so that matching
compares each of the file's organisations with as many names as a registry of that size has.

    .venv/bin/python bench/registry_import.py                 # both databases
    .venv/bin/python bench/registry_import.py --db sqlite
    .venv/bin/python bench/registry_import.py --file path/to/records.jsonl

Prints JSON lines: ``{"bench": "registry_import", "db": "sqlite", "n": 2650, "metric":
"seconds", "value": ...}``, ``per_second`` (records a second, upload to imported), and the
two phases (``registry_import_preview``, ``registry_import_run``: seconds).  Databases of its
own: ``var/bench/registry.sqlite3`` and ``pledgebook_bench_registry`` (or
``BENCH_REGISTRY_POSTGRES_URL``); each run removes the previous run's programme and the
organisations it created.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

SQLITE_PATH = BASE_DIR / "var" / "bench" / "registry.sqlite3"
DATABASES = {
    "sqlite": f"sqlite:///{SQLITE_PATH}",
    "postgresql": os.environ.get(
        "BENCH_REGISTRY_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/pledgebook_bench_registry",
    ),
}
DEFAULT_FILE = (
    BASE_DIR.parent
    / "shared"
    / "realdata"
    / "unoc_commitments"
    / "unoc_ocean_commitments_2026-03.jsonl"
)
PROGRAMME = "bench-registry"
SEED_SLUG = "bench-seed-"
WORDS = [
    "ocean",
    "marine",
    "blue",
    "coastal",
    "reef",
    "island",
    "sea",
    "fisheries",
    "coral",
    "mangrove",
    "climate",
    "research",
    "institute",
    "foundation",
    "alliance",
    "network",
    "trust",
    "council",
    "agency",
    "ministry",
    "university",
    "society",
    "centre",
    "association",
    "partnership",
    "fund",
    "initiative",
    "programme",
    "conservation",
    "sustainable",
    "pacific",
    "atlantic",
    "indian",
    "arctic",
    "southern",
    "tropical",
    "national",
    "regional",
    "global",
    "community",
    "youth",
]


def log(message: str) -> None:
    from django.db import connection

    print(f"[bench registry {connection.vendor}] {message}", file=sys.stderr, flush=True)


def seed(n_orgs: int) -> None:
    """``n_orgs`` organisations with generated names (three to five words) in random
    countries, made once and kept."""
    from pledgebook.organisations.models import Category, Organisation
    from pledgebook.reference.models import Country

    have = Organisation.objects.filter(slug__startswith=SEED_SLUG).count()
    if have >= n_orgs:
        return
    rng = random.Random(12)
    countries = list(Country.objects.values_list("iso2", flat=True))
    categories = [c for c, _label in Category.choices]
    Organisation.objects.bulk_create(
        (
            Organisation(
                name=" ".join(rng.choice(WORDS).title() for _ in range(rng.randint(3, 5)))
                + f" {i}",
                slug=f"{SEED_SLUG}{i}",
                category=rng.choice(categories),
                country_id=rng.choice(countries),
            )
            for i in range(have, n_orgs)
        ),
        batch_size=1000,
    )
    log(f"seeded {n_orgs - have} organisations")


def worker(argv: list[str]) -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, required=True)
    parser.add_argument("--file", required=True)
    args = parser.parse_args(argv)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench.worker import db_label, emit, ensure_database, migrate
    from pledgebook.organisations.models import Organisation
    from pledgebook.programmes.models import Programme, ProgrammeRole
    from pledgebook.reference.models import Country
    from pledgebook.registry import importing

    ensure_database()
    migrate()
    Programme.objects.filter(slug=PROGRAMME).delete()
    Organisation.objects.exclude(slug__startswith=SEED_SLUG).delete()
    seed(args.orgs)
    user, _ = get_user_model().objects.get_or_create(username="bench-registry@example.org")
    programme = Programme.objects.create(
        slug=PROGRAMME, name="Bench: ocean registry", kind=Programme.Kind.CONFERENCE
    )
    ProgrammeRole.objects.create(programme=programme, user=user, role="secretariat")
    data = Path(args.file).read_bytes()
    upload = SimpleUploadedFile(Path(args.file).name, data)
    started = time.perf_counter()
    run = importing.create_run(
        actor=user,
        programme=programme,
        upload=upload,
        fallback_country=Country.objects.get(iso2="US"),
    )
    previewed = time.perf_counter()
    run = importing.start_import(actor=user, run=run)
    run = importing.run_import(run.pk)
    done = time.perf_counter()
    assert run.status == run.Status.IMPORTED, run.error
    n = run.counts["records"]
    db = db_label()
    organisations = run.counts["organisations"]
    emit("registry_import_preview", db, n, "seconds", round(previewed - started, 2), orgs=args.orgs)
    emit("registry_import_run", db, n, "seconds", round(done - previewed, 2))
    emit("registry_import", db, n, "seconds", round(done - started, 2), **organisations)
    emit("registry_import", db, n, "per_second", round(n / (done - started), 1))


def main(argv: list[str] | None = None) -> int:
    from bench.run import environment

    parser = argparse.ArgumentParser(prog="bench/registry_import.py")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--file", default=str(DEFAULT_FILE))
    args = parser.parse_args(argv)
    if not Path(args.file).is_file():
        print(f"[bench registry] no file {args.file}: skipped", file=sys.stderr)
        return 0
    failed = []
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        env = environment(DATABASES[db])
        # Tasks queued in the database as in production: the import is run here as the worker
        # runs it, and the texts stay queued for the embedding worker.
        env["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "worker",
            "--orgs",
            str(args.orgs),
            "--file",
            args.file,
        ]
        if subprocess.run(cmd, cwd=BASE_DIR, env=env, check=False).returncode != 0:
            print(f"[bench registry {db}] failed", file=sys.stderr)
            failed.append(db)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        sys.exit(main())
