"""The application queue: requests to join a theme, decided within the programme's deadline."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.commitments import domain
from pledgebook.commitments.models import Application
from pledgebook.console.access import DECIDE_APPLICATIONS, Console, console_view
from pledgebook.console.forms import (
    ApplicationDecisionForm,
    ApplicationFilterForm,
)
from pledgebook.core.forms import attempt

PAGE_SIZE = 50


def _with_overdue(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``is_overdue``: still pending after its due date."""
    return applications.annotate(
        is_overdue=Case(
            When(status=Application.Status.PENDING, due_at__lt=timezone.now(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


@console_view()
def queue(request: HttpRequest, console: Console) -> HttpResponse:
    programme = console.programme
    form = ApplicationFilterForm(
        request.GET or None,
        programme=programme,
        initial={"status": Application.Status.PENDING},
    )
    applications = _with_overdue(
        Application.objects.for_programme(programme)
        .select_related("theme", "organisation", "organisation__country")
        .order_by("due_at", "id")
    )
    status = Application.Status.PENDING
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or Application.Status.PENDING
        if form.cleaned_data["theme"]:
            applications = applications.filter(theme=form.cleaned_data["theme"])
        if form.cleaned_data["overdue"]:
            applications = applications.filter(
                status=Application.Status.PENDING, due_at__lt=timezone.now()
            )
    if status != ApplicationFilterForm.ALL:
        applications = applications.filter(status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/applications.html",
        {"console": console, "form": form, "page": page, "status": status},
    )


@console_view()
def detail(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    """One application, and (for those who decide) the decision form."""
    programme = console.programme
    application = get_object_or_404(
        _with_overdue(Application.objects.for_programme(programme)).select_related(
            "theme", "organisation", "organisation__country", "submitted_by", "decided_by"
        ),
        pk=pk,
    )
    application.programme = programme
    form = ApplicationDecisionForm(request.POST or None)
    if request.method == "POST":
        console.require(DECIDE_APPLICATIONS)
        if attempt(
            form,
            lambda data: domain.decide_application(
                actor=request.user,
                application=application,
                approve=data["decision"] == ApplicationDecisionForm.APPROVE,
                reason=data["reason"],
            ),
        ):
            message = (
                _("Approved: %(application)s. The applicant has been e-mailed.")
                if form.cleaned_data["decision"] == ApplicationDecisionForm.APPROVE
                else _("Declined: %(application)s. The applicant has been e-mailed.")
            )
            messages.success(request, message % {"application": application})
            return redirect("console:applications", programme=programme.slug)
    others = (
        Application.objects.for_programme(programme)
        .filter(organisation=application.organisation)
        .exclude(pk=application.pk)
        .select_related("theme")
    )
    return render(
        request,
        "console/application.html",
        {"console": console, "application": application, "form": form, "others": others},
    )
