"""One database's side of ``make bench``, in its own process (Django settings are per process).

    python -m bench.worker prepare --n 100000 [--fresh]   # create/migrate/generate/ANALYZE
    python -m bench.worker measure --n 100000             # time the requests

``bench/run.py`` starts it with DATABASE_URL, SECRET_KEY, DEBUG=0... in the environment.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 2  # 2: each chunk of commitments from a generator of its own (resumable)


def emit(bench: str, db: str, n: int, metric: str, value: float, **extra: object) -> None:
    """One result: a JSON object on its own line of stdout."""
    line = {"bench": bench, "db": db, "n": n, "metric": metric, "value": value, **extra}
    print(json.dumps(line), flush=True)


def db_label() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def meta_path() -> Path:
    """What the database holds; ``make bench-scale`` keeps its own (``BENCH_SCALE=1``)."""
    scale = "-scale" if os.environ.get("BENCH_SCALE") else ""
    return BASE_DIR / "var" / "bench" / f"{db_label()}{scale}.meta.json"


def ensure_facts() -> None:
    """Build the map's and the dashboard's facts (``portal.facts``) when they do not hold
    every public commitment: the generator writes rows directly, past the domain's hooks."""
    from pledgebook.commitments.models import Commitment
    from pledgebook.portal import facts
    from pledgebook.portal.models import CommitmentFact

    public = Commitment.objects.public().count()
    if CommitmentFact.objects.count() == public:
        return
    t = time.perf_counter()
    written = facts.refresh_all()
    seconds = time.perf_counter() - t
    from bench import generate

    generate.analyze()
    generate.log(f"built the facts of {written} public commitments in {seconds:.1f}s")
    emit("facts_build", db_label(), Commitment.objects.count(), "seconds", round(seconds, 1))


def load_meta() -> dict | None:
    try:
        return json.loads(meta_path().read_text())
    except (OSError, ValueError):
        return None


def _pg_admin():
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    )


def ensure_database() -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    name = connection.settings_dict["NAME"]
    with _pg_admin() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def drop_and_create(meta: Path | None = None) -> None:
    """Drop the current connection's benchmark database and create it empty (SQLite: its
    files; PostgreSQL: the database, by the admin connection); forget ``meta``, the record of
    what it held.  Every benchmark resets only its own database through this."""
    from django.db import connection

    connection.close()
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    else:
        name = connection.settings_dict["NAME"]
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    if meta is not None:
        meta.unlink(missing_ok=True)


def progress_path() -> Path:
    """What the chunks of commitments written so far counted (bench/generate.py)."""
    return meta_path().with_name(meta_path().name.replace(".meta.json", ".progress.json"))


def reset_database() -> None:
    """Drop the benchmark database and create it empty."""
    drop_and_create(meta_path())
    progress_path().unlink(missing_ok=True)


def migrate() -> bool:
    """Apply migrations; True if any was applied."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        t = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(
            f"[bench {db_label()}] migrated ({len(plan)} migrations) in "
            f"{time.perf_counter() - t:.1f}s",
            file=sys.stderr,
            flush=True,
        )
    return bool(plan)


def prepare(args: argparse.Namespace) -> None:
    from bench import generate
    from pledgebook.commitments.models import Commitment
    from pledgebook.programmes.models import Programme

    ensure_database()
    if args.fresh:
        reset_database()
    applied = migrate()
    wanted = {"n": args.n, "organisations": args.orgs, "seed": args.seed}
    meta = load_meta()
    count = Commitment.objects.count()
    if (
        meta
        and count == args.n
        and meta.get("version") == GENERATOR_VERSION
        and all(meta.get(k) == v for k, v in wanted.items())
    ):
        generate.log(f"reusing the database: {count} commitments")
        if applied:
            generate.analyze()
        emit("generate", db_label(), args.n, "seconds", meta["seconds"], reused=True)
        ensure_facts()
        return
    key = (args.n, args.orgs, args.seed, GENERATOR_VERSION)
    resumable = count <= args.n and generate.read_progress(progress_path(), key)
    if (count or Programme.objects.exists()) and not resumable:
        if meta and meta.get("version") != GENERATOR_VERSION and os.environ.get("BENCH_SCALE"):
            # A scale database takes an hour to make: never dropped unasked.
            raise SystemExit(
                f"[bench {db_label()}] the database was made by generator version "
                f"{meta.get('version')}, this is version {GENERATOR_VERSION}: run again with "
                "--fresh to make it anew (about an hour at 1,000,000), or check out the "
                "version that made it"
            )
        why = (
            f"made by generator version {meta.get('version')}, not {GENERATOR_VERSION}"
            if meta and meta.get("version") != GENERATOR_VERSION
            else f"it holds {count} commitments, not {args.n}"
        )
        generate.log(f"rebuilding the database: {why}")
        reset_database()
        migrate()
    meta = generate.generate(args.n, args.orgs, args.seed, progress_path(), key)
    meta["version"] = GENERATOR_VERSION
    generate.check_search_index(meta)
    meta_path().parent.mkdir(parents=True, exist_ok=True)
    meta_path().write_text(json.dumps(meta))
    generate.log(
        f"generated {args.n} commitments, {meta['relation_rows']} relation rows: "
        f"load {meta['load_seconds']}s, with ANALYZE {meta['seconds']}s"
    )
    emit("generate", db_label(), args.n, "seconds", meta["seconds"])
    ensure_facts()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("phase", choices=["prepare", "measure"])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20240308)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--only", default="")
    args = parser.parse_args(argv)
    if args.orgs is None:
        args.orgs = max(10, args.n // 5)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.phase == "prepare":
        prepare(args)
    else:
        from bench import measure

        meta = load_meta()
        if meta is None:
            raise SystemExit("no generated data: run the prepare phase first")
        unknown = set(filter(None, args.only.split(","))) - set(measure.BENCHES)
        if unknown:
            raise SystemExit(
                f"unknown bench {', '.join(sorted(unknown))}: {', '.join(measure.BENCHES)}"
            )
        measure.run(args, meta)


if __name__ == "__main__":
    main()
