"""Regenerate ``knowledge.json`` (and ``vectors.npz``) for the SDG suggester.

A one-off tool for maintainers: the product never runs it and never reads the sources at run
time (``pledgebook.commitments.suggest`` reads the files this script writes).  Sources and
licences: ``README.md`` in this folder.

Usage, from the project root, with the shared real-data folder next to it::

    .venv/bin/python pledgebook/commitments/sdg_data/build.py ../shared/realdata
    .venv/bin/python pledgebook/commitments/sdg_data/build.py ../shared/realdata --vectors

``--vectors`` also embeds the goal and target texts with the model behind
``pledgebook.similarity.embedding`` (a minute of CPU) and writes ``vectors.npz``; without it
the suggester embeds them itself on first use when the shipped vectors were made by another
model.

The Aurora queries are Scopus boolean expressions (``"coral reef*" AND ( "pollut*" OR ... )``,
``W/3`` proximity, ``AND NOT``); they are parsed here into small JSON trees:
``["or", a, b, ...]``, ``["and", a, b, ...]``, ``["near", n, a, b]``, ``["not", a, b]`` and
terms (strings, ``*`` a suffix wildcard).  The script validates what it reads (17 goals, 169
targets, every target in six languages, every query parsed to the end) and exits with an error
rather than write a partial file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "es", "fr", "ru", "ar", "zh-Hans")
NS = {
    "aqd": "http://aurora-network.global/queries/namespace/",
    "dc": "http://dublincore.org/documents/dcmi-namespace/",
}
TOKEN = re.compile(
    r'\s*(?:(\()|(\))|"([^"]*)"|(AND\s+NOT)\b|(AND)\b|(OR)\b|(W/\d+|PRE/\d+)|([^\s()"]+))'
)


def tokenize(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    query = query.strip()
    while position < len(query):
        match = TOKEN.match(query, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read the query at {query[position : position + 30]!r}")
        position = match.end()
        lpar, rpar, quoted, and_not, and_, or_, near, bare = match.groups()
        if lpar:
            tokens.append(("(", "("))
        elif rpar:
            tokens.append((")", ")"))
        elif quoted is not None:
            tokens.append(("term", " ".join(quoted.split()).lower()))
        elif and_not:
            tokens.append(("andnot", ""))
        elif and_:
            tokens.append(("and", ""))
        elif or_:
            tokens.append(("or", ""))
        elif near:
            tokens.append(("near", near.split("/")[1]))
        elif bare:
            tokens.append(("term", bare.lower()))
    return tokens


class Parser:
    """Scopus precedence: OR binds tightest, then W/n, then AND, then AND NOT."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Any:
        tree = self.and_not()
        if self.at != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.at]} at token {self.at}")
        return tree

    def and_not(self) -> Any:
        left = self.and_()
        while self.peek() == "andnot":
            self.take()
            left = ["not", left, self.and_()]
        return left

    def and_(self) -> Any:
        parts = [self.near()]
        while self.peek() in ("and", "(", "term"):  # two terms side by side: AND
            if self.peek() == "and":
                self.take()
            parts.append(self.near())
        return parts[0] if len(parts) == 1 else ["and", *parts]

    def near(self) -> Any:
        left = self.or_()
        while self.peek() == "near":
            distance = int(self.take()[1])
            left = ["near", distance, left, self.or_()]
        return left

    def or_(self) -> Any:
        parts = [self.atom()]
        while self.peek() == "or":
            self.take()
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else ["or", *parts]

    def atom(self) -> Any:
        kind, value = self.take()
        if kind == "(":
            tree = self.and_not()
            if self.peek() != ")":
                raise ValueError("a parenthesis is not closed")
            self.take()
            return tree
        if kind == "term":
            return value
        raise ValueError(f"unexpected {kind} {value!r}")


def parse_query(text: str) -> Any:
    return Parser(tokenize(text)).parse()


