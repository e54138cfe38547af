"""What the annual report does when its task is interrupted or fails: receivers of the task
worker's signals, connected by :meth:`pledgebook.reporting.apps.ReportingConfig.ready`."""

from typing import Any

from django.utils.translation import gettext as _

from pledgebook.reporting.domain import annual_report_interrupted
from pledgebook.reporting.tasks import generate_annual_report


def _report_id(task_result: Any) -> int | None:
    if task_result.task.module_path != generate_annual_report.module_path:
        return None
    return task_result.kwargs.get("report_id")


def on_task_interrupted(*, task_result: Any, retried: bool, **kwargs: Any) -> None:
    """``core.workers.task_interrupted``: the worker generating a report died."""
    report_id = _report_id(task_result)
    if report_id is not None:
        annual_report_interrupted(report_id=report_id, retried=retried)


def on_task_finished(*, task_result: Any, **kwargs: Any) -> None:
    """django-tasks' ``task_finished``: a generation task that failed (or was given up after
    its worker died too often) leaves no report "queued" or "generating"."""
    report_id = _report_id(task_result)
    if report_id is None or task_result.status != "FAILED":
        return
    errors = getattr(task_result, "errors", None) or []
    name = errors[-1].exception_class_path.rsplit(".", 1)[-1] if errors else ""
    error = ""  # WorkerLost: the domain function's own message says it in words
    if name and name != "WorkerLost":
        error = _("The generation task failed: %(error)s") % {"error": name}
    annual_report_interrupted(report_id=report_id, retried=False, error=error)
