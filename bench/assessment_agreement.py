"""Agreement of the strong-commitment assessment with careful human judgement; JSON lines.

    .venv/bin/python bench/assessment_agreement.py                # every part, every disagreement
    .venv/bin/python bench/assessment_agreement.py --part tuning  # what the rules were tuned on

The labelled set is ``tests/commitments/data/assessment_labelled.jsonl`` (54 commitments: 28
real UN Ocean Conference records in English, Spanish, French and Portuguese, 26 written across
stakeholder categories), each criterion labelled by hand before the rules were written (see
``tests/commitments/data/ASSESSMENT_LABELS.md``, which also says how it was split: a record is
held out when sha256(id) % 3 == 0, 21 of 54).

Prints, for each criterion and each part (tuning, held_out, all), one line
``{"bench": "assessment_agreement", "db": "none", "n": …, "metric": "agreement_<criterion>",
"part": …, "value": share}``, the same for all five criteria together (``agreement_all``), then
one line per disagreement (``"disagreement": true``) with the human label, the computed value,
the human's reason and the assessment's reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
LABELLED = BASE_DIR / "tests" / "commitments" / "data" / "assessment_labelled.jsonl"
CRITERIA = ("impact", "funding", "endorsement", "collective", "smart")
PARTS = ("tuning", "held_out", "all")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgebook.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnop")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load(path: Path = LABELLED) -> list[dict[str, Any]]:
    """The labelled records, each with ``data``: the CommitmentData the assessment reads
    (unsaved organisation and currency; countries by name; no database needed)."""
    from pledgebook.commitments.validation import CommitmentData
    from pledgebook.organisations.models import Organisation
    from pledgebook.reference.models import Currency

    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        r["data"] = CommitmentData(
            programme=None,  # type: ignore[arg-type]  # the assessment never reads it
            organisation=Organisation(name=r["organisation"], category=r["category"]),
            title=r["title"],
            description=r["description"],
            scope=r["scope"] or "national",
            countries=list(r["countries"]),
            starts_on=_date(r["starts_on"]),
            ends_on=_date(r["ends_on"]),
            amount=Decimal(r["amount"]) if r["amount"] else None,
            currency=Currency(code=r["currency"]) if r["currency"] else None,
            funds_are_new=r["funds_are_new"],
            endorsement_level=r["endorsement_level"],
            co_makers=[object()] * (r["co_makers_confirmed"] + r["co_makers_pending"]),
            confirmed_co_makers=r["co_makers_confirmed"],
            milestones=[(_date(day), text) for day, text in r["milestones"]],
            partners=list(r["partners"]),
        )
        records.append(r)
    return records


def in_part(record: dict[str, Any], part: str) -> bool:
    if part == "all":
        return True
    return record["part"] == ("heldout" if part == "held_out" else "tuning")


def measure(records: list[dict[str, Any]]) -> tuple[dict[tuple[str, str], float], list[dict]]:
    """Agreement by (criterion or "all", part), and every disagreement."""
    from pledgebook.commitments.assessment import assess

    computed = {r["id"]: {c.key: c for c in assess(r["data"]).criteria} for r in records}
    shares: dict[tuple[str, str], float] = {}
    for part in PARTS:
        chosen = [r for r in records if in_part(r, part)]
        pairs_all = 0
        agree_all = 0
        for key in CRITERIA:
            agree = sum(1 for r in chosen if computed[r["id"]][key].met == r["labels"][key]["met"])
            shares[(key, part)] = agree / len(chosen)
            agree_all += agree
            pairs_all += len(chosen)
        shares[("all", part)] = agree_all / pairs_all
    disagreements = [
        {
            "id": r["id"],
            "part": "held_out" if r["part"] == "heldout" else "tuning",
            "language": r["language"],
            "category": r["category"],
            "criterion": key,
            "human": r["labels"][key]["met"],
            "computed": computed[r["id"]][key].met,
            "human_reason": r["labels"][key]["reason"],
            "computed_reason": computed[r["id"]][key].reason,
        }
        for r in records
        for key in CRITERIA
        if computed[r["id"]][key].met != r["labels"][key]["met"]
    ]
    return shares, disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PARTS, default="all", help="whose disagreements to list")
    args = parser.parse_args()
    setup_django()
    records = load()
    shares, disagreements = measure(records)
    counts = {part: sum(1 for r in records if in_part(r, part)) for part in PARTS}
    for key in (*CRITERIA, "all"):
        for part in PARTS:
            if args.part != "all" and part != args.part:
                continue
            line = {
                "bench": "assessment_agreement",
                "db": "none",
                "n": counts[part],
                "metric": f"agreement_{key}",
                "part": part,
                "value": round(shares[(key, part)], 4),
            }
            print(json.dumps(line), flush=True)
    for d in disagreements:
        if args.part == "all" or d["part"] == args.part:
            print(
                json.dumps(
                    {"bench": "assessment_agreement", "disagreement": True, **d}, ensure_ascii=False
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
