"""What the portal does when the apps below it change something (registered in
``PortalConfig.ready``): keep the facts of the map and the dashboard fresh."""

from __future__ import annotations

from django.db import transaction

from pledgebook.commitments.models import Commitment
from pledgebook.portal import facts, tasks


def commitments_changed(*, commitment_ids: list[int]) -> None:
    facts.refresh(commitment_ids)


def figures_changed(
    *,
    commitment_ids: list[int] | None = None,
    programme_id: int | None = None,
    currency: str | None = None,
) -> None:
    """Reports of a few commitments: now, in the transaction.  A whole programme's cycle or a
    currency's rate: in the background, once the change is committed."""
    if commitment_ids:
        facts.refresh(commitment_ids)
    if programme_id is not None:
        transaction.on_commit(lambda: tasks.refresh_programme.enqueue(programme_id=programme_id))
    if currency is not None:
        transaction.on_commit(lambda: tasks.refresh_currency.enqueue(currency=currency))


def organisation_changed(*, organisation: object, fields: list[str]) -> None:
    if "category" in fields:
        ids = Commitment.objects.public().filter(organisation=organisation)
        facts.refresh(list(ids.values_list("pk", flat=True)))
