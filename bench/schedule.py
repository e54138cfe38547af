"""Benchmark of the forum's public schedule: the programme page of an event with 1,000
sessions (30 rooms over five days, organising organisations, organisers, speakers, SDGs,
themes), requested as visitors do (the page as it opens, a day, a kind, an SDG, a theme, a
word), on SQLite and PostgreSQL.  Target: p95 <= 150 ms.

    .venv/bin/python bench/schedule.py                      # both databases
    .venv/bin/python bench/schedule.py --db sqlite          # one
    .venv/bin/python bench/schedule.py --sessions 200       # a quick small run
    .venv/bin/python bench/schedule.py --fresh              # rebuild the generated data

Prints one JSON object a line on stdout (progress on stderr), as ``bench/run.py`` does:
``{"bench": "schedule_page", "db": "sqlite", "n": 1000, "metric": "p95_ms", "value": 61.3}``,
then the number of queries of a request (``"metric": "queries"``), and for information the
same page showing all 1,000 sessions at once (``schedule_page_all``), the Frab JSON and the
iCalendar file of the whole event (``schedule_frab``, ``schedule_ics``).

Standalone, with databases of its own (``var/bench/schedule.sqlite3`` and
``pledgebook_bench_schedule`` on PostgreSQL, or ``BENCH_SCHEDULE_POSTGRES_URL``), prepared and
measured in subprocesses (``bench.run.environment``: DEBUG off, production settings).
Requests go through Django's test Client in the process (no network), timed to the full
response body, after warm-up requests; see ``bench/measure.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: make ``bench`` and ``pledgebook`` importable
    sys.path.insert(0, str(BASE_DIR))

SQLITE_PATH = BASE_DIR / "var" / "bench" / "schedule.sqlite3"
DATABASES = {
    "sqlite": f"sqlite:///{SQLITE_PATH}",
    "postgresql": os.environ.get(
        "BENCH_SCHEDULE_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/pledgebook_bench_schedule",
    ),
}
GENERATOR_VERSION = 1
TARGET_P95_MS = 150.0
PROGRAMME = "bench-forum"
EVENT = "forum-bench"
DAYS = 5
ROOMS = 30
WORDS = [
    "ocean",
    "finance",
    "gender",
    "youth",
    "climate",
    "health",
    "digital",
    "water",
    "food",
    "energy",
    "cities",
    "data",
    "partnership",
    "education",
    "jobs",
    "oceans",
    "resilience",
    "innovation",
    "trade",
    "debt",
]


def log(message: str) -> None:
    from django.db import connection

    print(f"[bench schedule {connection.vendor}] {message}", file=sys.stderr, flush=True)


def meta_path() -> Path:
    from bench.worker import db_label

    return BASE_DIR / "var" / "bench" / f"schedule-{db_label()}.meta.json"


def reset_database() -> None:
    """Drop this benchmark's database and create it empty (never another bench's)."""
    from bench.worker import drop_and_create

    drop_and_create(meta_path())


# Data ----------------------------------------------------------------------------------------


def generate(n_sessions: int, seed: int) -> dict[str, Any]:
    """A published programme and event (five days in New York, across a change of the clocks
    when the dates allow) with ``n_sessions`` sessions in 30 rooms (some online only), each
    with 1-3 organising organisations, 1-2 organisers, 0-4 speakers, 1-3 SDGs, 0-2 themes."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from pledgebook.forum.models import Event, Room, Session, Speaker
    from pledgebook.organisations.models import Category, Organisation
    from pledgebook.programmes.models import Programme, Theme
    from pledgebook.reference.models import Country, Goal

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        programme = Programme.objects.create(
            slug=PROGRAMME,
            name="Benchmark Partnership Forum",
            kind=Programme.Kind.PARTNERSHIP_FORUM,
            is_published=True,
        )
        themes = [
            Theme.objects.create(programme=programme, slug=f"theme-{i}", name=f"Theme {i}")
            for i in range(12)
        ]
        event = Event.objects.create(
            programme=programme,
            slug=EVENT,
            name="Partnership Forum (benchmark)",
            starts_on=dt.date(2026, 3, 6),
            ends_on=dt.date(2026, 3, 6) + dt.timedelta(days=DAYS - 1),
            venue="United Nations Headquarters, New York",
            time_zone="America/New_York",
            is_published=True,
        )
        rooms = Room.objects.bulk_create(
            [Room(event=event, name=f"Conference Room {i}", position=i) for i in range(ROOMS)]
        )
        country = Country.objects.order_by("iso2").first()
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"{rng.choice(WORDS).title()} Organisation {i}",
                    slug=f"bench-org-{i}",
                    category=rng.choice(Category.values),
                    country=country,
                )
                for i in range(300)
            ]
        )
        user_model = get_user_model()
        people = user_model.objects.bulk_create(
            [
                user_model(
                    username=f"organiser{i}@example.org",
                    email=f"organiser{i}@example.org",
                    first_name=f"Organiser {i}",
                )
                for i in range(200)
            ]
        )
        goals = list(Goal.objects.all())
        zone = event.zone
        sessions = []
        for i in range(n_sessions):
            day = event.starts_on + dt.timedelta(days=i % DAYS)
            start = dt.datetime.combine(
                day, dt.time(8 + rng.randrange(12), rng.choice((0, 15, 30, 45))), tzinfo=zone
            )
            room = rng.choice(rooms) if rng.random() < 0.9 else None
            words = " ".join(rng.sample(WORDS, 3))
            sessions.append(
                Session(
                    event=event,
                    kind=rng.choice(Session.Kind.values),
                    segment=f"Segment {rng.randrange(8)}" if rng.random() < 0.5 else "",
                    title=f"Session {i}: {words}",
                    description=f"A session about {words}. " * 8,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=rng.choice((45, 60, 90, 120))),
                    room=room,
                    online_url="" if room else f"https://meet.example.org/{i}",
                )
            )
        sessions = Session.objects.bulk_create(sessions)
        links: dict[str, list[Any]] = {"org": [], "user": [], "goal": [], "theme": []}
        speakers = []
        through = Session.organisations.through
        for s in sessions:
            for org in rng.sample(organisations, rng.randint(1, 3)):
                links["org"].append(through(session_id=s.pk, organisation_id=org.pk))
            for person in rng.sample(people, rng.randint(1, 2)):
                links["user"].append(Session.organisers.through(session_id=s.pk, user_id=person.pk))
            for goal in rng.sample(goals, rng.randint(1, 3)):
                links["goal"].append(Session.goals.through(session_id=s.pk, goal_id=goal.pk))
            for theme in rng.sample(themes, rng.randint(0, 2)):
                links["theme"].append(Session.themes.through(session_id=s.pk, theme_id=theme.pk))
            for position in range(rng.randint(0, 4)):
                of: Any = rng.choice(organisations) if rng.random() < 0.5 else None
                speakers.append(
                    Speaker(
                        session=s,
                        name=f"Speaker {s.pk}-{position}",
                        title="Minister" if position == 0 else "Director",
                        organisation=of,
                        affiliation="" if of else "University of the Pacific",
                        position=position,
                    )
                )
        through.objects.bulk_create(links["org"], batch_size=2000)
        Session.organisers.through.objects.bulk_create(links["user"], batch_size=2000)
        Session.goals.through.objects.bulk_create(links["goal"], batch_size=2000)
        Session.themes.through.objects.bulk_create(links["theme"], batch_size=2000)
        Speaker.objects.bulk_create(speakers, batch_size=2000)
    analyze()
    return {
        "sessions": n_sessions,
        "seed": seed,
        "speakers": len(speakers),
        "seconds": round(time.perf_counter() - started, 1),
    }


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def prepare(args: argparse.Namespace) -> None:
    from bench.worker import emit, ensure_database, migrate
    from pledgebook.forum.models import Session

    ensure_database()
    if args.fresh:
        reset_database()
    applied = migrate()
    wanted = {"sessions": args.sessions, "seed": args.seed, "version": GENERATOR_VERSION}
    try:
        meta = json.loads(meta_path().read_text())
    except (OSError, ValueError):
        meta = None
    count = Session.objects.filter(event__slug=EVENT).count()
    if meta and count == args.sessions and all(meta.get(k) == v for k, v in wanted.items()):
        log(f"reusing the database: {count} sessions")
        if applied:
            analyze()
        return
    if count:
        log(f"database holds {count} sessions, not {args.sessions}: rebuilding")
        reset_database()
        migrate()
    meta = {**generate(args.sessions, args.seed), "version": GENERATOR_VERSION}
    meta_path().parent.mkdir(parents=True, exist_ok=True)
    meta_path().write_text(json.dumps(meta))
    log(f"generated {args.sessions} sessions, {meta['speakers']} speakers in {meta['seconds']}s")
    emit("schedule_generate", _db(), args.sessions, "seconds", meta["seconds"])


