"""State changes of people's accounts: sign-up, e-mail verification, the export and the
deletion of one's own account.

Like every ``domain.py``: keyword-only functions, inside ``transaction.atomic``, writing the
audit trail and queueing mail through :func:`pledgebook.core.notify.notify`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from pledgebook.coalitions.models import ExpressionOfInterest
from pledgebook.commitments.models import Application, Commitment
from pledgebook.core import audit
from pledgebook.core.models import AuditEntry
from pledgebook.core.notify import notify
from pledgebook.core.site import absolute_url
from pledgebook.organisations.models import Representative
from pledgebook.programmes.models import Programme, ProgrammeRole
from pledgebook.reporting.models import ProgressReport


def normalise_email(email: str) -> str:
    """E-mail addresses are the username, compared and stored case-insensitively."""
    return email.strip().lower()


def accounts_using(email: str) -> list[Any]:
    """The accounts whose username or e-mail is ``email``, compared case-insensitively."""
    user_model = get_user_model()
    email = normalise_email(email)
    return list(
        user_model._default_manager.filter(
            Q(username__iexact=email) | Q(email__iexact=email)
        ).order_by("pk")
    )


def email_taken(email: str) -> bool:
    """Whether a sign-up with ``email`` must be refused.

    A pending sign-up (never verified) does not hold the address: signing up again replaces
    it.  Otherwise anyone could pre-register someone else's address with a password of their
    choosing and wait for its owner to verify it (account pre-hijacking).
    """
    existing = accounts_using(email)
    return bool(existing) and not (len(existing) == 1 and awaits_verification(existing[0]))


def verification_url(user: Any) -> str:
    path = reverse(
        "accounts:verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path)


def user_from_uidb64(uidb64: str) -> Any:
    user_model = get_user_model()
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return user_model._default_manager.get(pk=pk)
    except (TypeError, ValueError, OverflowError, user_model.DoesNotExist):
        return None


def awaits_verification(user: Any) -> bool:
    """An account that signed up and never verified its address.

    An account deactivated by staff after having been used is *not* waiting for verification:
    it must not be able to reactivate itself with a new link.
    """
    if user is None or user.is_active or user.last_login is not None:
        return False
    return not AuditEntry.objects.filter(
        object_type=user._meta.label_lower, object_id=user.pk, action="account.verified"
    ).exists()


def send_verification(*, user: Any) -> None:
    """Queue the mail with a verification link (after the current transaction commits)."""
    notify(
        to=[user.email],
        template="verify_email",
        context={
            "user": user,
            "verify_url": verification_url(user),
            "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )


def register(
    *,
    email: str,
    full_name: str,
    password: str,
    tell_owner: bool = True,
) -> Any | None:
    """Sign up: create an inactive account and send it a verification link.

    Signing up again with the address of a pending (never verified) sign-up replaces its name
    and password; the earlier link stops working, since the token covers the password hash.

    If an account already holds the address, nothing is created or changed: its owner gets a
    mail saying that someone tried to sign up with it, with links to sign in and to reset the
    password (unless ``tell_owner`` is false: the caller's limit on such mails), and None is
    returned.  Callers answer the visitor exactly as for a new address, so that sign-up does
    not reveal who has an account; the password is hashed either way, so that the time taken
    does not reveal it either.
    """
    user_model = get_user_model()
    email = normalise_email(email)
    if email_taken(email):
        make_password(password)  # the same work as a new account: no timing difference
        _tell_owner_of_signup(email=email, send=tell_owner)
        return None
    try:
        with transaction.atomic():
            pending = [
                u
                for u in user_model._default_manager.select_for_update().filter(
                    username__iexact=email
                )
                if awaits_verification(u)
            ]
            user = pending[0] if pending else user_model(username=email, is_active=False)
            user.email = email
            user.first_name = full_name.strip()
            user.set_password(password)
            user.save()
            audit.record(
                actor=None,
                action="account.signup_repeated" if pending else "account.created",
                obj=user,
            )
            send_verification(user=user)
    except IntegrityError:
        # Another sign-up for the same address won a race: it holds the address now.
        _tell_owner_of_signup(email=email, send=tell_owner)
        return None
    return user


def _tell_owner_of_signup(*, email: str, send: bool) -> None:
    """Someone signed up with the address of an existing account: tell its owner (an active
    account only: a deactivated one cannot sign in, a pending one gets nothing new)."""
    owner = next((u for u in accounts_using(email) if u.is_active), None)
    if owner is None:
        return
    with transaction.atomic():
        audit.record(
            actor=None, action="account.signup_existing", obj=owner, data={"mail_sent": send}
        )
        if send:
            notify(
                to=[owner.email],
                template="signup_existing",
                context={
                    "user": owner,
                    "login_url": absolute_url(reverse("accounts:login")),
                    "reset_url": absolute_url(reverse("accounts:password_reset")),
                },
            )


def resend_verification(*, email: str) -> bool:
    """Send a new link if an unverified account uses ``email``.  Returns whether one was sent;
    callers must not reveal that to the visitor (no account enumeration)."""
    user_model = get_user_model()
    user = (
        user_model._default_manager.filter(username__iexact=normalise_email(email), is_active=False)
        .order_by("pk")
        .first()
    )
    if user is None or not awaits_verification(user) or not user.has_usable_password():
        return False
    send_verification(user=user)
    return True


def verify(*, user: Any, token: str) -> bool:
    """Activate ``user`` if it awaits verification and ``token`` is valid for it."""
    if not awaits_verification(user) or not default_token_generator.check_token(user, token):
        return False
    with transaction.atomic():
        locked = type(user)._default_manager.select_for_update().get(pk=user.pk)
        if locked.is_active:  # a second click of the same link, at the same moment
            return True
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit.record(actor=user, action="account.verified", obj=user)
    return True


# One's own account: what it holds, and its deletion ---------------------------------------


def _require_self(actor: Any, user: Any) -> None:
    """Only the person themselves, signed in and active, exports or deletes their account;
    not even a superuser does it for someone else (``has_perm`` is always true for them)."""
    if (
        not getattr(actor, "is_authenticated", False)
        or not actor.is_active
        or user is None
        or actor.pk != user.pk
    ):
        raise PermissionDenied


def _label(value: Any) -> str:
    return str(value.label) if hasattr(value, "label") else str(value)


def personal_data(*, actor: Any, user: Any) -> dict[str, Any]:
    """Everything the platform holds about ``user`` and what they wrote, for them to download
    (JSON-serialisable with Django's encoder).  Recorded in the audit trail."""
    _require_self(actor, user)
    data: dict[str, Any] = {
        "format": "pledgebook.personal-data/1",
        "exported_at": timezone.now(),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.get_full_name(),
            "joined_at": user.date_joined,
            "last_sign_in_at": user.last_login,
            "is_active": user.is_active,
        },
        "organisations": [
            {
                "name": seat.organisation.name,
                "slug": seat.organisation.slug,
                "is_admin": seat.is_admin,
                "since": seat.added_at,
            }
            for seat in Representative.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        ],
        "programme_roles": [
            {"programme": role.programme.slug, "role": role.role}
            for role in ProgrammeRole.objects.filter(user=user)
            .select_related("programme")
            .order_by("programme__slug", "role")
        ],
        "progress_reports_written": [
            {
                "id": report.pk,
                "commitment": report.commitment_id,
                "commitment_title": report.commitment.title,
                "cycle": report.cycle.name,
                "version": report.version,
                "status": report.status,
                "implementation_status": report.implementation_status,
                "narrative": report.narrative,
                "challenges": report.challenges,
                "disbursed_amount": report.disbursed_amount,
                "disbursed_currency": report.disbursed_currency_id,
                "created_at": report.created_at,
                "submitted_at": report.submitted_at,
            }
            for report in ProgressReport.objects.filter(created_by=user)
            .select_related("commitment", "cycle")
            .order_by("created_at", "pk")
        ],
        "commitments_drafted": [
            {
                "id": commitment.pk,
                "title": commitment.title,
                "organisation": commitment.organisation.slug,
                "programme": commitment.programme.slug,
                "status": commitment.status,
                "created_at": commitment.created_at,
            }
            for commitment in Commitment.objects.filter(created_by=user)
            .select_related("organisation", "programme")
            .order_by("created_at", "pk")
        ],
        "applications_submitted": [
            {
                "id": application.pk,
                "organisation": application.organisation.slug,
                "programme": application.programme.slug,
                "theme": application.theme.slug,
                "role": application.role,
                "motivation": application.motivation,
                "status": application.status,
                "submitted_at": application.submitted_at,
            }
            for application in Application.objects.filter(submitted_by=user)
            .select_related("organisation", "programme", "theme")
            .order_by("submitted_at", "pk")
        ],
        "coalition_proposals": [
            {
                "id": eoi.pk,
                "title": eoi.title,
                "summary": eoi.summary,
                "organisation": eoi.organisation.slug,
                "programme": eoi.programme.slug,
                "status": eoi.status,
                "created_at": eoi.created_at,
            }
            for eoi in ExpressionOfInterest.objects.filter(proposed_by=user)
            .select_related("organisation", "programme")
            .order_by("created_at", "pk")
        ],
        "audit_entries": [
            {
                "at": entry.created_at,
                "action": entry.action,
                "programme": entry.programme.slug if entry.programme else None,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "object": entry.object_repr,
                "reason": entry.reason,
                "data": entry.data,
            }
            for entry in AuditEntry.objects.filter(actor=user)
            .select_related("programme")
            .order_by("created_at", "pk")
        ],
    }
    with transaction.atomic():
        audit.record(actor=actor, action="account.exported", obj=user)
    return data


def deletion_consequences(user: Any) -> dict[str, list[Any]]:
    """What deleting ``user``'s account would leave behind, for the warning before it:
    ``alone_admin_of`` (organisations left without an admin), ``alone_in`` (organisations left
    without anyone acting for them) and ``sole_secretariat_of`` (programmes left without a
    secretariat: these refuse the deletion)."""
    seats = list(
        Representative.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    others = Representative.objects.exclude(user=user)
    alone_admin_of = [
        seat.organisation
        for seat in seats
        if seat.is_admin
        and not others.filter(organisation=seat.organisation, is_admin=True).exists()
    ]
    alone_in = [
        seat.organisation
        for seat in seats
        if not others.filter(organisation=seat.organisation).exists()
    ]
    secretariat = ProgrammeRole.Role.SECRETARIAT
    someone_else = ProgrammeRole.objects.filter(programme=OuterRef("pk"), role=secretariat).exclude(
        user=user
    )
    sole_secretariat_of = list(
        Programme.objects.filter(
            pk__in=ProgrammeRole.objects.filter(user=user, role=secretariat).values("programme")
        )
        .filter(~Exists(someone_else))
        .order_by("name")
    )
    return {
        "alone_admin_of": alone_admin_of,
        "alone_in": alone_in,
        "sole_secretariat_of": sole_secretariat_of,
    }


DELETED = "[deleted account]"


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """``value`` (JSON) with every match of ``pattern`` in its strings replaced."""
    if isinstance(value, str):
        return pattern.sub(DELETED, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value


def _anonymise_audit_trail(user: Any) -> int:
    """Take ``user``'s name and address out of the audit trail: the entries stay (what was
    done, to what, when), but no longer say by or to whom.  Returns how many changed."""
    addresses = sorted({user.email, user.username} - {""}, key=len, reverse=True)
    alternatives = [re.escape(address) for address in addresses]
    full_name = user.get_full_name().strip()
    if len(full_name) >= 3:  # the whole name as words: "Ana" is not taken out of "Banana"
        alternatives.append(rf"\b{re.escape(full_name)}\b")
    if not alternatives:
        return 0
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    mentions = Q(actor=user) | Q(object_type=user._meta.label_lower, object_id=user.pk)
    for address in addresses:
        mentions |= Q(object_repr__icontains=address) | Q(data__icontains=address)
    changed = 0
    for entry in AuditEntry.objects.select_for_update().filter(mentions):
        object_repr = pattern.sub(DELETED, entry.object_repr)
        if entry.object_type == user._meta.label_lower and entry.object_id == user.pk:
            object_repr = DELETED
        data = _scrub(entry.data, pattern)
        reason = pattern.sub(DELETED, entry.reason)
        if (object_repr, data, reason) != (entry.object_repr, entry.data, entry.reason):
            entry.object_repr, entry.data, entry.reason = object_repr, data, reason
            entry.save(update_fields=["object_repr", "data", "reason"])
            changed += 1
    return changed


def delete_account(*, actor: Any, user: Any, password: str) -> None:
    """Delete ``user``'s own account, after checking their password.

    The public record stays consistent: the organisations they acted for stay (also when
    nobody is left to act for them), with their commitments, reports and coalitions; what they
    wrote or decided stays, no longer linked to a person; audit entries keep the action but
    lose their name and address (:func:`_anonymise_audit_trail`).  Refused (ValidationError)
    with a wrong password, or while they are the only secretariat member of a programme.
    A confirmation goes to their address.
    """
    _require_self(actor, user)
    user_model = get_user_model()
    with transaction.atomic():
        locked = user_model._default_manager.select_for_update().get(pk=user.pk)
        if not password or not locked.check_password(password):
            raise ValidationError(
                {"password": _("This is not the password of your account.")}, code="password"
            )
        # Lock the programmes so that nobody revokes the other secretariat member meanwhile.
        list(
            Programme.objects.select_for_update()
            .filter(roles__user=locked)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        consequences = deletion_consequences(locked)
        if consequences["sole_secretariat_of"]:
            raise ValidationError(
                _(
                    "You are the only secretariat member of %(programmes)s. Grant the role to "
                    "someone else first (Console → Roles), then delete your account."
                )
                % {"programmes": ", ".join(p.name for p in consequences["sole_secretariat_of"])},
                code="sole_secretariat",
            )
        seats = list(
            Representative.objects.filter(user=locked)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
        for seat in seats:
            audit.record(
                actor=None,
                action="organisation.representative_left",
                obj=seat.organisation,
                data={"account_deleted": True, "was_admin": seat.is_admin},
            )
        audit.record(
            actor=None,
            action="account.deleted",
            obj=locked,
            data={
                "organisations": [seat.organisation.slug for seat in seats],
                "left_without_admin": [o.slug for o in consequences["alone_admin_of"]],
                "left_without_representative": [o.slug for o in consequences["alone_in"]],
            },
        )
        _anonymise_audit_trail(locked)
        email, name = locked.email, locked.first_name
        locked.delete()
        notify(to=[email], template="account_deleted", context={"name": name})
