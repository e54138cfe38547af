"""Embedding throughput on real registry texts, one JSON object a line on stdout.

    .venv/bin/python bench/embedding_throughput.py --max-tokens 96   # 256 texts, 2 threads
    .venv/bin/python bench/embedding_throughput.py --n 2650 --threads 1
    .venv/bin/python bench/embedding_throughput.py                   # the site's setting

The texts are UN Ocean Conference commitments (shared/realdata; 339 tokens on average, 627 of
2,650 longer than the model's 512-token window): the title, a newline and the description, as
the similarity engine embeds a commitment.  Every k-th record is taken so that the sample spans
the file (languages, lengths).  They are embedded by pledgebook.similarity.embedding.embed (the
production path: cleaning, truncation to embedding.max_tokens(), batches of 16), after one
warm-up call that loads the model.

Prints (bench "embedding_throughput", db "none"):
  per_second    texts embedded per second of wall clock
  cpu_per_text  seconds of CPU (this process, all its threads) per text: steadier than the wall
                clock on a shared machine
  mean_tokens   tokens the model read per text (prefix and special tokens included)
  load_average  the 1-minute load average when the run ended (2 cores: above 2, the run shared
                the CPU with other work and per_second is lower than on a quiet machine)

``--threads`` sets the engine's OpenMP threads (SIMILARITY_THREADS); a background worker
embedding a backlog on this 2-core machine may use 2.  ``--max-tokens`` sets
SIMILARITY_MAX_TOKENS for this run (the model id it reports names that vector space).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import simdata


def emit(n: int, metric: str, value: float, **extra: object) -> None:
    line = {"bench": "embedding_throughput", "db": "none", "n": n, "metric": metric}
    print(json.dumps({**line, "value": value, **extra}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=None)
    args = parser.parse_args()
    os.environ["SIMILARITY_THREADS"] = str(args.threads)
    if args.max_tokens:
        os.environ["SIMILARITY_MAX_TOKENS"] = str(args.max_tokens)
    simdata.setup_django()
    from pledgebook.similarity import embedding

    rows = simdata.unoc()
    step = max(1, len(rows) // args.n)
    texts = [
        simdata.record_text(row["title"], row.get("description"), cap=None)
        for row in rows[::step][: args.n]
    ]
    embedding.embed(["warm up"])
    wall, cpu = time.perf_counter(), time.process_time()
    embedding.embed(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tokens = statistics.mean(embedding.token_count(embedding.truncate(t)) for t in texts)
    extra = {"threads": args.threads, "model": embedding.model_id()}
    emit(len(texts), "per_second", round(len(texts) / wall, 2), **extra)
    emit(len(texts), "cpu_per_text", round(cpu / len(texts), 4), **extra)
    emit(len(texts), "mean_tokens", round(tokens, 1), **extra)
    emit(len(texts), "load_average", os.getloadavg()[0], **extra)


if __name__ == "__main__":
    main()
