"""Who takes part in an event, counted from registrations: the one place of these figures
(the secretariat's participation page and the impact report both read :func:`participation`).

Counts are of registrations that hold a place (``registered``); the waiting list is counted
apart.  A registration without a category, a country or a gender is counted under "not
given", so that every breakdown adds up to the total."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from pledgebook.forum.models import Event, Registration
from pledgebook.organisations.models import category_label

NOT_GIVEN = ""


@dataclass(frozen=True)
class Breakdown:
    """``rows``: (key, label, in person, online), largest first, "not given" last."""

    rows: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(in_person + online for _, _, in_person, online in self.rows)


@dataclass(frozen=True)
class Participation:
    in_person: int
    online: int
    waitlisted: int
    by_category: Breakdown
    by_region: Breakdown
    by_gender: Breakdown

    @property
    def total(self) -> int:
        return self.in_person + self.online


def _breakdown(counts: Counter[tuple[str, str]], labels: dict[str, str]) -> Breakdown:
    keys = {key for key, _ in counts}
    rows = [
        (
            key,
            labels.get(key, key) if key != NOT_GIVEN else str(_not_given()),
            counts[(key, Registration.Mode.IN_PERSON)],
            counts[(key, Registration.Mode.ONLINE)],
        )
        for key in keys
    ]
    rows.sort(key=lambda r: (r[0] == NOT_GIVEN, -(r[2] + r[3]), r[1]))
    return Breakdown(rows)


def _not_given() -> Any:
    return gettext("Not given")


def participation(event: Event) -> Participation:
    """The event's participation, by mode, stakeholder category, region and gender."""
    rows = list(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list(
            "status", "mode", "category", "country__region_id", "country__region__name", "gender"
        )
    )
    held = [r for r in rows if r[0] == Registration.Status.REGISTERED]
    by_category: Counter[tuple[str, str]] = Counter()
    by_region: Counter[tuple[str, str]] = Counter()
    by_gender: Counter[tuple[str, str]] = Counter()
    region_names: dict[str, str] = {}
    for _status, mode, category, region, region_name, gender in held:
        by_category[(category or NOT_GIVEN, mode)] += 1
        by_region[(region or NOT_GIVEN, mode)] += 1
        if region:
            region_names[region] = region_name
        by_gender[(gender or NOT_GIVEN, mode)] += 1
    categories = {key: str(category_label(key)) for key, _ in by_category if key}
    genders = {str(k): str(v) for k, v in Registration.Gender.choices}
    return Participation(
        in_person=sum(1 for r in held if r[1] == Registration.Mode.IN_PERSON),
        online=sum(1 for r in held if r[1] == Registration.Mode.ONLINE),
        waitlisted=sum(1 for r in rows if r[0] == Registration.Status.WAITLISTED),
        by_category=_breakdown(by_category, categories),
        by_region=_breakdown(by_region, region_names),
        by_gender=_breakdown(by_gender, genders),
    )
