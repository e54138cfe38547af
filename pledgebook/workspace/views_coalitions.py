"""The coalition hub in an organisation's workspace: expressions of interest (EOIs) drafted,
submitted and shown with the similar EOIs and coalitions; invitations to merge; the coalitions
the person's organisations belong to and the join requests their leads decide.

Views read, validate and call ``coalitions.domain`` / ``coalitions.merge``; a refusal is a 403
or 404 and changes nothing.  A failed submission keeps the draft (saved first).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from pledgebook.coalitions import domain, merge
from pledgebook.coalitions.models import (
    Coalition,
    ExpressionOfInterest,
    Membership,
    MergeInvitation,
)
from pledgebook.coalitions.similar import Suggestion, similar_to, similar_to_draft
from pledgebook.coalitions.validation import membership_key
from pledgebook.core.forms import act, add_domain_errors
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Goal
from pledgebook.workspace.forms_coalitions import (
    EOIForm,
    MemberFormSet,
    MilestoneFormSet,
    lines,
)

MembershipStatus = Membership.Status
logger = logging.getLogger(__name__)


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "workspace/denied.html", {"message": message}, status=403)


def my_organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(representative__user=user).order_by("name")


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _split_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in errs] for name, errs in exc.message_dict.items()}
    return {"__all__": _messages_of(exc)}


# Lists -----------------------------------------------------------------------------------------


def _coalitions_of(user: Any) -> QuerySet[Coalition]:
    return (
        Coalition.objects.filter(
            memberships__organisation__representative__user=user,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(state=Coalition.State.MERGED)
        .select_related("programme")
        .distinct()
        .order_by("name", "id")
    )


def _incoming_invitations(user: Any) -> QuerySet[MergeInvitation]:
    led = Membership.objects.filter(
        organisation__representative__user=user,
        role=Membership.Role.LEAD,
        status=MembershipStatus.ACTIVE,
        coalition__isnull=False,
    ).values("coalition_id")
    return (
        MergeInvitation.objects.filter(status=MergeInvitation.Status.PENDING)
        .filter(Q(to_eoi__organisation__representative__user=user) | Q(to_coalition__in=led))
        .select_related("from_eoi__organisation", "to_eoi", "to_coalition")
        .distinct()
    )


def _join_requests(user: Any) -> QuerySet[Membership]:
    led = Membership.objects.filter(
        organisation__representative__user=user,
        role=Membership.Role.LEAD,
        status=MembershipStatus.ACTIVE,
        coalition__isnull=False,
    ).values("coalition_id")
    return (
        Membership.objects.filter(coalition__in=led, status=MembershipStatus.REQUESTED)
        .select_related("organisation__country", "coalition")
        .order_by("created_at", "id")
    )


def _membership_invitations(user: Any) -> QuerySet[Membership]:
    """Invitations to join a coalition or an EOI addressed to the user's organisations or to
    the user's e-mail address (organisations not yet on the platform when invited)."""
    return (
        Membership.objects.filter(status=MembershipStatus.INVITED)
        .filter(
            Q(organisation__representative__user=user)
            | Q(organisation__isnull=True, invited_email__iexact=user.email)
        )
        .select_related("organisation", "coalition", "eoi")
        .distinct()
        .order_by("created_at", "id")
    )


@login_required
def eoi_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    eois = (
        ExpressionOfInterest.objects.filter(organisation__representative__user=user)
        .select_related("programme", "organisation", "coalition")
        .distinct()
        .order_by("-updated_at", "-id")
    )
    return render(
        request,
        "workspace/coalitions/list.html",
        {
            "eois": list(eois),
            "coalitions": list(_coalitions_of(user)),
            "invitations": list(_incoming_invitations(user)),
            "join_requests": list(_join_requests(user)),
            "membership_invitations": list(_membership_invitations(user)),
            "my_organisations": list(my_organisations(user).order_by("name")),
            "programmes": list(Programme.objects.filter(is_published=True).order_by("name")),
            "has_organisation": my_organisations(user).exists(),
            "public_states": Coalition.PUBLIC_STATES,
        },
    )


