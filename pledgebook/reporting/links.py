"""Personal reporting links: they work without a password, are bound to one maker and one
cycle, expire when the cycle closes, and die when a new link is sent.

The token is ``django.core.signing`` over the invitation id and its nonce (HMAC with
SECRET_KEY), so it cannot be forged, and the nonce is checked against the database, so a
resent link replaces the old one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import rules
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.reporting.models import Invitation

SALT = "pledgebook.reporting.link"


class LinkError(Exception):
    """The link cannot be used; ``str(error)`` says why, for the person holding it, and
    ``code`` is ``invalid`` (forged or damaged), ``replaced`` or ``expired``."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def resolve(token: str, *, now: dt.datetime | None = None) -> Invitation:
    try:
        payload = signing.loads(token, salt=SALT)
        pk, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkError(
            _("This reporting link is not valid. Ask the secretariat for a new one.")
        ) from exc
    invitation = (
        Invitation.objects.select_related("cycle__programme", "organisation").filter(pk=pk).first()
    )
    if invitation is None or invitation.nonce != nonce:
        raise LinkError(
            _("This reporting link has been replaced by a newer one: use the latest e-mail."),
            "replaced",
        )
    now = now or timezone.now()
    if now >= invitation.cycle.closes_at or invitation.cycle.status == "closed":
        raise LinkError(
            _("This reporting link expired when the cycle closed on %(date)s.")
            % {"date": timezone.localtime(invitation.cycle.closes_at).strftime("%d %B %Y")},
            "expired",
        )
    return invitation


@dataclass(frozen=True)
class LinkActor:
    """Who acts through a link: the invitation's organisation, with no user account."""

    invitation: Invitation

    is_authenticated = False

    @property
    def organisation_id(self) -> int:
        return self.invitation.organisation_id

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Asked of the reporting rules (``reporting/rules.py``), as a person's would be."""
        return bool(rules.has_perm(perm, self, obj))
