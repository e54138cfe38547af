"""Evidence of progress reports: what a read-only report shows, which evidence files an
organisation may download, and the download itself (never from a public media address, never
rendered inline by the browser).  Used by the personal link and workspace pages and by the
console."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from pledgebook.commitments.models import CoMaker
from pledgebook.core import uploads
from pledgebook.reporting.models import Evidence, IndicatorValue, ProgressReport, ReportingCycle
from pledgebook.reporting.validation import EVIDENCE_KINDS


def evidence_rows(entry_url: Callable[[int], str], report: ProgressReport) -> list[dict[str, Any]]:
    """The report's evidence: files (served at ``entry_url(evidence id)``) and links."""
    rows = []
    for ev in report.evidence.all():
        if ev.file:
            rows.append(
                {"label": ev.original_name, "url": entry_url(ev.pk), "size": ev.size, "file": True}
            )
        elif ev.url:
            rows.append({"label": ev.url, "url": ev.url, "size": None, "file": False})
    return rows


def report_details(
    report: ProgressReport, evidence_url: Callable[[int], str] | None
) -> dict[str, Any]:
    """What a read-only report shows: its values by indicator and its evidence (files only
    when ``evidence_url`` says where they are served)."""
    values = list(
        IndicatorValue.objects.filter(report=report)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    evidence = (
        evidence_rows(evidence_url, report)
        if evidence_url
        else [{"label": e.url, "url": e.url, "file": False} for e in report.evidence.all() if e.url]
    )
    return {"report": report, "values": values, "evidence": evidence}


def serve_evidence(evidence: Evidence) -> FileResponse:
    """The file as a download (never rendered inline by the browser)."""
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # The type is read again from the content: files stored before contents were checked
    # carry the type their sender declared.  Anything not allowed is served as bytes.
    kind = uploads.identify(handle, EVIDENCE_KINDS)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        content_type=kind.mime if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def maker_evidence(
    entry_org_ids: set[int], pk: int, *, cycle: ReportingCycle | None = None
) -> Evidence:
    """An evidence file the organisations may download: of a report of their own (any
    state) or, as co-makers, of a submitted report of the lead.  Anything else: 404."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__commitment", "report__cycle"), pk=pk
    )
    report = evidence.report
    if cycle is not None and report.cycle_id != cycle.pk:
        raise Http404
    if report.commitment.organisation_id in entry_org_ids:
        return evidence
    if (
        report.status == ProgressReport.Status.SUBMITTED
        and CoMaker.objects.taking_part()
        .filter(commitment_id=report.commitment_id, organisation_id__in=entry_org_ids)
        .exists()
    ):
        return evidence
    raise Http404
