"""Metrics in the Prometheus text format, at ``/metrics`` (prometheus_client, the reference
client library of the Prometheus project).

Per request (:class:`MetricsMiddleware`), labelled by the *view name* (``public:commitment``,
never the path: paths hold ids and the secret of reporting links), the method and the status
class (``2xx``…):

* ``pledgebook_http_requests_total`` and ``pledgebook_http_request_duration_seconds`` (a
  histogram), ``pledgebook_db_queries_total``.

Read from the database when scraped (:class:`StateCollector`, so every app server reports the
same figures and no process keeps them):

* ``pledgebook_tasks`` by queue and state (READY, RUNNING: the queue's depth);
* ``pledgebook_worker_heartbeat_age_seconds`` (the youngest worker heartbeat) and
  ``pledgebook_workers_alive``;
* the gauges other apps register with :func:`register_gauge` (similarity: its backlog).

Several processes: gunicorn's workers share nothing, so with ``PROMETHEUS_MULTIPROC_DIR`` set
(deploy/gunicorn.conf.py sets it, one directory per gunicorn instance, emptied when it starts
and cleaned of each worker that exits) every process writes its counters to files there and a
scrape adds up those of all processes (prometheus_client's multiprocess mode).  Several app
servers: Prometheus scrapes each one (``instance`` label) and sums across them.

Who may read it: ``/metrics`` answers 404, with nothing else, unless the request comes
directly from an address of ``METRICS_ALLOWED_IPS`` (default loopback) without passing
through the proxy (nginx always sets ``X-Real-IP``: a request relayed by it is refused even
though it comes from 127.0.0.1), or carries ``Authorization: Bearer <METRICS_TOKEN>`` when a
token is set.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from pledgebook.core import metrics_files
from pledgebook.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "pledgebook_http_requests",
    "Requests answered, by view name, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "pledgebook_http_request_duration_seconds",
    "Time to answer a request (the view and all middleware), by view name.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
QUERIES = Counter(
    "pledgebook_db_queries",
    "SQL statements run while answering requests, by view name.",
    ["view"],
)


def view_name(request: HttpRequest) -> str:
    """The label of a request: its URL pattern's view name, never the path (``healthz`` and
    ``livez`` for the health endpoints, ``unresolved`` when no pattern matched)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return str(getattr(request, "metrics_view", "unresolved"))
    return match.view_name or match._func_path


class MetricsMiddleware:
    """Counts and times every request (and serves ``/metrics`` to those allowed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == METRICS_PATH:
            return metrics_view(request)
        queries = 0

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        start = time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
        finally:
            elapsed = time.perf_counter() - start
            view = view_name(request)
            LATENCY.labels(view).observe(elapsed)
            if queries:
                QUERIES.labels(view).inc(queries)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        return response


def allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    relayed = "HTTP_X_REAL_IP" in request.META or "HTTP_X_FORWARDED_FOR" in request.META
    return not relayed and request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS


def metrics_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or not allowed(request):
        return HttpResponseNotFound(b"Not Found", content_type="text/plain")
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:  # (never beside a dead worker's files being folded into the archive)
        with metrics_files.reading(directory):
            body = generate_latest(process_registry())
    else:
        body = generate_latest(process_registry())
    body += generate_latest(STATE)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def process_registry() -> CollectorRegistry:
    """This process's counters, or those of every process when they share a directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


# Read when scraped --------------------------------------------------------------------------

_gauges: dict[str, tuple[str, Callable[[], float]]] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], float]) -> None:
    """Report ``read()`` as the gauge ``name`` at each scrape (from an app's
    ``AppConfig.ready``, so that core imports no app).  It must be quick."""
    _gauges[name] = (documentation, read)


class StateCollector(Collector):
    """Figures read from the database at each scrape.  One that cannot be read (the database
    down) is left out, logged, and counted in ``pledgebook_state_errors``: the request
    metrics are still served."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        readers: list[tuple[str, Callable[[], list[GaugeMetricFamily]]]] = [
            ("tasks", _tasks),
            ("workers", _workers),
            *((name, _gauge(name, doc, read)) for name, (doc, read) in sorted(_gauges.items())),
        ]
        errors = 0
        for name, read in readers:
            try:
                families = read()
            except Exception:
                logger.exception("metrics: cannot read %s", name)
                errors += 1
                continue
            yield from families
        yield GaugeMetricFamily(
            "pledgebook_state_errors",
            "Figures of this scrape that could not be read from the database.",
            value=errors,
        )


def _tasks() -> list[GaugeMetricFamily]:
    from django_tasks_db.models import DBTaskResult

    tasks = GaugeMetricFamily(
        "pledgebook_tasks",
        "Tasks waiting (READY) or running (RUNNING), by queue.",
        labels=["queue", "state"],
    )
    counts = {
        (row["queue_name"], row["status"]): row["n"]
        for row in DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
        .values("queue_name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    for queue in settings.TASK_QUEUES:
        for state in ("READY", "RUNNING"):
            tasks.add_metric([queue, state], counts.pop((queue, state), 0))
    for (queue, state), n in sorted(counts.items()):
        tasks.add_metric([queue, state], n)
    return [tasks]


def _workers() -> list[GaugeMetricFamily]:
    now = timezone.now()
    limit = float(settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    ages = [
        (now - beat).total_seconds()
        for beat in WorkerHeartbeat.objects.values_list("beat_at", flat=True)
    ]
    families = [
        GaugeMetricFamily(
            "pledgebook_workers_alive",
            f"Task workers whose heartbeat is younger than {limit:.0f} s.",
            value=sum(1 for age in ages if age <= limit),
        )
    ]
    if ages:
        families.append(
            GaugeMetricFamily(
                "pledgebook_worker_heartbeat_age_seconds",
                "Age of the youngest task worker heartbeat.",
                value=min(ages),
            )
        )
    return families


def _gauge(
    name: str, documentation: str, read: Callable[[], float]
) -> Callable[[], list[GaugeMetricFamily]]:
    return lambda: [GaugeMetricFamily(name, documentation, value=read())]


STATE = CollectorRegistry(auto_describe=False)
STATE.register(StateCollector())
