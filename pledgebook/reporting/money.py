"""The money rule of progress reports, defined once.

A maker reports the money **disbursed so far** (cumulative) and, when it was paid in another
currency than the one pledged, the rate it used: :func:`disbursed` is that amount in the
pledged currency, exact.  The open data writes it to the cent (:func:`to_cent`, half-even);
the figures add the exact amounts up (:func:`disbursed_so_far`: a maker who skips a cycle keeps
the amount it reported before).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import QuerySet

from pledgebook.commitments.models import Commitment
from pledgebook.reporting.models import ProgressReport, ReportingCycle
from pledgebook.reporting.queries import cycles_up_to

CENT = Decimal("0.01")


def disbursed(amount: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """Disbursed so far, in the pledged currency: ``amount`` times the maker's ``rate`` when
    it gave one (paid in another currency), exact."""
    if amount is None:
        return None
    return amount * rate if rate is not None else amount


def to_cent(value: Decimal | None) -> Decimal | None:
    """An amount rounded half-even to the cent."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def disbursed_so_far(
    cycle: ReportingCycle, commitments: QuerySet[Commitment] | None = None
) -> dict[int, Decimal]:
    """commitment id → disbursed so far, in the pledged currency: the amount of its latest
    submitted report that gives one, in ``cycle`` or an earlier cycle of the programme (see
    :func:`~.queries.cycles_up_to`); latest = the latest cycle, then the latest version.
    Of ``commitments`` only, when given.  Streams the rows."""
    amounts: dict[int, Decimal] = {}
    reports = ProgressReport.objects.filter(
        cycle__in=cycles_up_to(cycle),
        status=ProgressReport.Status.SUBMITTED,
        disbursed_amount__isnull=False,
    )
    if commitments is not None:
        reports = reports.filter(commitment__in=commitments)
    rows = reports.order_by(
        "commitment_id", "-cycle__opens_at", "-cycle_id", "-version"
    ).values_list("commitment_id", "disbursed_amount", "exchange_rate")
    for commitment_id, amount, rate in rows.iterator(chunk_size=5000):
        value = disbursed(amount, rate)
        if commitment_id not in amounts and value is not None:  # (filtered: never None)
            amounts[commitment_id] = value
    return amounts
