import datetime as dt

from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.reporting.models import ReportingCycle
from tests import factories


def cycle(programme, *, status=ReportingCycle.Status.SCHEDULED, **kw):
    now = timezone.now()
    values = {
        "name": "2026 annual report",
        "opens_at": now - dt.timedelta(days=1),
        "deadline": now + dt.timedelta(days=30),
        "closes_at": now + dt.timedelta(days=60),
        "status": status,
    }
    values.update(kw)
    return ReportingCycle.objects.create(programme=programme, **values)


def confirmed(theme, organisation=None, **kw):
    """A confirmed commitment of an approved member, with its representative."""
    user = factories.member_of(theme, organisation=organisation)
    org = user.organisations.get()
    kw.setdefault("status", Commitment.Status.CONFIRMED)
    c = factories.CommitmentFactory(theme=theme, organisation=org, **kw)
    return c, user
