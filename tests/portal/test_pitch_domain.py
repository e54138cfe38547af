"""The pitch pipeline's domain: plans, the call, invitations, the shortlist and schedule,
profiles, interest and outcomes; bad input refused at the field with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category
from pledgebook.portal.models.pitch import (
    InvestorProfile,
    PitchInvitation,
    PitchOutcome,
    ScaleUpPlan,
)
from pledgebook.portal.pitch import domain
from pledgebook.reference.models import Currency
from tests import factories
from tests.portal import factories_pitch as fp

pytestmark = pytest.mark.django_db


def test_a_maker_saves_and_submits_a_plan_with_evidence_of_its_own_reports(theme):
    commitment, user = fp.maker(theme)
    report = fp.submitted_report(commitment)
    value = report.values.get()
    plan = fp.plan(commitment, user, submit=False, values=[value], reports=[report])
    assert plan.status == "draft"
    assert plan.evidence_count == 2
    assert plan.amount_usd == Decimal("500000.00")
    assert plan.instrument_mask == 2 | 4
    assert plan.sdg_mask == (1 << 13) | (1 << 4)
    fp.open_call(theme.programme)
    plan = domain.submit_plan(actor=user, plan=plan)
    assert plan.status == "submitted"
    assert list(
        AuditEntry.objects.filter(object_id=plan.pk, object_type="portal.scaleupplan")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["pitch_plan.saved", "pitch_plan.submitted"]


def test_a_plan_in_euros_is_compared_in_dollars_at_the_latest_rate(theme):
    fp.eur_rate(theme.programme, "0.8", dt.date(2025, 1, 1))
    fp.eur_rate(theme.programme, "0.9", dt.date(2025, 6, 1))
    commitment, user = fp.maker(theme)
    plan = fp.plan(
        commitment,
        user,
        submit=False,
        currency=Currency.objects.get(code="EUR"),
        amount=Decimal("900000"),
    )
    assert (plan.usd_rate, plan.usd_rate_on, plan.amount_usd) == (
        Decimal("0.9"),
        dt.date(2025, 6, 1),
        Decimal("1000000.00"),
    )


def test_a_currency_without_a_rate_is_refused_at_the_currency(theme):
    commitment, user = fp.maker(theme)
    with pytest.raises(ValidationError) as refused:
        fp.plan(commitment, user, submit=False, currency=Currency.objects.get(code="KES"))
    assert list(refused.value.message_dict) == ["currency"]
    assert not ScaleUpPlan.objects.exists()


def test_a_plan_without_amount_or_instrument_is_refused_at_each_field(theme):
    commitment, user = fp.maker(theme)
    with pytest.raises(ValidationError) as refused:
        fp.plan(commitment, user, submit=False, amount=None, instruments=[], countries=[])
    assert refused.value.message_dict == {
        "amount": ["Give the funding sought."],
        "instruments": ["Choose at least one instrument."],
        "countries": ["Say where the partnership will scale: a country or a region."],
    }
    assert not ScaleUpPlan.objects.exists()


def test_evidence_from_another_organisations_report_is_refused(theme):
    commitment, user = fp.maker(theme)
    other, _other_user = fp.maker(theme)
    foreign = fp.submitted_report(other)
    with pytest.raises(ValidationError) as refused:
        fp.plan(commitment, user, submit=False, values=[foreign.values.get()], reports=[foreign])
    assert refused.value.message_dict == {
        "evidence_values": ["Evidence must come from your own submitted progress reports."],
        "evidence_reports": ["Disbursements must come from your own submitted progress reports."],
    }
    assert not ScaleUpPlan.objects.exists()


def test_a_plan_is_not_submitted_while_the_call_is_closed(theme):
    commitment, user = fp.maker(theme)
    plan = fp.plan(commitment, user, submit=False)
    call = fp.open_call(theme.programme)
    call.closes_at = timezone.now() - dt.timedelta(hours=1)
    call.opens_at = call.closes_at - dt.timedelta(days=3)
    call.save()
    with pytest.raises(ValidationError):
        domain.submit_plan(actor=user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_an_invited_partnership_submits_outside_the_call_and_is_curated(theme):
    secretariat = factories.staff(theme.programme)
    commitment, user = fp.maker(theme)
    mail.outbox.clear()
    invitation = domain.invite(
        actor=secretariat,
        programme=theme.programme,
        partnership=commitment,
        message="We read your report.",
    )
    assert [m.to for m in mail.outbox] == [[user.email]]
    with pytest.raises(ValidationError):
        domain.invite(
            actor=secretariat, programme=theme.programme, partnership=commitment, message=""
        )
    domain.answer_invitation(actor=user, invitation=invitation, accept=True)
    plan = domain.submit_plan(actor=user, plan=fp.plan(commitment, user, submit=False))
    assert plan.status == "invited"
    with pytest.raises(ValidationError):  # no pitch session named yet
        domain.schedule_plan(actor=secretariat, plan=plan)
    plan = domain.shortlist_plan(actor=secretariat, plan=plan)
    session = factories.SessionFactory(
        event=factories.EventFactory(programme=theme.programme), kind="pitch"
    )
    fp.open_call(theme.programme, session)
    plan = domain.schedule_plan(actor=secretariat, plan=plan)
    assert (plan.status, plan.session) == ("scheduled", session)


def test_a_declined_invitation_leaves_the_route_of_the_open_call(theme):
    secretariat = factories.staff(theme.programme)
    commitment, user = fp.maker(theme)
    invitation = domain.invite(
        actor=secretariat, programme=theme.programme, partnership=commitment, message=""
    )
    domain.answer_invitation(actor=user, invitation=invitation, accept=False)
    assert PitchInvitation.objects.get().status == "declined"
    assert fp.plan(commitment, user).status == "submitted"


def test_an_investor_profile_with_min_above_max_is_refused_at_the_minimum(db):
    org = factories.OrganisationFactory(category=Category.PHILANTHROPY)
    user = factories.representative(org)
    with pytest.raises(ValidationError) as refused:
        domain.save_profile(
            actor=user,
            organisation=org,
            **fp.profile_data(ticket_min=Decimal("5"), ticket_max=Decimal("1")),
        )
    assert refused.value.message_dict == {
        "ticket_min": ["The smallest ticket is larger than the largest: 5 > 1."]
    }
    assert not InvestorProfile.objects.exists()


def test_only_investor_categories_keep_a_profile(db):
    org = factories.OrganisationFactory(category=Category.CIVIL_SOCIETY)
    user = factories.representative(org)
    with pytest.raises(PermissionDenied):
        domain.save_profile(actor=user, organisation=org, **fp.profile_data())
    assert not InvestorProfile.objects.exists()


def test_the_kind_of_investor_must_fit_the_category(db):
    org = factories.OrganisationFactory(category=Category.PHILANTHROPY)
    user = factories.representative(org)
    with pytest.raises(ValidationError) as refused:
        domain.save_profile(
            actor=user, organisation=org, **fp.profile_data(kind="development_bank")
        )
    assert list(refused.value.message_dict) == ["kind"]


def test_interest_and_outcomes_from_met_to_funded(theme):
    secretariat = factories.staff(theme.programme)
    commitment, maker_user = fp.maker(theme)
    plan = fp.plan(commitment, maker_user)
    profile, investor_user = fp.investor()
    mail.outbox.clear()
    domain.record_interest(actor=investor_user, investor=profile, plan=plan, note="Keen")
    assert [m.to for m in mail.outbox] == [[maker_user.email]]
    with pytest.raises(ValidationError):
        domain.record_interest(actor=investor_user, investor=profile, plan=plan)
    domain.record_outcome(actor=investor_user, plan=plan, investor=profile, status="met")
    with pytest.raises(ValidationError) as refused:
        domain.record_outcome(actor=secretariat, plan=plan, investor=profile, status="funded")
    assert set(refused.value.message_dict) == {"amount", "currency", "instrument"}
    outcome = domain.record_outcome(
        actor=secretariat,
        plan=plan,
        investor=profile,
        status="funded",
        amount=Decimal("400000"),
        currency=fp.usd(),
        instrument="guarantee",
    )
    assert (outcome.status, outcome.amount_usd, outcome.instrument) == (
        "funded",
        Decimal("400000.00"),
        "guarantee",
    )
    with pytest.raises(ValidationError):  # funded is final
        domain.record_outcome(
            actor=secretariat, plan=plan, investor=profile, status="declined", reason="No"
        )
    assert PitchOutcome.objects.get().status == "funded"


def test_a_declined_outcome_needs_a_reason(theme):
    commitment, maker_user = fp.maker(theme)
    plan = fp.plan(commitment, maker_user)
    profile, investor_user = fp.investor()
    with pytest.raises(ValidationError) as refused:
        domain.record_outcome(
            actor=investor_user, plan=plan, investor=profile, status="declined", reason=" "
        )
    assert refused.value.message_dict == {"reason": ["Give the reason it was declined."]}
    assert not PitchOutcome.objects.exists()
