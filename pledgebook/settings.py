"""Pledgebook settings.

Everything that differs between a developer's machine and production comes from the
environment (12-factor, read with django-environ): DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS,
DEBUG, EMAIL_URL / EMAIL_*, TASKS_BACKEND and CACHE_URL.  The defaults are the embedded demo:
SQLite in ``var/pledgebook.sqlite3``, the console e-mail backend, the database task queue and a
cache in the process's memory.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    # An unset key in production is a configuration error, never a silent default.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links that leave the site (mails, the API, CSV rows) use the address of the request being
# served, else this one (the task worker, cron commands): pledgebook/core/site.py.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    # Before django_tasks_db: core's `db_worker` command (heartbeats, recovery of tasks left
    # running by a dead worker) replaces the one of django-tasks-db.
    "pledgebook.core",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "csp",
    "pledgebook.reference",
    "pledgebook.programmes",
    "pledgebook.organisations",
    "pledgebook.commitments",
    "pledgebook.reporting",
    "pledgebook.similarity",
    "pledgebook.coalitions",
    "pledgebook.forum",
    "pledgebook.registry",
    "pledgebook.portal",
    "pledgebook.accounts",
    "pledgebook.public",
    "pledgebook.workspace",
    "pledgebook.console",
    "pledgebook.api",
    "pledgebook.demo",
]

MIDDLEWARE = [
    # Operations (docs/OPERATIONS.md): the request id first, so that every log line of the
    # request carries it; metrics time everything below; /healthz/ and /livez/ are answered
    # before sessions, host checks and the HTTPS redirect.
    "pledgebook.core.middleware.RequestIdMiddleware",
    "pledgebook.core.metrics.MetricsMiddleware",
    "pledgebook.core.middleware.QueryTimeoutMiddleware",
    "pledgebook.core.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pledgebook.core.site.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (the CSRF check does, in its process_view).
    "pledgebook.core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pledgebook.urls"
WSGI_APPLICATION = "pledgebook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pledgebook" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'pledgebook.sqlite3'}"
    )
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
# Persistent connections (seconds; 0: one per request).  The app servers keep theirs for 60 s
# (deploy/gunicorn.conf.py): a new PostgreSQL connection per request forks a backend and warms
# its caches on every page.  Checked before reuse, so one the database dropped is replaced.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # SQLite has no row locks (``select_for_update`` does nothing): a transaction takes the
    # database's one write lock when it begins (BEGIN IMMEDIATE), waiting up to ``timeout``
    # for the writer before it.  So what a state change reads inside ``transaction.atomic``
    # is still true when it writes, as with PostgreSQL's row locks; deferred, the second of
    # two people acting at once would get "database is locked" instead of the first one's
    # result (tests/core/test_sqlite_transactions.py).
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # Random reads cost about what sequential ones do on SSDs: PostgreSQL's default (4.0,
    # for spinning disks) makes the planner scan whole link tables instead of following the
    # text match (docs/BENCHMARKS.md, finding 9).  PG_RANDOM_PAGE_COST overrides it.
    #
    # DATABASE_STATEMENT_TIMEOUT_MS (0: none) stops a statement that runs longer: the app
    # servers set it (deploy/gunicorn.conf.py) below gunicorn's own timeout, so a query whose
    # request was given up (a worker timed out, the proxy answered 504) does not keep running
    # in PostgreSQL; the page says it took too long (core.middleware.QueryTimeoutMiddleware).
    # The task worker and the commands run without it.
    #
    # PG_WORK_MEM (default 16MB, PostgreSQL's own is 4MB): the memory of one sort or bitmap of
    # a query.  A search whose filters match hundreds of thousands of rows (a goal: half of
    # them) built a lossy bitmap at 4MB and re-read every row of 26,000 pages: the API list
    # at 1,000,000 commitments took 490 ms, 190 ms at 16MB (docs/BENCHMARKS.md).
    _pg_options = [
        f"-c random_page_cost={env.str('PG_RANDOM_PAGE_COST', default='1.1')}",
        f"-c work_mem={env.str('PG_WORK_MEM', default='16MB')}",
    ]
    if env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=0) > 0:
        _pg_options.append(f"-c statement_timeout={env.int('DATABASE_STATEMENT_TIMEOUT_MS')}")
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", " ".join(_pg_options))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "public:home"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "pledgebook" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "pledgebook" / "static"]
STORAGES = {
    # Uploaded files: a full disk is a clear refusal, never a half-written file (core/uploads.py).
    "default": {"BACKEND": "pledgebook.core.uploads.MediaStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (evidence, generated reports): one directory that every app server and the
# task worker share (docs/STACK.md).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# The shared base index of the similarity vectors (docs/SIMILARITY.md): built by the task
# worker, memory-mapped by every app process; on a volume all servers see, like the media.
SIMILARITY_INDEX_DIR = env.path(
    "SIMILARITY_INDEX_DIR", default=str(BASE_DIR / "var" / "similarity-index")
)
# Below this many vectors no base is built (every process holds them all in memory).
SIMILARITY_INDEX_MIN_ROWS = env.int("SIMILARITY_INDEX_MIN_ROWS", default=50_000)
# Served at the site's root by WhiteNoise: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "pledgebook" / "root"

# Request bodies.  One over REQUEST_BODY_MAX_BYTES (by its Content-Length) is refused with 413
# before it is read, and one without a length with 411 (core/middleware.py); the proxy refuses
# at the same size (client_max_body_size in deploy/nginx/pledgebook-server.conf).  It holds
# every upload: an evidence file is up to 10 MB, a coalition import up to 5 MB (core.checks).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_MB", default=25) * 1024 * 1024
# The form fields of a body, files apart (Django's default, stated): more is a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An uploaded file larger than this goes to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Content-Security-Policy (django-csp): every script and style from this site's own files, no
# inline script, style attribute or eval, no framing.  htmx is served from static files and
# runs with eval and its injected indicator style turned off (meta htmx-config, base.html).
# Chart images of the annual report are SVG data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Cache: where the rate limits of the sign-in and mail-sending forms count
# (accounts/throttle.py).  Production runs several processes and must share it
# (CACHE_URL=rediscache://127.0.0.1:6379/1, Django's own Redis backend); a deploy check says so.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://pledgebook")}
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit names django-redis only; Django's own Redis backend increments
    # atomically too (INCRBY).
    "django_ratelimit.W001",
]
# Behind a proxy every request comes from the proxy: name the header in which the proxy puts
# the client's address (e.g. HTTP_X_REAL_IP), or the limits count all clients as one.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="") or None
# The cache down (Redis unreachable) must not stop anyone signing in: the limits fail open,
# logged (accounts.throttle), and a cache that does not answer is given up on quickly.
RATELIMIT_FAIL_OPEN = True
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", 1)
    _redis_options.setdefault("socket_timeout", 1)
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # One process (the demo server, the tests) counts right in its own memory; with DEBUG off,
    # accounts.checks warns instead.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# E-mail: SMTP in production (EMAIL_URL=smtp://user:pass@host:587/?tls=True, or EMAIL_HOST...).
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Pledgebook <no-reply@pledgebook.local>")

# Background work: Django's tasks API (django-tasks backport), stored in the database and
# run by `manage.py db_worker` (core's, which adds heartbeats and crash recovery: see
# pledgebook/core/workers.py).  Two queues: "default" for what a person waits for (mail,
# reports), "background" for bulk work (similarity indexing); priorities in core/tasks.py.
# Tests use the immediate backend.
TASK_QUEUES = ["default", "background"]
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
# A worker writes a heartbeat every TASKS_HEARTBEAT_SECONDS; a task whose worker has not
# beaten for TASKS_STALE_SECONDS is taken as interrupted (the worker died) and run again, up
# to TASKS_MAX_ATTEMPTS runs in all, then marked failed.  Workers look for such tasks when
# they start and every TASKS_RECOVERY_SECONDS.
TASKS_HEARTBEAT_SECONDS = env.float("TASKS_HEARTBEAT_SECONDS", default=10.0)
TASKS_STALE_SECONDS = env.float("TASKS_STALE_SECONDS", default=60.0)
TASKS_RECOVERY_SECONDS = env.float("TASKS_RECOVERY_SECONDS", default=30.0)
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=3)
# An annual report "Generating" without a sign of life for this long was interrupted: it shows
# as such, with "Generate again", and no longer holds back a new request.
ANNUAL_REPORT_STALE_SECONDS = env.float("ANNUAL_REPORT_STALE_SECONDS", default=120.0)

# Operations (docs/OPERATIONS.md).  /healthz/ fails when no task worker has beaten for
# HEALTH_WORKER_MAX_AGE_SECONDS; it checks workers only when tasks go to the database (the
# immediate backend of the tests runs tasks in the request and has no worker).
HEALTH_WORKER_MAX_AGE_SECONDS = env.float("HEALTH_WORKER_MAX_AGE_SECONDS", default=60.0)
HEALTH_CHECK_WORKER = env.bool(
    "HEALTH_CHECK_WORKER", default=TASKS["default"]["BACKEND"].startswith("django_tasks_db.")
)
# /metrics answers only requests made directly (not through the proxy) from these addresses,
# or bearing "Authorization: Bearer <METRICS_TOKEN>" when a token is set; others get 404.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# The proxy configurations the deploy check reads (core.checks: media must never be served
# by the proxy): deploy/nginx.conf and the snippets it includes (deploy/nginx/*.conf, which hold
# the locations), and NGINX_CONF (several paths, comma-separated) if set.
NGINX_CONF = [
    BASE_DIR / "deploy" / "nginx.conf",
    *sorted((BASE_DIR / "deploy" / "nginx").glob("*.conf")),
    *map(Path, env.list("NGINX_CONF", default=[])),
]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "pledgebook.api.filters.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["pledgebook.api.filters.StrictFilterBackend"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pledgebook public API",
    "DESCRIPTION": "Read-only open data: programmes, themes, organisations and commitments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Each filter lists the values it accepts now, read from its FilterSet (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pledgebook.api.schema.live_filter_values",
    ],
}

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard output (gunicorn and the worker's supervisor keep them).  Every record
# carries the id of its request (X-Request-ID, core/middleware.py) or task (db_worker);
# LOG_FORMAT=json writes one JSON object a line for a log collector (core/logs.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The token of a personal reporting link is a password: never in a log line.
    "filters": {
        "secrets": {"()": "pledgebook.core.logs.RedactSecrets"},
        "ids": {"()": "pledgebook.core.logs.RequestIds"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s%(task_id)s] %(message)s"
        },
        "json": {"()": "pledgebook.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["secrets", "ids"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
