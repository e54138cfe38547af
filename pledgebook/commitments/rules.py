"""Commitment and application permissions.  Object-level: the object decides the scope."""

from typing import Any

import rules

from pledgebook.commitments.models import Commitment
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
def is_public(user: Any, commitment: Commitment) -> bool:
    return commitment.is_public and commitment.programme.is_published


@rules.predicate
def reviews_programme(user: Any, commitment: Commitment) -> bool:
    return bool(is_reviewer(user, commitment.programme))


@rules.predicate
def runs_programme(user: Any, commitment: Commitment) -> bool:
    return bool(is_secretariat(user, commitment.programme))


rules.add_perm(
    "commitments.view_commitment",
    is_public | is_lead_representative | is_co_maker_representative | reviews_programme,
)
rules.add_perm("commitments.change_commitment", is_lead_representative & is_editable)
rules.add_perm("commitments.submit_commitment", is_lead_representative & is_editable)
rules.add_perm("commitments.review_commitment", reviews_programme)
rules.add_perm("commitments.feature_commitment", runs_programme)
