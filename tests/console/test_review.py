"""The review queue, the review page and the review decisions."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pledgebook.commitments.models import AssessmentOverride, CoMaker, Commitment
from pledgebook.console.views import review
from pledgebook.core.models import AuditEntry
from tests import factories
from tests.console.conftest import (
    PERSONAS,
    READERS,
    REVIEWER,
    SECRETARIAT,
    SECRETARIAT_ONLY,
    World,
    assert_outcome,
    client_for,
)

pytestmark = pytest.mark.django_db
S = Commitment.Status


def _state(commitment: Commitment) -> tuple[Any, ...]:
    commitment.refresh_from_db()
    return (commitment.status, commitment.decided_at, commitment.updated_at)


# The queue -------------------------------------------------------------------------------


def test_queue_shows_submitted_and_in_review_oldest_first(world: World) -> None:
    now = timezone.now()
    older = factories.CommitmentFactory(
        theme=world.theme, status=S.IN_REVIEW, submitted_at=now - dt.timedelta(days=3)
    )
    for status in (S.DRAFT, S.RETURNED, S.CONFIRMED, S.DECLINED, S.FEATURED):
        factories.CommitmentFactory(theme=world.theme, status=status, submitted_at=now)

    response = client_for(world, REVIEWER).get(world.url("console:commitments"))

    assert response.status_code == 200
    assert [c.pk for c in response.context["page"].object_list] == [
        older.pk,
        world.commitment.pk,
    ]
    html = response.content.decode()
    assert "2 commitments submitted or in review, oldest first" in html
    assert world.other_commitment.title not in html


def test_all_tab_lists_every_submitted_status_and_filters(world: World) -> None:
    now = timezone.now()
    draft = factories.CommitmentFactory(theme=world.theme)
    confirmed = factories.CommitmentFactory(
        theme=world.theme, status=S.CONFIRMED, submitted_at=now - dt.timedelta(days=1)
    )
    second = factories.ThemeFactory(programme=world.programme)
    in_second = factories.CommitmentFactory(
        theme=world.theme, status=S.CONFIRMED, submitted_at=now - dt.timedelta(days=2)
    )
    in_second.themes.set([second])
    client = client_for(world, REVIEWER)

    def listed(**params: Any) -> list[int]:
        response = client.get(world.url("console:commitments"), {"tab": "all", **params})
        assert response.status_code == 200
        return [c.pk for c in response.context["page"].object_list]

    assert listed() == [world.commitment.pk, confirmed.pk, in_second.pk]
    assert listed(status="confirmed") == [confirmed.pk, in_second.pk]
    assert listed(theme=second.pk) == [in_second.pk]
    assert draft.pk not in listed(status="draft")  # not a choice: the whole list, no draft


@pytest.mark.parametrize("persona", [REVIEWER, SECRETARIAT])
def test_a_draft_is_not_shown_to_the_programmes_staff(world: World, persona: str) -> None:
    """A draft belongs to its organisation until submitted: its console page is a 404 to the
    programme's staff, and no decision can be taken on it."""
    draft = factories.CommitmentFactory(theme=world.theme, title="Our unfinished draft")
    client = client_for(world, persona)
    before = Commitment.objects.values().get(pk=draft.pk)
    audits = AuditEntry.objects.count()

    page = client.get(world.url("console:commitment", pk=draft.pk))
    listed = client.get(world.url("console:commitments"), {"tab": "all"})
    decided = client.post(world.url("console:commitment_action", pk=draft.pk, action="confirm"))

    assert (page.status_code, decided.status_code) == (404, 404)
    assert "Our unfinished draft" not in listed.content.decode()
    assert Commitment.objects.values().get(pk=draft.pk) == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("status", [S.SUBMITTED, S.RETURNED, S.DECLINED])
@pytest.mark.parametrize("persona", [REVIEWER, SECRETARIAT])
def test_a_submitted_commitment_is_shown_to_the_programmes_staff(
    world: World, persona: str, status: str
) -> None:
    c = factories.CommitmentFactory(
        theme=world.theme, status=status, submitted_at=timezone.now(), title="Sent for review"
    )
    client = client_for(world, persona)

    page = client.get(world.url("console:commitment", pk=c.pk))
    listed = client.get(world.url("console:commitments"), {"tab": "all"})

    assert page.status_code == 200
    assert "Sent for review" in listed.content.decode()


