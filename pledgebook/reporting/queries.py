"""Every read of reporting that more than one place needs, defined once.

* :func:`active_commitments`: the commitments expected to report in a cycle (the rule:
  :mod:`.expected`), and :func:`makers`, the organisations that report for them;
* :func:`latest_submitted`: the latest submitted version of each commitment's report in each
  cycle (a correction is a new version; a submitted version never changes), used by the
  annual report, the figures, the open data exports, the public progress and the co-maker's
  confirmation;
* :func:`reported`, :func:`not_reported`, :func:`cycles_up_to` and :func:`cycles_of`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.organisations.models import Organisation
from pledgebook.reporting.expected import Terms, expected_in
from pledgebook.reporting.models import ProgressReport, ReportingCycle

SUBMITTED = ProgressReport.Status.SUBMITTED


def active_commitments(cycle: ReportingCycle) -> QuerySet[Commitment]:
    """Commitments expected to report in ``cycle`` (the rule: ``reporting.expected``)."""
    return expected_in(cycle)


def makers(cycle: ReportingCycle) -> QuerySet[Organisation]:
    """Organisations that report in ``cycle``: leads and co-makers of active commitments."""
    active = active_commitments(cycle)
    return Organisation.objects.filter(
        Q(pk__in=active.values("organisation_id"))
        | Q(
            pk__in=CoMaker.objects.taking_part()
            .filter(commitment__in=active)
            .values("organisation_id")
        )
    )


def latest_submitted() -> QuerySet[ProgressReport]:
    """The latest submitted version of each commitment's report in each cycle: a submitted
    report with no newer submitted version of the same commitment and cycle.  Filter it by
    cycle or commitment."""
    newer = ProgressReport.objects.filter(
        status=SUBMITTED,
        commitment=OuterRef("commitment"),
        cycle=OuterRef("cycle"),
        version__gt=OuterRef("version"),
    )
    return ProgressReport.objects.filter(status=SUBMITTED).exclude(Exists(newer))


def latest_in(cycle: ReportingCycle) -> QuerySet[ProgressReport]:
    """The latest submitted version of each expected commitment's report in ``cycle``.  The
    rule (``expected``) is tested on the report's own commitment row, the one its readers join
    for the title and maker: one look-up of it per report, not two (``commitment__in`` a
    subquery of the expected commitments looked each one up again)."""
    return (
        latest_submitted()
        .filter(cycle=cycle, commitment__programme_id=cycle.programme_id)
        .filter(Terms.of(cycle).q("commitment__"))
    )


def reported(cycle: ReportingCycle) -> QuerySet[ProgressReport, Any]:
    """The ids (``commitment_id``) of the commitments with a submitted report in ``cycle``."""
    return ProgressReport.objects.filter(cycle=cycle, status=SUBMITTED).values("commitment_id")


def not_reported(cycle: ReportingCycle) -> QuerySet[Commitment]:
    """The commitments expected in ``cycle`` with no submitted report in it.  ``NOT EXISTS``
    (an anti-join), not ``NOT IN (reported)``: PostgreSQL hashes a ``NOT IN`` subquery only
    while it fits in ``work_mem``, and past that (about 100,000 reports) tests every
    commitment against the whole list."""
    return active_commitments(cycle).exclude(
        Exists(
            ProgressReport.objects.filter(cycle=cycle, status=SUBMITTED, commitment=OuterRef("pk"))
        )
    )


def cycles_up_to(cycle: ReportingCycle) -> QuerySet[ReportingCycle]:
    """The programme's cycles that opened no later than ``cycle`` (``cycle`` included)."""
    return ReportingCycle.objects.filter(programme_id=cycle.programme_id).filter(
        Q(opens_at__lt=cycle.opens_at) | Q(opens_at=cycle.opens_at, pk__lte=cycle.pk)
    )


def cycles_of(organisation_ids: set[int]) -> QuerySet[ReportingCycle]:
    """Open and closed cycles of the programmes where the organisations make commitments."""
    programmes = Commitment.objects.public().filter(organisation_id__in=organisation_ids)
    co_made = (
        CoMaker.objects.taking_part()
        .filter(organisation_id__in=organisation_ids)
        .values("commitment__programme_id")
    )
    return ReportingCycle.objects.filter(
        status__in=[ReportingCycle.Status.OPEN, ReportingCycle.Status.CLOSED]
    ).filter(Q(programme_id__in=programmes.values("programme_id")) | Q(programme_id__in=co_made))
