"""Benchmark of the annual accountability report at scale: building it end to end (data,
charts, PDF, Word, CSV, XLSX) for one cycle of a programme of 100,000 commitments with
300,000 progress reports (three cycles of 100,000 rows, corrections included).

    .venv/bin/python bench/annual.py                       # n=100000, SQLite and PostgreSQL
    .venv/bin/python bench/annual.py --db sqlite --n 2000  # a quick small run
    .venv/bin/python bench/annual.py --fresh               # rebuild the generated databases

Prints one JSON object a line on stdout (progress on stderr), e.g.
``{"bench": "annual_report", "db": "sqlite", "n": 100000, "metric": "seconds", "value": 41.2}``
and the process's peak RSS (``"metric": "rss_mb"``), then the time of each step
(``"bench": "annual_report_step"``, with ``"step"``) and of a second request for the same data
(``"bench": "annual_report_reuse"``: the files are reused).  Target: 60 s end to end.

Standalone, and callable from ``bench/run.py`` (``python bench/annual.py ...`` or
``bench.annual.main(argv)``).  It has databases of its own (``var/bench/annual.sqlite3`` and
``pledgebook_bench_annual`` on PostgreSQL, or ``BENCH_ANNUAL_POSTGRES_URL``), so it never
touches the ones of ``bench/run.py``; commitments come from ``bench.generate.generate`` (the
same generator), progress reports from :func:`generate_reports` here.  Each database is
prepared and measured in subprocesses of their own, so the measured process's peak RSS is the
report's, not the generator's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: make ``bench`` and ``pledgebook`` importable
    sys.path.insert(0, str(BASE_DIR))

from bench.generate_reports import CYCLES  # noqa: E402  (annual cycles; the last one is measured)

SQLITE_PATH = BASE_DIR / "var" / "bench" / "annual.sqlite3"
DATABASES = {
    "sqlite": f"sqlite:///{SQLITE_PATH}",
    "postgresql": os.environ.get(
        "BENCH_ANNUAL_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/pledgebook_bench_annual"
    ),
}
GENERATOR_VERSION = 1
TARGET_SECONDS = 60.0
TARGET_RSS_MB = 1024.0
CHUNK = 5000


def log(message: str) -> None:
    from django.db import connection

    print(f"[bench annual {connection.vendor}] {message}", file=sys.stderr, flush=True)


def meta_path() -> Path:
    from bench.worker import db_label

    return BASE_DIR / "var" / "bench" / f"annual-{db_label()}.meta.json"


def reset_database() -> None:
    """Drop this benchmark's database and create it empty (never another bench's)."""
    from bench.worker import drop_and_create

    drop_and_create(meta_path())


# Data ----------------------------------------------------------------------------------------


def generate_reports(n_per_cycle: int, seed: int) -> dict:
    """Three closed annual cycles of the generated programme, each with ``n_per_cycle``
    progress report rows: 80 % of the commitments report (a version 1), and a quarter of
    those also have a version 2 (a correction, a few still drafts).  Half the reports give a
    value for each of the programme's two indicators; financial commitments report money
    disbursed, some in another currency with a rate (``bench.generate_reports.write_reports``,
    shared with the resumable generation of ``make bench-scale``)."""
    from bench import generate_reports as reports
    from bench.generate import PROGRAMME_SLUG
    from pledgebook.commitments.models import Commitment
    from pledgebook.programmes.models import Programme

    rng = random.Random(seed + 1)
    started = time.perf_counter()
    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    indicators = reports.indicators(programme)
    commitments = list(
        Commitment.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("pk", "amount", "currency_id")
    )
    first = round(n_per_cycle * 0.8)
    second = n_per_cycle - first
    if first > len(commitments) or second > first:
        raise SystemExit(f"{n_per_cycle} reports per cycle need {first} commitments")
    rows = 0
    values = 0
    for year in CYCLES:
        cycle = reports.cycle(programme, year)
        chosen = rng.sample(commitments, first)
        plan = [(c, 1) for c in chosen] + [(c, 2) for c in chosen[:second]]
        for start in range(0, len(plan), CHUNK):
            n, v = reports.write_reports(rng, cycle, plan[start : start + CHUNK], indicators)
            rows += n
            values += v
        log(f"cycle {year}: {len(plan)} reports, {time.perf_counter() - started:.1f}s")
    return {
        "reports": rows,
        "indicator_values": values,
        "reports_seconds": round(time.perf_counter() - started, 1),
    }


def prepare(args: argparse.Namespace) -> None:
    from bench import generate
    from bench.worker import emit, ensure_database, migrate
    from pledgebook.commitments.models import Commitment
    from pledgebook.reporting.models import ProgressReport

    ensure_database()
    if args.fresh:
        reset_database()
    applied = migrate()
    wanted = {"n": args.n, "organisations": args.orgs, "seed": args.seed}
    try:
        meta = json.loads(meta_path().read_text())
    except (OSError, ValueError):
        meta = None
    count = Commitment.objects.count()
    reports = ProgressReport.objects.count()
    if (
        meta
        and meta.get("version") == GENERATOR_VERSION
        and all(meta.get(k) == v for k, v in wanted.items())
        and count == args.n
        and reports == meta["reports"]
    ):
        log(f"reusing the database: {count} commitments, {reports} progress reports")
        if applied:
            generate.analyze()
        return
    if count or reports:
        log(f"database holds {count} commitments and {reports} reports: rebuilding")
        reset_database()
        ensure_database()
        migrate()
    meta = generate.generate(args.n, args.orgs, args.seed)
    meta.pop("df", None)
    meta.update(generate_reports(args.n, args.seed))
    meta["seconds"] = round(meta["seconds"] + meta["reports_seconds"], 1)
    generate.analyze()
    meta["version"] = GENERATOR_VERSION
    meta_path().write_text(json.dumps(meta))
    log(f"generated {args.n} commitments and {meta['reports']} progress reports")
    emit("annual_generate", _db(), args.n, "seconds", meta["seconds"])


# Measure -------------------------------------------------------------------------------------


def _db() -> str:
    from bench.worker import db_label

    return db_label()


@contextlib.contextmanager
def _recording(queries: list[tuple[str, Any]]) -> Iterator[None]:
    """Record the SELECTs that run in the block (SQL and parameters), for :func:`_replay`."""
    from django.db import connection

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield


def _replay(queries: list[tuple[str, Any]]) -> float:
    """The raw SQL time of ``queries``: each run again on its own, every row fetched (in
    chunks, by a server-side cursor on PostgreSQL), without building anything from them."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        for sql, params in queries:
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, params)
                while cursor.fetchmany(5000):
                    pass
    return round(time.perf_counter() - started, 2)


