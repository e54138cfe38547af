"""The schedule as files: iCalendar (an event's sessions, one session, the sessions a person
marked) and the Frab schedule JSON that conference apps read (Giggity, ConfClerk, Fahrplan).

Both take sessions already read with :func:`forum.filters.with_details` (no query per
session).  Times are the event's: iCalendar gives each start and end with the event's TZID
and includes its VTIMEZONE; Frab gives venue dates and times with the zone's name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from pledgebook.core.site import absolute_url, base_url
from pledgebook.forum.models import Event, Session

PRODID = "-//Pledgebook//Forum schedule//EN"
#: A namespace of its own for the sessions' UIDs and Frab GUIDs (stable across exports).
NAMESPACE = uuid.UUID("0b7c5f0e-7a2d-4d8e-9c61-5a4f2b1d9e37")
ONLINE_ROOM = "Online"
OTHER_ROOM = "Other"


def session_uid(session: Session) -> str:
    return f"{uuid.uuid5(NAMESPACE, f'session-{session.pk}')}@pledgebook"


def session_guid(session: Session) -> str:
    return str(uuid.uuid5(NAMESPACE, f"session-{session.pk}"))


def session_url(event: Event, session: Session) -> str:
    return absolute_url(
        reverse(
            "public:session",
            kwargs={"programme": event.programme.slug, "event": event.slug, "session": session.pk},
        )
    )


class _Addresses:
    """The absolute address of each session of ``event``, the URL reversed once (a file of
    1,000 sessions would reverse it 1,000 times)."""

    def __init__(self, event: Event) -> None:
        self.head, self.tail = session_url(event, Session(pk=0)).rsplit("/0/", 1)

    def __call__(self, session: Session) -> str:
        return f"{self.head}/{session.pk}/{self.tail}"


def location(event: Event, session: Session) -> str:
    """Room and venue; the online link for a session online only (no room)."""
    if session.room is None:
        return session.online_url or event.venue
    if session.room.is_virtual or not event.venue:
        return session.room.name
    return f"{session.room.name}, {event.venue}"


def _people(session: Session) -> list[str]:
    return [
        ", ".join(filter(None, [s.name, s.title, s.organisation.name if s.organisation else ""]))
        if s.organisation
        else ", ".join(filter(None, [s.name, s.title, s.affiliation]))
        for s in session.speakers.all()
    ]


def description(session: Session) -> str:
    lines = [str(session.get_kind_display())]
    if session.segment:
        lines.append(session.segment)
    if session.description:
        lines += ["", session.description]
    organisations = [o.name for o in session.organisations.all()]
    if organisations:
        lines += ["", "Organised by: " + "; ".join(organisations)]
    speakers = _people(session)
    if speakers:
        lines += ["", "Speakers:", *(f"- {s}" for s in speakers)]
    goals = [f"SDG {g.number}" for g in session.goals.all()]
    if goals:
        lines += ["", ", ".join(goals)]
    if session.online_url:
        lines += ["", f"Online: {session.online_url}"]
    return "\n".join(lines)


# iCalendar -------------------------------------------------------------------------------------


def calendar(event: Event, sessions: Iterable[Session], *, name: str) -> bytes:
    """An iCalendar file of ``sessions`` (all of ``event``), in the event's time zone."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", event.zone.key)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    zone = event.zone
    address = _Addresses(event)
    for session in sessions:
        item = CalendarEvent()
        item.add("uid", session_uid(session))
        item.add("dtstamp", stamp)
        item.add("dtstart", session.starts_at.astimezone(zone))
        item.add("dtend", session.ends_at.astimezone(zone))
        item.add("summary", session.title)
        place = location(event, session)
        if place:
            item.add("location", place)
        item.add("url", address(session))
        item.add("description", description(session))
        item.add("categories", [str(session.get_kind_display())])
        if session.status == Session.Status.CANCELLED:
            item.add("status", "CANCELLED")
        else:
            item.add("status", "CONFIRMED")
        if session.updated_at:
            item.add("last-modified", session.updated_at.astimezone(dt.UTC).replace(microsecond=0))
        cal.add_component(item)
    if zone.key != "UTC":
        cal.add_missing_timezones(
            first_date=event.starts_on - dt.timedelta(days=366),
            last_date=event.ends_on + dt.timedelta(days=366),
        )
    return cal.to_ical()


# Frab schedule JSON ----------------------------------------------------------------------------


def _hhmm(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def room_key(session: Session) -> str:
    if session.room is not None:
        return session.room.name
    return ONLINE_ROOM if session.online_url else OTHER_ROOM


def _frab_session(event: Event, session: Session, address: _Addresses) -> dict[str, Any]:
    start = session.starts_at.astimezone(event.zone)
    speakers = [
        {"id": s.pk, "guid": str(uuid.uuid5(NAMESPACE, f"speaker-{s.pk}")), "public_name": s.name}
        for s in session.speakers.all()
    ]
    links = [{"url": session.online_url, "title": "Online"}] if session.online_url else []
    return {
        "id": session.pk,
        "guid": session_guid(session),
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "duration": _hhmm(session.ends_at - session.starts_at),
        "room": room_key(session),
        "slug": f"{event.slug}-{session.pk}",
        "url": address(session),
        "title": session.title,
        "subtitle": session.segment,
        "track": session.segment or str(session.get_kind_display()),
        "type": session.kind,
        "language": session.language or "en",
        "abstract": "",
        "description": session.description,
        "persons": speakers,
        "links": links,
        "attachments": [],
    }


def frab(event: Event, sessions: Sequence[Session], *, version: str) -> dict[str, Any]:
    """The Frab schedule of ``event`` (``sessions``: its scheduled sessions)."""
    zone = event.zone
    days = event.days()
    by_day: dict[dt.date, dict[str, list[dict[str, Any]]]] = {day: {} for day in days}
    address = _Addresses(event)
    for session in sessions:
        day = session.starts_at.astimezone(zone).date()
        by_day.setdefault(day, {}).setdefault(room_key(session), []).append(
            _frab_session(event, session, address)
        )
    rooms = [room.name for room in event.rooms.all()]
    extra = sorted({key for rooms_of in by_day.values() for key in rooms_of} - set(rooms))
    return {
        "schedule": {
            "version": version,
            "base_url": base_url() + "/",
            "conference": {
                "acronym": event.acronym or event.slug,
                "title": event.name,
                "start": event.starts_on.isoformat(),
                "end": event.ends_on.isoformat(),
                "daysCount": len(days),
                "timeslot_duration": "00:15",
                "time_zone_name": zone.key,
                "url": absolute_url(event.get_absolute_url()),
                "rooms": [{"name": name} for name in [*rooms, *extra]],
                "days": [
                    {
                        "index": index,
                        "date": day.isoformat(),
                        "day_start": dt.datetime.combine(day, dt.time(0, 0), zone).isoformat(),
                        "day_end": dt.datetime.combine(day, dt.time(23, 59), zone).isoformat(),
                        "rooms": by_day[day],
                    }
                    for index, day in enumerate(sorted(by_day), start=1)
                ],
            },
        }
    }
