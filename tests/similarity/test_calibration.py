"""The calibration of the similarity scores (pledgebook/similarity/calibration.json, written by
bench/calibrate.py from tests/similarity/data/): the file belongs to this model and this
labelled set, its arithmetic, and, on the held-out part of the labelled set (pairs the scale
and the thresholds were not fitted on), precision at the thresholds at or above the figures the
file reports (and docs/SIMILARITY.md repeats).  ``pytest -s`` prints the figures.

The held-out texts' vectors are stored (data/held_out_vectors.npz, float16 as the index stores
them, written with the calibration): embedding the ~450 texts takes one to six minutes on this
machine.  A sample of them is embedded again here, to prove the stored vectors are what this
model makes of those texts today."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from pledgebook.similarity import calibration, embedding, engine

DATA = Path(__file__).parent / "data"
PAIRS_PATH = DATA / "labelled_pairs.jsonl"
PAIRS = [json.loads(line) for line in PAIRS_PATH.read_text(encoding="utf-8").splitlines() if line]
HELD_OUT = [p for p in PAIRS if p["split"] == "test"]
FILE = json.loads(calibration.PATH.read_text(encoding="utf-8"))


def test_the_labelled_set_is_what_its_readme_says():
    labels = Counter(p["label"] for p in PAIRS)
    assert set(labels) == {"same", "related", "unrelated"}
    assert len(PAIRS) >= 500
    assert min(labels.values()) >= 120
    assert len({p["id"] for p in PAIRS}) == len(PAIRS)
    assert all(p["a"]["text"] != p["b"]["text"] for p in PAIRS)
    assert all(p["note"] for p in PAIRS)
    assert {p["split"] for p in PAIRS} == {"train", "test"}
    languages = {p[side].get("lang") for p in PAIRS for side in "ab"} - {None}
    assert {"fr", "es", "pt", "de", "zh", "ar", "ru"} <= languages
    cross_language = [p for p in PAIRS if p["source"].startswith("translation")]
    assert len(cross_language) >= 90


def test_the_calibration_belongs_to_this_model_and_this_labelled_set():
    current = calibration.current()
    assert current.model_id == embedding.model_id()
    digest = hashlib.sha256(PAIRS_PATH.read_bytes()).hexdigest()
    assert FILE["labelled_set"]["sha256"] == digest, "labelled set changed: run bench/calibrate.py"
    queries = (DATA / "search_queries.json").read_bytes()
    assert FILE["labelled_set"]["search_sha256"] == hashlib.sha256(queries).hexdigest()
    assert (
        FILE["thresholds"]["same"],
        FILE["thresholds"]["related"],
        FILE["thresholds"]["search"],
    ) == (engine.SAME_THRESHOLD, engine.RELATED_THRESHOLD, engine.SEARCH_THRESHOLD)


def test_the_scale_maps_unrelated_to_zero_and_same_to_one_monotonically():
    c = calibration.current()
    assert c.score(c.zero) == 0.0
    assert c.score(c.one) == 1.0
    assert c.score(c.zero - 0.1) == 0.0
    assert c.score(1.0) == 1.0
    for score in (0.1, 0.35, c.related, c.same, 0.99):
        assert c.score(c.cosine(score)) == pytest.approx(score)
    assert c.label(c.same) == "same"
    assert c.label(c.same - 0.001) == "related"
    assert c.label(c.related) == "related"
    assert c.label(c.related - 0.001) is None


def test_a_calibration_with_thresholds_out_of_order_is_refused(tmp_path):
    broken = {**FILE, "thresholds": {"same": 0.4, "related": 0.6, "search": 0.5}}
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match="related <= same"):
        calibration.read(path)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.fixture(scope="module")
def stored():
    """digest of a held-out text -> its stored vector (float16 rows, renormalised)."""
    with np.load(DATA / "held_out_vectors.npz") as data:
        return {
            str(d): embedding.from_bytes(v.astype("<f2").tobytes())
            for d, v in zip(data["digests"], data["vectors"], strict=True)
        }


def test_the_stored_held_out_vectors_are_this_models_vectors(model, stored):
    texts = sorted({p[side]["text"] for p in HELD_OUT for side in "ab"})
    assert {digest(t) for t in texts} == set(stored)
    sample = random.Random(14).sample(texts, 12)
    for text, vector in zip(sample, model.embed(sample), strict=True):
        assert float(vector @ stored[digest(text)]) > 0.999, text[:60]


@pytest.fixture(scope="module")
def held_out(stored):
    """(labels, calibrated scores, sources) of the held-out pairs."""
    raw = [float(stored[digest(p["a"]["text"])] @ stored[digest(p["b"]["text"])]) for p in HELD_OUT]
    scores = np.array([engine.calibrated(r) for r in raw])
    labels = np.array([p["label"] for p in HELD_OUT])
    sources = np.array([p["source"] for p in HELD_OUT])
    return labels, scores, sources


def precision_recall(scores, positive, threshold):
    predicted = scores >= threshold
    tp = int((predicted & positive).sum())
    return tp / int(predicted.sum()), tp / int(positive.sum())


def test_held_out_precision_at_the_same_threshold_is_at_least_the_reported_one(held_out):
    labels, scores, _ = held_out
    reported = FILE["measured"]["test"]["same"]
    precision, recall = precision_recall(scores, labels == "same", engine.SAME_THRESHOLD)
    print(
        f"\nheld out ({len(labels)} pairs): 'same' at {engine.SAME_THRESHOLD}: "
        f"precision {precision:.3f} (reported {reported['precision']}), "
        f"recall {recall:.3f} (reported {reported['recall']})"
    )
    assert round(precision, 3) >= reported["precision"]
    assert round(recall, 3) >= reported["recall"]


def test_held_out_precision_at_the_related_threshold_is_at_least_the_reported_one(held_out):
    labels, scores, _ = held_out
    reported = FILE["measured"]["test"]["related"]
    precision, recall = precision_recall(scores, labels != "unrelated", engine.RELATED_THRESHOLD)
    print(
        f"\nheld out: 'related' at {engine.RELATED_THRESHOLD}: precision {precision:.3f} "
        f"(reported {reported['precision']}), recall {recall:.3f} (reported {reported['recall']})"
    )
    assert round(precision, 3) >= reported["precision"]
    assert round(recall, 3) >= reported["recall"]


def test_held_out_unrelated_pairs_are_never_called_the_same(held_out):
    labels, scores, _ = held_out
    assert not (scores[labels == "unrelated"] >= engine.SAME_THRESHOLD).any()


def test_held_out_descriptions_in_another_language_are_found(held_out):
    labels, scores, sources = held_out
    reported = FILE["measured"]["test"]["other_language_same_pairs"]
    across = (sources == "translation") & (labels == "same")
    found = int((scores[across] >= engine.RELATED_THRESHOLD).sum())
    print(f"\nheld out, other language: {found}/{int(across.sum())} at least related")
    assert int(across.sum()) == reported["pairs"]
    assert found >= reported["at_least_related"]
