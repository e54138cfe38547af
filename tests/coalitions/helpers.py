"""Builders for coalition tests: expressions of interest made through the domain functions,
so every test starts from states the product itself produces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pledgebook.coalitions import domain
from pledgebook.coalitions.models import Coalition, ExpressionOfInterest, Membership
from pledgebook.coalitions.validation import MemberInput, MilestoneInput
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme
from tests import factories

LAUNCH = MilestoneInput("Launch the coalition", dt.date(2026, 3, 1))


def proposer() -> Any:
    """A person acting for a new organisation."""
    return factories.representative(factories.OrganisationFactory())


def org_of(user: Any) -> Organisation:
    return user.organisations.get()


def make_eoi(
    programme: Programme,
    user: Any = None,
    *,
    title: str = "Open civic space",
    principles: Sequence[str] = ("Civic space is a public good",),
    asks: Sequence[str] = ("Protect human rights defenders online",),
    milestones: Sequence[MilestoneInput] = (LAUNCH,),
    members: Sequence[MemberInput] = (),
    submit: bool = True,
    **kwargs: Any,
) -> ExpressionOfInterest:
    user = user or proposer()
    eoi = domain.create_eoi(
        actor=user,
        programme=programme,
        organisation=org_of(user),
        title=title,
        principles=principles,
        asks=asks,
        milestones=milestones,
        **kwargs,
    )
    if members:
        domain.add_members(actor=user, container=eoi, members=members)
    if submit:
        eoi = domain.submit_eoi(actor=user, eoi=eoi)
    return eoi


def make_coalition(programme: Programme, secretariat: Any, **kwargs: Any) -> Coalition:
    """A coalition made the product's way: an expression of interest, accepted."""
    eoi = make_eoi(programme, **kwargs)
    eoi = domain.accept_eoi(actor=secretariat, eoi=eoi)
    assert eoi.coalition is not None
    return eoi.coalition


def lead_of(container: ExpressionOfInterest | Coalition) -> Any:
    """A person representing the container's first active lead organisation."""
    membership = container.memberships.filter(  # type: ignore[union-attr]
        role=Membership.Role.LEAD, status=Membership.Status.ACTIVE
    ).first()
    return membership.organisation.people.first()


def texts(container: ExpressionOfInterest | Coalition, kind: str = "principles") -> list[str]:
    return [i.text for i in getattr(container, kind).order_by("position", "id")]
