"""Similar expressions of interest and coalitions, with the reasons a person can check.

The ranking comes from the similarity engine (sentence embeddings of the title, summary,
principles and asks: ``pledgebook.similarity.engine``); each suggestion then says *why* in
plain words: the engine's closeness in meaning, the significant words of the principles and
asks that both share, the member organisations both have, the same themes and the same SDGs.

    from pledgebook.coalitions.similar import similar_to
    for s in similar_to(eoi, k=5):
        s.kind, s.obj, s.score, s.label, s.reasons

    # While a proposer types (nothing stored, nothing indexed):
    similar_to_draft(programme=p, organisation=org, eoi=None, title=..., summary=...,
                     principles=[...], asks=[...], themes=[...], goals=[...])

Scores are the engine's calibrated scores (0-1); only suggestions from
``engine.RELATED_THRESHOLD`` up are made, and from ``engine.SAME_THRESHOLD`` up they read
"possibly the same initiative" (thresholds and their measured precision: docs/SIMILARITY.md).

Scope: an expression of interest is suggested while it is submitted or in review, a coalition
while it is live, from the programmes whose coalitions may be merged with the container's (the
shared network, or its own programme only).  ``public_only`` keeps public coalitions only (the
public coalition page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from pledgebook.coalitions.indexing import COALITION_KIND, EOI_KIND, kind_of
from pledgebook.coalitions.models import (
    Coalition,
    CoalitionSettings,
    ExpressionOfInterest,
    Membership,
)
from pledgebook.programmes.models import Programme
from pledgebook.similarity import engine

Container = ExpressionOfInterest | Coalition


@dataclass
class Suggestion:
    kind: str  # "eoi" or "coalition"
    obj: Container
    score: float
    reasons: list[str] = field(default_factory=list)
    shared_terms: list[str] = field(default_factory=list)
    shared_members: list[str] = field(default_factory=list)
    shared_themes: list[str] = field(default_factory=list)
    shared_goals: list[str] = field(default_factory=list)

    @property
    def is_match(self) -> bool:
        """Possibly the same initiative: worth proposing a merge (a person decides)."""
        return self.score >= engine.SAME_THRESHOLD

    @property
    def shown_score(self) -> float:
        """The score to show, cut (not rounded) to two decimals, so that a score shown as 0.55
        is never below a threshold of 0.55."""
        return math.floor(self.score * 100) / 100

    @property
    def label(self) -> str | None:
        """``"same"`` (possibly the same initiative), ``"related"`` or None."""
        return engine.label(self.score)

    @property
    def name(self) -> str:
        return self.obj.title if isinstance(self.obj, ExpressionOfInterest) else self.obj.name


# Texts -----------------------------------------------------------------------------------------


def _lines(container: Container, kind: str) -> list[str]:
    return [i.text for i in getattr(container, kind).all()]


def principles_and_asks(container: Container) -> str:
    return "\n".join([*_lines(container, "principles"), *_lines(container, "asks")])


def compose_text(title: str, summary: str, principles: list[str], asks: list[str]) -> str:
    """The text an initiative is compared by: title, summary, principles and asks, one a line
    (no member lists: they make unrelated texts look alike)."""
    parts = [title, summary, "\n".join([*principles, *asks])]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def similarity_text(container: Container) -> str:
    """What describes the initiative: title, summary, principles and asks (no member lists)."""
    title = container.title if isinstance(container, ExpressionOfInterest) else container.name
    return compose_text(
        title, container.summary, _lines(container, "principles"), _lines(container, "asks")
    )


def _eoi_text(pk: int) -> str | None:
    eoi = ExpressionOfInterest.objects.filter(pk=pk).first()
    return None if eoi is None else similarity_text(eoi)


def _coalition_text(pk: int) -> str | None:
    coalition = Coalition.objects.filter(pk=pk).first()
    return None if coalition is None else similarity_text(coalition)


def register_text_sources() -> None:
    """Called once from ``CoalitionsConfig.ready``."""
    engine.register_text_source(EOI_KIND, _eoi_text)
    engine.register_text_source(COALITION_KIND, _coalition_text)


# Scope -----------------------------------------------------------------------------------------


def network_programmes(programme: Programme) -> QuerySet[Programme]:
    """The programmes whose expressions of interest and coalitions may merge with this one's."""
    if not CoalitionSettings.for_programme(programme).shares_network:
        return Programme.objects.filter(pk=programme.pk)
    return Programme.objects.exclude(coalition_settings__shares_network=False)


