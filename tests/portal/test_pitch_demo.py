"""The demo shows the pitch pipeline: the Partnership Forum's Scale-up Tank with its call and
session, three plans with evidence from their reports, three investors, matches with reasons,
interest and outcomes (funded, in due diligence, declined with a reason), and investor@."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from pledgebook.portal.models.pitch import (
    InvestorInterest,
    InvestorProfile,
    PitchCall,
    PitchInvitation,
    PitchOutcome,
    ScaleUpPlan,
)
from pledgebook.portal.pitch import matching
from pledgebook.portal.pitch.public import pitch_outcome_figures
from tests.core.test_load_demo import load

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pitch_segment_with_matches_and_outcomes() -> None:
    load()
    call = PitchCall.objects.get(programme__slug="ecosoc-partnership-forum-2025")
    assert call.session is not None and call.session.kind == "pitch"
    plans = ScaleUpPlan.objects.filter(programme=call.programme)
    assert sorted(plans.values_list("status", flat=True)) == ["scheduled"] * 3
    assert all(p.evidence_count > 0 for p in plans)
    assert PitchInvitation.objects.get().status == "accepted"
    assert InvestorProfile.objects.count() == 3
    assert InvestorInterest.objects.count() == 4
    assert sorted(PitchOutcome.objects.values_list("status", flat=True)) == [
        "declined",
        "due_diligence",
        "funded",
        "met",
    ]
    assert PitchOutcome.objects.get(status="declined").reason
    investor = get_user_model().objects.get(username="investor@demo.pledgebook.org")
    profile = InvestorProfile.objects.get(organisation__people=investor)
    ranking = matching.investor_matches(profile)
    assert ranking.matched == 3 and ranking.excluded == 0
    assert all(m.score == sum(r.weight for r in m.reasons) > 0 for m in ranking.matches)
    bank = InvestorProfile.objects.get(kind="development_bank")
    assert matching.investor_matches(bank).filtered["area"] == 2
    figures = pitch_outcome_figures(call.programme)
    assert (figures["funded_count"], figures["plans_in_pipeline"]) == (1, 3)
