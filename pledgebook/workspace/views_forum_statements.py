"""An organisation's written statements for plenaries: submit one, see one's statements and
what the secretariat decided, withdraw one not yet decided (``forum.domain.statements``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pledgebook.core.forms import act, attempt
from pledgebook.forum.domain import statements as domain
from pledgebook.forum.models import Session, Statement
from pledgebook.organisations.models import Organisation


def _session_label(session: Session) -> str:
    start = formats.date_format(session.starts_at.astimezone(session.event.zone), "DATETIME_FORMAT")
    return f"{session.event.name}: {session.title} ({start})"


class StatementForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"), queryset=Organisation.objects.none()
    )
    session = forms.ModelChoiceField(
        label=gettext_lazy("Plenary session"), queryset=Session.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    text = forms.CharField(
        label=gettext_lazy("Statement"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "The text the secretariat reads; if selected, it is published on the session page "
            "under your organisation's name."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations: Any = self.fields["organisation"]
        organisations.queryset = Organisation.objects.filter(representative__user=user).order_by(
            "name"
        )
        sessions = domain.open_plenaries()
        field: Any = self.fields["session"]
        field.queryset = sessions
        field.label_from_instance = _session_label


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    initial = {"session": request.GET.get("session")} if request.GET.get("session") else None
    form = StatementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.submit_statement(
                actor=request.user,
                session=data["session"],
                organisation=data["organisation"],
                title=data["title"],
                text=data["text"],
            ),
        )
    ):
        messages.success(
            request,
            _("Statement “%(title)s” submitted: the secretariat will tell you its decision.")
            % {"title": done.value.title},
        )
        return redirect("workspace:forum_statements")
    return render(
        request,
        "workspace/forum/statement_form.html",
        {"form": form, "has_organisation": form.fields["organisation"].queryset.exists()},  # type: ignore[attr-defined]
        status=400 if form.errors else 200,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = (
        Statement.objects.filter(organisation__representative__user=user)
        .select_related("organisation", "session", "session__event")
        .order_by("-created_at", "-pk")
    )
    return render(request, "workspace/forum/statements.html", {"statements": rows})


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk, organisation__representative__user=request.user)
    return act(
        request,
        lambda: domain.withdraw_statement(actor=request.user, statement=statement),
        success=_("Statement withdrawn."),
        to=reverse("workspace:forum_statements"),
    )
