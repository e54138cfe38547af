"""Content rules of the pitch pipeline, one place: used by the forms (errors at the field) and
by the domain functions (nothing saved when one fails)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pledgebook.commitments.models import Commitment
from pledgebook.portal.models.pitch import PitchOutcome
from pledgebook.reporting.models import IndicatorValue, ProgressReport

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def own_reports(partnership: Any, organisation: Any) -> QuerySet[ProgressReport]:
    """The submitted progress reports a plan may draw evidence from: the commitment's own, or,
    for a coalition, those of the commitments of the lead organisation writing the plan."""
    reports = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED)
    if isinstance(partnership, Commitment):
        return reports.filter(commitment=partnership)
    return reports.filter(commitment__organisation=organisation)


def evidence_values(partnership: Any, organisation: Any) -> QuerySet[IndicatorValue]:
    return (
        IndicatorValue.objects.filter(
            report__in=own_reports(partnership, organisation), value__isnull=False
        )
        .select_related("indicator", "report__cycle", "report__commitment")
        .order_by("report__commitment__title", "-report__cycle__opens_at", "indicator__position")
    )


def evidence_disbursements(partnership: Any, organisation: Any) -> QuerySet[ProgressReport]:
    return (
        own_reports(partnership, organisation)
        .filter(disbursed_amount__isnull=False)
        .select_related("cycle", "commitment", "disbursed_currency")
        .order_by("commitment__title", "-cycle__opens_at")
    )


def check_plan(
    *,
    partnership: Any,
    organisation: Any,
    title: str,
    plan: str,
    amount: Decimal | None,
    instruments: Iterable[str],
    stage: str,
    countries: Iterable[Any],
    regions: Iterable[Any],
    values: Iterable[IndicatorValue],
    reports: Iterable[ProgressReport],
) -> Errors:
    errors: Errors = {}
    if not (title or "").strip():
        _add(errors, "title", _("Give the plan a title."))
    if not (plan or "").strip():
        _add(errors, "plan", _("Say how the partnership will scale and what the money is for."))
    if amount is None:
        _add(errors, "amount", _("Give the funding sought."))
    elif amount <= 0:
        _add(errors, "amount", _("The funding sought must be more than zero."))
    if not list(instruments):
        _add(errors, "instruments", _("Choose at least one instrument."))
    if not stage:
        _add(errors, "stage", _("Choose the stage of the partnership."))
    if not list(countries) and not list(regions):
        _add(errors, "countries", _("Say where the partnership will scale: a country or a region."))
    allowed = own_reports(partnership, organisation)
    value_ids = {v.pk for v in values}
    if value_ids:
        mine = set(
            IndicatorValue.objects.filter(pk__in=value_ids, report__in=allowed).values_list(
                "pk", flat=True
            )
        )
        if value_ids - mine:
            _add(
                errors,
                "evidence_values",
                _("Evidence must come from your own submitted progress reports."),
            )
    report_ids = {r.pk for r in reports}
    if report_ids:
        mine = set(
            allowed.filter(pk__in=report_ids, disbursed_amount__isnull=False).values_list(
                "pk", flat=True
            )
        )
        if report_ids - mine:
            _add(
                errors,
                "evidence_reports",
                _("Disbursements must come from your own submitted progress reports."),
            )
    return errors


def check_profile(
    *,
    kind: str,
    allowed_kinds: Iterable[str],
    ticket_min: Decimal | None,
    ticket_max: Decimal | None,
    instruments: Iterable[str],
) -> Errors:
    errors: Errors = {}
    if kind not in set(allowed_kinds):
        _add(errors, "kind", _("This kind of investor does not fit the organisation's category."))
    if ticket_min is None:
        _add(errors, "ticket_min", _("Give the smallest ticket."))
    elif ticket_min < 0:
        _add(errors, "ticket_min", _("The smallest ticket cannot be negative."))
    if ticket_max is None:
        _add(errors, "ticket_max", _("Give the largest ticket."))
    elif ticket_max <= 0:
        _add(errors, "ticket_max", _("The largest ticket must be more than zero."))
    if ticket_min is not None and ticket_max is not None and ticket_min > ticket_max:
        _add(
            errors,
            "ticket_min",
            _("The smallest ticket is larger than the largest: %(min)s > %(max)s.")
            % {"min": ticket_min, "max": ticket_max},
        )
    if not list(instruments):
        _add(errors, "instruments", _("Choose at least one instrument."))
    return errors


def check_outcome(
    *, status: str, amount: Decimal | None, currency: Any, instrument: str, reason: str
) -> Errors:
    errors: Errors = {}
    if status not in PitchOutcome.Status.values:
        _add(errors, "status", _("Choose an outcome."))
    if status == PitchOutcome.Status.FUNDED:
        if amount is None or amount <= 0:
            _add(errors, "amount", _("Give the amount funded."))
        if currency is None:
            _add(errors, "currency", _("Give the currency of the amount funded."))
        if not instrument:
            _add(errors, "instrument", _("Give the instrument of the funding."))
    if status == PitchOutcome.Status.DECLINED and not (reason or "").strip():
        _add(errors, "reason", _("Give the reason it was declined."))
    return errors