# Measure -------------------------------------------------------------------------------------


def _db() -> str:
    from bench.worker import db_label

    return db_label()


def visitor_urls(rng: random.Random, count: int) -> list[str]:
    """What visitors ask for: the page as it opens (40 %), a day (25 %), an SDG, a kind, a
    theme, a word (the rest), sometimes two filters at once."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from pledgebook.forum.models import Event, Session

    event = Event.objects.get(slug=EVENT)
    base = reverse("public:event", kwargs={"programme": PROGRAMME, "event": EVENT})
    days = [d.isoformat() for d in event.days()]
    urls = []
    for _ in range(count):
        r = rng.random()
        params: dict[str, str] = {}
        if r < 0.40:
            pass
        elif r < 0.65:
            params["day"] = rng.choice(days)
        elif r < 0.75:
            params["sdg"] = str(rng.randint(1, 17))
        elif r < 0.85:
            params["kind"] = rng.choice(Session.Kind.values)
        elif r < 0.92:
            params["theme"] = f"theme-{rng.randrange(12)}"
        else:
            params["q"] = rng.choice(WORDS)
        if params and rng.random() < 0.2:
            params["day"] = rng.choice(days)
        urls.append(f"{base}?{urlencode(params)}" if params else base)
    return urls


def timed(client: Any, urls: list[str], cpu: list[float] | None = None) -> list[float]:
    """Wall-clock milliseconds of each request (to the full body); with ``cpu``, also the
    process's CPU milliseconds of each (what a request costs whatever else the machine runs:
    on a shared machine the wall clock waits for the processor)."""
    from bench.measure import body

    timings = []
    for url in urls:
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        body(response)
        timings.append((time.perf_counter() - t) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - c) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
    return timings


def queries_of(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def report(
    name: str,
    n: int,
    timings: list[float],
    queries: int | None = None,
    cpu: list[float] | None = None,
) -> None:
    from bench.measure import percentile
    from bench.worker import emit

    db = _db()
    p50, p95 = statistics.median(timings), percentile(timings, 95)
    emit(name, db, n, "p50_ms", round(p50, 2))
    emit(name, db, n, "p95_ms", round(p95, 2))
    extra = ""
    if cpu:
        cpu50, cpu95 = statistics.median(cpu), percentile(cpu, 95)
        emit(name, db, n, "cpu_p50_ms", round(cpu50, 2))
        emit(name, db, n, "cpu_p95_ms", round(cpu95, 2))
        extra = f"; CPU p50 {cpu50:.1f} ms, p95 {cpu95:.1f} ms"
    if queries is not None:
        emit(name, db, n, "queries", queries)
        extra += f"; {queries} queries"
    log(
        f"{name}: {len(timings)} requests, p50 {p50:.1f} ms, p95 {p95:.1f} ms, max "
        f"{max(timings):.1f} ms (target p95 <= {TARGET_P95_MS:.0f} ms: "
        f"{p95 / TARGET_P95_MS:.2f}x){extra}; load average {os.getloadavg()[0]:.1f}"
    )


def measure(args: argparse.Namespace) -> None:
    import gc

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from pledgebook.public import views_forum_schedule

    call_command("collectstatic", interactive=False, verbosity=0)
    n = args.sessions
    rng = random.Random(args.seed + 1)
    client = Client()
    urls = visitor_urls(rng, args.requests)
    timed(client, visitor_urls(rng, args.warmup))
    gc.collect()
    cpu: list[float] = []
    timings = timed(client, urls, cpu)
    base = urls[0].split("?")[0]
    report("schedule_page", n, timings, max(queries_of(client, u) for u in urls[:20]), cpu)

    # For information: all the sessions on one page (no day at a time).
    kept = views_forum_schedule.SHOWN_AT_ONCE
    views_forum_schedule.SHOWN_AT_ONCE = 10**9
    try:
        timed(client, [base] * 3)
        cpu.clear()
        report("schedule_page_all", n, timed(client, [base] * args.full_requests, cpu), cpu=cpu)
    finally:
        views_forum_schedule.SHOWN_AT_ONCE = kept
    kwargs = {"programme": PROGRAMME, "event": EVENT}
    for name, url in (
        ("schedule_frab", reverse("public:event_schedule_json", kwargs=kwargs)),
        ("schedule_ics", reverse("public:event_ics", kwargs=kwargs)),
    ):
        timed(client, [url])
        cpu.clear()
        report(name, n, timed(client, [url] * args.full_requests, cpu), cpu=cpu)


# Driver --------------------------------------------------------------------------------------


def worker(argv: list[str]) -> None:
    import django

    parser = argparse.ArgumentParser(prog="bench/schedule.py worker")
    parser.add_argument("phase", choices=["prepare", "measure"])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20260307)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--full-requests", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.phase == "prepare":
        prepare(args)
    else:
        measure(args)


def main(argv: list[str] | None = None) -> int:
    from bench.run import environment

    parser = argparse.ArgumentParser(prog="bench/schedule.py", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=1000, help="sessions (default 1000)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the generated databases")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200, help="timed page requests")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    args = parser.parse_args(argv)
    common = ["--sessions", str(args.sessions)]
    failed = []
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        env = environment(DATABASES[db])
        for phase in ("prepare", "measure"):
            cmd = [sys.executable, str(Path(__file__).resolve()), "worker", phase, *common]
            if phase == "prepare" and args.fresh:
                cmd.append("--fresh")
            if phase == "measure":
                cmd += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
            result = subprocess.run(cmd, cwd=BASE_DIR, env=env, check=False)
            if result.returncode != 0:
                print(f"[bench schedule {db}] {phase} failed", file=sys.stderr)
                failed.append(db)
                break
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        sys.exit(main())
