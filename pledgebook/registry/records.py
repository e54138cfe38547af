"""What a commitment brought from the registry it was imported from: where it came from, its
dated deliverables (milestones), the partners the source named, its resources as written, and
its past reporting.  Pages above the registry read it through :func:`record_of`, and the
assessment reads the milestones and partners through :func:`with_record`, so that an imported
commitment is judged on what it carries, not only on its own fields."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from pledgebook.commitments.models import Commitment
from pledgebook.commitments.validation import CommitmentData
from pledgebook.registry.models import (
    GoalSuggestion,
    Milestone,
    NamedPartner,
    Provenance,
    ReportHistory,
    Resource,
)


@dataclass(frozen=True)
class RegistryRecord:
    provenance: Provenance | None = None
    milestones: list[Milestone] = field(default_factory=list)
    partners: list[NamedPartner] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    history: list[ReportHistory] = field(default_factory=list)
    suggestions: list[GoalSuggestion] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return self.provenance is not None


NOT_IMPORTED = RegistryRecord()


def record_of(commitment: Commitment) -> RegistryRecord:
    """The commitment's registry record.  No query when the commitment was not imported and
    its ``provenance`` was selected with it (``select_related("provenance")``); otherwise one
    query per part."""
    try:
        provenance = commitment.provenance
    except ObjectDoesNotExist:
        return NOT_IMPORTED
    return RegistryRecord(
        provenance=provenance,
        milestones=list(Milestone.objects.filter(commitment=commitment)),
        partners=list(
            NamedPartner.objects.filter(commitment=commitment).select_related("organisation")
        ),
        resources=list(Resource.objects.filter(commitment=commitment)),
        history=list(ReportHistory.objects.filter(commitment=commitment)),
        suggestions=_open_suggestions(commitment),
    )


def _open_suggestions(commitment: Commitment) -> list[GoalSuggestion]:
    """The suggestions that would add something: a goal the commitment does not have yet, or a
    target of a goal it has (the registry's declared goals are often the suggested ones)."""
    goals = set(commitment.goals.values_list("number", flat=True))
    targets = set(commitment.targets.values_list("code", flat=True))
    found = []
    for s in GoalSuggestion.objects.filter(commitment=commitment).select_related("goal", "target"):
        if s.goal_id not in goals or (s.target_id is not None and s.target_id not in targets):
            s.adds_target_only = s.goal_id in goals  # type: ignore[attr-defined]
            found.append(s)
    return found


def with_record(data: CommitmentData, record: RegistryRecord) -> CommitmentData:
    """``data`` with the record's milestones and named partners (the assessment reads them)."""
    if not record.imported:
        return data
    return dataclasses.replace(
        data,
        milestones=[*data.milestones, *((m.due_on, m.text) for m in record.milestones)],
        partners=[*data.partners, *(p.name for p in record.partners)],
    )
