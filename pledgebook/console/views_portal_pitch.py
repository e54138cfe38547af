"""The pitch segment in the console (``portal.pitch``): the secretariat of a programme keeps
its open call, finds partnerships itself and invites them, shortlists plans, schedules them
into the forum's pitch session, sees investors' interest and records outcomes.  Every query
keeps to the programme of the URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pledgebook.coalitions.models import Coalition
from pledgebook.commitments.models import Commitment
from pledgebook.console.access import Console, console_view
from pledgebook.console.forms import ConsoleForm
from pledgebook.core.forms import act, attempt
from pledgebook.forum.models import Session
from pledgebook.portal.models.pitch import (
    InvestorInterest,
    InvestorProfile,
    PitchInvitation,
    PitchOutcome,
    ScaleUpPlan,
)
from pledgebook.portal.pitch import domain
from pledgebook.workspace.forms_portal_pitch import OutcomeForm

CURATE = "pitch.curate"
_MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(ConsoleForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = forms.DateTimeField(label=gettext_lazy("Call opens"), widget=_MOMENT)
    closes_at = forms.DateTimeField(label=gettext_lazy("Call closes"), widget=_MOMENT)
    session = forms.ModelChoiceField(
        label=gettext_lazy("Pitch session of the forum"),
        queryset=Session.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["session"]
        field.queryset = Session.objects.filter(
            event__programme=programme, kind=Session.Kind.PITCH
        ).select_related("event")
        field.label_from_instance = lambda s: f"{s.event.name}: {s.title}"


class InvestorOutcomeForm(OutcomeForm):
    investor = forms.ModelChoiceField(
        label=gettext_lazy("Investor"), queryset=InvestorProfile.objects.none()
    )
    field_order = ["investor", "status", "amount", "currency", "instrument", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["investor"]
        field.queryset = InvestorProfile.objects.select_related("organisation")


def _plan(console: Console, pk: int) -> ScaleUpPlan:
    return get_object_or_404(ScaleUpPlan, pk=pk, programme=console.programme)


def _back(console: Console) -> str:
    return reverse("console:pitch", args=[console.programme.slug])


def _found(programme: Any, q: str) -> list[tuple[str, Any]]:
    """Public commitments and live coalitions of the programme whose title holds ``q``."""
    if not q:
        return []
    commitments = Commitment.objects.filter(
        programme=programme, status__in=Commitment.PUBLIC_STATUSES, title__icontains=q
    ).select_related("organisation")[:20]
    coalitions = Coalition.objects.filter(
        programme=programme,
        state__in=[Coalition.State.ACCEPTED, Coalition.State.ACTIVE],
        name__icontains=q,
    )[:20]
    return [("commitment", c) for c in commitments] + [("coalition", c) for c in coalitions]


@console_view(CURATE)
def pitch(request: HttpRequest, console: Console) -> HttpResponse:
    programme = console.programme
    call = domain.open_call(programme)
    status = request.GET.get("status", "")
    plans = (
        ScaleUpPlan.objects.filter(programme=programme)
        .exclude(status=ScaleUpPlan.Status.DRAFT)
        .select_related("organisation", "currency", "session")
        .prefetch_related(
            Prefetch(
                "interests",
                queryset=InvestorInterest.objects.select_related("investor__organisation"),
            ),
            Prefetch(
                "outcomes",
                queryset=PitchOutcome.objects.select_related("investor__organisation"),
            ),
        )
        .order_by("status", "-submitted_at", "-pk")
    )
    if status in ScaleUpPlan.Status.values:
        plans = plans.filter(status=status)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "console/pitch/pitch.html",
        {
            "console": console,
            "call": call,
            "plans": plans,
            "status": status,
            "statuses": ScaleUpPlan.Status.choices,
            "q": q,
            "found": _found(programme, q),
            "invitations": PitchInvitation.objects.filter(programme=programme).select_related(
                "commitment", "coalition", "organisation"
            ),
        },
    )


@console_view(CURATE)
def call(request: HttpRequest, console: Console) -> HttpResponse:
    existing = domain.open_call(console.programme)
    initial = None
    if existing:
        initial = {
            "title": existing.title,
            "description": existing.description,
            "opens_at": existing.opens_at,
            "closes_at": existing.closes_at,
            "session": existing.session_id,
        }
    form = CallForm(request.POST or None, programme=console.programme, initial=initial)
    if request.method == "POST" and attempt(
        form,
        lambda d: domain.save_call(
            actor=request.user,
            programme=console.programme,
            title=d["title"],
            description=d["description"],
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            session=d["session"],
        ),
    ):
        messages.success(request, _("Call for scale-up plans saved."))
        return redirect(_back(console))
    return render(
        request,
        "console/pitch/call.html",
        {"console": console, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@console_view(CURATE)
def invite(request: HttpRequest, console: Console) -> HttpResponse:
    kind, pk = request.POST.get("kind"), request.POST.get("pk", "")
    if kind not in ("commitment", "coalition") or not pk.isdigit():
        raise Http404
    model: Any = Commitment if kind == "commitment" else Coalition
    partnership = get_object_or_404(model, pk=pk, programme=console.programme)
    return act(
        request,
        lambda: domain.invite(
            actor=request.user,
            programme=console.programme,
            partnership=partnership,
            message=request.POST.get("message", ""),
        ),
        success=_("Invitation sent."),
        to=_back(console),
    )


@require_POST
@console_view(CURATE)
def shortlist(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    plan = _plan(console, pk)
    return act(
        request,
        lambda: domain.shortlist_plan(actor=request.user, plan=plan),
        success=_("Plan shortlisted."),
        to=_back(console),
    )


@require_POST
@console_view(CURATE)
def schedule(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    plan = _plan(console, pk)
    return act(
        request,
        lambda: domain.schedule_plan(actor=request.user, plan=plan),
        success=_("Plan scheduled into the pitch session."),
        to=_back(console),
    )


@console_view(CURATE)
def outcome(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    plan = _plan(console, pk)
    form = InvestorOutcomeForm(request.POST or None)
    if request.method == "POST" and attempt(
        form,
        lambda d: domain.record_outcome(
            actor=request.user, plan=plan, investor=d["investor"], **form.domain_values()
        ),
    ):
        messages.success(request, _("Outcome recorded."))
        return redirect(_back(console))
    return render(
        request,
        "console/pitch/outcome.html",
        {"console": console, "form": form, "plan": plan},
        status=400 if form.errors else 200,
    )
