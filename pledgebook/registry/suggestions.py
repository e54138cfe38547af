"""The SDG suggestions of an imported commitment (``GoalSuggestion``, stored after the import by
``commitments.suggest``): the programme's secretariat accepts one, and its goal (and target)
become the commitment's, or dismisses it.  One function per decision; each locks the
commitment, re-reads the suggestion there (two secretaries deciding at once: the second is told
it was already decided) and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.commitments.models import Commitment
from pledgebook.core import audit
from pledgebook.registry.models import GoalSuggestion

DECIDE_PERM = "registry.decide_goal_suggestion"


def _decide(*, actor: Any, commitment: Commitment, suggestion_id: int) -> GoalSuggestion:
    """Inside the caller's transaction: the commitment locked, the suggestion read again."""
    if not (actor and actor.has_perm(DECIDE_PERM, commitment)):
        raise PermissionDenied
    Commitment.objects.select_for_update().filter(pk=commitment.pk).get()
    suggestion = (
        GoalSuggestion.objects.filter(pk=suggestion_id, commitment=commitment)
        .select_related("goal", "target")
        .first()
    )
    if suggestion is None:
        raise ValidationError(
            _("This suggestion was already accepted or dismissed."), code="decided"
        )
    return suggestion


def accept(*, actor: Any, commitment: Commitment, suggestion_id: int) -> GoalSuggestion:
    """The suggested goal, and its target when one was suggested, become the commitment's."""
    with transaction.atomic():
        suggestion = _decide(actor=actor, commitment=commitment, suggestion_id=suggestion_id)
        commitment.goals.add(suggestion.goal)
        if suggestion.target is not None:
            commitment.targets.add(suggestion.target)
        Commitment.objects.filter(pk=commitment.pk).update(updated_at=timezone.now())
        suggestion.delete()
        audit.record(
            actor=actor,
            action="commitment.goal_suggestion_accepted",
            obj=commitment,
            programme=commitment.programme,
            data={"goal": suggestion.goal_id, "target": suggestion.target_id},
        )
    return suggestion


def dismiss(*, actor: Any, commitment: Commitment, suggestion_id: int) -> GoalSuggestion:
    """The suggestion is removed; the commitment's goals are unchanged."""
    with transaction.atomic():
        suggestion = _decide(actor=actor, commitment=commitment, suggestion_id=suggestion_id)
        suggestion.delete()
        audit.record(
            actor=actor,
            action="commitment.goal_suggestion_dismissed",
            obj=commitment,
            programme=commitment.programme,
            data={"goal": suggestion.goal_id, "target": suggestion.target_id},
        )
    return suggestion
