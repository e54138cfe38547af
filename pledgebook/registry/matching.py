"""Match an organisation named in an imported file to one already on the platform.

Names are compared *normalised* (case, accents, punctuation, "&"/"and", a leading "the" and
a parenthesised acronym set apart), so "The Ocean Foundation", "OCEAN FOUNDATION" and
"Ocean Foundation (TOF)" are the same name.  In order:

1. the same normalised name: score 100;
2. the same acronym: the file's acronym (in parentheses, or a name that is one word in
   capitals) is an existing organisation's acronym or its name: score 95;
3. a similar name (rapidfuzz ``token_sort_ratio``, word order ignored) of at least
   :data:`MATCH_SCORE`.

An organisation in another country never matches (when both countries are known): two
national chapters of one network are two organisations.  The best candidates (at least
:data:`CANDIDATE_SCORE`) are kept to show beside the decision, which the secretariat may change.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: A similar name at least this close is matched (token_sort_ratio, 0-100).
MATCH_SCORE = 92
#: Candidates at least this close are shown beside the decision.
CANDIDATE_SCORE = 80
SHOWN = 3

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&\-\.]{1,11})\)")
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def split_acronym(name: str) -> tuple[str, str]:
    """The name without its parenthesised acronym, and the acronym ('' when none): a name
    that is a single word in capitals ("WWF") is its own acronym."""
    name = (name or "").strip()
    found = _ACRONYM.search(name)
    if found:
        rest = (name[: found.start()] + name[found.end() :]).strip(" -,")
        return rest, found.group(1).replace(".", "").upper()
    bare = name.replace(".", "")
    if bare.isupper() and " " not in bare and 2 <= len(bare) <= 12:
        return name, bare.upper()
    return name, ""


def normalise(name: str) -> str:
    """The name as compared: folded, "&" read "and", punctuation and "the" dropped."""
    text = fold(split_acronym(name)[0]).replace("&", " and ")
    text = _PUNCTUATION.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    country: str
    score: float
    reason: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "score": round(self.score, 1),
            "reason": self.reason,
        }


class Matcher:
    """The organisations to match against, indexed once: ``(id, name, country iso2)``."""

    def __init__(self, organisations: Iterable[tuple[int, str, str]]) -> None:
        self.rows: list[tuple[int, str, str]] = []
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_acronym: dict[str, list[int]] = defaultdict(list)
        self.names: list[str] = []
        for row in organisations:
            index = len(self.rows)
            self.rows.append(row)
            key = normalise(row[1])
            self.names.append(_sorted_words(key))
            self.by_name[key].append(index)
            acronym = split_acronym(row[1])[1]
            if acronym:
                self.by_acronym[acronym].append(index)

    def _fits(self, index: int, country: str) -> bool:
        theirs = self.rows[index][2]
        return not country or not theirs or theirs == country

    def _candidate(self, index: int, score: float, reason: str) -> Candidate:
        pk, name, country = self.rows[index]
        return Candidate(pk, name, country, score, reason)

    def candidates(self, name: str, country: str) -> list[Candidate]:
        """The best organisations for ``name`` in ``country`` ('' = unknown), best first."""
        key = normalise(name)
        acronym = split_acronym(name)[1]
        found: dict[int, Candidate] = {}
        if key:
            for index in self.by_name.get(key, []):
                if self._fits(index, country):
                    found[index] = self._candidate(index, 100.0, "same name")
        if acronym:
            for index in self.by_acronym.get(acronym, []):
                if index not in found and self._fits(index, country):
                    found[index] = self._candidate(index, 95.0, "same acronym")
            for index in self.by_name.get(acronym.casefold(), []):
                if index not in found and self._fits(index, country):
                    found[index] = self._candidate(index, 95.0, "name is the acronym")
        if key and self.names:
            # token_sort_ratio with the words of every name sorted once, not at each
            # comparison: the same score, several times faster over thousands of names.
            for _choice, score, index in process.extract(
                _sorted_words(key),
                self.names,
                scorer=fuzz.ratio,
                score_cutoff=CANDIDATE_SCORE,
                limit=SHOWN + 5,
            ):
                if index not in found and self._fits(index, country):
                    found[index] = self._candidate(index, float(score), "similar name")
        ranked = sorted(found.values(), key=lambda c: (-c.score, c.name, c.id))
        return ranked[:SHOWN]

    def best(self, name: str, country: str) -> tuple[Candidate | None, list[Candidate]]:
        """The candidate to match (None: create the organisation) and every one shown."""
        shown = self.candidates(name, country)
        if shown and shown[0].score >= MATCH_SCORE:
            return shown[0], shown
        return None, shown
