"""Benchmark of the pitch pipeline: one investor's ranked matches (``investor_matches``) over
100,000 scale-up plans in the pipeline, as the investor's page asks for them (the hard
constraints in SQL, the counts of what each filtered out, the best 25 ranked by score, their
reasons), on SQLite and PostgreSQL.  Target: p95 <= 100 ms.

    .venv/bin/python bench/pitch.py                   # both databases
    .venv/bin/python bench/pitch.py --db sqlite       # one
    .venv/bin/python bench/pitch.py --plans 5000      # a quick small run
    .venv/bin/python bench/pitch.py --fresh           # rebuild the generated data

Prints one JSON object a line on stdout (progress on stderr), as ``bench/run.py`` does:
``{"bench": "investor_matches", "db": "sqlite", "n": 100000, "metric": "p95_ms", ...}`` for the
whole page (``investor_matches``, through Django's test Client, signed in as the investor)
and for the ranking alone (``investor_matches_ranking``: ``portal.pitch.matching``), then the
number of queries of a page.  The investors asked range from narrow (one country, two
instruments, a small ticket range) to broad (anywhere, every instrument, any ticket): a broad
investor's constraints pass most of the 100,000 plans.

Standalone, with databases of its own (``var/bench/pitch.sqlite3`` and
``pledgebook_bench_pitch`` on PostgreSQL, or ``BENCH_PITCH_POSTGRES_URL``), prepared and
measured in subprocesses (``bench.run.environment``: DEBUG off, production settings).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

SQLITE_PATH = BASE_DIR / "var" / "bench" / "pitch.sqlite3"
DATABASES = {
    "sqlite": f"sqlite:///{SQLITE_PATH}",
    "postgresql": os.environ.get(
        "BENCH_PITCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/pledgebook_bench_pitch"
    ),
}
GENERATOR_VERSION = 1
TARGET_P95_MS = 100.0
PROGRAMME = "bench-pitch"
INVESTORS = 40


def log(message: str) -> None:
    from django.db import connection

    print(f"[bench pitch {connection.vendor}] {message}", file=sys.stderr, flush=True)


def meta_path() -> Path:
    from bench.worker import db_label

    return BASE_DIR / "var" / "bench" / f"pitch-{db_label()}.meta.json"


def reset_database() -> None:
    from bench.worker import drop_and_create

    drop_and_create(meta_path())


def generate(n_plans: int, seed: int) -> dict[str, Any]:
    """A published programme, 1,000 confirmed commitments of 500 organisations, ``n_plans``
    scale-up plans among them (nine in ten in the pipeline; 1-3 countries or a region; 1-3
    instruments; 10,000 to 20 million dollars, log-uniform; 1-4 SDGs; 0-8 pieces of
    evidence), and 40 investor organisations with their profiles, narrow to broad."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from pledgebook.commitments.models import Commitment
    from pledgebook.organisations.models import Category, Organisation, Representative
    from pledgebook.portal.models.pitch import InvestorKind, InvestorProfile, ScaleUpPlan, Stage
    from pledgebook.portal.pitch import geo, matching
    from pledgebook.programmes.models import Programme, Theme
    from pledgebook.reference.models import Country, Region

    rng = random.Random(seed)
    started = time.perf_counter()
    countries = list(Country.objects.values_list("iso2", flat=True))
    regions = list(Region.objects.values_list("m49", flat=True))
    region_masks = {r: geo.mask(geo.countries_of([], [r])) for r in regions}
    country_masks = {c: geo.mask([c]) for c in countries}
    instruments = list(matching.INSTRUMENT_BITS)

    def area() -> geo.Mask:
        if rng.random() < 0.2:
            return region_masks[rng.choice(regions)]
        words = [0] * geo.WORDS
        for c in rng.sample(countries, rng.randint(1, 3)):
            words = [a | b for a, b in zip(words, country_masks[c], strict=True)]
        return (words[0], words[1], words[2], words[3], words[4])

    def amount(low: float = 1e4, high: float = 2e7) -> Decimal:
        return Decimal(round(10 ** rng.uniform(math.log10(low), math.log10(high)), 2)).quantize(
            Decimal("0.01")
        )

    with transaction.atomic():
        programme = Programme.objects.create(
            slug=PROGRAMME, name="Benchmark pitch programme", is_published=True
        )
        theme = Theme.objects.create(programme=programme, slug="theme", name="Theme")
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"Maker {i}",
                slug=f"maker-{i}",
                category=Category.CIVIL_SOCIETY,
                country_id=countries[i % len(countries)],
            )
            for i in range(500)
        )
        commitments = Commitment.objects.bulk_create(
            Commitment(
                programme=programme,
                organisation=orgs[i % len(orgs)],
                title=f"Commitment {i}",
                status=Commitment.Status.CONFIRMED,
            )
            for i in range(1000)
        )
        Commitment.themes.through.objects.bulk_create(
            Commitment.themes.through(commitment_id=c.pk, theme_id=theme.pk) for c in commitments
        )
        statuses = list(ScaleUpPlan.IN_PIPELINE)
        batch: list[ScaleUpPlan] = []
        for i in range(n_plans):
            c = commitments[i % len(commitments)]
            g = area()
            value = amount()
            status = (
                rng.choice(statuses) if rng.random() < 0.9 else rng.choice(["draft", "withdrawn"])
            )
            batch.append(
                ScaleUpPlan(
                    programme=programme,
                    commitment=c,
                    organisation_id=c.organisation_id,
                    title=f"Scale-up plan {i}",
                    plan="Grow to three more countries.",
                    amount=value,
                    currency_id="USD",
                    amount_usd=value,
                    usd_rate=Decimal(1),
                    stage=rng.choice(Stage.values),
                    instrument_mask=matching.instrument_mask(
                        rng.sample(instruments, rng.randint(1, 3))
                    ),
                    sdg_mask=matching.sdg_mask(rng.sample(range(1, 18), rng.randint(1, 4))),
                    evidence_count=rng.randint(0, 8),
                    status=status,
                    geo0=g[0],
                    geo1=g[1],
                    geo2=g[2],
                    geo3=g[3],
                    geo4=g[4],
                )
            )
            if len(batch) == 5000:
                ScaleUpPlan.objects.bulk_create(batch)
                batch = []
        ScaleUpPlan.objects.bulk_create(batch)
        password = make_password("bench")
        kinds = [
            (Category.PHILANTHROPY, InvestorKind.FOUNDATION),
            (Category.IFI, InvestorKind.DEVELOPMENT_BANK),
            (Category.PRIVATE_SECTOR, InvestorKind.PRIVATE_COMPANY),
        ]
        for i in range(INVESTORS):
            category, kind = kinds[i % 3]
            org = Organisation.objects.create(
                name=f"Investor {i}", slug=f"investor-{i}", category=category, country_id="US"
            )
            user = get_user_model().objects.create(
                username=f"investor-{i}@bench.example",
                email=f"investor-{i}@bench.example",
                password=password,
            )
            Representative.objects.create(organisation=org, user=user, is_admin=True)
            broad = i % 4 == 0  # a quarter invest anywhere, in every instrument, any ticket
            low = amount(1e4, 1e6)
            g = geo.EMPTY if broad else (region_masks[rng.choice(regions)] if i % 2 else area())
            InvestorProfile.objects.create(
                organisation=org,
                kind=kind,
                ticket_min=Decimal(0) if broad else low,
                ticket_max=Decimal(10**9) if broad else low * rng.randint(5, 50),
                ticket_min_usd=Decimal(0) if broad else low,
                ticket_max_usd=Decimal(10**9) if broad else low * 20,
                currency_id="USD",
                usd_rate=Decimal(1),
                instrument_mask=31
                if broad
                else matching.instrument_mask(rng.sample(instruments, 2)),
                stage_mask=matching.stage_mask(rng.sample(Stage.values, rng.randint(1, 3))),
                sdg_mask=matching.sdg_mask(rng.sample(range(1, 18), rng.randint(1, 6))),
                geo0=g[0],
                geo1=g[1],
                geo2=g[2],
                geo3=g[3],
                geo4=g[4],
            )
    analyze()
    return {"plans": n_plans, "seed": seed, "seconds": round(time.perf_counter() - started, 1)}


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def prepare(args: argparse.Namespace) -> None:
    from bench.worker import emit, ensure_database, migrate
    from pledgebook.portal.models.pitch import ScaleUpPlan

    ensure_database()
    if args.fresh:
        reset_database()
    applied = migrate()
    wanted = {"plans": args.plans, "seed": args.seed, "version": GENERATOR_VERSION}
    try:
        meta = json.loads(meta_path().read_text())
    except (OSError, ValueError):
        meta = None
    count = ScaleUpPlan.objects.count()
    if meta and count == args.plans and all(meta.get(k) == v for k, v in wanted.items()):
        log(f"reusing the database: {count} plans")
        if applied:
            analyze()
        return
    if count:
        log(f"database holds {count} plans, not {args.plans}: rebuilding")
        reset_database()
        migrate()
    meta = {**generate(args.plans, args.seed), "version": GENERATOR_VERSION}
    meta_path().parent.mkdir(parents=True, exist_ok=True)
    meta_path().write_text(json.dumps(meta))
    log(f"generated {args.plans} plans in {meta['seconds']}s")
    emit("pitch_generate", _db(), args.plans, "seconds", meta["seconds"])


