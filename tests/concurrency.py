"""Two people acting on the same thing at once, each in a connection of its own (PostgreSQL's
row locks): the harness the two-connection tests share."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections, transaction


@dataclass
class Outcome:
    first: object  # "done", or the exception the first action raised
    second: object  # the same for the second
    second_waited: bool  # the second connection was seen waiting on a lock: they really met


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def at_once(
    load: Callable[[], Any],
    first: Callable[[Any], object],
    second: Callable[[Any], object],
    *,
    timeout: float = 60,
) -> Outcome:
    """Both people load their page (``load``, in each thread: what each saw), then act.
    ``first`` acts inside a transaction kept open (a slow request, not committed yet) until
    the second connection is seen waiting on a lock (10 s at most), then commits; ``second``
    acts once ``first`` has acted."""
    both_loaded = threading.Barrier(2, timeout=30)
    first_acted = threading.Event()
    outcomes: dict[str, object] = {}

    def run_first() -> None:
        try:
            seen = load()
            both_loaded.wait()
            with transaction.atomic():
                first(seen)
                first_acted.set()
                for _attempt in range(200):
                    if _waiting_on_a_lock():
                        outcomes["second waited"] = True
                        break
                    threading.Event().wait(0.05)
            outcomes["first"] = "done"
        except Exception as exc:  # reported to the test
            outcomes["first"] = exc
        finally:
            first_acted.set()
            connections.close_all()

    def run_second() -> None:
        try:
            seen = load()
            both_loaded.wait()
            first_acted.wait(timeout=30)
            second(seen)
            outcomes["second"] = "done"
        except Exception as exc:  # reported to the test
            outcomes["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return Outcome(
        first=outcomes.get("first"),
        second=outcomes.get("second"),
        second_waited=outcomes.get("second waited") is True,
    )
