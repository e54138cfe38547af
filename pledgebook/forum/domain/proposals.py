"""Side-event proposals: an organisation proposes a side event (with co-organisers), withdraws
it, and the secretariat accepts it (it joins the schedule as a session) or declines it with a
reason; the proposing organisation is told by mail either way.

A proposal's place (room, time, participants expected) follows the schedule's rules
(:func:`forum.validation.check_slot`): a room too small or already taken at that time is
refused at its field, nothing stored.  Acceptance checks the slot again with the room's row
locked, so two proposals accepted into one room at once cannot both get it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.core import audit
from pledgebook.core.notify import emails_of, notify
from pledgebook.core.permissions import require
from pledgebook.core.site import absolute_url
from pledgebook.core.transitions import transition
from pledgebook.forum.models import Event, Room, Session, SideEventProposal
from pledgebook.forum.validation import check_proposal, check_slot, local

Status = SideEventProposal.Status


class _Keep:
    """The room chosen in the proposal (``accept_proposal(room=KEEP)``)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def public_link(session: Session) -> str:
    """The session's public page; the event's, then the programme's, while those pages are
    not installed."""
    event = session.event
    try:
        path = session.get_absolute_url()
    except NoReverseMatch:
        try:
            path = event.get_absolute_url()
        except NoReverseMatch:
            path = reverse("public:programme", kwargs={"programme": event.programme.slug})
    return absolute_url(path)


def propose_side_event(
    *,
    actor: Any,
    event: Event,
    organisation: Any,
    title: str,
    description: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    expected_participants: int | None,
    room: Room | None = None,
    co_organisers: Iterable[Any] = (),
    themes: Iterable[Any] = (),
    goals: Iterable[Any] = (),
) -> SideEventProposal:
    """``organisation`` (which ``actor`` acts for) proposes a side event at ``event``."""
    require(actor, "forum.propose_side_event", event)
    require(actor, "organisations.act_for_organisation", organisation)
    co_organisers, themes, goals = list(co_organisers), list(themes), list(goals)
    _raise_if(
        check_proposal(
            event=event,
            organisation=organisation,
            title=title,
            description=description,
            starts_at=starts_at,
            ends_at=ends_at,
            expected_participants=expected_participants,
            room=room,
            co_organisers=co_organisers,
            themes=themes,
        )
    )
    # check_proposal refused any of these missing.
    assert starts_at is not None and ends_at is not None and expected_participants is not None
    with transaction.atomic():
        proposal = SideEventProposal.objects.create(
            event=event,
            organisation=organisation,
            proposed_by=actor,
            title=title.strip(),
            description=description.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            room=room,
            expected_participants=expected_participants,
        )
        proposal.co_organisers.set(co_organisers)
        proposal.themes.set(themes)
        proposal.goals.set(goals)
        audit.record(
            actor=actor, action="side_event.proposed", obj=proposal, programme=event.programme
        )
    return proposal


def withdraw_proposal(*, actor: Any, proposal: SideEventProposal) -> SideEventProposal:
    return transition(
        proposal,
        actor=actor,
        perm="forum.withdraw_proposal",
        allowed_from=[Status.SUBMITTED],
        to=Status.WITHDRAWN,
        action=_("withdrawn"),
        refusal=_("This proposal is %(state)s: it can no longer be %(action)s."),
        audit_action="side_event.withdrawn",
        programme=proposal.event.programme,
    )


def accept_proposal(
    *,
    actor: Any,
    proposal: SideEventProposal,
    room: Room | None = KEEP,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    reason: str = "",
) -> SideEventProposal:
    """Accept ``proposal``: a session of kind side event joins the schedule (the proposing
    organisation and the co-organisers organise it, the person who proposed it writes its
    summary), in the room and at the time of the proposal unless the secretariat sets others.
    Refused, nothing changed, when that slot breaks the schedule's rules."""
    require(actor, "forum.decide_proposal", proposal)
    event = proposal.event
    room = proposal.room if room is KEEP else room
    starts_at = starts_at or proposal.starts_at
    ends_at = ends_at or proposal.ends_at

    def slot_errors() -> dict[str, list[str]]:
        return check_slot(
            event=event,
            starts_at=starts_at,
            ends_at=ends_at,
            room=room,
            expected=proposal.expected_participants,
        )

    if proposal.status == Status.SUBMITTED:  # else transition names the state
        _raise_if(slot_errors())

    def schedule(row: SideEventProposal, previous: str) -> list[str]:
        if room is not None:
            # One acceptance into a room at a time: the second reads the first's session.
            Room.objects.select_for_update().get(pk=room.pk)
        _raise_if(slot_errors())
        session = Session.objects.create(
            event=event,
            kind=Session.Kind.SIDE_EVENT,
            title=row.title,
            description=row.description,
            starts_at=starts_at,
            ends_at=ends_at,
            room=room,
        )
        session.organisations.set([row.organisation, *row.co_organisers.all()])
        if row.proposed_by_id:
            session.organisers.set([row.proposed_by_id])
        session.themes.set(row.themes.all())
        session.goals.set(row.goals.all())
        audit.record(actor=actor, action="session.created", obj=session, programme=event.programme)
        row.session = session
        row.room, row.starts_at, row.ends_at = room, starts_at, ends_at
        row.decided_by, row.decided_at = actor, timezone.now()
        row.decision_reason = reason.strip()
        return [
            "session",
            "room",
            "starts_at",
            "ends_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]

    def tell(row: SideEventProposal, previous: str) -> None:
        assert row.session is not None
        notify(
            to=emails_of(row.organisation),
            template="side_event_accepted",
            context={
                "proposal": row,
                "event": event,
                "session": row.session,
                "starts": _venue_time(event, row.session.starts_at),
                "ends": _venue_time(event, row.session.ends_at),
                "link": public_link(row.session),
            },
        )

    return transition(
        proposal,
        actor=actor,
        perm="forum.decide_proposal",
        allowed_from=[Status.SUBMITTED],
        to=Status.ACCEPTED,
        action=_("accepted"),
        refusal=_("This proposal is %(state)s: it can no longer be %(action)s."),
        audit_action="side_event.accepted",
        programme=event.programme,
        reason=reason,
        apply=schedule,
        then=tell,
    )


def decline_proposal(*, actor: Any, proposal: SideEventProposal, reason: str) -> SideEventProposal:
    event = proposal.event

    def decided(row: SideEventProposal, previous: str) -> list[str]:
        row.decided_by, row.decided_at = actor, timezone.now()
        row.decision_reason = reason.strip()
        return ["decided_by", "decided_at", "decision_reason"]

    def tell(row: SideEventProposal, previous: str) -> None:
        notify(
            to=emails_of(row.organisation),
            template="side_event_declined",
            context={"proposal": row, "event": event, "reason": row.decision_reason},
        )

    return transition(
        proposal,
        actor=actor,
        perm="forum.decide_proposal",
        allowed_from=[Status.SUBMITTED],
        to=Status.DECLINED,
        action=_("declined"),
        refusal=_("This proposal is %(state)s: it can no longer be %(action)s."),
        audit_action="side_event.declined",
        programme=event.programme,
        reason=reason,
        reason_required=_("Give the reason: the organisation reads it."),
        apply=decided,
        then=tell,
    )


def _venue_time(event: Event, moment: dt.datetime) -> str:
    return f"{local(event, moment)} ({event.time_zone})"
