"""Who takes part in an event: registration in person or online, the waiting list past the
event's in-person capacity, and the sessions a registered person marks ("my sessions").

One registration per person and event: registering again changes it.  Places in person are
counted with the event's row locked (``select_for_update``), so two people taking the last
place at once cannot both get it; the second joins the waiting list.  A place freed (a
cancellation, a change to online) goes to the first on the waiting list, who is told by mail.
The waiting list is ordered by ``created_at``: the moment the person joined it (or registered).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.core import audit
from pledgebook.core.notify import notify
from pledgebook.core.permissions import require
from pledgebook.core.transitions import transition
from pledgebook.forum.models import Event, Registration, Session, SessionMark
from pledgebook.forum.validation import check_registration

Mode = Registration.Mode
Status = Registration.Status

#: What a registration records besides the mode (all optional).
DETAILS = ("organisation", "category", "country", "gender")


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def places_taken(event: Event) -> int:
    return Registration.objects.filter(
        event=event, mode=Mode.IN_PERSON, status=Status.REGISTERED
    ).count()


def places_left(event: Event) -> int | None:
    """In-person places still free (``None``: no limit)."""
    if event.in_person_capacity is None:
        return None
    return max(event.in_person_capacity - places_taken(event), 0)


def _confirm(registration: Registration, template: str = "forum_registration") -> None:
    event = registration.event
    notify(
        to=[registration.user.email],
        template=template,
        context={"registration": registration, "event": event},
    )


def _fill_places(*, actor: Any, event: Event) -> list[Registration]:
    """Give free in-person places to the first on the waiting list (the event's row is locked
    by the caller); each is told by mail."""
    promoted: list[Registration] = []
    if event.in_person_capacity is None:
        waiting = Registration.objects.filter(event=event, status=Status.WAITLISTED)
        free = waiting.count()
    else:
        free = event.in_person_capacity - places_taken(event)
    if free <= 0:
        return promoted
    first = list(
        Registration.objects.select_for_update()
        .filter(event=event, status=Status.WAITLISTED)
        .order_by("created_at", "pk")[:free]
    )
    for registration in first:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="registration.moved_off_waitlist",
            obj=registration,
            programme=event.programme,
            data={"from": Status.WAITLISTED, "to": Status.REGISTERED},
        )
        _confirm(registration, "forum_registration_place")
        promoted.append(registration)
    return promoted


def give_free_places(*, actor: Any, event: Event) -> list[Registration]:
    """The secretariat gives the in-person places now free (after raising the capacity, say)
    to the first on the waiting list, who are told by mail; returns them."""
    require(actor, "forum.manage_event", event)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        return _fill_places(actor=actor, event=locked)


def _waiting_ahead(event: Event, current: Registration | None) -> int:
    """People on the waiting list before ``current`` (all of it for a newcomer): a free place
    is theirs first."""
    waiting = Registration.objects.filter(event=event, status=Status.WAITLISTED)
    if current is None:
        return waiting.count()
    if current.status != Status.WAITLISTED:
        return waiting.exclude(pk=current.pk).count()
    ahead = waiting.filter(created_at__lt=current.created_at) | waiting.filter(
        created_at=current.created_at, pk__lt=current.pk
    )
    return ahead.count()


def register(
    *,
    actor: Any,
    event: Event,
    mode: str,
    organisation: Any = None,
    category: str = "",
    country: Any = None,
    gender: str = "",
) -> Registration:
    """Register ``actor`` for ``event`` (or change their registration).  In person past the
    capacity: the waiting list.  A person who had a place in person keeps it."""
    require(actor, "forum.register", event)
    _raise_if(
        check_registration(
            event=event,
            actor=actor,
            mode=mode,
            organisation=organisation,
            category=category,
            gender=gender,
        )
    )
    details = {
        "organisation": organisation,
        "category": category or "",
        "country": country,
        "gender": gender or "",
    }
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        current = Registration.objects.select_for_update().filter(event=locked, user=actor).first()
        had_place = (
            current is not None
            and current.status == Status.REGISTERED
            and current.mode == Mode.IN_PERSON
        )
        if mode == Mode.ONLINE or had_place:
            status = Status.REGISTERED
        else:
            left = places_left(locked)
            if left is not None:
                left -= _waiting_ahead(locked, current)
            status = Status.WAITLISTED if left is not None and left <= 0 else Status.REGISTERED
        if current is None:
            registration = Registration.objects.create(
                event=locked, user=actor, mode=mode, status=status, **details
            )
            action = "registered" if status == Status.REGISTERED else "waitlisted"
        else:
            registration = current
            previous = (current.status, current.mode)
            if status == Status.WAITLISTED and current.status != Status.WAITLISTED:
                registration.created_at = timezone.now()  # to the end of the waiting list
            if current.status == Status.CANCELLED and status == Status.REGISTERED:
                registration.created_at = timezone.now()
            registration.mode, registration.status = mode, status
            for name, value in details.items():
                setattr(registration, name, value)
            registration.save()
            if previous == (status, mode):
                action = "changed"
            elif status == Status.WAITLISTED:
                action = "waitlisted"
            elif previous[0] == Status.CANCELLED:
                action = "registered"
            else:
                action = "changed"
        audit.record(
            actor=actor,
            action=f"registration.{action}",
            obj=registration,
            programme=locked.programme,
            data={"mode": mode, "status": status},
        )
        _confirm(registration)
        if had_place and mode == Mode.ONLINE:
            _fill_places(actor=actor, event=locked)
    return registration


def change_mode(*, actor: Any, registration: Registration, mode: str) -> Registration:
    """Take part the other way (in person ↔ online), keeping what the registration says."""
    require(actor, "forum.change_registration", registration)
    registration.refresh_from_db()  # the page may show what has changed since
    if registration.status == Status.CANCELLED:
        raise ValidationError(_("This registration is cancelled: register again."))
    if registration.mode == mode:
        raise ValidationError({"mode": [_("You are already registered this way.")]})
    user = registration.user
    if user.pk != getattr(actor, "pk", None):
        raise ValidationError(_("Only the person registered changes how they take part."))
    changed = register(
        actor=user,
        event=registration.event,
        mode=mode,
        **{name: getattr(registration, name) for name in DETAILS},
    )
    registration.refresh_from_db()
    return changed


def cancel_registration(*, actor: Any, registration: Registration) -> Registration:
    """Cancel a registration; a place in person it held goes to the first on the waiting
    list."""
    require(actor, "forum.change_registration", registration)
    event = registration.event
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)  # before the registration
        row = transition(
            registration,
            actor=actor,
            perm="forum.change_registration",
            allowed_from=[Status.REGISTERED, Status.WAITLISTED],
            to=Status.CANCELLED,
            action=_("cancelled"),
            refusal=_("This registration is %(state)s: it cannot be %(action)s again."),
            audit_action="registration.cancelled",
            programme=locked.programme,
        )
        _fill_places(actor=actor, event=locked)
    return row


# Marked sessions ("my sessions") -------------------------------------------------------------


def mark_session(*, actor: Any, session: Session) -> SessionMark:
    """``actor``, registered for the session's event, means to attend ``session``."""
    require(actor, "forum.mark_session", session)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled: it cannot be added to your sessions."))
    mark, _created = SessionMark.objects.get_or_create(session=session, user=actor)
    return mark


def unmark_session(*, actor: Any, session: Session) -> bool:
    """Take ``session`` off ``actor``'s sessions (even after their registration is cancelled);
    ``False`` when it was not there."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    deleted, _rows = SessionMark.objects.filter(session=session, user=actor).delete()
    return bool(deleted)


def my_sessions(user: Any, event: Event | None = None) -> list[Session]:
    """The sessions ``user`` marked (of ``event`` when given), cancelled ones included (the
    page says so), in time order."""
    found = Session.objects.filter(marks__user=user).select_related("event", "room")
    if event is not None:
        found = found.filter(event=event)
    return list(found.order_by("starts_at", "title"))
