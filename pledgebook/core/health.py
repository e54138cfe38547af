"""Health endpoints for the proxy, the load balancer and the process supervisor.

* ``/healthz/`` (readiness): the database answers a trivial query, the shared cache keeps and
  gives back a value, and a task worker has beaten within ``HEALTH_WORKER_MAX_AGE_SECONDS``
  (its heartbeat row, core/workers.py).  200 with each check's result when all pass, 503
  naming the failing checks otherwise.  A load balancer takes an app server whose answer is
  503 out of rotation.
* ``/livez/`` (liveness): 200 whenever the process can answer at all, checking nothing else.
  A supervisor that restarts processes must ask this one, not ``/healthz/``: restarting every
  app server because the database or Redis is down cures nothing and turns a short outage into
  a restart storm (and all servers fail ``/healthz/`` together in that case).

Both are answered by :class:`HealthMiddleware`, at the top of the middleware (settings): no
session, no authentication, no CSRF, no rate limit, no host check nor HTTPS redirect (a load
balancer asks each app server by its address, in plain HTTP).  The answer is JSON, never
cached, and names an error only by its class (no message that could hold an address or a
password); the full error goes to the log.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from pledgebook.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz/"
LIVE_PATH = "/livez/"


class CheckFailed(Exception):
    """A check that ran but found something wrong (its message is safe to show)."""


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise CheckFailed("SELECT 1 did not return 1")
    return "ok"


def check_cache() -> str:
    """A set/get round trip on the configured cache, under a key of this process (several
    processes and servers checking at once never read each other's value)."""
    cache = caches["default"]
    key = f"pledgebook:healthz:{socket.gethostname()}:{os.getpid()}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=60)
    if cache.get(key) != value:
        raise CheckFailed("the value written was not read back")
    return "ok"


def check_worker() -> str:
    """A task worker's heartbeat younger than ``HEALTH_WORKER_MAX_AGE_SECONDS``."""
    if not settings.HEALTH_CHECK_WORKER:
        return "not checked (HEALTH_CHECK_WORKER is off)"
    limit = float(settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if last is None:
        raise CheckFailed("no task worker has a heartbeat")
    age = (timezone.now() - last).total_seconds()
    if age > limit:
        raise CheckFailed(f"the youngest heartbeat is {age:.0f} s old (limit {limit:.0f} s)")
    return f"ok (heartbeat {age:.0f} s ago)"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "worker": check_worker,
}


def run_checks() -> tuple[bool, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        start = time.perf_counter()
        try:
            result: dict[str, Any] = {"ok": True, "detail": check()}
        except CheckFailed as failure:
            result = {"ok": False, "detail": str(failure)}
            logger.warning("health check %s failed: %s", name, failure)
        except Exception as error:
            result = {"ok": False, "detail": f"error: {type(error).__name__}"}
            logger.exception("health check %s failed", name)
        result["ms"] = round((time.perf_counter() - start) * 1000, 1)
        results[name] = result
    return all(r["ok"] for r in results.values()), results


def healthz() -> HttpResponse:
    ok, results = run_checks()
    body: dict[str, Any] = {"status": "ok" if ok else "failing", "checks": results}
    if not ok:
        body["failing"] = [name for name, result in results.items() if not result["ok"]]
    return _never_cached(JsonResponse(body, status=200 if ok else 503))


def livez() -> HttpResponse:
    return _never_cached(JsonResponse({"status": "ok"}))


def _never_cached(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


class HealthMiddleware:
    """Answers ``/healthz/`` and ``/livez/`` (GET or HEAD) before any other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if request.path == HEALTH_PATH:
                request.metrics_view = "healthz"  # type: ignore[attr-defined]
                return healthz()
            if request.path == LIVE_PATH:
                request.metrics_view = "livez"  # type: ignore[attr-defined]
                return livez()
        return self.get_response(request)
