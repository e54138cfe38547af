"""Settings for the test suite: production settings with a throw-away key, immediate tasks
and in-memory mail.  The database still comes from DATABASE_URL (SQLite by default, PostgreSQL
in CI's second run)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from pledgebook.settings import *  # noqa: F403
from pledgebook.settings import STORAGES

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
# Immediate tasks: no worker, so /healthz/ does not look for one (tests of it turn it on).
HEALTH_CHECK_WORKER = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# WhiteNoise warns on every request when STATIC_ROOT does not exist.
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405

# Uploaded evidence and generated reports go to a throw-away folder, not var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pledgebook-test-media-"))
