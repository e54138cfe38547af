"""Several identical app servers: ``scripts/stack.sh --demo`` (what ``make stack`` runs: nginx
in front of two gunicorn app servers and one task worker, on one PostgreSQL and one Redis)
started in a subprocess with the demo data, on a PostgreSQL database of its own (whatever
database the rest of the suite uses) and on free ports.  Real HTTP over sockets, addressing each
app server directly (as nginx would: with X-Real-IP) and through nginx.

Nothing may depend on which server answers: a session, a form with its CSRF token, an upload,
a task, a rate limit and a similarity query.  Then the faults: a graceful reload (HUP) of one
app server and a stop and start of one lose no GET of a concurrent client (nginx passes
idempotent requests on to the other server).  docs/STACK.md."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import psycopg
import pytest
import redis
import requests

from pledgebook.core.processes import stop_group

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
PASSWORD = "pledgebook-demo"  # pledgebook.demo.data.PASSWORD
MAKER = "maker@demo.pledgebook.org"
SECRETARIAT = "secretariat@demo.pledgebook.org"
# The stack's cache: a Redis database of its own, emptied first (stale counts of an earlier run).
CACHE_URL = os.environ.get("STACK_TEST_CACHE_URL", "rediscache://127.0.0.1:6379/6")


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _postgres_server() -> str:
    """postgres://user@host:port of the suite's PostgreSQL, or of the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