def _candidates(
    programme: Programme, container: Container | None, *, public_only: bool
) -> dict[str, list[int]]:
    """The ids that may be suggested for ``container`` (None: a draft not saved yet)."""
    if public_only:
        coalitions = Coalition.objects.public()
        return {COALITION_KIND: list(coalitions.values_list("pk", flat=True)), EOI_KIND: []}
    programmes = network_programmes(programme)
    eois = ExpressionOfInterest.objects.filter(
        programme__in=programmes, status__in=ExpressionOfInterest.MERGEABLE_STATUSES
    )
    coalitions = Coalition.objects.filter(programme__in=programmes).live()
    if isinstance(container, ExpressionOfInterest):
        eois = eois.exclude(pk=container.pk)
        if container.coalition_id:
            coalitions = coalitions.exclude(pk=container.coalition_id)
    elif isinstance(container, Coalition):
        coalitions = coalitions.exclude(pk=container.pk)
        eois = eois.exclude(coalition=container)
    return {
        EOI_KIND: list(eois.values_list("pk", flat=True)),
        COALITION_KIND: list(coalitions.values_list("pk", flat=True)),
    }


def _with_content(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.select_related("programme").prefetch_related(
        "principles",
        "asks",
        "themes",
        "goals",
        Prefetch(
            "memberships",
            queryset=Membership.objects.exclude(status=Membership.Status.DECLINED).select_related(
                "organisation"
            ),
        ),
    )


def _members(container: Container) -> dict[Any, str]:
    found: dict[Any, str] = {}
    for m in container.memberships.all():  # type: ignore[union-attr]
        if m.status == Membership.Status.DECLINED:
            continue
        key = (
            ("organisation", m.organisation_id) if m.organisation_id else ("email", m.invited_email)
        )
        found[key] = m.display_name
    return found


def _goal_label(goal: Any) -> str:
    number = getattr(goal, "number", None)
    return _("SDG %(n)s") % {"n": number} if number is not None else str(goal)


# The function ----------------------------------------------------------------------------------


@dataclass
class _Mine:
    """What a suggestion is compared with: the principles and asks, members, themes, SDGs."""

    text: str
    members: dict[Any, str]
    themes: dict[int, Any]
    goals: dict[int, Any]


def similar_to(container: Container, k: int = 5, *, public_only: bool = False) -> list[Suggestion]:
    """The ``k`` expressions of interest and coalitions most similar to ``container``, best
    first, each with its score and reasons; none below ``engine.RELATED_THRESHOLD``.  An empty
    list when nothing is indexed yet or nothing is close enough."""
    kind = kind_of(container)
    allowed = _candidates(container.programme, container, public_only=public_only)
    if not any(allowed.values()):
        return []
    kinds = {name for name, ids in allowed.items() if ids}
    cut = engine.RELATED_THRESHOLD

    def ask() -> list[engine.Hit]:
        return engine.similar(
            kind, container.pk, kinds=kinds, k=k, allowed_ids=allowed, min_score=cut
        )

    hits = ask()
    if not hits and engine.get_index().vector(kind, container.pk) is None:
        # Not indexed yet (the worker is behind): index this one text now and ask again.
        engine.index_text(kind, container.pk, similarity_text(container))
        hits = ask()
    if not hits:
        return []
    mine = _with_content(type(container).objects.filter(pk=container.pk)).get()
    return _suggestions(
        hits,
        _Mine(
            text=principles_and_asks(mine),
            members=_members(mine),
            themes={t.pk: t for t in mine.themes.all()},
            goals={g.pk: g for g in mine.goals.all()},
        ),
    )


#: At most this many characters of a draft are compared (the model reads about 350 words).
DRAFT_MAX_CHARS = 4000


def similar_to_draft(
    *,
    programme: Programme,
    eoi: ExpressionOfInterest | None = None,
    organisation: Any = None,
    title: str = "",
    summary: str = "",
    principles: list[str] | tuple[str, ...] = (),
    asks: list[str] | tuple[str, ...] = (),
    themes: Any = (),
    goals: Any = (),
    k: int = 5,
) -> list[Suggestion]:
    """:func:`similar_to` for what a proposer is typing: the text is embedded, compared and
    forgotten (nothing is saved or indexed).  ``eoi`` is the expression of interest being edited
    (never suggested to itself, and its members count as shared members); ``organisation`` the
    proposing organisation of a new one."""
    text = compose_text(title, summary, list(principles), list(asks))[:DRAFT_MAX_CHARS]
    if not text.strip():
        return []
    allowed = _candidates(programme, eoi, public_only=False)
    kinds = {name for name, ids in allowed.items() if ids}
    if not kinds:
        return []
    hits = engine.similar_to_text(
        text, kinds=kinds, k=k, allowed_ids=allowed, min_score=engine.RELATED_THRESHOLD
    )
    if not hits:
        return []
    members: dict[Any, str] = {}
    if eoi is not None:
        members = _members(_with_content(ExpressionOfInterest.objects.filter(pk=eoi.pk)).get())
    elif organisation is not None:
        members = {("organisation", organisation.pk): str(organisation)}
    return _suggestions(
        hits,
        _Mine(
            text="\n".join([*principles, *asks]),
            members=members,
            themes={t.pk: t for t in themes},
            goals={g.pk: g for g in goals},
        ),
    )


def _suggestions(hits: list[engine.Hit], mine: _Mine) -> list[Suggestion]:
    objects: dict[tuple[str, int], Container] = {}
    for hit_kind, model in ((EOI_KIND, ExpressionOfInterest), (COALITION_KIND, Coalition)):
        ids = [object_id for h_kind, object_id, _s in hits if h_kind == hit_kind]
        if ids:
            for obj in _with_content(model.objects.filter(pk__in=ids)):
                objects[(hit_kind, obj.pk)] = obj
    suggestions = []
    for hit_kind, object_id, score in hits:
        obj = objects.get((hit_kind, object_id))
        if obj is None:  # gone since it was indexed
            continue
        s = Suggestion(kind=hit_kind, obj=obj, score=score)
        s.shared_terms = engine.top_terms_shared(mine.text, principles_and_asks(obj))
        theirs = _members(obj)
        s.shared_members = sorted(mine.members[key] for key in mine.members.keys() & theirs.keys())
        s.shared_themes = sorted(
            str(t)
            for t in obj.themes.all()
            if t.pk in mine.themes  # type: ignore[union-attr]
        )
        s.shared_goals = [
            _goal_label(g)
            for g in sorted(obj.goals.all(), key=lambda g: g.pk)  # type: ignore[union-attr]
            if g.pk in mine.goals
        ]
        if s.is_match:
            s.reasons.append(_("Close in meaning: possibly the same initiative"))
        else:
            s.reasons.append(_("Related in meaning"))
        if s.shared_terms:
            s.reasons.append(
                _("Shared words in principles and asks: %(words)s")
                % {"words": ", ".join(s.shared_terms)}
            )
        if s.shared_members:
            s.reasons.append(
                _("Shared members: %(names)s") % {"names": ", ".join(s.shared_members)}
            )
        if s.shared_themes:
            s.reasons.append(_("Same themes: %(names)s") % {"names": ", ".join(s.shared_themes)})
        if s.shared_goals:
            s.reasons.append(_("Same SDGs: %(names)s") % {"names": ", ".join(s.shared_goals)})
        suggestions.append(s)
    return suggestions


@dataclass
class PartnerSuggestion:
    organisation: Any
    score: float
    reasons: list[str] = field(default_factory=list)


def partners_for(
    coalition: Coalition, suggestions: list[Suggestion], k: int = 8
) -> list[PartnerSuggestion]:
    """Organisations the coalition could partner with: active members of the similar
    coalitions in ``suggestions`` that are not (and have not declined to be) its members,
    ranked by the best similarity of the coalitions they are in, with the reason.  One query."""
    scores = {s.obj.pk: s for s in suggestions if s.kind == COALITION_KIND}
    if not scores:
        return []
    mine = Membership.objects.filter(coalition=coalition, organisation__isnull=False).values(
        "organisation_id"
    )
    rows = (
        Membership.objects.filter(
            coalition_id__in=list(scores),
            status=Membership.Status.ACTIVE,
            organisation__isnull=False,
        )
        .exclude(organisation_id__in=mine)
        .select_related("organisation__country", "coalition")
        .order_by("organisation__name", "coalition__name")
    )
    found: dict[int, PartnerSuggestion] = {}
    for m in rows:
        if m.coalition_id is None or m.organisation_id is None or m.coalition is None:
            continue  # excluded by the query; narrows the types
        via = scores[m.coalition_id]
        p = found.setdefault(m.organisation_id, PartnerSuggestion(m.organisation, via.score))
        p.score = max(p.score, via.score)
        p.reasons.append(
            _("Member of “%(coalition)s” (similarity %(score).2f)")
            % {"coalition": m.coalition.name, "score": via.score}
        )
    ranked = sorted(found.values(), key=lambda p: (-p.score, -len(p.reasons), p.organisation.name))
    return ranked[:k]
