"""Areas as bitmasks of countries, so that "do these two areas share a country?" is a
condition in SQL (``(geo0 & x0) <> 0 OR …``) on both databases.

A country's bit is its rank by UN M49 code among the installed countries (``reference``), 60
bits to a column (``geo0`` … ``geo4``: room for 300 countries; signed 64-bit integers never
see their sign bit).  A region stands for every country in it (at any level of M49).  An
empty area is an empty mask: for an investor it means anywhere (no constraint).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pledgebook.reference.models import Country

BITS = 60
WORDS = 5
Mask = tuple[int, int, int, int, int]
EMPTY: Mask = (0, 0, 0, 0, 0)


@cache
def _ranks() -> dict[str, int]:
    codes = sorted(Country.objects.values_list("iso2", "m49"), key=lambda row: int(row[1]))
    if len(codes) > BITS * WORDS:  # pragma: no cover - reference data of 300+ countries
        raise RuntimeError("more countries than the area bitmasks hold")
    return {iso2: rank for rank, (iso2, _m49) in enumerate(codes)}


def countries_of(countries: Iterable[str], regions: Iterable[str]) -> set[str]:
    """ISO codes of the countries given and of every country in the regions given (M49)."""
    found = set(countries)
    region_codes = list(regions)
    if region_codes:
        found.update(
            Country.objects.filter(region_id__in=region_codes).values_list("iso2", flat=True)
        )
        found.update(
            Country.objects.filter(sub_region_id__in=region_codes).values_list("iso2", flat=True)
        )
        found.update(
            Country.objects.filter(intermediate_region_id__in=region_codes).values_list(
                "iso2", flat=True
            )
        )
    return found


def mask(iso2_codes: Iterable[str]) -> Mask:
    ranks = _ranks()
    words = [0] * WORDS
    for code in iso2_codes:
        rank = ranks[code]
        words[rank // BITS] |= 1 << (rank % BITS)
    return (words[0], words[1], words[2], words[3], words[4])


def overlaps(a: Mask, b: Mask) -> bool:
    return any(x & y for x, y in zip(a, b, strict=True))


def is_empty(m: Mask) -> bool:
    return not any(m)
