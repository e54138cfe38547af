"""Every state change of the pitch pipeline: keyword-only, permission checked, in one
transaction, audited (``core.audit``: subjects ``pitch_plan``, ``pitch_call``,
``pitch_invitation``, ``investor_profile``, ``investor_interest``, ``pitch_outcome``); status
changes through ``core.transitions``.

A plan is written (``save_plan``) by the commitment's maker or the coalition's lead, then
submitted (``submit_plan``): to the open call (``submitted``) while the call is open, or,
having accepted the secretariat's invitation, at any time (``invited``).  The secretariat
shortlists it and schedules it into the pitch session of the call; the maker may withdraw it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.commitments.models import Commitment
from pledgebook.core import audit, notify, site
from pledgebook.core.permissions import require
from pledgebook.core.transitions import transition
from pledgebook.forum.models import Session
from pledgebook.organisations.models import Organisation, Representative
from pledgebook.portal.models.pitch import (
    InvestorInterest,
    InvestorProfile,
    PitchCall,
    PitchInvitation,
    PitchOutcome,
    ScaleUpPlan,
)
from pledgebook.portal.pitch import geo, matching, money, validation
from pledgebook.portal.pitch.rules import INVESTOR_CATEGORIES

STATE_REFUSAL = gettext_lazy("This plan is %(state)s: it cannot be %(action)s.")


def plan_organisation(actor: Any, partnership: Any) -> Organisation:
    """Who writes the plan: the commitment's maker, or the coalition's lead that ``actor``
    represents."""
    if isinstance(partnership, Commitment):
        return partnership.organisation
    lead = Organisation.objects.filter(
        coalition_memberships__coalition=partnership,
        coalition_memberships__role=Membership.Role.LEAD,
        coalition_memberships__status=Membership.Status.ACTIVE,
        representative__user=actor,
    ).first()
    if lead is None:
        raise ValidationError(_("You do not represent a lead organisation of this coalition."))
    return lead


def _area(countries: Iterable[Any], regions: Iterable[Any]) -> geo.Mask:
    return geo.mask(geo.countries_of([c.pk for c in countries], [r.pk for r in regions]))


def _set_area(row: Any, countries: list[Any], regions: list[Any]) -> None:
    row.geo0, row.geo1, row.geo2, row.geo3, row.geo4 = _area(countries, regions)


def save_plan(
    *,
    actor: Any,
    partnership: Commitment | Coalition,
    plan: ScaleUpPlan | None = None,
    title: str,
    text: str,
    amount: Decimal | None,
    currency: Any,
    instruments: list[str],
    stage: str,
    countries: list[Any],
    regions: list[Any],
    goals: list[Any],
    values: list[Any],
    reports: list[Any],
) -> ScaleUpPlan:
    """Create or change the scale-up plan of ``partnership`` (a draft, or one in the pipeline
    not yet shortlisted).  Refused, nothing saved, when a content rule fails."""
    require(actor, "pitch.plan_for", partnership)
    if plan is not None:
        require(actor, "pitch.change_plan", plan)
        if plan.status not in (
            ScaleUpPlan.Status.DRAFT,
            ScaleUpPlan.Status.SUBMITTED,
            ScaleUpPlan.Status.INVITED,
        ):
            raise ValidationError(
                _("This plan is %(state)s: it can no longer be changed.")
                % {"state": plan.get_status_display().lower()}
            )
    organisation = plan.organisation if plan is not None else plan_organisation(actor, partnership)
    errors = validation.check_plan(
        partnership=partnership,
        organisation=organisation,
        title=title,
        plan=text,
        amount=amount,
        instruments=instruments,
        stage=stage,
        countries=countries,
        regions=regions,
        values=values,
        reports=reports,
    )
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    rate, rate_on = money.rate_or_error(currency.pk)
    with transaction.atomic():
        row = plan or ScaleUpPlan(
            programme=partnership.programme,
            organisation=organisation,
            created_by=actor,
            **{"commitment" if isinstance(partnership, Commitment) else "coalition": partnership},
        )
        row.title = title.strip()
        row.plan = text.strip()
        row.amount = amount
        row.currency = currency
        row.usd_rate, row.usd_rate_on = rate, rate_on
        row.amount_usd = money.to_usd(amount, rate)
        row.instrument_mask = matching.instrument_mask(instruments)
        row.stage = stage
        row.sdg_mask = matching.sdg_mask(g.pk for g in goals)
        row.evidence_count = len(values) + len(reports)
        _set_area(row, countries, regions)
        row.save()
        row.countries.set(countries)
        row.regions.set(regions)
        row.evidence_values.set(values)
        row.evidence_reports.set(reports)
        audit.record(
            actor=actor,
            action="pitch_plan.saved",
            obj=row,
            programme=row.programme,
            data={"amount": str(amount), "currency": currency.pk, "instruments": instruments},
        )
    return row


def open_call(programme: Any) -> PitchCall | None:
    return PitchCall.objects.filter(programme=programme).select_related("session").first()


def accepted_invitation(plan: ScaleUpPlan) -> PitchInvitation | None:
    key: dict[str, Any] = (
        {"commitment": plan.commitment} if plan.commitment_id else {"coalition": plan.coalition}
    )
    return PitchInvitation.objects.filter(
        programme=plan.programme,
        **key,
        status=PitchInvitation.Status.ACCEPTED,
    ).first()


def submit_plan(*, actor: Any, plan: ScaleUpPlan, now: dt.datetime | None = None) -> ScaleUpPlan:
    """Into the pipeline: ``invited`` when the partnership accepted the secretariat's
    invitation, else ``submitted`` to the open call, which must be open."""
    now = now or timezone.now()
    to = ScaleUpPlan.Status.INVITED if accepted_invitation(plan) else ScaleUpPlan.Status.SUBMITTED
    if to == ScaleUpPlan.Status.SUBMITTED:
        call = open_call(plan.programme)
        if call is None or not call.is_open(now):
            require(actor, "pitch.change_plan", plan)
            raise ValidationError(
                _("The programme's call for scale-up plans is not open: it cannot be submitted.")
            )

    def apply(row: ScaleUpPlan, previous: str) -> list[str]:
        row.submitted_at = now
        return ["submitted_at"]

    return transition(
        plan,
        actor=actor,
        perm="pitch.change_plan",
        allowed_from=[ScaleUpPlan.Status.DRAFT],
        to=to,
        action=gettext_lazy("submitted"),
        refusal=STATE_REFUSAL,
        audit_action="pitch_plan.submitted",
        apply=apply,
    )


def withdraw_plan(*, actor: Any, plan: ScaleUpPlan) -> ScaleUpPlan:
    return transition(
        plan,
        actor=actor,
        perm="pitch.change_plan",
        allowed_from=[ScaleUpPlan.Status.DRAFT, *ScaleUpPlan.IN_PIPELINE],
        to=ScaleUpPlan.Status.WITHDRAWN,
        action=gettext_lazy("withdrawn"),
        refusal=STATE_REFUSAL,
        audit_action="pitch_plan.withdrawn",
    )


def shortlist_plan(*, actor: Any, plan: ScaleUpPlan) -> ScaleUpPlan:
    return transition(
        plan,
        actor=actor,
        perm="pitch.curate_plan",
        allowed_from=[ScaleUpPlan.Status.SUBMITTED, ScaleUpPlan.Status.INVITED],
        to=ScaleUpPlan.Status.SHORTLISTED,
        action=gettext_lazy("shortlisted"),
        refusal=STATE_REFUSAL,
        audit_action="pitch_plan.shortlisted",
    )


def schedule_plan(*, actor: Any, plan: ScaleUpPlan) -> ScaleUpPlan:
    """Into the pitch session of the programme's call (which must name one)."""
    require(actor, "pitch.curate_plan", plan)
    call = open_call(plan.programme)
    if call is None or call.session is None:
        raise ValidationError(
            _("Name the pitch session of the call first: there is no session to schedule into.")
        )
    session = call.session

    def apply(row: ScaleUpPlan, previous: str) -> list[str]:
        row.session = session
        return ["session"]

    return transition(
        plan,
        actor=actor,
        perm="pitch.curate_plan",
        allowed_from=[ScaleUpPlan.Status.SHORTLISTED],
        to=ScaleUpPlan.Status.SCHEDULED,
        action=gettext_lazy("scheduled"),
        refusal=STATE_REFUSAL,
        audit_action="pitch_plan.scheduled",
        apply=apply,
        data={"session": session.pk},
    )


