"""VectorIndex on hand-made vectors: exact order, filters, refresh from the table."""

import pytest

from pledgebook.similarity import embedding, engine
from pledgebook.similarity.index import VectorIndex
from pledgebook.similarity.models import Vector
from tests.similarity.conftest import unit

pytestmark = pytest.mark.django_db

MODEL = "hand-made"


def put(kind: str, object_id: int, vector) -> None:
    Vector.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        model_id=MODEL,
        defaults={"text_digest": "-", "dim": 384, "data": embedding.to_bytes(vector)},
    )


@pytest.fixture
def index():
    # Scores along e0:  eoi 1 → 1.0, eoi 2 → 0.894, coalition 3 → 0.707, eoi 4 → 0.447,
    # coalition 5 → 0.0, eoi 6 → -1.0
    put("eoi", 1, unit(1))
    put("eoi", 2, unit(1, 0.5))
    put("coalition", 3, unit(1, 1))
    put("eoi", 4, unit(0.5, 1))
    put("coalition", 5, unit(0, 1))
    put("eoi", 6, unit(-1))
    put("eoi", 99, unit(1))
    Vector.objects.filter(object_id=99).update(model_id="another-model")
    return VectorIndex(MODEL, count_interval=0)  # count at every check: deletions seen at once


def ids(hits):
    return [(kind, object_id) for kind, object_id, _ in hits]


def test_nearest_returns_the_exact_order_and_scores(index):
    hits = index.nearest(unit(1), {"eoi", "coalition"}, k=10)
    assert ids(hits) == [
        ("eoi", 1),
        ("eoi", 2),
        ("coalition", 3),
        ("eoi", 4),
        ("coalition", 5),
        ("eoi", 6),
    ]
    assert [round(score, 3) for _, _, score in hits] == [1.0, 0.894, 0.707, 0.447, 0.0, -1.0]


def test_k_limits_the_hits(index):
    assert ids(index.nearest(unit(1), {"eoi", "coalition"}, k=2)) == [("eoi", 1), ("eoi", 2)]
    assert index.nearest(unit(1), {"eoi"}, k=0) == []


def test_kinds_filter(index):
    assert ids(index.nearest(unit(1), {"coalition"})) == [("coalition", 3), ("coalition", 5)]
    assert ids(index.nearest(unit(1), {"eoi"}, k=3)) == [("eoi", 1), ("eoi", 2), ("eoi", 4)]
    assert index.nearest(unit(1), {"unknown"}) == []


def test_exclude(index):
    hits = index.nearest(unit(1), {"eoi", "coalition"}, k=3, exclude={("eoi", 1), ("eoi", 2)})
    assert ids(hits) == [("coalition", 3), ("eoi", 4), ("coalition", 5)]
    # excluding what is not there changes nothing
    hits = index.nearest(unit(1), {"eoi"}, k=2, exclude={("coalition", 1), ("eoi", 12345)})
    assert ids(hits) == [("eoi", 1), ("eoi", 2)]


def test_allowed_ids(index):
    allowed = {"eoi": {2, 6, 777}, "coalition": {5}}
    hits = index.nearest(unit(1), {"eoi", "coalition"}, allowed_ids=allowed)
    assert ids(hits) == [("eoi", 2), ("coalition", 5), ("eoi", 6)]


def test_allowed_ids_fail_closed_for_a_kind_they_do_not_name(index):
    hits = index.nearest(unit(1), {"eoi", "coalition"}, allowed_ids={"eoi": {1, 4}})
    assert ids(hits) == [("eoi", 1), ("eoi", 4)]
    assert index.nearest(unit(1), {"eoi"}, allowed_ids={}) == []


def test_allowed_ids_and_exclude_together(index):
    hits = index.nearest(
        unit(1), {"eoi"}, allowed_ids={"eoi": {1, 2, 4}}, exclude={("eoi", 1)}, k=5
    )
    assert ids(hits) == [("eoi", 2), ("eoi", 4)]


def test_ties_are_ordered_by_kind_then_id(index):
    put("eoi", 10, unit(0, 0, 1))
    put("coalition", 11, unit(0, 0, 1))
    put("eoi", 9, unit(0, 0, 1))
    hits = index.nearest(unit(0, 0, 1), {"eoi", "coalition"}, k=3)
    assert ids(hits) == [("coalition", 11), ("eoi", 9), ("eoi", 10)]
    # a tie at the k-th place is broken the same way
    hits = index.nearest(unit(0, 0, 1), {"eoi", "coalition"}, k=2)
    assert ids(hits) == [("coalition", 11), ("eoi", 9)]
    hits = index.nearest(unit(0, 0, 1), {"eoi"}, k=1)
    assert ids(hits) == [("eoi", 9)]


def test_the_query_vector_need_not_be_normalised(index):
    hits = index.nearest(unit(1) * 7.0, {"coalition"}, k=1)
    assert ids(hits) == [("coalition", 3)]
    assert round(hits[0][2], 3) == 0.707


def test_vector_of_an_object(index):
    assert index.vector("coalition", 3) == pytest.approx(unit(1, 1), abs=1e-3)
    assert index.vector("coalition", 1) is None
    assert index.vector("eoi", 99) is None  # another model's row


def test_only_the_rows_of_its_model(index):
    assert len(index) == 0  # nothing loaded before the first use
    index.refresh()
    assert len(index) == 6


