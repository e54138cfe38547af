"""The partner finder: ranked partner suggestions for an organisation, a coalition or a
commitment, each with the reasons a person can check (issue 11, item 3).

    from pledgebook.portal.finder import suggest
    for s in suggest(coalition):        # or a Commitment, or an Organisation
        s.organisation, s.score, s.reasons   # reason.text, reason.kind, reason.weight

A suggestion's score is the sum of its reasons' weights (whole points, so the two always
agree); nothing without a reason is suggested.  The reasons:

* **similar work** (semantic): the similarity engine's top-k of coalitions and commitments
  nearest in meaning to the subject's texts (a coalition's own vector; a commitment's title and
  description; an organisation's coalitions and commitments, averaged); their organisations
  are candidates, worth ``SIMILAR_WORK_POINTS`` times the calibrated score;
* **complementary stakeholder categories**: :data:`COMPLEMENTARY`, the one table of pairs
  (seed 001 section 17, the categories invited to commit together; seed 002, "unusual
  partners": grassroots organisations with the private sector, governments with civil
  society);
* **cross-border pairs** from the UN M49 groupings of ``reference.Country``: developed with
  developing (North-South), developing with developing in another region (South-South), the
  same region (intra-regional), naming least developed countries, landlocked developing
  countries and small island developing States;
* **unusual partners** (seed 002): a stakeholder category the coalition or commitment lacks,
  and grassroots or informal-economy actors.

Candidates are the organisations found by the engine plus up to :data:`POOL` organisations in
a complementary or unusual category; organisations already in the subject are left out, and
only organisations with public work (a public commitment, or an active membership of a public
coalition) are suggested.  A fixed handful of queries whatever the size of the data (a test
counts them): the engine's top-k, then one query per step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.coalitions.indexing import COALITION_KIND
from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.commitments import duplicates
from pledgebook.commitments.filters import public_commitments
from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.organisations.models import Category, Organisation, category_label
from pledgebook.reference.models import Country
from pledgebook.similarity import engine

#: The engine's kind for a commitment's text (title and description): the one index of
#: commitments' texts, kept by ``commitments.duplicates`` on every change and at import.
COMMITMENT_KIND = duplicates.KIND

# Weights, in whole points ------------------------------------------------------------------

SIMILAR_WORK_POINTS = 10  # times the calibrated score (0.34 → 3, 0.6 → 6)
COMPLEMENTARY_POINTS = 4
NORTH_SOUTH_POINTS = 3
SOUTH_SOUTH_POINTS = 3
INTRA_REGIONAL_POINTS = 2
LACKING_CATEGORY_POINTS = 2
GRASSROOTS_POINTS = 2

#: The lowest calibrated score that counts as similar work.  Lower than the engine's "related"
#: threshold (0.34, calibrated for initiatives that may merge): a partner need not do the same
#: thing, only work on nearby subjects.  0 is as close as two unrelated proposals usually are
#: (docs/SIMILARITY.md); on the demo, women's rights texts score 0.2-0.3 against each other and
#: under 0.1 against ocean or youth governance texts.
SIMILAR_WORK_MIN = 0.2
#: Nearest texts asked of the engine.
TOP_K = 20
#: At most this many organisations of complementary or unusual categories are considered.
POOL = 60
#: Suggestions shown.
SHOWN = 10

C = Category

#: Complementary stakeholder categories: each pair (either way round) with what the pair brings.
#: From seed 001 section 17 (governments, private sector, philanthropy, UN and international
#: organisations, women's, feminist and youth-led organisations, universities, media, faith-based
#: institutions invited to commit together) and seed 002 (grassroots organisations, informal
#: economy actors and the private sector; governments and civil society; academia).
COMPLEMENTARY: dict[frozenset[str], Any] = {
    frozenset({C.WOMEN, C.PHILANTHROPY}): gettext_lazy(
        "a women's organisation and a philanthropy: reach in communities and funding"
    ),
    frozenset({C.WOMEN, C.PRIVATE_SECTOR}): gettext_lazy(
        "a women's organisation and a business: rights expertise and markets"
    ),
    frozenset({C.WOMEN, C.MEMBER_STATE}): gettext_lazy(
        "a women's organisation and a government: advocacy and policy"
    ),
    frozenset({C.YOUTH_LED, C.PHILANTHROPY}): gettext_lazy(
        "a youth-led organisation and a philanthropy: young people's reach and funding"
    ),
    frozenset({C.YOUTH_LED, C.PRIVATE_SECTOR}): gettext_lazy(
        "a youth-led organisation and a business: skills and jobs"
    ),
    frozenset({C.CIVIL_SOCIETY, C.GOVERNMENT}): gettext_lazy(
        "civil society and government: delivery on the ground and public policy"
    ),
    frozenset({C.CIVIL_SOCIETY, C.MEMBER_STATE}): gettext_lazy(
        "civil society and government: delivery on the ground and public policy"
    ),
    frozenset({C.CIVIL_SOCIETY, C.LOCAL_AUTHORITY}): gettext_lazy(
        "civil society and a local authority: localising the goals"
    ),
    frozenset({C.CIVIL_SOCIETY, C.PHILANTHROPY}): gettext_lazy(
        "civil society and a philanthropy: programmes and funding"
    ),
    frozenset({C.INDIGENOUS_PEOPLES, C.SCIENCE}): gettext_lazy(
        "Indigenous Peoples and researchers: traditional and scientific knowledge"
    ),
    frozenset({C.FARMERS, C.FINANCIAL_INSTITUTION}): gettext_lazy(
        "farmers and a financial institution: producers and credit"
    ),
    frozenset({C.FARMERS, C.PRIVATE_SECTOR}): gettext_lazy(
        "farmers and a business: producers and value chains"
    ),
    frozenset({C.WORKERS, C.PRIVATE_SECTOR}): gettext_lazy(
        "workers and employers: decent work and just transitions"
    ),
    frozenset({C.ACADEMIA, C.PRIVATE_SECTOR}): gettext_lazy(
        "a university and a business: research and scale"
    ),
    frozenset({C.SCIENCE, C.GOVERNMENT}): gettext_lazy(
        "researchers and government: evidence for policy"
    ),
    frozenset({C.SCIENCE, C.MEMBER_STATE}): gettext_lazy(
        "researchers and government: evidence for policy"
    ),
    frozenset({C.LOCAL_AUTHORITY, C.UN_SYSTEM}): gettext_lazy(
        "a local authority and a UN entity: global strategies, local implementation"
    ),
    frozenset({C.IFI, C.MEMBER_STATE}): gettext_lazy(
        "a development bank and a government: finance and public investment"
    ),
    frozenset({C.PERSONS_WITH_DISABILITIES, C.PRIVATE_SECTOR}): gettext_lazy(
        "persons with disabilities and a business: accessible products and jobs"
    ),
    frozenset({C.MEDIA, C.CIVIL_SOCIETY}): gettext_lazy(
        "media and civil society: telling what works"
    ),
    frozenset({C.FAITH_BASED, C.UN_SYSTEM}): gettext_lazy(
        "a faith-based organisation and a UN entity: trusted reach and programmes"
    ),
}

#: Categories whose organisations read as the economy's partners of a grassroots organisation.
ECONOMY = frozenset({C.PRIVATE_SECTOR, C.FINANCIAL_INSTITUTION, C.PHILANTHROPY})
#: Informal-economy actors (seed 002, "unusual partners"): organisations of workers and farmers.
INFORMAL_ECONOMY = frozenset({C.WORKERS, C.FARMERS})


def complementary(a: str, b: str) -> Any:
    """What categories ``a`` and ``b`` bring each other, or None."""
    return COMPLEMENTARY.get(frozenset({a, b}))


# Suggestions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    kind: str  # "similar", "complementary", "cross_border", "lacking", "grassroots"
    text: str
    weight: int


@dataclass
class Suggestion:
    organisation: Organisation
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        """The sum of the reasons' weights."""
        return sum(r.weight for r in self.reasons)


