"""Builders shared by the public pages' tests."""

import datetime as dt

from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.programmes.models import Theme
from tests import factories

CONFIRMED = Commitment.Status.CONFIRMED


def commitment_in(theme: Theme, *, status: str = CONFIRMED, **kwargs) -> Commitment:
    """A commitment of ``theme``'s programme linked to ``theme`` (the factory links the
    programme's first theme), decided now when public."""
    now = timezone.now()
    if status != Commitment.Status.DRAFT:
        kwargs.setdefault("submitted_at", now - dt.timedelta(days=2))
    if status in Commitment.PUBLIC_STATUSES or status == Commitment.Status.DECLINED:
        kwargs.setdefault("decided_at", now - dt.timedelta(days=1))
    c = factories.CommitmentFactory(theme=theme, status=status, **kwargs)
    c.themes.set([theme])
    return c
