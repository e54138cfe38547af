"""Operations: /healthz/ and /livez/, request ids in responses and logs, JSON logs, /metrics
(docs/OPERATIONS.md)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from pledgebook.core import logs, metrics
from pledgebook.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def beat(seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=f"w{seconds_ago}",
        hostname="host",
        pid=1,
        queues="*",
        started_at=now - dt.timedelta(hours=1),
        beat_at=now - dt.timedelta(seconds=seconds_ago),
    )


# Health -----------------------------------------------------------------------------------------


@override_settings(HEALTH_CHECK_WORKER=True, HEALTH_WORKER_MAX_AGE_SECONDS=60)
def test_all_well_is_200_with_each_check(client: Client) -> None:
    beat(5)
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "worker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@override_settings(HEALTH_CHECK_WORKER=True)
def test_no_heartbeat_is_503_naming_the_worker(client: Client) -> None:
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert "no task worker" in body["checks"]["worker"]["detail"]
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]


@override_settings(HEALTH_CHECK_WORKER=True, HEALTH_WORKER_MAX_AGE_SECONDS=60)
def test_an_old_heartbeat_is_503(client: Client) -> None:
    beat(600)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert "600 s old" in response.json()["checks"]["worker"]["detail"]


@override_settings(HEALTH_CHECK_WORKER=True)
def test_a_cache_that_raises_is_503_naming_the_cache(client: Client) -> None:
    beat(1)
    with mock.patch(
        "django.core.cache.backends.locmem.LocMemCache.set",
        side_effect=ConnectionError("redis://secret@10.0.0.1 down"),
    ):
        response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"]["detail"] == "error: ConnectionError"
    assert b"secret" not in response.content


def test_a_cache_that_forgets_is_503(client: Client) -> None:
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.get", return_value=None):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


def test_a_database_that_fails_is_503_naming_the_database(client: Client) -> None:
    from django.db import OperationalError

    with mock.patch(
        "pledgebook.core.health.connection.cursor", side_effect=OperationalError("gone")
    ):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_the_worker_is_not_checked_without_a_database_queue(client: Client) -> None:
    # settings_test: immediate tasks, no worker (HEALTH_CHECK_WORKER off).
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert "not checked" in response.json()["checks"]["worker"]["detail"]


@override_settings(HEALTH_CHECK_WORKER=True, ALLOWED_HOSTS=["pledgebook.example.org"])
def test_liveness_checks_nothing_but_the_process(client: Client) -> None:
    # No heartbeat, a host not allowed: /healthz/ fails on the worker, /livez/ answers.
    assert client.get("/livez/", HTTP_HOST="10.0.0.5:8000").json() == {"status": "ok"}
    assert client.get("/healthz/", HTTP_HOST="10.0.0.5:8000").status_code == 503


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_is_not_redirected_to_https(client: Client) -> None:
    assert client.get("/livez/").status_code == 200
    assert client.get("/").status_code == 301


# Request ids ------------------------------------------------------------------------------------


def test_the_proxy_id_is_echoed(client: Client) -> None:
    rid = "0123456789abcdef0123456789abcdef"
    response = client.get("/", HTTP_X_REQUEST_ID=rid)
    assert response["X-Request-ID"] == rid


@pytest.mark.parametrize(
    "bad", ["", "x" * 65, "a b", "id\nforged log line", "<script>", "-leading-dash", "é"]
)
def test_an_unsafe_id_is_replaced(client: Client, bad: str) -> None:
    response = client.get("/", HTTP_X_REQUEST_ID=bad)
    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32
    int(response["X-Request-ID"], 16)


def test_each_request_gets_its_own_new_id(client: Client) -> None:
    assert client.get("/")["X-Request-ID"] != client.get("/")["X-Request-ID"]


def test_a_log_line_of_a_request_carries_its_id(client: Client, caplog) -> None:
    rid = "req-42.abc"
    # Django logs a 404 as a warning ("Not Found: /…") while the request is served.
    handler = logging.StreamHandler()
    handler.addFilter(logs.RequestIds())
    records: list[logging.LogRecord] = []
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=rid)
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert [r.request_id for r in records] == [rid]  # type: ignore[attr-defined]
    assert logs.request_id.get() == ""  # reset after the request


def test_json_lines_parse_and_keep_secrets_out() -> None:
    formatter = logs.JsonFormatter()
    token = logs.request_id.set("rid-1")
    try:
        record = logging.makeLogRecord(
            {
                "name": "django.request",
                "levelno": logging.WARNING,
                "levelname": "WARNING",
                "msg": "Forbidden: %s",
                "args": ("/report/s3cr3t-token/",),
                "extra_field": "x",
            }
        )
        logs.RequestIds().filter(record)
        line = formatter.format(record)
    finally:
        logs.request_id.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "Forbidden: /report/[secret]/"
    assert entry["request_id"] == "rid-1"
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["extra_field"] == "x"
    assert "s3cr3t" not in line
    assert "task_id" not in entry  # an id not set is left out
    dt.datetime.fromisoformat(entry["time"])


def test_json_lines_hold_the_traceback() -> None:
    try:
        raise ValueError("boom at /report/abc/")
    except ValueError:
        import sys

        record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    entry = json.loads(logs.JsonFormatter().format(record))
    assert "ValueError" in entry["exception"] and "abc" not in entry["exception"]


def test_log_format_json_is_chosen_from_the_environment(monkeypatch) -> None:
    import importlib

    import pledgebook.settings as settings_module

    monkeypatch.setenv("LOG_FORMAT", "json")
    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.LOGGING["handlers"]["console"]["formatter"] == "json"
        assert reloaded.LOGGING["formatters"]["json"]["()"] == "pledgebook.core.logs.JsonFormatter"
    finally:
        monkeypatch.delenv("LOG_FORMAT")
        importlib.reload(settings_module)


def test_a_task_log_line_carries_the_task_id(caplog) -> None:
    from pledgebook.core.management.commands.db_worker import Worker

    seen: list[str] = []

    def run(self, db_task_result):  # the library's run_task
        logging.getLogger("pledgebook.test").warning("running")
        seen.append(logs.task_id.get())

    with mock.patch("django_tasks_db.management.commands.db_worker.Worker.run_task", run):
        worker = Worker.__new__(Worker)
        worker.run_task(mock.Mock(id="task-7"))
    assert seen == ["task-7"]
    assert logs.task_id.get() == ""


# Metrics ----------------------------------------------------------------------------------------


def _sample(text: str, name: str, **labels: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


def test_metrics_from_loopback_and_a_request_counts(client: Client) -> None:
    before = client.get("/metrics").content.decode()
    client.get("/")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    labels = {"view": "public:home", "method": "GET", "status": "2xx"}
    assert _sample(text, "pledgebook_http_requests_total", **labels) == (
        _sample(before, "pledgebook_http_requests_total", **labels) + 1
    )
    assert _sample(text, "pledgebook_http_request_duration_seconds_count", view="public:home") >= 1
    assert "pledgebook_tasks" in text and "pledgebook_similarity_backlog" in text


def test_health_requests_are_counted_under_their_name(client: Client) -> None:
    client.get("/livez/")
    text = client.get("/metrics").content.decode()
    assert _sample(text, "pledgebook_http_requests_total", view="livez", status="2xx") >= 1


def test_metrics_never_label_a_path(client: Client) -> None:
    client.get("/report/not-a-real-token-zzz/")
    text = client.get("/metrics").content.decode()
    assert "not-a-real-token-zzz" not in text


def test_metrics_report_queues_and_workers(client: Client) -> None:
    beat(3)
    text = client.get("/metrics").content.decode()
    assert _sample(text, "pledgebook_tasks", queue="default", state="READY") == 0
    assert _sample(text, "pledgebook_workers_alive") == 1
    assert 2 <= _sample(text, "pledgebook_worker_heartbeat_age_seconds") < 60


def test_metrics_are_served_when_the_database_is_not(client: Client) -> None:
    client.get("/livez/")
    with mock.patch.object(WorkerHeartbeat.objects, "values_list", side_effect=RuntimeError):
        response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert _sample(text, "pledgebook_state_errors") == 1
    assert "pledgebook_workers_alive" not in text and "pledgebook_tasks{" in text
    assert _sample(text, "pledgebook_http_requests_total", view="livez") >= 1


@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # Through the proxy: from 127.0.0.1, but nginx set X-Real-IP.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    ],
)
def test_metrics_denied_elsewhere_leak_nothing(client: Client, extra) -> None:
    response = client.get("/metrics", **extra)
    assert response.status_code == 404
    assert response.content == b"Not Found"
    assert client.post("/metrics").status_code == 404


@override_settings(METRICS_TOKEN="t0ken-with-enough-entropy")
def test_metrics_with_the_bearer_token_from_anywhere(client: Client) -> None:
    far = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_REAL_IP": "203.0.113.9"}
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t0ken-with-enough-entropy", **far)
    assert ok.status_code == 200
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t0ken", **far)
    assert wrong.status_code == 404


def test_metrics_add_up_several_processes(tmp_path, monkeypatch) -> None:
    """Multiprocess mode (several gunicorn workers): the counts written by another process
    to the shared directory are in the sum."""
    import subprocess
    import sys

    code = (
        "from prometheus_client import Counter;"
        "c = Counter('pledgebook_http_requests', 'x', ['view', 'method', 'status']);"
        "c.labels('public:home', 'GET', '2xx').inc(5)"
    )
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    from prometheus_client import generate_latest

    text = generate_latest(metrics.process_registry()).decode()
    labels = {"view": "public:home", "method": "GET", "status": "2xx"}
    assert _sample(text, "pledgebook_http_requests_total", **labels) == 10
