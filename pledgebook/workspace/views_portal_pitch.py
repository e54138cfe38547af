"""The pitch pipeline in the workspace (``portal.pitch``): a commitment's maker or a
coalition's lead writes its scale-up plan with evidence from its own reports, submits it,
answers the secretariat's invitation, and sees the investors it matches; an investor
organisation keeps its profile, sees its ranked matches with their reasons and what its hard
constraints filtered out, records interest and outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.commitments.models import Commitment
from pledgebook.core.forms import act, attempt
from pledgebook.organisations.models import Organisation
from pledgebook.portal.models.pitch import (
    InvestorInterest,
    InvestorProfile,
    PitchInvitation,
    PitchOutcome,
    ScaleUpPlan,
    Stage,
)
from pledgebook.portal.pitch import domain, matching
from pledgebook.portal.pitch.rules import INVESTOR_CATEGORIES
from pledgebook.workspace.forms_portal_pitch import OutcomeForm, PlanForm, ProfileForm

SHOWN_MATCHES = 25


def _partnerships(user: Any) -> list[Any]:
    commitments = Commitment.objects.filter(
        organisation__representative__user=user, status__in=Commitment.PUBLIC_STATUSES
    ).select_related("programme")
    coalitions = Coalition.objects.filter(
        memberships__organisation__representative__user=user,
        memberships__role=Membership.Role.LEAD,
        memberships__status=Membership.Status.ACTIVE,
        state__in=[Coalition.State.ACCEPTED, Coalition.State.ACTIVE],
    ).select_related("programme")
    plans = ScaleUpPlan.objects.exclude(status=ScaleUpPlan.Status.WITHDRAWN)
    by_commitment = {p.commitment_id: p for p in plans.filter(commitment__in=commitments)}
    by_coalition = {p.coalition_id: p for p in plans.filter(coalition__in=coalitions)}
    rows: list[tuple[Any, str, ScaleUpPlan | None, str]] = [
        (c, _("Commitment"), by_commitment.get(c.pk), "commitment") for c in commitments
    ]
    rows += [
        (c, _("Coalition"), by_coalition.get(c.pk), "coalition") for c in coalitions.distinct()
    ]
    return rows


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    invitations = (
        PitchInvitation.objects.filter(organisation__representative__user=user)
        .select_related("programme", "commitment", "coalition")
        .order_by("-created_at")
    )
    investors = domain.investor_organisations(user)
    profiles = {
        p.organisation_id: p for p in InvestorProfile.objects.filter(organisation__in=investors)
    }
    return render(
        request,
        "workspace/pitch/index.html",
        {
            "partnerships": _partnerships(user),
            "invitations": invitations,
            "investors": [(o, profiles.get(o.pk)) for o in investors],
        },
    )


def _partnership_of(request: HttpRequest) -> Any:
    kind = request.GET.get("kind") or request.POST.get("kind")
    pk = request.GET.get("pk") or request.POST.get("pk")
    if not (pk or "").isdigit() or kind not in ("commitment", "coalition"):
        raise Http404
    model: Any = Commitment if kind == "commitment" else Coalition
    return get_object_or_404(model, pk=pk)


def _plan_page(request: HttpRequest, partnership: Any, plan: ScaleUpPlan | None) -> HttpResponse:
    user: Any = request.user
    if not user.has_perm("pitch.plan_for", partnership):
        raise PermissionDenied
    organisation = plan.organisation if plan else domain.plan_organisation(user, partnership)
    initial = PlanForm.initial_of(plan) if plan else {"title": str(partnership)}
    form = PlanForm(
        request.POST or None, partnership=partnership, organisation=organisation, initial=initial
    )
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.save_plan(
                actor=user, partnership=partnership, plan=plan, **form.domain_values()
            ),
        )
    ):
        messages.success(request, _("Scale-up plan saved."))
        return redirect("workspace:pitch_plan", pk=done.value.pk)
    ranking = matching.plan_matches(plan) if plan and plan.status != "withdrawn" else None
    investors = {}
    if ranking:
        investors = InvestorProfile.objects.select_related("organisation").in_bulk(
            [m.investor_id for m in ranking.matches]
        )
    return render(
        request,
        "workspace/pitch/plan.html",
        {
            "form": form,
            "plan": plan,
            "partnership": partnership,
            "kind": "commitment" if isinstance(partnership, Commitment) else "coalition",
            "ranking": ranking,
            "rows": [(investors[m.investor_id], m) for m in ranking.matches] if ranking else [],
            "call": domain.open_call(partnership.programme),
            "editable": plan is None or plan.status in ("draft", "submitted", "invited"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    partnership = _partnership_of(request)
    existing = (
        ScaleUpPlan.objects.filter(
            **{"commitment" if isinstance(partnership, Commitment) else "coalition": partnership}
        )
        .exclude(status=ScaleUpPlan.Status.WITHDRAWN)
        .first()
    )
    if existing is not None and request.user.has_perm("pitch.change_plan", existing):
        return redirect("workspace:pitch_plan", pk=existing.pk)
    return _plan_page(request, partnership, None)


def _my_plan(request: HttpRequest, pk: int) -> ScaleUpPlan:
    plan = get_object_or_404(ScaleUpPlan.objects.select_related("programme"), pk=pk)
    if not request.user.has_perm("pitch.change_plan", plan):
        raise Http404
    return plan


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _my_plan(request, pk)
    return _plan_page(request, plan.partnership, plan)


@require_POST
@login_required
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _my_plan(request, pk)
    return act(
        request,
        lambda: domain.submit_plan(actor=request.user, plan=plan),
        success=_("Scale-up plan submitted to the pitch segment."),
        to=reverse("workspace:pitch_plan", args=[plan.pk]),
    )


@require_POST
@login_required
def plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _my_plan(request, pk)
    return act(
        request,
        lambda: domain.withdraw_plan(actor=request.user, plan=plan),
        success=_("Scale-up plan withdrawn."),
        to=reverse("workspace:pitch"),
    )


@require_POST
@login_required
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(PitchInvitation, pk=pk)
    if not request.user.has_perm("pitch.answer_invitation", invitation):
        raise Http404
    accept = request.POST.get("answer") == "accept"
    return act(
        request,
        lambda: domain.answer_invitation(actor=request.user, invitation=invitation, accept=accept),
        success=_("Invitation accepted: write and submit your scale-up plan.")
        if accept
        else _("Invitation declined."),
        to=reverse("workspace:pitch"),
    )


# Investors -----------------------------------------------------------------------------------


def _investor_org(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("pitch.keep_profile", organisation):
        raise Http404
    return organisation


@login_required
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _investor_org(request, slug)
    existing = InvestorProfile.objects.filter(organisation=organisation).first()
    form = ProfileForm(
        request.POST or None,
        kinds=INVESTOR_CATEGORIES[organisation.category],
        initial=ProfileForm.initial_of(existing) if existing else None,
    )
    if request.method == "POST" and attempt(
        form,
        lambda data: domain.save_profile(
            actor=request.user, organisation=organisation, **form.domain_values()
        ),
    ):
        messages.success(request, _("Investor profile saved."))
        return redirect("workspace:pitch_matches", slug=organisation.slug)
    return render(
        request,
        "workspace/pitch/profile.html",
        {"form": form, "organisation": organisation, "profile": existing},
        status=400 if form.errors else 200,
    )


@login_required
def matches(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _investor_org(request, slug)
    investor = InvestorProfile.objects.filter(organisation=organisation).first()
    if investor is None:
        return redirect("workspace:pitch_profile", slug=slug)
    ranking = matching.investor_matches(investor, limit=SHOWN_MATCHES)
    shown = [m.plan_id for m in ranking.matches]
    plans: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in ScaleUpPlan.objects.filter(pk__in=shown).values(
            "pk",
            "title",
            "amount",
            "currency_id",
            "stage",
            "status",
            "organisation__name",
            "programme__name",
        )
    }
    stages, statuses = dict(Stage.choices), dict(ScaleUpPlan.Status.choices)
    for row in plans.values():
        row["stage_label"] = stages.get(row["stage"], "")
        row["status_label"] = statuses.get(row["status"], "")
    interests = set(
        InvestorInterest.objects.filter(investor=investor, plan_id__in=shown).values_list(
            "plan_id", flat=True
        )
    )
    outcomes = dict(
        PitchOutcome.objects.filter(investor=investor, plan_id__in=shown).values_list(
            "plan_id", "status"
        )
    )
    labels = dict(PitchOutcome.Status.choices)
    return render(
        request,
        "workspace/pitch/matches.html",
        {
            "organisation": organisation,
            "investor": investor,
            "ranking": ranking,
            "rows": [
                (
                    plans[m.plan_id],
                    m,
                    m.plan_id in interests,
                    outcomes.get(m.plan_id, ""),
                    labels.get(outcomes.get(m.plan_id, ""), ""),
                )
                for m in ranking.matches
                if m.plan_id in plans
            ],
        },
    )


@require_POST
@login_required
def interest(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _investor_org(request, slug)
    investor = get_object_or_404(InvestorProfile, organisation=organisation)
    plan = get_object_or_404(ScaleUpPlan, pk=pk, status__in=ScaleUpPlan.IN_PIPELINE)
    return act(
        request,
        lambda: domain.record_interest(
            actor=request.user, investor=investor, plan=plan, note=request.POST.get("note", "")
        ),
        success=_("Interest recorded: the partnership and the secretariat are told."),
        to=reverse("workspace:pitch_matches", args=[slug]),
    )


@login_required
def outcome(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _investor_org(request, slug)
    investor = get_object_or_404(InvestorProfile, organisation=organisation)
    plan = get_object_or_404(ScaleUpPlan, pk=pk, status__in=ScaleUpPlan.IN_PIPELINE)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and attempt(
        form,
        lambda data: domain.record_outcome(
            actor=request.user, plan=plan, investor=investor, **form.domain_values()
        ),
    ):
        messages.success(request, _("Outcome recorded."))
        return redirect("workspace:pitch_matches", slug=slug)
    return render(
        request,
        "workspace/pitch/outcome.html",
        {"form": form, "plan": plan, "organisation": organisation},
        status=400 if form.errors else 200,
    )
