"""Matching: no match ever violates a hard constraint (instrument, ticket, area), the SQL of
one investor's ranking agrees with the Python rule, every score is the sum of the weights of
the reasons shown, on the page too (property-based, hypothesis)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.organisations.models import Category
from pledgebook.portal.models.pitch import InvestorKind, InvestorProfile, ScaleUpPlan, Stage
from pledgebook.portal.pitch import geo, index, matching
from pledgebook.reference.models import Region
from tests import factories
from tests.portal import factories_pitch as fp

pytestmark = pytest.mark.django_db

COUNTRIES = ["KE", "UG", "FR", "BR", "FJ", "IN", "US"]
REGIONS = ["002", "150", "009", "019"]  # Africa, Europe, Oceania, Americas
INSTRUMENTS = list(matching.INSTRUMENT_BITS)

areas = st.tuples(
    st.sets(st.sampled_from(COUNTRIES), max_size=3), st.sets(st.sampled_from(REGIONS), max_size=2)
)
amounts = st.integers(min_value=1, max_value=5_000_000).map(Decimal)
plans = st.fixed_dictionaries(
    {
        "instruments": st.sets(st.sampled_from(INSTRUMENTS), min_size=1),
        "amount": amounts,
        "area": areas.filter(lambda a: bool(a[0] or a[1])),
        "sdgs": st.sets(st.integers(1, 17), max_size=5),
        "stage": st.sampled_from(Stage.values),
        "evidence": st.integers(0, 8),
        "status": st.sampled_from(ScaleUpPlan.Status.values),
    }
)
profiles = st.fixed_dictionaries(
    {
        "instruments": st.sets(st.sampled_from(INSTRUMENTS), min_size=1),
        "ticket": st.tuples(amounts, amounts).map(sorted),
        "area": areas,
        "sdgs": st.sets(st.integers(1, 17), max_size=5),
        "stages": st.sets(st.sampled_from(Stage.values)),
    }
)


def _mask(area: tuple[set[str], set[str]]) -> geo.Mask:
    return geo.mask(geo.countries_of(area[0], area[1]))


@pytest.fixture
def base(theme: Any) -> dict[str, Any]:
    commitment, _user = fp.maker(theme)
    org = factories.OrganisationFactory(category=Category.PHILANTHROPY)
    return {"commitment": commitment, "org": org}


def _profile(base: dict[str, Any], spec: dict[str, Any]) -> InvestorProfile:
    g = _mask(spec["area"])
    low, high = spec["ticket"]
    return InvestorProfile.objects.create(
        organisation=base["org"],
        kind=InvestorKind.FOUNDATION,
        ticket_min=low,
        ticket_max=high,
        ticket_min_usd=low,
        ticket_max_usd=high,
        currency=fp.usd(),
        usd_rate=Decimal(1),
        instrument_mask=matching.instrument_mask(spec["instruments"]),
        stage_mask=matching.stage_mask(spec["stages"]),
        sdg_mask=matching.sdg_mask(spec["sdgs"]),
        geo0=g[0],
        geo1=g[1],
        geo2=g[2],
        geo3=g[3],
        geo4=g[4],
    )


def _plans(base: dict[str, Any], specs: list[dict[str, Any]]) -> list[ScaleUpPlan]:
    commitment = base["commitment"]
    rows = []
    for spec in specs:
        g = _mask(spec["area"])
        rows.append(
            ScaleUpPlan(
                programme=commitment.programme,
                commitment=commitment,
                organisation=commitment.organisation,
                title="Plan",
                plan="Scale",
                amount=spec["amount"],
                amount_usd=spec["amount"],
                usd_rate=Decimal(1),
                currency=fp.usd(),
                stage=spec["stage"],
                status=spec["status"],
                instrument_mask=matching.instrument_mask(spec["instruments"]),
                sdg_mask=matching.sdg_mask(spec["sdgs"]),
                evidence_count=spec["evidence"],
                geo0=g[0],
                geo1=g[1],
                geo2=g[2],
                geo3=g[3],
                geo4=g[4],
            )
        )
    made = ScaleUpPlan.objects.bulk_create(rows)
    index.changed()  # bulk_create sends no signal
    return made


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan_specs=st.lists(plans, max_size=12), profile_spec=profiles)
def test_investor_ranking_never_shows_a_plan_violating_a_hard_constraint(
    base: dict[str, Any], plan_specs: list[dict[str, Any]], profile_spec: dict[str, Any]
) -> None:
    ScaleUpPlan.objects.all().delete()
    InvestorProfile.objects.all().delete()
    profile = _profile(base, profile_spec)
    made = _plans(base, plan_specs)
    ranking = matching.investor_matches(profile)
    in_pipeline = [p for p in made if p.status in ScaleUpPlan.IN_PIPELINE]
    broken = {p.pk: matching.violations(matching.PlanFacts.of(p), profile) for p in in_pipeline}
    # exactly the plans of the pipeline breaking no constraint, best first
    assert sorted(m.plan_id for m in ranking.matches) == sorted(
        pk for pk, b in broken.items() if not b
    )
    assert [m.score for m in ranking.matches] == sorted(
        (m.score for m in ranking.matches), reverse=True
    )
    assert ranking.matched == len(ranking.matches)
    for m in ranking.matches:
        assert m.score == sum(r.weight for r in m.reasons) == m.ranked_by
        plan = next(p for p in made if p.pk == m.plan_id)
        assert m.reasons == matching.reasons(matching.PlanFacts.of(plan), profile)
    # what each hard constraint filtered out
    assert ranking.considered == len(in_pipeline)
    assert ranking.excluded == sum(1 for b in broken.values() if b)
    assert ranking.filtered == {
        c: sum(c in b for b in broken.values()) for c in matching.CONSTRAINTS
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan_spec=plans, profile_specs=st.lists(profiles, min_size=1, max_size=5))
def test_a_plans_investors_are_those_whose_constraints_it_meets(
    base: dict[str, Any], plan_spec: dict[str, Any], profile_specs: list[dict[str, Any]]
) -> None:
    ScaleUpPlan.objects.all().delete()
    InvestorProfile.objects.all().delete()
    profiles_made = []
    for spec in profile_specs:
        org = factories.OrganisationFactory(category=Category.PHILANTHROPY)
        profiles_made.append(_profile({**base, "org": org}, spec))
    (plan,) = _plans(base, [plan_spec])
    ranking = matching.plan_matches(plan)
    facts = matching.PlanFacts.of(plan)
    expected = {p.pk for p in profiles_made if not matching.violations(facts, p)}
    assert {m.investor_id for m in ranking.matches} == expected
    for m in ranking.matches:
        assert m.score == sum(r.weight for r in m.reasons)
    assert ranking.excluded == len(profiles_made) - len(expected)


def test_instrument_ticket_and_area_each_exclude(theme: Any) -> None:
    commitment, user = fp.maker(theme)
    fitting = fp.plan(commitment, user)  # loan+guarantee, 500,000 USD, Kenya, SDG 14 and 5
    wrong_instrument = fp.plan(
        factories.CommitmentFactory(
            theme=theme, organisation=commitment.organisation, status="confirmed"
        ),
        user,
        instruments=["equity"],
    )
    too_big = fp.plan(
        factories.CommitmentFactory(
            theme=theme, organisation=commitment.organisation, status="confirmed"
        ),
        user,
        amount=Decimal("2000000"),
    )
    elsewhere = fp.plan(
        factories.CommitmentFactory(
            theme=theme, organisation=commitment.organisation, status="confirmed"
        ),
        user,
        countries=[],
        regions=[Region.objects.get(m49="150")],
    )
    profile, _ = fp.investor()  # grant+guarantee, 100,000-1,000,000 USD, Africa, SDG 14, scale-up
    ranking = matching.investor_matches(profile)
    assert [m.plan_id for m in ranking.matches] == [fitting.pk]
    assert ranking.filtered == {"instrument": 1, "ticket": 1, "area": 1}
    assert ranking.excluded == 3
    assert [(r.code, r.weight) for r in ranking.matches[0].reasons] == [("sdg", 10), ("stage", 15)]
    assert {wrong_instrument.pk, too_big.pk, elsewhere.pk}.isdisjoint(
        m.plan_id for m in ranking.matches
    )


def test_the_page_shows_reasons_that_add_up_to_the_score(theme: Any) -> None:
    commitment, user = fp.maker(theme)
    report = fp.submitted_report(commitment)
    fp.plan(commitment, user, values=[report.values.get()], reports=[report])
    profile, investor_user = fp.investor()
    client = Client()
    client.force_login(investor_user)
    page = client.get(
        reverse("workspace:pitch_matches", args=[profile.organisation.slug])
    ).content.decode()
    items = re.findall(r'<li class="suggestion".*?</li>\s*</ul>', page, re.S)
    assert len(items) == 1
    score = int(re.search(r"Score (\d+)", items[0]).group(1))
    weights = [int(w) for w in re.findall(r'<span class="badge">\+(\d+)</span>', items[0])]
    assert (score, sorted(weights)) == (35, [10, 10, 15])
    assert score == sum(weights)
    assert re.findall(
        r'<tr data-constraint="(\w+)"><th scope="row">[^<]*</th><td>(\d+)</td>', page
    ) == [("instrument", "0"), ("ticket", "0"), ("area", "0")]
