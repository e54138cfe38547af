"""The secretariat's side-event proposals of an event: the list (filtered by status) and a
proposal's page, where it is accepted (room and time may be changed) or declined with a
reason.  Every query keeps to the console's programme; state changes go through
``forum.domain.proposals``."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms_forum import (
    AcceptProposalForm,
    DeclineProposalForm,
    ProposalFilterForm,
)
from pledgebook.core.forms import attempt
from pledgebook.forum.domain import proposals as domain
from pledgebook.forum.models import Event, SideEventProposal


def forum_event(console: Console, slug: str) -> Event:
    """The event ``slug`` of the console's programme (another programme's: 404), which the
    person manages (else 403)."""
    event = get_object_or_404(Event.objects.for_programme(console.programme), slug=slug)
    console.require("forum.manage_event", event)
    return event


def event_link(console: Console, event: Event) -> str | None:
    """The console's page of ``event`` (the schedule's pages), when installed."""
    try:
        return reverse(
            "console:forum_event", kwargs={"programme": console.programme.slug, "event": event.slug}
        )
    except NoReverseMatch:
        return None


@console_view(CHANGE_PROGRAMME)
def proposal_list(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = forum_event(console, event)
    form = ProposalFilterForm(request.GET or None)
    rows = (
        SideEventProposal.objects.filter(event=found)
        .select_related("organisation", "room", "session")
        .order_by("starts_at", "pk")
    )
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    if status:
        rows = rows.filter(status=status)
    counts = dict(
        SideEventProposal.objects.filter(event=found)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "console/forum/proposals.html",
        {
            "console": console,
            "event": found,
            "event_url": event_link(console, found),
            "form": form,
            "proposals": rows,
            "counts": [
                (label, counts.get(value, 0)) for value, label in SideEventProposal.Status.choices
            ],
        },
    )


@console_view(CHANGE_PROGRAMME)
def proposal_detail(request: HttpRequest, console: Console, event: str, pk: int) -> HttpResponse:
    found = forum_event(console, event)
    proposal = get_object_or_404(
        SideEventProposal.objects.filter(event=found).select_related(
            "organisation", "proposed_by", "room", "session", "decided_by"
        ),
        pk=pk,
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    accept = AcceptProposalForm(request.POST if decision == "accept" else None, proposal=proposal)
    decline = DeclineProposalForm(request.POST if decision == "decline" else None)
    here = request.path
    if decision == "accept" and attempt(
        accept,
        lambda _data: domain.accept_proposal(
            actor=request.user, proposal=proposal, **accept.domain_values()
        ),
    ):
        messages.success(
            request,
            _("Side event accepted: it is on the schedule, and the organisation is told."),
        )
        return redirect(here)
    if decision == "decline" and attempt(
        decline,
        lambda data: domain.decline_proposal(
            actor=request.user, proposal=proposal, reason=data["reason"]
        ),
    ):
        messages.success(request, _("Side event declined; the organisation is told why."))
        return redirect(here)
    zone = found.zone
    return render(
        request,
        "console/forum/proposal.html",
        {
            "console": console,
            "event": found,
            "event_url": event_link(console, found),
            "proposal": proposal,
            "starts": proposal.starts_at.astimezone(zone),
            "ends": proposal.ends_at.astimezone(zone),
            "accept": accept,
            "decline": decline,
            "co_organisers": proposal.co_organisers.order_by("name"),
            "themes": proposal.themes.all(),
            "goals": proposal.goals.all(),
        },
    )
