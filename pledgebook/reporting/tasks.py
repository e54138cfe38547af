"""Background tasks of reporting: thin wrappers over functions of the data app, safe to run
twice."""

from django_tasks import task


@task()
def generate_annual_report(*, report_id: int) -> str:
    """Generate the files of an annual report (see :func:`annual.generate`); returns its
    final status."""
    from pledgebook.reporting import annual

    return annual.generate(report_id).status
