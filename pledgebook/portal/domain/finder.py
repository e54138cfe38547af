"""The partner finder's contact requests: every state change (send, reply, decline).

A representative of organisation A writes to organisation B through the platform; B's
representatives get the message by mail from the platform's own address (no Reply-To, no
address of A's people), with a link to a reply page on the platform; B's reply is relayed by
mail to A's sender the same way.  Nobody's e-mail address is shown to the other side.

Limits: never to one's own organisation; not the same pair again within
:data:`REPEAT_WINDOW`; at most :func:`daily_limit` requests per sending organisation within
:data:`DAY`.  Two sends at once from one organisation are serialised by locking the sending
organisation's row (``select_for_update``), so they cannot exceed the limit together.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledgebook.coalitions.models import Coalition
from pledgebook.commitments.models import Commitment
from pledgebook.core import audit, site
from pledgebook.core.notify import emails_of, notify
from pledgebook.core.permissions import require
from pledgebook.core.transitions import transition
from pledgebook.organisations.models import Organisation
from pledgebook.portal.models import ContactRequest

#: The window of the daily limit, and of "the same pair again".
DAY = timedelta(hours=24)
REPEAT_WINDOW = DAY
#: Requests one organisation may send per day, unless ``settings.PORTAL_CONTACT_REQUESTS_PER_DAY``
#: says otherwise (the one place this number lives).
DEFAULT_DAILY_LIMIT = 10
#: Longest message or reply, in characters.
MAX_MESSAGE = 2000


def daily_limit() -> int:
    return int(getattr(settings, "PORTAL_CONTACT_REQUESTS_PER_DAY", DEFAULT_DAILY_LIMIT))


def _check_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Write a message.")})
    if len(text) > MAX_MESSAGE:
        raise ValidationError(
            {
                field: _("At most %(n)d characters (this one has %(m)d).")
                % {"n": MAX_MESSAGE, "m": len(text)}
            }
        )
    return text


def send_contact_request(
    *,
    actor: Any,
    sender: Organisation,
    recipient: Organisation,
    message: str,
    commitment: Commitment | None = None,
    coalition: Coalition | None = None,
) -> ContactRequest:
    """``actor`` (a representative of ``sender``) writes to ``recipient``; its representatives
    get the message by mail with a link to reply on the platform."""
    require(actor, "portal.send_contact_request", sender)
    if recipient.pk == sender.pk:
        raise ValidationError(
            {"recipient": _("This is your own organisation: choose another one to contact.")}
        )
    message = _check_text(message, "message")
    with transaction.atomic():
        # The row that serialises this organisation's sends (two at once wait in turn).
        Organisation.objects.select_for_update().filter(pk=sender.pk).first()
        now = timezone.now()
        recent = ContactRequest.objects.filter(sender=sender, created_at__gt=now - DAY)
        if recent.filter(recipient=recipient, created_at__gt=now - REPEAT_WINDOW).exists():
            raise ValidationError(
                {
                    "recipient": _(
                        "%(sender)s already wrote to %(recipient)s in the last 24 hours: "
                        "wait for their reply, or write again tomorrow."
                    )
                    % {"sender": sender.name, "recipient": recipient.name}
                }
            )
        limit = daily_limit()
        if recent.count() >= limit:
            raise ValidationError(
                ngettext(
                    "%(sender)s has sent its %(n)d contact request of the last 24 hours: "
                    "send this one tomorrow.",
                    "%(sender)s has sent its %(n)d contact requests of the last 24 hours: "
                    "send this one tomorrow.",
                    limit,
                )
                % {"sender": sender.name, "n": limit}
            )
        request = ContactRequest.objects.create(
            sender=sender,
            recipient=recipient,
            sent_by=actor,
            message=message,
            commitment=commitment,
            coalition=coalition,
        )
        audit.record(
            actor=actor,
            action="contact_request.sent",
            obj=request,
            data={"sender": sender.pk, "recipient": recipient.pk},
        )
        notify(
            to=emails_of(recipient),
            template="partner_contact_request",
            context={
                "request": request,
                "link": site.absolute_url(request.get_absolute_url()),
            },
        )
    return request


def _relay_to_sender(request: ContactRequest, template: str) -> None:
    person = request.sent_by
    # The sender left: the rest of the organisation reads it.
    gone = person is None or not person.is_active
    to = emails_of(request.sender) if gone else [person.email]  # type: ignore[union-attr]
    notify(
        to=to,
        template=template,
        context={"request": request, "link": site.absolute_url(request.get_absolute_url())},
    )


def reply_contact_request(*, actor: Any, request: ContactRequest, reply: str) -> ContactRequest:
    """A representative of the recipient answers; the answer is relayed by mail to the
    sender."""
    require(actor, "portal.reply_contact_request", request)
    text = _check_text(reply, "reply")

    def fill(row: ContactRequest, previous: str) -> list[str]:
        row.reply = text
        row.replied_by = actor
        row.replied_at = timezone.now()
        return ["reply", "replied_by", "replied_at"]

    return transition(
        request,
        actor=actor,
        perm="portal.reply_contact_request",
        allowed_from=[ContactRequest.Status.SENT],
        to=ContactRequest.Status.REPLIED,
        action=_("answered"),
        refusal=_("This request is %(state)s: it cannot be %(action)s again."),
        audit_action="contact_request.replied",
        programme=None,
        apply=fill,
        then=lambda row, previous: _relay_to_sender(row, "partner_contact_reply"),
    )


def decline_contact_request(
    *, actor: Any, request: ContactRequest, reason: str = ""
) -> ContactRequest:
    """The recipient declines (an optional word of why, relayed to the sender)."""
    require(actor, "portal.reply_contact_request", request)
    reason = (reason or "").strip()
    if len(reason) > MAX_MESSAGE:
        raise ValidationError({"reply": _("At most %(n)d characters.") % {"n": MAX_MESSAGE}})

    def fill(row: ContactRequest, previous: str) -> list[str]:
        row.reply = reason
        row.replied_by = actor
        row.replied_at = timezone.now()
        return ["reply", "replied_by", "replied_at"]

    return transition(
        request,
        actor=actor,
        perm="portal.reply_contact_request",
        allowed_from=[ContactRequest.Status.SENT],
        to=ContactRequest.Status.DECLINED,
        action=_("declined"),
        refusal=_("This request is %(state)s: it cannot be %(action)s."),
        audit_action="contact_request.declined",
        programme=None,
        apply=fill,
        then=lambda row, previous: _relay_to_sender(row, "partner_contact_declined"),
    )
