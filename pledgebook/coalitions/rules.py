"""Coalition permissions (django-rules predicates).  Object-level: the object decides the scope.

Who may do what:

- an expression of interest: the proposer organisation's representatives draft, edit (until the
  secretariat starts review), submit, withdraw, invite members and invite others to merge;
  the secretariat of its programme reviews, accepts, declines and merges;
- a coalition: representatives of its active lead organisations manage its content and members;
  the secretariat of its programme does that too, and moves it through its states;
- a membership: the invited organisation's representatives answer an invitation; whoever manages
  the container answers a request to join.
"""

from __future__ import annotations

from typing import Any

import rules

from pledgebook.coalitions.models import (
    Coalition,
    ExpressionOfInterest,
    Membership,
    MergeInvitation,
)
from pledgebook.organisations.models import Representative
from pledgebook.organisations.rules import represents
from pledgebook.programmes.rules import is_reviewer, is_secretariat

Container = ExpressionOfInterest | Coalition


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def leads(user: Any, container: Container) -> bool:
    """The user represents an active lead organisation of the container."""
    if not _authenticated(user) or container is None or container.pk is None:
        return False
    org_ids = Representative.objects.filter(user=user).values("organisation_id")
    return container.memberships.filter(  # type: ignore[union-attr]
        organisation_id__in=org_ids,
        role=Membership.Role.LEAD,
        status=Membership.Status.ACTIVE,
    ).exists()


def is_member(user: Any, container: Container) -> bool:
    """The user represents an active member organisation of the container."""
    if not _authenticated(user) or container is None or container.pk is None:
        return False
    org_ids = Representative.objects.filter(user=user).values("organisation_id")
    return container.memberships.filter(  # type: ignore[union-attr]
        organisation_id__in=org_ids, status=Membership.Status.ACTIVE
    ).exists()


# Expressions of interest ---------------------------------------------------------------------


@rules.predicate
def is_proposer(user: Any, eoi: ExpressionOfInterest) -> bool:
    return _authenticated(user) and bool(represents(user, eoi.organisation))


@rules.predicate
def eoi_is_editable(user: Any, eoi: ExpressionOfInterest) -> bool:
    return eoi.is_editable


@rules.predicate
def eoi_is_draft(user: Any, eoi: ExpressionOfInterest) -> bool:
    return eoi.status == ExpressionOfInterest.Status.DRAFT


@rules.predicate
def eoi_can_be_withdrawn(user: Any, eoi: ExpressionOfInterest) -> bool:
    return eoi.status in (
        ExpressionOfInterest.Status.DRAFT,
        ExpressionOfInterest.Status.SUBMITTED,
        ExpressionOfInterest.Status.IN_REVIEW,
    )


@rules.predicate
def runs_eoi_programme(user: Any, eoi: ExpressionOfInterest) -> bool:
    return bool(is_secretariat(user, eoi.programme))


@rules.predicate
def reviews_eoi_programme(user: Any, eoi: ExpressionOfInterest) -> bool:
    return bool(is_reviewer(user, eoi.programme))


@rules.predicate
def is_eoi_member(user: Any, eoi: ExpressionOfInterest) -> bool:
    return is_member(user, eoi)


# Coalitions ----------------------------------------------------------------------------------


@rules.predicate
def leads_coalition(user: Any, coalition: Coalition) -> bool:
    return leads(user, coalition)


@rules.predicate
def is_coalition_member(user: Any, coalition: Coalition) -> bool:
    return is_member(user, coalition)


@rules.predicate
def coalition_is_live(user: Any, coalition: Coalition) -> bool:
    return coalition.is_live


@rules.predicate
def coalition_is_public(user: Any, coalition: Coalition) -> bool:
    return coalition.state in Coalition.PUBLIC_STATES and coalition.programme.is_published


@rules.predicate
def runs_coalition_programme(user: Any, coalition: Coalition) -> bool:
    return bool(is_secretariat(user, coalition.programme))


@rules.predicate
def reviews_coalition_programme(user: Any, coalition: Coalition) -> bool:
    return bool(is_reviewer(user, coalition.programme))


# Memberships ---------------------------------------------------------------------------------


@rules.predicate
def is_invitee(user: Any, membership: Membership) -> bool:
    """The invited organisation's representatives; for an organisation invited by e-mail, the
    person who owns that (verified) address."""
    if not _authenticated(user):
        return False
    if membership.organisation_id is not None:
        return bool(represents(user, membership.organisation))
    return bool(user.email) and user.email.strip().lower() == membership.invited_email


@rules.predicate
def manages_membership_container(user: Any, membership: Membership) -> bool:
    """Whoever may change the container: an editable EOI's proposer; a live coalition's leads
    and its programme's secretariat."""
    owner = membership.owner
    if isinstance(owner, Coalition):
        return bool(user.has_perm("coalitions.change_coalition", owner))
    return bool(user.has_perm("coalitions.change_expressionofinterest", owner))


@rules.predicate
def membership_container_is_live(user: Any, membership: Membership) -> bool:
    """Invitations are answered on an open EOI, or on a live coalition.  Once an EOI is
    accepted or merged, its pending invitations are answered on the coalition's copy."""
    owner = membership.owner
    if isinstance(owner, ExpressionOfInterest):
        return owner.is_open
    return owner.is_live


# Merge invitations ---------------------------------------------------------------------------


@rules.predicate
def sent_merge_invitation(user: Any, invitation: MergeInvitation) -> bool:
    return _authenticated(user) and bool(represents(user, invitation.from_eoi.organisation))


@rules.predicate
def received_merge_invitation(user: Any, invitation: MergeInvitation) -> bool:
    to = invitation.to
    if isinstance(to, ExpressionOfInterest):
        return _authenticated(user) and bool(represents(user, to.organisation))
    return leads(user, to)


# Permissions ---------------------------------------------------------------------------------

rules.add_perm(
    "coalitions.view_expressionofinterest",
    is_proposer | is_eoi_member | reviews_eoi_programme,
)
rules.add_perm("coalitions.change_expressionofinterest", is_proposer & eoi_is_editable)
rules.add_perm("coalitions.submit_expressionofinterest", is_proposer & eoi_is_draft)
rules.add_perm("coalitions.withdraw_expressionofinterest", is_proposer & eoi_can_be_withdrawn)
rules.add_perm("coalitions.review_expressionofinterest", runs_eoi_programme)
rules.add_perm("coalitions.invite_to_merge", is_proposer)

rules.add_perm(
    "coalitions.view_coalition",
    coalition_is_public | is_coalition_member | reviews_coalition_programme,
)
rules.add_perm(
    "coalitions.change_coalition",
    coalition_is_live & (leads_coalition | runs_coalition_programme),
)
rules.add_perm("coalitions.change_coalition_state", runs_coalition_programme)

rules.add_perm("coalitions.answer_invitation", is_invitee & membership_container_is_live)
rules.add_perm("coalitions.manage_membership", manages_membership_container)

rules.add_perm("coalitions.cancel_merge_invitation", sent_merge_invitation)
rules.add_perm("coalitions.answer_merge_invitation", received_merge_invitation)

# On a programme: configure its coalition settings, merge and undo merges in it.
rules.add_perm("coalitions.configure_programme", is_secretariat)
rules.add_perm("coalitions.merge_in_programme", is_secretariat)
# On a programme: import existing coalitions from a file (console, coalitions/importing.py).
rules.add_perm("coalitions.import_coalitions", is_secretariat)
