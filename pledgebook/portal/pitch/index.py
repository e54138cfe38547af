"""The plans of the pipeline as in-memory columns (numpy), one copy per process, so that
ranking one investor's matches among 100,000 plans reads no plan row but the 50 it shows.

What matching reads of every plan in the pipeline (instruments, amount in US cents, SDGs,
stage, evidence, the area's five bitmask words) is loaded once per process and kept until
the token of :class:`~pledgebook.portal.models.pitch.PitchIndexState` changes: every save or
deletion of a plan sets a new random token in the same transaction (the signals below; a
``bulk_create`` must call :func:`changed`), so a change made by any process is seen by the
next request of every process, which reloads the columns (about 0.3 s at 100,000 plans; one
query for the token otherwise).  A rolled-back change restores the old token: a random token
never comes back, so the columns are never taken for current when they are not.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models.signals import post_delete, post_save

from pledgebook.portal.models.pitch import PitchIndexState, ScaleUpPlan

_lock = threading.Lock()


@dataclass(frozen=True)
class Columns:
    token: str
    pk: np.ndarray
    instruments: np.ndarray
    cents: np.ndarray  # amount_usd in US cents
    sdg: np.ndarray
    stage: np.ndarray  # index in Stage.values
    evidence: np.ndarray
    geo: np.ndarray  # (n, 5)

    def __len__(self) -> int:
        return len(self.pk)


_current: Columns | None = None


def changed(*_args: object, **_kwargs: object) -> None:
    """Say that the plans changed (a new random token, in the caller's transaction)."""
    PitchIndexState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


post_save.connect(changed, sender=ScaleUpPlan, dispatch_uid="pitch_index_saved")
post_delete.connect(changed, sender=ScaleUpPlan, dispatch_uid="pitch_index_deleted")


def _token() -> str:
    return PitchIndexState.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def _load(token: str) -> Columns:
    from pledgebook.portal.models.pitch import Stage

    stages = {code: i for i, code in enumerate(Stage.values)}
    rows = list(
        ScaleUpPlan.objects.filter(status__in=ScaleUpPlan.IN_PIPELINE)
        .order_by()
        .values_list(
            "pk",
            "instrument_mask",
            "amount_usd",
            "sdg_mask",
            "stage",
            "evidence_count",
            "geo0",
            "geo1",
            "geo2",
            "geo3",
            "geo4",
        )
        .iterator(chunk_size=10_000)
    )
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return Columns(token, empty, empty, empty, empty, empty, empty, np.zeros((0, 5), np.int64))
    pk, inst, amount, sdg, stage, evidence, *geo = zip(*rows, strict=True)
    hundred = Decimal(100)
    return Columns(
        token=token,
        pk=np.array(pk, dtype=np.int64),
        instruments=np.array(inst, dtype=np.int64),
        cents=np.array([int(a * hundred) for a in amount], dtype=np.int64),
        sdg=np.array(sdg, dtype=np.int64),
        stage=np.array([stages.get(s, -1) for s in stage], dtype=np.int64),
        evidence=np.array(evidence, dtype=np.int64),
        geo=np.array(geo, dtype=np.int64).T.copy(),
    )


def current() -> Columns:
    """The columns of the plans in the pipeline, reloaded when a plan changed since."""
    global _current
    token = _token()
    found = _current
    if found is not None and found.token == token:
        return found
    with _lock:
        if _current is None or _current.token != token:
            _current = _load(token)
        return _current