Subject = Organisation | Coalition | Commitment


@dataclass
class _Side:
    """The subject's side of the comparison."""

    members: list[Organisation]  # who is in it (left out of the suggestions)
    is_group: bool  # a coalition or a commitment: "lacks a category" applies
    label: str  # "the coalition", "the commitment", "your organisation"


def _side(subject: Subject) -> _Side:
    if isinstance(subject, Coalition):
        members = list(
            Organisation.objects.filter(
                coalition_memberships__coalition=subject,
                coalition_memberships__status=Membership.Status.ACTIVE,
            )
            .select_related("country")
            .distinct()
        )
        return _Side(members, True, _("the coalition"))
    if isinstance(subject, Commitment):
        co = CoMaker.objects.filter(commitment=subject, confirmed_at__isnull=False).values(
            "organisation_id"
        )
        members = list(
            Organisation.objects.filter(Q(pk=subject.organisation_id) | Q(pk__in=co))
            .select_related("country")
            .order_by("pk")
        )
        return _Side(members, True, _("the commitment"))
    return _Side([subject], False, _("this organisation"))


def _partners_already(org: Organisation) -> set[int]:
    """The organisations ``org`` already works with: the active members of its live coalitions,
    the leads and confirmed co-makers of its commitments and of those it co-makes.  One query."""
    coalitions = Membership.objects.filter(
        organisation=org, status=Membership.Status.ACTIVE, coalition__state__in=_LIVE
    ).values("coalition_id")
    commitments = Commitment.objects.filter(
        Q(organisation=org) | Q(co_makers__organisation=org, co_makers__confirmed_at__isnull=False)
    ).values("pk")
    rows = Organisation.objects.filter(
        Q(
            coalition_memberships__coalition_id__in=coalitions,
            coalition_memberships__status=Membership.Status.ACTIVE,
        )
        | Q(commitments__in=commitments)
        | Q(co_commitments__commitment__in=commitments, co_commitments__confirmed_at__isnull=False)
    ).values_list("pk", flat=True)
    return set(rows)