@dataclass
class Stack:
    nginx: str
    a: str
    b: str
    directory: Path
    log: Path
    database_url: str
    process: subprocess.Popen[bytes]

    @property
    def servers(self) -> list[str]:
        return [self.a, self.b, self.nginx]

    def master(self, server: str) -> int:
        port = urlsplit(server).port
        return int((self.directory / f"app-{port}.pid").read_text())

    def sql(self, query: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    if not NGINX.exists():
        subprocess.run([str(ROOT / "scripts" / "apt-install.sh"), "nginx"], check=False)
    if not NGINX.exists():
        pytest.skip("nginx is not installed and scripts/apt-install.sh nginx could not install it")
    directory = tmp_path_factory.mktemp("stack")
    server = _postgres_server()
    name = f"pledgebook_stack_test_{os.getpid()}"
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(CACHE_URL.replace("rediscache://", "redis://")).flushdb()
    nginx, a, b = _free_ports(3)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=f"{server}/{name}",
        CACHE_URL=CACHE_URL,
        STACK_PORT=str(nginx),
        STACK_APP_PORTS=f"{a} {b}",
        STACK_DIR=str(directory / "stack"),
        MEDIA_ROOT=str(directory / "media"),
        STATIC_ROOT=str(directory / "static"),
        SECRET_KEY="stack-in-a-test-" + "x" * 50,
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="4",
    )
    log = directory / "stack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "stack.sh"), "--demo"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Stack(
        f"http://127.0.0.1:{nginx}",
        f"http://127.0.0.1:{a}",
        f"http://127.0.0.1:{b}",
        directory / "stack",
        log,
        f"{server}/{name}",
        process,
    )
    try:
        deadline = time.monotonic() + 600
        while ">>> ready" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield running
    finally:
        stop_group(process)
        with psycopg.connect(server + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(directory / "media", ignore_errors=True)


def _browser() -> requests.Session:
    """A client with its cookie jar (cookies are per host, not per port, as in a browser).
    X-Real-IP as nginx sets it: the rate limits count the client's address from it."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: loopback only
    session.headers["X-Real-IP"] = "127.0.0.1"
    return session


def _on(server: str, url: str) -> str:
    """``url`` (absolute or a path) on ``server``."""
    parts = urlsplit(url)
    return server + parts.path + (f"?{parts.query}" if parts.query else "")


def _form(page: requests.Response, field: str) -> tuple[str, dict[str, str]]:
    """The action and the values of the page's form that has ``field``."""
    doc = lxml.html.fromstring(page.text, base_url=page.url)
    for form in doc.forms:
        if field in form.fields.keys():  # noqa: SIM118 - lxml's FieldsDict has no __iter__
            return form.action or page.url, dict(form.form_values())
    raise AssertionError(f"no form with {field} on {page.url}: {page.text[:2000]}")


def _post(browser: requests.Session, server: str, action: str, data: dict, **kwargs):
    """POST as a browser does: the Origin of the server posted to."""
    headers = {"Origin": server, "Referer": _on(server, action)}
    return browser.post(_on(server, action), data=data, headers=headers, timeout=120, **kwargs)


def _sign_in(browser: requests.Session, form_from: str, post_to: str, email: str) -> None:
    page = browser.get(form_from + "/accounts/login/", timeout=120)
    action, data = _form(page, "username")
    data.update(username=email, password=PASSWORD)
    answer = _post(browser, post_to, action, data, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:3000]


def _signed_in_as(browser: requests.Session, server: str) -> str:
    page = browser.get(server + "/accounts/me/", timeout=120)
    assert page.status_code == 200, page.text[:2000]
    found = re.search(r"[\w.+-]+@demo\.pledgebook\.org", page.text)
    return found.group(0) if found else ""


def test_a_session_opened_on_one_server_is_known_to_the_other(stack: Stack) -> None:
    browser = _browser()
    _sign_in(browser, stack.a, stack.a, MAKER)
    for server in stack.servers:
        home = browser.get(server + "/workspace/", timeout=120, allow_redirects=False)
        assert home.status_code == 200, (server, home.status_code, home.headers)
        assert "Kestrel Mobile Networks" in home.text
    # Signed out through B: A no longer knows the session either.
    page = browser.get(stack.b + "/workspace/", timeout=120)
    _action, data = _form(page, "csrfmiddlewaretoken")
    answer = _post(browser, stack.b, "/accounts/logout/", data, allow_redirects=False)
    assert answer.status_code == 302
    home = browser.get(stack.a + "/workspace/", timeout=120, allow_redirects=False)
    assert home.status_code == 302 and "/accounts/login/" in home.headers["Location"]


def test_a_form_fetched_from_one_server_is_accepted_by_the_other(stack: Stack) -> None:
    for form_from, post_to in [(stack.a, stack.b), (stack.b, stack.nginx), (stack.nginx, stack.a)]:
        browser = _browser()
        _sign_in(browser, form_from, post_to, MAKER)
        assert _signed_in_as(browser, form_from) == MAKER
    # The check is on: the same post with a token of another client is refused by B.
    browser, other = _browser(), _browser()
    page = browser.get(stack.a + "/accounts/login/", timeout=120)
    action, data = _form(page, "username")
    _action, foreign = _form(other.get(stack.a + "/accounts/login/", timeout=120), "username")
    data.update(username=MAKER, password=PASSWORD)
    data["csrfmiddlewaretoken"] = "x" * 64
    assert _post(browser, stack.b, action, data).status_code == 403
    data["csrfmiddlewaretoken"] = foreign["csrfmiddlewaretoken"]
    assert _post(browser, stack.b, action, data).status_code == 403


def test_an_upload_through_one_server_is_downloaded_through_the_other(stack: Stack) -> None:
    (cycle, commitment), *_ = stack.sql(
        "SELECT c.id, m.id FROM reporting_reportingcycle c"
        " JOIN commitments_commitment m ON m.programme_id = c.programme_id"
        " JOIN organisations_organisation o ON o.id = m.organisation_id"
        " WHERE c.status = 'open' AND o.name = 'Kestrel Mobile Networks'"
        " AND m.status IN ('confirmed', 'featured')"
        " AND NOT EXISTS (SELECT 1 FROM reporting_progressreport r WHERE r.cycle_id = c.id"
        "   AND r.commitment_id = m.id AND r.status <> 'draft')"
        " ORDER BY m.id"
    )
    browser = _browser()
    _sign_in(browser, stack.a, stack.a, MAKER)
    page = browser.get(f"{stack.a}/workspace/reporting/{cycle}/{commitment}/", timeout=120)
    action, data = _form(page, "narrative")
    data["narrative"] = "Uploaded through one server, read through the other."
    data["save"] = "1"
    content = f"indicator,value\nsubscribers reached,{uuid.uuid4().int % 10**6}\n".encode()
    answer = _post(
        browser,
        stack.b,
        action,
        data,
        files={"evidence_files": ("reached.csv", content, "text/csv")},
    )
    assert answer.status_code == 200, answer.text[:3000]
    links = re.findall(r'href="(/workspace/reporting/evidence/\d+/)"', answer.text)
    assert links, answer.text[:5000]
    for server in [stack.a, stack.nginx]:
        download = browser.get(server + links[-1], timeout=120)
        assert download.status_code == 200
        assert download.content == content
    # Stored once, under the one MEDIA_ROOT of every server.
    stored = list((stack.directory.parent / "media").rglob("*.csv"))
    assert [p.read_bytes() for p in stored].count(content) == 1


def test_a_task_queued_by_one_server_is_run_by_the_worker_and_seen_through_both(
    stack: Stack,
) -> None:
    (cycle, programme), *_ = stack.sql(
        "SELECT c.id, p.slug FROM reporting_reportingcycle c"
        " JOIN programmes_programme p ON p.id = c.programme_id"
        " WHERE c.status <> 'scheduled' ORDER BY c.id"
    )
    browser = _browser()
    _sign_in(browser, stack.nginx, stack.nginx, SECRETARIAT)
    report = f"/console/{programme}/reporting/cycles/{cycle}/report/"
    page = browser.get(stack.b + report, timeout=120)
    assert page.status_code == 200, page.text[:2000]
    before = {row[0] for row in stack.sql("SELECT id FROM reporting_annualreport")}
    generate = re.search(r'<form[^>]+action="([^"]+/report/generate/)"', page.text)
    assert generate, page.text[:5000]
    _action, data = _form(page, "csrfmiddlewaretoken")
    answer = _post(browser, stack.a, generate.group(1), data, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:3000]
    (new,) = {row[0] for row in stack.sql("SELECT id FROM reporting_annualreport")} - before

    deadline = time.monotonic() + 300
    while stack.sql("SELECT status FROM reporting_annualreport WHERE id = %s", new)[0][0] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline, (stack.directory / "worker.log").read_text()
        time.sleep(1)
    # Run by the worker (the database backend's row, with the worker's id), not by a server.
    (status, workers), *_ = stack.sql(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
        " WHERE task_path LIKE %s AND args_kwargs::text LIKE %s",
        "%generate_annual_report",
        f'%"report_id": {new}%',
    )
    assert status == "SUCCESSFUL" and workers, (status, workers)
    pdf = f"/console/{programme}/reporting/cycles/{cycle}/report/{new}/pdf/"
    files = []
    for server in stack.servers:
        shown = browser.get(
            server + f"/console/{programme}/reporting/cycles/{cycle}/report/status/"
        )
        assert pdf in shown.text, shown.text[:3000]
        download = browser.get(server + pdf, timeout=120)
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        files.append(download.content)
    assert files[0] == files[1] == files[2]


def test_a_rate_limit_counts_failures_through_every_server(stack: Stack) -> None:
    """Ten failed sign-ins for one address from one client (accounts.throttle.LOGIN_FAILURES
    "pair"), spread over A, B and nginx: the eleventh is refused by each."""
    browser = _browser()
    address = f"guess-{uuid.uuid4().hex[:8]}@example.org"
    action, data = _form(browser.get(stack.a + "/accounts/login/", timeout=120), "username")
    data.update(username=address, password="wrong-password")
    for i in range(10):
        answer = _post(browser, stack.servers[i % 3], action, data)
        assert answer.status_code == 200, (i, answer.status_code)
    for server in stack.servers:
        assert _post(browser, server, action, data).status_code == 429


def test_a_similarity_query_gives_the_same_answer_through_every_server(stack: Stack) -> None:
    def ranked(server: str) -> list[str]:
        page = _browser().get(
            server + "/coalitions/",
            params={"semantic": "young people and women in the Pact for the Future"},
            timeout=120,
        )
        assert page.status_code == 200
        return re.findall(r'href="/coalitions/([\w-]+)/"', page.text)

    first = ranked(stack.a)
    assert len(first) == 2, first  # two of the demo's four public coalitions, ranked
    assert ranked(stack.b) == first
    assert ranked(stack.nginx) == first


def test_nginx_refuses_a_body_over_the_limit_with_the_sites_page(stack: Stack) -> None:
    """client_max_body_size (deploy/nginx/pledgebook-server.conf): 200 MB announced, refused
    from the declared length with the site's own 413 page; and nothing under /media/."""
    port = urlsplit(stack.nginx).port
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: multipart/form-data; boundary=xyz\r\n"
            b"Content-Length: 209715200\r\n\r\n" + b"x" * 65536
        )
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:500]
    assert "Too much sent at once" in answer.decode()
    stored = next((stack.directory.parent / "media").rglob("*.csv"), None)
    if stored is not None:
        relative = stored.relative_to(stack.directory.parent / "media")
        assert _browser().get(f"{stack.nginx}/media/{relative}", timeout=60).status_code == 404


