"""The shared base index (similarity/base.py) and the in-memory delta (similarity/index.py):
results equal exact search over the table as it is now, whatever the base holds."""

import datetime as dt
import threading

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pledgebook.similarity import base, embedding
from pledgebook.similarity.index import VectorIndex
from pledgebook.similarity.models import Vector
from pledgebook.similarity.tasks import build_base_if_needed

pytestmark = pytest.mark.django_db

MODEL = "base-test"
DIM = embedding.DIM


def random_unit(rng, n):
    block = rng.standard_normal((n, DIM)).astype(np.float32)
    return block / np.linalg.norm(block, axis=1, keepdims=True)


def store(vectors, *, start=0, kind_of=lambda i: "eoi" if i % 4 else "coalition"):
    Vector.objects.bulk_create(
        [
            Vector(
                kind=kind_of(start + i),
                object_id=start + i,
                model_id=MODEL,
                text_digest="-",
                dim=DIM,
                data=embedding.to_bytes(vector),
            )
            for i, vector in enumerate(vectors)
        ],
        batch_size=2000,
    )


def put(kind, object_id, vector):
    Vector.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        model_id=MODEL,
        defaults={"text_digest": "-", "dim": DIM, "data": embedding.to_bytes(vector)},
    )


def age_all():
    """Date every row two days back but the newest, one day back: a base built now then leaves
    all but that one out of the delta (which holds the rows within the 2-minute overlap of the
    base's newest row)."""
    rows = Vector.objects.filter(model_id=MODEL)
    rows.update(updated_at=timezone.now() - dt.timedelta(days=2))
    newest = rows.order_by("-pk").values_list("pk", flat=True)[:1]
    rows.filter(pk__in=list(newest)).update(updated_at=timezone.now() - dt.timedelta(days=1))


def exact(kinds, query, k, exclude=(), allowed_ids=None):
    """Exact top k over the table as it is now, as (kind, id) in order."""
    rows = []
    for kind, object_id, data in Vector.objects.filter(model_id=MODEL).values_list(
        "kind", "object_id", "data"
    ):
        if kind not in kinds or (kind, object_id) in set(exclude):
            continue
        if allowed_ids is not None and object_id not in allowed_ids.get(kind, ()):
            continue
        vector = embedding.from_bytes(bytes(data)).astype(np.float32)
        vector /= np.linalg.norm(vector)
        rows.append((-float(vector @ query), kind, object_id))
    rows.sort()
    return [(kind, object_id) for _, kind, object_id in rows[:k]]


def ids(hits):
    return [(kind, object_id) for kind, object_id, _ in hits]


@pytest.fixture
def built():
    """600 random rows in a base, none in the delta."""
    rng = np.random.default_rng(5)
    store(random_unit(rng, 600))
    age_all()
    result = base.build(MODEL)
    assert result.built and result.rows == 600
    return result


def test_without_a_base_the_index_holds_every_row_as_before():
    store(random_unit(np.random.default_rng(1), 50))
    index = VectorIndex(MODEL, count_interval=0)
    query = random_unit(np.random.default_rng(2), 1)[0]
    assert ids(index.nearest(query, {"eoi", "coalition"}, k=5)) == exact(
        {"eoi", "coalition"}, query, 5
    )
    assert index.base is None and len(index) == 50


def test_queries_use_the_base_and_equal_exact_search(built):
    index = VectorIndex(MODEL, count_interval=0)
    rng = np.random.default_rng(3)
    for query in random_unit(rng, 5):
        hits = index.nearest(query, {"eoi", "coalition"}, k=10)
        assert ids(hits) == exact({"eoi", "coalition"}, query, 10)
    assert index.base is not None and index.base.generation == built.generation
    assert index._snapshot.size == 0  # nothing in this process's memory: all in the base
    # the scores are the exact cosines of the stored rows
    stored = {(k, i): s for k, i, s in index.nearest(query, {"eoi"}, k=3)}
    for (kind, object_id), score in stored.items():
        vector = index.vector(kind, object_id)
        assert score == pytest.approx(float(vector @ query), abs=1e-5)


