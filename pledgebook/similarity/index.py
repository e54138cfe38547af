"""An in-memory nearest-neighbour index over the ``Vector`` table, one per process.

Exact search: one float32 matrix (rows × 384) and a matrix-vector product per query, top-k by
``argpartition``.  100,000 rows take 154 MB and a query 20-30 ms on one core (bench/
similarity.py).  The matrix is float32 although the rows are stored as float16: numpy has no
BLAS kernel for float16 and its float16 product was 7x slower.

Nothing here must be shared between app servers: every process builds its own index from the
database and keeps it fresh cheaply.  Before a query (at most every ``check_interval`` seconds)
it reads ``max(updated_at)`` of the model's rows, a seek in the ``(model_id, updated_at)``
index.  When that moved it loads the rows changed since (less an ``overlap``, for transactions
that committed late and the clocks of other servers) and counts the rows; a count that
disagrees with the index (rows went away, a transaction rolled back) rebuilds it.  A deletion
alone does not move the maximum, and counting is a scan of the index (10-50 ms for 100,000 rows
on SQLite: too slow for every query), so without other changes the rows are also counted every
``count_interval`` seconds; a process that removes a vector drops it from its own index at once
(:meth:`discard`).  Everything is rebuilt every ``full_rebuild_interval`` seconds too, which also
picks up an update that committed later than the overlap.  So a deletion made by another
process may be listed for up to ``count_interval`` seconds: callers fetch the objects of the
hits with their own (scoped) queries anyway.

With a shared base (:mod:`pledgebook.similarity.base`, built by the task worker when the table
is large), the in-memory part holds only the *delta*: the rows changed since the base's
watermark (the build's start less 2 minutes), kept fresh by the logic above.  The base is a usearch
index a kind, memory-mapped (its pages are shared by every process through the page cache), found
by listing the index directory at each check; a new generation is opened and the delta reloaded
from its watermark in one swap, so a query sees an old or a new (base, delta) pair, never a mix.
A query asks the base for a few candidates a kind (``CANDIDATES``, more with a narrow
``allowed_ids``), drops those the delta holds, and re-scores the rest from their stored rows in
one query: a row deleted since the build is not returned (at once, in every process), an updated
one scores by its current value, and scores are exact.  A small ``allowed_ids`` set (or one too
narrow for the ANN to find enough of) is scored exactly from its stored rows.  Without a base
(small sites, tests) the delta is the whole table: the exact search described above.

Storage can change later (pgvector, an ANN library): callers only see :meth:`nearest`.
"""

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Max

from pledgebook.similarity import base as base_module
from pledgebook.similarity import embedding
from pledgebook.similarity.base import Base
from pledgebook.similarity.models import Vector

logger = logging.getLogger(__name__)

Key = tuple[str, int]
Hit = tuple[str, int, float]

#: Candidates a kind asked of the base for a top-k query: max(CANDIDATES, 4k), re-scored.
CANDIDATES = 40
#: Beyond this many candidates (a narrow allowed_ids), the allowed rows are scored exactly.
MAX_CANDIDATES = 2000
#: How far the base's HNSW search looks (usearch's "ef"; at least the count asked).
EXPANSION_SEARCH = 256
#: A kind with at most this many rows in the base is scanned exactly (int8, SIMD: ~1-2 ms at
#: 20,000 rows), not walked: on uniformly spread vectors the graph needs ef ~1,000 to recall
#: 0.95 of the top 10 (measured: ef 128 0.45, 512 0.85, 1,024 0.95 at 20,000 rows).
EXACT_ROWS = 50_000


@dataclass
class _Snapshot:
    """What a query reads; replaced as a whole, so readers never see a half-grown array."""

    size: int = 0
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, embedding.DIM), np.float32))
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # (kind, id) -> row.  Only grows between full loads (rows of new keys are >= size of any
    # older snapshot that shares it); a full load makes a new one.
    rows: dict[Key, int] = field(default_factory=dict)
    dead: int = 0  # rows discarded in place (kind code -1) since the last full load
    base: Base | None = None  # the shared base this delta completes (None: no base)


