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
  similar_rss_mb      max_rss, max_hwm, max_pss, max_private, max_anonymous   the worst of the
                                              4 processes.  Private counts the file's pages
                                              that no other process maps at that moment (one
                                              that ends last sees them as private); Anonymous
                                              is the process's own memory (heap, model)
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


def setup_django(database_url: str, index_dir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pledgebook.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
            "SIMILARITY_INDEX_DIR": str(index_dir),
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


def build(n: int) -> None:
    """The base, in a child process (its peak RSS is the build's); skipped when up to date."""
    import resource

    from pledgebook.similarity import base

    if base.up_to_date(MODEL_ID):
        log("the base index is up to date")
        return
    started = time.perf_counter()
    command = [
        sys.executable,
        str(BASE_DIR / "manage.py"),
        "build_vector_index",
        "--model",
        MODEL_ID,
    ]
    subprocess.run(command, cwd=BASE_DIR, check=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    emit("vector_index_build", db_label(), n, "seconds", round(seconds, 1))
    emit("vector_index_build", db_label(), n, "peak_rss_mb", round(peak, 1))


def memory() -> dict[str, float]:
    """VmRSS and VmHWM (the peak), and Pss and Private from smaps_rollup, in MB."""
    found: dict[str, float] = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line.split(":")[0]] = int(line.split()[1]) / 1024
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            name = line.split(":")[0]
            if name in ("Pss", "Private_Clean", "Private_Dirty", "Shared_Clean", "Anonymous"):
                found[name] = int(line.split()[1]) / 1024
    found["Private"] = found.pop("Private_Clean", 0) + found.pop("Private_Dirty", 0)
    return {key: round(value, 1) for key, value in found.items()}


def serve(n: int, queries: int, seed: int, recall_sample: int) -> None:
    """One app-like process: the model loaded, ``queries`` top-10 queries, then its memory."""
    import numpy as np

    from pledgebook.similarity import embedding
    from pledgebook.similarity.index import VectorIndex

    embedding.embed(["a search query loads the model"])  # an app process holds the model
    index = VectorIndex(MODEL_ID)
    started = time.perf_counter()
    index.refresh()
    opened = time.perf_counter() - started
    rng = np.random.default_rng(seed)
    picks = [int(i) for i in rng.integers(0, n, queries + 20)]
    timings, sampled = [], {}
    for round_, object_id in enumerate(picks):
        kind = kind_of(object_id)
        vector = index.vector(kind, object_id)
        started = time.perf_counter()
        hits = index.nearest(vector, set(KINDS), k=10, exclude={(kind, object_id)})
        elapsed = (time.perf_counter() - started) * 1000
        assert len(hits) == 10 and (kind, object_id) not in {hit[:2] for hit in hits}
        if round_ >= 20:  # warm-up
            timings.append(elapsed)
        if round_ < recall_sample:
            sampled[object_id] = [[hit[0], hit[1]] for hit in hits]
    allowed = {
        "eoi": {int(i) for i in rng.integers(0, n, 4000)},
        "coalition": {int(i) for i in rng.integers(0, n, 1000)},
    }
    scoped = []
    for object_id in picks[:100]:
        vector = index.vector(kind_of(object_id), object_id)
        started = time.perf_counter()
        index.nearest(vector, set(KINDS), k=10, allowed_ids=allowed)
        scoped.append((time.perf_counter() - started) * 1000)
    result = {
        "timings": timings,
        "scoped": scoped,
        "sampled": sampled,
        "open_seconds": round(opened, 3),
        "generation": index.base.generation if index.base else None,
        "delta_rows": index._snapshot.size,
        "memory": memory(),
        "pid": os.getpid(),
    }
    print(json.dumps(result), flush=True)


def recall(n: int, sampled: dict[str, list]) -> float:
    """Recall@10 of the served hits against exact search over the same n vectors (regenerated
    from their seeds, as stored: float16)."""
    import numpy as np

    matrix = np.zeros((n, DIM), dtype=np.float32)
    for start in range(0, n, BLOCK):
        size = min(BLOCK, n - start)
        block = block_vectors(start, size).astype(np.float16).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        matrix[start : start + size] = block
    keys = [int(key) for key in sampled]
    scores = matrix[keys] @ matrix.T  # (queries, n)
    found = 0
    for row, object_id in enumerate(keys):
        scores[row, object_id] = -np.inf
        truth = set(np.argpartition(-scores[row], 10)[:10].tolist())
        found += len(truth & {hit[1] for hit in sampled[str(object_id)]})
    return found / (10 * len(keys))


def measure(args) -> None:
    db = db_label()
    command = [
        sys.executable, str(Path(__file__).resolve()), "--serve",
        "--n", str(args.n), "--queries", str(args.queries),
        "--database-url", args.database_url,
    ]  # fmt: skip
    children = [
        subprocess.Popen(
            [*command, "--seed", str(100 + i), "--recall-sample", str(args.recall_sample)],
            cwd=BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(args.processes)
    ]
    results = []
    for child in children:
        out, _ = child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"a serving process failed ({child.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    timings = [t for result in results for t in result["timings"]]
    scoped = [t for result in results for t in result["scoped"]]
    for result in results:
        log(
            f"process {result['pid']}: generation {result['generation']}, delta rows "
            f"{result['delta_rows']}, opened in {result['open_seconds']} s, memory MB "
            f"{result['memory']}, p95 {percentile(result['timings'], 95):.1f} ms"
        )
    emit("similar_top10", db, args.n, "p50_ms", round(statistics.median(timings), 2))
    emit("similar_top10", db, args.n, "p95_ms", round(percentile(timings, 95), 2))
    emit("similar_top10_scoped", db, args.n, "p95_ms", round(percentile(scoped, 95), 2))
    for metric, key in (
        ("max_rss", "VmRSS"),
        ("max_hwm", "VmHWM"),
        ("max_pss", "Pss"),
        ("max_private", "Private"),
        ("max_anonymous", "Anonymous"),
    ):
        emit("similar_rss_mb", db, args.n, metric, max(r["memory"][key] for r in results))
    sampled = {k: v for result in results for k, v in result["sampled"].items()}
    emit("similar_recall_at10", db, args.n, "ratio", round(recall(args.n, sampled), 3))
    log(f"load average {os.getloadavg()} on {os.cpu_count()} cores")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench/vectors_scale.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="default: " + str(SQLITE_PATH))
    parser.add_argument("--queries", type=int, default=500, help="timed queries a process")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--recall-sample", type=int, default=25, help="queries a process")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    # Another n, another database and index (the 1,000,000 are kept).
    suffix = "scale" if args.n == 1_000_000 else str(args.n)
    if args.database_url is None:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        args.database_url = f"sqlite:///{SQLITE_PATH.with_name(f'vectors-{suffix}.sqlite3')}"
    setup_django(args.database_url, INDEX_DIR.with_name(f"vectors-{suffix}-index"))
    if args.serve:
        serve(args.n, args.queries, args.seed, args.recall_sample)
        return 0
    log(f"load average {os.getloadavg()} on {os.cpu_count()} cores")
    generate(args.n)
    if args.generate_only:
        return 0
    build(args.n)
    measure(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
