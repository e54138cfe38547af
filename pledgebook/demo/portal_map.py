"""The demo's map and SDG dashboard: the facts built from the demo's commitments, reports and
rates (the loader writes rows directly, so the domain's hooks did not run)."""

from __future__ import annotations

from typing import Any

from pledgebook.portal import facts
from pledgebook.portal.models import CommitmentFact, CountryFact


def load(loader: Any) -> int:
    """Build every fact; returns the number of public commitments on the map."""
    return facts.refresh_all(now=loader.now)


def delete(programme_ids: list[int]) -> None:
    """The facts of the demo's programmes (they hold ids, not foreign keys)."""
    CountryFact.objects.filter(programme_id__in=programme_ids).delete()
    CommitmentFact.objects.filter(programme_id__in=programme_ids).delete()