def test_review_queue_queries_do_not_grow_with_rows(world: World) -> None:
    client = client_for(world, REVIEWER)
    url = world.url("console:commitments")
    client.get(url)

    def queries(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(response.context["page"].object_list) == expected_rows
        return len(captured)

    one = queries(1)
    for _ in range(2):
        commitment = factories.CommitmentFactory(
            theme=world.theme, status=S.IN_REVIEW, submitted_at=timezone.now()
        )
        commitment.themes.add(factories.ThemeFactory(programme=world.programme))
        CoMaker.objects.create(commitment=commitment, organisation=factories.OrganisationFactory())
    assert queries(3) == one


# The review page ---------------------------------------------------------------------------


def test_review_page_shows_fields_co_makers_and_assessment(world: World) -> None:
    commitment = world.commitment
    confirmed = factories.OrganisationFactory(name="Confirmed Partner")
    waiting = factories.OrganisationFactory(name="Waiting Partner")
    CoMaker.objects.create(
        commitment=commitment, organisation=confirmed, confirmed_at=timezone.now()
    )
    CoMaker.objects.create(commitment=commitment, organisation=waiting)
    AssessmentOverride.objects.create(
        commitment=commitment, criterion="funding", met=True, note="Budget line seen."
    )

    response = client_for(world, REVIEWER).get(world.url("console:commitment", pk=commitment.pk))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        commitment.title,
        commitment.organisation.name,
        "Programmatic",
        world.theme.name,
        "Kenya",
        "1 January 2026",
        "31 December 2028",
        "Executive leadership or board",
        "Confirmed Partner",
        "Waiting Partner",
        "Not confirmed yet",
        "Budget line seen.",
        "overridden by a reviewer",
    ):
        assert text in html, text
    criteria = {c["result"].key: c["result"] for c in response.context["criteria"]}
    assert list(criteria) == ["impact", "funding", "endorsement", "collective", "smart"]
    assert (criteria["funding"].computed, criteria["funding"].met) == (False, True)
    assert (criteria["collective"].computed, criteria["collective"].advice) == (True, ())
    assert [d["decision"].slug for d in response.context["decisions"]] == [
        "start-review",
        "confirm",
        "return",
        "decline",
    ]
    assert response.context["history"] is None  # reviewers do not read the audit log


def test_secretariat_sees_the_history_and_feature_for_a_confirmed_commitment(
    world: World,
) -> None:
    commitment = world.commitment
    client = client_for(world, SECRETARIAT)
    client.post(world.url("console:commitment_action", pk=commitment.pk, action="confirm"))

    response = client.get(world.url("console:commitment", pk=commitment.pk))

    assert [d["decision"].slug for d in response.context["decisions"]] == ["feature"]
    assert [e.action for e in response.context["history"]] == ["commitment.confirmed"]
    reviewer_page = client_for(world, REVIEWER).get(
        world.url("console:commitment", pk=commitment.pk)
    )
    assert reviewer_page.context["decisions"] == []


# Decisions -------------------------------------------------------------------------------