def _cpu() -> float:
    """User + system CPU seconds of this process (its threads included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.test.utils import override_settings

    from bench.generate import PROGRAMME_SLUG
    from bench.worker import emit
    from pledgebook.reporting import annual, charts, documents, exports, generation
    from pledgebook.reporting.models import AnnualReport, ReportingCycle

    # The pages are rendered with production's manifest storage: collect what they link to
    # (bench/run.py does so too; this script may run on its own).
    call_command("collectstatic", interactive=False, verbosity=0)
    db = _db()
    cycle = (
        ReportingCycle.objects.select_related("programme")
        .filter(programme__slug=PROGRAMME_SLUG)
        .order_by("-deadline")
        .first()
    )
    if cycle is None:
        raise SystemExit("no generated data: run the prepare phase first")
    if args.only == "dashboard":
        measure_dashboard(args, cycle, _secretariat_client(cycle))
        return
    AnnualReport.objects.filter(cycle__programme=cycle.programme).delete()  # no reuse
    rss_before = _rss_mb()
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        report = AnnualReport.objects.create(cycle=cycle)
        queries: list[tuple[str, Any]] = []
        started, cpu = time.perf_counter(), _cpu()
        with _recording(queries):
            generation.generate(report.pk)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        rss = _rss_mb()
        report.refresh_from_db()
        if report.status != AnnualReport.Status.DONE:
            raise SystemExit(f"generation failed: {report.error}")
        sizes = {kind: getattr(report, kind).size for kind in annual.FILE_KINDS}
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            for kind in annual.FILE_KINDS:
                target = Path(args.keep) / f"annual-{db}-{args.n}.{kind}"
                target.write_bytes(getattr(report, kind).read())
        emit(
            "annual_report",
            db,
            args.n,
            "seconds",
            round(seconds, 2),
            target=TARGET_SECONDS,
            cpu_seconds=round(cpu, 2),
            reports_in_db=args.reports,
            bytes=sizes,
            sql_seconds=_replay(queries),
            queries=len(queries),
        )
        emit(
            "annual_report",
            db,
            args.n,
            "rss_mb",
            rss,
            rss_mb_before=rss_before,
            target=TARGET_RSS_MB,
        )
        if args.scale and not args.steps:
            return

        # The same data again: the digest matches, the files are reused.
        again = AnnualReport.objects.create(cycle=cycle)
        started = time.perf_counter()
        generation.generate(again.pk)
        emit("annual_report_reuse", db, args.n, "seconds", round(time.perf_counter() - started, 2))

    # Each step on its own (a second pass over the same data).
    steps: dict[str, float] = {}
    t = time.perf_counter()
    data = annual.build(cycle)
    steps["build"] = time.perf_counter() - t
    t = time.perf_counter()
    rendered = charts.render_all(data)
    steps["charts"] = time.perf_counter() - t
    t = time.perf_counter()
    documents.render_pdf(data, rendered)
    steps["pdf"] = time.perf_counter() - t
    t = time.perf_counter()
    documents.render_docx(data, rendered)
    steps["docx"] = time.perf_counter() - t
    for kind, exporter in (
        ("csv", exports.ProgressReportsCSVExporter(cycle=cycle)),
        ("xlsx", exports.ProgressReportsXLSXExporter(cycle=cycle, data=data)),
    ):
        t = time.perf_counter()
        for _chunk in exporter.render(exporter.rows(cycle)):
            pass
        steps[kind] = time.perf_counter() - t
    for step, value in steps.items():
        emit("annual_report_step", db, args.n, "seconds", round(value, 2), step=step)

    # The console's web version of the report: the first request builds it, the next ones are
    # served from its snapshot while the data is unchanged (reporting.webreport); median of 3.
    from django.urls import reverse

    client = _secretariat_client(cycle)
    page = reverse(
        "console:annual_report", kwargs={"programme": cycle.programme.slug, "cycle": cycle.pk}
    )
    timings = []
    for _ in range(3):
        t = time.perf_counter()
        response = client.get(page)
        timings.append(time.perf_counter() - t)
        if response.status_code != 200:
            raise SystemExit(f"{page}: {response.status_code}")
    emit("annual_report_page", db, args.n, "seconds", round(sorted(timings)[1], 2))
    emit("annual_report_page_first", db, args.n, "seconds", round(timings[0], 2))
    measure_dashboard(args, cycle, client)
    log(
        f"expected {data.totals.expected}, reported {data.totals.reported}, "
        f"non-reporters {len(data.non_reporters)} makers"
    )


def _secretariat_client(cycle: Any) -> Any:
    """A test client logged in as a secretariat member of the cycle's programme."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from pledgebook.programmes.models import ProgrammeRole

    user, _created = get_user_model().objects.get_or_create(
        username="bench-secretariat@example.org",
        defaults={"email": "bench-secretariat@example.org"},
    )
    ProgrammeRole.objects.get_or_create(
        programme=cycle.programme, user=user, role=ProgrammeRole.Role.SECRETARIAT
    )
    client = Client()
    client.force_login(user)
    return client


