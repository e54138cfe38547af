"""The similarity engine: the one interface other apps call.

    from pledgebook.similarity import engine

    engine.index_text("eoi", eoi.pk, eoi.similarity_text())   # or enqueue tasks.index_object
    engine.similar("eoi", eoi.pk, kinds={"eoi", "coalition"}, k=10,
                   allowed_ids={"eoi": eoi_ids, "coalition": coalition_ids})
    engine.search("plastic pollution in small island states", kinds={"coalition"})
    engine.remove("eoi", eoi.pk)
    engine.top_terms_shared(text_a, text_b)                    # a reason to show

Results are ``(kind, object_id, score)`` hints, best first: a caller fetches the objects with
its own scoped query (an object deleted a moment ago by another process may still be listed).

Scores are *calibrated* (``pledgebook.similarity.calibration``): the model's cosines are
compressed (two unrelated ocean commitments score about 0.85, two descriptions of one initiative
about 0.95), so :func:`similar`, :func:`similar_to_text` and :func:`search` map them linearly
onto [0, 1], where 0 is as close as two unrelated proposals and 1 as close as two descriptions of
one initiative.  :data:`SAME_THRESHOLD` ("possibly the same initiative"), :data:`RELATED_THRESHOLD`
(worth showing at all) and :data:`SEARCH_THRESHOLD` (the search cut-off) were chosen on a
labelled set of real pairs by bench/calibrate.py, which reports their precision and recall in
docs/SIMILARITY.md.  Texts on one topic with opposite aims ("expand nuclear power" / "phase it
out") still score high: an embedding captures the topic, not the stance.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
from django.db import transaction

from pledgebook.similarity import calibration, embedding
from pledgebook.similarity import index as index_module
from pledgebook.similarity.embedding import embed, model_id, stats
from pledgebook.similarity.index import Hit, Key, VectorIndex, get_index
from pledgebook.similarity.models import Vector
from pledgebook.similarity.terms import top_terms_shared

__all__ = [
    "RELATED_THRESHOLD",
    "SAME_THRESHOLD",
    "SEARCH_THRESHOLD",
    "Hit",
    "VectorIndex",
    "calibrated",
    "current_text",
    "digest",
    "embed",
    "get_index",
    "index_many",
    "index_object",
    "index_text",
    "label",
    "model_id",
    "register_text_source",
    "remove",
    "search",
    "similar",
    "similar_to_text",
    "stats",
    "top_terms_shared",
]

_calibration = calibration.current()
#: Calibrated score from which two texts are "possibly the same initiative" (merge suggestion).
SAME_THRESHOLD = _calibration.same
#: Calibrated score from which a text is "related" and shown as similar at all.
RELATED_THRESHOLD = _calibration.related
#: Calibrated score below which semantic search returns nothing.
SEARCH_THRESHOLD = _calibration.search

_KIND = re.compile(r"[a-z][a-z0-9_.-]{0,39}")

TextSource = Callable[[int], str | None]
_sources: dict[str, TextSource] = {}


def _check_kind(kind: str) -> str:
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise ValueError(f"kind must be a short lower-case name such as 'eoi', not {kind!r}")
    return kind


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def register_text_source(kind: str, source: TextSource) -> None:
    """Tell the engine how to read the current text of an object of ``kind`` (None when the
    object is gone), so that :func:`index_object` and the task can run without a text: the
    text is then read when the task runs, never a stale copy from when it was queued.
    Call it from the owning app's ``AppConfig.ready()``."""
    _sources[_check_kind(kind)] = source


def index_text(kind: str, object_id: int, text: str) -> bool:
    """Store the embedding of ``text`` for the object; True if it was (re)computed, False if
    the stored vector already belongs to this very text (nothing is computed).  An empty text
    removes the object's vector."""
    _check_kind(kind)
    text = text or ""
    if not text.strip():
        remove(kind, object_id)
        return False
    text_digest = digest(text)
    current = model_id()
    stored = (
        Vector.objects.filter(kind=kind, object_id=object_id, model_id=current)
        .values_list("text_digest", flat=True)
        .first()
    )
    if stored == text_digest:
        return False
    vector = embed([text])[0]
    with transaction.atomic():
        Vector.objects.update_or_create(
            kind=kind,
            object_id=object_id,
            model_id=current,
            defaults={
                "text_digest": text_digest,
                "dim": vector.shape[0],
                "data": embedding.to_bytes(vector),
            },
        )
    return True