def test_refresh_loads_changes_only(index):
    index.refresh()
    assert (index.full_loads, index.partial_loads) == (1, 0)
    index.nearest(unit(1), {"eoi"})
    assert (index.full_loads, index.partial_loads) == (1, 0)  # nothing changed: nothing read

    put("eoi", 7, unit(1, 0.1))  # a new row
    put("eoi", 6, unit(1, 0.2))  # a changed row
    hits = index.nearest(unit(1), {"eoi"}, k=3)
    assert ids(hits) == [("eoi", 1), ("eoi", 7), ("eoi", 6)]
    assert (index.full_loads, index.partial_loads) == (1, 1)
    assert len(index) == 7


def test_a_removed_row_is_gone_after_a_full_reload(index):
    index.refresh()
    Vector.objects.filter(kind="eoi", object_id=1).delete()
    assert ids(index.nearest(unit(1), {"eoi"}, k=1)) == [("eoi", 2)]
    assert index.full_loads == 2
    assert len(index) == 5


def test_removed_and_added_between_two_checks(index):
    index.refresh()
    Vector.objects.filter(kind="eoi", object_id=1).delete()
    put("eoi", 8, unit(0, 1))  # same count as before, another row
    assert ids(index.nearest(unit(1), {"eoi"}, k=1)) == [("eoi", 2)]
    assert len(index) == 6


def test_check_interval_throttles_the_signature_reads(django_assert_num_queries):
    put("eoi", 1, unit(1))
    index = VectorIndex(MODEL, check_interval=3600)
    with django_assert_num_queries(3):  # signature, count, rows
        index.nearest(unit(1), {"eoi"})
    put("eoi", 2, unit(1))
    with django_assert_num_queries(0):
        assert ids(index.nearest(unit(1), {"eoi"})) == [("eoi", 1)]
    index.refresh(force=True)
    assert ids(index.nearest(unit(1), {"eoi"})) == [("eoi", 1), ("eoi", 2)]


def test_an_unchanged_table_costs_one_query(django_assert_num_queries):
    put("eoi", 1, unit(1))
    index = VectorIndex(MODEL)  # counts every 10 s
    index.refresh()
    with django_assert_num_queries(1):  # max(updated_at)
        index.nearest(unit(1), {"eoi"})
    counting = VectorIndex(MODEL, count_interval=0)
    counting.refresh()
    with django_assert_num_queries(2):  # max(updated_at) and count(*)
        counting.nearest(unit(1), {"eoi"})


def test_a_deletion_elsewhere_is_seen_at_the_next_count():
    put("eoi", 1, unit(1))
    put("eoi", 2, unit(1, 1))
    index = VectorIndex(MODEL, count_interval=3600)
    assert len(index.nearest(unit(1), {"eoi"})) == 2
    Vector.objects.filter(object_id=1).delete()  # another process's remove()
    assert ids(index.nearest(unit(1), {"eoi"})) == [("eoi", 1), ("eoi", 2)]  # not counted yet
    index.count_interval = 0
    assert ids(index.nearest(unit(1), {"eoi"})) == [("eoi", 2)]
    assert index.full_loads == 2


def test_discard_drops_an_object_at_once(index):
    index.count_interval = 3600
    index.refresh()
    index.discard("eoi", 1)
    index.discard("eoi", 1)  # twice: nothing more
    index.discard("eoi", 12345)  # not there: nothing
    assert len(index) == 5
    assert index.vector("eoi", 1) is None
    assert ids(index.nearest(unit(1), {"eoi"}, k=1)) == [("eoi", 2)]
    assert ids(index.nearest(unit(1), {"eoi"}, k=1, allowed_ids={"eoi": {1, 4}})) == [("eoi", 4)]
    assert index.full_loads == 1
    # The row is still in the table: the next count disagrees, and the index is rebuilt.
    index.count_interval = 0
    assert ids(index.nearest(unit(1), {"eoi"}, k=1)) == [("eoi", 1)]
    assert index.full_loads == 2


def test_an_empty_table(django_assert_num_queries):
    index = VectorIndex(MODEL)
    assert index.nearest(unit(1), {"eoi"}) == []
    put("eoi", 1, unit(1))
    assert ids(index.nearest(unit(1), {"eoi"})) == [("eoi", 1)]


def test_similar_and_search_through_the_engine(model):
    engine.index_text("coalition", 1, "Ending plastic pollution in small island states.")
    engine.index_text("coalition", 2, "Girls' secondary education in the Sahel.")
    engine.index_text("eoi", 3, "Les petits États insulaires contre les déchets plastiques.")
    index = VectorIndex()
    assert ids(engine.similar("eoi", 3, kinds={"eoi", "coalition"}, index=index)) == [
        ("coalition", 1),
        ("coalition", 2),
    ]
    hits = engine.search(
        "islands drowning in throwaway packaging", kinds={"coalition"}, k=1, index=index
    )
    assert ids(hits) == [("coalition", 1)]
    assert engine.similar("eoi", 404, kinds={"eoi"}, index=index) == []
    assert engine.search("   ", kinds={"eoi"}, index=index) == []


def test_the_process_wide_index_is_one(model):
    assert engine.get_index() is engine.get_index()
    assert engine.get_index().model_id == embedding.model_id()


def test_remove_drops_the_object_from_this_process_index_at_once(model):
    engine.index_text("eoi", 1, "Clean cooking for African households.")
    engine.index_text("eoi", 2, "Modern cookstoves instead of charcoal in Africa.")
    index = engine.get_index()
    index.count_interval = 3600  # as in production: other processes' deletions seen later
    try:
        assert ids(engine.similar("eoi", 2, kinds={"eoi"})) == [("eoi", 1)]
        loads = index.full_loads
        engine.remove("eoi", 1)
        assert engine.similar("eoi", 2, kinds={"eoi"}) == []
        assert index.full_loads == loads
    finally:
        index.count_interval = 10.0
