"""The rules reporting content must follow: one place, used by the domain functions (which
raise their ``ValidationError``) and so by every form (``core.forms`` puts the errors at the
fields they name).  Each ``check_*`` returns the errors by field, or raises when it is a
refusal of the whole change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledgebook.core import uploads
from pledgebook.reference.models import Currency
from pledgebook.reporting import exchange
from pledgebook.reporting.models import Indicator, ProgressReport, ReportingCycle

Errors = dict[str, list[str]]

#: What evidence files may be, judged by their content (``core.uploads``).
EVIDENCE_KINDS = uploads.EVIDENCE


# Cycles --------------------------------------------------------------------------------------


def check_cycle_dates(
    *, opens_at: dt.datetime, deadline: dt.datetime, closes_at: dt.datetime
) -> Errors:
    errors: Errors = {}
    if deadline <= opens_at:
        errors["deadline"] = [_("The deadline must come after the opening.")]
    if closes_at < deadline:
        errors["closes_at"] = [_("The cycle cannot close before its deadline.")]
    return errors


def check_open_for_reports(cycle: ReportingCycle, now: dt.datetime) -> None:
    """Reports are sent while the cycle is open and before it closes."""
    if cycle.status != ReportingCycle.Status.OPEN or now >= cycle.closes_at:
        raise ValidationError(
            _("The %(cycle)s reporting cycle is closed: reports can no longer be sent.")
            % {"cycle": cycle.name}
        )


# Accountability framework ------------------------------------------------------------------


def check_framework_editable(programme: Any) -> None:
    """The indicators cannot change while a cycle is open: its reports answer them."""
    cycle = ReportingCycle.objects.filter(
        programme=programme, status=ReportingCycle.Status.OPEN
    ).first()
    if cycle is not None:
        raise ValidationError(
            _(
                "The %(cycle)s cycle is open and its reports answer these indicators: change "
                "the framework after it closes."
            )
            % {"cycle": cycle.name}
        )


def check_indicator_code(programme: Any, code: str, exclude: int | None = None) -> None:
    taken = Indicator.objects.filter(programme=programme, code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"code": [_("Another indicator of this programme has this code.")]})


def check_indicator_deletable(indicator: Indicator) -> None:
    answered = indicator.values.count()
    if answered:
        raise ValidationError(
            ngettext(
                "A report answers this indicator, so it cannot be deleted: its value would be "
                "lost.",
                "%(n)s reports answer this indicator, so it cannot be deleted: their values "
                "would be lost.",
                answered,
            )
            % {"n": answered}
        )


# Reports -------------------------------------------------------------------------------------


def check_report(report: ProgressReport, *, for_submission: bool) -> Errors:
    """The content rules of a progress report (one place; the form maps them to fields)."""
    errors: Errors = {}
    commitment = report.commitment
    if report.disbursed_amount is not None:
        if report.disbursed_amount < 0:
            errors.setdefault("disbursed_amount", []).append(
                _("Disbursed money cannot be negative.")
            )
        pledged = commitment.currency_id
        currency = report.disbursed_currency_id or pledged
        if pledged and currency != pledged and report.exchange_rate is None:
            errors.setdefault("exchange_rate", []).append(
                _("The money was pledged in %(pledged)s: give the exchange rate from %(cur)s.")
                % {"pledged": pledged, "cur": currency}
            )
        if report.exchange_rate is not None and report.exchange_rate <= 0:
            errors.setdefault("exchange_rate", []).append(_("The rate must be greater than zero."))
    if for_submission:
        if not report.implementation_status:
            errors.setdefault("implementation_status", []).append(_("Choose a status."))
        if len(report.narrative.split()) < 5:
            errors.setdefault("narrative", []).append(_("Say in a few sentences what happened."))
    return errors


def check_evidence_files(files: Iterable[Any], *, max_bytes: int) -> dict[int, uploads.Kind]:
    """Each file at most ``max_bytes`` and of an allowed kind (by its content); returns the
    kind of each, by ``id(file)``."""
    kinds = {}
    for f in files:
        if f.size > max_bytes:
            raise ValidationError(
                {"evidence_files": _("%(name)s is larger than 10 MB.") % {"name": f.name}}
            )
        try:
            kinds[id(f)] = uploads.check(f, EVIDENCE_KINDS)
        except ValidationError as exc:
            raise ValidationError({"evidence_files": exc.messages}) from exc
    return kinds


# Exchange rates -------------------------------------------------------------------------------


def reporting_currency(cycle: ReportingCycle) -> Currency:
    """The programme's reporting currency; refused when it has none."""
    currency = cycle.programme.reporting_currency
    if currency is None:
        raise ValidationError(
            _(
                "The programme has no reporting currency: choose one in its settings before "
                "keeping exchange rates."
            )
        )
    return currency


def check_rate(rate: Decimal, currency: Currency, reporting: Currency, source: str = "") -> Errors:
    errors: Errors = {}
    if currency.pk == reporting.pk:
        errors["currency"] = [
            _("%(code)s is the reporting currency: its rate is always 1.") % {"code": currency.pk}
        ]
    if rate is None or rate <= 0:
        errors["rate"] = [_("A rate must be more than zero.")]
    elif rate > exchange.MAX_RATE or rate != rate.quantize(Decimal("1e-8")):
        errors["rate"] = [
            _("A rate has at most 12 digits before the decimal point and 8 after it.")
        ]
    if len(source) > 200:
        errors["source"] = [_("At most 200 characters.")]
    return errors