def read_aurora(folder: Path) -> dict[str, list[Any]]:
    """Target code (or ``13.0``: goal 13 as a whole) -> parsed query lines, from
    query_SDG1.xml ... query_SDG17.xml."""
    queries: dict[str, list[Any]] = {}
    for goal in range(1, 18):
        root = ET.parse(folder / f"query_SDG{goal}.xml").getroot()  # noqa: S314 (a local file)
        for definition in root.iter(f"{{{NS['aqd']}}}query-definition"):
            uri = definition.find("dc:identifier[@type='uri']", NS)
            if uri is None or not uri.text:
                raise ValueError(f"SDG {goal}: a query definition without its target")
            code = uri.text.rsplit("/", 1)[1].strip()
            if re.fullmatch(r"\d+[a-z]", code):  # one typo in the source: "sdg/3c" for 3.c
                code = f"{code[:-1]}.{code[-1]}"
            if not code.startswith(f"{goal}."):
                raise ValueError(f"SDG {goal}: query for {code}")
            lines = queries.setdefault(code, [])
            for line in definition.iter(f"{{{NS['aqd']}}}query-line"):
                if line.text and line.text.strip():
                    lines.append(parse_query(line.text))
    return queries


def read_translations(folder: Path) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    import yaml  # a maintainers' tool: PyYAML is only needed here

    goals: dict[str, Any] = {str(n): {"title": {}, "short": {}} for n in range(1, 18)}
    targets: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with open(folder / language / "global_goals.yml", encoding="utf-8") as handle:
            goal_rows = yaml.safe_load(handle)
        with open(folder / language / "global_targets.yml", encoding="utf-8") as handle:
            target_rows = yaml.safe_load(handle)
        for number in range(1, 18):
            goals[str(number)]["title"][language] = " ".join(goal_rows[f"{number}-title"].split())
            goals[str(number)]["short"][language] = " ".join(goal_rows[f"{number}-short"].split())
        for key, text in target_rows.items():
            match = re.fullmatch(r"(\d+)-(\w+)-title", key)
            if match:
                code = f"{match[1]}.{match[2]}"
                targets.setdefault(code, {})[language] = " ".join(str(text).split())
    return goals, targets


def target_order(code: str) -> tuple[int, int, str]:
    goal, sub = code.split(".")
    return (int(goal), 0, f"{int(sub):03d}") if sub.isdigit() else (int(goal), 1, sub)


def build(realdata: Path) -> dict[str, Any]:
    goals, texts = read_translations(realdata / "sdg_framework" / "translations")
    queries = read_aurora(realdata / "aurora_sdg_queries")
    codes = sorted(texts, key=target_order)
    if len(codes) != 169:
        raise ValueError(f"{len(codes)} targets in the translations, expected 169")
    for code in codes:
        missing = [lang for lang in LANGUAGES if lang not in texts[code]]
        if missing:
            raise ValueError(f"target {code} has no text in {missing}")
    for number, goal in goals.items():  # "13.0": a query for the goal as a whole
        goal["queries"] = queries.pop(f"{number}.0", [])
    unknown = sorted(set(queries) - set(codes))
    if unknown:
        raise ValueError(f"Aurora queries for unknown targets {unknown}")
    return {
        "about": (
            "SDG goals and targets in six languages (open-sdg/sdg-translations, MIT) and the "
            "Aurora Universities Network SDG queries v5.0 (CC-BY-4.0, doi:10.5281/zenodo.3817445)"
            "; written by pledgebook/commitments/sdg_data/build.py, see README.md"
        ),
        "languages": list(LANGUAGES),
        "goals": goals,
        "targets": [
            {
                "code": code,
                "goal": int(code.split(".")[0]),
                "text": texts[code],
                "queries": queries.get(code, []),
            }
            for code in codes
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("realdata", type=Path)
    parser.add_argument("--vectors", action="store_true", help="also write vectors.npz")
    args = parser.parse_args(argv)
    try:
        data = build(args.realdata)
    except (OSError, ValueError, KeyError) as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    out = HERE / "knowledge.json"
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    with_queries = sum(1 for t in data["targets"] if t["queries"])
    print(f"wrote {out}: 17 goals, {len(data['targets'])} targets, {with_queries} with queries")
    if args.vectors:
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgebook.settings")
        import django

        django.setup()
        from pledgebook.commitments.suggest import write_vectors

        path = write_vectors(HERE / "vectors.npz")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