class VectorIndex:
    def __init__(
        self,
        model_id: str | None = None,
        *,
        dim: int = embedding.DIM,
        check_interval: float = 0.0,
        count_interval: float = 10.0,
        full_rebuild_interval: float = 900.0,
        overlap: dt.timedelta = dt.timedelta(minutes=2),
        use_base: bool = True,
    ) -> None:
        self.model_id = model_id or embedding.model_id()
        self.dim = dim
        self.check_interval = check_interval
        self.count_interval = count_interval
        self.full_rebuild_interval = full_rebuild_interval
        self.overlap = overlap
        self.use_base = use_base
        self._base: Base | None = None
        self._lock = threading.Lock()
        self._snapshot = _Snapshot(matrix=np.zeros((0, dim), np.float32))
        self._kind_codes: dict[str, int] = {}
        self._kinds: list[str] = []
        self._loaded = False
        self._latest: dt.datetime | None = None
        self._checked_at = -float("inf")
        self._counted_at = -float("inf")
        self._full_at = -float("inf")
        self.full_loads = 0
        self.partial_loads = 0

    # -- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Rows that queries can return: exact without a base; with one, the base's rows plus
        the delta's (a row in both, or deleted since the build, counts)."""
        snapshot = self._snapshot
        delta = snapshot.size - snapshot.dead
        return delta if snapshot.base is None else delta + snapshot.base.total

    @property
    def base(self) -> Base | None:
        """The shared base generation in use, if any."""
        return self._snapshot.base

    def vector(self, kind: str, object_id: int) -> np.ndarray | None:
        """The stored (normalised) vector of an object, or None."""
        self.refresh()
        snapshot = self._snapshot
        row = snapshot.rows.get((kind, int(object_id)))
        if row is not None and row < snapshot.size:
            return snapshot.matrix[row].copy()
        if snapshot.base is None:
            return None
        found = self._stored(kind, [int(object_id)])
        return found[1][0] if found[0] else None

    def nearest(
        self,
        query_vector: np.ndarray,
        kinds: Iterable[str],
        k: int = 10,
        exclude: Iterable[Key] = (),
        allowed_ids: Mapping[str, Iterable[int]] | None = None,
    ) -> list[Hit]:
        """The ``k`` rows of the given kinds most similar to ``query_vector`` (cosine), best
        first, as ``(kind, object_id, score)``; ties by kind, then id.

        ``exclude``: (kind, id) pairs never returned (the object itself, say).
        ``allowed_ids``: if given, a kind's rows are only candidates when their id is in
        ``allowed_ids[kind]``; a kind that is not a key of it yields nothing (fail closed, for
        scoping to a programme)."""
        self.refresh()
        snapshot = self._snapshot
        kinds = set(kinds)
        if k <= 0:
            return []
        query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(query))
        if norm > 0:
            query = query / norm
        exclude = {(kind, int(object_id)) for kind, object_id in exclude}
        hits = self._nearest_in_memory(snapshot, query, kinds, k, exclude, allowed_ids)
        if snapshot.base is not None:
            # The delta's rows are current: a base hit of the same key is an older value.
            seen = {(kind, object_id) for kind, object_id, _ in hits}
            for hit in self._nearest_in_base(snapshot, query, kinds, k, exclude, allowed_ids):
                if hit[:2] not in seen:
                    hits.append(hit)
            hits.sort(key=lambda hit: (-hit[2], hit[0], hit[1]))
        return hits[:k]

    def _nearest_in_memory(
        self,
        snapshot: _Snapshot,
        query: np.ndarray,
        kinds: set[str],
        k: int,
        exclude: set[Key],
        allowed_ids: Mapping[str, Iterable[int]] | None,
    ) -> list[Hit]:
        """Exact search over the rows held in memory (all rows, or the delta of a base)."""
        n = snapshot.size
        if n == 0:
            return []
        excluded = {snapshot.rows.get((kind, int(object_id))) for kind, object_id in exclude}
        if allowed_ids is not None:
            wanted = set()
            for kind in kinds:
                for object_id in allowed_ids.get(kind, ()):
                    row = snapshot.rows.get((kind, int(object_id)))
                    if row is not None and row < n:
                        wanted.add(row)
            candidates = np.array(sorted(wanted - excluded), dtype=np.int64)
            full = False
        else:
            codes = [self._kind_codes[kind] for kind in kinds if kind in self._kind_codes]
            if not codes:
                return []
            column = snapshot.codes[:n]
            mask = column == codes[0] if len(codes) == 1 else np.isin(column, codes)
            for row in excluded:
                if row is not None and row < n:
                    mask[row] = False
            candidates = np.flatnonzero(mask)
            full = candidates.size > n // 2
        if candidates.size == 0:
            return []
        if full:
            scores = snapshot.matrix[:n] @ query
            scores[~mask] = -np.inf
            candidates = np.arange(n)
        else:
            scores = snapshot.matrix[candidates] @ query
        k = min(k, int(np.count_nonzero(scores > -np.inf)))
        if k < scores.size:
            # The k best, and whatever ties with the k-th, so that ties are broken by kind and
            # id below rather than by argpartition's order.
            kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
            top = np.flatnonzero(scores >= kth)
        else:
            top = np.flatnonzero(scores > -np.inf)
        hits = [
            (
                self._kinds[snapshot.codes[candidates[i]]],
                int(snapshot.ids[candidates[i]]),
                float(scores[i]),
            )
            for i in top
        ]
        hits.sort(key=lambda hit: (-hit[2], hit[0], hit[1]))
        return hits[:k]

    def _nearest_in_base(
        self,
        snapshot: _Snapshot,
        query: np.ndarray,
        kinds: set[str],
        k: int,
        exclude: set[Key],
        allowed_ids: Mapping[str, Iterable[int]] | None,
    ) -> list[Hit]:
        """The best rows of the base that the delta does not hold, scored by their stored
        values (so deleted rows drop out and updated ones score as they are now)."""
        base = snapshot.base
        assert base is not None
        hits: list[Hit] = []
        for kind in sorted(kinds):
            index = base.indexes.get(kind)
            if index is None or len(index) == 0:
                continue
            allowed: set[int] | None = None
            if allowed_ids is not None:
                if kind not in allowed_ids:
                    continue  # fail closed
                allowed = {int(object_id) for object_id in allowed_ids[kind]}
                if not allowed:
                    continue

            def usable(object_id: int, kind: str = kind) -> bool:
                key = (kind, object_id)
                return key not in exclude and key not in snapshot.rows

            allowed_keys = None if allowed is None else np.fromiter(allowed, np.uint64)
            size = len(index)
            wanted = max(CANDIDATES, 4 * k)
            share = 1.0 if allowed is None else min(1.0, len(allowed) / size)
            count = math.ceil(wanted / share)
            ids: list[int] | None = None
            while ids is None:
                if allowed is not None and min(count, size) > MAX_CANDIDATES:
                    break  # too narrow for the graph: score the allowed rows exactly
                matches = index.search(query, min(count, size), threads=1, exact=size <= EXACT_ROWS)
                keys = matches.keys
                if allowed_keys is not None:
                    keys = keys[np.isin(keys, allowed_keys)]
                found = []
                for key in keys.tolist():
                    if usable(key):
                        found.append(key)
                        if len(found) == wanted:
                            break
                if len(found) >= min(wanted, k) or count >= size:
                    ids = found
                else:
                    count *= 4
            if ids is None:
                assert allowed is not None
                ids = [object_id for object_id in sorted(allowed) if usable(object_id)]
            stored_ids, vectors = self._stored(kind, ids)
            if len(stored_ids) < min(k, len(ids)) and allowed is None and count < size:
                # Many candidates were deleted since the build: look further once.
                matches = index.search(
                    query, min(size, count * 8), threads=1, exact=size <= EXACT_ROWS
                )
                ids = [key for key in matches.keys.tolist() if usable(key)]
                stored_ids, vectors = self._stored(kind, ids)
            if stored_ids:
                scores = vectors @ query
                hits.extend(
                    (kind, object_id, float(score))
                    for object_id, score in zip(stored_ids, scores, strict=True)
                )
        return hits

    def _stored(self, kind: str, object_ids: list[int]) -> tuple[list[int], np.ndarray]:
        """The stored rows of these objects (those that still exist), normalised."""
        found: list[tuple[str, int, bytes]] = []
        for start in range(0, len(object_ids), 2000):
            chunk = object_ids[start : start + 2000]
            found.extend(
                self._vectors()
                .filter(kind=kind, object_id__in=chunk)
                .values_list("kind", "object_id", "data")
            )
        if not found:
            return [], np.zeros((0, self.dim), np.float32)
        return [object_id for _, object_id, _ in found], self._decode(found)

    # -- loading -------------------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Bring the index up to date with the table: one indexed ``max()`` query when nothing
        changed, and a count every ``count_interval`` seconds."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.check_interval:
            return
        with self._lock:
            if not force and now - self._checked_at < self.check_interval:
                return
            base_changed = self._check_base()
            latest = self._read_latest()
            changed = latest != self._latest
            count = None
            if (
                force
                or changed
                or not self._loaded
                or now - self._counted_at >= self.count_interval
            ):
                count = self._delta_rows().count()
                self._counted_at = now
            self._checked_at = now
            rebuild = (
                force
                or base_changed
                or not self._loaded
                or now - self._full_at >= self.full_rebuild_interval
                or (changed and (latest is None or self._latest is None or latest < self._latest))
            )
            if not rebuild and changed and self._latest is not None:
                self._load_changed(self._latest - self.overlap)
            if count is not None and count != self._snapshot.size - self._snapshot.dead:
                rebuild = True  # rows went away, or came with an old updated_at
            if rebuild:
                self._load_all(count)
            # Rows read after ``latest`` was may be newer than it: the next check sees a new
            # maximum and loads them again, which gives the same index.
            self._latest = latest

    def discard(self, kind: str, object_id: int) -> None:
        """Drop an object from this process's index now (the engine's remove() calls it)."""
        with self._lock:
            snapshot = self._snapshot
            row = snapshot.rows.pop((kind, int(object_id)), None)
            if row is not None and row < snapshot.size and snapshot.codes[row] >= 0:
                snapshot.codes[row] = -1
                snapshot.dead += 1

    def _vectors(self):
        # By model only: the (model_id, updated_at) index then covers the signature query.
        # A model_id names one vector space, so every row of it has the same dim.
        return Vector.objects.filter(model_id=self.model_id)

    def _delta_rows(self):
        """The rows held in memory: all of them, or those changed after the base's watermark
        (the base holds every row up to it that had committed ``base.OVERLAP`` after it)."""
        if self._base is None:
            return self._vectors()
        return self._vectors().filter(updated_at__gt=self._base.watermark)

    def _check_base(self) -> bool:
        """Open the newest base generation if it is not the one in use; True if it changed."""
        if not self.use_base:
            return False
        found = base_module.latest_generation(self.model_id)
        current = self._base
        if found is None:
            self._base = None
            return current is not None
        if current is not None and current.generation == found[0]:
            return False
        try:
            opened = base_module.open_base(*found)
        except Exception:  # a generation removed meanwhile, a damaged file: keep what we have
            logger.exception("similarity: cannot open base index %s", found[1])
            return False
        for index in opened.indexes.values():
            index.expansion_search = EXPANSION_SEARCH
        self._base = opened
        return True

    def _read_latest(self) -> dt.datetime | None:
        return self._vectors().aggregate(latest=Max("updated_at"))["latest"]

    def _decode(self, chunk: list[tuple[str, int, bytes]]) -> np.ndarray:
        width = 2 * self.dim
        blob = b"".join(_fit(bytes(data), width) for _, _, data in chunk)
        block = np.frombuffer(blob, dtype="<f2").reshape(len(chunk), self.dim).astype(np.float32)
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        np.divide(block, norms, out=block, where=norms > 0)
        return block

    def _code(self, kind: str) -> int:
        code = self._kind_codes.get(kind)
        if code is None:
            code = len(self._kinds)
            self._kind_codes[kind] = code
            self._kinds.append(kind)
        return code

    def _load_all(self, count: int | None = None) -> None:
        if count is None:
            count = self._delta_rows().count()
        capacity = max(1024, int(count * 1.1))
        matrix = np.zeros((capacity, self.dim), dtype=np.float32)
        codes = np.zeros(capacity, dtype=np.int16)
        ids = np.zeros(capacity, dtype=np.int64)
        rows: dict[Key, int] = {}
        size = 0
        query = self._delta_rows().order_by("pk").values_list("kind", "object_id", "data")
        for chunk in _chunks(query.iterator(chunk_size=5000), 5000):
            if size + len(chunk) > capacity:  # rows were added since the count
                capacity = (size + len(chunk)) * 2
                matrix, codes, ids = _grow(matrix, codes, ids, capacity)
            matrix[size : size + len(chunk)] = self._decode(chunk)
            for offset, (kind, object_id, _) in enumerate(chunk):
                codes[size + offset] = self._code(kind)
                ids[size + offset] = object_id
                rows[(kind, object_id)] = size + offset
            size += len(chunk)
        self._snapshot = _Snapshot(
            size=size, matrix=matrix, codes=codes, ids=ids, rows=rows, base=self._base
        )
        self._loaded = True
        self._full_at = self._counted_at = time.monotonic()
        self.full_loads += 1

    def _load_changed(self, since: dt.datetime) -> None:
        snapshot = self._snapshot
        query = self._vectors().filter(updated_at__gte=since)
        changed = list(query.values_list("kind", "object_id", "data"))
        if not changed:
            return
        vectors = self._decode(changed)
        rows = snapshot.rows
        matrix, codes, ids, size = snapshot.matrix, snapshot.codes, snapshot.ids, snapshot.size
        new = sum(1 for kind, object_id, _ in changed if (kind, object_id) not in rows)
        if size + new > matrix.shape[0]:
            matrix, codes, ids = _grow(matrix, codes, ids, max(1024, (size + new) * 2))
        for i, (kind, object_id, _) in enumerate(changed):
            row = rows.get((kind, object_id))
            if row is None:
                row = size
                size += 1
                codes[row] = self._code(kind)
                ids[row] = object_id
                rows[(kind, object_id)] = row
            # In place: a query running now may score this one row with its old or new values
            # (or a mix: one slightly wrong score, once); new rows lie beyond the size it reads.
            matrix[row] = vectors[i]
        self._snapshot = _Snapshot(
            size=size,
            matrix=matrix,
            codes=codes,
            ids=ids,
            rows=rows,
            dead=snapshot.dead,
            base=snapshot.base,
        )
        self.partial_loads += 1