_LIVE = [s for s in Coalition.State if s not in Coalition.ENDED_STATES]


def commitment_text(commitment: Commitment) -> str:
    """What a commitment is compared by: its title and description."""
    return duplicates.similarity_text(commitment)


def public_organisations() -> QuerySet[Organisation]:
    """Organisations with public work: a public commitment (led or confirmed co-maker), or an
    active membership of a public coalition.  Correlated ``EXISTS`` (each organisation checked
    through its own index) rather than ``IN`` over every public commitment: the pool and the
    candidates read a few dozen organisations, not the whole directory."""
    public = public_commitments()
    led = public.filter(organisation=OuterRef("pk"))
    co = CoMaker.objects.filter(
        organisation=OuterRef("pk"), confirmed_at__isnull=False, commitment__in=public
    )
    member = Membership.objects.filter(
        organisation=OuterRef("pk"),
        status=Membership.Status.ACTIVE,
        coalition__in=Coalition.objects.public(),
    )
    return Organisation.objects.filter(Exists(led) | Exists(co) | Exists(member))


def _vectors(subject: Subject) -> tuple[list[np.ndarray], set[tuple[str, int]]]:
    """The subject's text vectors (a commitment's text is indexed now when it is missing), and
    the keys of its own texts (never a source of "similar work")."""
    index = engine.get_index()
    keys: list[tuple[str, int]] = []
    if isinstance(subject, Coalition):
        keys = [(COALITION_KIND, subject.pk)]
    elif isinstance(subject, Commitment):
        if index.vector(COMMITMENT_KIND, subject.pk) is None:
            engine.index_text(COMMITMENT_KIND, subject.pk, commitment_text(subject))
        keys = [(COMMITMENT_KIND, subject.pk)]
    else:
        coalitions = Membership.objects.filter(
            organisation=subject, status=Membership.Status.ACTIVE, coalition__isnull=False
        ).values_list("coalition_id", flat=True)[:10]
        commitments = Commitment.objects.filter(organisation=subject).values_list("pk", flat=True)[
            :10
        ]
        keys = [(COALITION_KIND, pk) for pk in coalitions if pk is not None]
        keys += [(COMMITMENT_KIND, pk) for pk in commitments]
    found = [index.vector(kind, pk) for kind, pk in keys]
    return [v for v in found if v is not None], set(keys)


