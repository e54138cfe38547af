"""gunicorn's configuration for Pledgebook: ``gunicorn -c deploy/gunicorn.conf.py``
(``make serve`` runs it on loopback; ``make stack`` runs two identical app servers behind nginx,
each with its own ``GUNICORN_BIND`` and ``GUNICORN_PID_FILE``: docs/STACK.md; README,
"Production configuration").

Every value can be changed from the environment; the defaults suit a 2-core machine behind a
proxy on the same host (deploy/nginx.conf).

* Workers and threads: ``GUNICORN_WORKERS`` processes (default: the number of cores, at most
  4) of ``GUNICORN_THREADS`` threads each (default 4).  Each process loads the sentence-
  embedding model and its index once (docs/SIMILARITY.md), so fewer processes with threads
  serve more requests in the same memory than many single-threaded ones; requests spend most
  of their time waiting on the database.
* Graceful restart: ``kill -HUP <master pid>`` starts new workers with new code and settings,
  then stops the old ones after their requests (``graceful_timeout``); ``max_requests``
  recycles each worker after some thousand requests, at a jittered moment.  ``kill -TERM``
  stops gracefully.
* Request limits: the request line, the number and size of header fields.  Bodies are limited
  by the site itself (REQUEST_BODY_MAX_MB, core/middleware.py) and by the proxy.
* Proxy: ``X-Forwarded-Proto`` etc. are believed only from ``FORWARDED_ALLOW_IPS`` (default
  the loopback addresses, where the proxy runs).
* Access log on standard output, with the client's address as the proxy gives it, the time
  taken and the request id (the response's ``X-Request-ID``: the proxy's, or one the site
  made; the site's own log lines of that request carry the same id); the secret of personal
  reporting links (``/report/<token>/``) is never written.
* Metrics (``/metrics``, pledgebook/core/metrics.py): the workers write their counters to
  ``PROMETHEUS_MULTIPROC_DIR`` (default ``var/prometheus/<bind address>``, one directory per
  gunicorn instance), its .db files removed when gunicorn starts.  A scrape adds up those of every
  worker of this server, past ones included (counters never go down); when a worker exits
  (``max_requests``, HUP, a timeout), ``child_exit`` drops its live gauges
  (``mark_process_dead``) and folds its counters into one archive file per kind.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from gunicorn.glogging import Logger

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from pledgebook.core.logs import redact  # noqa: E402 - needs the repository on the path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "pledgebook.wsgi:application"
chdir = str(REPOSITORY)
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
backlog = 256

workers = _int("GUNICORN_WORKERS", min(os.cpu_count() or 1, 4))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"

# A request taking longer is stopped and its worker restarted (long work runs in the task
# worker, never in a request).  Keep-alive: a little longer than the proxy's, if it keeps any.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# A database statement of a request stops after DATABASE_STATEMENT_TIMEOUT_MS (default 30 s,
# always under the timeout above): PostgreSQL would otherwise go on running the query of a
# request given up (settings.py; the page says it took too long).  0 turns it off.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", str(max(min(30, timeout - 5), 1) * 1000))
# Each thread keeps its database connection for CONN_MAX_AGE seconds (default 60) instead of
# opening one per request (settings.py).
os.environ.setdefault("CONN_MAX_AGE", "60")
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# New code on HUP: the application is loaded in each worker, not once in the master.
preload_app = False

limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client (as the proxy saw it), time, request, status, bytes, referrer, agent, milliseconds.
access_log_format = (
    '%({x-real-ip}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
    "rid=%({x-request-id}o)s"
)
proc_name = os.environ.get("GUNICORN_PROC_NAME", "pledgebook")
# The master's pid, for `kill -HUP` (scripts/stack.sh gives each app server one).
pidfile = os.environ.get("GUNICORN_PID_FILE") or None
# gunicornc's control socket: off unless a path is given (by default every instance on the
# machine would share $HOME/.gunicorn/gunicorn.ctl); signals do the same (HUP, TERM, TTIN).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


# prometheus_client's multiprocess mode: set before any worker imports it (workers inherit the
# master's environment; preload_app is off, so none is imported here).
PROMETHEUS_MULTIPROC_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    str(REPOSITORY / "var" / "prometheus" / re.sub(r"[^A-Za-z0-9.]+", "_", bind[0])),
)


def on_starting(server):  # type: ignore[no-untyped-def]
    """Counters of a previous run of this server are not this run's: start from nothing."""
    os.makedirs(PROMETHEUS_MULTIPROC_DIR, exist_ok=True)
    for path in Path(PROMETHEUS_MULTIPROC_DIR).glob("*.db"):  # its own files only
        path.unlink(missing_ok=True)


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A worker that exits: its live gauges go, its counters stay in the sums, folded into one
    archive file per kind so that the files do not pile up (pledgebook/core/metrics_files.py)."""
    from prometheus_client import multiprocess

    from pledgebook.core import metrics_files

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
    metrics_files.archive(PROMETHEUS_MULTIPROC_DIR, worker.pid)


class RedactingLogger(Logger):
    """The access log without the secret of personal reporting links (pledgebook.core.logs)."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger
