"""Benchmarks of the similarity engine (pledgebook.similarity), one JSON object a line on stdout.

    .venv/bin/python bench/similarity.py                # 100,000 vectors, 64 texts
    .venv/bin/python bench/similarity.py --n 10000 --texts 64 --queries 100
    .venv/bin/python bench/similarity.py --database-url postgres://postgres@127.0.0.1:5432/simbench

Prints:
  embedding_throughput  per_second  texts embedded per second (generated EOI-like texts of
                                    60-150 words, batches of 16, the engine's threads)
  embedding_cpu_per_text  seconds   CPU time per text of the same run (steadier than the wall
                                    clock on a shared machine)
  query_embedding       p50_ms      embedding one short search query
  similar_index_load    seconds     building the in-memory index from n stored rows
  similar_top10         p50_ms, p95_ms  VectorIndex.nearest(k=10) over n rows of two kinds,
                                    excluding the object itself; includes the freshness check
                                    (one aggregate query) that every call makes
  similar_top10_scoped  p95_ms      the same restricted by allowed_ids (5,000 ids)
  semantic_search       p50_ms, p95_ms  embedding a short query and nearest(k=10) over n rows
  serving_rss           rss_mb      VmRSS of a fresh process with the model loaded, a query
                                    embedded and the n-row index in memory

The n stored vectors are random unit vectors, not embeddings of real texts: embedding 100,000
texts of EOI length would take about 10 hours of one core here, and the timing of an exact search
does not depend on the values.  The database is its own SQLite file (var/bench/similarity.sqlite3,
rebuilt when n changes) unless --database-url is given; DATABASE_URL is deliberately ignored, so
this never writes into bench/run.py's databases.  Progress goes to stderr.
"""

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "similarity.sqlite3"
MODEL_ID = "bench-random-unit"
KINDS = ("eoi", "coalition")


def log(message: str) -> None:
    print(f"[similarity bench] {message}", file=sys.stderr, flush=True)