def _similar_work(subject: Subject) -> list[engine.Hit]:
    """The engine's top-k coalitions and commitments nearest the subject, public ones only."""
    vectors, own = _vectors(subject)
    if not vectors:
        return []
    query = np.mean(np.stack(vectors), axis=0)
    norm = float(np.linalg.norm(query))
    if norm == 0:
        return []
    # No list of every public id (100,000 commitments would be read on each page): the
    # nearest texts, then only the public ones among them are kept by the queries of _work_of.
    hits = engine.get_index().nearest(
        (query / norm).astype(np.float32),
        {COALITION_KIND, COMMITMENT_KIND},
        k=TOP_K,
        exclude=own,
    )
    scored = [(kind, pk, engine.calibrated(cosine)) for kind, pk, cosine in hits]
    return [h for h in scored if h[2] >= SIMILAR_WORK_MIN]


def _work_of(hits: list[engine.Hit]) -> dict[int, tuple[float, str]]:
    """For each organisation of the similar coalitions and commitments that the public sees: the
    best score and the name of that coalition or commitment.  Two queries."""
    best: dict[int, tuple[float, str]] = {}

    def keep(org_id: int | None, score: float, name: str) -> None:
        if org_id is not None and (org_id not in best or best[org_id][0] < score):
            best[org_id] = (score, name)

    coalition_scores = {pk: s for kind, pk, s in hits if kind == COALITION_KIND}
    commitment_scores = {pk: s for kind, pk, s in hits if kind == COMMITMENT_KIND}
    if coalition_scores:
        rows = Membership.objects.filter(
            coalition_id__in=list(coalition_scores),
            coalition__in=Coalition.objects.public(),
            status=Membership.Status.ACTIVE,
            organisation__isnull=False,
        ).values_list("organisation_id", "coalition_id", "coalition__name")
        for org_id, coalition_id, name in rows:
            keep(org_id, coalition_scores[coalition_id], name)
    if commitment_scores:
        for pk, org_id, title in (
            public_commitments()
            .filter(pk__in=list(commitment_scores))
            .values_list("pk", "organisation_id", "title")
        ):
            keep(org_id, commitment_scores[pk], title)
    return best


def _designations(country: Country) -> list[str]:
    found = []
    if country.is_ldc:
        found.append(_("least developed country"))
    if country.is_lldc:
        found.append(_("landlocked developing country"))
    if country.is_sids:
        found.append(_("small island developing State"))
    return found


def _named(country: Country) -> str:
    names = _designations(country)
    return f"{country.name} ({', '.join(names)})" if names else country.name


def _cross_border(mine: Iterable[Country], theirs: Country) -> Reason | None:
    """The strongest cross-border pair between the subject's countries and the candidate's."""
    mine = list(mine)
    for country in mine:
        if country.is_developed != theirs.is_developed:
            return Reason(
                "cross_border",
                _("North-South: %(north)s, a developed country, and %(south)s")
                % (
                    {"north": country.name, "south": _named(theirs)}
                    if country.is_developed
                    else {"north": theirs.name, "south": _named(country)}
                ),
                NORTH_SOUTH_POINTS,
            )
    for country in mine:
        if (
            not country.is_developed
            and not theirs.is_developed
            and country.region_id != theirs.region_id
        ):
            return Reason(
                "cross_border",
                _("South-South: %(a)s and %(b)s") % {"a": _named(country), "b": _named(theirs)},
                SOUTH_SOUTH_POINTS,
            )
    for country in mine:
        if country.region_id == theirs.region_id and country.pk != theirs.pk:
            return Reason(
                "cross_border",
                _("Intra-regional: %(a)s and %(b)s, in %(region)s")
                % {"a": _named(country), "b": _named(theirs), "region": theirs.region.name},
                INTRA_REGIONAL_POINTS,
            )
    return None