def _fit(data: bytes, width: int) -> bytes:
    """A row of the wrong length (never written by the engine) counts as a zero vector."""
    if len(data) == width:
        return data
    logger.warning("similarity: a stored vector of %d bytes, expected %d", len(data), width)
    return bytes(width)


def _grow(matrix: np.ndarray, codes: np.ndarray, ids: np.ndarray, capacity: int):
    bigger = np.zeros((capacity, matrix.shape[1]), dtype=matrix.dtype)
    bigger[: matrix.shape[0]] = matrix
    new_codes = np.zeros(capacity, dtype=codes.dtype)
    new_codes[: codes.shape[0]] = codes
    new_ids = np.zeros(capacity, dtype=ids.dtype)
    new_ids[: ids.shape[0]] = ids
    return bigger, new_codes, new_ids


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def discard(kind: str, object_id: int) -> None:
    """Drop an object from the process-wide index, if there is one yet."""
    if _default is not None:
        _default.discard(kind, object_id)


_default: VectorIndex | None = None
_default_lock = threading.Lock()


def get_index() -> VectorIndex:
    """The process-wide index for the current model (created on first use)."""
    global _default
    model_id = embedding.model_id()
    if _default is None or _default.model_id != model_id:
        with _default_lock:
            if _default is None or _default.model_id != model_id:
                from django.conf import settings

                _default = VectorIndex(
                    model_id,
                    check_interval=float(getattr(settings, "SIMILARITY_CHECK_SECONDS", 0.0)),
                    count_interval=float(getattr(settings, "SIMILARITY_COUNT_SECONDS", 10.0)),
                )
    return _default
