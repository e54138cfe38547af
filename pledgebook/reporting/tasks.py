"""Background tasks of reporting: thin wrappers over functions of the data app, safe to run
twice; and what the annual report does when its task is interrupted."""

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from pledgebook.core.tasks import INTERACTIVE_PRIORITY


@task(priority=INTERACTIVE_PRIORITY)
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


def _report_id(task_result: Any) -> int | None:
    if task_result.task.module_path != generate_annual_report.module_path:
        return None
    return task_result.kwargs.get("report_id")


def on_task_interrupted(*, task_result: Any, retried: bool, **kwargs: Any) -> None:
    """``core.workers.task_interrupted``: the worker generating a report died."""
    from pledgebook.reporting.domain import annual_report_interrupted

    report_id = _report_id(task_result)
    if report_id is not None:
        annual_report_interrupted(report_id=report_id, retried=retried)


def on_task_finished(*, task_result: Any, **kwargs: Any) -> None:
    """django-tasks' ``task_finished``: a generation task that failed (or was given up after
    its worker died too often) leaves no report "queued" or "generating"."""
    from pledgebook.reporting.domain import annual_report_interrupted

    report_id = _report_id(task_result)
    if report_id is None or task_result.status != "FAILED":
        return
    errors = getattr(task_result, "errors", None) or []
    name = errors[-1].exception_class_path.rsplit(".", 1)[-1] if errors else ""
    error = ""  # WorkerLost: the domain function's own message says it in words
    if name and name != "WorkerLost":
        error = _("The generation task failed: %(error)s") % {"error": name}
    annual_report_interrupted(report_id=report_id, retried=False, error=error)
