"""Server time per request, measured in-process with Django's test Client.

Each request is timed from ``client.get()`` to its full response content (middleware, view,
queries, template rendering; no network, no WSGI server).  The test Client keeps the database
connection open between requests (it does not send ``close_old_connections``), as a server with
``CONN_MAX_AGE > 0`` does.  Warm-up requests run first and are not counted.  Query counts are
measured in a second pass over the same URLs with ``CaptureQueriesContext``, so that capturing
does not weigh on the timings.
"""

import argparse
import gc
import html
import json
import math
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.vocabulary import words_of
from bench.worker import db_label, emit
from pledgebook.commitments import search
from pledgebook.commitments.filters import CommitmentFilter, public_commitments
from pledgebook.commitments.models import Commitment
from pledgebook.reference.models import Country

TARGET_P95_MS = 100.0


def log(message: str) -> None:
    print(f"[bench {db_label()}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class Sample:
    """Realistic request parameters drawn from the generated data."""

    def __init__(self, rng: random.Random, meta: dict) -> None:
        self.rng = rng
        self.public_ids = list(public_commitments().values_list("pk", flat=True))
        self.words = self._words(meta)
        self._matches: dict[str, list[int]] = {}

    def _words(self, meta: dict) -> list[str]:
        """Words matching 1-5 % of the public rows (as the search sees them: prefix match)."""
        n = meta["n"]
        public = len(self.public_ids)
        # Domain words only: country names are in the texts too, but a country has its filter.
        countries = set().union(
            *(words_of(c) for c in Country.objects.values_list("name", flat=True))
        )
        candidates = sorted(
            (
                w
                for w, c in meta["df"].items()
                if w.isalpha() and len(w) >= 4 and w not in countries and 0.006 <= c / n <= 0.07
            ),
            key=lambda w: meta["df"][w],
        )
        # Spread over the range: every k-th candidate by frequency, then the real count.
        step = max(1, len(candidates) // 100)
        chosen = []
        for word in candidates[::step]:
            count = search.search(public_commitments(), word).count()
            if 0.01 * public <= count <= 0.05 * public:
                chosen.append((word, count))
        chosen = chosen[:: max(1, len(chosen) // 40)][:40]
        if len(chosen) < 5:
            raise SystemExit(f"only {len(chosen)} search words match 1-5 % of rows")
        chosen.sort()
        log(
            f"{len(chosen)} search words (rows matched): "
            + ", ".join(f"{w} ({c})" for w, c in chosen)
        )
        return [w for w, _ in chosen]

    def matching(self, word: str) -> list[int]:
        if word not in self._matches:
            qs = search.search(public_commitments(), word)
            self._matches[word] = list(qs.values_list("pk", flat=True))
        return self._matches[word]

    def relations(self, pk: int) -> dict[str, list]:
        through = Commitment.types.through.objects.filter(commitment_id=pk)
        return {
            "type": list(through.values_list("commitmenttype_id", flat=True)),
            "country": list(
                Commitment.countries.through.objects.filter(commitment_id=pk).values_list(
                    "country_id", flat=True
                )
            ),
            "sdg": list(
                Commitment.goals.through.objects.filter(commitment_id=pk).values_list(
                    "goal_id", flat=True
                )
            ),
        }

    def filters(self, word: str, names: tuple[str, ...]) -> dict[str, str]:
        """Half of the requests take their filter values from a commitment that matches the
        word (results exist), half from any public commitment (often no result)."""
        if self.rng.random() < 0.5:
            pk = self.rng.choice(self.matching(word))
        else:
            pk = self.rng.choice(self.public_ids)
        rel = self.relations(pk)
        return {name: str(self.rng.choice(rel[name])) for name in names}

    def directory_url(self) -> str:
        word = self.rng.choice(self.words)
        params = {"q": word, **self.filters(word, ("type", "country"))}
        return f"/commitments/?{urlencode(params)}"

    def api_url(self) -> str:
        word = self.rng.choice(self.words)
        params = {"q": word, **self.filters(word, ("sdg",))}
        return f"/api/v1/commitments/?{urlencode(params)}"

    def page_url(self) -> str:
        return f"/commitments/{self.rng.choice(self.public_ids)}/"

    def home_url(self) -> str:
        return "/"


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def ready_directory(client: Client, sample: Sample) -> str | None:
    r = client.get("/commitments/")
    if r.status_code != 200:
        return f"GET /commitments/ answers {r.status_code}"
    if b'name="q"' not in body(r):
        return "GET /commitments/ has no search form (placeholder view)"
    return None


def ready_page(client: Client, sample: Sample) -> str | None:
    pk = sample.public_ids[0]
    r = client.get(f"/commitments/{pk}/")
    if r.status_code != 200:
        return f"GET /commitments/{pk}/ answers {r.status_code}"
    title = Commitment.objects.get(pk=pk).title
    if html.escape(title).encode() not in body(r):
        return f"GET /commitments/{pk}/ does not show the commitment's title (placeholder view)"
    return None


def ready_home(client: Client, sample: Sample) -> str | None:
    r = client.get("/")
    if r.status_code != 200:
        return f"GET / answers {r.status_code}"
    return None


def ready_api(client: Client, sample: Sample) -> str | None:
    r = client.get("/api/v1/commitments/")
    if r.status_code != 200:
        return f"GET /api/v1/commitments/ answers {r.status_code}"
    try:
        data = json.loads(body(r))
    except ValueError:
        return "GET /api/v1/commitments/ is not JSON (placeholder view)"
    if not isinstance(data, list | dict) or (isinstance(data, dict) and "results" not in data):
        return "GET /api/v1/commitments/ has no results"
    return None


def result_count(url: str) -> int | None:
    """Rows the directory's own FilterSet finds for the URL's query string (None: not a list)."""
    if "?" not in url or not url.startswith(("/commitments/", "/api/")):
        return None
    data = QueryDict(url.split("?", 1)[1])
    return CommitmentFilter(data=data, queryset=public_commitments()).qs.count()


def time_requests(client: Client, urls: list[str]) -> list[float]:
    timings = []
    for url in urls:
        t0 = time.perf_counter()
        response = client.get(url)
        body(response)
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        timings.append(elapsed)
    return timings


def capture_queries(client: Client, urls: list[str]) -> list[list[str]]:
    """The SQL each request ran, as sent to the database."""
    captured = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            body(client.get(url))
        captured.append([q["sql"] for q in ctx.captured_queries])
    return captured


def count_queries(client: Client, urls: list[str]) -> list[int]:
    return [len(sqls) for sqls in capture_queries(client, urls)]


def time_raw_sql(captured: list[list[str]]) -> list[float]:
    """Each request's queries run again through a plain cursor, every row fetched: the time
    the database alone needs for the page (ms a request).  The SQL is the literal text Django
    sent (parameters inlined on both databases, as Django's client-side binding sends them on
    PostgreSQL), so the plans are the page's own."""
    timings = []
    with connection.cursor() as cursor:
        for sqls in captured:
            t0 = time.perf_counter()
            for sql in sqls:
                if sql.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT")):
                    cursor.execute(sql)
                    cursor.fetchall()
            timings.append((time.perf_counter() - t0) * 1000)
    return timings


def emit_raw_sql(name: str, n: int, p95: float, sql: list[float]) -> str:
    """``sql_p50_ms``, ``sql_p95_ms`` and ``sql_ratio`` (the page's p95 over its SQL's)."""
    db = db_label()
    sql_p50, sql_p95 = statistics.median(sql), percentile(sql, 95)
    ratio = p95 / sql_p95 if sql_p95 else math.inf
    emit(name, db, n, "sql_p50_ms", round(sql_p50, 2))
    emit(name, db, n, "sql_p95_ms", round(sql_p95, 2))
    emit(name, db, n, "sql_ratio", round(ratio, 2))
    return f"raw SQL p50 {sql_p50:.1f} ms, p95 {sql_p95:.1f} ms (page p95 {ratio:.2f}x)"


# The map and the SDG dashboard (portal facts) ------------------------------------------------

MAP_FILTERS = ("", "programme", "sdg", "type", "category", "light", "theme", "sdg+type")


def _portal_params(sample: Sample) -> dict[str, str]:
    """A mix of the map's filters, one in eight unfiltered, values from a public commitment."""
    from pledgebook.organisations.models import Category
    from pledgebook.programmes.models import Programme
    from pledgebook.reporting.figures import LIGHTS

    kind = sample.rng.choice(MAP_FILTERS)
    pk = sample.rng.choice(sample.public_ids)
    params: dict[str, str] = {}
    for name in filter(None, kind.split("+")):
        if name == "programme":
            params[name] = Programme.objects.filter(is_published=True).values_list(
                "slug", flat=True
            )[0]
        elif name == "theme":
            theme = Commitment.themes.through.objects.filter(commitment_id=pk).first()
            params[name] = str(theme.theme_id) if theme else ""
        elif name == "category":
            params[name] = sample.rng.choice(list(Category.values))
        elif name == "light":
            params[name] = sample.rng.choice(list(LIGHTS))
        else:
            params[name] = str(sample.rng.choice(sample.relations(pk)[name]))
    return {k: v for k, v in params.items() if v}


def map_url(sample: Sample) -> str:
    params = _portal_params(sample)
    measure = sample.rng.choice(["count", "count", "pledged", "disbursed"])
    return f"/map/?{urlencode({**params, 'measure': measure})}"


def sdgs_url(sample: Sample) -> str:
    params = {k: v for k, v in _portal_params(sample).items() if k != "sdg"}
    return f"/sdgs/?{urlencode(params)}" if params else "/sdgs/"


def _ready_portal(path: str) -> Callable[[Client, Sample], str | None]:
    def ready(client: Client, sample: Sample) -> str | None:
        from pledgebook.portal.models import CommitmentFact

        r = client.get(path)
        if r.status_code != 200:
            return f"GET {path} answers {r.status_code}"
        if CommitmentFact.objects.count() != Commitment.objects.public().count():
            return "the facts are not built (bench.worker prepare builds them)"
        return None

    return ready


def fresh_after_change(client: Client, name: str, n: int) -> None:
    """Confirm one submitted commitment through the domain, then time the page: the change
    must be visible at once (its country's count up by one on the map; its goal's on the
    dashboard)."""
    from django.contrib.auth import get_user_model

    from pledgebook.commitments import domain
    from pledgebook.portal import aggregates

    candidate = (
        Commitment.objects.filter(status=Commitment.Status.SUBMITTED, countries__isnull=False)
        .filter(goals__isnull=False)
        .order_by("pk")
        .first()
    )
    if candidate is None:
        log(f"{name}: no submitted commitment left to confirm: freshness not measured")
        return
    reviewer, _ = get_user_model().objects.get_or_create(
        username="bench-reviewer",
        defaults={"email": "bench-reviewer@example.org", "is_superuser": True, "is_staff": True},
    )
    country = candidate.countries.order_by("pk").first()
    goal = candidate.goals.order_by("pk").first()
    assert country is not None and goal is not None
    if name == "home_page":
        url = "/"
        count = public_commitments().count()
    elif name == "map_aggregates":
        url = "/map/"
        before = aggregates.by_country({}).get(country.pk)
        count = before.commitments if before else 0
    else:
        url = "/sdgs/"
        count = aggregates.by_goal({}).by_goal[goal.pk].commitments
    t0 = time.perf_counter()
    domain.confirm_commitment(actor=reviewer, commitment=candidate)
    page = body(client.get(url)).decode()
    elapsed = (time.perf_counter() - t0) * 1000
    if name == "home_page":
        row = r"Confirmed commitments</dt>\s*<dd>" + f"{count + 1}</dd>"
        visible = re.search(row, page) is not None
    elif name == "map_aggregates":
        label = f"{country.name}: {count + 1} commitments"
        visible = html.escape(label) in page
    else:
        # The goal's row: its link, its title, then the commitments' count in the first cell.
        row = (
            rf'<a href="/sdgs/{goal.pk}/">[^<]*</a>(?:(?!</tr>).)*?</th>\s*'
            rf'<td class="num">{count + 1}</td>'
        )
        visible = re.search(row, page, re.S) is not None
    emit(name, db_label(), n, "fresh_after_change_ms", round(elapsed, 2), visible=visible)
    log(
        f"{name}: confirmed commitment {candidate.pk}; {url} "
        f"{'shows' if visible else 'DOES NOT show'} it {elapsed:.1f} ms after the confirmation"
    )


BENCHES: dict[str, tuple[Callable, Callable]] = {
    "directory_search": (Sample.directory_url, ready_directory),
    "commitment_page": (Sample.page_url, ready_page),
    "api_commitments": (Sample.api_url, ready_api),
    "home_page": (Sample.home_url, ready_home),
    "map_aggregates": (map_url, _ready_portal("/map/")),
    "sdg_dashboard": (sdgs_url, _ready_portal("/sdgs/")),
}
#: Benchmarks that also time a change becoming visible.
AFTER_CHANGE = {"map_aggregates", "sdg_dashboard", "home_page"}
#: Benchmarks of one URL whose figures are cached: the cost of a miss timed too.
MISSES = {"home_page": 5}
#: Benchmarks whose figures are cached (``portal.aggregates``): timed twice, every request a
#: miss (the cache cleared before each: the honest cost of computing) and a realistic mix
#: (visitors asking the same popular filters again: mostly hits).
CACHED = {"map_aggregates", "sdg_dashboard"}
#: The mix: this many distinct filter sets, the i-th asked with weight 1/(i+1) (Zipf).
POPULAR = 25


def time_misses(client: Client, urls: list[str]) -> list[float]:
    """Each request a cache miss: the cache cleared (untimed) before it."""
    from django.core.cache import cache

    timings = []
    for url in urls:
        cache.clear()
        timings.extend(time_requests(client, [url]))
    return timings


def cached_bench(
    client: Client, sample: Sample, name: str, make_url: Callable, args: argparse.Namespace, n: int
) -> None:
    from django.core.cache import cache

    db = db_label()
    urls = [make_url(sample) for _ in range(args.requests)]
    time_misses(client, [make_url(sample) for _ in range(args.warmup)])
    gc.collect()
    misses = time_misses(client, urls)
    emit(name, db, n, "miss_p50_ms", round(statistics.median(misses), 2))
    emit(name, db, n, "miss_p95_ms", round(percentile(misses, 95), 2))
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        body(client.get(urls[0]))
    emit(name, db, n, "miss_queries", len(ctx.captured_queries))
    pool = [make_url(sample) for _ in range(POPULAR)]
    mix = sample.rng.choices(pool, weights=[1 / (i + 1) for i in range(POPULAR)], k=len(urls))
    cache.clear()  # the mix starts cold: its first request of each filter set is a miss
    gc.collect()
    timings = time_requests(client, mix)
    p50, p95 = statistics.median(timings), percentile(timings, 95)
    emit(name, db, n, "p50_ms", round(p50, 2))
    emit(name, db, n, "p95_ms", round(p95, 2))
    emit(name, db, n, "mix_misses", len(set(mix)), of=len(mix))
    queries = count_queries(client, mix)  # all hits now
    emit(name, db, n, "queries", max(queries))
    log(
        f"{name}: {len(urls)} misses p50 {statistics.median(misses):.1f} ms, p95 "
        f"{percentile(misses, 95):.1f} ms, max {max(misses):.1f} ms; mix of {len(mix)} "
        f"requests over {len(set(mix))} filter sets: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"(target p95 <= 200 ms); queries {len(ctx.captured_queries)} a miss, "
        f"{sorted(set(queries))} a hit"
    )
    slowest = sorted(zip(misses, urls, strict=True), reverse=True)[:3]
    log("slowest misses: " + "; ".join(f"{t:.1f} ms {u}" for t, u in slowest))


def run(args: argparse.Namespace, meta: dict) -> None:
    db = db_label()
    n = meta["n"]
    call_command("collectstatic", interactive=False, verbosity=0)
    rng = random.Random(args.seed + 1)
    sample = Sample(rng, meta)
    client = Client()
    only = [b for b in args.only.split(",") if b] or list(BENCHES)
    for name in only:
        make_url, ready = BENCHES[name]
        problem = ready(client, sample)
        if problem:
            log(f"SKIP {name}: {problem}")
            continue
        if name in CACHED:
            cached_bench(client, sample, name, make_url, args, n)
            fresh_after_change(client, name, n)
            continue
        warmup = [make_url(sample) for _ in range(args.warmup)]
        urls = [make_url(sample) for _ in range(args.requests)]
        time_requests(client, warmup)
        gc.collect()
        timings = time_requests(client, urls)
        captured = capture_queries(client, urls)
        queries = [len(sqls) for sqls in captured]
        raw_sql = time_raw_sql(captured)
        rows = [result_count(u) for u in urls]
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        emit(name, db, n, "p50_ms", round(p50, 2))
        emit(name, db, n, "p95_ms", round(p95, 2))
        with_rows = [q for q, r in zip(queries, rows, strict=True) if r is None or r > 0]
        distinct = sorted(set(with_rows))
        extra = {} if len(distinct) <= 1 else {"varies": distinct}
        emit(name, db, n, "queries", max(with_rows) if with_rows else max(queries), **extra)
        sql_summary = emit_raw_sql(name, n, p95, raw_sql)
        found = [r for r in rows if r is not None]
        summary = ""
        if found:
            summary = (
                f"; rows found: median {statistics.median(found)}, max {max(found)}, "
                f"{sum(1 for r in found if r == 0)} of {len(found)} empty"
            )
        log(
            f"{name}: {len(urls)} requests, p50 {p50:.1f} ms, p95 {p95:.1f} ms, max "
            f"{max(timings):.1f} ms (target p95 <= {TARGET_P95_MS:.0f} ms: "
            f"{p95 / TARGET_P95_MS:.2f}x); {sql_summary}; queries {sorted(set(queries))}"
            f"{summary}"
        )
        slowest = sorted(zip(timings, urls, strict=True), reverse=True)[:3]
        log("slowest: " + "; ".join(f"{t:.1f} ms {u}" for t, u in slowest))
        if name in MISSES:
            misses = time_misses(client, urls[: MISSES[name]])
            emit(name, db, n, "miss_p50_ms", round(statistics.median(misses), 2))
            emit(name, db, n, "miss_max_ms", round(max(misses), 2))
            log(f"{name}: {len(misses)} cache misses: {', '.join(f'{t:.1f}' for t in misses)} ms")
        if name in AFTER_CHANGE:
            fresh_after_change(client, name, n)
