"""The public page of a coalition: its principles and asks, its members by stakeholder category
and region (diversity at a glance), its work plan with each milestone's status, where each item
came from, and the similar coalitions.  Public coalitions only (accepted, active, closed, of a
published programme); any other is a 404.  Read only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pledgebook.coalitions.models import (
    Ask,
    Coalition,
    ExpressionOfInterest,
    Membership,
    Milestone,
    Principle,
)
from pledgebook.coalitions.similar import partners_for, similar_to
from pledgebook.organisations.models import Category, Organisation


@dataclass
class Diversity:
    members: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    north: int = 0
    south: int = 0
    unknown_country: int = 0
    youth_led: int = 0
    grassroots: int = 0


def diversity(memberships: list[Membership]) -> Diversity:
    """Counts over the active members: by stakeholder category (in the order of the
    categories), by UN M49 region (alphabetical), global North (developed countries) and South,
    youth-led and grassroots organisations."""
    result = Diversity(members=len(memberships))
    categories: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for m in memberships:
        org = m.organisation
        category = org.category if org is not None else m.invited_category
        country = org.country if org is not None else m.invited_country
        categories[category] += 1
        if category == Category.YOUTH_LED:
            result.youth_led += 1
        if org is not None and org.is_grassroots:
            result.grassroots += 1
        if country is None:
            result.unknown_country += 1
            continue
        regions[country.region.name] += 1
        if country.is_developed:
            result.north += 1
        else:
            result.south += 1
    result.by_category = [
        (str(label), categories[value]) for value, label in Category.choices if categories[value]
    ]
    result.by_region = sorted(regions.items())
    return result


def _provenance(item: Any) -> list[str]:
    sources = [item.source_eoi] if item.source_eoi is not None else []
    sources += list(item.also_from.all())
    names = []
    for eoi in sources:
        name = eoi.organisation.name
        if name not in names:
            names.append(name)
    return names


def coalition(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Coalition.objects.public().select_related("programme").prefetch_related("themes", "goals"),
        slug=slug,
    )
    provenance = ("source_eoi__organisation",)
    also = Prefetch("also_from", queryset=_eois_with_org())
    principles = list(
        Principle.objects.filter(coalition=found).select_related(*provenance).prefetch_related(also)
    )
    asks = list(
        Ask.objects.filter(coalition=found).select_related(*provenance).prefetch_related(also)
    )
    milestones = list(
        Milestone.objects.filter(coalition=found).select_related(*provenance).prefetch_related(also)
    )
    members = list(
        Membership.objects.filter(coalition=found, status=Membership.Status.ACTIVE)
        .select_related(
            "organisation__country__region",
            "invited_country__region",
            *provenance,
        )
        .prefetch_related(also)
        .order_by("-role", "organisation__name", "invited_name", "id")
    )
    similar = similar_to(found, k=5, public_only=True)
    for item in [*principles, *asks, *milestones, *members]:
        item.sources = _provenance(item)  # type: ignore[attr-defined]
    return render(
        request,
        "public/coalition.html",
        {
            "coalition": found,
            "principles": principles,
            "asks": asks,
            "milestones": milestones,
            "members": members,
            "diversity": diversity(members),
            "similar": similar,
            "partners": partners_for(found, similar),
            "can_join": _organisations_that_can_ask(request.user, found),
        },
    )


def _organisations_that_can_ask(user: Any, coalition: Coalition) -> list[Any]:
    """The visitor's organisations that are not members and have no live request: those for
    which a "Request to join" button makes sense.  Empty for anonymous visitors."""
    if not getattr(user, "is_authenticated", False) or not coalition.is_live:
        return []
    taken = Membership.objects.filter(coalition=coalition).exclude(
        status=Membership.Status.DECLINED
    )
    return list(
        Organisation.objects.filter(representative__user=user)
        .exclude(pk__in=taken.values("organisation_id").exclude(organisation_id__isnull=True))
        .order_by("name")
    )


def _eois_with_org() -> Any:
    return ExpressionOfInterest.objects.select_related("organisation")
