"""The rows of an event's public programme, read for speed: three queries whatever the number
of sessions (the sessions' columns, their SDGs, their organising organisations), plain values
and no model instances, times already at the venue, labels and addresses computed once.  The
page shows up to a day of a large forum (200 sessions and more) within its time budget
(``bench/schedule.py``, docs/BENCHMARKS.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from pledgebook.forum.models import Event, Session
from pledgebook.reference.models import Goal


@dataclass
class Row:
    pk: int
    title: str
    kind: str
    kind_label: str
    segment: str
    starts_at: dt.datetime  # at the venue
    ends_at: dt.datetime  # at the venue
    room: str
    online: bool
    url: str
    start: str = ""  # "HH:MM"
    end: str = ""
    organisations: str = ""  # names, comma-separated
    goals: list[tuple[int, str, str]] = field(default_factory=list)  # (number, label, title)

    @property
    def day(self) -> dt.date:
        return self.starts_at.date()


def rows(event: Event, sessions: QuerySet[Session]) -> list[Row]:
    """``sessions`` (of ``event``) as rows, in the queryset's order."""
    zone = event.zone
    kinds = {value: str(label) for value, label in Session.Kind.choices}
    # The address of a session, built once: ``.../sessions/0/`` with each one's number.
    address = reverse(
        "public:session",
        kwargs={"programme": event.programme.slug, "event": event.slug, "session": 0},
    )
    head, tail = address.rsplit("/0/", 1)
    found: list[Row] = []
    for pk, title, kind, segment, starts_at, ends_at, room, online_url in sessions.values_list(
        "pk", "title", "kind", "segment", "starts_at", "ends_at", "room__name", "online_url"
    ):
        start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
        found.append(
            Row(
                pk=pk,
                title=title,
                kind=kind,
                kind_label=kinds.get(kind, kind),
                segment=segment,
                starts_at=start,
                ends_at=end,
                room=room or "",
                online=bool(online_url),
                url=f"{head}/{pk}/{tail}",
                start=start.strftime("%H:%M"),
                end=end.strftime("%H:%M"),
            )
        )
    if not found:
        return found
    ids = [r.pk for r in found]
    goals: dict[int, str] = dict(Goal.objects.values_list("number", "title"))
    labels = {number: _("SDG %(n)s") % {"n": number} for number in goals}
    by_session: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for session_id, number in (
        Session.goals.through.objects.filter(session_id__in=ids)
        .order_by("goal_id")
        .values_list("session_id", "goal_id")
    ):
        by_session[session_id].append((number, labels[number], goals[number]))
    names: dict[int, list[str]] = defaultdict(list)
    for session_id, name in (
        Session.organisations.through.objects.filter(session_id__in=ids)
        .order_by("organisation__name")
        .values_list("session_id", "organisation__name")
    ):
        names[session_id].append(name)
    for row in found:
        row.goals = by_session.get(row.pk, [])
        row.organisations = ", ".join(names.get(row.pk, []))
    return found
