"""Benchmark of ``commitments.duplicates.similar_commitments``: the top 10 among n commitments.

    .venv/bin/python bench/similar_commitments.py                  # 100,000 commitments
    .venv/bin/python bench/similar_commitments.py --n 10000 --queries 50
    .venv/bin/python bench/similar_commitments.py --database-url postgres://postgres@127.0.0.1:5432/pb_dupbench

Prints (one JSON object a line):
  similar_commitments  p50_ms, p95_ms  ``similar_commitments(c, k=10)`` for commitments of the
                                       set, as the secretariat's review asks it: the vector of the
                                       commitment, its nearest neighbours in the index (of every
                                       commitment; the freshness check included), the network's
                                       scope by one query, the rows of the candidates and the pair
                                       scorer (``similarity.duplicates.score_pair``) on each
  similar_commitments_index_load  seconds  building this process's in-memory index of n rows
  similar_commitments_nearest  p95_ms  the index's part of it: the 15 nearest of every commitment

The n commitments are real rows (3 programmes sharing their network, 500 organisations, titles
and descriptions from bench/vocabulary.py); their vectors are clustered random unit vectors
under the current model's id (as bench/vectors_scale.py makes them: embedding 100,000 texts would
take hours here, and the time of a search does not depend on the values).  The database is its own
SQLite file (var/bench/similar-commitments.sqlite3, made again when n changes) unless
--database-url is given; DATABASE_URL is ignored.  Progress goes to stderr.
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "similar-commitments.sqlite3"
DIM = 384
TOPICS = 2_000
BLOCK = 10_000


def log(message: str) -> None:
    print(f"[similar_commitments bench] {message}", file=sys.stderr, flush=True)


def emit(bench: str, db: str, n: int, metric: str, value: float) -> None:
    print(json.dumps({"bench": bench, "db": db, "n": n, "metric": metric, "value": value}))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def setup_django(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pledgebook.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def block_vectors(start: int, size: int):
    """Clustered unit vectors (cosines of unrelated texts about 0.8, as the model's are)."""
    import numpy as np

    topics = np.random.default_rng(20261206)
    shared = topics.standard_normal(DIM).astype(np.float32)
    shared /= np.linalg.norm(shared)
    centres = topics.standard_normal((TOPICS, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    centres = 0.6 * centres + 1.2 * shared
    rng = np.random.default_rng(start)
    labels = rng.integers(0, TOPICS, size)
    spread = rng.uniform(0.4, 0.9, (size, 1)).astype(np.float32) / np.sqrt(DIM)
    block = centres[labels] + rng.standard_normal((size, DIM)).astype(np.float32) * spread
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    return block


def generate(n: int) -> list[int]:
    """The commitments and their vectors (skipped when n are there); returns their ids."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from bench.vocabulary import TextMaker
    from pledgebook.commitments.duplicates import KIND
    from pledgebook.commitments.models import Commitment
    from pledgebook.organisations.models import Category, Organisation
    from pledgebook.programmes.models import Programme
    from pledgebook.reference.models import Country
    from pledgebook.similarity import embedding
    from pledgebook.similarity.models import Vector

    call_command("migrate", verbosity=0)
    model = embedding.model_id()
    ids = list(Commitment.objects.filter(title__startswith="[bench] ").values_list("pk", flat=True))
    if len(ids) == n and Vector.objects.filter(kind=KIND, model_id=model).count() == n:
        log(f"{n} commitments and vectors already there")
        return ids
    Vector.objects.filter(kind=KIND).delete()
    Commitment.objects.filter(title__startswith="[bench] ").delete()
    started = time.perf_counter()
    rng = random.Random(20261206)
    countries = ["Fiji", "Senegal", "Peru", "Viet Nam", "Norway", "Egypt", "Chile", "Kenya"]
    maker = TextMaker(rng, countries)
    with transaction.atomic():
        programmes = [
            Programme.objects.get_or_create(
                slug=f"bench-dup-{i}",
                defaults={"name": f"Bench programme {i}", "is_published": True},
            )[0]
            for i in range(3)
        ]
        organisations = [
            Organisation.objects.get_or_create(
                slug=f"bench-dup-org-{i}",
                defaults={
                    "name": f"Bench organisation {i}",
                    "category": Category.CIVIL_SOCIETY,
                    "country": Country.objects.get(iso2="KE"),
                },
            )[0]
            for i in range(500)
        ]
    now = timezone.now()
    for start in range(0, n, BLOCK):
        size = min(BLOCK, n - start)
        with transaction.atomic():
            rows = Commitment.objects.bulk_create(
                [
                    Commitment(
                        programme=programmes[(start + i) % 3],
                        organisation=organisations[rng.randrange(500)],
                        title="[bench] " + maker.title(rng.choice(countries)),
                        description=maker.description(rng.choice(countries)),
                        status=Commitment.Status.CONFIRMED,
                        submitted_at=now - dt.timedelta(minutes=start + i),
                        starts_on=dt.date(2024, 1, 1),
                        ends_on=dt.date(2028, 12, 31),
                    )
                    for i in range(size)
                ],
                batch_size=2000,
            )
            block = block_vectors(start, size)
            Vector.objects.bulk_create(
                [
                    Vector(
                        kind=KIND,
                        object_id=row.pk,
                        model_id=model,
                        text_digest="-",
                        dim=DIM,
                        data=embedding.to_bytes(block[i]),
                    )
                    for i, row in enumerate(rows)
                ],
                batch_size=2000,
            )
        log(f"stored {start + size} of {n} commitments and vectors")
    log(f"generated in {time.perf_counter() - started:.0f} s")
    return list(
        Commitment.objects.filter(title__startswith="[bench] ").values_list("pk", flat=True)
    )


def measure(n: int, queries: int, ids: list[int]) -> None:
    from django.db import connection

    from pledgebook.commitments.duplicates import similar_commitments
    from pledgebook.commitments.models import Commitment
    from pledgebook.similarity import engine

    db = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    started = time.perf_counter()
    engine.get_index().refresh()
    emit(
        "similar_commitments_index_load", db, n, "seconds", round(time.perf_counter() - started, 2)
    )
    rng = random.Random(7)
    chosen = rng.sample(ids, queries)
    timings: list[float] = []
    cpu: list[float] = []
    found: list[int] = []
    for pk in chosen:
        commitment = Commitment.objects.select_related("programme", "organisation").get(pk=pk)
        t0, c0 = time.perf_counter(), time.process_time()
        result = similar_commitments(commitment, k=10)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        found.append(len(result))
    # CPU time (numpy's threads included) changes less than the wall clock with the load.
    log(
        f"{queries} queries: {statistics.mean(found):.1f} suggestions on average; CPU of all "
        f"threads a query p50 {statistics.median(cpu):.0f} ms, p95 {percentile(cpu, 95):.0f} ms; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    emit("similar_commitments", db, n, "p50_ms", round(statistics.median(timings), 1))
    emit("similar_commitments", db, n, "p95_ms", round(percentile(timings, 95), 1))
    # The part of it that is the index's: the 15 nearest of every commitment (the pair scorer
    # and the queries are the rest), for the same commitments.
    index = engine.get_index()
    nearest: list[float] = []
    for pk in chosen:
        vector = index.vector("commitment", pk)
        t0 = time.perf_counter()
        index.nearest(vector, {"commitment"}, k=15, exclude={("commitment", pk)})
        nearest.append((time.perf_counter() - t0) * 1000)
    emit("similar_commitments_nearest", db, n, "p95_ms", round(percentile(nearest, 95), 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url
    if not url:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
    setup_django(url)
    ids = generate(args.n)
    measure(args.n, args.queries, ids)
    return 0


if __name__ == "__main__":
    sys.exit(main())
