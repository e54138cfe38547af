"""Factories of the partner finder's tests: organisations in given categories and countries
with public work, coalitions with members, contact requests."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from pledgebook.coalitions.indexing import COALITION_KIND
from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import Organisation
from pledgebook.portal.models import ContactRequest
from pledgebook.programmes.models import Programme
from pledgebook.reference.models import Country
from pledgebook.similarity import engine
from tests import factories


def org(name: str, category: str, iso2: str, *, grassroots: bool = False) -> Organisation:
    return factories.OrganisationFactory(
        name=name,
        slug=slugify(name),
        category=category,
        country=Country.objects.get(iso2=iso2),
        is_grassroots=grassroots,
    )


def coalition(
    programme: Programme,
    name: str,
    members: list[Organisation],
    *,
    summary: str = "",
    state: str = Coalition.State.ACTIVE,
    index: bool = True,
) -> Coalition:
    """A public coalition with active members (the first one leads); its text indexed."""
    found = Coalition.objects.create(
        programme=programme, name=name, slug=slugify(name)[:90], summary=summary, state=state
    )
    for i, member in enumerate(members):
        Membership.objects.create(
            coalition=found,
            organisation=member,
            role=Membership.Role.LEAD if i == 0 else Membership.Role.MEMBER,
            status=Membership.Status.ACTIVE,
        )
    if index:
        engine.index_text(COALITION_KIND, found.pk, f"{name}\n{summary}")
    return found


def coalition_member(found: Coalition, organisation: Organisation) -> Membership:
    return Membership.objects.create(
        coalition=found,
        organisation=organisation,
        role=Membership.Role.MEMBER,
        status=Membership.Status.ACTIVE,
    )


def public_commitment(theme: Any, organisation: Organisation, **kwargs: Any) -> Commitment:
    return factories.CommitmentFactory(
        theme=theme, organisation=organisation, status=Commitment.Status.CONFIRMED, **kwargs
    )


def contact_request(sender: Organisation, recipient: Organisation, **kwargs: Any) -> ContactRequest:
    kwargs.setdefault("message", "Shall we work together?")
    return ContactRequest.objects.create(sender=sender, recipient=recipient, **kwargs)
