"""The programme's case studies for the knowledge hub: the secretariat reads the submitted
ones, publishes them or returns them with a reason the organisation reads
(``portal.hub.domain``).  Every query is kept to the programme of the URL."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms import ConsoleForm
from pledgebook.core.forms import act
from pledgebook.portal.hub import domain
from pledgebook.portal.hub.reads import results, with_page_relations
from pledgebook.portal.models import CaseStudy


class ReturnForm(ConsoleForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the organisation reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


def _case_study(console: Console, pk: int) -> CaseStudy:
    # A draft belongs to its organisation: the secretariat never sees one.
    return get_object_or_404(
        CaseStudy.objects.for_programme(console.programme).exclude(status=CaseStudy.Status.DRAFT),
        pk=pk,
    )


def _back(console: Console) -> str:
    return reverse("console:case_studies", args=[console.programme.slug])


@console_view(CHANGE_PROGRAMME)
def case_studies(request: HttpRequest, console: Console) -> HttpResponse:
    status = request.GET.get("status", CaseStudy.Status.SUBMITTED)
    rows = with_page_relations(
        CaseStudy.objects.for_programme(console.programme).exclude(status=CaseStudy.Status.DRAFT)
    ).order_by("submitted_at", "pk")
    if status in CaseStudy.Status.values:
        rows = rows.filter(status=status)
    items = [(cs, results(cs)) for cs in rows]
    statuses = [(v, label) for v, label in CaseStudy.Status.choices if v != CaseStudy.Status.DRAFT]
    return render(
        request,
        "console/portal/case_studies.html",
        {
            "console": console,
            "items": items,
            "status": status,
            "statuses": statuses,
            "return_form": ReturnForm(),
        },
    )


@require_POST
@console_view(CHANGE_PROGRAMME)
def publish(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    found = _case_study(console, pk)
    return act(
        request,
        lambda: domain.publish_case_study(actor=request.user, case_study=found),
        success=_("Case study published on the knowledge hub; its author is told."),
        to=_back(console),
    )


@require_POST
@console_view(CHANGE_PROGRAMME)
def return_(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    found = _case_study(console, pk)
    form = ReturnForm(request.POST)
    form.is_valid()
    return act(
        request,
        lambda: domain.return_case_study(
            actor=request.user, case_study=found, reason=form.cleaned_data.get("reason", "")
        ),
        success=_("Case study returned; the organisation is told why."),
        to=_back(console),
    )
