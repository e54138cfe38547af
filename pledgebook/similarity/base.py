"""The shared base index: an on-disk ANN index of the ``Vector`` table, built by the task worker
and memory-mapped by every app process (see :mod:`pledgebook.similarity.index`).

Layout, under ``SIMILARITY_INDEX_DIR`` (default var/similarity-index; put it on a volume that
all servers see, like the media)::

    <dir>/<model>/gen-00000007/meta.json       model_id, watermark, rows and files by kind
    <dir>/<model>/gen-00000007/eoi.usearch     one usearch HNSW index a kind, keys = object ids
    <dir>/<model>/build.lock                   flock()ed while a build runs

A build reads the model's rows in chunks of 5,000 (never all at once), adds them to one usearch
index a kind (int8 vectors, cosine, 16 links a node: about 530 bytes a row), writes the files in
a hidden temporary directory and renames it to the next generation: readers see a whole
generation or none.  ``watermark`` is the build's start less ``OVERLAP`` (2 minutes): the base holds
the rows changed up to it, app processes keep the rows changed after it in memory and take the
values of the base's candidates from the table, so the base may be hours old without a query
returning a stale or deleted vector.  Old
generations are removed ``SIMILARITY_INDEX_GRACE_SECONDS`` (600) after a newer one appeared
(a process that mapped one keeps its pages even then: unlinking does not unmap).

Why usearch with int8: the index file is memory-mapped (``Index.restore(view=True)``), so its
pages sit once in the page cache and are shared by every process; int8 keeps the file at 530 MB
for 1,000,000 rows (float16 would be 900 MB) and loses little (hits are re-scored from the
stored float16 rows).  Measured alternatives: binary codes (48 bytes a row) recalled 0.66 of the
true top 10 on clustered data, a faiss IVF-PQ index 0.75; int8 HNSW 0.96 (docs/SIMILARITY.md).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from pledgebook.similarity import embedding
from pledgebook.similarity.models import Vector

logger = logging.getLogger(__name__)

FORMAT = 1
CONNECTIVITY = 16
EXPANSION_ADD = 128
CHUNK = 5000
#: A build takes the rows changed up to this long before it starts (its watermark): a row whose
#: transaction commits up to OVERLAP after its ``updated_at`` is then in the base or the delta.
OVERLAP = dt.timedelta(minutes=2)
_GENERATION = re.compile(r"gen-(\d{8})")


class BuildBusy(Exception):
    """Another process holds the build lock of this model."""


def index_dir() -> Path:
    configured = getattr(settings, "SIMILARITY_INDEX_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "similarity-index"


def model_dir(model_id: str) -> Path:
    """One directory a model: a readable name and a hash (model ids hold '/' and '@')."""
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_id)[:60]
    return index_dir() / f"{readable}-{hashlib.sha256(model_id.encode()).hexdigest()[:10]}"


# -- reading -------------------------------------------------------------------------------------


@dataclass
class Base:
    """One generation, opened read-only: its usearch indexes are memory-mapped views."""

    generation: int
    path: Path
    model_id: str
    watermark: dt.datetime
    rows: dict[str, int]
    built_at: float
    indexes: dict[str, Any] = field(default_factory=dict, repr=False)  # usearch views

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def generations(model_id: str) -> list[tuple[int, Path]]:
    """Complete generations of the model, oldest first."""
    directory = model_dir(model_id)
    found = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return []
    for entry in entries:
        match = _GENERATION.fullmatch(entry.name)
        if match and entry.is_dir():
            found.append((int(match.group(1)), Path(entry.path)))
    return sorted(found)


def latest_generation(model_id: str) -> tuple[int, Path] | None:
    found = generations(model_id)
    return found[-1] if found else None


def read_meta(path: Path) -> dict:
    with open(path / "meta.json", encoding="utf-8") as handle:
        return json.load(handle)


def open_base(generation: int, path: Path) -> Base:
    """Map a generation's files (nothing is read into private memory but the meta)."""
    from usearch.index import Index

    meta = read_meta(path)
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path}: index format {meta.get('format')!r}, expected {FORMAT}")
    base = Base(
        generation=generation,
        path=path,
        model_id=meta["model_id"],
        watermark=dt.datetime.fromisoformat(meta["watermark"]),
        rows={kind: int(count) for kind, count in meta["rows"].items()},
        built_at=float(meta["built_at"]),
    )
    for kind, filename in meta["files"].items():
        base.indexes[kind] = Index.restore(str(path / filename), view=True)
    return base