def _db() -> str:
    from bench.worker import db_label

    return db_label()


def report(
    name: str,
    n: int,
    timings: list[float],
    queries: int | None = None,
    cpu: list[float] | None = None,
    **extra: Any,
) -> None:
    from bench.measure import percentile
    from bench.worker import emit

    db = _db()
    p50, p95 = statistics.median(timings), percentile(timings, 95)
    emit(name, db, n, "p50_ms", round(p50, 2))
    emit(name, db, n, "p95_ms", round(p95, 2))
    if cpu:
        emit(name, db, n, "cpu_p50_ms", round(statistics.median(cpu), 2))
        emit(name, db, n, "cpu_p95_ms", round(percentile(cpu, 95), 2))
        extra = {
            "CPU p50/p95": f"{statistics.median(cpu):.1f}/{percentile(cpu, 95):.1f} ms",
            **extra,
        }
    if queries is not None:
        emit(name, db, n, "queries", queries)
    log(
        f"{name}: {len(timings)} requests, p50 {p50:.1f} ms, p95 {p95:.1f} ms, max "
        f"{max(timings):.1f} ms (target p95 <= {TARGET_P95_MS:.0f} ms: {p95 / TARGET_P95_MS:.2f}x)"
        + "".join(f"; {k} {v}" for k, v in extra.items())
        + f"; load average {os.getloadavg()[0]:.1f}"
    )


