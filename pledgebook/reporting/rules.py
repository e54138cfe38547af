"""Reporting permissions (django-rules predicates): who runs a cycle, who reports for a
commitment.  Object-level: the object decides the scope."""

from __future__ import annotations

from typing import Any

import rules

from pledgebook.commitments.models import Commitment
from pledgebook.programmes.rules import is_secretariat
from pledgebook.reporting.links import LinkActor


@rules.predicate
def runs_cycle(user: Any, cycle: Any) -> bool:
    """The programme's secretariat runs its cycles (schedule, open, close, reminders, links,
    exchange rates, annual report)."""
    return bool(is_secretariat(user, cycle.programme))


def reporting_organisations(actor: Any) -> set[int]:
    """The organisations ``actor`` reports for: the link's one, or those a signed-in person
    represents."""
    if isinstance(actor, LinkActor):
        return {actor.organisation_id}
    if getattr(actor, "is_authenticated", False):
        return set(actor.organisations.values_list("pk", flat=True))
    return set()


@rules.predicate
def can_report(actor: Any, commitment: Commitment) -> bool:
    """The lead maker reports (through its link or its workspace)."""
    return commitment.organisation_id in reporting_organisations(actor)


@rules.predicate
def reports_for(actor: Any, report: Any) -> bool:
    return bool(can_report(actor, report.commitment))


rules.add_perm("reporting.run_cycle", runs_cycle)
rules.add_perm("reporting.submit_report", reports_for)