REVIEWERS_DECIDE = {**READERS, REVIEWER: 302, SECRETARIAT: 302}
SECRETARIAT_DECIDES = {**SECRETARIAT_ONLY, SECRETARIAT: 302}
DECISIONS = [
    # action, starting status, posted data, resulting status, who may
    ("start-review", S.SUBMITTED, {}, S.IN_REVIEW, REVIEWERS_DECIDE),
    ("return", S.IN_REVIEW, {"return-reason": "Add a budget."}, S.RETURNED, REVIEWERS_DECIDE),
    ("confirm", S.IN_REVIEW, {"confirm-reason": ""}, S.CONFIRMED, REVIEWERS_DECIDE),
    ("decline", S.IN_REVIEW, {"decline-reason": "Out of scope."}, S.DECLINED, REVIEWERS_DECIDE),
    ("feature", S.CONFIRMED, {}, S.FEATURED, SECRETARIAT_DECIDES),
    ("unfeature", S.FEATURED, {}, S.CONFIRMED, SECRETARIAT_DECIDES),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("action", "start", "data", "end", "expected"), DECISIONS, ids=[d[0] for d in DECISIONS]
)
def test_decision(
    world: World, persona: str, action: str, start: str, data: dict, end: str, expected: dict
) -> None:
    commitment = world.commitment
    Commitment.objects.filter(pk=commitment.pk).update(status=start)
    before, audits = _state(commitment), AuditEntry.objects.count()
    url = world.url("console:commitment_action", pk=commitment.pk, action=action)

    response = client_for(world, persona).post(url, data)

    assert_outcome(response, expected[persona], url)
    if expected[persona] == 302:
        assert response.url == world.url("console:commitment", pk=commitment.pk)
        assert _state(commitment)[0] == end
        entry = AuditEntry.objects.first()
        assert AuditEntry.objects.count() == audits + 1
        assert (entry.action, entry.actor, entry.data) == (
            f"commitment.{end}",
            world.people[persona],
            {"from": start, "to": end},
        )
        assert entry.reason == next(iter(data.values()), "")
        assert len(mail.outbox) == 0  # the lead organisation has no people in this world
    else:
        assert _state(commitment) == before
        assert AuditEntry.objects.count() == audits


def test_makers_are_emailed_with_the_reason(world: World) -> None:
    commitment = world.commitment
    factories.representative(commitment.organisation)
    url = world.url("console:commitment_action", pk=commitment.pk, action="return")
    response = client_for(world, REVIEWER).post(url, {"return-reason": "Add a budget."})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Add a budget." in mail.outbox[0].body


@pytest.mark.parametrize("action", ["return", "decline"])
def test_reason_is_required(world: World, action: str) -> None:
    commitment = world.commitment
    before, audits = _state(commitment), AuditEntry.objects.count()
    url = world.url("console:commitment_action", pk=commitment.pk, action=action)

    response = client_for(world, REVIEWER).post(url, {f"{action}-reason": "  "})

    assert response.status_code == 200
    bound = [d["form"] for d in response.context["decisions"] if d["decision"].slug == action]
    assert bound[0].errors == {"reason": ["Give a reason: the makers will read it."]}
    assert response.context["errors"] == ["The decision was not taken: see the form below."]
    assert _state(commitment) == before
    assert AuditEntry.objects.count() == audits
    assert mail.outbox == []


def test_a_decision_the_status_does_not_allow_shows_a_message(world: World) -> None:
    commitment = world.commitment  # submitted: cannot be featured
    before, audits = _state(commitment), AuditEntry.objects.count()
    url = world.url("console:commitment_action", pk=commitment.pk, action="feature")

    response = client_for(world, SECRETARIAT).post(url)

    assert response.status_code == 200
    assert response.context["errors"] == ["A commitment that is submitted cannot be featured."]
    assert "A commitment that is submitted cannot be featured." in response.content.decode()
    assert _state(commitment) == before
    assert AuditEntry.objects.count() == audits


def test_unknown_decision_is_404(world: World) -> None:
    url = world.url("console:commitment_action", pk=world.commitment.pk, action="delete")
    assert client_for(world, SECRETARIAT).post(url).status_code == 404


def test_decisions_need_post(world: World) -> None:
    url = world.url("console:commitment_action", pk=world.commitment.pk, action="confirm")
    assert client_for(world, SECRETARIAT).get(url).status_code == 405
    assert _state(world.commitment)[0] == S.SUBMITTED


def test_commitment_of_another_programme_is_404_and_unchanged(world: World) -> None:
    other = world.other_commitment
    before, audits = _state(other), AuditEntry.objects.count()
    client = client_for(world, SECRETARIAT)
    for url in (
        world.url("console:commitment_action", pk=other.pk, action="start-review"),
        world.url("console:override", pk=other.pk, criterion="funding"),
    ):
        response = client.post(url, {"funding-met": "yes", "funding-note": "x"})
        assert response.status_code == 404
    assert _state(other) == before
    assert AuditEntry.objects.count() == audits
    assert AssessmentOverride.objects.count() == 0


