"""Calibrated scores and the thresholds that name them: read from ``calibration.json``.

The model's cosines are compressed (two unrelated ocean commitments score about 0.83, two
descriptions of one initiative about 0.93, and unrelated pairs up to 0.92), so a raw cosine
shown to a person or compared with a round number misleads.  ``bench/calibrate.py`` fits linear
maps on labelled sets of real pairs and queries (tests/similarity/data/) and chooses the
thresholds there; it writes them, with the precision and recall measured at them, into
``calibration.json`` beside this module.  This is the one place the thresholds live: change
them by re-running the script, not by hand.

    score = clip((cosine - zero) / (one - zero), 0, 1)

Two texts compared (similar initiatives): ``zero`` is the median cosine of unrelated pairs and
``one`` the cosine of a text with itself, so 0 reads "as close as two unrelated proposals usually
are" and 1 "the same text".  A search query compared with descriptions has its own spread and
its own map (``search_zero``, ``search_one``).  The maps are monotonic: rankings do not change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

PATH = Path(__file__).with_name("calibration.json")

SAME = "same"
RELATED = "related"


@dataclass(frozen=True)
class Calibration:
    model_id: str
    zero: float
    one: float
    same: float  # "possibly the same initiative" from this score up
    related: float  # "related" from this score up (below: not shown as similar)
    search: float  # semantic search returns nothing below this (search) score
    search_zero: float
    search_one: float
    measured: dict[str, Any]

    def score(self, cosine: float) -> float:
        """The calibrated score of the cosine between two descriptions, in [0, 1]."""
        return float(np.clip((cosine - self.zero) / (self.one - self.zero), 0.0, 1.0))

    def search_score(self, cosine: float) -> float:
        """The calibrated score of the cosine between a search query and a description."""
        spread = self.search_one - self.search_zero
        return float(np.clip((cosine - self.search_zero) / spread, 0.0, 1.0))

    def cosine(self, score: float) -> float:
        """The lowest cosine whose calibrated score is ``score`` (for a cut-off in the index)."""
        return self.zero + score * (self.one - self.zero)

    def label(self, score: float) -> str | None:
        """``"same"``, ``"related"`` or None (not similar enough to show)."""
        if score >= self.same:
            return SAME
        if score >= self.related:
            return RELATED
        return None


def read(path: Path = PATH) -> Calibration:
    data = json.loads(path.read_text(encoding="utf-8"))
    thresholds = data["thresholds"]
    calibration = Calibration(
        model_id=data["model_id"],
        zero=float(data["scale"]["zero"]),
        one=float(data["scale"]["one"]),
        same=float(thresholds["same"]),
        related=float(thresholds["related"]),
        search=float(thresholds["search"]),
        search_zero=float(data["search_scale"]["zero"]),
        search_one=float(data["search_scale"]["one"]),
        measured=data.get("measured", {}),
    )
    if not (
        calibration.zero < calibration.one and calibration.search_zero < calibration.search_one
    ):
        raise ValueError(f"{path}: a scale's zero must be below its one")
    if not 0 < calibration.related <= calibration.same <= 1 or not 0 < calibration.search <= 1:
        raise ValueError(f"{path}: thresholds must lie in (0, 1], related <= same")
    return calibration


@cache
def current() -> Calibration:
    """The calibration in use (read once per process)."""
    return read()
