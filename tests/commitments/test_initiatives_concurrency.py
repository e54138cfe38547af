"""Two secretaries link the same registrations at once (two connections, PostgreSQL's row
locks): one link is made, the other waits, then says it is made already and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pledgebook.commitments import initiatives
from pledgebook.commitments.models import Commitment, Initiative, Registration
from tests import factories
from tests.concurrency import at_once
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_secretaries_linking_at_once_make_one_link(theme, programme):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are tested on PostgreSQL")
    first = commitment_in(theme, title="Clean harbours in Dakar")
    second = commitment_in(
        theme, title="Clean harbours of Dakar", status=Commitment.Status.IN_REVIEW
    )
    one, two = factories.staff(programme), factories.staff(programme)

    def pages() -> tuple[Commitment, Commitment]:  # each secretary's review of the second
        return Commitment.objects.get(pk=second.pk), Commitment.objects.get(pk=first.pk)

    outcome = at_once(
        pages,
        lambda seen: initiatives.link(actor=one, commitment=seen[0], other=seen[1], note="first"),
        lambda seen: initiatives.link(actor=two, commitment=seen[0], other=seen[1], note="second"),
        timeout=90,
    )

    assert outcome.first == "done"
    assert outcome.second_waited  # the two connections really met
    refused = outcome.second
    assert isinstance(refused, ValidationError), refused
    assert refused.messages == [f"“{first.title}” is already linked with this commitment."]
    assert Initiative.objects.count() == 1
    assert sorted(Registration.objects.values_list("commitment_id", "note")) == sorted(
        [(first.pk, "first"), (second.pk, "first")]
    )
