"""The demo's map and SDG dashboard: the facts built from the demo's commitments, reports and
rates (the loader writes rows directly, so the domain's hooks did not run)."""

from __future__ import annotations

from typing import Any

from pledgebook.portal import facts


def load(loader: Any) -> int:
    """Build every fact; returns the number of public commitments on the map."""
    return facts.refresh_all(now=loader.now)


def delete(programme_ids: list[int]) -> None:
    """The facts of the demo's programmes (they hold ids, not foreign keys)."""
    facts.forget_programmes(programme_ids)
