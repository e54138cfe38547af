"""State changes of people's accounts: sign-up, e-mail verification.

Like every ``domain.py``: keyword-only functions, inside ``transaction.atomic``, writing the
audit trail and queueing mail through :func:`pledgebook.core.notify.notify`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from pledgebook.core import audit
from pledgebook.core.models import AuditEntry
from pledgebook.core.notify import notify
from pledgebook.core.site import absolute_url


class DuplicateEmail(Exception):
    """Another account already uses this e-mail address."""


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


def register(*, email: str, full_name: str, password: str) -> Any:
    """Create an inactive account and send it a verification link.

    Signing up again with the address of a pending (never verified) sign-up replaces its name
    and password; the earlier link stops working, since the token covers the password hash.
    Raises :class:`DuplicateEmail` if an account holds the address (also when two sign-ups
    race: the username column is unique).
    """
    user_model = get_user_model()
    email = normalise_email(email)
    if email_taken(email):
        raise DuplicateEmail(email)
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
    except IntegrityError as exc:
        raise DuplicateEmail(email) from exc
    return user


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
