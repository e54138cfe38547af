"""Precision and recall of the duplicate scorer (pledgebook.similarity.duplicates) on labelled
pairs of real UN Ocean Conference commitments, one JSON object a line on stdout.

    .venv/bin/python bench/duplicates_eval.py            # figures from the stored cosines
    .venv/bin/python bench/duplicates_eval.py --embed    # re-embed the texts with today's model
    .venv/bin/python bench/duplicates_eval.py --fit      # fit the weights and thresholds on the
                                                         # tuning pairs and print them
    .venv/bin/python bench/duplicates_eval.py --build    # rebuild duplicate_pairs.jsonl from the
                                                         # judgements (duplicate_labels.tsv) and
                                                         # the real records (embeds the texts)

Prints, for the tuning and the held-out pairs (``split``):
  duplicates_precision / duplicates_recall   pairs scored "probably the same initiative"
                                             (score >= SAME_THRESHOLD) against the labels
  duplicates_cross_language_recall           the same recall on the cross-language duplicates
  duplicates_related_recall                  duplicates scored at least "possibly related"
  cosine_only_precision / _recall            the raw cosine alone, at the cosine threshold that
                                             is best on the tuning pairs (the baseline)

The set and how it was built: tests/similarity/data/DUPLICATES.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import simdata

DATA = simdata.BASE_DIR / "tests" / "similarity" / "data"
LABELS = DATA / "duplicate_labels.tsv"
PAIRS = DATA / "duplicate_pairs.jsonl"
TRANSLATIONS = DATA / "translations.jsonl"
DESCRIPTION_CAP = 2000  # characters of a description kept in the data file
HELD_OUT_SHARE = 0.4
RIDGE = 0.1
TARGET_PRECISION = 0.95  # on the tuning pairs, to leave a margin for the held-out 0.9


def emit(metric: str, split: str, n: int, value: float) -> None:
    line = {"bench": "duplicates", "split": split, "n": n, "metric": metric, "value": value}
    print(json.dumps(line), flush=True)


# ------------------------------------------------------------------------------- building


def parse_date(value: str | None) -> str | None:
    """ISO date of the registry's "06 May 2022"; None for none and for the 1 January 1970
    placeholder (498 records)."""
    if not value:
        return None
    try:
        day = dt.datetime.strptime(value.strip(), "%d %B %Y").date()
    except ValueError:
        return None
    return None if day == dt.date(1970, 1, 1) else day.isoformat()


def side_of_record(row: dict) -> dict:
    return {
        "ref": simdata.unoc_ref(row),
        "title": simdata.squash(row.get("title")),
        "description": simdata.squash(row.get("description"))[:DESCRIPTION_CAP],
        "lead_organisation": simdata.squash(row.get("lead_entity")),
        "countries": list(row.get("countries") or []),
        "start_date": parse_date(row.get("start_date")),
        "end_date": parse_date(row.get("completion_date")),
    }


def side_of_translation(row: dict) -> dict:
    """A description written in another language for the set (translations.jsonl): who leads it,
    where and when are unknown, as for a registration that leaves them out."""
    return {
        "ref": f"{row['ref']}@{row['lang']}",
        "title": row["title"],
        "description": row["text"],
        "lead_organisation": "",
        "countries": [],
        "start_date": None,
        "end_date": None,
    }


def text_of(side: dict) -> str:
    """What is embedded for a record: its title, a newline and its description (the embedding
    module reads only the first embedding.max_tokens() tokens; the set was built with
    SIMILARITY_MAX_TOKENS=96)."""
    return simdata.record_text(side["title"], side["description"], cap=None)


def components(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Each record's group: records linked by labelled pairs stay in one split, so no record
    of the held-out pairs was seen in tuning."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def split_of(group: str) -> str:
    bucket = int(hashlib.sha256(group.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "held_out" if bucket < HELD_OUT_SHARE else "tuning"


def build() -> None:
    from pledgebook.similarity import duplicates, embedding

    records = {row["node_id"]: row for row in simdata.unoc()}
    # A written description is named "<node id>@<language>" in the judgements.
    translations = {
        f"{row['ref'].removeprefix('#OceanAction')}@{row['lang']}": row
        for row in map(json.loads, TRANSLATIONS.read_text(encoding="utf-8").splitlines())
    }

    def side(key: str) -> dict:
        if key in translations:
            return side_of_translation(translations[key])
        return side_of_record(records[key])

    with LABELS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["label"] != "doubt"]
    groups = components([(r["a"], r["b"]) for r in rows])
    out = []
    for r in rows:
        a, b = side(r["a"]), side(r["b"])
        la = duplicates.language_of(f"{a['title']}\n{a['description']}")
        lb = duplicates.language_of(f"{b['title']}\n{b['description']}")
        out.append(
            {
                "id": f"{r['a']}|{r['b']}",
                "source": r["source"],
                "label": "duplicate" if r["label"] == "dup" else "different",
                "note": r["note"],
                "cross_language": bool(la and lb and la != lb),
                "split": split_of(groups[r["a"]]),
                "a": a,
                "b": b,
            }
        )
    texts = sorted({text_of(p[s]) for p in out for s in ("a", "b")})
    print(f"embedding {len(texts)} texts", file=sys.stderr, flush=True)
    vectors = embedding.embed(texts)
    stored = vectors.astype("<f2").astype(np.float32)  # as the index stores them
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    row_of = {t: i for i, t in enumerate(texts)}
    for p in out:
        va, vb = stored[row_of[text_of(p["a"])]], stored[row_of[text_of(p["b"])]]
        p["cosine"] = round(float(va @ vb), 4)
        p["model_id"] = embedding.model_id()
    PAIRS.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in out), "utf-8")
    print(f"wrote {len(out)} pairs to {PAIRS}", file=sys.stderr)


# ----------------------------------------------------------------------------- evaluating


def load() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]


def record(side: dict):
    from pledgebook.similarity.duplicates import Record

    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return Record(
        title=side["title"],
        description=side["description"],
        lead_organisation=side["lead_organisation"],
        countries=tuple(side["countries"]),
        start_date=day(side["start_date"]),
        end_date=day(side["end_date"]),
    )


def recosine(pairs: list[dict]) -> None:
    """Replace the stored cosines by those of today's model (the --embed check)."""
    from pledgebook.similarity import embedding

    texts = sorted({text_of(p[s]) for p in pairs for s in ("a", "b")})
    vectors = embedding.embed(texts).astype("<f2").astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    row_of = {t: i for i, t in enumerate(texts)}
    for p in pairs:
        p["cosine"] = float(vectors[row_of[text_of(p["a"])]] @ vectors[row_of[text_of(p["b"])]])


