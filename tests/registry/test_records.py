"""What an imported commitment carries, where people look: its public page and the secretariat's
review show the source, milestones, named partners, resources and reporting history; the
assessment reads the milestones and partners; the secretariat accepts or dismisses the SDGs
suggested from its text (allowed and denied, nothing changed when denied)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pledgebook.commitments.assessment import assess
from pledgebook.commitments.models import Commitment
from pledgebook.commitments.validation import CommitmentData
from pledgebook.core.models import AuditEntry
from pledgebook.registry import importing, records
from pledgebook.registry.models import GoalSuggestion
from tests import factories
from tests.registry.test_importing import imported_plastic, jsonl, ocean, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(programme: Any) -> Any:
    return factories.staff(programme)


@pytest.fixture
def imported(programme: Any, secretariat: Any) -> Commitment:
    programme.is_published = True
    programme.save(update_fields=["is_published"])
    return imported_plastic(secretariat, programme)


def review_url(programme: Any, commitment: Commitment) -> str:
    return reverse("console:commitment", args=[programme.slug, commitment.pk])


def decide_url(programme: Any, commitment: Commitment, suggestion: Any, decision: str) -> str:
    return reverse(
        "console:commitment_goal_suggestion",
        args=[programme.slug, commitment.pk, suggestion.pk, decision],
    )


def test_the_public_page_shows_what_the_registry_brought(client, imported) -> None:
    html = client.get(imported.get_absolute_url()).content.decode()
    assert "From the registry it was imported from" in html
    assert "#OceanAction1" in html
    assert 'href="https://sdgs.un.org/partnerships/example"' in html
    assert '<time datetime="2026-06-30">30 June 2026</time>' in html
    assert "50 beaches cleaned" in html
    assert "<bdi>Fiji Ocean Trust</bdi>" in html
    assert "<bdi>University of the South Pacific</bdi>" in html
    assert "In-kind contribution: <bdi>Boats</bdi>" in html
    assert "Progress reports were submitted to" in html


def test_a_commitment_not_imported_shows_no_registry_part(client, programme) -> None:
    programme.is_published = True
    programme.save(update_fields=["is_published"])
    commitment = factories.CommitmentFactory(programme=programme, status="confirmed")
    assert records.record_of(commitment) is records.NOT_IMPORTED
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "From the registry it was imported from" not in html


def test_the_assessment_reads_the_imported_partners_and_milestones(imported) -> None:
    bare = CommitmentData.from_commitment(imported)
    data = records.with_record(bare, records.record_of(imported))
    assert bare.partners == [] and bare.milestones == []
    assert data.partners == ["Fiji Ocean Trust", "University of the South Pacific"]
    assert [(str(day), text) for day, text in data.milestones] == [
        ("2026-06-30", "50 beaches cleaned"),
        ("None", "A report"),
    ]
    collective = {c.key: c for c in assess(data).criteria}["collective"]
    assert collective.met
    assert not {c.key: c for c in assess(bare).criteria}["collective"].met


def test_the_api_assesses_an_imported_commitment_as_its_page_does(client, imported) -> None:
    # The API's list and detail read the record from their prefetch (records.assessment_data):
    # the named partners meet "collective" there as on the public page.
    expected = assess(
        records.with_record(CommitmentData.from_commitment(imported), records.record_of(imported))
    )
    criteria = [{"key": c.key, "label": c.label, "met": c.met} for c in expected.criteria]
    assert {c["key"]: c["met"] for c in criteria}["collective"]
    listed = client.get("/api/v1/commitments/").json()["results"]
    detail = client.get(f"/api/v1/commitments/{imported.pk}/").json()
    assert [row["assessment"]["criteria"] for row in listed] == [criteria]
    assert detail["assessment"]["criteria"] == criteria
    assert records.assessment_data(imported) == records.with_record(
        CommitmentData.from_commitment(imported), records.record_of(imported)
    )


def test_the_secretariat_accepts_a_suggestion(client, programme, secretariat, imported) -> None:
    suggestion = GoalSuggestion.objects.filter(commitment=imported).exclude(goal_id=14).first()
    assert suggestion is not None
    client.force_login(secretariat)
    page = client.get(review_url(programme, imported)).content.decode()
    assert "SDGs suggested from its text" in page
    assert decide_url(programme, imported, suggestion, "accept") in page
    response = client.post(decide_url(programme, imported, suggestion, "accept"))
    assert response.status_code == 302
    assert response["Location"].endswith("#sdg-suggestions")
    goals = set(imported.goals.values_list("number", flat=True))
    assert goals == {14, suggestion.goal_id}
    if suggestion.target_id:
        assert imported.targets.filter(code=suggestion.target_id).exists()
    assert not GoalSuggestion.objects.filter(pk=suggestion.pk).exists()
    assert AuditEntry.objects.filter(action="commitment.goal_suggestion_accepted").count() == 1
    # Decided already (a second secretary, or a second click): said, nothing changes.
    again = client.post(decide_url(programme, imported, suggestion, "accept"), follow=True)
    assert "already accepted or dismissed" in again.content.decode()
    assert set(imported.goals.values_list("number", flat=True)) == goals


def test_the_secretariat_dismisses_a_suggestion(client, programme, secretariat, imported) -> None:
    suggestion = GoalSuggestion.objects.filter(commitment=imported).exclude(goal_id=14).first()
    assert suggestion is not None
    client.force_login(secretariat)
    client.post(decide_url(programme, imported, suggestion, "dismiss"))
    assert list(imported.goals.values_list("number", flat=True)) == [14]
    assert not GoalSuggestion.objects.filter(pk=suggestion.pk).exists()
    assert AuditEntry.objects.filter(action="commitment.goal_suggestion_dismissed").count() == 1


@pytest.mark.parametrize("who", ["reviewer", "other_secretariat", "stranger"])
def test_others_cannot_decide_and_nothing_changes(client, programme, imported, who) -> None:
    actor = {
        "reviewer": lambda: factories.staff(programme, "reviewer"),
        "other_secretariat": lambda: factories.staff(factories.ProgrammeFactory()),
        "stranger": factories.UserFactory,
    }[who]()
    before = list(GoalSuggestion.objects.filter(commitment=imported).values_list("pk", flat=True))
    suggestion = GoalSuggestion.objects.filter(commitment=imported).exclude(goal_id=14).first()
    assert suggestion is not None
    client.force_login(actor)
    for decision in ("accept", "dismiss"):
        response = client.post(decide_url(programme, imported, suggestion, decision))
        assert response.status_code in (403, 404)
    assert list(imported.goals.values_list("number", flat=True)) == [14]
    after = list(GoalSuggestion.objects.filter(commitment=imported).values_list("pk", flat=True))
    assert after == before
    if who == "reviewer":
        # A reviewer sees the suggestions but is offered no decision.
        page = client.get(review_url(programme, imported)).content.decode()
        assert "SDGs suggested from its text" in page
        assert decide_url(programme, imported, suggestion, "accept") not in page


def test_an_unknown_decision_is_404(client, programme, secretariat, imported) -> None:
    suggestion = GoalSuggestion.objects.filter(commitment=imported).first()
    client.force_login(secretariat)
    assert client.post(decide_url(programme, imported, suggestion, "approve")).status_code == 404
    assert GoalSuggestion.objects.filter(pk=suggestion.pk).exists()


def test_imported_commitments_reach_the_map_and_the_partner_finder(imported) -> None:
    from pledgebook.portal.finder import COMMITMENT_KIND
    from pledgebook.portal.models.facts import CommitmentFact
    from pledgebook.similarity.models import Vector

    assert CommitmentFact.objects.filter(commitment_id=imported.pk).count() == 1
    # Queued with the import; the tests' immediate task backend embedded it at once.
    assert Vector.objects.filter(kind=COMMITMENT_KIND, object_id=imported.pk).count() == 1


def test_the_lead_listed_among_its_partners_is_not_its_own_partner(programme, secretariat) -> None:
    run = upload(
        secretariat,
        programme,
        jsonl(
            ocean(
                lead_entity="Project AWARE",
                partners="Project AWARE (lead entity - Non-governmental organization);\n"
                "Dive stores & resorts (private sector)",
            )
        ),
    )
    assert [(r["row"], w["column"], w["kind"]) for r in run.rows for w in r["warnings"]][-1] == (
        1,
        "partners",
        "partner_is_lead",
    )
    importing.start_import(actor=secretariat, run=run)
    commitment = Commitment.objects.get(programme=programme)
    assert (
        records.record_of(commitment).partners[0].name == "Dive stores & resorts (private sector)"
    )
    assert len(records.record_of(commitment).partners) == 1


def test_suggestions_repeat_nothing_the_commitment_has(client, programme, secretariat, imported):
    from pledgebook.reference.models import Target

    suggestions = list(GoalSuggestion.objects.filter(commitment=imported))
    declared = {14}
    expected = [
        s.pk
        for s in suggestions
        if s.goal_id not in declared or (s.target_id and s.target_id != "14.1")
    ]
    assert [s.pk for s in records.record_of(imported).suggestions] == expected
    # Once every suggested target is the commitment's, only other goals remain.
    imported.targets.add(*Target.objects.filter(goal_id=14))
    left = records.record_of(imported).suggestions
    assert all(s.goal_id != 14 for s in left)
    client.force_login(secretariat)
    page = client.get(review_url(programme, imported)).content.decode()
    assert "Accept SDG 14<" not in page
