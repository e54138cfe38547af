"""Who is expected to report in a reporting cycle: the one rule, in Python (for a page of
commitments) and in SQL (for a programme), kept equal by a property test
(``tests/reporting/test_expected.py``).

A commitment is **expected to report** in a cycle when

1. it is public (confirmed or featured);
2. it runs during the cycle: it starts on or before the day of the cycle's deadline, and it
   had not ended before the day the cycle opened (days in the platform's time zone);
3. it was confirmed in time for the cycle, by the programme's rule
   (``Programme.reporting_joins``):

   * *in the open cycle* (the default): confirmed before the cycle closes.  A commitment
     confirmed while a cycle is open joins it and receives its personal link at once
     (``reporting.domain.join_open_cycles``);
   * *from the next cycle*: confirmed before the cycle opened.

   A commitment without a decision date (imported, or confirmed before the date was kept) is
   taken as confirmed before every cycle.

Its report is **due** by the cycle's deadline, or, when it was confirmed after that deadline,
by the cycle's close: it is late only when its own due date passed without a report.

A cycle "closes" at its closing date, or when the secretariat closed it, if that was earlier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.programmes.models import Programme
from pledgebook.reporting.models import ReportingCycle

JOINS = Programme.ReportingJoins


@dataclass(frozen=True)
class Terms:
    """What a cycle asks of a commitment, as constants computed once per cycle: the same
    values feed the Python test (:meth:`expects`, :meth:`overdue`) and the SQL conditions
    (:meth:`q`, :meth:`overdue_q`)."""

    cycle_id: int
    starts_by: dt.date  # the commitment starts on or before this day
    ends_from: dt.date  # ... and ends on or after this day
    confirmed_before: dt.datetime  # ... and was confirmed before this instant
    deadline: dt.datetime
    closes: dt.datetime

    @classmethod
    def of(cls, cycle: ReportingCycle, joins: str | None = None) -> Terms:
        """The terms of ``cycle``; ``joins`` is its programme's rule (read from
        ``cycle.programme`` when not given)."""
        joins = joins or cycle.programme.reporting_joins
        closes = cycle.closes_at
        if cycle.closed_at is not None and cycle.closed_at < closes:
            closes = cycle.closed_at
        return cls(
            cycle_id=cycle.pk,
            starts_by=timezone.localtime(cycle.deadline).date(),
            ends_from=timezone.localtime(cycle.opens_at).date(),
            confirmed_before=cycle.opens_at if joins == JOINS.NEXT_CYCLE else closes,
            deadline=cycle.deadline,
            closes=closes,
        )

    # Python ---------------------------------------------------------------------------------

    def expects(self, c: Commitment) -> bool:
        return (
            c.status in Commitment.PUBLIC_STATUSES
            and (c.starts_on is None or c.starts_on <= self.starts_by)
            and (c.ends_on is None or c.ends_on >= self.ends_from)
            and (c.decided_at is None or c.decided_at < self.confirmed_before)
        )

    def due(self, c: Commitment) -> dt.datetime:
        """When the report of ``c`` (expected in the cycle) is due."""
        if c.decided_at is None or c.decided_at < self.deadline:
            return self.deadline
        return self.closes

    def overdue(self, c: Commitment, now: dt.datetime) -> bool:
        return self.due(c) <= now

    # SQL ------------------------------------------------------------------------------------

    def q(self, prefix: str = "") -> Q:
        """The commitments expected in the cycle (of any programme: scope the queryset);
        ``prefix``: the path to the commitment from another model (``"commitment__"``)."""
        p = prefix
        return (
            Q(**{f"{p}status__in": Commitment.PUBLIC_STATUSES})
            & (Q(**{f"{p}starts_on__isnull": True}) | Q(**{f"{p}starts_on__lte": self.starts_by}))
            & (Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": self.ends_from}))
            & (
                Q(**{f"{p}decided_at__isnull": True})
                | Q(**{f"{p}decided_at__lt": self.confirmed_before})
            )
        )

    def due_at_deadline_q(self) -> Q:
        """The commitments whose report is due by the deadline (the others: by the close)."""
        return Q(decided_at__isnull=True) | Q(decided_at__lt=self.deadline)

    def overdue_q(self, now: dt.datetime) -> Q | bool:
        """:meth:`overdue` as a condition, or a constant when it is the same for everyone."""
        if self.closes <= now:
            return True
        if self.deadline > now:
            return False
        return self.due_at_deadline_q()


def expected_in(cycle: ReportingCycle) -> QuerySet[Commitment]:
    """The commitments expected to report in ``cycle``."""
    return Commitment.objects.filter(programme_id=cycle.programme_id).filter(Terms.of(cycle).q())


def is_expected(commitment: Commitment, cycle: ReportingCycle) -> bool:
    return commitment.programme_id == cycle.programme_id and Terms.of(cycle).expects(commitment)


def both(a: Q | bool, b: Q | bool) -> Q | bool:
    """``a and b`` of conditions that may be constants (an empty Q cannot be a ``When``)."""
    if a is False or b is False:
        return False
    if a is True:
        return b
    if b is True:
        return a
    return a & b  # type: ignore[operator]
