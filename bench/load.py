"""Load on the two-server stack (scripts/stack.sh: nginx, two gunicorn app servers, one task
worker) with wrk (Debian's): 64 connections for 60 s on each of the directory search, a
commitment page, the API list and the home page, the URLs varied by a generated wrk Lua script.

    .venv/bin/python bench/load.py                      # the 1,000,000 database, its own stack
    .venv/bin/python bench/load.py --database postgres://postgres@127.0.0.1:5432/pledgebook_bench
    .venv/bin/python bench/load.py --duration 10 --only load_home
    .venv/bin/python bench/load.py --url http://127.0.0.1:8080 --database ...   # a running stack

Without --url it starts scripts/stack.sh --no-migrate --no-worker on --database (never
migrated, no task run on it: the URLs are drawn from it read-only) on ports of its own, and
stops it after.  One JSON object a line on stdout, as bench/run.py (docs/BENCHMARKS.md, "Load"):

    {"bench": "load_directory", "db": "postgresql", "n": 1000000, "metric": "req_per_s",
     "value": 123.4, "p50_ms": ..., "p99_ms": ..., "errors": 0, "non_2xx_3xx": 0,
     "socket_errors": {...}, "requests": ..., "seconds": 60, "connections": 64, "load_avg": [...]}

Errors are the answers with a status of 400 or more (wrk's "Non-2xx or 3xx responses") and the
socket errors (connect, read, write, timeout after --timeout).  Targets (issue 14): each
>= 100 req/s, 0 errors, p99 <= 500 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: make ``pledgebook`` importable
    sys.path.insert(0, str(BASE_DIR))

from pledgebook.core.processes import stop_group  # noqa: E402 - after the path

SCALE_URL = os.environ.get(
    "BENCH_SCALE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/pledgebook_bench_scale"
)
BENCHES = ("load_directory", "load_commitment", "load_api", "load_home")
TARGET_RPS, TARGET_P99_MS = 100.0, 500.0
WORD = re.compile(r"[a-z]{5,}")

# wrk: the URLs of the bench, each thread starting at another place in the list; at the end
# one JSON object with the counts and the latency percentiles (microseconds).
LUA = """
local paths = {%(paths)s}
local counter = 0
function setup(thread)
  thread:set("start", counter)
  counter = counter + 1
end
function init(args)
  i = (start * 7919) %% #paths
