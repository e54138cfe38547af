"""``make bench``: generate a large programme and time the public pages on SQLite and PostgreSQL.

    .venv/bin/python bench/run.py                 # 100,000 commitments, both databases
    .venv/bin/python bench/run.py --n 2000        # a quick small run
    .venv/bin/python bench/run.py --fresh         # rebuild the generated databases
    .venv/bin/python bench/run.py --db sqlite --only directory_search
    .venv/bin/python bench/run.py --db sqlite --explain "/commitments/?q=waste"
    .venv/bin/python bench/run.py --scale         # make bench-scale: 1,000,000 commitments,
                                                  # the map and the dashboard, kept databases
    BENCH_DB=postgresql .venv/bin/python bench/run.py --scale   # (or --db): one database only

Prints one JSON object a line on stdout (progress goes to stderr).  Each database is prepared
and measured in subprocesses of its own (``python -m bench.worker``), with the settings taken
from the environment as in production.  See docs/BENCHMARKS.md.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "bench.sqlite3"
SCALE_SQLITE_PATH = BASE_DIR / "var" / "bench-scale.sqlite3"
SCALE_DATABASES = {
    "sqlite": f"sqlite:///{SCALE_SQLITE_PATH}",
    "postgresql": os.environ.get(
        "BENCH_SCALE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/pledgebook_bench_scale"
    ),
}
SCALE_N = 1_000_000
SCALE_BENCHES = (
    "map_aggregates,sdg_dashboard,directory_search,commitment_page,api_commitments,home_page"
)
DATABASES = {
    "sqlite": f"sqlite:///{SQLITE_PATH}",
    "postgresql": os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/pledgebook_bench"
    ),
}


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    return env


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="commitments (default 100000)")
    parser.add_argument("--orgs", type=int, default=None, help="organisations (default n/5)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the generated databases")
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql", "both"],
        default=os.environ.get("BENCH_DB", "both"),
        help="the databases to measure (default: $BENCH_DB or both)",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per bench")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument(
        "--only", default="", help="comma-separated: directory_search,commitment_page,..."
    )
    parser.add_argument(
        "--prepare-only", action="store_true", help="generate/migrate the databases, no timing"
    )
    parser.add_argument(
        "--explain", nargs="+", metavar="URL", help="show the queries and plan of URLs instead"
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"{SCALE_N:,} commitments (or --n) in databases of their own, kept between runs;"
        f" only {SCALE_BENCHES}",
    )
    args = parser.parse_args()
    databases = DATABASES
    if args.scale:
        databases = SCALE_DATABASES
        if args.n == 100_000:
            args.n = SCALE_N
        args.only = args.only or SCALE_BENCHES
        os.environ["BENCH_SCALE"] = "1"
    if args.explain:
        for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
            cmd = [sys.executable, "-m", "bench.explain", *args.explain]
            subprocess.run(cmd, cwd=BASE_DIR, env=environment(databases[db]), check=False)
        return 0

    common = ["--n", str(args.n), "--requests", str(args.requests), "--warmup", str(args.warmup)]
    if args.orgs:
        common += ["--orgs", str(args.orgs)]
    if args.only:
        common += ["--only", args.only]
    failed = []
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        env = environment(databases[db])
        for phase in ("prepare",) if args.prepare_only else ("prepare", "measure"):
            cmd = [sys.executable, "-m", "bench.worker", phase, *common]
            if phase == "prepare" and args.fresh:
                cmd.append("--fresh")
            result = subprocess.run(cmd, cwd=BASE_DIR, env=env, check=False)
            if result.returncode != 0:
                print(f"[bench {db}] {phase} failed ({result.returncode})", file=sys.stderr)
                failed.append(db)
                break
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
