"""Running the task worker of production (core's ``db_worker``) in the test's own process."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from pledgebook.core.management.commands.db_worker import Worker


def run_worker(*, max_tasks: int | None = None, queues: tuple[str, ...] = ("*",)) -> None:
    """Run ready tasks as ``manage.py db_worker`` does, best priority first: at most
    ``max_tasks``, and stop when none is ready."""
    Worker(
        queue_names=list(queues),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def task_paths(**filters: object) -> list[str]:
    """The task paths of the queued tasks, in the order a worker takes them."""
    return list(DBTaskResult.objects.filter(**filters).values_list("task_path", flat=True))