# -- building ------------------------------------------------------------------------------------


@contextmanager
def build_lock(model_id: str) -> Iterator[None]:
    """An exclusive, non-blocking lock a model (``flock``: released by the kernel if the
    process dies, so no stale lock survives a crash).  Raises :class:`BuildBusy`."""
    directory = model_dir(model_id)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(f"a build of the {model_id} index is already running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Built:
    generation: int
    rows: int
    seconds: float
    built: bool  # False: the current generation was already up to date


def _vectors(model_id: str):
    return Vector.objects.filter(model_id=model_id)


def up_to_date(model_id: str) -> bool:
    """Whether a build now would give the newest generation again: no row changed between its
    watermark and the cutoff of a build now, and none of its rows went."""
    found = latest_generation(model_id)
    if found is None:
        return False
    meta = read_meta(found[1])
    watermark = dt.datetime.fromisoformat(meta["watermark"])
    rows = _vectors(model_id)
    newer = rows.filter(updated_at__gt=watermark, updated_at__lte=cutoff()).exists()
    return not newer and rows.filter(updated_at__lte=watermark).count() == sum(
        meta["rows"].values()
    )


def cutoff() -> dt.datetime:
    return timezone.now() - OVERLAP


def build(model_id: str | None = None, *, force: bool = False, threads: int = 0) -> Built:
    """Build the next generation of the model's base index (see the module's docstring), unless
    the newest one is up to date and not ``force``.  Raises :class:`BuildBusy` when another
    process is building it.  Peak memory: the indexes being built (about 530 bytes a row) and
    one chunk of rows."""
    from usearch.index import Index

    model_id = model_id or embedding.model_id()
    started = time.perf_counter()
    with build_lock(model_id):
        current = latest_generation(model_id)
        if not force and up_to_date(model_id):
            assert current is not None
            return Built(current[0], sum(read_meta(current[1])["rows"].values()), 0.0, False)
        generation = (current[0] if current else 0) + 1
        directory = model_dir(model_id)
        tmp = directory / f".tmp-gen-{generation:08d}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            indexes: dict[str, Index] = {}
            watermark = cutoff()
            dim = None
            query = (
                _vectors(model_id)
                .filter(updated_at__lte=watermark)
                .order_by("pk")
                .values_list("kind", "object_id", "data")
            )
            chunk: list[tuple[str, int, bytes]] = []
            for row in query.iterator(chunk_size=CHUNK):
                chunk.append(row)
                if len(chunk) == CHUNK:
                    dim = _add(indexes, chunk, dim, threads)
                    chunk = []
            if chunk:
                dim = _add(indexes, chunk, dim, threads)
            files = {}
            rows = sum(len(index) for index in indexes.values())
            for kind, index in indexes.items():
                filename = f"{re.sub(r'[^a-z0-9_.-]', '_', kind)}.usearch"
                index.save(str(tmp / filename))
                files[kind] = filename
            meta: dict[str, Any] = {
                "format": FORMAT,
                "model_id": model_id,
                "generation": generation,
                "watermark": watermark.isoformat(),
                "rows": {kind: len(index) for kind, index in indexes.items()},
                "files": files,
                "dim": dim,
                "built_at": time.time(),
            }
            with open(tmp / "meta.json", "w", encoding="utf-8") as handle:
                json.dump(meta, handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.rename(tmp, directory / f"gen-{generation:08d}")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        remove_old(model_id)
    seconds = time.perf_counter() - started
    logger.info(
        "similarity: built base index generation %d (%d rows, %.1f s)", generation, rows, seconds
    )
    return Built(generation, rows, seconds, True)


def _add(indexes, chunk, dim, threads):
    from usearch.index import Index

    by_kind: dict[str, list[int]] = {}
    for i, (kind, _, _) in enumerate(chunk):
        by_kind.setdefault(kind, []).append(i)
    width = len(chunk[0][2])
    if dim is None:
        dim = width // 2
    blob = b"".join(bytes(data) if len(data) == width else bytes(width) for _, _, data in chunk)
    block = np.frombuffer(blob, dtype="<f2").reshape(len(chunk), dim).astype(np.float32)
    for kind, positions in by_kind.items():
        index = indexes.get(kind)
        if index is None:
            index = indexes[kind] = Index(
                ndim=dim,
                metric="cos",
                dtype="i8",
                connectivity=CONNECTIVITY,
                expansion_add=EXPANSION_ADD,
            )
        keys = np.array([chunk[i][1] for i in positions], dtype=np.uint64)
        index.add(keys, block[positions], threads=threads)
    return dim


def remove_old(model_id: str, grace: float | None = None) -> list[Path]:
    """Delete the generations older than the newest once it is ``grace`` seconds old, and
    temporary directories of builds that died a day ago."""
    if grace is None:
        grace = float(getattr(settings, "SIMILARITY_INDEX_GRACE_SECONDS", 600))
    found = generations(model_id)
    removed = []
    if len(found) > 1 and time.time() - found[-1][1].stat().st_mtime >= grace:
        for _, path in found[:-1]:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    directory = model_dir(model_id)
    if directory.exists():
        for entry in directory.glob(".tmp-gen-*"):
            if time.time() - entry.stat().st_mtime > 86400:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


# -- when to build -------------------------------------------------------------------------------


def min_rows() -> int:
    """Below this many rows no base is built: every process holds them all (today's exact
    search, 154 MB at 100,000 rows)."""
    return int(getattr(settings, "SIMILARITY_INDEX_MIN_ROWS", 50_000))


def needs_build(model_id: str | None = None) -> bool:
    """Whether the worker should build a new generation: none yet and the table holds
    ``min_rows()``; or the rows changed since the base's watermark exceed
    ``SIMILARITY_INDEX_DELTA_ROWS`` (20,000) or ``SIMILARITY_INDEX_DELTA_FRACTION`` (0.1) of it,
    or rows of the base were deleted beyond that fraction (their slots still cost search
    time); or the base is older than ``SIMILARITY_INDEX_MAX_AGE_SECONDS`` (a day) and anything
    changed."""
    model_id = model_id or embedding.model_id()
    rows = _vectors(model_id)
    found = latest_generation(model_id)
    if found is None:
        return rows.count() >= min_rows()
    meta = read_meta(found[1])
    watermark = dt.datetime.fromisoformat(meta["watermark"])
    base_rows = sum(meta["rows"].values())
    changed = rows.filter(updated_at__gt=watermark).count()
    fraction = float(getattr(settings, "SIMILARITY_INDEX_DELTA_FRACTION", 0.1))
    limit = max(int(getattr(settings, "SIMILARITY_INDEX_DELTA_ROWS", 20_000)), fraction * base_rows)
    if changed > limit:
        return True
    gone = base_rows - rows.filter(updated_at__lte=watermark).count()
    if gone > fraction * base_rows:
        return True
    max_age = float(getattr(settings, "SIMILARITY_INDEX_MAX_AGE_SECONDS", 86400))
    return (changed > 0 or gone > 0) and time.time() - float(meta["built_at"]) > max_age