def measure_dashboard(args: argparse.Namespace, cycle: Any, client: Any) -> None:
    """The console's response-rate dashboard: ``--dashboard-requests`` requests while the data
    does not change (its figures snapshot is current: p50/p95), and the cost of a change: the
    recomputation (``figures.refresh``, what the worker does after a report comes in) and a
    page request right after a change (no worker: the request recomputes), median of 3."""
    from django.urls import reverse

    from bench.measure import percentile
    from bench.worker import emit
    from pledgebook.commitments.models import Commitment
    from pledgebook.reporting import figures

    db = _db()
    page = reverse(
        "console:reporting_dashboard",
        kwargs={"programme": cycle.programme.slug, "cycle": cycle.pk},
    )

    def get() -> float:
        t = time.perf_counter()
        response = client.get(page)
        elapsed = time.perf_counter() - t
        if response.status_code != 200 or b'id="response-rate"' not in response.content:
            raise SystemExit(f"{page}: {response.status_code}")
        return elapsed

    def change() -> None:
        # a real change the figures depend on: a commitment of the programme is saved
        commitment = Commitment.objects.filter(programme=cycle.programme).order_by("?").first()
        assert commitment is not None
        commitment.save(update_fields=["updated_at"])

    refresh, after_change = [], []
    for _ in range(3):
        change()
        t = time.perf_counter()
        figures.refresh(cycle)
        refresh.append(time.perf_counter() - t)
        change()
        after_change.append(get())
    for _ in range(5):  # warm-up
        get()
    timings = [get() for _ in range(args.dashboard_requests)]
    emit("response_dashboard", db, args.n, "p50_ms", round(percentile(timings, 50) * 1000, 1))
    emit("response_dashboard", db, args.n, "p95_ms", round(percentile(timings, 95) * 1000, 1))
    emit(
        "response_dashboard_recompute",
        db,
        args.n,
        "seconds",
        round(sorted(refresh)[1], 2),
        page_after_change_seconds=round(sorted(after_change)[1], 2),
    )


# Driver --------------------------------------------------------------------------------------


def environment(database_url: str) -> dict[str, str]:
    from bench.run import environment as bench_environment

    return bench_environment(database_url)


