"""Subscribers of a programme's follow-up digests, and sending the digest of a published
Co-Chairs' Summary.

Subscribing (:func:`subscribe`):

- a signed-in person subscribes **their own address** in one click: it is theirs (verified at
  sign-up), so the subscription is confirmed at once;
- anyone else (or a signed-in person giving another address) gets a confirmation link at the
  address given (double opt-in): nobody can subscribe someone else.  Asking again sends the
  link again; the answer is the same whether or not the address is already subscribed, so the
  form does not tell who is subscribed (the view limits how often a client may ask:
  ``accounts.throttle``, like every form that sends mail).

Each subscriber has a secret ``token``: the confirmation link and the unsubscribe link of
every digest carry it (both reach only the owner of the address), and :func:`unsubscribe`
needs nothing else: one click (RFC 8058 for mail clients, one button on the page for people).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from pledgebook.core import audit, site
from pledgebook.core.notify import notify
from pledgebook.core.permissions import require
from pledgebook.forum.digesting import compose_digest
from pledgebook.forum.models import CoChairsSummary, Digest, Subscriber
from pledgebook.forum.validation import check_digest, check_subscription


def normalised(email: str) -> str:
    return (email or "").strip().lower()


def unsubscribe_url(subscriber: Subscriber) -> str:
    return site.absolute_url(reverse("public:forum_unsubscribe", args=[subscriber.token]))


def confirm_url(subscriber: Subscriber) -> str:
    return site.absolute_url(reverse("public:forum_subscription_confirm", args=[subscriber.token]))


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _own_address(actor: Any, email: str) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.email
        and normalised(actor.email) == email
    )


def subscribe(*, programme: Any, email: str | None, actor: Any) -> Subscriber | None:
    """Subscribe ``email`` (a signed-in person's own address when not given) to the digests
    of ``programme``.  Returns the subscriber when it is active at once (a signed-in person's
    own address); ``None`` when a confirmation link was sent instead: the caller says the same
    thing whatever the state of that address."""
    if not email and getattr(actor, "is_authenticated", False):
        email = actor.email
    email = normalised(email or "")
    _raise_if(check_subscription(programme=programme, email=email))
    own = _own_address(actor, email)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            programme=programme, email=email
        )
        if own:
            if not subscriber.is_active:
                subscriber.user = actor
                subscriber.confirmed_at = timezone.now()
                subscriber.unsubscribed_at = None
                subscriber.save()
                audit.record(
                    actor=actor,
                    action="subscriber.subscribed",
                    obj=subscriber,
                    programme=programme,
                )
            return subscriber
        notify(
            to=[email],
            template="forum_subscription_confirm",
            context={
                "programme": programme,
                "confirm_url": confirm_url(subscriber),
            },
        )
    return None


def confirm_subscription(*, token: str) -> Subscriber:
    """Confirm the subscription whose link was sent to its address (again after an
    unsubscription: the owner asked again).  An unknown token is refused."""
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .select_related("programme")
            .filter(token=token)
            .first()
        )
        if subscriber is None:
            raise ValidationError(_link_unknown())
        if not subscriber.is_active:
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
            audit.record(
                actor=None,
                action="subscriber.subscribed",
                obj=subscriber,
                programme=subscriber.programme,
                data={"confirmed_by_link": True},
            )
    return subscriber


def unsubscribe(*, token: str) -> Subscriber:
    """Stop the digests to the subscriber of ``token`` (one click; doing it twice is
    harmless).  An unknown token is refused."""
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .select_related("programme")
            .filter(token=token)
            .first()
        )
        if subscriber is None:
            raise ValidationError(_link_unknown())
        if subscriber.unsubscribed_at is None:
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["unsubscribed_at"])
            audit.record(
                actor=None,
                action="subscriber.unsubscribed",
                obj=subscriber,
                programme=subscriber.programme,
            )
    return subscriber


def _link_unknown() -> str:
    return gettext("This link is not valid: it may have been mistyped or cut.")


def send_digest(*, actor: Any, summary: CoChairsSummary) -> Digest:
    """Send the follow-up digest of a published Co-Chairs' Summary to every active subscriber
    of its programme (one mail each, with its own unsubscribe link and the RFC 8058 headers),
    and keep it as a :class:`Digest`.  Refused for a summary not published, and a second time
    for the same published version."""
    event = summary.event
    require(actor, "forum.send_digest", event)
    with transaction.atomic():
        # Locked: two secretariat members pressing "send" at once send one digest.
        summary = CoChairsSummary.objects.select_for_update().get(pk=summary.pk)
        already = Digest.objects.filter(
            summary=summary,
            version_id=summary.published_version_id,
            sent_at__isnull=False,
        ).exists()
        _raise_if(check_digest(summary=summary, already_sent=already))
        subject, body = compose_digest(event)
        subscribers = list(
            Subscriber.objects.filter(
                programme=event.programme,
                confirmed_at__isnull=False,
                unsubscribed_at__isnull=True,
            ).order_by("pk")
        )
        digest = Digest.objects.create(
            summary=summary,
            subject=subject,
            body=body,
            created_by=actor,
            sent_at=timezone.now(),
            recipients=len(subscribers),
            version_id=summary.published_version_id,
        )
        for subscriber in subscribers:
            link = unsubscribe_url(subscriber)
            notify(
                to=[subscriber.email],
                template="forum_digest",
                context={
                    "subject": subject,
                    "body": body,
                    "programme": event.programme,
                    "unsubscribe_url": link,
                },
                headers={
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        audit.record(
            actor=actor,
            action="digest.sent",
            obj=digest,
            programme=event.programme,
            data={"recipients": len(subscribers), "version": summary.published_version_id},
        )
    return digest
