"""The awkward instants at which the date-sensitive tests also run.

Every test marked ``dates`` runs once at the real clock and once at each instant below
(``tests/conftest.py`` parametrises it); ``pytest --clock=NAME`` (or an ISO 8601 instant) runs
the whole suite at one of them.  The clock is moved with time-machine and keeps ticking, so a
test that runs for a minute at ``year-end`` crosses into the new year, as a real one would.

Each instant names the time zone that is current while it runs: the dates a person reads are
in the programme's time zone, and a daylight-saving change is where a day has 23 or 25 hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Clock:
    name: str
    at: dt.datetime
    time_zone: str
    why: str


CLOCKS: dict[str, Clock] = {
    c.name: c
    for c in [
        Clock(
            "day-5",
            dt.datetime(2027, 3, 5, 9, 30, tzinfo=dt.UTC),
            "UTC",
            "a day 1-9: '%d' gives '05' where a page shows '5'",
        ),
        Clock(
            "leap-day",
            dt.datetime(2028, 2, 29, 12, 0, tzinfo=dt.UTC),
            "UTC",
            "29 February: a year later has no 29 February",
        ),
        Clock(
            "year-end",
            dt.datetime(2027, 12, 31, 23, 59, tzinfo=dt.UTC),
            "UTC",
            "31 December 23:59 UTC: the year, the month and the day change within a minute",
        ),
        Clock(
            "dst-new-york",
            dt.datetime(2027, 3, 14, 7, 30, tzinfo=dt.UTC),
            "America/New_York",
            "03:30 in New York half an hour after the clocks went forward: a 23-hour day",
        ),
        Clock(
            "dst-paris-autumn",
            dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC),
            "Europe/Paris",
            "02:30 in Paris, the first of the two: the clocks go back at 03:00, a 25-hour day",
        ),
    ]
}


def parse(value: str) -> Clock:
    """A clock by name, or any ISO 8601 instant (UTC when it names no offset)."""
    if value in CLOCKS:
        return CLOCKS[value]
    try:
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        names = ", ".join(CLOCKS)
        message = f"--clock: {value!r} is neither one of {names} nor an ISO 8601 instant"
        raise ValueError(message) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return Clock(value, at, "UTC", "given on the command line")
