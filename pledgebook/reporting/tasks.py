"""Background tasks of reporting: thin wrappers over functions of the data app, safe to run
twice.  This module imports what its tasks run; ``domain`` imports it to enqueue them, and
nothing else of reporting imports it (``signals`` reads the task's path)."""

import datetime as dt

from django_tasks import task

from pledgebook.core.tasks import INTERACTIVE_PRIORITY
from pledgebook.reporting import figures, generation
from pledgebook.reporting.models import ReportingCycle


@task(priority=INTERACTIVE_PRIORITY)
def generate_annual_report(*, report_id: int) -> str:
    """Generate the files of an annual report (see :func:`generation.generate`); returns its
    final status."""
    return generation.generate(report_id).status


@task()
def refresh_figures(*, cycle_id: int, since: str) -> bool:
    """Recompute the figures snapshot of a cycle after a report was submitted (committed at
    ``since``, ISO 8601), so that the next dashboard view finds it ready (see
    :func:`figures.current`); True if it was computed.  A burst of reports costs one
    computation: the first run starts after all of them and the others find its snapshot."""
    cycle = ReportingCycle.objects.select_related("programme").filter(pk=cycle_id).first()
    if cycle is None:
        return False
    return figures.refresh(cycle, since=dt.datetime.fromisoformat(since))