# Overrides -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_override(world: World, persona: str) -> None:
    commitment = world.commitment
    audits = AuditEntry.objects.count()
    url = world.url("console:override", pk=commitment.pk, criterion="funding")

    response = client_for(world, persona).post(
        url, {"funding-met": "yes", "funding-note": "Budget line seen."}
    )

    assert_outcome(response, REVIEWERS_DECIDE[persona], url)
    overrides = list(AssessmentOverride.objects.values_list("criterion", "met", "note", "by"))
    if REVIEWERS_DECIDE[persona] == 302:
        assert response.url == (
            world.url("console:commitment", pk=commitment.pk) + "#criterion-funding"
        )
        assert overrides == [("funding", True, "Budget line seen.", world.people[persona].pk)]
        assert AuditEntry.objects.count() == audits + 1
        assert AuditEntry.objects.first().action == "commitment.assessment_overridden"
    else:
        assert overrides == []
        assert AuditEntry.objects.count() == audits


def test_override_without_a_note_is_an_error(world: World) -> None:
    commitment = world.commitment
    audits = AuditEntry.objects.count()
    url = world.url("console:override", pk=commitment.pk, criterion="smart")

    response = client_for(world, REVIEWER).post(url, {"smart-met": "no", "smart-note": " "})

    assert response.status_code == 200
    bound = {c["result"].key: c["form"] for c in response.context["criteria"]}
    assert bound["smart"].errors == {"note": ["Explain the override in a note."]}
    assert bound["impact"].is_bound is False
    assert AssessmentOverride.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_override_of_an_unknown_criterion_is_404(world: World) -> None:
    url = world.url("console:override", pk=world.commitment.pk, criterion="beauty")
    response = client_for(world, REVIEWER).post(url, {"beauty-met": "yes", "beauty-note": "x"})
    assert response.status_code == 404
    assert AssessmentOverride.objects.count() == 0


def test_override_replaces_the_previous_one(world: World) -> None:
    commitment = world.commitment
    client = client_for(world, REVIEWER)
    url = world.url("console:override", pk=commitment.pk, criterion="endorsement")
    client.post(url, {"endorsement-met": "yes", "endorsement-note": "Minister signed."})
    client.post(url, {"endorsement-met": "no", "endorsement-note": "Signature withdrawn."})
    assert list(AssessmentOverride.objects.values_list("criterion", "met", "note")) == [
        ("endorsement", False, "Signature withdrawn.")
    ]


@pytest.mark.parametrize("action", ["return", "decline"])
def test_a_decided_commitment_says_so_even_when_the_reason_is_missing(
    world: World, action: str
) -> None:
    """A colleague confirmed it since this page was opened: the page says it is confirmed, not
    "see the form below" (the decision forms are gone once it is confirmed)."""
    commitment = world.commitment
    Commitment.objects.filter(pk=commitment.pk).update(status=S.CONFIRMED)
    before, audits = _state(commitment), AuditEntry.objects.count()
    url = world.url("console:commitment_action", pk=commitment.pk, action=action)

    response = client_for(world, REVIEWER).post(url, {f"{action}-reason": ""})

    assert response.status_code == 200
    verb = {"return": "returned for revision", "decline": "declined"}[action]
    message = f"A commitment that is confirmed cannot be {verb}."
    assert response.context["errors"] == [message]
    assert message in response.content.decode()
    assert _state(commitment) == before
    assert AuditEntry.objects.count() == audits
    assert mail.outbox == []


@pytest.mark.parametrize("status", [s for s in S.values if s != S.DRAFT])
def test_the_page_offers_a_decision_exactly_when_the_domain_takes_it(
    world: World, status: str
) -> None:
    """The console's buttons and the domain's refusals read one table (DECIDED_FROM)."""
    secretariat = world.people[SECRETARIAT]
    for decision in review.DECISIONS.values():
        Commitment.objects.filter(pk=world.commitment.pk).update(status=status)
        commitment = Commitment.objects.get(pk=world.commitment.pk)
        reason = {"reason": "A reason."} if decision.takes_reason else {}
        try:
            decision.function(actor=secretariat, commitment=commitment, **reason)
        except ValidationError:
            taken = False
        else:
            taken = True
        assert taken == (status in decision.allowed_from), (decision.slug, status)
