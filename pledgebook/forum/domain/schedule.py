"""Events, rooms and sessions: created and changed by the programme's secretariat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.core import audit
from pledgebook.core.permissions import require
from pledgebook.core.transitions import transition
from pledgebook.forum.models import Event, Room, Session
from pledgebook.forum.validation import check_event, check_slot

EVENT_FIELDS = (
    "name",
    "acronym",
    "description",
    "starts_on",
    "ends_on",
    "venue",
    "time_zone",
    "is_hybrid",
    "online_url",
    "in_person_capacity",
    "registration_open",
    "proposals_open",
    "is_published",
)
SESSION_FIELDS = (
    "kind",
    "segment",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "room",
    "online_url",
    "language",
)
SESSION_RELATIONS = ("organisations", "organisers", "themes", "goals")


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def create_event(*, actor: Any, programme: Any, slug: str, **fields: Any) -> Event:
    require(actor, "programmes.change_programme", programme)
    data = {k: fields[k] for k in EVENT_FIELDS if k in fields}
    _raise_if(check_event(**{"time_zone": "UTC", "starts_on": None, "ends_on": None, **data}))
    if Event.objects.filter(programme=programme, slug=slug).exists():
        used = _("An event of this programme already uses “%(slug)s”.") % {"slug": slug}
        raise ValidationError({"slug": [used]})
    with transaction.atomic():
        event = Event.objects.create(programme=programme, slug=slug, **data)
        audit.record(actor=actor, action="event.created", obj=event, programme=programme)
    return event


def update_event(*, actor: Any, event: Event, **fields: Any) -> Event:
    require(actor, "forum.manage_event", event)
    data = {k: fields[k] for k in EVENT_FIELDS if k in fields}
    merged = {k: data.get(k, getattr(event, k)) for k in ("starts_on", "ends_on", "time_zone")}
    _raise_if(check_event(**merged))
    with transaction.atomic():
        for name, value in data.items():
            setattr(event, name, value)
        event.save()
        audit.record(
            actor=actor,
            action="event.changed",
            obj=event,
            programme=event.programme,
            data={"fields": sorted(data)},
        )
    return event


def add_room(
    *, actor: Any, event: Event, name: str, capacity: int | None = None, is_virtual: bool = False
) -> Room:
    require(actor, "forum.manage_event", event)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the room a name.")]})
    if event.rooms.filter(name__iexact=name).exists():
        taken = _("The event already has a room named “%(name)s”.") % {"name": name}
        raise ValidationError({"name": [taken]})
    with transaction.atomic():
        room = Room.objects.create(
            event=event,
            name=name,
            capacity=capacity,
            is_virtual=is_virtual,
            position=event.rooms.count(),
        )
        audit.record(actor=actor, action="room.created", obj=room, programme=event.programme)
    return room


def _set_relations(session: Session, relations: dict[str, Iterable[Any] | None]) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(session, name).set(values)


def save_session(
    *,
    actor: Any,
    event: Event,
    session: Session | None = None,
    speakers: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Session:
    """Create a session of ``event`` (``session`` None) or change it.  Refused, nothing
    changed, when its time or room breaks :func:`forum.validation.check_slot` (a clash names
    the session already in the room)."""
    require(actor, "forum.manage_event", event)
    data = {k: fields[k] for k in SESSION_FIELDS if k in fields}
    relations = {k: fields.get(k) for k in SESSION_RELATIONS}
    current = session or Session(event=event)
    starts_at: dt.datetime | None = data.get("starts_at", current.starts_at)
    ends_at: dt.datetime | None = data.get("ends_at", current.ends_at)
    room = data.get("room", current.room if session else None)
    if not starts_at or not ends_at:
        raise ValidationError({"starts_at": [_("Give the session's start and end.")]})
    _raise_if(
        check_slot(event=event, starts_at=starts_at, ends_at=ends_at, room=room, exclude=session)
    )
    with transaction.atomic():
        if session is not None:
            # Locked and read again: two editors placing sessions in one room at once.
            current = Session.objects.select_for_update().get(pk=session.pk)
        for name, value in data.items():
            setattr(current, name, value)
        current.save()
        # Checked again inside the transaction: another session may have taken the room.
        _raise_if(
            check_slot(
                event=event, starts_at=starts_at, ends_at=ends_at, room=room, exclude=current
            )
        )
        _set_relations(current, relations)
        if speakers is not None:
            current.speakers.all().delete()
            for position, speaker in enumerate(speakers):
                current.speakers.create(position=position, **speaker)
        audit.record(
            actor=actor,
            action="session.changed" if session else "session.created",
            obj=current,
            programme=event.programme,
        )
    return current


def cancel_session(*, actor: Any, session: Session, reason: str = "") -> Session:
    return transition(
        session,
        actor=actor,
        perm="forum.manage_session",
        allowed_from=[Session.Status.SCHEDULED],
        to=Session.Status.CANCELLED,
        action="cancel",
        refusal=gettext_lazy("This session is already cancelled."),
        audit_action="session.cancelled",
        programme=session.event.programme,
        reason=reason,
    )
