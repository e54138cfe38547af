"""Benchmark of the partner finder (``pledgebook.portal.finder.suggest``): ranked suggestions
for random public commitments of the generated directory (``bench/run.py``'s databases,
100,000 commitments by default), on SQLite and PostgreSQL.  Target: p95 <= 100 ms (a part of a
page).

    .venv/bin/python bench/run.py --prepare-only      # the generated databases, once
    .venv/bin/python bench/finder.py                  # both databases
    .venv/bin/python bench/finder.py --db sqlite --subjects 20

Prints one JSON object a line on stdout, as ``bench/run.py`` does:
``{"bench": "partner_finder", "db": "sqlite", "n": 100000, "metric": "p95_ms", "value": 34}``
and the number of queries of one call.  Each subject's text is embedded once before timing (in
production a commitment is indexed in the background when it is confirmed), so the figures
are the engine's top-k and the queries that follow, not the model.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: make ``bench`` and ``pledgebook`` importable
    sys.path.insert(0, str(BASE_DIR))

TARGET_P95_MS = 100.0


def measure(subjects: int, rounds: int, seed: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.worker import db_label, emit, load_meta
    from pledgebook.commitments.filters import public_commitments
    from pledgebook.portal.finder import suggest

    meta = load_meta()
    if meta is None:
        raise SystemExit("no generated data: run bench/run.py --prepare-only first")
    ids = list(public_commitments().values_list("pk", flat=True))
    rng = random.Random(seed)
    chosen = [public_commitments().get(pk=pk) for pk in rng.sample(ids, min(subjects, len(ids)))]
    for subject in chosen:  # embeds each subject once, and warms up
        suggest(subject)
    timings: list[float] = []
    queries: list[int] = []
    for _ in range(rounds):
        for subject in chosen:
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                suggest(subject)
                timings.append((time.perf_counter() - t0) * 1000)
            queries.append(len(ctx.captured_queries))
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    db, n = db_label(), meta["n"]
    emit("partner_finder", db, n, "p50_ms", round(statistics.median(timings), 2))
    emit("partner_finder", db, n, "p95_ms", round(p95, 2))
    emit("partner_finder", db, n, "queries", max(queries))
    print(
        f"[bench {db}] partner_finder: {len(timings)} calls, p95 {p95:.1f} ms "
        f"(target {TARGET_P95_MS:.0f} ms: {p95 / TARGET_P95_MS:.2f}x)",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/finder.py", description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--subjects", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        measure(args.subjects, args.rounds, args.seed)
        return 0
    from bench.run import DATABASES, environment

    failed = False
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker"]
        cmd += ["--subjects", str(args.subjects), "--rounds", str(args.rounds)]
        cmd += ["--seed", str(args.seed)]
        result = subprocess.run(cmd, cwd=BASE_DIR, env=environment(DATABASES[db]), check=False)
        failed = failed or result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
