"""Storing vectors: recompute only when the text changed, remove, the background task."""

import hashlib

import numpy as np
import pytest

from pledgebook.similarity import embedding, engine, tasks
from pledgebook.similarity.models import Vector

pytestmark = pytest.mark.django_db

TEXT = "Coalition to end plastic pollution in small island developing states."
OTHER = "Free, safe secondary schooling for all girls."


def calls() -> int:
    return embedding.stats.model_calls


def test_index_text_stores_one_float16_vector_with_the_digest_of_the_text(model):
    assert engine.index_text("eoi", 7, TEXT) is True
    row = Vector.objects.get()
    assert (row.kind, row.object_id, row.model_id) == ("eoi", 7, embedding.model_id())
    assert row.text_digest == hashlib.sha256(TEXT.encode()).hexdigest()
    assert row.dim == 384
    assert len(bytes(row.data)) == 768
    stored = embedding.from_bytes(row.data)
    np.testing.assert_allclose(stored, embedding.embed([TEXT])[0], atol=2e-3)


def test_unchanged_text_is_not_recomputed(model):
    engine.index_text("eoi", 7, TEXT)
    before = calls()
    updated_at = Vector.objects.get().updated_at
    assert engine.index_text("eoi", 7, TEXT) is False
    assert calls() == before
    assert Vector.objects.get().updated_at == updated_at


def test_changed_text_is_recomputed_once(model):
    engine.index_text("eoi", 7, TEXT)
    before = calls()
    assert engine.index_text("eoi", 7, OTHER) is True
    assert calls() == before + 1
    row = Vector.objects.get()
    assert row.text_digest == engine.digest(OTHER)


def test_same_object_id_of_another_kind_is_another_vector(model):
    engine.index_text("eoi", 7, TEXT)
    engine.index_text("coalition", 7, TEXT)
    assert sorted(Vector.objects.values_list("kind", "object_id")) == [
        ("coalition", 7),
        ("eoi", 7),
    ]


def test_empty_text_removes_the_vector(model):
    engine.index_text("eoi", 7, TEXT)
    before = calls()
    assert engine.index_text("eoi", 7, "  \n") is False
    assert calls() == before
    assert Vector.objects.count() == 0


def test_remove_deletes_the_vectors_of_every_model(model):
    engine.index_text("eoi", 7, TEXT)
    engine.index_text("eoi", 8, OTHER)
    Vector.objects.create(
        kind="eoi", object_id=7, model_id="older-model", text_digest="x", dim=1, data=b"\0\0"
    )
    assert engine.remove("eoi", 7) == 2
    assert list(Vector.objects.values_list("kind", "object_id")) == [("eoi", 8)]
    assert engine.remove("eoi", 7) == 0


@pytest.mark.parametrize("kind", ["", "EOI", "eoi kind", "eoi\n", "x" * 41, None])
def test_a_kind_is_a_short_lower_case_name(kind):
    with pytest.raises(ValueError):
        engine.index_text(kind, 1, TEXT)


def test_index_many_embeds_only_new_and_changed_texts_in_batches(model):
    engine.index_text("eoi", 1, TEXT)
    engine.index_text("eoi", 2, OTHER)
    before_calls, before_texts = calls(), embedding.stats.texts_embedded
    computed = engine.index_many(
        "eoi",
        [(1, TEXT), (2, "Girls' education everywhere."), (3, "Clean cooking."), (4, "")],
        batch_size=64,
    )
    assert computed == 2
    assert calls() == before_calls + 1
    assert embedding.stats.texts_embedded == before_texts + 2
    digests = dict(Vector.objects.values_list("object_id", "text_digest"))
    assert digests == {
        1: engine.digest(TEXT),
        2: engine.digest("Girls' education everywhere."),
        3: engine.digest("Clean cooking."),
    }
    assert engine.index_many("eoi", [(1, TEXT), (3, "Clean cooking.")]) == 0


def test_index_many_vectors_equal_index_text_vectors(model):
    engine.index_many("eoi", [(1, TEXT)])
    engine.index_text("coalition", 1, TEXT)
    many, one = (bytes(v) for v in Vector.objects.order_by("kind").values_list("data", flat=True))
    assert many == one


def test_the_task_is_idempotent(model):
    before = calls()
    first = tasks.index_object.enqueue(kind="eoi", object_id=5, text=TEXT)
    second = tasks.index_object.enqueue(kind="eoi", object_id=5, text=TEXT)
    assert (first.return_value, second.return_value) == (True, False)
    assert calls() == before + 1
    assert list(Vector.objects.values_list("kind", "object_id", "text_digest")) == [
        ("eoi", 5, engine.digest(TEXT))
    ]


def test_the_task_reads_the_current_text_from_a_registered_source(model, monkeypatch):
    texts = {5: TEXT}
    monkeypatch.setattr(engine, "_sources", {})
    engine.register_text_source("eoi", texts.get)
    assert tasks.index_object.enqueue(kind="eoi", object_id=5).return_value is True
    texts[5] = OTHER
    assert tasks.index_object.enqueue(kind="eoi", object_id=5).return_value is True
    assert Vector.objects.get().text_digest == engine.digest(OTHER)
    del texts[5]  # the object is gone: its vector goes too
    assert tasks.index_object.enqueue(kind="eoi", object_id=5).return_value is False
    assert Vector.objects.count() == 0


def test_without_text_or_source_the_task_fails_loudly(model, monkeypatch):
    monkeypatch.setattr(engine, "_sources", {})
    with pytest.raises(LookupError):
        engine.index_object("eoi", 5)