def measure(args: argparse.Namespace) -> None:
    import gc

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.measure import body
    from pledgebook.portal.models.pitch import InvestorProfile
    from pledgebook.portal.pitch import index, matching

    call_command("collectstatic", interactive=False, verbosity=0)
    rng = random.Random(args.seed + 1)
    profiles = list(InvestorProfile.objects.select_related("organisation"))
    clients = {}
    for p in profiles:
        client = Client()
        client.force_login(p.organisation.people.get())
        clients[p.pk] = client
    asked = [rng.choice(profiles) for _ in range(args.warmup + args.requests)]

    cpu: list[float] = []

    def page(profile: Any) -> float:
        url = reverse("workspace:pitch_matches", args=[profile.organisation.slug])
        t, c = time.perf_counter(), time.process_time()
        response = clients[profile.pk].get(url)
        body(response)
        elapsed = (time.perf_counter() - t) * 1000
        cpu.append((time.process_time() - c) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return elapsed

    for p in asked[: args.warmup]:
        page(p)
    gc.collect()
    cpu.clear()
    timings = [page(p) for p in asked[args.warmup :]]
    url = reverse("workspace:pitch_matches", args=[profiles[0].organisation.slug])
    with CaptureQueriesContext(connection) as ctx:
        clients[profiles[0].pk].get(url)
    matched = [matching.investor_matches(p, limit=25).matched for p in profiles]
    report(
        "investor_matches",
        args.plans,
        timings,
        len(ctx.captured_queries),
        cpu,
        matched=f"{min(matched)}-{max(matched)} plans pass an investor's constraints",
    )
    ranking, ranking_cpu = [], []
    for p in asked[args.warmup :]:
        t, c = time.perf_counter(), time.process_time()
        matching.investor_matches(p, limit=25)
        ranking.append((time.perf_counter() - t) * 1000)
        ranking_cpu.append((time.process_time() - c) * 1000)
    report("investor_matches_ranking", args.plans, ranking, cpu=ranking_cpu)
    # After a change of any plan, each process reloads the columns once (portal.pitch.index).
    reloads = []
    for _ in range(5):
        t = time.perf_counter()
        index._load("bench")
        reloads.append((time.perf_counter() - t) * 1000)
    report("investor_matches_reload", args.plans, reloads)


def worker(argv: list[str]) -> None:
    import django

    parser = argparse.ArgumentParser(prog="bench/pitch.py worker")
    parser.add_argument("phase", choices=["prepare", "measure"])
    parser.add_argument("--plans", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.phase == "prepare":
        prepare(args)
    else:
        measure(args)


def main(argv: list[str] | None = None) -> int:
    from bench.run import environment

    parser = argparse.ArgumentParser(prog="bench/pitch.py", description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=100_000, help="plans (default 100000)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the generated databases")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200, help="timed page requests")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    args = parser.parse_args(argv)
    common = ["--plans", str(args.plans)]
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
                print(f"[bench pitch {db}] {phase} failed", file=sys.stderr)
                failed.append(db)
                break
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        sys.exit(main())
