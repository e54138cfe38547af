"""Two secretaries decide the same SDG suggestion of an imported commitment at once, one
accepting and the other dismissing (``registry.suggestions``): one decision is made and audited
once, the other person is told it was decided already, and nothing else changes.  Two
connections meet on PostgreSQL's row lock of the commitment; the stale page of the second
person (both loaded the review, one decides first) is tested on every database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.registry import suggestions
from pledgebook.registry.models import GoalSuggestion
from tests import factories
from tests.concurrency import at_once
from tests.registry.test_importing import imported_plastic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DECIDED = "This suggestion was already accepted or dismissed."
DECISIONS = {"accept": suggestions.accept, "dismiss": suggestions.dismiss}
AUDITED = {
    "accept": "commitment.goal_suggestion_accepted",
    "dismiss": "commitment.goal_suggestion_dismissed",
}


@pytest.fixture
def imported(programme: Any) -> Commitment:
    importer = factories.staff(programme)
    return imported_plastic(importer, programme)


def decisions(commitment: Commitment) -> list[tuple[str, int | None, dict[str, Any]]]:
    return list(
        AuditEntry.objects.filter(object_id=commitment.pk, action__in=AUDITED.values()).values_list(
            "action", "actor", "data"
        )
    )


def state(commitment: Commitment) -> tuple[set[int], set[str], list[int]]:
    return (
        set(commitment.goals.values_list("number", flat=True)),
        set(commitment.targets.values_list("code", flat=True)),
        sorted(GoalSuggestion.objects.filter(commitment=commitment).values_list("pk", flat=True)),
    )


def expected_after(commitment: Commitment, suggestion: GoalSuggestion, decided: str) -> Any:
    goals, targets, kept = state(commitment)
    if decided == "accept":
        goals = goals | {suggestion.goal_id}
        targets = targets | ({suggestion.target_id} if suggestion.target_id else set())
    return goals, targets, [pk for pk in kept if pk != suggestion.pk]


@pytest.mark.parametrize("first, second", [("accept", "dismiss"), ("dismiss", "accept")])
def test_two_secretaries_deciding_at_once_make_one_decision(programme, imported, first, second):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are tested on PostgreSQL")
    suggestion = GoalSuggestion.objects.filter(commitment=imported).exclude(goal_id=14).first()
    assert suggestion is not None
    expected = expected_after(imported, suggestion, first)
    one, two = factories.staff(programme), factories.staff(programme)

    outcome = at_once(
        lambda: Commitment.objects.select_related("programme").get(pk=imported.pk),
        lambda seen: DECISIONS[first](actor=one, commitment=seen, suggestion_id=suggestion.pk),
        lambda seen: DECISIONS[second](actor=two, commitment=seen, suggestion_id=suggestion.pk),
    )

    assert outcome.first == "done"
    assert outcome.second_waited  # the two connections really met
    refused = outcome.second
    assert isinstance(refused, ValidationError), refused
    assert refused.messages == [DECIDED]
    assert decisions(imported) == [
        (
            AUDITED[first],
            one.pk,
            {"goal": suggestion.goal_id, "target": suggestion.target_id},
        )
    ]
    assert state(imported) == expected


@pytest.mark.parametrize("first, second", [("accept", "dismiss"), ("dismiss", "accept")])
def test_the_second_secretary_on_a_stale_page_is_told_and_nothing_changes(
    client, programme, imported, first, second
):
    suggestion = GoalSuggestion.objects.filter(commitment=imported).exclude(goal_id=14).first()
    assert suggestion is not None
    expected = expected_after(imported, suggestion, first)
    one, two = factories.staff(programme), factories.staff(programme)
    review = reverse("console:commitment", args=[programme.slug, imported.pk])

    def url(decision: str) -> str:
        return reverse(
            "console:commitment_goal_suggestion",
            args=[programme.slug, imported.pk, suggestion.pk, decision],
        )

    other = client.__class__()
    client.force_login(one)
    other.force_login(two)
    for person in (client, other):  # both have the review open with the suggestion's buttons
        page = person.get(review).content.decode()
        assert url(first) in page and url(second) in page

    client.post(url(first))
    answer = other.post(url(second), follow=True)

    assert answer.status_code == 200
    assert [str(m) for m in answer.context["messages"]] == [DECIDED]
    assert decisions(imported) == [
        (
            AUDITED[first],
            one.pk,
            {"goal": suggestion.goal_id, "target": suggestion.target_id},
        )
    ]
    assert state(imported) == expected
