"""Matching plans and investors: the one place of the rule, for both sides.

**Hard constraints** (:data:`CONSTRAINTS`); a plan that violates any of them is never a match:

- ``instrument``: the plan seeks at least one instrument the investor offers;
- ``ticket``: the funding sought, in US dollars (``portal.pitch.money``), lies within the
  investor's ticket range, in US dollars, ends included;
- ``area``: the plan's countries (a region counts as all its countries) share a country with the
  investor's area; an investor without an area invests anywhere.

:func:`violations` says it in Python; :func:`_conditions` says the same in SQL (bitmasks and
the stored dollar amounts, ``portal.pitch.geo``), so that ranking one investor's matches
reads only the plans that pass; tests hold the two to each other.

**Score**: the sum of the weights of the :class:`Reason`\\ s, each shown on the page
(:data:`WEIGHTS`): every SDG in common (10), the plan's stage among those the investor funds
(15), every instrument in common beyond the first (5), every piece of evidence of results
drawn from the maker's submitted progress reports (5, at most 5 pieces).  A :class:`Match`
computes its score from its reasons, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Least
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pledgebook.portal.models.pitch import (
    Instrument,
    InvestorProfile,
    ScaleUpPlan,
    Stage,
)
from pledgebook.portal.pitch import geo

INSTRUMENT_BITS = {code: 1 << i for i, code in enumerate(Instrument.values)}
STAGE_BITS = {code: 1 << i for i, code in enumerate(Stage.values)}

CONSTRAINTS: dict[str, Any] = {
    "instrument": gettext_lazy("No instrument the investor offers"),
    "ticket": gettext_lazy("Funding sought outside the investor's ticket range"),
    "area": gettext_lazy("Works in none of the investor's countries or regions"),
}
WEIGHTS = {"sdg": 10, "stage": 15, "instrument": 5, "evidence": 5}
EVIDENCE_COUNTED = 5


def instrument_mask(codes: Iterable[str]) -> int:
    return sum({INSTRUMENT_BITS[c] for c in codes})


def instruments_of(mask: int) -> list[str]:
    return [code for code, bit in INSTRUMENT_BITS.items() if mask & bit]


def stage_mask(codes: Iterable[str]) -> int:
    return sum({STAGE_BITS[c] for c in codes})


def stages_of(mask: int) -> list[str]:
    return [code for code, bit in STAGE_BITS.items() if mask & bit]


def sdg_mask(numbers: Iterable[int]) -> int:
    return sum({1 << (int(n) - 1) for n in numbers})


def sdgs_of(mask: int) -> list[int]:
    return [n for n in range(1, 18) if mask & (1 << (n - 1))]


@dataclass(frozen=True)
class PlanFacts:
    """What matching reads of a plan (one row of ``ScaleUpPlan``)."""

    pk: int
    instrument_mask: int
    amount_usd: Decimal
    geo: geo.Mask
    sdg_mask: int
    stage: str
    evidence_count: int

    @classmethod
    def of(cls, plan: ScaleUpPlan) -> PlanFacts:
        return cls(
            plan.pk,
            plan.instrument_mask,
            plan.amount_usd,
            plan.geo,
            plan.sdg_mask,
            plan.stage,
            plan.evidence_count,
        )


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    weight: int


@dataclass
class Match:
    """One plan for one investor, or one investor for one plan."""

    plan_id: int
    investor_id: int
    reasons: list[Reason]
    #: the score SQL ranked it by (one investor's ranking; tests hold it to :attr:`score`)
    ranked_by: int | None = None

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)


@dataclass
class Ranking:
    matches: list[Match]
    considered: int = 0
    matched: int = 0
    #: constraint code → how many of the others it excluded (one may be excluded by several)
    filtered: dict[str, int] = field(default_factory=dict)
    excluded: int = 0

    def filtered_rows(self) -> list[tuple[str, Any, int]]:
        return [(code, CONSTRAINTS[code], self.filtered.get(code, 0)) for code in CONSTRAINTS]


def violations(plan: PlanFacts, profile: InvestorProfile) -> list[str]:
    """The hard constraints ``plan`` violates for ``profile`` (empty: a match)."""
    found = []
    if not plan.instrument_mask & profile.instrument_mask:
        found.append("instrument")
    if not profile.ticket_min_usd <= plan.amount_usd <= profile.ticket_max_usd:
        found.append("ticket")
    if not geo.is_empty(profile.geo) and not geo.overlaps(plan.geo, profile.geo):
        found.append("area")
    return found


def reasons(plan: PlanFacts, profile: InvestorProfile) -> list[Reason]:
    """Why ``plan`` suits ``profile``, each with its weight (the score is their sum)."""
    found = []
    shared = sdgs_of(plan.sdg_mask & profile.sdg_mask)
    if shared:
        found.append(
            Reason(
                "sdg",
                ngettext(
                    "Works on SDG %(goals)s, which the investor funds",
                    "Works on SDGs %(goals)s, which the investor funds",
                    len(shared),
                )
                % {"goals": ", ".join(str(n) for n in shared)},
                WEIGHTS["sdg"] * len(shared),
            )
        )
    if STAGE_BITS.get(plan.stage, 0) & profile.stage_mask:
        found.append(
            Reason(
                "stage",
                _("At a stage the investor funds: %(stage)s") % {"stage": Stage(plan.stage).label},
                WEIGHTS["stage"],
            )
        )
    common = instruments_of(plan.instrument_mask & profile.instrument_mask)
    if len(common) > 1:
        found.append(
            Reason(
                "instrument",
                _("Several instruments in common: %(list)s")
                % {"list": ", ".join(str(Instrument(c).label) for c in common)},
                WEIGHTS["instrument"] * (len(common) - 1),
            )
        )
    evidence = min(plan.evidence_count, EVIDENCE_COUNTED)
    if evidence:
        found.append(
            Reason(
                "evidence",
                ngettext(
                    "%(n)s result from its submitted progress reports",
                    "%(n)s results from its submitted progress reports",
                    plan.evidence_count,
                )
                % {"n": plan.evidence_count},
                WEIGHTS["evidence"] * evidence,
            )
        )
    return found


# One investor's matches, in SQL ------------------------------------------------------------


def pipeline() -> QuerySet[ScaleUpPlan]:
    """Plans investors see: in the pipeline (submitted, invited, shortlisted, scheduled)."""
    return ScaleUpPlan.objects.filter(status__in=ScaleUpPlan.IN_PIPELINE)


def _conditions(
    plans: QuerySet[ScaleUpPlan], profile: InvestorProfile
) -> tuple[QuerySet[ScaleUpPlan], dict[str, Q]]:
    """``plans`` annotated with what the conditions read, and each hard constraint as a
    condition that holds when the plan passes it (the SQL of :func:`violations`)."""
    annotated = plans.annotate(m_instrument=F("instrument_mask").bitand(profile.instrument_mask))
    conditions = {
        "instrument": ~Q(m_instrument=0),
        "ticket": Q(amount_usd__gte=profile.ticket_min_usd, amount_usd__lte=profile.ticket_max_usd),
        "area": Q(),
    }
    if not geo.is_empty(profile.geo):
        area = Q()
        for i, word in enumerate(profile.geo):
            if word:
                annotated = annotated.annotate(**{f"m_geo{i}": F(f"geo{i}").bitand(word)})
                area |= ~Q(**{f"m_geo{i}": 0})
        conditions["area"] = area
    return annotated, conditions


def _score(profile: InvestorProfile) -> Any:
    """The score of :func:`reasons` in SQL, to rank before reading: only the plans shown are
    read back and given their reasons in Python."""
    terms: list[Any] = [Value(0)]

    def when(mask_field: str, bit: int, weight: int) -> Any:
        return Case(
            When(GreaterThan(F(mask_field).bitand(bit), 0), then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )

    for n in sdgs_of(profile.sdg_mask):
        terms.append(when("sdg_mask", 1 << (n - 1), WEIGHTS["sdg"]))
    stages = stages_of(profile.stage_mask)
    if stages:
        terms.append(
            Case(
                When(stage__in=stages, then=Value(WEIGHTS["stage"])),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    # every instrument in common beyond the first (a match has at least one)
    for code in instruments_of(profile.instrument_mask):
        terms.append(when("instrument_mask", INSTRUMENT_BITS[code], WEIGHTS["instrument"]))
    terms.append(Value(-WEIGHTS["instrument"]))
    terms.append(Least(F("evidence_count"), Value(EVIDENCE_COUNTED)) * WEIGHTS["evidence"])
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def investor_matches(
    profile: InvestorProfile,
    *,
    plans: QuerySet[ScaleUpPlan] | None = None,
    limit: int | None = None,
) -> Ranking:
    """The plans in the pipeline (or ``plans``) that pass every hard constraint of
    ``profile``, best first (score, then the most recent), at most ``limit``, and how many
    each constraint filtered out.  Two queries: the counts, and the best plans that pass,
    ranked by the score in SQL; the reasons of those shown are computed in Python."""
    base, conditions = _conditions(plans if plans is not None else pipeline(), profile)
    passing = Q()
    for condition in conditions.values():
        passing &= condition
    counts = base.aggregate(
        considered=Count("pk"),
        excluded=Count("pk", filter=~passing),
        **{f"x_{code}": Count("pk", filter=~c) for code, c in conditions.items() if c},
    )
    rows = (
        base.filter(passing)
        .annotate(score=_score(profile))
        .order_by("-score", "-pk")
        .values_list(
            "pk", "instrument_mask", "amount_usd", "sdg_mask", "stage", "evidence_count", "score"
        )
    )
    matches = []
    for pk, instruments, amount, sdgs, stage, evidence, score in (
        rows[:limit] if limit is not None else rows
    ):
        facts = PlanFacts(pk, instruments, amount, geo.EMPTY, sdgs, stage, evidence)
        matches.append(Match(pk, profile.pk, reasons(facts, profile), ranked_by=score))
    return Ranking(
        matches=matches,
        considered=counts["considered"],
        matched=counts["considered"] - counts["excluded"],
        filtered={code: counts.get(f"x_{code}", 0) for code in CONSTRAINTS},
        excluded=counts["excluded"],
    )


def plan_matches(
    plan: ScaleUpPlan, *, profiles: Iterable[InvestorProfile] | None = None
) -> Ranking:
    """The investors whose hard constraints ``plan`` passes, best first, and how many each
    constraint filtered out (few investors: in Python, with :func:`violations`)."""
    facts = PlanFacts.of(plan)
    everyone = list(
        profiles if profiles is not None else InvestorProfile.objects.select_related("organisation")
    )
    ranking = Ranking(matches=[], considered=len(everyone), filtered=dict.fromkeys(CONSTRAINTS, 0))
    for profile in everyone:
        broken = violations(facts, profile)
        for code in broken:
            ranking.filtered[code] += 1
        if broken:
            ranking.excluded += 1
        else:
            ranking.matches.append(Match(plan.pk, profile.pk, reasons(facts, profile)))
    ranking.matches.sort(key=lambda m: (-m.score, m.investor_id))
    ranking.matched = len(ranking.matches)
    return ranking
