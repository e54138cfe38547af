"""The forum's texts in the similarity engine (the offline model of the coalition hub):
recommendations of session summaries (merged in the Co-Chairs' Summary) and consultation
answers (grouped into recurring themes).

Vectors are computed in the background when a text is written (``queue``, the engine's
low-priority backlog) and read back by :func:`vectors`, which embeds only what is missing or
changed since, so compiling a draft from 2,000 recommendations reads 2,000 stored rows instead
of running the model 2,000 times."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from pledgebook.similarity import engine
from pledgebook.similarity.embedding import from_bytes, to_bytes
from pledgebook.similarity.models import Vector
from pledgebook.similarity.tasks import queue_index

RECOMMENDATION_KIND = "forum_recommendation"
ANSWER_KIND = "forum_answer"


def _recommendation_text(pk: int) -> str | None:
    from pledgebook.forum.models import Recommendation

    return Recommendation.objects.filter(pk=pk).values_list("text", flat=True).first()


def _answer_text(pk: int) -> str | None:
    from pledgebook.forum.models import Answer

    return Answer.objects.filter(pk=pk).values_list("text", flat=True).first()


def register_text_sources() -> None:
    """Called once from ``ForumConfig.ready``."""
    engine.register_text_source(RECOMMENDATION_KIND, _recommendation_text)
    engine.register_text_source(ANSWER_KIND, _answer_text)


def queue(kind: str, ids: Iterable[int]) -> None:
    """Have these texts embedded in the background (call inside the transaction that writes
    them)."""
    ids = list(ids)
    if ids:
        queue_index(kind, ids)


def vectors(kind: str, items: Sequence[tuple[int, str]]) -> np.ndarray:
    """One unit row per ``(id, text)``, in order: the stored vector when it belongs to this
    very text under the current model, else computed now (and stored for the next time)."""
    out = np.zeros((len(items), engine.embedding.DIM), dtype=np.float32)
    if not items:
        return out
    model = engine.model_id()
    digests = [engine.digest(text) for _, text in items]
    stored: dict[int, tuple[str, bytes]] = {}
    ids = [pk for pk, _ in items]
    for start in range(0, len(ids), 900):  # SQLite's limit of parameters per query
        rows = Vector.objects.filter(
            kind=kind, model_id=model, object_id__in=ids[start : start + 900]
        ).values_list("object_id", "text_digest", "data")
        stored.update({pk: (digest, bytes(data)) for pk, digest, data in rows})
    missing: list[int] = []
    for row, ((pk, _text), digest) in enumerate(zip(items, digests, strict=True)):
        found = stored.get(pk)
        if found is not None and found[0] == digest:
            out[row] = from_bytes(found[1])
        else:
            missing.append(row)
    if missing:
        computed = engine.embed([items[row][1] for row in missing])
        for row, vector in zip(missing, computed, strict=True):
            out[row] = vector
            Vector.objects.update_or_create(
                kind=kind,
                object_id=items[row][0],
                model_id=model,
                defaults={
                    "text_digest": digests[row],
                    "dim": vector.shape[0],
                    "data": to_bytes(vector),
                },
            )
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def missing(kind: str, items: Sequence[tuple[int, str]]) -> list[int]:
    """The ids of ``items`` whose stored vector is missing or belongs to another text."""
    model = engine.model_id()
    wanted = {pk: engine.digest(text) for pk, text in items}
    stored: dict[int, str] = {}
    ids = list(wanted)
    for start in range(0, len(ids), 900):
        stored.update(
            Vector.objects.filter(
                kind=kind, model_id=model, object_id__in=ids[start : start + 900]
            ).values_list("object_id", "text_digest")
        )
    return [pk for pk, digest in wanted.items() if stored.get(pk) != digest]
