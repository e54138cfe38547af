"""Matching plans and investors: the one place of the rule, for both sides.

**Hard constraints** (:data:`CONSTRAINTS`); a plan that violates any of them is never a match:

- ``instrument``: the plan seeks at least one instrument the investor offers;
- ``ticket``: the funding sought, in US dollars (``portal.pitch.money``), lies within the
  investor's ticket range, in US dollars, ends included;
- ``area``: the plan's countries (a region counts as all its countries) share a country with the
  investor's area; an investor without an area invests anywhere.

:func:`violations` says it for one plan; :func:`investor_matches` says the same over every
plan of the pipeline at once, vectorised over the in-memory columns of ``portal.pitch.index``
(bitmasks and the stored dollar amounts, ``portal.pitch.geo``, ``portal.pitch.money``); tests
hold the two to each other.

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

import numpy as np
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pledgebook.portal.models.pitch import (
    Instrument,
    InvestorProfile,
    ScaleUpPlan,
    Stage,
)
from pledgebook.portal.pitch import geo, index

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


# One investor's matches, over the in-memory columns of the pipeline ------------------------


def pipeline() -> QuerySet[ScaleUpPlan]:
    """Plans investors see: in the pipeline (submitted, invited, shortlisted, scheduled)."""
    return ScaleUpPlan.objects.filter(status__in=ScaleUpPlan.IN_PIPELINE)


def _popcount(values: np.ndarray) -> np.ndarray:
    return np.bitwise_count(values).astype(np.int64)


def investor_matches(profile: InvestorProfile, *, limit: int | None = None) -> Ranking:
    """The plans in the pipeline that pass every hard constraint of ``profile``, best first
    (score, then the newest), at most ``limit``, and how many each constraint filtered out.

    :func:`violations` and the score of :func:`reasons`, vectorised over the columns of
    ``portal.pitch.index`` (no plan row is read); the reasons of the plans returned are then
    computed one by one by :func:`reasons` itself, and each :class:`Match` keeps the
    vectorised score it was ranked by (``ranked_by``; the tests hold the two equal)."""
    cols = index.current()
    instrument_ok = (cols.instruments & profile.instrument_mask) != 0
    low = int(profile.ticket_min_usd * 100)
    high = int(profile.ticket_max_usd * 100)
    ticket_ok = (cols.cents >= low) & (cols.cents <= high)
    if geo.is_empty(profile.geo):
        area_ok = np.ones(len(cols), dtype=bool)
    else:
        area_ok = ((cols.geo & np.array(profile.geo, dtype=np.int64)) != 0).any(axis=1)
    passing = instrument_ok & ticket_ok & area_ok
    chosen = np.flatnonzero(passing)
    stage_bits = np.array([STAGE_BITS[code] for code in Stage.values], dtype=np.int64)
    stage_fit = (stage_bits[cols.stage[chosen]] & profile.stage_mask) != 0
    scores = (
        WEIGHTS["sdg"] * _popcount(cols.sdg[chosen] & profile.sdg_mask)
        + WEIGHTS["stage"] * stage_fit
        + WEIGHTS["instrument"]
        * (_popcount(cols.instruments[chosen] & profile.instrument_mask) - 1)
        + WEIGHTS["evidence"] * np.minimum(cols.evidence[chosen], EVIDENCE_COUNTED)
    )
    order = np.lexsort((-cols.pk[chosen], -scores))
    if limit is not None:
        order = order[:limit]
    shown = chosen[order]
    matches = []
    for row, score in zip(shown, scores[order], strict=True):
        pk = int(cols.pk[row])
        facts = PlanFacts(
            pk,
            int(cols.instruments[row]),
            Decimal(int(cols.cents[row])) / 100,
            geo.EMPTY,
            int(cols.sdg[row]),
            Stage.values[int(cols.stage[row])],
            int(cols.evidence[row]),
        )
        matches.append(Match(pk, profile.pk, reasons(facts, profile), ranked_by=int(score)))
    considered = len(cols)
    return Ranking(
        matches=matches,
        considered=considered,
        matched=int(passing.sum()),
        filtered={
            "instrument": int((~instrument_ok).sum()),
            "ticket": int((~ticket_ok).sum()),
            "area": int((~area_ok).sum()),
        },
        excluded=considered - int(passing.sum()),
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
