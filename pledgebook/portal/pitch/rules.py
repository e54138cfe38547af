"""Permissions of the pitch pipeline (django-rules).  The object decides the scope.

- ``pitch.plan_for`` (Commitment or Coalition): a representative of the commitment's maker, or
  of an active lead organisation of the coalition, while it is public (confirmed or featured;
  accepted or active): they write its scale-up plan.
- ``pitch.change_plan`` (ScaleUpPlan): the same people, asked of the plan's partnership.
- ``pitch.curate`` (Programme): the programme's secretariat: the call, invitations, the
  shortlist, the schedule, outcomes.
- ``pitch.curate_plan`` (ScaleUpPlan): the secretariat of the plan's programme.
- ``pitch.keep_profile`` (Organisation): a representative of an organisation of an investor
  category (:data:`INVESTOR_CATEGORIES`).
- ``pitch.act_as_investor`` (InvestorProfile): a representative of its organisation.
- ``pitch.answer_invitation`` (PitchInvitation): a representative of the invited organisation.
- ``pitch.record_outcome`` (PitchOutcome or a (plan, investor) pair wrapped as an outcome): the
  investor's representatives and the secretariat of the plan's programme.
"""

from __future__ import annotations

from typing import Any

import rules

from pledgebook.coalitions.models import Coalition
from pledgebook.coalitions.rules import leads
from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import Category
from pledgebook.organisations.rules import represents
from pledgebook.portal.models.pitch import InvestorKind
from pledgebook.programmes.rules import is_secretariat

#: The stakeholder categories of investors, and the kinds of investor each may be.
INVESTOR_CATEGORIES: dict[str, tuple[str, ...]] = {
    Category.PRIVATE_SECTOR: (InvestorKind.PRIVATE_COMPANY,),
    Category.FINANCIAL_INSTITUTION: (InvestorKind.PRIVATE_COMPANY, InvestorKind.DEVELOPMENT_BANK),
    Category.PHILANTHROPY: (InvestorKind.FOUNDATION,),
    Category.IFI: (InvestorKind.IFI, InvestorKind.DEVELOPMENT_BANK),
}


def owns_partnership(user: Any, partnership: Any) -> bool:
    if isinstance(partnership, Commitment):
        return partnership.status in Commitment.PUBLIC_STATUSES and represents(
            user, partnership.organisation
        )
    if isinstance(partnership, Coalition):
        return partnership.state in (Coalition.State.ACCEPTED, Coalition.State.ACTIVE) and leads(
            user, partnership
        )
    return False


@rules.predicate
def may_plan_for(user: Any, partnership: Any) -> bool:
    return owns_partnership(user, partnership)


@rules.predicate
def writes_plan(user: Any, plan: Any) -> bool:
    return owns_partnership(user, plan.partnership)


@rules.predicate
def curates(user: Any, programme: Any) -> bool:
    return bool(is_secretariat(user, programme))


@rules.predicate
def curates_plan(user: Any, plan: Any) -> bool:
    return bool(is_secretariat(user, plan.programme))


@rules.predicate
def represents_investor_organisation(user: Any, organisation: Any) -> bool:
    return organisation.category in INVESTOR_CATEGORIES and represents(user, organisation)


@rules.predicate
def represents_investor(user: Any, profile: Any) -> bool:
    return represents(user, profile.organisation)


@rules.predicate
def invited(user: Any, invitation: Any) -> bool:
    return represents(user, invitation.organisation)


@rules.predicate
def outcome_party(user: Any, outcome: Any) -> bool:
    return represents(user, outcome.investor.organisation) or bool(
        is_secretariat(user, outcome.plan.programme)
    )


rules.add_perm("pitch.plan_for", may_plan_for)
rules.add_perm("pitch.change_plan", writes_plan)
rules.add_perm("pitch.curate", curates)
rules.add_perm("pitch.curate_plan", curates_plan)
rules.add_perm("pitch.keep_profile", represents_investor_organisation)
rules.add_perm("pitch.act_as_investor", represents_investor)
rules.add_perm("pitch.answer_invitation", invited)
rules.add_perm("pitch.record_outcome", outcome_party)
