"""Build the labelled pairs of tests/similarity/data/ from the real records (shared/realdata).

    .venv/bin/python bench/label_candidates.py          # var/labelling/: candidates, review.txt
    .venv/bin/python bench/label_candidates.py --write  # tests/similarity/data/labelled_pairs.jsonl

Step 1 lists candidate pairs from several sources (below), each with a stable id, and writes a
listing to read (var/labelling/review.txt).  Step 2 is a person (here: the engineer who built
the set) reading every candidate and writing a judgement a line into
tests/similarity/data/labels.tsv (``id``, ``same`` / ``related`` / ``unrelated`` / ``skip``,
a note).  Step 3 (``--write``) joins the judgements to the texts and writes the labelled set,
with a deterministic train/test split.  See tests/similarity/data/README.md for the sources,
the definitions of the labels and the counts.

Sources (all seeded, so the candidate ids are stable):

* ``title``  UNOC commitments sharing a title (case and spaces aside): every pair of a group,
  except pairs whose compared texts are identical (their cosine is 1 and says nothing);
* ``near``   UNOC commitments whose titles share at least half of their significant words
  (Jaccard >= 0.5 over words of 3+ letters, stop words aside), titles not identical;
* ``declared`` Climate initiatives and the initiatives their record names under "Related
  initiatives" (parent, sub-initiative, related, "now the same initiative");
* ``cross``  a climate initiative and an ocean commitment that names it in its title;
* ``nn``     for 120 commitments drawn at random, the commitment nearest to it by the model
  (those sharing its title aside): what the "similar initiatives" panel would show first;
* ``nn10``   for the first 60 of that draw, the 10th nearest: what a longer list shows;
* ``random`` 120 random pairs of commitments, 50 of climate initiatives, 40 across the two;
* ``translation`` a commitment (or climate initiative) and a description of the same
  initiative written in another language for this set (tests/similarity/data/translations.jsonl);
* ``translation-other`` that written description beside another commitment drawn at random
  among those of the original's first community of ocean action (a climate initiative drawn at
  random for a climate original): cross-language pairs that are mostly not the same.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import itertools
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import simdata

DATA = simdata.BASE_DIR / "tests" / "similarity" / "data"
LABELS = DATA / "labels.tsv"
TRANSLATIONS = DATA / "translations.jsonl"
OUT = DATA / "labelled_pairs.jsonl"
WORK = simdata.BASE_DIR / "var" / "labelling"
SEED = 20261205
TEST_SHARE = 3  # one pair in three is held out (by a hash of its id)

STOP = {
    "the",
    "of",
    "and",
    "for",
    "in",
    "on",
    "to",
    "a",
    "an",
    "by",
    "with",
    "through",
    "from",
    "at",
    "as",
    "its",
    "their",
    "our",
    "into",
    "via",
    "all",
    "de",
    "la",
    "el",
    "en",
    "y",
    "los",
    "las",
    "del",
    "le",
    "et",
    "des",
    "les",
    "du",
    "au",
    "por",
    "para",
    "con",
    "une",
    "un",
    "una",
}


MANUAL_CROSS = [
    (155, "#OceanAction40752"),  # International Alliance to Combat Ocean Acidification
    (155, "#OceanAction41171"),
    (155, "#OceanAction40818"),
    (155, "#OceanAction41589"),
    (252, "#OceanAction40725"),  # The Blue Carbon Initiative
    (7, "#OceanAction42460"),  # West African Coastal Areas Program
    (7, "#OceanAction40981"),
]


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in STOP and len(w) > 2}


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def side(ref: str, title: str, body: str | None) -> dict[str, str]:
    return {"ref": ref, "title": simdata.squash(title), "text": simdata.record_text(title, body)}


def unoc_side(row: dict) -> dict[str, str]:
    return side(simdata.unoc_ref(row), row["title"], row["description"])


def climate_side(index: int, row: dict) -> dict[str, str]:
    return side(
        simdata.climate_ref(index), row["Name of initiative"].strip('" '), row["Description"]
    )


def pair_id(source: str, a: str, b: str) -> str:
    a, b = sorted((a, b))
    return f"{source}:{a}|{b}"


def candidates(*, with_model: bool = True) -> list[dict]:
    unoc = simdata.unoc()
    climate = simdata.climate()
    rng = random.Random(SEED)
    out: dict[str, dict] = {}
    seen: set[tuple[str, ...]] = set()

    def add(source: str, a: dict[str, str], b: dict[str, str]) -> None:
        refs = tuple(sorted((a["ref"], b["ref"])))
        if a["ref"] == b["ref"] or a["text"] == b["text"] or refs in seen:
            return  # one pair once, under the first source that finds it
        seen.add(refs)
        key = pair_id(source, a["ref"], b["ref"])
        out[key] = {"id": key, "source": source, "a": a, "b": b}

    # title: shared titles
    groups: dict[str, list[int]] = collections.defaultdict(list)
    for i, row in enumerate(unoc):
        groups[simdata.squash(row["title"]).lower()].append(i)
    for members in groups.values():
        for i, j in itertools.combinations(members, 2):
            add("title", unoc_side(unoc[i]), unoc_side(unoc[j]))

    # near: titles sharing half of their words
    title_words = [words(row["title"]) for row in unoc]
    by_word: dict[str, set[int]] = collections.defaultdict(set)
    for i, ws in enumerate(title_words):
        for w in ws:
            by_word[w].add(i)
    for i, ws in enumerate(title_words):
        if len(ws) < 2:
            continue
        counted: collections.Counter[int] = collections.Counter()
        for w in ws:
            if len(by_word[w]) < 80:  # frequent words ("ocean", "marine") make no candidate
                counted.update(j for j in by_word[w] if j > i)
        for j in sorted(counted):
            jaccard = len(ws & title_words[j]) / len(ws | title_words[j])
            same_title = (
                groups[simdata.squash(unoc[i]["title"]).lower()]
                == groups[simdata.squash(unoc[j]["title"]).lower()]
            )
            if jaccard >= 0.5 and not same_title:
                add("near", unoc_side(unoc[i]), unoc_side(unoc[j]))

    # declared: the climate platform's own "Related initiatives"
    names = {}
    for i, row in enumerate(climate):
        name = row["Name of initiative"].strip('" ')
        names[norm(name)] = i
        short = norm(re.sub(r"\(.*?\)", "", name))
        if len(short) > 8:
            names.setdefault(short, i)
    for i, row in enumerate(climate):
        related = norm(row["Related initiatives"])
        for name, j in names.items():
            if j != i and len(name) > 8 and re.search(rf"\b{re.escape(name)}\b", related):
                add("declared", climate_side(i, row), climate_side(j, climate[j]))

    # cross: an ocean commitment naming a climate initiative in its title
    for i, row in enumerate(climate):
        name = row["Name of initiative"].strip('" ')
        keys = [norm(re.sub(r"\(.*?\)", "", name))]
        keys += [norm(a) for a in re.findall(r"\(([A-Z][A-Za-z]{3,12})\)", name)]
        keys = [k for k in keys if len(k) > 12 or (k and " " not in k and len(k) >= 4)]
        for commitment in unoc:
            title = norm(commitment["title"])
            if any(re.search(rf"\b{re.escape(k)}\b", title) for k in keys):
                add("cross", climate_side(i, row), unoc_side(commitment))

    # cross, found by hand: the ocean commitments that name a climate initiative in their
    # description (a search of the descriptions for each marine initiative's name and acronym)
    by_unoc_ref = {simdata.unoc_ref(row): row for row in unoc}
    for climate_index, ref in MANUAL_CROSS:
        add(
            "cross",
            climate_side(climate_index, climate[climate_index]),
            unoc_side(by_unoc_ref[ref]),
        )

    # translations written for this set
    if TRANSLATIONS.exists():
        other_rng = random.Random(SEED + 1)
        by_ref_rows = {simdata.unoc_ref(row): row for row in unoc}
        by_ref = {simdata.unoc_ref(row): unoc_side(row) for row in unoc}
        by_ref.update({simdata.climate_ref(i): climate_side(i, r) for i, r in enumerate(climate)})
        for line in TRANSLATIONS.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            original = by_ref[item["ref"]]
            written = {
                "ref": f"{item['ref']}@{item['lang']}",
                "title": item["title"],
                "text": simdata.cut(f"{item['title']}\n{item['text']}"),
                "lang": item["lang"],
            }
            add("translation", original, written)
            # the written text beside another record on the same theme (a community of ocean
            # action of the original), drawn at random: cross-language pairs that are not "same"
            theme = (by_ref_rows.get(item["ref"], {}).get("communities_of_ocean_action") or [""])[0]
            pool = [
                r
                for r in unoc
                if theme in (r.get("communities_of_ocean_action") or [])
                and simdata.unoc_ref(r) != item["ref"]
            ]
            other = (
                unoc_side(other_rng.choice(pool))
                if theme and pool
                else climate_side(*(lambda i: (i, climate[i]))(other_rng.randrange(len(climate))))
            )
            add("translation-other", written, other)

    # random pairs
    for _ in range(120):
        i, j = rng.sample(range(len(unoc)), 2)
        add("random", unoc_side(unoc[i]), unoc_side(unoc[j]))
    for _ in range(50):
        i, j = rng.sample(range(len(climate)), 2)
        add("random", climate_side(i, climate[i]), climate_side(j, climate[j]))
    for _ in range(40):
        i, j = rng.randrange(len(climate)), rng.randrange(len(unoc))
        add("random", climate_side(i, climate[i]), unoc_side(unoc[j]))

    # nn: what the panel would show
    if with_model:
        sample = rng.sample(range(len(unoc)), 120)
        cache = simdata.Cache()
        vectors = cache.embed([simdata.record_text(r["title"], r["description"]) for r in unoc])
        for n, i in enumerate(sample):
            scores = vectors @ vectors[i]
            mine = simdata.squash(unoc[i]["title"]).lower()
            order = [
                int(j)
                for j in np.argsort(-scores)
                if j != i and simdata.squash(unoc[j]["title"]).lower() != mine
            ]
            add("nn", unoc_side(unoc[i]), unoc_side(unoc[order[0]]))
            if n < 60:
                add("nn10", unoc_side(unoc[i]), unoc_side(unoc[order[9]]))
    return list(out.values())


def split_of(pair_id_: str) -> str:
    h = int(hashlib.sha256(pair_id_.encode()).hexdigest()[:8], 16)
    return "test" if h % TEST_SHARE == 0 else "train"


def read_labels() -> dict[str, tuple[str, str]]:
    labels = {}
    if LABELS.exists():
        with LABELS.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                if not row or row[0].startswith("#"):
                    continue
                labels[row[0]] = (row[1], row[2] if len(row) > 2 else "")
    return labels


def review(items: list[dict], path: Path) -> None:
    labels = read_labels()
    with path.open("w", encoding="utf-8") as handle:
        for item in items:
            if item["id"] in labels:
                continue
            handle.write(f"##### {item['id']}\n")
            for key in ("a", "b"):
                handle.write(f"  [{key}] {item[key]['text'][:420]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write the labelled set")
    parser.add_argument("--no-model", action="store_true", help="leave out the nn sources")
    args = parser.parse_args()
    simdata.setup_django()
    items = candidates(with_model=not args.no_model)
    WORK.mkdir(parents=True, exist_ok=True)
    with (WORK / "candidates.jsonl").open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    review(items, WORK / "review.txt")
    counts = collections.Counter(item["source"] for item in items)
    print(f"{len(items)} candidates: {dict(counts)}", file=sys.stderr)
    if not args.write:
        return
    labels = read_labels()
    known = {item["id"] for item in items}
    stale = sorted(set(labels) - known)
    if stale:
        raise SystemExit(f"labels for unknown candidates: {stale[:5]}")
    written = collections.Counter()
    with OUT.open("w", encoding="utf-8") as handle:
        for item in items:
            label, note = labels.get(item["id"], ("", ""))
            if label in ("", "skip"):
                continue
            if label not in ("same", "related", "unrelated"):
                raise SystemExit(f"{item['id']}: unknown label {label!r}")
            row = {**item, "label": label, "note": note, "split": split_of(item["id"])}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            written[(row["split"], label)] += 1
    print(f"wrote {OUT}: {dict(sorted(written.items()))}", file=sys.stderr)


if __name__ == "__main__":
    main()
