"""``make bench-scale`` (vectors): similarity search among 1,000,000 stored vectors, served by 4
separate processes that share one memory-mapped base index.  One JSON object a line on stdout.

    .venv/bin/python bench/vectors_scale.py                   # 1,000,000 vectors, SQLite
    .venv/bin/python bench/vectors_scale.py --n 50000         # a quick small run
    .venv/bin/python bench/vectors_scale.py --database-url postgres://postgres@127.0.0.1:5432/vecbench

Steps (progress on stderr):
  1. generate ``n`` synthetic vectors into a database of their own (default
     var/bench/vectors-scale.sqlite3; DATABASE_URL is ignored), kept between runs and resumable:
     blocks of 10,000 rows, each from its own seed, so a run that stopped continues after the
     last whole block.  The vectors are clustered like embeddings (a shared direction, 2,000
     topics, noise), so the ANN graph meets realistic neighbourhoods;
  2. build the shared base index (``similarity.base.build``: what ``manage.py
     build_vector_index`` runs) into its own directory, unless that generation is current;
  3. start 4 serving processes at once (``--serve``), each loading the model (as an app
     process does), running ``--queries`` top-10 queries through ``VectorIndex.nearest`` and
     reporting its latency and memory (VmRSS, VmHWM, and Pss / Private from
     /proc/self/smaps_rollup: Pss divides shared pages between the processes sharing them).

Prints:
  vector_index_build  seconds, peak_rss_mb   building the base (only when it was built)
  similar_top10       p50_ms, p95_ms         over all 4 processes' queries (k=10, two kinds,
                                              the object itself excluded: engine.similar's query)
  similar_top10_scoped p95_ms                with allowed_ids (4,000 + 1,000 ids)
  similar_recall_at10  ratio                 against exact search (numpy over all n vectors)
                                              on a sample of the queries
  similar_rss_mb      max_rss, max_hwm, max_pss, max_private   the worst of the 4 processes
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "vectors-scale.sqlite3"
INDEX_DIR = BASE_DIR / "var" / "bench" / "vectors-scale-index"
MODEL_ID = "bench-clustered-unit"
KINDS = ("eoi", "coalition")
BLOCK = 10_000
TOPICS = 2_000
DIM = 384


def log(message: str) -> None:
    print(f"[vectors bench] {message}", file=sys.stderr, flush=True)


def emit(bench: str, db: str, n: int, metric: str, value: float) -> None:
    line = {"bench": bench, "db": db, "n": n, "metric": metric, "value": value}
    print(json.dumps(line), flush=True)


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
            "SIMILARITY_INDEX_DIR": str(INDEX_DIR),
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def db_label() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def kind_of(object_id: int) -> str:
    return KINDS[object_id % 5 == 0]  # 80 % eoi, 20 % coalition


def block_vectors(start: int, size: int):
    """Rows start..start+size-1, deterministic per block (so generation can resume)."""
    import numpy as np

    topics = np.random.default_rng(20261205)
    shared = topics.standard_normal(DIM).astype(np.float32)
    shared /= np.linalg.norm(shared)
    centres = topics.standard_normal((TOPICS, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    centres = 0.6 * centres + 1.2 * shared  # cosines of unrelated texts ~0.8, as e5's are
    rng = np.random.default_rng(start)
    labels = rng.integers(0, TOPICS, size)
    spread = rng.uniform(0.4, 0.9, (size, 1)).astype(np.float32) / np.sqrt(DIM)
    block = centres[labels] + rng.standard_normal((size, DIM)).astype(np.float32) * spread
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    return block


def generate(n: int) -> None:
    from django.core.management import call_command

    from pledgebook.similarity import embedding
    from pledgebook.similarity.models import Vector

    call_command("migrate", "similarity", verbosity=0)
    rows = Vector.objects.filter(model_id=MODEL_ID)
    have = rows.count()
    if have == n:
        log(f"{n} stored vectors already there")
        return
    # Whole blocks only: a block is one transaction, so a stopped run leaves whole blocks.
    start = (have // BLOCK) * BLOCK
    rows.filter(object_id__gte=start).delete()
    started = time.perf_counter()
    for block_start in range(start, n, BLOCK):
        size = min(BLOCK, n - block_start)
        block = block_vectors(block_start, size)
        Vector.objects.bulk_create(
            (
                Vector(
                    kind=kind_of(block_start + i),
                    object_id=block_start + i,
                    model_id=MODEL_ID,
                    text_digest="-",
                    dim=DIM,
                    data=embedding.to_bytes(block[i]),
                )
                for i in range(size)
            ),
            batch_size=2000,
        )
        if (block_start // BLOCK) % 10 == 9 or block_start + size == n:
            rate = (block_start + size - start) / (time.perf_counter() - started)
            log(f"stored {block_start + size} of {n} ({rate:.0f} rows/s)")
    log(f"stored {n - start} clustered unit vectors in {time.perf_counter() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/vectors_scale.py", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="default: " + str(SQLITE_PATH))
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    if args.database_url is None:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        args.database_url = f"sqlite:///{SQLITE_PATH}"
    setup_django(args.database_url)
    generate(args.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
