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


# Co-Chairs' Summary: the content of a version ---------------------------------------------
#
# A version's content (``SummaryVersion.content``) is ``{"introduction": str, "sections":
# [{"key", "title", "points": [{"id", "text", "sources", "merged", ...}]}]}``.  Keys this
# check does not know (a section's "kind", a point's "sessions") are kept as they are.  Error
# keys name the edit form's fields: ``introduction``, ``section-<i>-title``,
# ``point-<i>-<j>-text`` (indices of the content given, before empty points are dropped).

#: The longest text of one point, and of the introduction.
POINT_MAX_CHARS = 5000
INTRODUCTION_MAX_CHARS = 20000


def clean_summary_content(content: Any) -> tuple[dict[str, Any], Errors]:
    """``content`` made tidy (texts stripped, empty points dropped, a missing point id
    given) and the errors that refuse it (wrong shape, a section without a title, a text too
    long, two points with the same id)."""
    errors: Errors = {}
    if not isinstance(content, dict) or not isinstance(content.get("sections", []), list):
        _add(errors, "__all__", _("The summary's content is not in the expected form."))
        return {}, errors
    introduction = content.get("introduction") or ""
    if not isinstance(introduction, str):
        _add(errors, "introduction", _("The introduction must be text."))
        introduction = ""
    introduction = introduction.strip()
    if len(introduction) > INTRODUCTION_MAX_CHARS:
        _add(
            errors,
            "introduction",
            _("The introduction is longer than %(max)s characters.")
            % {"max": INTRODUCTION_MAX_CHARS},
        )
    cleaned: dict[str, Any] = {**content, "introduction": introduction, "sections": []}
    seen_ids: set[str] = set()
    seen_keys: set[str] = set()
    for i, section in enumerate(content.get("sections") or []):
        if not isinstance(section, dict) or not isinstance(section.get("points", []), list):
            _add(errors, "__all__", _("Section %(n)s is not in the expected form.") % {"n": i + 1})
            continue
        title = section.get("title")
        title = title.strip() if isinstance(title, str) else ""
        if not title:
            _add(errors, f"section-{i}-title", _("Give this section a title."))
        key = str(section.get("key") or f"section-{i + 1}")
        while key in seen_keys:
            key += "-2"
        seen_keys.add(key)
        points: list[dict[str, Any]] = []
        for j, point in enumerate(section.get("points") or []):
            if not isinstance(point, dict):
                _add(
                    errors,
                    "__all__",
                    _("Point %(j)s of section %(i)s is not in the expected form.")
                    % {"i": i + 1, "j": j + 1},
                )
                continue
            text = point.get("text")
            text = text.strip() if isinstance(text, str) else ""
            if not text:
                continue  # an emptied point is a deleted one
            if len(text) > POINT_MAX_CHARS:
                _add(
                    errors,
                    f"point-{i}-{j}-text",
                    _("This point is longer than %(max)s characters.") % {"max": POINT_MAX_CHARS},
                )
            point_id = str(point.get("id") or "")
            if not point_id or point_id in seen_ids:
                point_id = _new_point_id(seen_ids)
            seen_ids.add(point_id)
            sources = point.get("sources") or []
            if not isinstance(sources, list):
                sources = []
            points.append(
                {
                    **point,
                    "id": point_id,
                    "text": text,
                    "sources": sources,
                    "merged": bool(point.get("merged", False)),
                }
            )
        cleaned["sections"].append({**section, "key": key, "title": title, "points": points})
    return cleaned, errors


def _new_point_id(taken: set[str]) -> str:
    n = len(taken) + 1
    while f"p{n}" in taken:
        n += 1
    return f"p{n}"


def recommendation_sources(point: dict[str, Any]) -> list[int]:
    """The ids of the recommendations a point came from, in order, each once."""
    found: list[int] = []
    for source in point.get("sources") or []:
        if isinstance(source, dict) and source.get("kind") == "recommendation":
            try:
                pk = int(source["id"])
            except (KeyError, TypeError, ValueError):
                continue
            if pk not in found:
                found.append(pk)
    return found


def is_merged(point: dict[str, Any]) -> bool:
    """A point an editor may split again: drawn from several recommendations."""
    return len(recommendation_sources(point)) > 1
