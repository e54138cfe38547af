"""The content rules of a case study, in one place: the workspace form shows them at the
fields, the domain refuses with them, the demo goes through them.

Whose results: a case study links only commitments of its own organisation (lead, or
confirmed co-maker), public (confirmed or featured), of its programme; and only indicator
values of the latest submitted version of those commitments' progress reports (the numbers
the public commitment page shows)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.reporting.models import IndicatorValue, ReportingCycle
from pledgebook.reporting.queries import latest_submitted

#: What a submitted case study must say (the template's sections), by field.
REQUIRED_TO_SUBMIT = ("summary", "problem", "approach", "results", "replicability", "lessons")


def own_commitments(organisation_ids: Iterable[int]) -> QuerySet[Commitment]:
    """Public commitments the organisations lead or co-make (confirmed): what their case
    studies may link."""
    ids = list(organisation_ids)
    co_made = CoMaker.objects.filter(
        organisation_id__in=ids, confirmed_at__isnull=False, declined_at__isnull=True
    ).values("commitment_id")
    return Commitment.objects.public().filter(Q(organisation_id__in=ids) | Q(pk__in=co_made))


def reported_values(commitment_ids: Iterable[int]) -> QuerySet[IndicatorValue]:
    """Indicator values with a number, of the latest submitted version of the commitments'
    reports in open or closed cycles (what the public commitment page shows)."""
    reports = latest_submitted().filter(
        commitment_id__in=list(commitment_ids),
        cycle__status__in=[ReportingCycle.Status.OPEN, ReportingCycle.Status.CLOSED],
    )
    return IndicatorValue.objects.filter(report__in=reports, value__isnull=False)


def check_case_study(
    *,
    organisation: Any,
    programme: Any,
    title: str,
    commitments: Iterable[Commitment] = (),
    indicator_values: Iterable[IndicatorValue] = (),
    goals: Iterable[Any] = (),
    targets: Iterable[Any] = (),
    partners: Iterable[Any] = (),
    submitting: bool = False,
    texts: dict[str, str] | None = None,
    countries: Iterable[Any] = (),
    regions: Iterable[Any] = (),
    categories: Iterable[str] = (),
) -> dict[str, list[str]]:
    """The errors by field (empty when fine).  ``submitting``: the sections a reviewer needs
    must be written too."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not (title or "").strip():
        add("title", _("Give the case study a title."))
    commitments = list(commitments)
    own = set(own_commitments([organisation.pk]).values_list("pk", flat=True))
    for commitment in commitments:
        if commitment.pk not in own:
            add(
                "commitments",
                _(
                    "“%(title)s” is not a public commitment of %(organisation)s (as lead or "
                    "confirmed co-maker): a case study links only its own organisation's "
                    "commitments."
                )
                % {"title": commitment.title, "organisation": organisation.name},
            )
        elif programme is not None and commitment.programme_id != programme.pk:
            add(
                "commitments",
                _("“%(title)s” belongs to another programme than %(programme)s.")
                % {"title": commitment.title, "programme": programme.name},
            )
    chosen = [c.pk for c in commitments if c.pk in own]
    allowed_values = set(reported_values(chosen).values_list("pk", flat=True))
    for value in indicator_values:
        if value.pk not in allowed_values:
            add(
                "indicator_values",
                _(
                    "“%(value)s” is not a reported value of a commitment linked above (the "
                    "latest submitted report): link its commitment, or leave it out."
                )
                % {"value": str(value)},
            )
    goal_numbers = {g.pk for g in goals}
    for target in targets:
        if target.goal_id not in goal_numbers:
            add(
                "targets",
                _("Target %(code)s belongs to SDG %(goal)s, which is not chosen.")
                % {"code": target.pk, "goal": target.goal_id},
            )
    for partner in partners:
        if partner.pk == organisation.pk:
            add("partners", _("Your own organisation is the author, not a partner."))
    if submitting:
        texts = texts or {}
        for name in REQUIRED_TO_SUBMIT:
            if not (texts.get(name) or "").strip():
                add(name, _("Write this section before submitting."))
        if not commitments:
            add("commitments", _("Link at least one commitment whose results this shows."))
        if not goal_numbers:
            add("goals", _("Choose at least one SDG."))
        if not list(countries) and not list(regions):
            add("countries", _("Name at least one country or region."))
        if not list(categories):
            add("categories", _("Choose at least one stakeholder category involved."))
    return errors