@dataclass
class Load:
    """Threads GETting pages through nginx until stopped; every answer counted."""

    url: str
    threads: int = 8
    ok: int = 0
    failures: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _run(self) -> None:
        session = _browser()
        while not self._stop.is_set():
            try:
                status = session.get(self.url, timeout=120).status_code
                failure = "" if 200 <= status < 400 else f"HTTP {status}"
            except requests.RequestException as error:
                failure = f"{type(error).__name__}: {error}"
            with self._lock:
                if failure:
                    self.failures.append(failure)
                else:
                    self.ok += 1

    def during(self, action: Callable[[], None]) -> None:
        workers = [threading.Thread(target=self._run) for _ in range(self.threads)]
        for worker in workers:
            worker.start()
        try:
            time.sleep(2)
            action()
            time.sleep(2)
        finally:
            self._stop.set()
            for worker in workers:
                worker.join(180)


def _accepting(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_a_graceful_reload_of_one_server_loses_no_request(stack: Stack) -> None:
    load = Load(stack.nginx + "/coalitions/")
    master = stack.master(stack.a)
    log = stack.directory / f"app-{urlsplit(stack.a).port}.log"
    workers_before = _children(master)

    def reload() -> None:
        os.kill(master, signal.SIGHUP)
        deadline = time.monotonic() + 120
        while not (_children(master) and not _children(master) & workers_before):
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        time.sleep(3)

    load.during(reload)
    print(f"graceful reload: {load.ok} answered, {len(load.failures)} failed")
    assert "Handling signal: hup" in log.read_text()
    assert load.ok > 0 and load.failures == []
    assert stack.master(stack.a) == master


def test_a_stop_and_start_of_one_server_loses_no_request(stack: Stack) -> None:
    load = Load(stack.nginx + "/coalitions/")
    port = urlsplit(stack.a).port
    assert port is not None
    master = stack.master(stack.a)

    def restart() -> None:
        os.kill(master, signal.SIGTERM)
        deadline = time.monotonic() + 120
        while True:  # scripts/stack.sh starts it again, as a service manager would
            try:
                started = stack.master(stack.a)
            except (FileNotFoundError, ValueError):
                started = master
            if started != master and _accepting(port):
                break
            assert time.monotonic() < deadline, stack.log.read_text()[-3000:]
            time.sleep(0.2)
        time.sleep(3)

    load.during(restart)
    print(f"stop and start: {load.ok} answered, {len(load.failures)} failed")
    assert f">>> app server {port} ended (status 0): starting it again" in stack.log.read_text()
    assert load.ok > 0 and load.failures == []
    # The new server answers.
    assert _browser().get(stack.a + "/coalitions/", timeout=120).status_code == 200


def _children(pid: int) -> set[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return {int(x) for x in out.split()}


def test_it_stops_cleanly(stack: Stack) -> None:
    os.killpg(stack.process.pid, signal.SIGTERM)
    assert stack.process.wait(120) == 0
    assert ">>> stopped" in stack.log.read_text()
    for server in stack.servers:
        assert not _accepting(int(urlsplit(server).port or 0))
