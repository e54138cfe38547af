"""``python -m tests.core.pausing_worker``: core's ``db_worker`` whose annual report stops for
good once it has recorded 10 % ("Drawing the charts"), writing the report's id to the file
named by PAUSED_FILE, so that a test can kill the worker exactly there (test_worker_crash.py).
The pause is the only change: the worker, its heartbeat thread and the report's heartbeat
run as in production."""

import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.core.worker_settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from pledgebook.reporting import generation as annual  # noqa: E402

record_progress = annual._progress


def progress_then_pause(report, percent, step, **fields):  # type: ignore[no-untyped-def]
    record_progress(report, percent, step, **fields)
    if percent == 10:
        Path(os.environ["PAUSED_FILE"]).write_text(str(report.pk))
        while True:
            time.sleep(60)


annual._progress = progress_then_pause
call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