def worker(argv: list[str]) -> None:
    import django

    parser = argparse.ArgumentParser(prog="bench/annual.py worker")
    parser.add_argument("phase", choices=["prepare", "measure"])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20240308)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--dashboard-requests", type=int, default=200)
    parser.add_argument("--only", choices=["all", "dashboard"], default="all")
    parser.add_argument("--scale", action="store_true")
    parser.add_argument("--steps", action="store_true")
    parser.add_argument("--keep", default="")
    args = parser.parse_args(argv)
    if args.orgs is None:
        args.orgs = max(10, args.n // 5)
    args.reports = 3 * args.n
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.phase == "prepare":
        prepare_scale(args) if args.scale else prepare(args)
    else:
        if args.scale:
            from pledgebook.reporting.models import ProgressReport

            args.reports = ProgressReport.objects.count()
        measure(args)


def prepare_scale(args: argparse.Namespace) -> None:
    """``make bench-scale``: the commitments generated by ``bench/run.py --scale`` (never
    generated here), then the progress reports, generated once and kept
    (``bench.generate_reports.generate_resumable``: a stopped generation resumes)."""
    from bench import generate_reports
    from bench.worker import emit, load_meta, migrate
    from pledgebook.commitments.models import Commitment

    migrate()
    meta = load_meta()  # var/bench/<db>-scale.meta.json (BENCH_SCALE is set)
    count = Commitment.objects.count()
    if not meta or meta.get("n") != args.n or count != args.n:
        raise SystemExit(
            f"the scale database holds {count} commitments, not {args.n} as generated: run "
            f"bench/run.py --scale --prepare-only --n {args.n} first"
        )
    reports = generate_reports.load_meta()
    if (
        reports
        and reports.get("complete")
        and generate_reports.counts() == {k: reports[k] for k in ("reports", "indicator_values")}
    ):
        log(f"reusing {reports['reports']} progress reports")
        emit(
            "annual_generate",
            _db(),
            args.n,
            "seconds",
            reports["seconds"],
            reused=True,
            reports=reports["reports"],
        )
        return
    started = time.perf_counter()
    reports = generate_reports.generate_resumable(args.seed)
    log(
        f"{reports['reports']} progress reports, {reports['indicator_values']} indicator values; "
        f"this run {time.perf_counter() - started:.1f}s"
    )
    emit(
        "annual_generate",
        _db(),
        args.n,
        "seconds",
        reports["seconds"],
        reports=reports["reports"],
        indicator_values=reports["indicator_values"],
        per_100k_seconds=reports["per_100k_seconds"],
        runs=reports["runs"],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/annual.py", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="commitments (default 100000)")
    parser.add_argument("--orgs", type=int, default=None, help="organisations (default n/5)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the generated databases")
    parser.add_argument(
        "--db", choices=["sqlite", "postgresql", "both"], default=os.environ.get("BENCH_DB", "both")
    )
    parser.add_argument(
        "--only",
        choices=["all", "dashboard"],
        default="all",
        help="dashboard: only the response-rate dashboard, not the report",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="make bench-scale: the databases of bench/run.py --scale (1,000,000 commitments or"
        " --n), with 3 reports a commitment generated once and kept; the report end to end only",
    )
    parser.add_argument("--steps", action="store_true", help="with --scale: each step again too")
    parser.add_argument("--keep", default="", help="a folder to copy the generated files to")
    parser.add_argument("--prepare-only", action="store_true", help="generate, no timing")
    args = parser.parse_args(argv)
    databases = DATABASES
    if args.scale:
        from bench.run import SCALE_DATABASES, SCALE_N

        databases = SCALE_DATABASES
        args.n = SCALE_N if args.n == 100_000 else args.n
        os.environ["BENCH_SCALE"] = "1"
    common = ["--n", str(args.n)]
    if args.orgs:
        common += ["--orgs", str(args.orgs)]
    if args.scale:
        common.append("--scale")
    failed = []
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        env = environment(databases[db])
        for phase in ("prepare",) if args.prepare_only else ("prepare", "measure"):
            cmd = [sys.executable, str(Path(__file__).resolve()), "worker", phase, *common]
            if phase == "prepare" and args.fresh:
                if args.scale:
                    raise SystemExit("--fresh with --scale: use bench/run.py --scale --fresh")
                cmd.append("--fresh")
            if phase == "measure":
                cmd += ["--only", args.only]
                cmd += ["--steps"] if args.steps else []
                cmd += ["--keep", args.keep] if args.keep else []
            result = subprocess.run(cmd, cwd=BASE_DIR, env=env, check=False)
            if result.returncode != 0:
                print(f"[bench annual {db}] {phase} failed ({result.returncode})", file=sys.stderr)
                failed.append(db)
                break
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        sys.exit(main())
