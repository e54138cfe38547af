"""What the public may read of a commitment's progress: the latest submitted version of its
report in each cycle (status, indicator values, money), for the public commitment page and
the API.  Narrative, challenges and evidence stay with the makers and the secretariat."""

from __future__ import annotations

from django.db.models import Prefetch

from pledgebook.reporting.models import IndicatorValue, ProgressReport, ReportingCycle
from pledgebook.reporting.queries import latest_submitted as latest_versions


def latest_submitted(commitment_id: int) -> list[ProgressReport]:
    """The commitment's latest submitted report per cycle, newest cycle first; each with
    ``values`` (indicator values, in the framework's order).  Two queries."""
    values = IndicatorValue.objects.select_related("indicator").order_by(
        "indicator__position", "indicator__code", "pk"
    )
    return list(
        latest_versions()
        .filter(
            commitment_id=commitment_id,
            cycle__status__in=[ReportingCycle.Status.OPEN, ReportingCycle.Status.CLOSED],
        )
        .select_related("cycle")
        .prefetch_related(Prefetch("values", queryset=values))
        .order_by("-cycle__deadline", "-cycle_id")
    )
