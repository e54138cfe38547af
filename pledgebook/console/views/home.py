"""The console's front page (my programmes) and one programme's overview."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pledgebook.commitments.models import Application, Commitment
from pledgebook.console.access import Console, console_view
from pledgebook.programmes.models import Programme, ProgrammeRole

AWAITING_REVIEW = (Commitment.Status.SUBMITTED, Commitment.Status.IN_REVIEW)


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT over ``queryset`` (filtered on ``programme=OuterRef("pk")``)."""
    counted = queryset.order_by().values("programme").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    now = timezone.now()
    pending = Application.objects.filter(
        programme=OuterRef("pk"), status=Application.Status.PENDING
    )
    return programmes.annotate(
        pending_count=_count(pending),
        overdue_count=_count(pending.filter(due_at__lt=now)),
        awaiting_count=_count(
            Commitment.objects.filter(programme=OuterRef("pk"), status__in=AWAITING_REVIEW)
        ),
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # logged in: login_required
    programmes = Programme.objects.all()
    if not user.is_superuser:
        programmes = programmes.filter(
            pk__in=ProgrammeRole.objects.filter(user=user).values("programme")
        )
    programmes = with_counts(programmes).prefetch_related(
        Prefetch("roles", queryset=ProgrammeRole.objects.filter(user=user), to_attr="my_roles")
    )
    return render(
        request,
        "console/home.html",
        {
            "programmes": programmes,
            "can_create": user.has_perm("programmes.add_programme"),
        },
    )


@console_view()
def overview(request: HttpRequest, console: Console) -> HttpResponse:
    programme = with_counts(Programme.objects.filter(pk=console.programme.pk)).get()
    by_status = dict(
        Commitment.objects.for_programme(programme)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    statuses = [(label, by_status.get(value, 0)) for value, label in Commitment.Status.choices]
    return render(
        request,
        "console/overview.html",
        {
            "console": console,
            "programme": programme,
            "statuses": statuses,
            "theme_count": programme.themes.count(),
        },
    )
