"""Benchmark settings: the project's own, read from the environment as in production
(``bench/run.py`` sets DATABASE_URL, SECRET_KEY, DEBUG=0, ALLOWED_HOSTS...), except that
collected static files go to ``var/bench/static`` so that the manifest storage of production
(``CompressedManifestStaticFilesStorage``) renders ``{% static %}`` without touching the
project's own ``var/static``."""

from pledgebook.settings import *  # noqa: F403
from pledgebook.settings import BASE_DIR

STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
