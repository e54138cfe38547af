"""What a commitment brought from the registry it was imported from: where it came from, its
dated deliverables (milestones), the partners the source named, its resources as written, and
its past reporting.  Pages above the registry read it through :func:`record_of`, and the
assessment reads the milestones and partners through :func:`with_record`, so that an imported
commitment is judged on what it carries, not only on its own fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import prefetch_related_objects

from pledgebook.commitments.models import Commitment
from pledgebook.commitments.validation import CommitmentData
from pledgebook.core.related import listed
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
    return _adding(data, record.milestones, record.partners)


def _adding(
    data: CommitmentData, milestones: Iterable[Milestone], partners: Iterable[NamedPartner]
) -> CommitmentData:
    return dataclasses.replace(
        data,
        milestones=[*data.milestones, *((m.due_on, m.text) for m in milestones)],
        partners=[*data.partners, *(p.name for p in partners)],
    )


def read_records(commitments: Iterable[Commitment]) -> None:
    """Prefetch what :func:`assessment_data` reads of the imported ones among ``commitments``
    (their ``provenance`` selected with them): two queries when a page holds one, none
    otherwise (the API's pages of 50)."""
    imported = [c for c in commitments if _imported(c)]
    prefetch_related_objects(imported, "milestones", "named_partners")


def _imported(commitment: Commitment) -> bool:
    try:
        commitment.provenance  # noqa: B018  (selected with the row: raises when not imported)
    except ObjectDoesNotExist:
        return False
    return True


def assessment_data(commitment: Commitment) -> CommitmentData:
    """The commitment as the assessment reads it: its own fields and, when it was imported,
    its record's milestones and named partners, as :func:`with_record` adds them (the public
    page, the review and the API judge an imported commitment alike).  From the prefetch when
    the list made one (:func:`read_records`)."""
    data = CommitmentData.from_commitment(commitment)
    if not _imported(commitment):
        return data
    return _adding(data, listed(commitment, "milestones"), listed(commitment, "named_partners"))
