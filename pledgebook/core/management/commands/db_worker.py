"""``manage.py db_worker``: django-tasks-db's worker, with a heartbeat and crash recovery.

It replaces the library's command of the same name (``pledgebook.core`` is listed before
``django_tasks_db`` in INSTALLED_APPS) and takes the same options, with one default changed:
it serves every queue (``--queue-name '*'``) where the library serves "default" only, so that
one worker runs everything, user-facing work first (priorities: ``core/tasks.py``).  Start a
second one with ``--queue-name default`` to keep user-facing work off the bulk work entirely.

What it adds (``core/workers.py``): the worker's heartbeat row, renewed by a thread every
``TASKS_HEARTBEAT_SECONDS``; at start and every ``TASKS_RECOVERY_SECONDS``, the recovery of
tasks left running by a dead worker (queued again, or failed after ``TASKS_MAX_ATTEMPTS``
runs) and the periodic checks of the apps.  Log records written while a task runs carry its
id (``task_id``, core/logs.py).
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as library

from pledgebook.core import logs, workers


class Worker(library.Worker):
    def run(self) -> None:
        queues = ",".join(self.queue_names)
        workers.quietly(lambda: workers.register(self.worker_id, queues), "registering")
        try:
            workers.run_checks()
            with workers.beating(
                workers.Ticker(self.worker_id, queues), every=workers.heartbeat_seconds()
            ):
                super().run()
        finally:
            workers.quietly(lambda: workers.unregister(self.worker_id), "unregistering")

    def run_task(self, db_task_result: Any) -> None:
        # Every log record written while the task runs carries its id (core/logs.py).
        token = logs.task_id.set(str(db_task_result.id))
        try:
            super().run_task(db_task_result)
        finally:
            logs.task_id.reset(token)


class Command(library.Command):
    help = (
        "Run a database background worker (every queue unless --queue-name), with a heartbeat "
        "and the recovery of tasks left running by a stopped worker"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")

    def handle(self, *args: Any, **options: Any) -> None:
        # The library's handle() with this module's Worker (it names its own class directly).
        self.configure_logging(options["verbosity"])
        reload = options["reload"]
        if reload and options["batch"]:
            library.logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise library.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the child process
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