def _reasons(side: _Side, org: Organisation, work: tuple[float, str] | None) -> list[Reason]:
    reasons: list[Reason] = []
    if work is not None:
        score, name = work
        reasons.append(
            Reason(
                "similar",
                (
                    _("Similar work: “%(name)s” is close in meaning to %(subject)s")
                    if score >= engine.RELATED_THRESHOLD
                    else _("Similar work: “%(name)s” works on subjects near %(subject)s's")
                )
                % {"name": name, "subject": side.label},
                max(1, round(score * SIMILAR_WORK_POINTS)),
            )
        )
    for member in side.members:
        why = complementary(member.category, org.category)
        if why is not None:
            reasons.append(
                Reason(
                    "complementary",
                    _("Complementary: %(why)s (%(a)s with %(b)s)")
                    % {"why": why, "a": member.name, "b": org.name},
                    COMPLEMENTARY_POINTS,
                )
            )
            break
    else:
        if org.is_grassroots and any(m.category in ECONOMY for m in side.members):
            reasons.append(
                Reason(
                    "complementary",
                    _("Complementary: a grassroots organisation with %(subject)s's funders")
                    % {"subject": side.label},
                    COMPLEMENTARY_POINTS,
                )
            )
    crossing = _cross_border([m.country for m in side.members], org.country)
    if crossing is not None:
        reasons.append(crossing)
    if side.is_group and org.category not in {m.category for m in side.members}:
        reasons.append(
            Reason(
                "lacking",
                _("Unusual partner: %(subject)s has no %(category)s yet")
                % {"subject": side.label, "category": category_label(org.category).lower()},
                LACKING_CATEGORY_POINTS,
            )
        )
    if org.is_grassroots or org.category in INFORMAL_ECONOMY:
        reasons.append(
            Reason(
                "grassroots",
                _("Unusual partner: a grassroots or informal-economy actor")
                if org.is_grassroots
                else _("Unusual partner: an informal-economy actor (%(category)s)")
                % {"category": category_label(org.category).lower()},
                GRASSROOTS_POINTS,
            )
        )
    return reasons


def suggest(subject: Subject, *, limit: int = SHOWN) -> list[Suggestion]:
    """Ranked partner suggestions for ``subject``, best first (score, then name)."""
    side = _side(subject)
    mine = {m.pk for m in side.members}
    if isinstance(subject, Organisation):
        mine |= _partners_already(subject)
    work = _work_of(_similar_work(subject))
    categories: set[str] = {str(m.category) for m in side.members}
    wanted: set[str] = {
        str(c) for pair in COMPLEMENTARY for c in pair if pair & categories
    } - categories
    if side.is_group:
        wanted |= {str(c) for c in INFORMAL_ECONOMY} - categories
    pool_filter = Q(category__in=wanted) | Q(is_grassroots=True)
    pool = list(
        public_organisations()
        .filter(pool_filter)
        .exclude(pk__in=mine)
        .exclude(pk__in=list(work))
        .order_by("-updated_at", "pk")
        .values_list("pk", flat=True)[:POOL]
    )
    ids = [pk for pk in work if pk not in mine] + pool
    if not ids:
        return []
    candidates = (
        public_organisations()
        .filter(pk__in=ids)
        .select_related("country__region")
        .order_by("name", "pk")
    )
    suggestions = []
    for org in candidates:
        reasons = _reasons(side, org, work.get(org.pk))
        if reasons:
            suggestions.append(Suggestion(org, reasons))
    suggestions.sort(key=lambda s: (-s.score, s.organisation.name.lower(), s.organisation.pk))
    return suggestions[:limit]
