"""Background tasks of reporting: thin wrappers over functions of the data app, safe to run
twice."""

from django_tasks import task


@task()
def generate_annual_report(*, report_id: int) -> str:
    """Generate the files of an annual report (see :func:`annual.generate`); returns its
    final status."""
    from pledgebook.reporting import annual

    return annual.generate(report_id).status


@task()
def refresh_figures(*, cycle_id: int, since: str) -> bool:
    """Recompute the figures snapshot of a cycle after a report was submitted (committed at
    ``since``, ISO 8601), so that the next dashboard view finds it ready (see
    :func:`figures.current`); True if it was computed.  A burst of reports costs one
    computation: the first run starts after all of them and the others find its snapshot."""
    import datetime as dt

    from pledgebook.reporting import figures
    from pledgebook.reporting.models import ReportingCycle

    cycle = ReportingCycle.objects.select_related("programme").filter(pk=cycle_id).first()
    if cycle is None:
        return False
    return figures.refresh(cycle, since=dt.datetime.fromisoformat(since))