def test_an_update_a_deletion_and_a_new_row_after_the_build(built):
    index = VectorIndex(MODEL, count_interval=0)
    query = random_unit(np.random.default_rng(9), 1)[0]
    before = ids(index.nearest(query, {"eoi", "coalition"}, k=10))
    first, second = before[0], before[1]
    # Another process: the best hit now points elsewhere, the second is deleted (not through
    # this index's discard), an old row moves onto the query, a new one appears near it.
    put(*first, -query)
    Vector.objects.filter(kind=second[0], object_id=second[1], model_id=MODEL).delete()
    moved = before[-1] if before[-1][0] == "eoi" else ("eoi", 1)
    put(*moved, query)
    near = query + 0.1 * random_unit(np.random.default_rng(10), 1)[0]
    put("coalition", 5000, near)

    hits = index.nearest(query, {"eoi", "coalition"}, k=10)
    assert ids(hits) == exact({"eoi", "coalition"}, query, 10)
    assert ids(hits)[:2] == [moved, ("coalition", 5000)]
    assert hits[0][2] == pytest.approx(1.0, abs=1e-3)  # found by its new value
    assert first not in ids(hits) and second not in ids(hits)
    assert index.vector(*second) is None
    assert index.vector(*first) @ query == pytest.approx(-1.0, abs=1e-3)
    # the farthest is now the updated best hit, from the delta
    assert ids(index.nearest(-query, {"eoi", "coalition"}, k=1)) == [first]


def test_kinds_exclude_and_allowed_ids_equal_exact_search(built):
    index = VectorIndex(MODEL, count_interval=0)
    rng = np.random.default_rng(21)
    query = random_unit(rng, 1)[0]
    assert ids(index.nearest(query, {"coalition"}, k=7)) == exact({"coalition"}, query, 7)
    top = exact({"eoi"}, query, 3)
    assert ids(index.nearest(query, {"eoi"}, k=5, exclude=top)) == exact(
        {"eoi"}, query, 5, exclude=top
    )
    small = {"eoi": {1, 2, 3, 5, 6, 599, 12345}, "coalition": {4, 8}}
    large = {
        "eoi": {i for i in range(600) if i % 4 and i % 3},
        "coalition": set(range(0, 600, 8)),
    }
    for allowed in (small, large, {"eoi": set(range(600))}):
        hits = index.nearest(query, {"eoi", "coalition"}, k=10, allowed_ids=allowed)
        assert ids(hits) == exact({"eoi", "coalition"}, query, 10, allowed_ids=allowed)
    assert index.nearest(query, {"eoi"}, k=10, allowed_ids={"coalition": {4}}) == []


def test_two_indexes_share_one_base_file(built):
    first, second = VectorIndex(MODEL), VectorIndex(MODEL)
    query = random_unit(np.random.default_rng(4), 1)[0]
    assert first.nearest(query, {"eoi"}, k=10) == second.nearest(query, {"eoi"}, k=10)
    assert first.base.path == second.base.path
    # The files are memory-mapped (read through the page cache, shared between processes),
    # not read into the process.
    with open("/proc/self/maps") as maps:
        mapped = maps.read()
    for kind, filename in base.read_meta(first.base.path)["files"].items():
        assert str(first.base.path / filename) in mapped
        assert len(first.base.indexes[kind]) == first.base.rows[kind]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_generation_is_swapped_in_while_queries_run(settings):
    settings.SIMILARITY_INDEX_GRACE_SECONDS = 0
    store(random_unit(np.random.default_rng(5), 600))
    age_all()
    built = base.build(MODEL)
    index = VectorIndex(MODEL, count_interval=0)
    query = random_unit(np.random.default_rng(6), 1)[0]
    errors, results = [], []
    stop = threading.Event()

    def ask():
        from django.db import connection

        try:
            while not stop.is_set():
                results.append(ids(index.nearest(query, {"eoi", "coalition"}, k=10)))
        except Exception as error:  # pragma: no cover - the failure this test is about
            errors.append(error)
        finally:
            connection.close()

    index.nearest(query, {"eoi"}, k=1)
    old = index.base
    store(random_unit(np.random.default_rng(7), 100), start=1000)
    age_all()
    thread = threading.Thread(target=ask)
    thread.start()
    try:
        rebuilt = base.build(MODEL)
        while len(results) < 5 and thread.is_alive():
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert rebuilt.generation == built.generation + 1 and rebuilt.rows == 700
    assert [generation for generation, _ in base.generations(MODEL)] == [rebuilt.generation]
    # The old generation's files are gone, yet its mapping still answers a query under way.
    assert old.indexes["eoi"].search(query, 3).keys.size == 3
    hits = index.nearest(query, {"eoi", "coalition"}, k=10)
    assert index.base.generation == rebuilt.generation
    assert ids(hits) == exact({"eoi", "coalition"}, query, 10)
    assert results and all(len(result) == 10 for result in results)


