"""Progress reports from the workspace: the same pages, form and templates as the personal
link (``views_report_link``), with the signed-in representative as the actor, for
every organisation they act for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from pledgebook.organisations.models import Representative
from pledgebook.reporting.evidence import maker_evidence, serve_evidence
from pledgebook.reporting.models import ReportingCycle
from pledgebook.reporting.queries import cycles_of
from pledgebook.workspace import views_report_link as reporting


def _organisation_ids(user: Any) -> set[int]:
    return set(Representative.objects.filter(user=user).values_list("organisation_id", flat=True))


def _entry(request: HttpRequest, cycle: int) -> reporting.Entry:
    """The reporting pages of ``cycle`` for the user's organisations (404 when none of them
    takes part in its programme)."""
    org_ids = _organisation_ids(request.user)
    found = get_object_or_404(cycles_of(org_ids).select_related("programme"), pk=cycle)
    return reporting.Entry(
        kind="workspace",
        actor=request.user,
        cycle=found,
        organisation_ids=org_ids,
        layout="reporting/_layout_workspace.html",
    )


@login_required
def cycles(request: HttpRequest) -> HttpResponse:
    rows = (
        cycles_of(_organisation_ids(request.user))
        .select_related("programme")
        .annotate(
            is_open=Case(
                When(status=ReportingCycle.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_open", "-deadline", "pk")
    )
    return render(request, "workspace/reporting_cycles.html", {"cycles": rows})


@login_required
@require_http_methods(["GET"])
def cycle(request: HttpRequest, cycle: int) -> HttpResponse:
    return reporting.commitments_page(request, _entry(request, cycle))


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, cycle: int, commitment: int) -> HttpResponse:
    return reporting.report_page(request, _entry(request, cycle), commitment)


@login_required
@require_POST
def correct(request: HttpRequest, cycle: int, commitment: int) -> HttpResponse:
    return reporting.correct_report(request, _entry(request, cycle), commitment)


@login_required
@require_POST
def confirm(request: HttpRequest, cycle: int, commitment: int) -> HttpResponse:
    return reporting.confirm_report(request, _entry(request, cycle), commitment)


@login_required
@require_http_methods(["GET"])
def evidence(request: HttpRequest, evidence: int) -> HttpResponseBase:
    return serve_evidence(maker_evidence(_organisation_ids(request.user), evidence))