# The EOI form ----------------------------------------------------------------------------------


def _initial(eoi: ExpressionOfInterest) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    initial = {
        "title": eoi.title,
        "summary": eoi.summary,
        "is_pre_existing": eoi.is_pre_existing,
        "themes": list(eoi.themes.all()),
        "goals": list(eoi.goals.all()),
        "principles": "\n".join(p.text for p in eoi.principles.all()),  # type: ignore[attr-defined]
        "asks": "\n".join(a.text for a in eoi.asks.all()),  # type: ignore[attr-defined]
    }
    milestones = [
        {"title": m.title, "due_on": m.due_on}
        for m in eoi.milestones.all()  # type: ignore[attr-defined]
    ]
    return initial, milestones


def _taken(eoi: ExpressionOfInterest | None, organisation: Organisation | None) -> dict[Any, str]:
    if eoi is not None:
        return {
            membership_key(m): m.display_name
            for m in eoi.memberships.select_related("organisation")  # type: ignore[attr-defined]
        }
    if organisation is not None:
        return {("organisation", organisation.pk): str(organisation)}
    return {}


def _eoi_form(
    request: HttpRequest, programme: Programme, eoi: ExpressionOfInterest | None
) -> HttpResponse:
    user: Any = request.user
    organisations = my_organisations(user) if eoi is None else None
    errors: dict[str, list[str]] = {}
    has_errors = False
    if request.method == "POST":
        form = EOIForm(request.POST, programme=programme, organisations=organisations)
        milestones = MilestoneFormSet(request.POST, prefix="milestones")
        chosen = None
        if organisations is not None:
            chosen = organisations.filter(pk=request.POST.get("organisation") or 0).first()
        members = MemberFormSet(
            request.POST,
            prefix="members",
            taken=_taken(eoi, chosen),
            form_kwargs={"programme": programme},
        )
        valid = form.is_valid() & milestones.is_valid() & members.is_valid()
        if valid:
            data = form.cleaned_data
            parts: dict[str, Any] = {
                "title": data["title"],
                "summary": data["summary"],
                "is_pre_existing": data["is_pre_existing"],
                "principles": form.principle_list,
                "asks": form.ask_list,
                "milestones": milestones.inputs(),
                "themes": list(data["themes"]),
                "goals": list(data["goals"]),
            }
            saved = eoi
            try:
                if eoi is None:
                    saved = domain.create_eoi(
                        actor=user,
                        programme=programme,
                        organisation=data["organisation"],
                        **parts,
                    )
                else:
                    saved = domain.update_eoi(actor=user, eoi=eoi, **parts)
            except ValidationError as exc:
                errors = _split_errors(exc)
            assert saved is not None or errors
            if saved is not None and not errors and members.inputs():
                try:
                    domain.add_members(actor=user, container=saved, members=members.inputs())
                except ValidationError as exc:
                    errors = _split_errors(exc)
                else:
                    members = MemberFormSet(
                        prefix="members",
                        taken=_taken(saved, None),
                        form_kwargs={"programme": programme},
                    )
            if saved is not None and not errors and "submit" in request.POST:
                try:
                    saved = domain.submit_eoi(actor=user, eoi=saved)
                except ValidationError as exc:
                    errors = _split_errors(exc)
                    messages.warning(
                        request,
                        _("Your draft is saved, but it cannot be submitted yet: see below."),
                    )
                else:
                    if saved.is_late:
                        messages.success(
                            request,
                            _(
                                "Submitted after the deadline: your expression of interest is "
                                "for co-creation at and after the conference."
                            ),
                        )
                    else:
                        messages.success(request, _("Submitted: the secretariat will review it."))
                    return redirect("workspace:coalition_eoi", pk=saved.pk)
            if saved is not None and not errors:
                messages.success(request, _("Your draft is saved."))
                return redirect("workspace:coalition_eoi_edit", pk=saved.pk)
            if errors:
                add_domain_errors(
                    form, {k: v for k, v in errors.items() if k not in ("milestones", "members")}
                )
            eoi = saved
        has_errors = not valid or bool(errors)
    else:
        initial: dict[str, Any] = {}
        milestone_initial: list[dict[str, Any]] = []
        if eoi is not None:
            initial, milestone_initial = _initial(eoi)
        form = EOIForm(initial=initial, programme=programme, organisations=organisations)
        milestones = MilestoneFormSet(initial=milestone_initial, prefix="milestones")
        members = MemberFormSet(
            prefix="members", taken=_taken(eoi, None), form_kwargs={"programme": programme}
        )
    current_members = []
    if eoi is not None:
        current_members = list(
            eoi.memberships.select_related("organisation")  # type: ignore[attr-defined]
        )
    if request.method == "POST":  # shown again: the panel for what was typed, saved or not
        suggestions = _draft_suggestions(request.POST, programme, eoi, organisations)
    elif eoi is not None:
        suggestions = similar_to(eoi, k=5)
    else:
        suggestions = []
    return render(
        request,
        "workspace/coalitions/eoi_form.html",
        {
            "suggestions": suggestions,
            "typed": eoi is not None or _typed(request.POST),
            "draft_url": reverse("workspace:coalition_similar_draft"),
            "form": form,
            "milestones": milestones,
            "members": members,
            "milestone_errors": errors.get("milestones", []),
            "member_errors": errors.get("members", []),
            "has_errors": has_errors,
            "programme": programme,
            "eoi": eoi,
            "current_members": current_members,
            "action": reverse("workspace:coalition_eoi_edit", args=[eoi.pk])
            if eoi is not None
            else reverse("workspace:coalition_eoi_create") + f"?programme={programme.slug}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def eoi_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not my_organisations(user).exists():
        return _denied(request, _("Register your organisation first: an EOI is proposed by one."))
    slug = request.GET.get("programme") or request.POST.get("programme")
    if not slug:
        return redirect("workspace:coalitions")
    programme = get_object_or_404(Programme, slug=slug, is_published=True)
    return _eoi_form(request, programme, None)


def _my_eoi(request: HttpRequest, pk: int, perm: str) -> ExpressionOfInterest:
    eoi = get_object_or_404(ExpressionOfInterest.objects.select_related("programme"), pk=pk)
    if not request.user.has_perm(perm, eoi):
        raise PermissionDenied
    return eoi


@login_required
@require_http_methods(["GET", "POST"])
def eoi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    eoi = _my_eoi(request, pk, "coalitions.view_expressionofinterest")
    if not request.user.has_perm("coalitions.change_expressionofinterest", eoi):
        return _denied(
            request,
            _("This expression of interest can no longer be changed: it is %(status)s.")
            % {"status": eoi.get_status_display().lower()},
        )
    return _eoi_form(request, eoi.programme, eoi)


# Similar initiatives while typing ---------------------------------------------------------------


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()][:100]


def _draft_suggestions(
    data: Any,
    programme: Programme,
    eoi: ExpressionOfInterest | None,
    organisations: QuerySet[Organisation] | None,
) -> list[Suggestion]:
    """The similar initiatives for the EOI form's unsaved fields (``data``: request.POST)."""
    organisation = None
    chosen = _ids([data.get("organisation") or ""])
    if eoi is None and organisations is not None and chosen:
        organisation = organisations.filter(pk=chosen[0]).first()
    return similar_to_draft(
        programme=programme,
        eoi=eoi,
        organisation=organisation,
        title=(data.get("title") or "")[:300],
        summary=data.get("summary") or "",
        principles=lines(data.get("principles") or ""),
        asks=lines(data.get("asks") or ""),
        themes=list(Theme.objects.filter(programme=programme, pk__in=_ids(data.getlist("themes")))),
        goals=list(Goal.objects.filter(pk__in=_ids(data.getlist("goals")))),
    )


def _typed(data: Any) -> bool:
    return any((data.get(f) or "").strip() for f in ("title", "summary", "principles", "asks"))


def _draft_throttled(request: HttpRequest) -> bool:
    """Count this request against the user's limit (SIMILAR_DRAFT_RATE, default 30 a minute:
    each request embeds a text, 50-500 ms of CPU).  Fails open, with a warning, when the cache
    cannot be reached: the panel is a convenience, not a gate."""
    try:
        return bool(
            is_ratelimited(
                request,
                group="workspace.similar_draft",
                key="user",
                rate=getattr(settings, "SIMILAR_DRAFT_RATE", "30/m"),
                method="POST",
                increment=True,
            )
        )
    except Exception:  # the cache is down: log it and let the request through
        logger.warning("similar-draft rate limit not counted: the cache failed", exc_info=True)
        return False


@login_required
@require_POST
def eoi_similar_draft(request: HttpRequest) -> HttpResponse:
    """The "similar initiatives" panel for the expression of interest being typed: the EOI form
    posts its unsaved fields here (HTMX, a moment after the proposer stops typing) and gets the
    panel back.  Nothing is saved or indexed.  Limited per user; over the limit the panel says
    so (429) and the next save shows it again."""
    user: Any = request.user
    eoi = None
    if request.POST.get("eoi"):
        try:
            pk = int(request.POST["eoi"])
        except ValueError:
            raise Http404 from None
        eoi = get_object_or_404(ExpressionOfInterest.objects.select_related("programme"), pk=pk)
        if not user.has_perm("coalitions.change_expressionofinterest", eoi):
            raise PermissionDenied
        programme = eoi.programme
        organisations = None
    else:
        organisations = my_organisations(user)
        if not organisations.exists():
            raise PermissionDenied
        programme = get_object_or_404(
            Programme, slug=request.POST.get("programme") or "", is_published=True
        )
    template = "workspace/coalitions/_suggestions_list.html"
    if _draft_throttled(request):
        return render(request, template, {"throttled": True, "live": True}, status=429)
    suggestions = _draft_suggestions(request.POST, programme, eoi, organisations)
    return render(
        request,
        template,
        {"suggestions": suggestions, "live": True, "typed": _typed(request.POST)},
    )


# The EOI page ----------------------------------------------------------------------------------


@login_required
def eoi_detail(request: HttpRequest, pk: int) -> HttpResponse:
    eoi = _my_eoi(request, pk, "coalitions.view_expressionofinterest")
    user: Any = request.user
    is_proposer = user.has_perm("coalitions.invite_to_merge", eoi)
    suggestions = similar_to(eoi, k=5) if eoi.is_open else []
    return render(
        request,
        "workspace/coalitions/eoi_detail.html",
        {
            "eoi": eoi,
            "principles": list(eoi.principles.all()),  # type: ignore[attr-defined]
            "asks": list(eoi.asks.all()),  # type: ignore[attr-defined]
            "milestones": list(eoi.milestones.all()),  # type: ignore[attr-defined]
            "memberships": list(
                eoi.memberships.select_related("organisation")  # type: ignore[attr-defined]
            ),
            "suggestions": suggestions,
            "is_proposer": is_proposer,
            "can_edit": user.has_perm("coalitions.change_expressionofinterest", eoi),
            "can_submit": user.has_perm("coalitions.submit_expressionofinterest", eoi),
            "received": list(
                eoi.merge_invitations_received.filter(  # type: ignore[attr-defined]
                    status=MergeInvitation.Status.PENDING
                ).select_related("from_eoi__organisation")
            ),
            "sent": list(
                eoi.merge_invitations_sent.select_related(  # type: ignore[attr-defined]
                    "to_eoi", "to_coalition"
                )
            ),
            "public_states": Coalition.PUBLIC_STATES,
        },
    )


@login_required
@require_POST
def eoi_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a similar EOI or coalition to merge with this one."""
    eoi = _my_eoi(request, pk, "coalitions.invite_to_merge")
    kind = request.POST.get("kind")
    try:
        target_id = int(request.POST.get("target") or 0)
    except ValueError:
        target_id = 0
    target: ExpressionOfInterest | Coalition
    if kind == "eoi":
        target = get_object_or_404(
            ExpressionOfInterest.objects.exclude(status=ExpressionOfInterest.Status.DRAFT),
            pk=target_id,
        )
    elif kind == "coalition":
        target = get_object_or_404(Coalition.objects.live(), pk=target_id)
    else:
        return _denied(request, _("Choose what to invite."))
    return act(
        request,
        lambda: merge.invite_to_merge(
            actor=request.user,
            from_eoi=eoi,
            to_eoi_or_coalition=target,
            message=request.POST.get("message", ""),
        ),
        success=_("“%(name)s” is invited to merge with your expression of interest.")
        % {"name": target},
        to=reverse("workspace:coalition_eoi", kwargs={"pk": eoi.pk}),
    )


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    invitation = get_object_or_404(MergeInvitation, pk=pk)
    if not request.user.has_perm("coalitions.answer_merge_invitation", invitation):
        raise PermissionDenied
    to = reverse("workspace:coalitions")
    if answer == "accept":
        return act(
            request,
            lambda: merge.accept_merge_invitation(actor=request.user, invitation=invitation),
            success=lambda record: (
                _("Merged: “%(name)s” now holds both.") % {"name": record.target}
            ),
            to=to,
        )
    if answer == "decline":
        return act(
            request,
            lambda: merge.decline_merge_invitation(
                actor=request.user, invitation=invitation, reason=request.POST.get("reason", "")
            ),
            success=_("Invitation declined."),
            to=to,
        )
    raise PermissionDenied


@login_required
@require_POST
def join_request_decide(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk, coalition__isnull=False)
    if not request.user.has_perm("coalitions.manage_membership", membership):
        raise PermissionDenied
    if answer not in ("accept", "decline"):
        raise PermissionDenied
    message = _("%(org)s has joined.") if answer == "accept" else _("Request of %(org)s declined.")
    return act(
        request,
        lambda: domain.decide_join_request(
            actor=request.user,
            membership=membership,
            accept=answer == "accept",
            reason=request.POST.get("reason", ""),
        ),
        success=message % {"org": membership.display_name},
        to=reverse("workspace:coalitions"),
    )


@login_required
@require_POST
def coalition_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask to join a coalition found in the network, for one of my organisations."""
    coalition = get_object_or_404(Coalition.objects.public(), slug=slug)
    organisation = get_object_or_404(
        my_organisations(request.user), pk=request.POST.get("organisation") or 0
    )
    return act(
        request,
        lambda: domain.request_to_join(
            actor=request.user, coalition=coalition, organisation=organisation
        ),
        success=_("%(org)s asked to join %(coalition)s: its leads decide, and you will get a mail.")
        % {"org": organisation.name, "coalition": coalition.name},
        to=coalition.get_absolute_url(),
    )


@login_required
@require_POST
def membership_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    """Accept or decline an invitation to join; an organisation invited by e-mail names the
    organisation that joins."""
    membership = get_object_or_404(Membership, pk=pk)
    if answer not in ("accept", "decline"):
        raise PermissionDenied
    organisation = None
    if membership.organisation_id is None and request.POST.get("organisation"):
        organisation = get_object_or_404(
            my_organisations(request.user), pk=request.POST["organisation"]
        )
    return act(
        request,
        lambda: domain.respond_to_invitation(
            actor=request.user,
            membership=membership,
            accept=answer == "accept",
            organisation=organisation,
        ),
        success=_("You joined.") if answer == "accept" else _("Invitation declined."),
        to=reverse("workspace:coalitions"),
    )
