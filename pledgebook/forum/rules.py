"""Forum permissions (django-rules).  One place per rule; the object decides the scope.

- ``forum.manage_event`` (Event): the programme's secretariat: events, rooms, sessions,
  decisions on side-event proposals and statements, consultations, participation figures.
- ``forum.manage_session`` (Session): the same people, asked of a session.
- ``forum.propose_side_event`` (Event): a representative of any organisation, while the
  event takes proposals (which organisation: checked by ``organisations.act_for_organisation``).
- ``forum.register`` (Event): anyone signed in, on a published event open to registration.
- ``forum.write_summary`` (Session): the session's organisers (people), representatives of its
  organising organisations, and the secretariat.
- ``forum.edit_cochairs`` (Event): the secretariat (editors of the Co-Chairs' Summary); they
  alone see where each point came from.
- ``forum.send_digest`` (Event): the secretariat sends the follow-up digest to subscribers.
"""

from typing import Any

import rules

from pledgebook.forum.models import Event, Registration, Session
from pledgebook.organisations.models import Representative
from pledgebook.programmes.rules import is_secretariat


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_event_secretariat(user: Any, event: Event) -> bool:
    return bool(is_secretariat(user, event.programme))


@rules.predicate
def is_session_secretariat(user: Any, session: Session) -> bool:
    return bool(is_secretariat(user, session.event.programme))


@rules.predicate
def takes_proposals(user: Any, event: Event) -> bool:
    return bool(event.proposals_open and event.is_published and event.programme.is_published)


@rules.predicate
def represents_an_organisation(user: Any) -> bool:
    return _signed_in(user) and Representative.objects.filter(user=user).exists()


@rules.predicate
def open_to_registration(user: Any, event: Event) -> bool:
    return bool(
        _signed_in(user)
        and event.registration_open
        and event.is_published
        and event.programme.is_published
    )


@rules.predicate
def organises_session(user: Any, session: Session) -> bool:
    if not _signed_in(user):
        return False
    if session.organisers.filter(pk=user.pk).exists():
        return True
    return session.organisations.filter(representative__user=user).exists()


rules.add_perm("forum.manage_event", is_event_secretariat)
rules.add_perm("forum.manage_session", is_session_secretariat)
rules.add_perm("forum.propose_side_event", takes_proposals & represents_an_organisation)
rules.add_perm("forum.register", open_to_registration)
rules.add_perm("forum.write_summary", organises_session | is_session_secretariat)
rules.add_perm("forum.edit_cochairs", is_event_secretariat)
rules.add_perm("forum.send_digest", is_event_secretariat)


# Session summaries ------------------------------------------------------------------------------
# ``forum.write_session_summary`` (SessionSummary): asked of the summary itself (its status
# changes go through ``core.transitions``, which checks the permission on the row it moves);
# the same people as ``forum.write_summary`` of its session.


@rules.predicate
def writes_summary_session(user: Any, summary: Any) -> bool:
    return bool(user.has_perm("forum.write_summary", summary.session))


rules.add_perm("forum.write_session_summary", writes_summary_session)


# Side-event proposals and participation (forum/domain/proposals.py, participation.py) ---------


@rules.predicate
def represents_proposer(user: Any, proposal: Any) -> bool:
    return (
        _signed_in(user)
        and Representative.objects.filter(
            user=user, organisation_id=proposal.organisation_id
        ).exists()
    )


@rules.predicate
def is_proposal_secretariat(user: Any, proposal: Any) -> bool:
    return bool(is_secretariat(user, proposal.event.programme))


@rules.predicate
def owns_registration(user: Any, registration: Any) -> bool:
    return _signed_in(user) and registration.user_id == user.pk


@rules.predicate
def is_registration_secretariat(user: Any, registration: Any) -> bool:
    return bool(is_secretariat(user, registration.event.programme))


@rules.predicate
def registered_for_session_event(user: Any, session: Session) -> bool:
    return (
        _signed_in(user)
        and Registration.objects.filter(event_id=session.event_id, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    )


#: The proposing organisation's people withdraw a proposal still under consideration.
rules.add_perm("forum.withdraw_proposal", represents_proposer)
#: The secretariat accepts or declines a proposal.
rules.add_perm("forum.decide_proposal", is_proposal_secretariat)
#: A person cancels (or changes) their own registration; the secretariat may cancel one too.
rules.add_perm("forum.change_registration", owns_registration | is_registration_secretariat)
#: A person registered for the event (in person, online or waiting) marks its sessions.
rules.add_perm("forum.mark_session", registered_for_session_event)


# Statements and consultations (forum/domain/statements.py, forum/domain/consultations.py) ---
# - ``forum.withdraw_statement`` (Statement): a representative of the statement's organisation.
# - ``forum.decide_statement`` (Statement): the secretariat of the session's programme.
# - ``forum.manage_consultation`` (Consultation): the secretariat of its programme (questions,
#   imports, grouping of the answers into themes).
# Who may *respond* to a consultation is its audience, with its own words of refusal:
# ``forum.validation.audience_refusal``.


@rules.predicate
def represents_statement_organisation(user: Any, statement: Any) -> bool:
    return (
        _signed_in(user)
        and Representative.objects.filter(
            user=user, organisation_id=statement.organisation_id
        ).exists()
    )


@rules.predicate
def is_statement_secretariat(user: Any, statement: Any) -> bool:
    return bool(is_secretariat(user, statement.session.event.programme))


@rules.predicate
def is_consultation_secretariat(user: Any, consultation: Any) -> bool:
    return bool(is_secretariat(user, consultation.programme))


rules.add_perm("forum.withdraw_statement", represents_statement_organisation)
rules.add_perm("forum.decide_statement", is_statement_secretariat)
rules.add_perm("forum.manage_consultation", is_consultation_secretariat)
