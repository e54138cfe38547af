"""Settings of the real worker processes that tests start (test_worker_crash.py): the test
settings with the database task backend of production.  Timings come from the environment
(TASKS_HEARTBEAT_SECONDS and the others, read by pledgebook.settings)."""

from pledgebook.settings_test import *  # noqa: F403
from pledgebook.settings_test import TASK_QUEUES

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
