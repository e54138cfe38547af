"""Records that may be the same initiative, said in an import's preview before anything is stored:
records of the file that share a title (several organisations registering one initiative, as
many #OceanAction records do), and records whose title a commitment of the programme's network
already has.  Titles are compared folded (case, accents, punctuation and spaces aside): a cheap
first look; once imported, the review's "same initiative" panel compares the texts by meaning
and the secretariat links the registrations there."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower

from pledgebook.commitments.duplicates import network_programmes
from pledgebook.commitments.models import Commitment
from pledgebook.programmes.models import Programme
from pledgebook.registry.matching import fold

_NOT_WORD = re.compile(r"[\W_]+")
#: Titles per query (SQLite's and PostgreSQL's limits on parameters are far above).
CHUNK = 2000


def title_key(title: str) -> str:
    return _NOT_WORD.sub(" ", fold(title or "")).strip()


@dataclass(frozen=True)
class Registered:
    """A commitment of the network with the same title as a record of the file."""

    pk: int
    title: str
    organisation: str
    programme: str
    programme_slug: str


def same_title_rows(rows: Iterable[dict[str, Any]]) -> dict[int, list[int]]:
    """For each row of the file, the other rows with the same title (rows set aside aside)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        key = title_key(r.get("title") or "")
        if key and not r.get("set_aside"):
            by_key[key].append(r["row"])
    return {
        row: [other for other in group if other != row]
        for group in by_key.values()
        if len(group) > 1
        for row in group
    }


def already_registered(
    programme: Programme, rows: Iterable[dict[str, Any]]
) -> dict[int, list[Registered]]:
    """For each of ``rows``, the submitted commitments of the programme's network with the same
    title: queried by the titles as written and in lower case (a query per ``CHUNK``
    titles), then compared here by their folded keys."""
    wanted: dict[str, list[int]] = defaultdict(list)
    titles: set[str] = set()
    for r in rows:
        title = (r.get("title") or "").strip()
        if title and not r.get("set_aside"):
            wanted[title_key(title)].append(r["row"])
            # As written too: SQLite's LOWER() folds ASCII letters only ("École").
            titles.update({title, title.lower()})
    if not wanted:
        return {}
    found: dict[int, list[Registered]] = defaultdict(list)
    network = network_programmes(programme)
    ordered = sorted(titles)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        commitments = (
            Commitment.objects.annotate(lowered=Lower("title"))
            .filter(Q(title__in=chunk) | Q(lowered__in=chunk), programme__in=network)
            .exclude(status=Commitment.Status.DRAFT)
            .values_list("pk", "title", "organisation__name", "programme__name", "programme__slug")
            .order_by("pk")
        )
        for pk, title, organisation, programme_name, slug in commitments:
            for row in wanted.get(title_key(title), []):
                found[row].append(Registered(pk, title, organisation, programme_name, slug))
    return dict(found)
