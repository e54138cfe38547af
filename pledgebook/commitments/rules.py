"""Commitment and application permissions.  Object-level: the object decides the scope."""

from typing import Any

import rules

from pledgebook.commitments.models import Application, Commitment
from pledgebook.organisations.rules import represents
from pledgebook.programmes.rules import is_reviewer, is_secretariat


@rules.predicate
def is_lead_representative(user: Any, commitment: Commitment) -> bool:
    return bool(represents(user, commitment.organisation))


@rules.predicate
def is_co_maker_representative(user: Any, commitment: Commitment) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return commitment.co_makers.filter(organisation__representative__user=user).exists()


@rules.predicate
def is_editable(user: Any, commitment: Commitment) -> bool:
    return commitment.is_editable


@rules.predicate
def has_public_status(user: Any, commitment: Commitment) -> bool:
    return commitment.is_public


@rules.predicate
def in_published_programme(user: Any, commitment: Commitment) -> bool:
    return commitment.programme.is_published


@rules.predicate
def reviews_programme(user: Any, commitment: Commitment) -> bool:
    return bool(is_reviewer(user, commitment.programme))


@rules.predicate
def runs_programme(user: Any, obj: Commitment | Application) -> bool:
    return bool(is_secretariat(user, obj.programme))


# The public page of a commitment shows only a public status (confirmed, featured), to
# everyone; its makers and the programme's staff also see it before the programme is
# published.  A draft belongs to its organisation until submitted: its people see it in the
# workspace; the programme's staff see a submitted one in the console, never a draft.
rules.add_perm(
    "commitments.view_commitment",
    has_public_status
    & (
        in_published_programme
        | is_lead_representative
        | is_co_maker_representative
        | reviews_programme
    ),
)
rules.add_perm("commitments.change_commitment", is_lead_representative & is_editable)
rules.add_perm("commitments.submit_commitment", is_lead_representative & is_editable)
rules.add_perm("commitments.review_commitment", reviews_programme)
rules.add_perm("commitments.feature_commitment", runs_programme)
# The programme's secretariat links the registrations of one initiative (commitments.initiatives).
rules.add_perm("commitments.link_duplicate", runs_programme)
# The programme's secretariat decides the applications to its themes.
rules.add_perm("commitments.decide_application", runs_programme)
