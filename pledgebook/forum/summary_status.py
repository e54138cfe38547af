"""Where the session summaries stand (reads only): the organisers' task list and the
secretariat's tracker, under one rule of status.

A session that has ended has a summary that is

- **submitted**, or **submitted late** (after its due date: ``SessionSummary.is_late``);
- **missing**: not submitted and past its due date (overdue);
- **due**: not submitted, its due date still ahead.

A session without a ``SessionSummary`` row yet (the workers' check has not opened its task)
is due ``summary_due_days`` after its end under the programme's current settings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.forum.models import Event, ForumSettings, Session, SessionSummary

SUBMITTED = "submitted"
LATE = "late"
MISSING = "missing"
DUE = "due"
#: In the order the tracker lists its counts.
STATES = {
    SUBMITTED: _("Submitted"),
    LATE: _("Submitted late"),
    MISSING: _("Missing (overdue)"),
    DUE: _("Due (not yet due)"),
}


@dataclass(frozen=True)
class Row:
    session: Session
    summary: SessionSummary | None
    due_at: dt.datetime
    state: str

    @property
    def label(self) -> Any:
        return STATES[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in (DUE, MISSING)


def state_of(summary: SessionSummary | None, due_at: dt.datetime, now: dt.datetime) -> str:
    if summary is not None and summary.status == SessionSummary.Status.SUBMITTED:
        return LATE if summary.is_late else SUBMITTED
    return MISSING if now > due_at else DUE


def _rows(sessions: QuerySet[Session], now: dt.datetime) -> list[Row]:
    found = list(
        sessions.filter(status=Session.Status.SCHEDULED, ends_at__lte=now)
        .select_related("event__programme", "summary", "room")
        .order_by("ends_at", "title", "pk")
    )
    settings: dict[int, ForumSettings] = {}
    rows = []
    for session in found:
        summary = getattr(session, "summary", None)
        if summary is not None:
            due = summary.due_at
        else:
            programme = session.event.programme
            if programme.pk not in settings:
                settings[programme.pk] = ForumSettings.for_programme(programme)
            days = settings[programme.pk].summary_due_days
            due = session.ends_at + dt.timedelta(days=days)
        rows.append(Row(session, summary, due, state_of(summary, due, now)))
    return rows


def tracker(event: Event, now: dt.datetime) -> tuple[list[Row], dict[str, int]]:
    """Every ended session of ``event`` with the state of its summary, and the count of each
    state (every state named, zeros included)."""
    rows = _rows(Session.objects.filter(event=event), now)
    counts = Counter(row.state for row in rows)
    return rows, {state: counts.get(state, 0) for state in STATES}


def tasks_of(user: Any, now: dt.datetime) -> list[Row]:
    """The summaries ``user`` is to write: of the ended sessions they organise, in person or
    for an organisation they act for; open ones first, the soonest due first."""
    mine = Session.objects.filter(
        Q(organisers=user) | Q(organisations__representative__user=user)
    ).distinct()
    rows = _rows(mine, now)
    return sorted(
        rows,
        key=lambda r: (not r.is_open, (1 if r.is_open else -1) * r.due_at.timestamp()),
    )
