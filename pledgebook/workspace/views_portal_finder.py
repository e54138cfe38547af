"""The partner finder in the workspace: find partners for one's organisation, coalition or
commitment; contact an organisation through the platform; read and answer contact requests.

Views only read, validate and call ``portal.domain.finder``; a refusal is a 403 or 404 and
changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pledgebook.accounts import throttle
from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.commitments.filters import public_commitments
from pledgebook.commitments.models import Commitment
from pledgebook.core.forms import attempt
from pledgebook.organisations.models import Organisation
from pledgebook.portal.domain import finder as domain
from pledgebook.portal.finder import suggest
from pledgebook.portal.models import ContactRequest
from pledgebook.workspace.forms_portal_finder import ContactForm, ReplyForm


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "workspace/denied.html", {"message": message}, status=403)


def _mine(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(representative__user=user).order_by("name")


def _my_coalitions(user: Any) -> QuerySet[Coalition]:
    return (
        Coalition.objects.live()
        .filter(
            memberships__organisation__representative__user=user,
            memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("name")
    )


def _my_commitments(user: Any) -> QuerySet[Commitment]:
    return Commitment.objects.filter(organisation__representative__user=user).order_by("title")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    mine = _mine(user)
    received = (
        ContactRequest.objects.filter(recipient__in=mine)
        .select_related("sender", "recipient")
        .order_by("-created_at", "-id")[:50]
    )
    sent = (
        ContactRequest.objects.filter(sender__in=mine)
        .select_related("sender", "recipient")
        .order_by("-created_at", "-id")[:50]
    )
    return render(
        request,
        "workspace/portal_finder/home.html",
        {
            "organisations": list(mine),
            "coalitions": list(_my_coalitions(user)),
            "commitments": list(_my_commitments(user).select_related("organisation")),
            "received": list(received),
            "sent": list(sent),
        },
    )


def _find(request: HttpRequest, subject: Any, name: str, about: str) -> HttpResponse:
    return render(
        request,
        "workspace/portal_finder/find.html",
        {"subject_name": name, "suggestions": suggest(subject), "about": about},
    )


@login_required
def find_for_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("organisations.act_for_organisation", org):
        return _denied(request, _("You do not act for this organisation."))
    return _find(request, org, org.name, "")


@login_required
def find_for_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, pk=pk)
    if not request.user.has_perm("organisations.act_for_organisation", commitment.organisation):
        return _denied(request, _("This commitment is not your organisation's."))
    return _find(request, commitment, commitment.title, f"commitment={commitment.pk}")


@login_required
def find_for_coalition(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = get_object_or_404(Coalition, slug=slug)
    if not _my_coalitions(request.user).filter(pk=coalition.pk).exists():
        return _denied(request, _("Your organisation is not a member of this coalition."))
    return _find(request, coalition, coalition.name, f"coalition={coalition.pk}")


def _about(user: Any, data: Any) -> tuple[Commitment | None, Coalition | None]:
    """The commitment or coalition a request is about (from the finder's link): one the public
    sees, or the user's own; anything else is left out."""
    commitment = coalition = None
    if str(data.get("commitment", "")).isdigit():
        commitment = (
            Commitment.objects.filter(
                Q(pk__in=public_commitments().values("pk"))
                | Q(organisation__representative__user=user)
            )
            .filter(pk=int(data["commitment"]))
            .first()
        )
    if str(data.get("coalition", "")).isdigit():
        coalition = (
            Coalition.objects.filter(
                Q(pk__in=Coalition.objects.public().values("pk"))
                | Q(pk__in=_my_coalitions(user).values("pk"))
            )
            .filter(pk=int(data["coalition"]))
            .first()
        )
    return commitment, coalition


@login_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    user: Any = request.user
    recipient = get_object_or_404(Organisation.objects.select_related("country"), slug=slug)
    senders = _mine(user)
    if not senders.exists():
        return _denied(
            request,
            _("Only the representatives of an organisation on the platform may contact another."),
        )
    commitment, coalition = _about(user, request.POST if request.method == "POST" else request.GET)
    form = ContactForm(request.POST or None, senders=senders)
    if request.method == "POST":
        form.throttled = throttle.limited(request, "contact")
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.send_contact_request(
                actor=user,
                sender=data["sender"],
                recipient=recipient,
                message=data["message"],
                commitment=commitment,
                coalition=coalition,
            ),
        )
    ):
        messages.success(
            request,
            _("Your message was sent to %(name)s. Their reply will reach you by mail.")
            % {"name": recipient.name},
        )
        return redirect(done.value.get_absolute_url())
    return render(
        request,
        "workspace/portal_finder/contact.html",
        {
            "form": form,
            "recipient": recipient,
            "commitment": commitment,
            "coalition": coalition,
            "limit": domain.daily_limit(),
        },
        status=429 if form.throttled else 200,
    )


def _request_for(request: HttpRequest, pk: int, perm: str) -> ContactRequest:
    found = get_object_or_404(
        ContactRequest.objects.select_related("sender", "recipient", "commitment", "coalition"),
        pk=pk,
    )
    if not request.user.has_perm(perm, found):
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def contact_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Either side reads the request; the recipient's representatives answer it here."""
    user: Any = request.user
    found = _request_for(request, pk, "portal.view_contact_request")
    can_reply = user.has_perm("portal.reply_contact_request", found) and (
        found.status == ContactRequest.Status.SENT
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if not user.has_perm("portal.reply_contact_request", found):
            return _denied(request, _("Only the organisation written to may answer."))
        decline = "decline" in request.POST
        done = attempt(
            form,
            lambda data: (
                domain.decline_contact_request(actor=user, request=found, reason=data["reply"])
                if decline
                else domain.reply_contact_request(actor=user, request=found, reply=data["reply"])
            ),
        )
        if done:
            said = (
                _("Declined: %(name)s is told.")
                if decline
                else _("Your reply was sent to %(name)s.")
            )
            messages.success(request, said % {"name": found.sender.name})
            return redirect(found.get_absolute_url())
    return render(
        request,
        "workspace/portal_finder/request.html",
        {"req": found, "form": form, "can_reply": can_reply},
    )
