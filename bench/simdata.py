"""Real records for calibrating the similarity engine, and a cache of their embeddings.

Used by bench/calibrate.py and bench/label_candidates.py; see tests/similarity/data/README.md.

* :func:`unoc` - the 2,650 UN Ocean Conference voluntary commitments (shared/realdata);
* :func:`climate` - the 288 initiatives of the UN Climate Initiatives Platform;
* :func:`record_text` - the text a record is compared by: its title and the start of its
  description, cut at :data:`TEXT_CAP` characters on a word boundary (about 115 tokens: the
  length of an expression of interest's title and summary);
* :class:`Cache` - embeddings by sha256 of the text and the model, in var/similarity-cache/
  (embedding the 2,650 commitments takes 6-10 minutes of one core), so that a second run of a
  script embeds only what changed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

BASE_DIR = Path(__file__).resolve().parent.parent
REALDATA = BASE_DIR.parent.parent / "shared" / "realdata"
if not REALDATA.exists():  # a checkout beside shared/ (/work/main) or a worktree (/work/wt/x)
    REALDATA = BASE_DIR.parent / "shared" / "realdata"
UNOC = REALDATA / "unoc_commitments" / "unoc_ocean_commitments_2026-03.jsonl"
CLIMATE = REALDATA / "climate_initiatives" / "UNClimateDataInitiatives-20230611.csv"
CACHE_DIR = BASE_DIR / "var" / "similarity-cache"

TEXT_CAP = 600


def setup_django() -> None:
    """Enough Django for the embedding module (it reads SIMILARITY_THREADS from the settings):
    the apps are not loaded, so these scripts run even while calibration.json is being
    rewritten."""
    sys.path.insert(0, str(BASE_DIR))
    from django.conf import settings

    if not settings.configured:
        settings.configure(SIMILARITY_THREADS=int(os.environ.get("SIMILARITY_THREADS", "1")))


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def cut(text: str, cap: int = TEXT_CAP) -> str:
    """``text`` cut to at most ``cap`` characters, at the last space before the cap."""
    if len(text) <= cap:
        return text
    head = text[:cap]
    space = head.rfind(" ")
    return head[:space] if space > cap // 2 else head


def record_text(title: str, description: str | None, cap: int | None = TEXT_CAP) -> str:
    title, body = squash(title), squash(description)
    text = f"{title}\n{body}" if body else title
    return text if cap is None else cut(text, cap)


def unoc() -> list[dict]:
    with UNOC.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def unoc_ref(row: dict) -> str:
    return row["ocean_action_id"] or row["url"]


def climate() -> list[dict[str, str]]:
    with CLIMATE.open(encoding="utf-8") as handle:
        return [{k.strip(): v for k, v in row.items()} for row in csv.DictReader(handle)]


def climate_ref(index: int) -> str:
    return f"climate:{index}"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Cache:
    """Embeddings of texts by the engine's model, kept on disk between runs."""

    def __init__(self, name: str = "texts") -> None:
        from pledgebook.similarity import embedding

        self.embedding = embedding
        self.model = embedding.model_id().replace("/", "_")
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        self.path = CACHE_DIR / f"{name}-{self.model}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as stored:
                for key, row in zip(stored["keys"], stored["vectors"], strict=True):
                    self.vectors[str(key)] = row

    def save(self) -> None:
        keys = np.array(sorted(self.vectors))
        matrix = np.stack([self.vectors[k] for k in keys]) if len(keys) else np.zeros((0, 384))
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=matrix.astype(np.float32))
        tmp.replace(self.path)

    def embed(self, texts: Sequence[str], *, progress: bool = True, every: int = 64) -> np.ndarray:
        missing = sorted({t for t in texts if digest(t) not in self.vectors})
        for start in range(0, len(missing), every):
            chunk = missing[start : start + every]
            for text, vector in zip(chunk, self.embedding.embed(chunk), strict=True):
                self.vectors[digest(text)] = vector
            self.save()
            if progress:
                done = min(start + every, len(missing))
                print(f"  embedded {done}/{len(missing)}", file=sys.stderr, flush=True)
        return np.stack([self.vectors[digest(t)] for t in texts])
