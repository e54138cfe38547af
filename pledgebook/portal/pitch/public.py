"""What the public reads of the pitch pipeline: the partnerships ready to scale (plans in the
pipeline of published programmes, public fields only: no person, no e-mail, no note of an
investor) and the figures of the outcomes, one function each, for the public page, the API and
the SDG dashboard."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from pledgebook.portal.models.pitch import Instrument, InvestorInterest, PitchOutcome, ScaleUpPlan
from pledgebook.portal.pitch.matching import instruments_of, sdgs_of


def ready_to_scale(programme: Any = None) -> QuerySet[ScaleUpPlan]:
    plans = ScaleUpPlan.objects.filter(
        status__in=ScaleUpPlan.IN_PIPELINE, programme__is_published=True
    )
    if programme is not None:
        plans = plans.filter(programme=programme)
    return (
        plans.select_related("programme", "organisation", "commitment", "coalition", "session")
        .prefetch_related("countries", "regions")
        .order_by("-submitted_at", "-pk")
    )


def public_fields(plan: ScaleUpPlan) -> dict[str, Any]:
    """The public fields of a plan in the pipeline (the page and the API show these only)."""
    partnership = plan.partnership
    return {
        "id": plan.pk,
        "title": plan.title,
        "plan": plan.plan,
        "programme": plan.programme.slug,
        "partnership_kind": "commitment" if plan.commitment_id else "coalition",
        "partnership": str(partnership),
        "partnership_id": plan.commitment_id or plan.coalition_id,
        "organisation": plan.organisation.name,
        "funding_sought": plan.amount,
        "currency": plan.currency_id,
        "instruments": instruments_of(plan.instrument_mask),
        "stage": plan.stage,
        "sdgs": sdgs_of(plan.sdg_mask),
        "countries": sorted(c.iso2 for c in plan.countries.all()),
        "regions": sorted(r.m49 for r in plan.regions.all()),
        "status": plan.status,
        "evidence_count": plan.evidence_count,
        "session": plan.session.title if plan.session is not None else None,
        "submitted_at": plan.submitted_at,
    }


def pitch_outcome_figures(programme: Any = None) -> dict[str, Any]:
    """The pitch pipeline in figures, for the public page, the API and the SDG dashboard:
    plans by status, investors' interest, outcomes by status, the money funded (in US
    dollars, ``portal.pitch.money``) in total and by instrument.  Only plans of published
    programmes; ``programme``: one of them."""
    plans = ScaleUpPlan.objects.filter(programme__is_published=True)
    if programme is not None:
        plans = plans.filter(programme=programme)
    by_status = Counter(
        dict(plans.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    )
    outcomes = PitchOutcome.objects.filter(
        plan__in=plans.filter(status__in=ScaleUpPlan.IN_PIPELINE)
    )
    outcome_counts = Counter(
        dict(outcomes.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    )
    funded = outcomes.filter(status=PitchOutcome.Status.FUNDED)
    by_instrument = {
        row["instrument"]: row
        for row in funded.values("instrument").annotate(
            count=Count("pk"), amount_usd=Sum("amount_usd")
        )
    }
    return {
        "plans": {status: by_status.get(status, 0) for status in ScaleUpPlan.IN_PIPELINE},
        "plans_in_pipeline": sum(by_status.get(s, 0) for s in ScaleUpPlan.IN_PIPELINE),
        "interests": InvestorInterest.objects.filter(
            plan__in=plans.filter(status__in=ScaleUpPlan.IN_PIPELINE)
        ).count(),
        "outcomes": {
            status: outcome_counts.get(status, 0) for status in PitchOutcome.Status.values
        },
        "funded_count": outcome_counts.get(PitchOutcome.Status.FUNDED, 0),
        "funded_usd": sum(
            (r["amount_usd"] or Decimal(0) for r in by_instrument.values()), Decimal(0)
        ),
        "funded_by_instrument": [
            {
                "instrument": code,
                "label": str(label),
                "count": by_instrument.get(code, {}).get("count", 0),
                "amount_usd": by_instrument.get(code, {}).get("amount_usd") or Decimal(0),
            }
            for code, label in Instrument.choices
        ],
    }
