"""The site as production serves it: ``scripts/serve.sh`` (what ``make serve`` runs: migrate,
collectstatic, the task worker and gunicorn with deploy/gunicorn.conf.py, DEBUG off) started
in a subprocess on a free port, on a copy of the test database.  Real HTTP over sockets: a
page, a static file, the favicon, bodies refused from their declared size, the access log,
and a clean stop."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from pledgebook.core.processes import stop_group

# django_db: pytest-django sets up the test database only when a collected test asks for it,
# and the served copy is made from it (run alone, this module served an empty database).
pytestmark = [pytest.mark.server, pytest.mark.django_db]

ROOT = Path(settings.BASE_DIR)


@dataclass
class Served:
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def raw(self, request: bytes) -> bytes:
        """Send ``request`` as it is, and read the answer until the server closes the
        connection or has sent a whole response."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as sock:
            sock.sendall(request)
            data = b""
            while True:
                try:
                    chunk = sock.recv(65536)
                except (ConnectionResetError, TimeoutError):
                    break
                if not chunk:
                    break
                data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                if length and len(body) >= int(length.group(1)):
                    break
            return data


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(directory: Path) -> str:
    """A throwaway copy of the (migrated) SQLite test database, or the PostgreSQL test
    database itself (the server only reads it)."""
    connection.ensure_connection()
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        target = directory / "served.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    assert connection.vendor == "postgresql"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("served")
    with django_db_blocker.unblock():
        database_url = _database_url(directory)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(directory / "static"),
        SECRET_KEY="served-in-a-test-" + "x" * 50,
        CACHE_URL="locmemcache://served",
    )
    log = directory / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["scripts/serve.sh", "127.0.0.1", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(f"http://127.0.0.1:{port}", port, log, process)
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.poll() is None, log.read_text()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        yield served
    finally:
        stop_group(process)


def test_gunicorn_serves_a_page_with_its_headers_and_static_files(served: Served) -> None:
    status, headers, body = served.get("/")
    assert status == 200, served.log.read_text()
    assert headers["Server"] == "gunicorn"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    html = body.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html

    # The static file of the page, by its hashed name (collectstatic's manifest, WhiteNoise).
    icon = re.search(r'<link rel="icon" href="(/static/img/pledgebook\.[0-9a-f]{12}\.svg)"', html)
    assert icon, html
    status, headers, body = served.get(icon.group(1))
    assert (status, headers["Content-Type"]) == (200, "image/svg+xml")
    assert "immutable" in headers["Cache-Control"]
    assert body == (ROOT / "pledgebook" / "static" / "img" / "pledgebook.svg").read_bytes()

    status, headers, body = served.get("/favicon.ico")
    assert (status, headers["Content-Type"]) == (200, "image/x-icon")
    assert body == (ROOT / "pledgebook" / "root" / "favicon.ico").read_bytes()


def test_a_body_over_the_limit_is_refused_before_it_is_sent(served: Served) -> None:
    # 200 MB announced, 64 KB sent: the answer comes without waiting for the rest.
    started = time.monotonic()
    answer = served.raw(
        b"POST /accounts/login/ HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\n"
        b"Content-Type: multipart/form-data; boundary=xyz\r\n"
        b"Content-Length: 209715200\r\n\r\n" + b"x" * 65536
    )
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:500]
    assert "Too much sent at once" in answer.decode()
    assert "larger than 25.0\xa0MB" in answer.decode()
    assert time.monotonic() - started < 30


def test_a_body_without_length_is_refused(served: Served) -> None:
    answer = served.raw(
        b"POST /accounts/login/ HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
        b"10\r\nemail=a%40b.org&\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 411 "), answer[:500]
    assert "The size of what you sent was not given" in answer.decode()


def test_the_access_log_never_holds_a_reporting_link(served: Served) -> None:
    secret = "s3cr3t-Token_of-a-maker"
    status, _headers, _body = served.get(f"/report/{secret}/")
    assert status == 403
    deadline = time.monotonic() + 10
    while '"GET /report/[secret]/ HTTP/1.1" 403' not in served.log.read_text():
        assert time.monotonic() < deadline, served.log.read_text()
        time.sleep(0.2)
    assert secret not in served.log.read_text()


def test_it_stops_cleanly(served: Served) -> None:
    os.killpg(served.process.pid, signal.SIGTERM)
    assert served.process.wait(60) == 0
    log = served.log.read_text()
    assert "Shutting down: Master" in log
    assert ">>> stopped" in log
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", served.port), timeout=2).close()