end
function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def log(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


def sample_urls(database_url: str, count: int, seed: int) -> dict[str, list[str]]:
    """The URLs of each bench, drawn (read-only) from the public commitments of the database:
    directory searches by a word of their titles (a word found in 0.3-3 % of a sample of
    titles), half with the type and country of a commitment; pages of random commitments; the
    API searched by a word, half with an SDG; and the home page."""
    rng = random.Random(seed)
    public = (
        "SELECT c.id FROM commitments_commitment c JOIN programmes_programme p"
        " ON p.id = c.programme_id WHERE p.is_published AND c.status IN ('confirmed', 'featured')"
    )
    with psycopg.connect(database_url) as conn:
        conn.read_only = True
        ids = [row[0] for row in conn.execute(public)]
        total = conn.execute("SELECT count(*) FROM commitments_commitment").fetchone()[0]
        if not ids:
            raise SystemExit(f"no public commitment in {database_url} (a published programme?)")
        chosen = rng.sample(ids, min(count, len(ids)))
        titles = [
            row[0]
            for row in conn.execute(
                "SELECT title FROM commitments_commitment WHERE id = ANY(%s)",
                (rng.sample(ids, min(1000, len(ids))),),
            )
        ]

        def related(table: str, column: str, pk: int) -> list[object]:
            sql = f"SELECT {column} FROM commitments_commitment_{table} WHERE commitment_id = %s"
            return [row[0] for row in conn.execute(sql, (pk,))]

        frequency: dict[str, int] = {}
        for title in titles:
            for word in set(WORD.findall(title.lower())):
                frequency[word] = frequency.get(word, 0) + 1
        words = sorted(w for w, c in frequency.items() if 0.003 <= c / len(titles) <= 0.03)
        if len(words) < 5:
            words = sorted(frequency, key=frequency.get)[-40:]  # a small database
        directory, api = [], []
        for pk in chosen:
            word = rng.choice(words)
            params: dict[str, object] = {"q": word}
            if rng.random() < 0.5:
                types, countries = (
                    related("types", "commitmenttype_id", pk),
                    related("countries", "country_id", pk),
                )
                if types:
                    params["type"] = rng.choice(types)
                if countries:
                    params["country"] = rng.choice(countries)
            directory.append(f"/commitments/?{urlencode(params)}")
            params = {"q": rng.choice(words)}
            if rng.random() < 0.5 and (goals := related("goals", "goal_id", pk)):
                params["sdg"] = rng.choice(goals)
            api.append(f"/api/v1/commitments/?{urlencode(params)}")
    return {
        "load_directory": directory,
        "load_commitment": [f"/commitments/{pk}/" for pk in chosen],
        "load_api": api,
        "load_home": ["/"],
        "_n": [str(total), str(len(ids))],
    }


def start_stack(database_url: str, cache_url: str, port: int, directory: Path):
    """scripts/stack.sh --no-migrate on ports port (nginx), port+1 and port+2; returns the
    process once it says it is ready."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        STACK_PORT=str(port),
        STACK_APP_PORTS=f"{port + 1} {port + 2}",
        STACK_DIR=str(directory),
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "ERROR"),
        GUNICORN_ACCESS_LOG=os.environ.get("GUNICORN_ACCESS_LOG", "/dev/null"),
    )
    directory.mkdir(parents=True, exist_ok=True)
    out = (directory / "stack.log").open("wb")
    process = subprocess.Popen(
        [str(BASE_DIR / "scripts" / "stack.sh"), "--no-migrate", "--no-worker"],
        cwd=BASE_DIR,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while ">>> ready" not in (directory / "stack.log").read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the stack did not start:\n" + (directory / "stack.log").read_text())
        time.sleep(0.5)
    return process


def stop_stack(process: subprocess.Popen) -> None:
    stop_group(process, timeout=120)


def warm_up(url: str, paths: list[str]) -> None:
    """A few requests of each bench, untimed (the first request of each process loads the
    code, templates and caches).  One that fails (a 504 from the proxy while a cold cache is
    computed) is said on stderr and the bench still runs: wrk counts its errors."""
    for path in paths:
        try:
            with urllib.request.urlopen(url + path, timeout=120) as response:
                response.read()
        except (urllib.error.URLError, TimeoutError) as error:
            print(f"[load] warm-up {path}: {error}", file=sys.stderr, flush=True)


def run_wrk(url: str, paths: list[str], args: argparse.Namespace, workdir: Path) -> dict:
    script = workdir / "paths.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
    command = [
        args.wrk,
        f"--connections={args.connections}",
        f"--threads={args.threads}",
        f"--duration={args.duration}s",
        f"--timeout={args.timeout}s",
        f"--script={script}",
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"^RESULT (\{.*\})$", out, re.MULTILINE)
    if not found:
        raise SystemExit(f"wrk printed no result:\n{out}")
    return json.loads(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/load.py", description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=SCALE_URL, help="PostgreSQL URL (read only)")
    parser.add_argument("--url", help="a running stack's address (default: start one)")
    parser.add_argument("--cache-url", help="the started stack's Redis (default: stack.sh's)")
    parser.add_argument("--port", type=int, default=8180, help="started stack: nginx's port")
    parser.add_argument("--duration", type=int, default=60, help="seconds per bench")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--timeout", type=int, default=30, help="a request's timeout (s)")
    parser.add_argument("--urls", type=int, default=500, help="distinct URLs per bench")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--only", help="comma-separated benches, e.g. load_home")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    args = parser.parse_args()
    benches = args.only.split(",") if args.only else list(BENCHES)
    for name in benches:
        if name not in BENCHES:
            parser.error(f"unknown bench {name!r} (one of {', '.join(BENCHES)})")
    if not Path(args.wrk).exists():
        subprocess.run([str(BASE_DIR / "scripts" / "apt-install.sh"), "wrk"], check=True)
        args.wrk = shutil.which("wrk") or "/usr/bin/wrk"

    log(f"drawing {args.urls} URLs per bench from {args.database}")
    urls = sample_urls(args.database, args.urls, args.seed)
    n, n_public = (int(x) for x in urls["_n"])
    with tempfile.TemporaryDirectory(prefix="pledgebook-load-") as tmp:
        workdir = Path(tmp)
        process = None
        url = args.url
        if not url:
            name = args.database.rsplit("/", 1)[-1]
            cache = args.cache_url or f"rediscache://127.0.0.1:6379/2?key_prefix=load-{name}"
            log(f"starting scripts/stack.sh on port {args.port} (logs: var/stack-load)")
            process = start_stack(args.database, cache, args.port, BASE_DIR / "var" / "stack-load")
            url = f"http://127.0.0.1:{args.port}"
        try:
            for name in benches:
                warm_up(url, urls[name][:8])
                log(f"{name}: wrk, {args.connections} connections, {args.duration} s")
                r = run_wrk(url, urls[name], args, workdir)
                seconds = r["duration_us"] / 1e6
                sockets = {k: r[k] for k in ("connect", "read", "write", "timeout")}
                errors = r["status"] + sum(sockets.values())
                line = {
                    "bench": name,
                    "db": "postgresql",
                    "n": n,
                    "public": n_public,
                    "metric": "req_per_s",
                    "value": round(r["requests"] / seconds, 1),
                    "p50_ms": round(r["p50_us"] / 1000, 1),
                    "p99_ms": round(r["p99_us"] / 1000, 1),
                    "max_ms": round(r["max_us"] / 1000, 1),
                    "errors": errors,
                    "non_2xx_3xx": r["status"],
                    "socket_errors": sockets,
                    "requests": r["requests"],
                    "seconds": round(seconds, 1),
                    "connections": args.connections,
                    "urls": len(urls[name]),
                    "load_avg": [round(x, 2) for x in os.getloadavg()],
                    "target_met": errors == 0
                    and r["requests"] / seconds >= TARGET_RPS
                    and r["p99_us"] / 1000 <= TARGET_P99_MS,
                }
                print(json.dumps(line), flush=True)
        finally:
            if process is not None:
                stop_stack(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