def index_many(kind: str, items: Iterable[tuple[int, str]], *, batch_size: int = 64) -> int:
    """:func:`index_text` for many objects of one kind, embedding in batches (a backfill, a
    re-index after a model change).  Returns how many vectors were computed."""
    _check_kind(kind)
    current = model_id()
    computed = 0

    def flush(batch: list[tuple[int, str]]) -> int:
        ids = [object_id for object_id, _ in batch]
        stored = dict(
            Vector.objects.filter(kind=kind, object_id__in=ids, model_id=current).values_list(
                "object_id", "text_digest"
            )
        )
        todo = [(i, t) for i, t in batch if t.strip() and stored.get(i) != digest(t)]
        empty = [i for i, t in batch if not t.strip()]
        if empty:
            Vector.objects.filter(kind=kind, object_id__in=empty).delete()
        if not todo:
            return 0
        vectors = embed([t for _, t in todo])
        Vector.objects.bulk_create(
            [
                Vector(
                    kind=kind,
                    object_id=object_id,
                    model_id=current,
                    text_digest=digest(text),
                    dim=vector.shape[0],
                    data=embedding.to_bytes(vector),
                )
                for (object_id, text), vector in zip(todo, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["kind", "object_id", "model_id"],
            update_fields=["text_digest", "dim", "data", "updated_at"],
        )
        return len(todo)

    pending: dict[int, str] = {}  # by id: the last text given for an object wins
    for object_id, text in items:
        pending[int(object_id)] = text or ""
        if len(pending) >= batch_size:
            computed += flush(list(pending.items()))
            pending = {}
    if pending:
        computed += flush(list(pending.items()))
    return computed


def current_text(kind: str, object_id: int) -> str | None:
    """The object's text now, from the kind's registered source; None when the object is
    gone.  LookupError when no source is registered for the kind."""
    source = _sources.get(_check_kind(kind))
    if source is None:
        raise LookupError(f"no text given and no text source registered for {kind!r}")
    return source(object_id)


def index_object(kind: str, object_id: int, text: str | None = None) -> bool:
    """Index one object; without ``text``, read it from the kind's registered source (and
    remove the vector when the source says the object is gone).  Safe to run twice."""
    _check_kind(kind)
    if text is None:
        text = current_text(kind, object_id)
        if text is None:
            remove(kind, object_id)
            return False
    return index_text(kind, object_id, text)


def remove(kind: str, object_id: int) -> int:
    """Delete the object's vectors (every model); returns how many rows went."""
    _check_kind(kind)
    deleted, _ = Vector.objects.filter(kind=kind, object_id=object_id).delete()
    # Other processes notice within their count interval; this one at once.
    index_module.discard(kind, object_id)
    return deleted


def calibrated(cosine: float) -> float:
    """The calibrated score (0-1) of a raw cosine between two embeddings."""
    return _calibration.score(cosine)


def label(score: float) -> str | None:
    """What a calibrated score means: ``"same"`` (possibly the same initiative), ``"related"``,
    or None (not similar enough to show)."""
    return _calibration.label(score)


def _calibrated_hits(
    hits: list[Hit], min_score: float | None, scale: Callable[[float], float] = calibrated
) -> list[Hit]:
    out = [(kind, object_id, scale(cosine)) for kind, object_id, cosine in hits]
    if min_score is not None:
        out = [hit for hit in out if hit[2] >= min_score]
    return out


def similar(
    kind: str,
    object_id: int,
    *,
    kinds: Iterable[str],
    k: int = 10,
    allowed_ids: Mapping[str, Iterable[int]] | None = None,
    exclude: Iterable[Key] = (),
    min_score: float | None = None,
    index: VectorIndex | None = None,
) -> list[Hit]:
    """The objects most similar to an indexed object (never itself), with calibrated scores,
    none below ``min_score`` when given; [] if it has no vector."""
    index = index or get_index()
    vector = index.vector(kind, object_id)
    if vector is None:
        return []
    exclude = {(kind, int(object_id)), *exclude}
    hits = index.nearest(vector, kinds, k=k, exclude=exclude, allowed_ids=allowed_ids)
    return _calibrated_hits(hits, min_score)


def similar_to_text(
    text: str,
    *,
    kinds: Iterable[str],
    k: int = 10,
    allowed_ids: Mapping[str, Iterable[int]] | None = None,
    exclude: Iterable[Key] = (),
    min_score: float | None = None,
    index: VectorIndex | None = None,
) -> list[Hit]:
    """:func:`similar` for a text that is not stored (a draft being typed): it is embedded as an
    object's text would be, compared, and forgotten.  Nothing is written."""
    if not (text or "").strip():
        return []
    vector: np.ndarray = embed([text])[0]
    vector = embedding.from_bytes(embedding.to_bytes(vector))  # as it would be stored
    hits = (index or get_index()).nearest(
        vector, kinds, k=k, exclude=set(exclude), allowed_ids=allowed_ids
    )
    return _calibrated_hits(hits, min_score)


def search(
    text: str,
    *,
    kinds: Iterable[str],
    k: int = 10,
    allowed_ids: Mapping[str, Iterable[int]] | None = None,
    min_score: float | None = SEARCH_THRESHOLD,
    index: VectorIndex | None = None,
) -> list[Hit]:
    """Semantic search: the objects whose texts are nearest in meaning to ``text`` (a query in
    any of the model's languages), with calibrated search scores (a query and a description
    have their own scale), none below ``min_score`` (by default :data:`SEARCH_THRESHOLD`: a
    query about nothing in the index returns nothing).  Embeds the query: about 30-70 ms on one
    core."""
    if not (text or "").strip():
        return []
    query: np.ndarray = embed([text])[0]
    hits = (index or get_index()).nearest(query, kinds, k=k, allowed_ids=allowed_ids)
    return _calibrated_hits(hits, min_score, _calibration.search_score)
