"""Where a request's time goes: each query with its time, and the plan of the slowest.

    DATABASE_URL=... python -m bench.explain "/commitments/?q=waste&type=policy&country=NP"

Run it through ``bench/run.py --explain URL`` to get the benchmark's environment.
"""

import sys
import time

import django


def main(urls: list[str]) -> None:
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for url in urls:
        client.get(url)  # warm-up
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            _ = response.content
        total = (time.perf_counter() - t0) * 1000
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        print(f"\n== {connection.vendor} GET {url}: {response.status_code}, {total:.1f} ms total,")
        print(
            f"   {len(ctx.captured_queries)} queries {sql_ms:.1f} ms, rest {total - sql_ms:.1f} ms"
        )
        ranked = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
        for q in ranked:
            print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:300]}")
        slowest = ranked[0]["sql"]
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
        with connection.cursor() as cursor:
            cursor.execute(prefix + slowest)
            print(f"\n-- plan of: {slowest}")
            for row in cursor.fetchall():
                print("   ", " | ".join(str(c) for c in row))


if __name__ == "__main__":
    main(sys.argv[1:])
