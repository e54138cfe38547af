"""The one transition primitive, ``core.transitions.transition``: what it does with one caller,
and what it does when two people decide the same commitment at once (PostgreSQL, two real
connections)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from pledgebook.commitments import domain
from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.core.transitions import transition
from pledgebook.programmes.models import ProgrammeRole
from tests import factories
from tests.concurrency import at_once

S = Commitment.Status
REFUSAL = "A commitment that is %(state)s cannot be %(action)s."


def _entries(commitment: Commitment) -> list[tuple[str, str, dict]]:
    return list(
        AuditEntry.objects.filter(
            object_type="commitments.commitment", object_id=commitment.pk
        ).values_list("action", "reason", "data")
    )


def _review(commitment: Commitment, actor, **kwargs):
    """Take ``commitment`` into review through the primitive itself."""
    return transition(
        commitment,
        actor=actor,
        perm="commitments.review_commitment",
        allowed_from=[S.SUBMITTED],
        to=S.IN_REVIEW,
        action="taken into review",
        refusal=REFUSAL,
        audit_action="commitment.in_review",
        **kwargs,
    )


@pytest.fixture
def reviewer(programme):
    return factories.staff(programme, ProgrammeRole.Role.REVIEWER)


@pytest.fixture
def submitted(theme):
    return factories.CommitmentFactory(theme=theme, status=S.SUBMITTED)


@pytest.mark.django_db
def test_an_allowed_change_is_saved_audited_and_followed_by_then(submitted, reviewer):
    seen_in_then = []

    def apply(row, previous):
        row.title = "Taken into review"
        return ["title"]

    def then(row, previous):
        stored = Commitment.objects.get(pk=row.pk)
        seen_in_then.append((previous, stored.status, stored.title, len(_entries(row))))

    row = _review(
        submitted, reviewer, reason="  looks complete ", data={"queue": 2}, apply=apply, then=then
    )

    stored = Commitment.objects.get(pk=submitted.pk)
    assert (stored.status, stored.title) == (S.IN_REVIEW, "Taken into review")
    assert (row.status, submitted.status, submitted.title) == (
        S.IN_REVIEW,
        S.IN_REVIEW,
        "Taken into review",
    )
    assert _entries(submitted) == [
        (
            "commitment.in_review",
            "looks complete",
            {"from": "submitted", "to": "in_review", "queue": 2},
        )
    ]
    assert seen_in_then == [(S.SUBMITTED, S.IN_REVIEW, "Taken into review", 1)]


@pytest.mark.django_db
def test_a_state_that_does_not_allow_it_is_refused_with_its_name(theme, reviewer):
    draft = factories.CommitmentFactory(theme=theme, status=S.CONFIRMED)
    ran = []

    with pytest.raises(ValidationError) as refused:
        _review(
            draft,
            reviewer,
            apply=lambda row, previous: ran.append("apply") or [],
            then=lambda row, previous: ran.append("then"),
        )

    assert refused.value.messages == ["A commitment that is confirmed cannot be taken into review."]
    assert Commitment.objects.get(pk=draft.pk).status == S.CONFIRMED
    assert _entries(draft) == []
    assert ran == []


@pytest.mark.django_db
def test_permission_denied_changes_nothing_and_writes_no_audit_entry(submitted, programme):
    stranger = factories.UserFactory()
    ran = []

    with pytest.raises(PermissionDenied):
        _review(submitted, stranger, then=lambda row, previous: ran.append("then"))

    assert Commitment.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert _entries(submitted) == []
    assert ran == []


@pytest.mark.django_db
def test_a_change_made_meanwhile_is_named_and_nothing_is_changed(submitted, reviewer):
    # The reviewer's page showed "submitted"; a colleague confirmed it since.
    Commitment.objects.filter(pk=submitted.pk).update(status=S.CONFIRMED)

    with pytest.raises(ValidationError) as refused:
        domain.decline_commitment(actor=reviewer, commitment=submitted, reason="Out of scope")

    assert refused.value.messages == [
        "Someone else has already changed this: it is now confirmed, so it cannot be "
        "declined. Nothing was changed."
    ]
    assert Commitment.objects.get(pk=submitted.pk).status == S.CONFIRMED
    assert _entries(submitted) == []


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_required_reason_must_be_given(submitted, reviewer, reason):
    with pytest.raises(ValidationError) as refused:
        _review(submitted, reviewer, reason=reason, reason_required="Give a reason.")

    assert refused.value.message_dict == {"reason": ["Give a reason."]}
    assert Commitment.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert _entries(submitted) == []


@pytest.mark.django_db
def test_a_change_that_can_no_longer_be_made_says_so_before_asking_for_a_reason(
    submitted, reviewer
):
    # A second reviewer's stale tab declines without a reason a commitment confirmed since:
    # the reason does not matter any more, the state does.
    Commitment.objects.filter(pk=submitted.pk).update(status=S.CONFIRMED)

    with pytest.raises(ValidationError) as refused:
        domain.decline_commitment(actor=reviewer, commitment=submitted, reason="")

    assert refused.value.messages == [
        "Someone else has already changed this: it is now confirmed, so it cannot be "
        "declined. Nothing was changed."
    ]
    assert _entries(submitted) == []


@pytest.mark.django_db
def test_a_refusal_raised_by_apply_rolls_the_change_back(submitted, reviewer):
    def apply(row, previous):
        row.title = "Changed"
        raise ValidationError("Not complete.")

    with pytest.raises(ValidationError):
        _review(submitted, reviewer, apply=apply)

    stored = Commitment.objects.get(pk=submitted.pk)
    assert (stored.status, stored.title) == (S.SUBMITTED, submitted.title)
    assert _entries(submitted) == []


# Two reviewers at once -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_deciding_at_once_make_one_decision(theme, programme):
    """Two threads, each with its own database connection, load the same submitted commitment
    (both see "submitted"). The first confirms it inside a transaction that it keeps open until
    the second is seen waiting on a lock in PostgreSQL; then it commits. The second, which tried
    to decline meanwhile, must get "already changed" and write nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are tested on PostgreSQL")
    commitment = factories.CommitmentFactory(theme=theme, status=S.SUBMITTED)
    first = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    second = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    outcome = at_once(
        lambda: Commitment.objects.get(pk=commitment.pk),  # each reviewer's page
        lambda seen: domain.confirm_commitment(actor=first, commitment=seen),
        lambda seen: domain.decline_commitment(
            actor=second, commitment=seen, reason="Out of scope"
        ),
    )

    assert outcome.first == "done"
    assert outcome.second_waited  # the two connections really met
    refused = outcome.second
    assert isinstance(refused, ValidationError), refused
    assert refused.messages == [
        "Someone else has already changed this: it is now confirmed, so it cannot be "
        "declined. Nothing was changed."
    ]
    assert Commitment.objects.get(pk=commitment.pk).status == S.CONFIRMED
    decisions = AuditEntry.objects.filter(
        object_type="commitments.commitment",
        object_id=commitment.pk,
        action__in=["commitment.confirmed", "commitment.declined"],
    )
    assert list(decisions.values_list("action", "actor")) == [("commitment.confirmed", first.pk)]
