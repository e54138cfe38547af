"""Property-based test of the commitment life cycle: any sequence of actions by any actor keeps
the state machine's invariants."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.commitments import domain
from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import ProgrammeRole
from tests import factories

S = Commitment.Status

# The allowed graph, written out independently of the domain code.
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.IN_REVIEW),
    (S.SUBMITTED, S.RETURNED),
    (S.IN_REVIEW, S.RETURNED),
    (S.SUBMITTED, S.CONFIRMED),
    (S.IN_REVIEW, S.CONFIRMED),
    (S.SUBMITTED, S.DECLINED),
    (S.IN_REVIEW, S.DECLINED),
    (S.CONFIRMED, S.FEATURED),
    (S.FEATURED, S.CONFIRMED),
}

ACTIONS = {
    "submit": lambda actor, c: domain.submit_commitment(actor=actor, commitment=c),
    "start_review": lambda actor, c: domain.start_review(actor=actor, commitment=c),
    "return": lambda actor, c: domain.return_for_revision(actor=actor, commitment=c, reason="r"),
    "confirm": lambda actor, c: domain.confirm_commitment(actor=actor, commitment=c),
    "decline": lambda actor, c: domain.decline_commitment(actor=actor, commitment=c, reason="r"),
    "feature": lambda actor, c: domain.feature_commitment(actor=actor, commitment=c),
    "unfeature": lambda actor, c: domain.unfeature_commitment(actor=actor, commitment=c),
}
ACTORS = ["maker", "reviewer", "secretariat", "stranger", "foreign_reviewer"]


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(list(ACTIONS))), max_size=12)
)
# Fixtures are shared across examples on purpose: every example makes its own actors and commitment.
def test_any_sequence_keeps_the_invariants(programme, theme, steps):
    maker = factories.member_of(theme)
    actors = {
        "maker": maker,
        "reviewer": factories.staff(programme, ProgrammeRole.Role.REVIEWER),
        "secretariat": factories.staff(programme),
        "stranger": factories.UserFactory(),
        "foreign_reviewer": factories.staff(
            factories.ProgrammeFactory(), ProgrammeRole.Role.REVIEWER
        ),
    }
    commitment = factories.CommitmentFactory(theme=theme, organisation=maker.organisations.get())
    audit_before = AuditEntry.objects.count()
    transitions = 0
    for who, action in steps:
        before = Commitment.objects.get(pk=commitment.pk).status
        try:
            ACTIONS[action](actors[who], Commitment.objects.get(pk=commitment.pk))
        except (PermissionDenied, ValidationError):
            assert Commitment.objects.get(pk=commitment.pk).status == before
            continue
        after = Commitment.objects.get(pk=commitment.pk).status
        assert (before, after) in ALLOWED
        assert who not in ("stranger", "foreign_reviewer")
        transitions += 1
    assert AuditEntry.objects.count() - audit_before == transitions
    final = Commitment.objects.get(pk=commitment.pk)
    assert final.is_public == (final.status in (S.CONFIRMED, S.FEATURED))


@pytest.mark.parametrize("status", list(S))
def test_status_label_is_djangos(status):
    """``get_status_display`` (replaced for speed) says what Django's would, in the language
    of the request."""
    c = Commitment(status=status)
    with translation.override("fr"):
        assert c.get_status_display() == str(status.label)
    assert c.get_status_display() == dict(Commitment.Status.choices)[status]


def test_unknown_status_shows_its_value():
    assert Commitment(status="archived").get_status_display() == "archived"