def figures(pairs: list[dict], predicted: list[bool]) -> dict[str, float]:
    positive = [p["label"] == "duplicate" for p in pairs]
    tp = sum(1 for y, hat in zip(positive, predicted, strict=True) if y and hat)
    fp = sum(1 for y, hat in zip(positive, predicted, strict=True) if hat and not y)
    fn = sum(1 for y, hat in zip(positive, predicted, strict=True) if y and not hat)
    cross = [
        hat
        for p, y, hat in zip(pairs, positive, predicted, strict=True)
        if y and p["cross_language"]
    ]
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "cross_language_recall": sum(cross) / len(cross) if cross else float("nan"),
        "cross_language_n": len(cross),
        "positives": tp + fn,
    }


def evaluate(pairs: list[dict]) -> dict[str, dict[str, float]]:
    """The scorer's figures a split, and the raw-cosine baseline."""
    from pledgebook.similarity import duplicates

    scored = [duplicates.score_pair(record(p["a"]), record(p["b"]), p["cosine"]) for p in pairs]
    tuning = [i for i, p in enumerate(pairs) if p["split"] == "tuning"]
    # Baseline: the single cosine threshold with the best F1 on the tuning pairs.
    best, best_f1 = 1.0, -1.0
    for threshold in sorted({round(pairs[i]["cosine"], 3) for i in tuning}):
        f = figures([pairs[i] for i in tuning], [pairs[i]["cosine"] >= threshold for i in tuning])
        f1 = 2 * f["precision"] * f["recall"] / ((f["precision"] + f["recall"]) or 1)
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    out = {}
    for split in ("tuning", "held_out", "all"):
        idx = [i for i, p in enumerate(pairs) if split in ("all", p["split"])]
        sub = [pairs[i] for i in idx]
        same = figures(sub, [scored[i].label == "same" for i in idx])
        related = figures(sub, [scored[i].label is not None for i in idx])
        cosine = figures(sub, [pairs[i]["cosine"] >= best for i in idx])
        out[split] = {
            "n": len(sub),
            **same,
            "related_recall": related["recall"],
            "cosine_only_threshold": best,
            "cosine_only_precision": cosine["precision"],
            "cosine_only_recall": cosine["recall"],
        }
    return out