def emit(bench: str, db: str, n: int, metric: str, value: float) -> None:
    line = {"bench": bench, "db": db, "n": n, "metric": metric, "value": value}
    print(json.dumps(line), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmRSS in /proc/self/status")


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


def db_label() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


# -- parent: embedding, then the stored vectors -----------------------------------------------


def bench_embedding(texts: int) -> None:
    from bench.vocabulary import TextMaker
    from pledgebook.similarity import embedding

    rng = random.Random(20240408)
    maker = TextMaker(rng, ["Fiji", "Senegal", "Peru", "Viet Nam", "Norway", "Egypt"])
    corpus = []
    for _ in range(texts):
        country = rng.choice(["Fiji", "Senegal", "Peru", "Viet Nam"])
        corpus.append(f"{maker.title(country)}. {maker.description(country)}")
    tokens = statistics.mean(embedding.token_count(text) for text in corpus)
    started, cpu = time.perf_counter(), time.process_time()
    embedding.embed(corpus)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    log(
        f"embedded {texts} texts ({tokens:.0f} tokens on average) in {seconds:.1f} s, "
        f"{cpu / texts * 1000:.0f} ms of CPU a text, {embedding.threads()} thread(s), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    emit("embedding_throughput", "none", texts, "per_second", round(texts / seconds, 1))
    # CPU time is what a shared machine's load does not change much: the steadier figure.
    emit("embedding_cpu_per_text", "none", texts, "seconds", round(cpu / texts, 3))

    queries = [f"coalitions working on {maker.topic()} in {maker.place()}" for _ in range(30)]
    timings = []
    for query in queries:
        started = time.perf_counter()
        embedding.embed([query])
        timings.append((time.perf_counter() - started) * 1000)
    emit("query_embedding", "none", len(queries), "p50_ms", round(statistics.median(timings), 1))


def prepare_vectors(n: int) -> None:
    import numpy as np
    from django.core.management import call_command

    from pledgebook.similarity import embedding
    from pledgebook.similarity.models import Vector

    call_command("migrate", "similarity", verbosity=0)
    if Vector.objects.filter(model_id=MODEL_ID).count() == n:
        log(f"{n} stored vectors already there")
        return
    Vector.objects.filter(model_id=MODEL_ID).delete()
    rng = np.random.default_rng(7)
    started = time.perf_counter()
    batch = 5000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        block = rng.standard_normal((size, embedding.DIM)).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        Vector.objects.bulk_create(
            Vector(
                kind=KINDS[(start + i) % 5 == 0],  # 80 % eoi, 20 % coalition
                object_id=start + i,
                model_id=MODEL_ID,
                text_digest="-",
                dim=embedding.DIM,
                data=embedding.to_bytes(block[i]),
            )
            for i in range(size)
        )
    log(f"stored {n} random unit vectors in {time.perf_counter() - started:.1f} s")


# -- child: a serving process ------------------------------------------------------------------


def serve_measure(n: int, queries: int) -> None:
    import numpy as np

    from pledgebook.similarity import embedding
    from pledgebook.similarity.index import VectorIndex

    db = db_label()
    embedding.embed(["a search query loads the model"])
    index = VectorIndex(MODEL_ID)
    started = time.perf_counter()
    index.refresh()
    emit("similar_index_load", db, n, "seconds", round(time.perf_counter() - started, 2))
    assert len(index) == n, (len(index), n)

    rng = np.random.default_rng(11)
    picks = rng.integers(0, n, size=queries + 20)
    timings, checks = [], []
    for round_, object_id in enumerate(picks):
        kind = KINDS[int(object_id) % 5 == 0]
        vector = index.vector(kind, int(object_id))
        started = time.perf_counter()
        hits = index.nearest(vector, set(KINDS), k=10, exclude={(kind, int(object_id))})
        elapsed = (time.perf_counter() - started) * 1000
        assert len(hits) == 10 and (kind, int(object_id)) not in {h[:2] for h in hits}
        if round_ >= 20:  # warm-up
            timings.append(elapsed)
            started = time.perf_counter()
            index.refresh()
            checks.append((time.perf_counter() - started) * 1000)
    emit("similar_top10", db, n, "p50_ms", round(statistics.median(timings), 2))
    emit("similar_top10", db, n, "p95_ms", round(percentile(timings, 95), 2))
    check = statistics.median(checks)
    log(f"of which the freshness check (max(updated_at)): p50 {check:.2f} ms")

    allowed = {
        "eoi": {int(i) for i in rng.integers(0, n, size=4000)},
        "coalition": {int(i) for i in rng.integers(0, n, size=1000)},
    }
    scoped = []
    for object_id in picks[:queries]:
        kind = KINDS[int(object_id) % 5 == 0]
        vector = index.vector(kind, int(object_id))
        started = time.perf_counter()
        index.nearest(vector, set(KINDS), k=10, allowed_ids=allowed)
        scoped.append((time.perf_counter() - started) * 1000)
    emit("similar_top10_scoped", db, n, "p95_ms", round(percentile(scoped, 95), 2))

    searches = []
    for i in range(40):
        query = f"coalitions working on plastic pollution in small island states ({i})"
        started = time.perf_counter()
        index.nearest(embedding.embed([query])[0], set(KINDS), k=10)
        searches.append((time.perf_counter() - started) * 1000)
    emit("semantic_search", db, n, "p50_ms", round(statistics.median(searches), 2))
    emit("semantic_search", db, n, "p95_ms", round(percentile(searches, 95), 2))
    emit("serving_rss", db, n, "rss_mb", rss_mb())


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/similarity.py", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="stored vectors (default 100000)")
    parser.add_argument("--texts", type=int, default=64, help="texts to embed (default 64)")
    parser.add_argument("--queries", type=int, default=300, help="timed nearest() calls")
    parser.add_argument(
        "--database-url", default=None, help="default: var/bench/similarity.sqlite3"
    )
    parser.add_argument("--serve-measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.database_url is None:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        args.database_url = f"sqlite:///{SQLITE_PATH}"
    setup_django(args.database_url)
    if args.serve_measure:
        serve_measure(args.n, args.queries)
        return 0
    bench_embedding(args.texts)
    prepare_vectors(args.n)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--serve-measure",
        "--n", str(args.n),
        "--queries", str(args.queries),
        "--database-url", args.database_url,
    ]  # fmt: skip
    return subprocess.run(command, cwd=BASE_DIR, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
