"""Stakeholder statements of an event, by session: the secretariat selects them (published on
the session page) or declines them with a reason (``forum.domain.statements``)."""

from __future__ import annotations

from itertools import groupby

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
from pledgebook.forum.domain import statements as domain
from pledgebook.forum.models import Event, Statement


class DeclineForm(ConsoleForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the organisation reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


def _statement(console: Console, pk: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("session__event__programme", "organisation"),
        pk=pk,
        session__event__programme=console.programme,
    )


def _back(statement: Statement) -> str:
    event = statement.session.event
    return (
        reverse("console:forum_statements", args=[event.programme.slug, event.slug])
        + f"#session-{statement.session_id}"
    )


@console_view(CHANGE_PROGRAMME)
def statements(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = get_object_or_404(Event, programme=console.programme, slug=event)
    status = request.GET.get("status", "")
    rows = (
        Statement.objects.filter(session__event=found)
        .select_related("session", "organisation")
        .order_by("session__starts_at", "session__pk", "created_at", "pk")
    )
    if status in Statement.Status.values:
        rows = rows.filter(status=status)
    by_session = [(session, list(items)) for session, items in groupby(rows, lambda s: s.session)]
    return render(
        request,
        "console/forum/statements.html",
        {
            "console": console,
            "event": found,
            "by_session": by_session,
            "status": status,
            "statuses": Statement.Status.choices,
            "decline_form": DeclineForm(),
        },
    )


@require_POST
@console_view(CHANGE_PROGRAMME)
def select(request: HttpRequest, console: Console, statement: int) -> HttpResponse:
    found = _statement(console, statement)
    return act(
        request,
        lambda: domain.select_statement(actor=request.user, statement=found),
        success=_("Statement selected: it is published on the session page."),
        to=_back(found),
    )


@require_POST
@console_view(CHANGE_PROGRAMME)
def decline(request: HttpRequest, console: Console, statement: int) -> HttpResponse:
    found = _statement(console, statement)
    form = DeclineForm(request.POST)
    form.is_valid()
    return act(
        request,
        lambda: domain.decline_statement(
            actor=request.user, statement=found, reason=form.cleaned_data.get("reason", "")
        ),
        success=_("Statement declined; the organisation is told why."),
        to=_back(found),
    )