def save_call(
    *,
    actor: Any,
    programme: Any,
    title: str,
    description: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    session: Session | None,
) -> PitchCall:
    require(actor, "pitch.curate", programme)
    errors: dict[str, list[str]] = {}
    if closes_at <= opens_at:
        errors["closes_at"] = [_("The call must close after it opens.")]
    if session is not None and (
        session.kind != Session.Kind.PITCH or session.event.programme_id != programme.pk
    ):
        errors["session"] = [_("Choose a pitch session of this programme's forum.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        call, created = PitchCall.objects.update_or_create(
            programme=programme,
            defaults={
                "title": title.strip(),
                "description": description.strip(),
                "opens_at": opens_at,
                "closes_at": closes_at,
                "session": session,
            },
        )
        audit.record(
            actor=actor,
            action="pitch_call.created" if created else "pitch_call.changed",
            obj=call,
            programme=programme,
        )
    return call


def invite(*, actor: Any, programme: Any, partnership: Any, message: str) -> PitchInvitation:
    """The secretariat invites a public commitment or coalition of its programme it found."""
    require(actor, "pitch.curate", programme)
    if partnership.programme_id != programme.pk:
        raise ValidationError(_("This partnership is not in the programme."))
    if isinstance(partnership, Commitment):
        if partnership.status not in Commitment.PUBLIC_STATUSES:
            raise ValidationError(_("Only a confirmed commitment can be invited."))
        organisation = partnership.organisation
        key = {"commitment": partnership}
    else:
        if partnership.state not in (Coalition.State.ACCEPTED, Coalition.State.ACTIVE):
            raise ValidationError(_("Only an accepted or active coalition can be invited."))
        lead = Organisation.objects.filter(
            coalition_memberships__coalition=partnership,
            coalition_memberships__role=Membership.Role.LEAD,
            coalition_memberships__status=Membership.Status.ACTIVE,
        ).first()
        if lead is None:
            raise ValidationError(_("This coalition has no lead organisation to invite."))
        organisation = lead
        key = {"coalition": partnership}
    if PitchInvitation.objects.filter(
        programme=programme, status__in=["pending", "accepted"], **key
    ).exists():
        raise ValidationError(_("This partnership has already been invited."))
    with transaction.atomic():
        invitation = PitchInvitation.objects.create(
            programme=programme,
            organisation=organisation,
            message=message.strip(),
            invited_by=actor,
            **key,
        )
        audit.record(
            actor=actor, action="pitch_invitation.invited", obj=invitation, programme=programme
        )
        notify.notify(
            to=notify.emails_of(organisation),
            template="pitch_invited",
            context={
                "invitation": invitation,
                "programme": programme,
                "partnership": partnership,
                "url": site.absolute_url(reverse("workspace:pitch")),
            },
        )
    return invitation


def answer_invitation(*, actor: Any, invitation: PitchInvitation, accept: bool) -> PitchInvitation:
    def apply(row: PitchInvitation, previous: str) -> list[str]:
        row.answered_at = timezone.now()
        return ["answered_at"]

    return transition(
        invitation,
        actor=actor,
        perm="pitch.answer_invitation",
        allowed_from=[PitchInvitation.Status.PENDING],
        to=PitchInvitation.Status.ACCEPTED if accept else PitchInvitation.Status.DECLINED,
        action=gettext_lazy("accepted") if accept else gettext_lazy("declined"),
        refusal=gettext_lazy("This invitation is %(state)s: it cannot be %(action)s."),
        audit_action="pitch_invitation.accepted" if accept else "pitch_invitation.declined",
        apply=apply,
    )


def save_profile(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    summary: str,
    ticket_min: Decimal | None,
    ticket_max: Decimal | None,
    currency: Any,
    instruments: list[str],
    stages: list[str],
    countries: list[Any],
    regions: list[Any],
    goals: list[Any],
) -> InvestorProfile:
    require(actor, "pitch.keep_profile", organisation)
    errors = validation.check_profile(
        kind=kind,
        allowed_kinds=INVESTOR_CATEGORIES.get(organisation.category, ()),
        ticket_min=ticket_min,
        ticket_max=ticket_max,
        instruments=instruments,
    )
    if errors:
        raise ValidationError(errors)
    assert ticket_min is not None and ticket_max is not None
    rate, rate_on = money.rate_or_error(currency.pk)
    with transaction.atomic():
        profile = InvestorProfile.objects.filter(organisation=organisation).first()
        created = profile is None
        profile = profile or InvestorProfile(organisation=organisation)
        profile.kind = kind
        profile.summary = summary.strip()
        profile.ticket_min, profile.ticket_max = ticket_min, ticket_max
        profile.currency = currency
        profile.usd_rate, profile.usd_rate_on = rate, rate_on
        profile.ticket_min_usd = money.to_usd(ticket_min, rate)
        profile.ticket_max_usd = money.to_usd(ticket_max, rate)
        profile.instrument_mask = matching.instrument_mask(instruments)
        profile.stage_mask = matching.stage_mask(stages)
        profile.sdg_mask = matching.sdg_mask(g.pk for g in goals)
        _set_area(profile, countries, regions)
        profile.save()
        profile.countries.set(countries)
        profile.regions.set(regions)
        audit.record(
            actor=actor,
            action="investor_profile.created" if created else "investor_profile.changed",
            obj=profile,
            data={"ticket": [str(ticket_min), str(ticket_max), currency.pk]},
        )
    return profile


def record_interest(
    *, actor: Any, investor: InvestorProfile, plan: ScaleUpPlan, note: str = ""
) -> InvestorInterest:
    require(actor, "pitch.act_as_investor", investor)
    if plan.status not in ScaleUpPlan.IN_PIPELINE:
        raise ValidationError(_("This plan is not in the pitch pipeline."))
    if InvestorInterest.objects.filter(plan=plan, investor=investor).exists():
        raise ValidationError(_("Your interest in this plan is already recorded."))
    with transaction.atomic():
        interest = InvestorInterest.objects.create(
            plan=plan, investor=investor, note=note.strip(), created_by=actor
        )
        audit.record(
            actor=actor,
            action="investor_interest.recorded",
            obj=interest,
            programme=plan.programme,
        )
        notify.notify(
            to=[
                *notify.emails_of(plan.organisation),
            ],
            template="pitch_interest",
            context={"plan": plan, "investor": investor.organisation},
        )
    return interest


def record_outcome(
    *,
    actor: Any,
    plan: ScaleUpPlan,
    investor: InvestorProfile,
    status: str,
    amount: Decimal | None = None,
    currency: Any = None,
    instrument: str = "",
    reason: str = "",
) -> PitchOutcome:
    """What came of ``plan`` and ``investor``: a new outcome, or a change of an open one (met,
    in due diligence) through ``core.transitions``; funded and declined are final."""
    existing = PitchOutcome.objects.filter(plan=plan, investor=investor).first()
    probe = existing or PitchOutcome(plan=plan, investor=investor)
    require(actor, "pitch.record_outcome", probe)
    if plan.status not in (*ScaleUpPlan.IN_PIPELINE,):
        raise ValidationError(_("This plan is not in the pitch pipeline."))
    errors = validation.check_outcome(
        status=status, amount=amount, currency=currency, instrument=instrument, reason=reason
    )
    if errors:
        raise ValidationError(errors)
    funded = status == PitchOutcome.Status.FUNDED
    amount_usd = None
    if funded:
        assert amount is not None
        rate, _on = money.rate_or_error(currency.pk)
        amount_usd = money.to_usd(amount, rate)
    values = {
        "amount": amount if funded else None,
        "currency": currency if funded else None,
        "amount_usd": amount_usd,
        "instrument": instrument if funded else "",
        "reason": reason.strip(),
        "recorded_by": actor,
    }
    if existing is None:
        with transaction.atomic():
            outcome = PitchOutcome.objects.create(
                plan=plan, investor=investor, status=status, **values
            )
            audit.record(
                actor=actor,
                action=f"pitch_outcome.{status}",
                obj=outcome,
                programme=plan.programme,
                reason=values["reason"],
            )
        return outcome

    def apply(row: PitchOutcome, previous: str) -> list[str]:
        for name, value in values.items():
            setattr(row, name, value)
        return list(values)

    return transition(
        existing,
        actor=actor,
        perm="pitch.record_outcome",
        allowed_from=PitchOutcome.OPEN,
        to=status,
        action=PitchOutcome.Status(status).label.lower(),
        refusal=gettext_lazy("This outcome is %(state)s: it cannot become %(action)s."),
        audit_action=f"pitch_outcome.{status}",
        programme=plan.programme,
        apply=apply,
    )


def investor_organisations(user: Any) -> list[Organisation]:
    """The organisations of an investor category that ``user`` represents."""
    ids = Representative.objects.filter(user=user).values("organisation_id")
    return list(
        Organisation.objects.filter(pk__in=ids, category__in=list(INVESTOR_CATEGORIES)).order_by(
            "name"
        )
    )