def test_build_is_idempotent_and_locked(built):
    again = base.build(MODEL)
    assert not again.built and again.generation == built.generation
    with base.build_lock(MODEL):
        with pytest.raises(base.BuildBusy):
            base.build(MODEL, force=True)
        with pytest.raises(CommandError, match="already running"):
            call_command("build_vector_index", model=MODEL, force=True)
    call_command("build_vector_index", model=MODEL, force=True)
    assert base.latest_generation(MODEL)[0] == built.generation + 1


def test_when_the_worker_builds(settings):
    settings.SIMILARITY_INDEX_MIN_ROWS = 100
    settings.SIMILARITY_INDEX_DELTA_ROWS = 10
    settings.SIMILARITY_INDEX_DELTA_FRACTION = 0.1
    rng = np.random.default_rng(8)
    store(random_unit(rng, 99))
    assert not base.needs_build(MODEL)  # small: no base, every process holds all rows
    store(random_unit(rng, 1), start=99)
    assert base.needs_build(MODEL)
    age_all()
    base.build(MODEL)
    assert not base.needs_build(MODEL)
    store(random_unit(rng, 10), start=200)
    assert not base.needs_build(MODEL)  # 10 changed rows: not over the limit
    store(random_unit(rng, 1), start=300)
    assert base.needs_build(MODEL)
    Vector.objects.filter(object_id__gte=200).delete()
    assert not base.needs_build(MODEL)
    Vector.objects.filter(object_id__lt=11).delete()
    assert base.needs_build(MODEL)  # 11 of the base's 100 rows are gone


def test_the_worker_check_builds_the_current_model(settings, monkeypatch):
    settings.SIMILARITY_INDEX_MIN_ROWS = 20
    monkeypatch.setattr(embedding, "model_id", lambda: MODEL)
    store(random_unit(np.random.default_rng(11), 30))
    assert base.latest_generation(MODEL) is None
    assert build_base_if_needed()  # the tests' immediate task backend builds at once
    assert base.latest_generation(MODEL)[0] == 1
    assert not build_base_if_needed()


def test_recall_at_10_against_exact_on_20000_random_vectors():
    rng = np.random.default_rng(12)
    vectors = random_unit(rng, 20_000)
    store(vectors, kind_of=lambda i: "eoi")
    age_all()
    base.build(MODEL)
    index = VectorIndex(MODEL)
    stored = vectors.astype(np.float16).astype(np.float32)
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    found = 0
    queries = random_unit(rng, 50)
    for query in queries:
        truth = set(np.argsort(-(stored @ query))[:10].tolist())
        found += len(truth & {object_id for _, object_id, _ in index.nearest(query, {"eoi"})})
    recall = found / (10 * len(queries))
    assert recall >= 0.95, recall


def test_the_graph_recalls_the_top_10_of_clustered_vectors(monkeypatch):
    """The HNSW walk itself (the exact scan of small kinds turned off), on vectors clustered
    like embeddings (a shared direction, 100 topics): recall@10 against exact search."""
    from pledgebook.similarity import index as index_module

    monkeypatch.setattr(index_module, "EXACT_ROWS", 0)
    rng = np.random.default_rng(13)
    shared = random_unit(rng, 1)[0]
    centres = 0.6 * random_unit(rng, 100) + 1.2 * shared
    labels = rng.integers(0, 100, 20_000)
    vectors = centres[labels] + rng.standard_normal((20_000, DIM)).astype(np.float32) * 0.03
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store(vectors, kind_of=lambda i: "eoi")
    age_all()
    base.build(MODEL)
    index = VectorIndex(MODEL)
    stored = vectors.astype(np.float16).astype(np.float32)
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    found = 0
    picks = rng.integers(0, 20_000, 50)
    for pick in picks:
        query = stored[pick]
        truth = set(np.argsort(-(stored @ query))[:10].tolist())
        found += len(truth & {object_id for _, object_id, _ in index.nearest(query, {"eoi"})})
    recall = found / (10 * len(picks))
    assert recall >= 0.95, recall
