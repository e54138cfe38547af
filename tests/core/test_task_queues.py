"""Queues and priorities (issue 9, 2.9): indexing after an import runs as a few low-priority
batches from a backlog kept in the database, and mail queued behind it runs first.  Tasks are
queued in the database and run by core's ``db_worker`` loop in this process."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from pledgebook.coalitions.indexing import reindex
from pledgebook.coalitions.models import Coalition
from pledgebook.core.tasks import send_email
from pledgebook.similarity import backlog
from pledgebook.similarity.models import IndexRequest, Vector
from pledgebook.similarity.tasks import queue_if_needed
from tests import factories
from tests.core.helpers import run_worker, task_paths

# Committed, as in production: the worker loop closes and reopens its connection
# (close_old_connections), which a test inside one transaction would not survive on
# PostgreSQL.  serialized_rollback keeps the reference data (countries) for later tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEND = "pledgebook.core.tasks.send_email"
BATCH = "pledgebook.similarity.tasks.index_pending"


@pytest.fixture(autouse=True)
def small_batches(database_tasks: Any) -> None:
    database_tasks.SIMILARITY_BATCH_SIZE = 16
    database_tasks.SIMILARITY_BATCH_SECONDS = 3600  # batches cut by size only: exact counts


def imported(programme: Any, n: int) -> list[Coalition]:
    """Coalitions created and queued for indexing in one transaction, as an import does."""
    with transaction.atomic():
        made = Coalition.objects.bulk_create(
            Coalition(
                programme=programme,
                name=f"Reef alliance {i}",
                slug=f"reef-alliance-{i}",
                summary=f"Restoring coral reef number {i}.",
                state=Coalition.State.ACTIVE,
            )
            for i in range(n)
        )
        for coalition in made:
            reindex(coalition)
    return made


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reminder(to: str = "maker@example.org") -> None:
    send_email.enqueue(to=[to], subject="Your report is due", body="Please report.")


def test_a_mail_queued_behind_300_items_to_index_runs_first(programme: Any) -> None:
    imported(programme, 300)
    reminder()

    # One batch task for the 300 items, and the mail ahead of it.
    assert task_paths(status="READY") == [SEND, BATCH]
    assert backlog.progress(scope=programme.pk) == backlog.Progress(done=0, total=300, failed=0)

    run_worker(max_tasks=1)
    assert [m.to for m in mail.outbox] == [["maker@example.org"]]
    assert backlog.progress(scope=programme.pk).done == 0

    run_worker(max_tasks=1)  # one batch: 16 items, and the next batch queued
    assert backlog.progress(scope=programme.pk) == backlog.Progress(done=16, total=300, failed=0)
    assert Vector.objects.filter(kind="coalition").count() == 16
    assert task_paths(status="READY") == [BATCH]

    reminder("other@example.org")  # queued while the backlog is being worked through
    run_worker(max_tasks=1)
    assert [m.to for m in mail.outbox] == [["maker@example.org"], ["other@example.org"]]
    assert backlog.progress(scope=programme.pk).done == 16


def test_the_backlog_runs_as_a_few_batches_and_is_then_cleared(programme: Any) -> None:
    made = imported(programme, 40)

    run_worker()

    batches = DBTaskResult.objects.filter(task_path=BATCH).order_by("enqueued_at")
    assert [(r.status, r.return_value) for r in batches] == [
        ("SUCCESSFUL", {"indexed": 16, "failed": 0, "remaining": 24}),
        ("SUCCESSFUL", {"indexed": 16, "failed": 0, "remaining": 8}),
        ("SUCCESSFUL", {"indexed": 8, "failed": 0, "remaining": 0}),
    ]
    assert set(Vector.objects.filter(kind="coalition").values_list("object_id", flat=True)) == {
        c.pk for c in made
    }
    assert IndexRequest.objects.count() == 0
    assert backlog.progress(scope=programme.pk) == backlog.Progress(done=0, total=0, failed=0)


def test_a_worker_of_the_default_queue_runs_mail_and_never_indexing(programme: Any) -> None:
    imported(programme, 3)
    reminder()

    run_worker(queues=("default",))

    assert len(mail.outbox) == 1
    assert task_paths(status="READY") == [BATCH]
    assert backlog.progress(scope=programme.pk).done == 0


def test_a_backlog_left_without_a_task_gets_one_from_the_workers_check(programme: Any) -> None:
    made = imported(programme, 2)
    DBTaskResult.objects.all().delete()  # as if the batch had died and been pruned

    assert queue_if_needed() is True
    assert queue_if_needed() is False  # one is waiting now
    run_worker()
    assert Vector.objects.filter(kind="coalition").count() == len(made)
    assert queue_if_needed() is False  # nothing left to do


def test_an_item_whose_batch_keeps_dying_is_given_up_and_shown(programme: Any) -> None:
    made = imported(programme, 3)
    IndexRequest.objects.filter(object_id=made[0].pk).update(attempts=backlog.MAX_ATTEMPTS)
    secretariat = factories.staff(programme)
    client = client_for(secretariat)

    run_worker()

    assert backlog.progress(scope=programme.pk) == backlog.Progress(done=0, total=0, failed=1)
    assert not Vector.objects.filter(kind="coalition", object_id=made[0].pk).exists()
    assert Vector.objects.filter(kind="coalition").count() == 2
    html = client.get(reverse("console:coalitions", args=[programme.slug])).content.decode()
    assert "1 text could not be indexed: save it again to retry." in html

    reindex(made[0])  # saved again: queued afresh
    run_worker()
    assert backlog.progress(scope=programme.pk) == backlog.Progress(done=0, total=0, failed=0)
    assert Vector.objects.filter(kind="coalition").count() == 3


def test_a_kind_without_a_text_source_is_given_up_with_the_reason(programme: Any) -> None:
    backlog.mark("unknown-kind", [7], scope=programme.pk)

    result = backlog.run_batch()

    assert (result.indexed, result.failed, result.remaining) == (0, 1, 0)
    row = IndexRequest.objects.get()
    assert row.error == "no text given and no text source registered for 'unknown-kind'"


# The progress in the console -------------------------------------------------------------


def test_the_console_shows_the_progress_of_indexing_and_polls_it(programme: Any) -> None:
    client = client_for(factories.staff(programme))
    other = factories.ProgrammeFactory()
    imported(programme, 20)
    with transaction.atomic():
        Coalition.objects.create(programme=other, name="Elsewhere", slug="elsewhere")
        reindex(Coalition.objects.get(slug="elsewhere"))
    status_url = reverse("console:indexing_status", args=[programme.slug])

    for page in ("console:coalitions", "console:coalitions_eois", "console:coalition_import"):
        html = client.get(reverse(page, args=[programme.slug])).content.decode()
        assert "Indexing for similarity: 0 of 20" in html, page  # its own programme only
        assert f'hx-get="{status_url}" hx-trigger="every 2s" hx-swap="outerHTML"' in html

    run_worker(max_tasks=1)
    html = client.get(status_url).content.decode()
    assert "Indexing for similarity: 16 of 20" in html
    assert '<progress id="indexing-progress" max="20" value="16">80%</progress>' in html

    run_worker()
    html = client.get(status_url).content.decode()
    assert "Indexing for similarity is finished." in html
    assert "hx-trigger" not in html
    page = client.get(reverse("console:coalitions", args=[programme.slug])).content.decode()
    assert "Indexing for similarity" not in page


def test_only_the_programmes_console_sees_its_indexing(programme: Any) -> None:
    imported(programme, 2)
    url = reverse("console:indexing_status", args=[programme.slug])
    outsider = client_for(factories.staff(factories.ProgrammeFactory()))

    response = outsider.get(url)

    assert response.status_code == 403
    assert "Indexing" not in response.content.decode()
    assert client_for(factories.staff(programme)).get(url).status_code == 200
