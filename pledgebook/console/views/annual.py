"""The annual accountability report of a reporting cycle, for the programme's secretariat:
its web version (the same sections and charts as the PDF and Word files, served from a
snapshot while the data is unchanged), the request to
generate the files, their progress (polled with HTMX) and their downloads.

Changes go through :func:`pledgebook.reporting.domain.request_annual_report`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.core import exports as registry
from pledgebook.reporting import annual, domain, exports, webreport
from pledgebook.reporting.models import AnnualReport, ReportingCycle

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACTIVE = (AnnualReport.Status.QUEUED, AnnualReport.Status.RUNNING)


def _cycle(console: Console, pk: int) -> ReportingCycle:
    cycle = get_object_or_404(ReportingCycle.objects.filter(programme=console.programme), pk=pk)
    cycle.programme = console.programme
    return cycle


def _status_context(console: Console, cycle: ReportingCycle, **extra: Any) -> dict[str, Any]:
    reports = list(
        AnnualReport.objects.filter(cycle=cycle)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
    )
    return {
        "console": console,
        "cycle": cycle,
        "reports": reports,
        "active": any(r.status in ACTIVE for r in reports),
        "kinds": annual.FILE_KINDS,
        **extra,
    }


def _open_data(request: HttpRequest, cycle: ReportingCycle) -> list[tuple[str, str]]:
    """Links to the cycle's open data, when the public may have it: the progress-report
    exports the registry gives this person (:func:`pledgebook.core.exports.available`)."""
    if cycle.status not in exports.PUBLIC_CYCLE_STATUSES or not cycle.programme.is_published:
        return []
    return [
        (
            str(cls.verbose_name),
            reverse("api:export", kwargs={"identifier": cls.identifier}) + f"?cycle={cycle.pk}",
        )
        for cls in registry.available(request.user, cycle.programme, subject="progress-reports")
    ]


@console_view(CHANGE_PROGRAMME)
def report(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    """The web version, served from its snapshot while the data is unchanged
    (:mod:`pledgebook.reporting.webreport`)."""
    obj = _cycle(console, cycle)
    page, _kept = webreport.page(obj)
    context = {"page": page, **_status_context(console, obj), "open_data": _open_data(request, obj)}
    return render(request, "console/annual_report.html", context)


@console_view(CHANGE_PROGRAMME)
@require_POST
def generate(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    error = ""
    try:
        domain.request_annual_report(actor=request.user, cycle=obj)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if getattr(request, "htmx", False):
        return render(
            request, "console/annual_status.html", _status_context(console, obj, error=error)
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The PDF and Word files are being generated."))
    return redirect("console:annual_report", programme=console.programme.slug, cycle=obj.pk)


@console_view(CHANGE_PROGRAMME)
def status(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    return render(request, "console/annual_status.html", _status_context(console, obj))


@console_view(CHANGE_PROGRAMME)
def download(
    request: HttpRequest, console: Console, cycle: int, report: int, kind: str
) -> Any:  # a FileResponse (streaming), which console_view's typing does not cover
    obj = _cycle(console, cycle)
    if kind not in annual.FILE_KINDS:
        raise Http404
    generated = get_object_or_404(
        AnnualReport.objects.filter(cycle=obj, status=AnnualReport.Status.DONE), pk=report
    )
    file = getattr(generated, kind)
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = f"{console.programme.slug}-{obj.pk}-annual-report.{kind}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[kind])
