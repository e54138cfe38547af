"""SDG suggestions measured on the 2,650 UN Ocean Conference commitments; JSON lines on stdout.

    .venv/bin/python bench/sdg_eval.py                 # hit rates + the sdg_suggest timing
    .venv/bin/python bench/sdg_eval.py --tune          # also the weight grid, on the tuning part

What the suggester reads: the title, the description and the deliverables' texts of each
record (``commitment_text``); never ``sdgs``, ``sdg14_targets`` or
``communities_of_ocean_action`` (they are the labels, or derived from them).

Split: a record is held out when sha256(node_id) % 100 < 30 (about 30 %); the weights of
``pledgebook.commitments.suggest`` were chosen on the other part only (``--tune`` prints the grid
on the tuning part and never looks at the held-out one).

Prints, for each part (tuning, held_out, all):
  sdg_goal_hit_top3          each declared goal other than 14: is it among the 3 best goals?
                             (share of those (commitment, goal) pairs)
  sdg_goal_hit_top3_ceiling  the best any ranking can reach: a commitment declaring 8 goals has
                             3 places, one of them usually taken by 14
  sdg_goal_hit_top3_not14    the same among the 3 best goals other than 14 (14 is the registry's
                             own goal: every record advances it), and its ceiling
  sdg_commitment_any_top3    share of the commitments declaring a goal other than 14 with at
                             least one of them in the top 3 (lenient, per commitment)
  sdg_goal14_top3            share of the commitments declaring 14 whose top 3 holds 14
  sdg_target14_hit           share of the commitments declaring 14.x targets whose suggested
                             target of goal 14 is one of them
and sdg_suggest p50_ms / p95_ms: one suggest() call per commitment (embedding included) on a
fixed sample of --timing records, one thread (sdg_suggest_cpu: the same in CPU time of the
process, steadier on a shared machine; sdg_suggest_load: the load average after the run).
The embeddings of the hit-rate run are cached in var/sdg/ (keyed by the model and the text),
so a second run takes seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = BASE_DIR.parent / "shared" / "realdata" / "unoc_commitments"
RECORDS = DATA / "unoc_ocean_commitments_2026-03.jsonl"
CACHE = BASE_DIR / "var" / "sdg"
HELD_OUT_PERCENT = 30


def emit(bench: str, n: int, metric: str, value: float, **extra: object) -> None:
    line = {"bench": bench, "db": "none", "n": n, "metric": metric, "value": value, **extra}
    print(json.dumps(line), flush=True)


def log(message: str) -> None:
    print(f"[sdg_eval] {message}", file=sys.stderr, flush=True)


def setup_django() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pledgebook.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def held_out(node_id: str) -> bool:
    return int(hashlib.sha256(node_id.encode()).hexdigest(), 16) % 100 < HELD_OUT_PERCENT


def load_records(path: Path = RECORDS) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def record_text(record: dict) -> str:
    from pledgebook.commitments.suggest import commitment_text

    deliverables = [d.get("deliverable") or "" for d in record.get("deliverables") or []]
    return commitment_text(record.get("title") or "", record.get("description") or "", deliverables)


def head_vectors(texts: list[str]) -> np.ndarray:
    """embed(head(text)) of each text, cached on disk by model and text."""
    from pledgebook.commitments.suggest import head
    from pledgebook.similarity import embedding

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"heads-{hashlib.sha256(embedding.model_id().encode()).hexdigest()[:12]}.npz"
    cached: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as stored:
            cached = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    heads = [head(t) for t in texts]
    keys = [hashlib.sha256(h.encode()).hexdigest() for h in heads]
    missing = sorted({k: h for k, h in zip(keys, heads, strict=True) if k not in cached}.items())
    if missing:
        log(f"embedding {len(missing)} heads (cached: {len(cached)})")
        started = time.perf_counter()
        vectors = embedding.embed([h for _k, h in missing])
        log(f"embedded in {time.perf_counter() - started:.0f} s")
        cached.update({k: v for (k, _h), v in zip(missing, vectors, strict=True)})
        np.savez(path, keys=np.array(list(cached)), vectors=np.array(list(cached.values())))
    return np.array([cached[k] for k in keys], dtype=np.float32)


def measure(records: list[dict], rankings: list[list[int]], targets14: list[str | None]) -> dict:
    pairs = hits = ceiling = hits_not14 = ceiling_not14 = 0
    with14 = hit14 = with_targets = target_hits = with_others = any_hit = 0
    for record, ranking, target in zip(records, rankings, targets14, strict=True):
        declared = {int(g) for g in record["sdgs"]}
        others = declared - {14}
        top3 = ranking[:3]
        top3_not14 = [g for g in ranking if g != 14][:3]
        pairs += len(others)
        hits += len(others & set(top3))
        hits_not14 += len(others & set(top3_not14))
        ceiling += min(len(others), 2 if 14 in declared else 3)
        ceiling_not14 += min(len(others), 3)
        if others:
            with_others += 1
            any_hit += bool(others & set(top3))
        if 14 in declared:
            with14 += 1
            hit14 += 14 in top3
        if record.get("sdg14_targets"):
            with_targets += 1
            target_hits += target in record["sdg14_targets"]
    return {
        "pairs": pairs,
        "sdg_goal_hit_top3": hits / pairs,
        "sdg_goal_hit_top3_ceiling": ceiling / pairs,
        "sdg_goal_hit_top3_not14": hits_not14 / pairs,
        "sdg_goal_hit_top3_not14_ceiling": ceiling_not14 / pairs,
        "with_others": with_others,
        "sdg_commitment_any_top3": any_hit / with_others,
        "with14": with14,
        "sdg_goal14_top3": hit14 / with14,
        "with_targets": with_targets,
        "sdg_target14_hit": target_hits / with_targets,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="SDG suggestions on the ocean commitments")
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--timing", type=int, default=200, help="records timed (0: none)")
    parser.add_argument("--tune", action="store_true", help="print the grid on the tuning part")
    args = parser.parse_args()
    setup_django()
    from pledgebook.commitments import suggest as s

    records = load_records(args.records)
    texts = [record_text(r) for r in records]
    vectors = head_vectors(texts)
    started = time.perf_counter()
    found = [s.features(t, vector=v) for t, v in zip(texts, vectors, strict=True)]
    log(f"features of {len(found)} texts in {time.perf_counter() - started:.1f} s")
    parts = {
        "tuning": [i for i, r in enumerate(records) if not held_out(r["node_id"])],
        "held_out": [i for i, r in enumerate(records) if held_out(r["node_id"])],
        "all": list(range(len(records))),
    }

    def rankings(indices: list[int]) -> tuple[list[list[int]], list[str | None]]:
        ranked, targets = [], []
        for i in indices:
            scores = s.goal_scores(found[i])
            ranked.append([int(g) + 1 for g in np.argsort(-scores, kind="stable")])
            targets.append(s._evidence(found[i], 14)[2])
        return ranked, targets

    if args.tune:
        tune(s, found, records, parts["tuning"])
    for part, indices in parts.items():
        ranked, targets = rankings(indices)
        result = measure([records[i] for i in indices], ranked, targets)
        for metric in (
            "sdg_goal_hit_top3",
            "sdg_goal_hit_top3_ceiling",
            "sdg_goal_hit_top3_not14",
            "sdg_goal_hit_top3_not14_ceiling",
        ):
            emit(
                metric,
                len(indices),
                "share",
                round(result[metric], 4),
                part=part,
                pairs=result["pairs"],
            )
        emit(
            "sdg_commitment_any_top3",
            result["with_others"],
            "share",
            round(result["sdg_commitment_any_top3"], 4),
            part=part,
        )
        emit(
            "sdg_goal14_top3",
            result["with14"],
            "share",
            round(result["sdg_goal14_top3"], 4),
            part=part,
        )
        emit(
            "sdg_target14_hit",
            result["with_targets"],
            "share",
            round(result["sdg_target14_hit"], 4),
            part=part,
        )

    if args.timing:
        sample = sorted(
            range(len(records)),
            key=lambda i: hashlib.sha256(records[i]["node_id"].encode()).hexdigest(),
        )[: args.timing]
        s.suggest("warm up: the model and the knowledge are loaded once per process")
        times, cpu = [], []
        for i in sample:
            started, started_cpu = time.perf_counter(), time.process_time()
            s.suggest(texts[i])
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        for bench, values in (("sdg_suggest", times), ("sdg_suggest_cpu", cpu)):
            values.sort()
            for name, p in (("p50_ms", 50), ("p95_ms", 95)):
                value = values[max(0, math.ceil(p / 100 * len(values)) - 1)]
                emit(bench, len(values), name, round(value, 1))
        emit("sdg_suggest_load", len(times), "loadavg_1min", round(os.getloadavg()[0], 2))
    return 0


def tune(s, found, records, indices) -> None:
    """The weight grid, on the tuning part only (prints one line per setting)."""
    saved = (s.W_MEANING, s.W_KEYWORDS)
    for w_keywords in (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12):
        s.W_MEANING, s.W_KEYWORDS = 1.0, w_keywords
        ranked = [
            [int(g) + 1 for g in np.argsort(-s.goal_scores(found[i]), kind="stable")]
            for i in indices
        ]
        result = measure([records[i] for i in indices], ranked, [None] * len(indices))
        emit(
            "sdg_tune",
            len(indices),
            "share",
            round(result["sdg_goal_hit_top3"], 4),
            part="tuning",
            w_keywords=w_keywords,
            not14=round(result["sdg_goal_hit_top3_not14"], 4),
            goal14=round(result["sdg_goal14_top3"], 4),
        )
    s.W_MEANING, s.W_KEYWORDS = saved


if __name__ == "__main__":
    raise SystemExit(main())
