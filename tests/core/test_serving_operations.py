"""Operations as gunicorn serves them (deploy/gunicorn.conf.py), two worker processes, real
HTTP: /livez/ and /healthz/, the request id in the response and in the access log, JSON log
lines, and /metrics adding up the requests of both processes (prometheus_client's
multiprocess mode) while refusing a request relayed by the proxy."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pledgebook.core.processes import stop_group
from tests.core.test_serving import ROOT, Served, _database_url, _free_port

# django_db: pytest-django sets up the test database only when a collected test asks for it,
# and the served copy is made from it (run alone, this module served an empty database).
pytestmark = [pytest.mark.server, pytest.mark.django_db]


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("ops")
    with django_db_blocker.unblock():
        database_url = _database_url(directory)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="served-in-a-test-" + "x" * 50,
        CACHE_URL="locmemcache://served",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        PROMETHEUS_MULTIPROC_DIR=str(directory / "prometheus"),
        LOG_FORMAT="json",
        HEALTH_CHECK_WORKER="0",
    )
    log = directory / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(f"http://127.0.0.1:{port}", port, log, process)
    try:
        deadline = time.monotonic() + 300
        while served.get("/livez/")[0] != 200 if _listening(port) else True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield served
    finally:
        stop_group(process)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def _count(text: str, view: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "pledgebook_http_requests_total" and sample.labels["view"] == view
    )


def test_health_and_request_ids(gunicorn: Served) -> None:
    status, headers, body = gunicorn.get("/healthz/")
    assert status == 200, body
    assert json.loads(body)["checks"]["database"]["ok"]
    rid = headers["X-Request-ID"]
    assert len(rid) == 32
    deadline = time.monotonic() + 10
    while f"rid={rid}" not in gunicorn.log.read_text():
        assert time.monotonic() < deadline, gunicorn.log.read_text()
        time.sleep(0.2)


def test_metrics_add_up_both_workers(gunicorn: Served) -> None:
    status, _headers, before = gunicorn.get("/metrics")
    assert status == 200
    for _ in range(40):
        assert gunicorn.get("/api/v1/themes/")[0] == 200
    pids = {p.name.split("_")[-1] for p in Path(gunicorn.log.parent / "prometheus").glob("*.db")}
    assert len(pids) >= 2  # both processes wrote counters
    status, _headers, after = gunicorn.get("/metrics")
    assert (
        _count(after.decode(), "api:theme-list") - _count(before.decode(), "api:theme-list") == 40
    )

    # One worker less (TTOU): its counters are folded into the archive files, its own go, and
    # the totals stay (core/metrics_files.py, child_exit).
    directory = Path(gunicorn.log.parent / "prometheus")
    before_files = {p.name for p in directory.glob("counter_*.db")}
    os.kill(gunicorn.process.pid, signal.SIGTTOU)
    deadline = time.monotonic() + 30
    while {p.name for p in directory.glob("counter_*.db")} == before_files:
        assert time.monotonic() < deadline, sorted(before_files)
        time.sleep(0.2)
    assert (directory / "counter_archive.db").exists()
    status, _headers, folded = gunicorn.get("/metrics")
    assert _count(folded.decode(), "api:theme-list") == _count(after.decode(), "api:theme-list")
    os.kill(gunicorn.process.pid, signal.SIGTTIN)  # back to two for the other tests


def test_metrics_refuse_what_the_proxy_relays(gunicorn: Served) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(gunicorn.url + "/metrics", headers={"X-Real-IP": "1.2.3.4"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 404 and refused.value.read() == b"Not Found"


def test_log_lines_are_json_with_the_request_id(gunicorn: Served) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        gunicorn.url + "/api/v1/no-such/", headers={"X-Request-ID": "trace-me-42"}
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30)
    deadline = time.monotonic() + 10
    while True:
        lines = [
            json.loads(line)
            for line in gunicorn.log.read_text().splitlines()
            if line.startswith("{") and "trace-me-42" in line
        ]
        if lines:
            break
        assert time.monotonic() < deadline, gunicorn.log.read_text()
        time.sleep(0.2)
    assert lines[0]["request_id"] == "trace-me-42"
    assert lines[0]["message"] == "Not Found: /api/v1/no-such/"
