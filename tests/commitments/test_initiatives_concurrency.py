"""Two secretaries link the same registrations at once (two connections, PostgreSQL's row
locks): one link is made, the other waits, then says it is made already and writes nothing."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from pledgebook.commitments import initiatives
from pledgebook.commitments.models import Commitment, Initiative, Registration
from tests import factories
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
    both_loaded = threading.Barrier(2, timeout=30)
    first_linked = threading.Event()
    outcomes: dict[str, object] = {}

    def second_waits_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    def link_first() -> None:
        try:
            mine, theirs = Commitment.objects.get(pk=second.pk), Commitment.objects.get(pk=first.pk)
            both_loaded.wait()
            with transaction.atomic():  # a slow request: not committed yet
                initiatives.link(actor=one, commitment=mine, other=theirs, note="first")
                first_linked.set()
                for _attempt in range(200):  # until the second waits on the row (10 s at most)
                    if second_waits_on_a_lock():
                        outcomes["second waited"] = True
                        break
                    threading.Event().wait(0.05)
            outcomes["first"] = "done"
        except Exception as exc:  # reported by the assertions below
            outcomes["first"] = exc
        finally:
            first_linked.set()
            connections.close_all()

    def link_second() -> None:
        try:
            mine, theirs = Commitment.objects.get(pk=second.pk), Commitment.objects.get(pk=first.pk)
            both_loaded.wait()
            first_linked.wait(timeout=30)
            initiatives.link(actor=two, commitment=mine, other=theirs, note="second")
            outcomes["second"] = "done"
        except Exception as exc:  # reported by the assertions below
            outcomes["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=link_first), threading.Thread(target=link_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert outcomes["first"] == "done"
    assert outcomes.get("second waited") is True  # the two connections really met
    refused = outcomes["second"]
    assert isinstance(refused, ValidationError), refused
    assert refused.messages == [f"“{first.title}” is already linked with this commitment."]
    assert Initiative.objects.count() == 1
    assert sorted(Registration.objects.values_list("commitment_id", "note")) == sorted(
        [(first.pk, "first"), (second.pk, "first")]
    )
