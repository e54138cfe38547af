"""Regenerate the reference CSV files in this folder from the public source files.

This is a one-off tool for maintainers. The product never runs it: at run time the
reference data is read from the CSV files it writes (``regions.csv``, ``countries.csv``,
``currencies.csv``, ``goals.csv``, ``targets.csv``) by ``pledgebook.reference.loading``.
The sources, their licences and every transformation are described in ``SOURCES.md``.

Usage, from the project root, with the shared real-data folder checked out next to it::

    .venv/bin/python pledgebook/reference/data/build.py ../shared/realdata

or name each source file explicitly (any option overrides the file found under the folder)::

    .venv/bin/python pledgebook/reference/data/build.py \\
        --countries ../shared/realdata/countries/crafd_full_country_list_with_stats.csv \\
        --developed ../shared/realdata/countries/unsd_m49_with_developed_developing_flag.csv \\
        --country-codes ../shared/realdata/countries/datasets_country-codes.csv \\
        --sdg ../shared/realdata/sdg_framework/\\
global_indicator_framework_after_2025_review_A_RES_71_313_annex.csv

The script validates what it reads (17 goals, 169 targets, unique codes, a region and a
sub-region for every country it keeps) and exits with an error rather than write a partial
file. Only the standard library is used, and every value is read as text: the ISO code of
Namibia is the string ``"NA"``, which is never treated as a missing value.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

HERE = Path(__file__).resolve().parent

CRAFD_COUNTRIES = Path("countries/crafd_full_country_list_with_stats.csv")
UNSD_DEVELOPED = Path("countries/unsd_m49_with_developed_developing_flag.csv")
COUNTRY_CODES = Path("countries/datasets_country-codes.csv")
SDG_FRAMEWORK = Path(
    "sdg_framework/global_indicator_framework_after_2025_review_A_RES_71_313_annex.csv"
)

# The CRAFd file writes a missing code as the literal "NA" (R's missing value). Only the
# region code columns are allowed to be missing; "NA" in iso_alpha2_code is Namibia.
MISSING_CODES = {"", "NA"}

# Currencies the source leaves blank although ISO 4217 assigns one (documented in
# SOURCES.md). datasets/country-codes has no currency at all for Türkiye (renamed row).
CURRENCY_OVERRIDES: dict[str, tuple[str, str]] = {
    "TR": ("TRY", "Turkish Lira"),
}

EXPECTED_GOALS = 17
EXPECTED_TARGETS = 169

GOAL_RE = re.compile(r"^Goal (\d{1,2})\.\s+(.+)$")
TARGET_RE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])\s+(.+)$")
# A footnote marker glued to the last word of a cell, e.g. "... and its impacts3".
FOOTNOTE_RE = re.compile(r"(?<=[A-Za-z])\d+$")


class BuildError(Exception):
    """The source data does not look as expected; nothing is written."""


@dataclass(frozen=True)
class RegionRow:
    m49: str
    name: str
    level: str
    parent_m49: str


@dataclass(frozen=True)
class CountryRow:
    iso2: str
    iso3: str
    m49: str
    name: str
    region_m49: str
    sub_region_m49: str
    is_ldc: bool
    is_lldc: bool
    is_sids: bool
    is_developed: bool
    currency: str
    intermediate_region_m49: str


@dataclass(frozen=True)
class TargetRow:
    code: str
    goal: int
    position: int
    text: str


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file as text only (``utf-8-sig`` drops the byte-order mark)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def clean_text(value: str) -> str:
    """Normalise typography from the PDF/Word export, keep the official wording."""
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\u2011", "-")  # non-breaking hyphen
    value = value.replace("\xa0", " ")  # non-breaking space
    return " ".join(value.split())


def m49(value: str) -> str:
    """An M49 code as three digits ("12" and "012" both give "012")."""
    value = value.strip()
    if not value.isdigit() or len(value) > 3:
        raise BuildError(f"not an M49 code: {value!r}")
    return value.zfill(3)


def optional_m49(value: str) -> str:
    return "" if value.strip() in MISSING_CODES else m49(value)


def flag(value: str) -> bool:
    value = value.strip().upper()
    if value not in {"TRUE", "FALSE"}:
        raise BuildError(f"not a TRUE/FALSE flag: {value!r}")
    return value == "TRUE"


def pick_currency(iso2: str, codes: str, names: str) -> tuple[str, str] | None:
    """The country's own currency from the ISO 4217 columns of datasets/country-codes.

    Some countries list several currencies ("LSL,ZAR", "INR,BTN"). ISO 4217 codes start
    with the country's ISO 3166 alpha-2 code, so the first code that does is the national
    currency; otherwise the first code listed. No code (e.g. "No universal currency"): None.
    """
    if iso2 in CURRENCY_OVERRIDES:
        return CURRENCY_OVERRIDES[iso2]
    code_list = [c.strip() for c in codes.split(",") if c.strip()]
    if not code_list:
        return None
    name_list = [n.strip() for n in names.split(",")]
    if len(name_list) != len(code_list):
        raise BuildError(f"{iso2}: {codes!r} and {names!r} do not pair up")
    pairs = list(zip(code_list, name_list, strict=True))
    for code, name in pairs:
        if code.startswith(iso2):
            return code, name
    return pairs[0]


def build_currencies(
    country_codes: list[dict[str, str]], countries: list[CountryRow]
) -> dict[str, str]:
    """Code -> name of the currency of at least one shipped country.

    Names come from the ISO 4217 columns of datasets/country-codes. Secondary currencies
    that are no shipped country's own (UYW, an index unit of Uruguay; VED, which shares its
    name with VES) are left out.
    """
    names: dict[str, str] = dict(CURRENCY_OVERRIDES.values())
    for row in country_codes:
        codes = row["ISO4217-currency_alphabetic_code"]
        labels = row["ISO4217-currency_name"]
        code_list = [c.strip() for c in codes.split(",") if c.strip()]
        if not code_list:
            continue
        label_list = [n.strip() for n in labels.split(",")]
        if len(label_list) != len(code_list):
            raise BuildError(f"{codes!r} and {labels!r} do not pair up")
        for code, name in zip(code_list, label_list, strict=True):
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise BuildError(f"not an ISO 4217 code: {code!r}")
            if names.setdefault(code, name) != name:
                raise BuildError(f"{code} has two names: {names[code]!r}, {name!r}")
    used = {c.currency for c in countries if c.currency}
    missing = used - names.keys()
    if missing:
        raise BuildError(f"currencies without a name: {sorted(missing)}")
    return {code: names[code] for code in sorted(used)}


def build_countries(
    crafd: list[dict[str, str]],
    developed: list[dict[str, str]],
    country_codes: list[dict[str, str]],
) -> tuple[list[RegionRow], list[CountryRow], list[str]]:
    """Regions and countries; returns the notes on rows dropped."""
    developed_by_iso3 = {r["ISO-alpha3 Code"]: r for r in developed if r["ISO-alpha3 Code"]}
    codes_by_iso3 = {r["ISO3166-1-Alpha-3"]: r for r in country_codes}

    regions: dict[str, RegionRow] = {}

    def add_region(code: str, name: str, level: str, parent: str) -> None:
        row = RegionRow(code, clean_text(name), level, parent)
        if regions.setdefault(code, row) != row:
            raise BuildError(f"region {code} is described twice: {regions[code]} / {row}")

    countries: list[CountryRow] = []
    dropped: list[str] = []
    for row in crafd:
        name = clean_text(row["country"])
        iso2 = row["iso_alpha2_code"].strip()  # "NA" is Namibia, not a missing value
        iso3 = row["iso_alpha3_code"].strip()
        code = m49(row["m49_code"])
        region = optional_m49(row["region_code"])
        sub_region = optional_m49(row["sub_region_code"])
        intermediate = optional_m49(row["intermediate_region_code"])
        if not re.fullmatch(r"[A-Z]{2}", iso2) or not re.fullmatch(r"[A-Z]{3}", iso3):
            raise BuildError(f"{name}: bad ISO codes {iso2!r} {iso3!r}")
        if not region or not sub_region:
            dropped.append(f"{name} ({iso2}, M49 {code}): no M49 region or sub-region")
            continue
        add_region(region, row["region_name"], "region", "")
        add_region(sub_region, row["sub_region_name"], "sub_region", region)
        if intermediate:
            add_region(intermediate, row["intermediate_region_name"], "intermediate", sub_region)

        dev = developed_by_iso3.get(iso3)
        if dev is None or m49(dev["M49 Code"]) != code:
            raise BuildError(f"{name}: not found in the UNSD developed/developing file")
        status = dev["Developed / Developing Countries"].strip()
        if status not in {"Developed", "Developing"}:
            raise BuildError(f"{name}: developed/developing status is {status!r}")

        codes = codes_by_iso3.get(iso3)
        if codes is None or codes["ISO3166-1-Alpha-2"].strip() != iso2:
            raise BuildError(f"{name}: not found in datasets/country-codes")
        currency = pick_currency(
            iso2, codes["ISO4217-currency_alphabetic_code"], codes["ISO4217-currency_name"]
        )

        countries.append(
            CountryRow(
                iso2=iso2,
                iso3=iso3,
                m49=code,
                name=name,
                region_m49=region,
                sub_region_m49=sub_region,
                is_ldc=flag(row["is_LDC"]),
                is_lldc=flag(row["is_LLDC"]),
                is_sids=flag(row["is_SIDS"]),
                is_developed=status == "Developed",
                currency=currency[0] if currency else "",
                intermediate_region_m49=intermediate,
            )
        )

    for key in ("iso2", "iso3", "m49"):
        values = [getattr(c, key) for c in countries]
        if len(values) != len(set(values)):
            raise BuildError(f"duplicate {key} among countries")
    level_order = {"region": 0, "sub_region": 1, "intermediate": 2}
    region_rows = sorted(regions.values(), key=lambda r: (level_order[r.level], r.m49))
    countries.sort(key=lambda c: c.iso2)
    return region_rows, countries, dropped


def build_sdg(rows: Iterable[Sequence[str]]) -> tuple[list[tuple[int, str]], list[TargetRow]]:
    """Goals and targets from the second column of the A/RES/71/313 annex export.

    Goal cells read "Goal 1. End poverty ...", target cells "1.1 By 2030, ...". Every other
    cell (title, notes, the section headings of Goal 17 such as "Finance", footnotes) and the
    indicator columns are ignored.
    """
    goals: list[tuple[int, str]] = []
    targets: list[TargetRow] = []
    positions: dict[int, int] = {}
    for row in rows:
        if len(row) < 2:
            continue
        cell = clean_text(row[1])
        goal_match = GOAL_RE.match(cell)
        if goal_match:
            number = int(goal_match.group(1))
            if number != len(goals) + 1:
                raise BuildError(f"goal {number} out of order")
            goals.append((number, FOOTNOTE_RE.sub("", goal_match.group(2)).rstrip()))
            continue
        target_match = TARGET_RE.match(cell)
        if target_match:
            goal = int(target_match.group(1))
            if not goals or goal != goals[-1][0]:
                raise BuildError(f"target {cell[:10]!r} outside its goal")
            positions[goal] = positions.get(goal, 0) + 1
            code = f"{goal}.{target_match.group(2)}"
            text = FOOTNOTE_RE.sub("", target_match.group(3)).rstrip()
            targets.append(TargetRow(code, goal, positions[goal], text))

    if len(goals) != EXPECTED_GOALS:
        raise BuildError(f"{len(goals)} goals, expected {EXPECTED_GOALS}")
    if len(targets) != EXPECTED_TARGETS:
        raise BuildError(f"{len(targets)} targets, expected {EXPECTED_TARGETS}")
    if len({t.code for t in targets}) != len(targets):
        raise BuildError("duplicate target codes")
    for number, _title in goals:
        suffixes = [t.code.split(".")[1] for t in targets if t.goal == number]
        numeric = [s for s in suffixes if s.isdigit()]
        letters = [s for s in suffixes if not s.isdigit()]
        expected = [str(i) for i in range(1, len(numeric) + 1)]
        expected += [chr(ord("a") + i) for i in range(len(letters))]
        if suffixes != expected:
            raise BuildError(f"goal {number}: targets {suffixes} are not 1..n then a..")
    return goals, targets


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["1" if v is True else "0" if v is False else v for v in row])
            count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("realdata", type=Path, nargs="?", help="the shared realdata folder")
    parser.add_argument("--countries", type=Path, help=f"default: REALDATA/{CRAFD_COUNTRIES}")
    parser.add_argument("--developed", type=Path, help=f"default: REALDATA/{UNSD_DEVELOPED}")
    parser.add_argument("--country-codes", type=Path, help=f"default: REALDATA/{COUNTRY_CODES}")
    parser.add_argument("--sdg", type=Path, help=f"default: REALDATA/{SDG_FRAMEWORK}")
    parser.add_argument("--out", type=Path, default=HERE, help="default: this folder")
    args = parser.parse_args(argv)

    def source(explicit: Path | None, relative: Path) -> Path:
        if explicit is not None:
            return explicit
        if args.realdata is None:
            parser.error(f"give the realdata folder or the path of {relative.name}")
        return Path(args.realdata) / relative

    try:
        crafd = read_csv(source(args.countries, CRAFD_COUNTRIES))
        developed = read_csv(source(args.developed, UNSD_DEVELOPED))
        country_codes = read_csv(source(args.country_codes, COUNTRY_CODES))
        with source(args.sdg, SDG_FRAMEWORK).open(newline="", encoding="utf-8-sig") as handle:
            goals, targets = build_sdg(csv.reader(handle))
        regions, countries, dropped = build_countries(crafd, developed, country_codes)
        currencies = build_currencies(country_codes, countries)
    except (BuildError, KeyError, OSError) as error:
        print(f"build.py: {error!r}", file=sys.stderr)
        return 1

    out: Path = args.out
    counts = {
        "regions.csv": write_csv(
            out / "regions.csv",
            ["m49", "name", "level", "parent_m49"],
            ((r.m49, r.name, r.level, r.parent_m49) for r in regions),
        ),
        "countries.csv": write_csv(
            out / "countries.csv",
            [field.name for field in fields(CountryRow)],
            (astuple(c) for c in countries),
        ),
        "currencies.csv": write_csv(
            out / "currencies.csv", ["code", "name"], sorted(currencies.items())
        ),
        "goals.csv": write_csv(out / "goals.csv", ["number", "title"], goals),
        "targets.csv": write_csv(
            out / "targets.csv",
            ["code", "goal", "position", "text"],
            ((t.code, t.goal, t.position, t.text) for t in targets),
        ),
    }
    for name, count in counts.items():
        print(f"{name}: {count} rows")
    for note in dropped:
        print(f"dropped {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
