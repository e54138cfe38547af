"""Side-event proposals in the workspace: propose one for an event that takes proposals (the
person chooses which of their organisations proposes), follow one's organisations'
proposals (status, the secretariat's reason, the session once accepted), withdraw one.

State changes: ``forum.domain.proposals`` only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.core.forms import act, attempt
from pledgebook.forum.domain import proposals as domain
from pledgebook.forum.models import Event, SideEventProposal
from pledgebook.workspace.forms_forum import ProposalForm


def _user(request: HttpRequest) -> Any:
    return request.user  # signed in: the views are login_required


def public_event(programme: str, event: str) -> Event:
    return get_object_or_404(
        Event.objects.public().select_related("programme"),
        programme__slug=programme,
        slug=event,
    )


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "workspace/denied.html", {"message": message}, status=403)


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The published events: register, mark sessions, propose a side event."""
    found = Event.objects.public().select_related("programme").order_by("-starts_on", "name")
    rows = [
        {
            "event": event,
            "can_propose": request.user.has_perm("forum.propose_side_event", event),
            "can_register": request.user.has_perm("forum.register", event),
            "registration": event.registrations.filter(user=request.user).first(),
        }
        for event in found
    ]
    return render(request, "workspace/forum/events.html", {"rows": rows, "current": "forum_events"})


@login_required
def propose(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    found = public_event(programme, event)
    if not found.proposals_open:
        return _denied(request, _("This event does not take side-event proposals."))
    if not request.user.has_perm("forum.propose_side_event", found):
        return _denied(
            request,
            _("Side events are proposed by organisations: act for one to propose a side event."),
        )
    form = ProposalForm(request.POST or None, event=found, user=request.user)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda _data: domain.propose_side_event(
                actor=request.user, event=found, **form.domain_values()
            ),
        )
    ):
        messages.success(
            request,
            _("Side event “%(title)s” proposed. The secretariat tells you its decision by mail.")
            % {"title": done.value.title},
        )
        return redirect("workspace:forum_proposals")
    return render(
        request,
        "workspace/forum/propose.html",
        {"form": form, "event": found, "current": "forum_events"},
    )


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    found = (
        SideEventProposal.objects.filter(organisation__representative__user=_user(request))
        .select_related("event__programme", "organisation", "room", "session")
        .prefetch_related("co_organisers")
        .distinct()
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "workspace/forum/proposals.html",
        {"proposals": found, "current": "forum_proposals"},
    )


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        SideEventProposal.objects.filter(
            organisation__representative__user=_user(request)
        ).distinct(),
        pk=pk,
    )
    return act(
        request,
        lambda: domain.withdraw_proposal(actor=request.user, proposal=proposal),
        success=_("Proposal withdrawn."),
        to=reverse("workspace:forum_proposals"),
    )
