"""The rules a commitment's content must follow: one place, used by the form (field errors
while drafting), by the submission domain function and by imports.

:class:`CommitmentData` is a plain snapshot of a commitment's fields.  It can be built from a
saved commitment or from a form's cleaned data, so that the rules (and the assessment in
``assessment.py``) judge exactly what the author sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledgebook.commitments.models import Application, Commitment, GeographicScope
from pledgebook.core.related import listed
from pledgebook.organisations.models import Organisation

if TYPE_CHECKING:
    from pledgebook.programmes.models import Programme


@dataclass
class CommitmentData:
    programme: Programme
    organisation: Organisation
    title: str = ""
    description: str = ""
    types: set[str] = field(default_factory=set)
    themes: list[Any] = field(default_factory=list)
    actions: list[Any] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)
    targets: list[Any] = field(default_factory=list)
    scope: str = GeographicScope.NATIONAL
    countries: list[Any] = field(default_factory=list)
    regions: list[Any] = field(default_factory=list)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    amount: Decimal | None = None
    currency: Any = None
    funds_are_new: bool | None = None
    endorsement_level: str = ""
    is_conditional: bool = False
    condition: str = ""
    co_makers: list[Any] = field(default_factory=list)
    confirmed_co_makers: int = 0
    declined_co_makers: int = 0
    # What an imported registry record carries beyond the form's fields (the importer fills
    # them; the assessment reads them): dated deliverables, the date unknown when the source
    # gives none or a placeholder, and partners named in free text (not confirmed co-makers).
    milestones: list[tuple[dt.date | None, str]] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)

    @classmethod
    def from_commitment(cls, commitment: Commitment) -> CommitmentData:
        def related(name: str) -> list[Any]:
            return list(listed(commitment, name))

        co_makers = related("co_makers")
        return cls(
            programme=commitment.programme,
            organisation=commitment.organisation,
            title=commitment.title,
            description=commitment.description,
            types={t.code for t in related("types")},
            themes=related("themes"),
            actions=related("actions"),
            goals=related("goals"),
            targets=related("targets"),
            scope=commitment.scope,
            countries=related("countries"),
            regions=related("regions"),
            starts_on=commitment.starts_on,
            ends_on=commitment.ends_on,
            amount=commitment.amount,
            currency=commitment.currency,
            funds_are_new=commitment.funds_are_new,
            endorsement_level=commitment.endorsement_level,
            is_conditional=commitment.is_conditional,
            condition=commitment.condition,
            co_makers=[c.organisation for c in co_makers],
            confirmed_co_makers=sum(1 for c in co_makers if c.confirmed_at),
            declined_co_makers=sum(1 for c in co_makers if c.declined_at),
        )

    @property
    def is_financial(self) -> bool:
        return "financial" in self.types


def anniversary(day: dt.date, years: int) -> dt.date:
    """The day ``years`` years after ``day``.  The anniversary of 29 February in a common year
    is 1 March: a year that starts on 29 February 2024 runs up to 28 February 2025 included.
    (python-dateutil's ``relativedelta``, installed with matplotlib, does the calendar.)"""
    later = day + relativedelta(years=years)
    if (day.month, day.day) == (2, 29) and later.day == 28:
        later += dt.timedelta(days=1)
    return later


def last_day(starts_on: dt.date, years: int) -> dt.date:
    """The last day (included) of a commitment of exactly ``years`` years from ``starts_on``:
    the day before the ``years``-th anniversary.  A calendar year is a year: 1 January 2026 to
    31 December 2026 lasts one year, and 1 January 2026 to 31 December 2030 five."""
    return anniversary(starts_on, years) - dt.timedelta(days=1)


def duration_errors(
    starts_on: dt.date, ends_on: dt.date, *, low: int, high: int, leader: bool
) -> list[str]:
    """The duration rule: both dates are days of the commitment (the end date is included),
    and it lasts at least ``low`` and at most ``high`` whole years."""
    if ends_on <= starts_on:
        return [_("The end date must be after the start date.")]
    errors = []
    shortest, longest = last_day(starts_on, low), last_day(starts_on, high)
    if ends_on < shortest:
        errors.append(
            (
                ngettext(
                    "Commitments of leaders last at least %(n)s year: end on or after %(d)s.",
                    "Commitments of leaders last at least %(n)s years: end on or after %(d)s.",
                    low,
                )
                if leader
                else ngettext(
                    "Commitments of commitment makers last at least %(n)s year: end on or "
                    "after %(d)s.",
                    "Commitments of commitment makers last at least %(n)s years: end on or "
                    "after %(d)s.",
                    low,
                )
            )
            % {"n": low, "d": date_format(shortest, "j F Y")}
        )
    if ends_on > longest:
        errors.append(
            (
                ngettext(
                    "Commitments of leaders last at most %(n)s year: end by %(d)s.",
                    "Commitments of leaders last at most %(n)s years: end by %(d)s.",
                    high,
                )
                if leader
                else ngettext(
                    "Commitments of commitment makers last at most %(n)s year: end by %(d)s.",
                    "Commitments of commitment makers last at most %(n)s years: end by %(d)s.",
                    high,
                )
            )
            % {"n": high, "d": date_format(longest, "j F Y")}
        )
    return errors


def member_theme_ids(programme: Programme, organisation: Organisation) -> set[int]:
    return set(
        Application.objects.approved()
        .filter(programme=programme, organisation=organisation)
        .values_list("theme_id", flat=True)
    )


def co_maker_candidates(
    programme: Programme, lead: Organisation, theme_ids: Iterable[int]
) -> QuerySet[Organisation]:
    """The organisations that may co-make a commitment of ``lead`` linked to these themes:
    the confirmed members of at least one of them, other than the lead.  The rule below
    refuses any other; the commitment form offers only these."""
    members = Application.objects.approved().filter(
        programme=programme, theme_id__in=list(theme_ids)
    )
    return Organisation.objects.filter(pk__in=members.values("organisation_id")).exclude(pk=lead.pk)


def leads_any(organisation: Organisation, themes: list[Any]) -> bool:
    return (
        Application.objects.approved()
        .filter(organisation=organisation, theme__in=themes, role=Application.Role.LEADER)
        .exists()
    )


def check_commitment(data: CommitmentData, *, for_submission: bool) -> dict[str, list[str]]:
    """Return errors by field name ("__all__" for the whole).  Empty means valid.

    Drafts are checked for consistency only; submission also requires completeness.
    """
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    programme = data.programme
    accepted = {t.code for t in programme.commitment_types.all()}
    for code in sorted(data.types - accepted):
        err(
            "types",
            _("This programme does not accept %(type)s commitments.") % {"type": code},
        )

    member_of = member_theme_ids(programme, data.organisation)
    for theme in data.themes:
        if theme.programme_id != programme.pk:
            err(
                "themes",
                _("“%(theme)s” is not a theme of this programme.") % {"theme": theme},
            )
        elif theme.pk not in member_of:
            err(
                "themes",
                _(
                    "Your organisation is not a confirmed member of “%(theme)s”: "
                    "apply to join it first."
                )
                % {"theme": theme},
            )
    theme_ids = {t.pk for t in data.themes}
    for action in data.actions:
        if action.theme_id not in theme_ids:
            err(
                "actions",
                _("Action “%(action)s” belongs to a theme you did not choose.")
                % {"action": action},
            )

    goal_numbers = {g.pk for g in data.goals}
    for target in data.targets:
        if target.goal_id not in goal_numbers:
            err(
                "targets",
                _("Target %(code)s belongs to SDG %(goal)s: select that goal too.")
                % {"code": target.pk, "goal": target.goal_id},
            )

    if data.scope == GeographicScope.NATIONAL and for_submission and not data.countries:
        err(
            "countries",
            _("Name at least one country, or choose a regional or global scope."),
        )
    if data.scope == GeographicScope.REGIONAL and for_submission and not data.regions:
        err("regions", _("Name at least one region for a regional commitment."))

    if data.starts_on and data.ends_on:
        leader = leads_any(data.organisation, data.themes)
        low, high = programme.duration_bounds(leader=leader)
        for message in duration_errors(
            data.starts_on, data.ends_on, low=low, high=high, leader=leader
        ):
            err("ends_on", message)

    # Any type may carry an amount: a financial commitment's is the money given to others
    # (required on submission, below); a policy, programmatic or advocacy commitment's is the
    # budget behind it (seed 001 asks every strong commitment to be resourced).  The
    # assessment's "funding" criterion and the reporting roll-ups read it the same way.
    if data.amount is not None:
        if data.amount <= 0:
            err("amount", _("The amount must be greater than zero."))
        if data.currency is None:
            err("currency", _("Give the currency of the amount."))
    if data.currency is not None and data.amount is None:
        err("amount", _("Give the amount in %(code)s.") % {"code": data.currency.pk})
    if data.is_conditional and not data.condition.strip():
        err("condition", _("Say what approval the pledge depends on."))

    may_co_make = (
        set(
            co_maker_candidates(programme, data.organisation, theme_ids).values_list(
                "pk", flat=True
            )
        )
        if data.co_makers
        else set()
    )
    for org in data.co_makers:
        if org.pk == data.organisation.pk:
            err("co_makers", _("The lead organisation cannot also be a co-maker."))
        elif org.pk not in may_co_make:
            err(
                "co_makers",
                _("%(org)s is not a confirmed member of the chosen themes.") % {"org": org},
            )

    if for_submission:
        if not data.title.strip():
            err("title", _("Give the commitment a title."))
        if len(data.description.split()) < 20:
            err("description", _("Describe the commitment in at least 20 words."))
        if not data.types:
            err("types", _("Choose at least one type."))
        if not data.themes:
            err("themes", _("Choose at least one theme."))
        if data.starts_on is None:
            err("starts_on", _("Give a start date."))
        if data.ends_on is None:
            err("ends_on", _("Give an end date."))
        if not data.endorsement_level:
            err("endorsement_level", _("Say at what level the commitment is endorsed."))
        if data.is_financial:
            if data.amount is None:
                err("amount", _("A financial commitment needs an amount."))
            if data.funds_are_new is None:
                err("funds_are_new", _("Say whether the funds are new."))
    return errors