def fit(pairs: list[dict]) -> None:
    """Logistic regression (L2, gradient descent) of the scorer's features on the tuning pairs;
    prints weights to copy into duplicates.WEIGHTS, then the thresholds: SAME the lowest score
    whose tuning precision is at least 0.95, RELATED the highest that keeps every tuning
    duplicate."""
    from pledgebook.similarity import duplicates

    tuning = [p for p in pairs if p["split"] == "tuning"]
    names = [k for k in duplicates.WEIGHTS if k != "bias"]
    feats = [duplicates._features(record(p["a"]), record(p["b"]), p["cosine"])[0] for p in tuning]
    x = np.hstack([np.ones((len(feats), 1)), np.array([[f[n] for n in names] for f in feats])])
    y = np.array([p["label"] == "duplicate" for p in tuning], dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(50):  # Newton's method (IRLS) with a small ridge
        z = 1 / (1 + np.exp(-(x @ w)))
        hessian = x.T @ (x * (z * (1 - z))[:, None]) + RIDGE * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (z - y) + RIDGE * w)
    print(json.dumps({n: round(float(v), 2) for n, v in zip(["bias", *names], w, strict=True)}))
    scores = 1 / (1 + np.exp(-(x @ w)))
    for t in sorted(set(np.round(scores, 2))):
        hat = scores >= t
        tp = float((hat & (y == 1)).sum())
        prec = tp / max(1.0, float(hat.sum()))
        if prec >= TARGET_PRECISION:
            print(
                json.dumps({"same_threshold": float(t), "precision": prec, "recall": tp / y.sum()})
            )
            break
    low = float(scores[y == 1].min())
    print(json.dumps({"related_threshold_max": math.floor(low * 100) / 100}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--embed", action="store_true")
    parser.add_argument("--fit", action="store_true")
    args = parser.parse_args()
    simdata.setup_django()
    import django

    django.setup()  # gettext in the scorer's reasons
    if args.build:
        build()
    pairs = load()
    if args.embed:
        recosine(pairs)
    if args.fit:
        fit(pairs)
        return
    for split, f in evaluate(pairs).items():
        emit("duplicates_precision", split, f["n"], round(f["precision"], 3))
        emit("duplicates_recall", split, f["n"], round(f["recall"], 3))
        emit(
            "duplicates_cross_language_recall",
            split,
            int(f["cross_language_n"]),
            round(f["cross_language_recall"], 3),
        )
        emit("duplicates_related_recall", split, f["n"], round(f["related_recall"], 3))
        emit("cosine_only_precision", split, f["n"], round(f["cosine_only_precision"], 3))
        emit("cosine_only_recall", split, f["n"], round(f["cosine_only_recall"], 3))


if __name__ == "__main__":
    main()
