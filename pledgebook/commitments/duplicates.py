"""The same initiative registered twice: the commitments most similar to one, with reasons.

Commitments have the semantic index coalitions have: the text of a commitment (its title and
description) is embedded by the similarity engine under the kind ``"commitment"``.  A change
of a commitment (``commitments.domain`` calls its ``on_changed`` hooks inside the change's
transaction) marks it in the similarity backlog (``similarity.tasks.queue_index``), worked
through in batches by the background task, which reads the current text from the source
registered here when it runs; a commitment that is gone loses its vector there.

    from pledgebook.commitments.duplicates import similar_commitments, similar_to_draft
    for s in similar_commitments(commitment, k=5):
        s.commitment, s.score, s.label, s.reasons

    # While a maker types (nothing stored), and for each record of an import:
    similar_to_draft(programme=p, organisation=org, title=..., description=...)

Scope: the commitments of the programmes that share the programme's network (the setting
coalitions use: ``network_programmes``), never drafts.  What a person may see decides the
rest: everyone sees the public commitments of the network; the programme's staff
(``staff=True``) also the submitted ones of their own programme; a maker also its own
organisation's submitted ones.  A commitment is never suggested to itself nor to a
commitment it is already registered with (``commitments.initiatives``).

The candidates are the nearest commitments in meaning (the engine's index); each is then scored
by ``similarity.duplicates.score_pair`` (titles, lead organisations, countries, dates, shared
wording and the cosine, read apart across languages), which gives the score (0-1), the label
("same": probably the same initiative, "related") and the reasons a person can check; those
it labels neither are not shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from pledgebook.commitments.models import Commitment, Registration
from pledgebook.programmes.models import Programme
from pledgebook.reference.models import Country
from pledgebook.similarity import engine
from pledgebook.similarity.duplicates import Record, score_pair
from pledgebook.similarity.tasks import queue_index

KIND = "commitment"

#: At most this many characters of a text are compared (the model reads about 350 words).
MAX_CHARS = 4000

#: Nearest neighbours asked of the index per round, as a multiple of ``k``: the hits outside
#: the scope are dropped by one query, and the next round asks for more.
_ROUNDS = (4, 32, 256)


# Text and indexing -------------------------------------------------------------------------------


def compose_text(title: str, description: str) -> str:
    """The text a commitment is compared by: its title and description, one a line."""
    parts = [title or "", description or ""]
    return "\n".join(p.strip() for p in parts if p.strip())[:MAX_CHARS]


def similarity_text(commitment: Commitment) -> str:
    return compose_text(commitment.title, commitment.description)


def _commitment_text(pk: int) -> str | None:
    row = Commitment.objects.filter(pk=pk).values("title", "description").first()
    return None if row is None else compose_text(row["title"], row["description"])


def register_text_source() -> None:
    """Called once from ``CommitmentsConfig.ready``."""
    engine.register_text_source(KIND, _commitment_text)


def reindex(*, commitment_ids: Iterable[int]) -> None:
    """Queue the (re)indexing of commitments (a hook of ``commitments.domain.on_changed``, run
    inside the change's transaction; an unchanged text is not embedded again).  The backlog
    counts them per programme."""
    by_programme: dict[int, list[int]] = {}
    rows = Commitment.objects.filter(pk__in=list(commitment_ids)).values_list("pk", "programme_id")
    for pk, programme_id in rows:
        by_programme.setdefault(programme_id, []).append(pk)
    for programme_id, ids in by_programme.items():
        queue_index(KIND, ids, scope=programme_id)


def reindex_programme(programme: Programme) -> None:
    """Queue every commitment of a programme (a backfill, an import)."""
    ids = list(Commitment.objects.filter(programme=programme).values_list("pk", flat=True))
    if ids:
        queue_index(KIND, ids, scope=programme.pk)


# Scope -------------------------------------------------------------------------------------------


def network_programmes(programme: Programme) -> QuerySet[Programme]:
    """The programmes whose commitments may be registrations of one initiative with this
    one's: the programmes sharing the network (the coalitions' setting, read by its relation
    name since commitments do not import coalitions: ``coalitions.similar.network_programmes``,
    and a test checks that both agree), or the programme alone."""
    alone = Programme.objects.filter(pk=programme.pk, coalition_settings__shares_network=False)
    if alone.exists():
        return Programme.objects.filter(pk=programme.pk)
    return Programme.objects.exclude(coalition_settings__shares_network=False)


def in_network(programme: Programme, other: Programme) -> bool:
    return network_programmes(programme).filter(pk=other.pk).exists()


def _visible(
    programme: Programme, *, staff: bool, organisation: Any = None
) -> QuerySet[Commitment]:
    """The commitments that may be suggested (before excluding the commitment itself)."""
    seen = Q(status__in=Commitment.PUBLIC_STATUSES)
    if staff:
        seen |= Q(programme=programme)
    elif organisation is not None:
        seen |= Q(programme=programme, organisation=organisation)
    return (
        Commitment.objects.filter(programme__in=network_programmes(programme))
        .exclude(status=Commitment.Status.DRAFT)
        .filter(seen)
    )


# Scores and reasons ------------------------------------------------------------------------------


@dataclass
class Similar:
    commitment: Commitment
    score: float
    label: str | None = None  # "same" (probably the same initiative), "related" or None
    reasons: list[str] = field(default_factory=list)
    cosine: float = 0.0

    @property
    def is_match(self) -> bool:
        """Probably the same initiative: worth linking (a person decides)."""
        return self.label == "same"

    @property
    def shown_score(self) -> float:
        """Cut (not rounded) to two decimals: a score shown as 0.55 is never below 0.55."""
        return math.floor(self.score * 100) / 100


#: Characters of a description the pair scorer reads (it compares the first 1,500 of the
#: folded texts; the language is told from the same part).
SCORED_CHARS = 1500


def record_of(commitment: Commitment, countries: Iterable[str] | None = None) -> Record:
    """What the pair scorer reads of a commitment; ``countries``: their names when read
    already (else they are read)."""
    if countries is None:
        countries = [c.name for c in commitment.countries.all()] if commitment.pk else []
    return Record(
        title=commitment.title,
        description=commitment.description[:SCORED_CHARS],
        lead_organisation=commitment.organisation.name if commitment.organisation_id else "",
        countries=tuple(countries),
        start_date=commitment.starts_on,
        end_date=commitment.ends_on,
    )


def _pair(mine: Record, theirs: Record, cosine: float) -> tuple[float, str | None, list[str]]:
    """The pair's score, label and reasons (``similarity.duplicates.score_pair``: titles, lead
    organisations, countries, dates, shared wording and the cosine, across languages)."""
    result = score_pair(mine, theirs, cosine)
    return result.score, result.label, [str(r) for r in result.reasons]


# The functions -----------------------------------------------------------------------------------


def _linked_ids(commitment_id: int | None) -> set[int]:
    if commitment_id is None:
        return set()
    return set(
        Registration.objects.filter(
            initiative__registrations__commitment_id=commitment_id
        ).values_list("commitment_id", flat=True)
    )


def _ranked(
    vector: Any, candidates: QuerySet[Commitment], *, n: int, exclude: set[int]
) -> list[tuple[int, float]]:
    """The ``n`` nearest commitments of ``candidates`` as (pk, cosine), best first: the index
    is asked for a few times ``n`` of every commitment, those outside ``candidates`` dropped
    by one query, and asked again for more while too few remain (a narrow scope)."""
    index = engine.get_index()
    keys = {(KIND, pk) for pk in exclude}
    for factor in _ROUNDS:
        asked = n * factor
        hits = index.nearest(vector, {KIND}, k=asked, exclude=keys)
        allowed = set(
            candidates.filter(pk__in=[object_id for _k, object_id, _c in hits]).values_list(
                "pk", flat=True
            )
        )
        found = [(object_id, cosine) for _k, object_id, cosine in hits if object_id in allowed]
        if len(found) >= n or len(hits) < asked:
            return found[:n]
    # Still too few after the widest round: score the allowed rows exactly.
    allowed_ids = list(candidates.exclude(pk__in=exclude).values_list("pk", flat=True))
    hits = index.nearest(vector, {KIND}, k=n, allowed_ids={KIND: allowed_ids})
    return [(object_id, cosine) for _k, object_id, cosine in hits]


#: Nearest neighbours in meaning rescored by the pair scorer for a top ``k``: max(k + 5, 10)
#: (each pair costs 2-7 ms of the scorer's text comparisons: bench/similar_commitments.py).
CANDIDATES = 10


def _suggest(
    vector: Any,
    mine: Record,
    candidates: QuerySet[Commitment],
    *,
    k: int,
    exclude: set[int],
) -> list[Similar]:
    """The nearest neighbours in meaning, rescored by the pair scorer; those it calls neither
    the same nor related are left out."""
    ranked = _ranked(vector, candidates, n=max(k + 5, CANDIDATES), exclude=exclude)
    if not ranked:
        return []
    ids = [pk for pk, _c in ranked]
    rows = {
        c.pk: c
        for c in Commitment.objects.filter(pk__in=ids).select_related("organisation", "programme")
    }
    names: dict[int, list[str]] = {}
    links = Commitment.countries.through.objects.filter(commitment_id__in=ids)
    for pk, name in links.values_list("commitment_id", "country__name").order_by("country__name"):
        names.setdefault(pk, []).append(name)
    gone = [pk for pk, _c in ranked if pk not in rows]
    if gone:  # deleted since it was indexed (with its organisation, say): the backlog removes it
        queue_index(KIND, gone)
    out: list[Similar] = []
    for pk, cosine in ranked:
        row = rows.get(pk)
        if row is None:
            continue
        score, label, reasons = _pair(mine, record_of(row, names.get(pk, [])), cosine)
        if label is None:
            continue
        out.append(Similar(row, score, label, reasons, cosine))
    out.sort(key=lambda s: (-s.score, -s.cosine, s.commitment.pk))
    return out[:k]


def similar_commitments(commitment: Commitment, k: int = 5, *, staff: bool = True) -> list[Similar]:
    """The ``k`` commitments of the network most similar to ``commitment``, best first, each
    with its score and reasons; never itself nor one it is already registered with.  An empty
    list when nothing is close enough.  ``staff``: asked by the programme's staff (they also
    see their programme's submitted commitments); otherwise by the commitment's maker."""
    index = engine.get_index()
    vector = index.vector(KIND, commitment.pk)
    if vector is None:
        # Not indexed yet (the worker is behind): index this one text now.
        text = similarity_text(commitment)
        if not text.strip():
            return []
        engine.index_text(KIND, commitment.pk, text)
        vector = index.vector(KIND, commitment.pk)
        if vector is None:  # this process's index has not read it yet
            vector = engine.embed([text])[0]
    candidates = _visible(commitment.programme, staff=staff, organisation=commitment.organisation)
    exclude = {commitment.pk} | _linked_ids(commitment.pk)
    return _suggest(vector, record_of(commitment), candidates, k=k, exclude=exclude)


def similar_to_draft(
    *,
    programme: Programme,
    organisation: Any = None,
    title: str = "",
    description: str = "",
    countries: Iterable[Any] = (),
    starts_on: Any = None,
    ends_on: Any = None,
    commitment: Commitment | None = None,
    k: int = 5,
    staff: bool = False,
) -> list[Similar]:
    """:func:`similar_commitments` for a text not stored (a draft being typed, a record of an
    import): embedded, compared and forgotten; nothing is saved or indexed.  ``commitment``:
    the commitment being edited (never suggested to itself).  The importer calls it per record
    with ``staff=True``."""
    text = compose_text(title, description)
    if not text.strip():
        return []
    vector = engine.embed([text])[0]
    mine = Record(
        title=title,
        description=description[:SCORED_CHARS],
        lead_organisation=getattr(organisation, "name", "") or "",
        countries=tuple(_country_names(countries)),
        start_date=starts_on,
        end_date=ends_on,
    )
    exclude: set[int] = set()
    if commitment is not None and commitment.pk is not None:
        exclude = {commitment.pk} | _linked_ids(commitment.pk)
    candidates = _visible(programme, staff=staff, organisation=organisation)
    return _suggest(vector, mine, candidates, k=k, exclude=exclude)


def _country_names(countries: Iterable[Any]) -> list[str]:
    """Names of countries given as Country rows, ids or names (a form, an import)."""
    names: list[str] = []
    ids: list[int] = []
    for c in countries:
        if hasattr(c, "name"):
            names.append(c.name)
        elif str(c).isdigit():
            ids.append(int(c))
        elif c:
            names.append(str(c))
    if ids:
        names += list(Country.objects.filter(pk__in=ids).values_list("name", flat=True))
    return names


def score_between(a: Commitment, b: Commitment) -> tuple[float | None, list[str]]:
    """The score and reasons of one pair now (kept with a link, as its provenance); None when
    either text is empty."""
    vectors = []
    for c in (a, b):
        text = similarity_text(c)
        if not text.strip():
            return None, []
        vector = engine.get_index().vector(KIND, c.pk)
        if vector is None:
            vector = engine.embed([text])[0]
        vectors.append(np.asarray(vector, dtype=np.float32))
    first, second = (v / (float(np.linalg.norm(v)) or 1.0) for v in vectors)
    score, _label, reasons = _pair(record_of(a), record_of(b), float(first @ second))
    return score, reasons
