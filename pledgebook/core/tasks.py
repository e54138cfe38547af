"""Background tasks: thin wrappers, safe to run twice; and the queues and priorities of all
the project's tasks.

A worker takes the ready task of highest priority first (then the oldest), from the queues it
serves (``manage.py db_worker`` serves every queue unless told ``--queue-name``):

=========================  ==========  ===========================================================
what                       queue       priority
=========================  ==========  ===========================================================
mail (verification links,  default     :data:`MAIL_PRIORITY` (50): a person waits for it
notifications, reminders)
the annual report, a       default     :data:`INTERACTIVE_PRIORITY` (20): the secretariat watches
coalition import, the                  its progress
themes of a consultation
dashboard figures          default     0 (the default)
similarity indexing        background  :data:`BACKGROUND_PRIORITY` (-50): bulk work, in batches
=========================  ==========  ===========================================================

So a mail queued behind 300 items to index runs as soon as the worker finishes the task it is
running, and a worker started with ``--queue-name default`` never runs bulk work at all.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django_tasks import task

#: The queue of bulk work that no one waits for (see the table above).
BACKGROUND_QUEUE = "background"
MAIL_PRIORITY = 50
INTERACTIVE_PRIORITY = 20
BACKGROUND_PRIORITY = -50


@task(priority=MAIL_PRIORITY)
def send_email(
    *, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None
) -> int:
    """Send one mail; ``headers``: extra header lines (``List-Unsubscribe`` of a digest)."""
    if not headers:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    return message.send(fail_silently=False)


def waiting(task_obj: Any, *, include_running: bool = False) -> bool:
    """Whether a run of ``task_obj`` (a task without arguments) is already queued in the
    database and not started yet (or running, with ``include_running``).  Always False for
    a backend that does not keep tasks in the database (the immediate backend of the
    tests)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task_obj.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    statuses = ["READY", "RUNNING"] if include_running else ["READY"]
    return DBTaskResult.objects.filter(
        backend_name=backend.alias, task_path=task_obj.module_path, status__in=statuses
    ).exists()


def enqueue_once(task_obj: Any, *, include_running: bool = False) -> bool:
    """Enqueue ``task_obj`` (a task without arguments that works through a backlog kept in
    the database) unless a run of it is already waiting: many changes in one transaction
    (an import) then queue one task, not one each.  Call it inside the transaction that adds
    to the backlog, so that the task commits with it.  Returns True if it was enqueued.

    Two transactions may each queue one (harmless: the second finds less or nothing to do),
    and a change that commits after a waiting run read the backlog may be left for the next
    one: the backlog's owner sweeps for that (see ``core.workers.register_check``)."""
    if waiting(task_obj, include_running=include_running):
        return False
    task_obj.enqueue()
    return True
