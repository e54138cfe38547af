"""Content rules of the forum, one place each: used by the forms (errors at the field), by the
domain functions (refusal, nothing changed) and by imports.

Each check returns ``{field: [message, ...]}`` (empty when all is well)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from pledgebook.forum.models import Event, Room, Session

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_event(
    *, starts_on: dt.date | None, ends_on: dt.date | None, time_zone: str, **rest: Any
) -> Errors:
    errors: Errors = {}
    if starts_on and ends_on and ends_on < starts_on:
        _add(errors, "ends_on", _("The last day is before the first day."))
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        _add(
            errors,
            "time_zone",
            _("“%(zone)s” is not a time zone: give a name such as America/New_York.")
            % {"zone": time_zone},
        )
    return errors


def local(event: Event, moment: dt.datetime) -> str:
    """``moment`` as the event's venue reads it (date and time)."""
    return formats.date_format(moment.astimezone(event.zone), "DATETIME_FORMAT")


def clashes(
    *,
    room: Room | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude: Session | None = None,
) -> list[Session]:
    """Scheduled sessions in ``room`` overlapping [starts_at, ends_at) (none for no room or a
    virtual room, where sessions may run side by side)."""
    if room is None or room.is_virtual:
        return []
    found = Session.objects.scheduled().filter(
        room=room, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None and exclude.pk:
        found = found.exclude(pk=exclude.pk)
    return list(found.order_by("starts_at"))


def check_slot(
    *,
    event: Event,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    room: Room | None = None,
    expected: int | None = None,
    exclude: Session | None = None,
) -> Errors:
    """The rules of a session's place in the schedule (sessions and side-event proposals):
    it ends after it starts, within the event's days (venue time), in a room of the event,
    with no more people expected than the room holds, and not while another session uses the
    room."""
    errors: Errors = {}
    if starts_at is None or ends_at is None:
        return errors
    if ends_at <= starts_at:
        _add(errors, "ends_at", _("The session ends before it starts."))
        return errors
    first = starts_at.astimezone(event.zone).date()
    last = ends_at.astimezone(event.zone).date()
    if first < event.starts_on or last > event.ends_on:
        _add(
            errors,
            "starts_at",
            _("The event runs from %(first)s to %(last)s (venue time); this is outside it.")
            % {
                "first": formats.date_format(event.starts_on, "DATE_FORMAT"),
                "last": formats.date_format(event.ends_on, "DATE_FORMAT"),
            },
        )
    if room is not None:
        if room.event_id != event.pk:
            _add(errors, "room", _("This room is not one of the event's."))
            return errors
        if expected is not None and room.capacity is not None and expected > room.capacity:
            _add(
                errors,
                "expected_participants",
                _("%(room)s holds %(capacity)s people; %(expected)s are expected.")
                % {"room": room.name, "capacity": room.capacity, "expected": expected},
            )
        for other in clashes(room=room, starts_at=starts_at, ends_at=ends_at, exclude=exclude):
            _add(
                errors,
                "room",
                _("%(room)s is taken from %(start)s to %(end)s by “%(title)s”.")
                % {
                    "room": room.name,
                    "start": local(event, other.starts_at),
                    "end": local(event, other.ends_at),
                    "title": other.title,
                },
            )
    return errors


# Statements and consultations (helper "consultations") -----------------------------------------

#: The longest statement and the longest answer to a consultation question (characters).
STATEMENT_MAX_CHARS = 20_000
ANSWER_MAX_CHARS = 10_000


def check_statement(*, session: Session, title: str, text: str, now: dt.datetime) -> Errors:
    """A written statement is for a plenary of a published event, before the plenary ends,
    with a title and a text."""
    errors: Errors = {}
    event = session.event
    if session.kind != Session.Kind.PLENARY:
        _add(
            errors,
            "session",
            _("Statements are taken for plenary sessions only; “%(title)s” is a %(kind)s.")
            % {"title": session.title, "kind": session.get_kind_display().lower()},
        )
    if session.status == Session.Status.CANCELLED:
        _add(errors, "session", _("This session is cancelled: it takes no statements."))
    if not (event.is_published and event.programme.is_published):
        _add(errors, "session", _("The event is not published: it takes no statements yet."))
    if session.has_ended(now):
        _add(
            errors,
            "session",
            _("The session ended on %(end)s (venue time): it takes no more statements.")
            % {"end": local(event, session.ends_at)},
        )
    if not title.strip():
        _add(errors, "title", _("Give the statement a title."))
    if not text.strip():
        _add(errors, "text", _("The statement is empty: write its text."))
    elif len(text) > STATEMENT_MAX_CHARS:
        _add(
            errors,
            "text",
            _("The statement is %(n)s characters long; at most %(max)s are taken.")
            % {"n": len(text), "max": STATEMENT_MAX_CHARS},
        )
    return errors


def check_consultation(
    *,
    programme: Any,
    title: str,
    audience: str,
    theme: Any,
    event: Any,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
) -> Errors:
    from pledgebook.forum.models import Consultation

    errors: Errors = {}
    if not (title or "").strip():
        _add(errors, "title", _("Give the consultation a title."))
    if opens_at is None:
        _add(errors, "opens_at", _("Give the moment the consultation opens."))
    if closes_at is None:
        _add(errors, "closes_at", _("Give the moment the consultation closes."))
    if opens_at and closes_at and closes_at <= opens_at:
        _add(errors, "closes_at", _("The consultation closes before it opens."))
    if audience not in Consultation.Audience.values:
        _add(errors, "audience", _("Choose who may respond."))
    if audience == Consultation.Audience.THEME_MAKERS and theme is None:
        _add(
            errors,
            "theme",
            _("Choose the theme whose commitment makers are consulted."),
        )
    if theme is not None and theme.programme_id != programme.pk:
        _add(errors, "theme", _("This theme is not one of the programme's."))
    if event is not None and event.programme_id != programme.pk:
        _add(errors, "event", _("This event is not one of the programme's."))
    return errors


def makes_commitments_in(user: Any, theme: Any) -> bool:
    """``user`` represents an organisation with a confirmed (or featured) commitment in
    ``theme``: a commitment maker of the theme, as a consultation on its blueprint asks."""
    from pledgebook.commitments.models import Commitment

    if not getattr(user, "is_authenticated", False) or theme is None:
        return False
    return Commitment.objects.filter(
        themes=theme,
        status__in=Commitment.PUBLIC_STATUSES,
        organisation__representative__user=user,
    ).exists()


def audience_refusal(user: Any, consultation: Any, now: dt.datetime) -> str | None:
    """Why ``user`` may not respond to ``consultation`` now (None: they may)."""
    from pledgebook.forum.models import Consultation

    if not consultation.is_published:
        return _("This consultation is not open: it has not been published.")
    if now < consultation.opens_at:
        return _("This consultation opens on %(when)s: come back then.") % {
            "when": formats.date_format(consultation.opens_at, "DATETIME_FORMAT")
        }
    if now >= consultation.closes_at:
        return _("This consultation closed on %(when)s: it takes no more responses.") % {
            "when": formats.date_format(consultation.closes_at, "DATETIME_FORMAT")
        }
    audience = consultation.audience
    if audience == Consultation.Audience.SIGNED_IN and not getattr(user, "is_authenticated", False):
        return _("This consultation is open to people signed in: sign in to respond.")
    if audience == Consultation.Audience.THEME_MAKERS and not makes_commitments_in(
        user, consultation.theme
    ):
        name = consultation.theme.name if consultation.theme else ""
        if not getattr(user, "is_authenticated", False):
            return _(
                "This consultation is open to the commitment makers of “%(theme)s”: sign in "
                "as a representative of an organisation with a confirmed commitment in it."
            ) % {"theme": name}
        return _(
            "This consultation is open to the commitment makers of “%(theme)s” only: you do "
            "not represent an organisation with a confirmed commitment in it."
        ) % {"theme": name}
    return None
