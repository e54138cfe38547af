"""Calibrate the similarity engine's scores on the labelled set, and choose its thresholds.

    .venv/bin/python bench/calibrate.py          # print the figures
    .venv/bin/python bench/calibrate.py --write  # and write pledgebook/similarity/calibration.json
    .venv/bin/python bench/calibrate.py --ocean  # and the 2,650 commitments' nearest neighbours

What it does (see docs/SIMILARITY.md, "Calibration"):

1. Embeds both texts of every pair of tests/similarity/data/labelled_pairs.jsonl with the
   engine's model (cached in var/similarity-cache/), rounds the vectors to float16 as the index
   stores them, and takes the cosine of each pair ("raw").
2. Fits the scale on the *train* split only: the median cosine of its "unrelated" pairs maps to
   0 and a cosine of 1 (the same text) to 1, linearly, clipped at 0.  A shown score then reads
   "0: as close as two unrelated proposals usually are; 1: the same text".  The map is
   monotonic, so it changes no ranking and no precision or recall.
3. Chooses, on the train split, the lowest calibrated threshold (0.01 steps) whose precision
   reaches the target: "possibly the same initiative" (same against related + unrelated,
   target 0.75: higher precision costs most of the recall, see docs/SIMILARITY.md) and
   "related" (same + related against unrelated, target 0.90).
4. Fits the search scale and cut-off on tests/similarity/data/search_queries.json (queries over
   the 288 climate initiatives; a query and a description are compared, not two descriptions,
   so their cosines have their own spread): 0 at the median best hit of the off-topic queries
   of the train split, 1 at the median score of the on-topic queries' answers; the cut-off is
   the lowest score above the best hit of at least 90% of the train split's off-topic queries.
   It reports for the on-topic queries whether their answer is still returned, and how many
   results a query returns.
5. Reports precision and recall on train, held-out test and all pairs; ``--write`` stores the
   scale, the thresholds and these figures in the one file the engine reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import simdata

DATA = simdata.BASE_DIR / "tests" / "similarity" / "data"
PAIRS = DATA / "labelled_pairs.jsonl"
QUERIES = DATA / "search_queries.json"
OUT = simdata.BASE_DIR / "pledgebook" / "similarity" / "calibration.json"
HELD_OUT_VECTORS = DATA / "held_out_vectors.npz"
TARGET_SAME = 0.75
TARGET_RELATED = 0.90
SEARCH_QUIET_SHARE = 0.90  # of the off-topic queries that must return nothing
STEP = 0.01


def rel(path: Path) -> str:
    return str(path.relative_to(simdata.BASE_DIR))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


HELD_OUT_VECTORS_WANTED = False


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """What the index compares: the float16 rows, renormalised (embedding.from_bytes)."""
    rounded = vectors.astype("<f2").astype(np.float32)
    return rounded / np.linalg.norm(rounded, axis=1, keepdims=True)


def load_pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]


def raw_scores(pairs: list[dict], cache: simdata.Cache) -> np.ndarray:
    texts = sorted({p[side]["text"] for p in pairs for side in ("a", "b")})
    vectors = as_stored(cache.embed(texts))
    if HELD_OUT_VECTORS_WANTED:
        held = sorted({p[side]["text"] for p in pairs if p["split"] == "test" for side in "ab"})
        np.savez_compressed(
            HELD_OUT_VECTORS,
            digests=np.array([simdata.digest(t) for t in held]),
            vectors=cache.embed(held).astype("<f2"),
        )

    row = {t: i for i, t in enumerate(texts)}
    return np.array(
        [float(vectors[row[p["a"]["text"]]] @ vectors[row[p["b"]["text"]]]) for p in pairs]
    )


class Scale:
    def __init__(self, zero: float, one: float) -> None:
        self.zero, self.one = zero, one

    def __call__(self, raw: np.ndarray | float) -> np.ndarray:
        return np.clip((np.asarray(raw) - self.zero) / (self.one - self.zero), 0.0, 1.0)

    def as_dict(self) -> dict:
        return {"zero": self.zero, "one": self.one}


def precision_recall(scores: np.ndarray, positive: np.ndarray, threshold: float) -> dict:
    predicted = scores >= threshold - 1e-9
    tp = int((predicted & positive).sum())
    fp = int((predicted & ~positive).sum())
    fn = int((~predicted & positive).sum())
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
    }


def choose(scores: np.ndarray, positive: np.ndarray, target: float) -> float:
    for step in range(1, int(1 / STEP) + 1):
        t = round(step * STEP, 2)
        pr = precision_recall(scores, positive, t)
        if pr["precision"] is not None and pr["precision"] >= target:
            return t
    return 1.0


def search_figures(cache: simdata.Cache) -> dict:
    from pledgebook.similarity import embedding

    spec = json.loads(QUERIES.read_text(encoding="utf-8"))
    climate = simdata.climate()
    corpus = [
        simdata.record_text(r["Name of initiative"].strip('" '), r["Description"]) for r in climate
    ]
    docs = as_stored(cache.embed(corpus))
    on = spec["on_topic"]
    off = spec["off_topic"]
    queries = [q["query"] for q in on] + off
    qv = embedding.embed(queries)  # queries are embedded at search time, never stored
    raw = qv @ docs.T
    split = [simdata_split(q) for q in queries]
    raw_best_off = [float(raw[len(on) + i].max()) for i in range(len(off))]
    raw_answer = [max(float(raw[i, a]) for a in q["answers"]) for i, q in enumerate(on)]
    scale = Scale(
        zero=round(
            float(
                np.median([v for i, v in enumerate(raw_best_off) if split[len(on) + i] == "train"])
            ),
            4,
        ),
        one=round(
            float(np.median([v for i, v in enumerate(raw_answer) if split[i] == "train"])), 4
        ),
    )
    sims = scale(raw)
    best_off = {q: float(sims[len(on) + i].max()) for i, q in enumerate(off)}
    train_off = sorted(v for q, v in best_off.items() if split[queries.index(q)] == "train")
    k = int(np.ceil(SEARCH_QUIET_SHARE * len(train_off))) - 1
    threshold = round(float(np.floor(train_off[k] / STEP) * STEP + STEP), 2)
    out: dict = {"threshold": threshold, "scale": scale, "off_topic": {}, "on_topic": {}}
    for part in ("train", "test", "all"):
        offs = [q for q in off if part == "all" or split[queries.index(q)] == part]
        ons = [i for i, q in enumerate(on) if part == "all" or split[i] == part]
        quiet = int(sum(best_off[q] < threshold for q in offs))
        kept = int(sum(any(sims[i, a] >= threshold for a in on[i]["answers"]) for i in ons))
        top1 = int(sum(int(np.argmax(sims[i])) in on[i]["answers"] for i in ons))
        returned = [int((sims[i] >= threshold).sum()) for i in ons]
        out["off_topic"][part] = {"queries": len(offs), "return_nothing": quiet}
        out["on_topic"][part] = {
            "queries": len(ons),
            "answer_returned": kept,
            "answer_first": top1,
            "results_median": float(np.median(returned)) if returned else None,
            "results_max": max(returned) if returned else None,
        }
    out["off_topic_best"] = {
        q: round(v, 3) for q, v in sorted(best_off.items(), key=lambda x: -x[1])
    }
    out["on_topic_answer_scores"] = {
        q["query"]: round(float(max(sims[i, a] for a in q["answers"])), 3) for i, q in enumerate(on)
    }
    return out


def simdata_split(key: str) -> str:
    from label_candidates import split_of

    return split_of(key)


def ocean_neighbours(scale: Scale, cache: simdata.Cache, same: float, related: float) -> dict:
    rows = simdata.unoc()
    texts = [simdata.record_text(r["title"], r["description"]) for r in rows]
    vectors = as_stored(cache.embed(texts))
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    nearest = sims.max(axis=1)
    calibrated = scale(nearest)
    identical = sum(
        1
        for i in range(len(rows))
        if any(texts[i] == texts[j] for j in np.flatnonzero(sims[i] >= 0.9999))
    )
    old = 0.87
    return {
        "commitments": len(rows),
        "text": f"title and description cut at {simdata.TEXT_CAP} characters",
        "nearest_at_or_above_old_raw_0.87": int((nearest >= old).sum()),
        "nearest_at_or_above_same": int((calibrated >= same - 1e-9).sum()),
        "nearest_at_or_above_related": int((calibrated >= related - 1e-9).sum()),
        "with_an_identical_text": identical,
        "nearest_raw_quartiles": [
            round(float(q), 3) for q in np.quantile(nearest, [0.25, 0.5, 0.75])
        ],
        "pairs_at_or_above_same": int((np.triu(scale(sims), 1) >= same - 1e-9).sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write calibration.json")
    parser.add_argument("--ocean", action="store_true", help="measure the 2,650 commitments")
    args = parser.parse_args()
    simdata.setup_django()
    from pledgebook.similarity import embedding

    global HELD_OUT_VECTORS_WANTED
    HELD_OUT_VECTORS_WANTED = args.write
    cache = simdata.Cache()
    pairs = load_pairs()
    raw = raw_scores(pairs, cache)
    label = np.array([p["label"] for p in pairs])
    split = np.array([p["split"] for p in pairs])
    train = split == "train"
    scale = Scale(zero=round(float(np.median(raw[train & (label == "unrelated")])), 4), one=1.0)
    scores = scale(raw)
    is_same = label == "same"
    is_linked = label != "unrelated"
    same_t = choose(scores[train], is_same[train], TARGET_SAME)
    related_t = choose(scores[train], is_linked[train], TARGET_RELATED)
    figures: dict = {}
    source = np.array([p["source"] for p in pairs])
    for part, mask in (("train", train), ("test", ~train), ("all", np.ones_like(train))):
        across = mask & (source == "translation")
        figures[part] = {
            "pairs": dict(Counter(label[mask].tolist())),
            "same": precision_recall(scores[mask], is_same[mask], same_t),
            "related": precision_recall(scores[mask], is_linked[mask], related_t),
            "unrelated_called_same": int(
                (mask & (label == "unrelated") & (scores >= same_t - 1e-9)).sum()
            ),
            "other_language_same_pairs": {
                "pairs": int(across.sum()),
                "at_least_related": int((scores[across] >= related_t - 1e-9).sum()),
                "same": int((scores[across] >= same_t - 1e-9).sum()),
            },
        }
    by_source = {}
    for source in sorted({p["source"] for p in pairs}):
        m = np.array([p["source"] == source for p in pairs])
        by_source[source] = {
            lab: [round(float(x), 3) for x in np.quantile(raw[m & (label == lab)], [0, 0.5, 1])]
            for lab in ("same", "related", "unrelated")
            if (m & (label == lab)).any()
        }
    sweep = []
    for t in np.arange(0.30, 1.0001, 0.05):
        t = round(float(t), 2)
        sweep.append(
            {
                "threshold": t,
                "same": precision_recall(scores, is_same, t),
                "related": precision_recall(scores, is_linked, t),
            }
        )
    search = search_figures(cache)
    report = {
        "model_id": embedding.model_id(),
        "written_by": "bench/calibrate.py",
        "date": dt.date.today().isoformat(),
        "labelled_set": {
            "path": rel(PAIRS),
            "sha256": sha256(PAIRS),
            "search_queries": rel(QUERIES),
            "search_sha256": sha256(QUERIES),
            "text": f"title, a newline and the description, cut at {simdata.TEXT_CAP} characters",
        },
        "scale": {
            **scale.as_dict(),
            "how": "calibrated = clip((cosine - zero) / (one - zero), 0, 1); zero is the median "
            "cosine of the train split's unrelated pairs, one the cosine of a text with itself",
        },
        "search_scale": {
            **search["scale"].as_dict(),
            "how": "the same formula for a search query and a description: zero is the median "
            "best hit of the train split's off-topic queries, one the median score of its "
            "on-topic queries' answers",
        },
        "thresholds": {"same": same_t, "related": related_t, "search": search["threshold"]},
        "targets": {
            "same_precision": TARGET_SAME,
            "related_precision": TARGET_RELATED,
            "search_off_topic_quiet": SEARCH_QUIET_SHARE,
        },
        "measured": figures,
        "search": {k: v for k, v in search.items() if k in ("off_topic", "on_topic")},
    }
    print(json.dumps(report, indent=1))
    print(json.dumps({"raw_by_source": by_source}, indent=1), file=sys.stderr)
    print(json.dumps({"sweep": sweep}), file=sys.stderr)
    print(
        json.dumps(
            {"search_detail": {k: search[k] for k in ("off_topic_best", "on_topic_answer_scores")}},
            indent=1,
            ensure_ascii=False,
        ),
        file=sys.stderr,
    )
    if args.ocean:
        print(json.dumps({"ocean": ocean_neighbours(scale, cache, same_t, related_t)}, indent=1))
    if args.write:
        OUT.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {rel(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
