"""Every state change of expressions of interest, coalitions and their members: one
keyword-only function each.  Merges (and co-creation invitations) live in ``merge.py``.

Each function checks permission (``PermissionDenied``), checks the rules (``ValidationError``,
nothing changed), changes state inside ``transaction.atomic`` on rows locked and read again,
records the change in the audit log, and queues the notifications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.coalitions import content
from pledgebook.coalitions.indexing import reindex
from pledgebook.coalitions.models import (
    Coalition,
    CoalitionSettings,
    ExpressionOfInterest,
    Membership,
)
from pledgebook.coalitions.validation import (
    EOIData,
    Errors,
    MemberInput,
    MilestoneInput,
    check_eoi,
    check_milestones,
    check_new_members,
    check_texts,
    normalise_email,
)
from pledgebook.core import audit
from pledgebook.core.notify import emails_of as emails
from pledgebook.core.notify import notify
from pledgebook.core.permissions import require as _require
from pledgebook.core.transitions import transition
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme

EOIStatus = ExpressionOfInterest.Status
CoalitionState = Coalition.State
MembershipStatus = Membership.Status
Container = ExpressionOfInterest | Coalition


# Helpers ---------------------------------------------------------------------------------------


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def lead_emails(container: Container) -> list[str]:
    leads = container.memberships.filter(  # type: ignore[union-attr]
        role=Membership.Role.LEAD, status=MembershipStatus.ACTIVE, organisation__isnull=False
    ).select_related("organisation")
    return [address for m in leads for address in emails(m.organisation)]


def recipients_of(container: Container) -> list[str]:
    """Who hears about what happens to a container: an EOI's proposer, a coalition's leads."""
    if isinstance(container, ExpressionOfInterest):
        return emails(container.organisation)
    return lead_emails(container)


def _lock(obj: Any) -> Any:
    """The row again, locked for the rest of the transaction (PostgreSQL; SQLite locks the
    whole database on write)."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def require_manage(actor: Any, container: Container) -> None:
    if isinstance(container, ExpressionOfInterest):
        _require(actor, "coalitions.change_expressionofinterest", container)
    else:
        _require(actor, "coalitions.change_coalition", container)


# Programme settings ----------------------------------------------------------------------------


def configure_programme(
    *,
    actor: Any,
    programme: Programme,
    eoi_deadline: dt.datetime | None,
    shares_network: bool = True,
) -> CoalitionSettings:
    """Set the deadline for expressions of interest and whether the programme's coalitions are
    part of the shared network."""
    _require(actor, "coalitions.configure_programme", programme)
    with transaction.atomic():
        settings, _created = CoalitionSettings.objects.update_or_create(
            programme=programme,
            defaults={"eoi_deadline": eoi_deadline, "shares_network": shares_network},
        )
        audit.record(
            actor=actor,
            action="programme.coalition_settings",
            obj=settings,
            programme=programme,
            data={
                "eoi_deadline": eoi_deadline.isoformat() if eoi_deadline else None,
                "shares_network": shares_network,
            },
        )
    return settings


# Expressions of interest -----------------------------------------------------------------------


def create_eoi(
    *,
    actor: Any,
    programme: Programme,
    organisation: Organisation,
    title: str,
    summary: str = "",
    is_pre_existing: bool = False,
    principles: Sequence[str] = (),
    asks: Sequence[str] = (),
    milestones: Sequence[MilestoneInput] = (),
    themes: Iterable[Any] = (),
    goals: Iterable[Any] = (),
) -> ExpressionOfInterest:
    """Start a draft for ``organisation``, which becomes its lead member."""
    _require(actor, "organisations.act_for_organisation", organisation)
    if not programme.is_published:
        raise PermissionDenied
    themes, goals = list(themes), list(goals)
    principles_ = content.clean_texts(principles) or []
    asks_ = content.clean_texts(asks) or []
    _raise_if(
        check_eoi(
            EOIData(
                programme_id=programme.pk,
                title=title,
                summary=summary,
                principles=principles_,
                asks=asks_,
                milestones=list(milestones),
                themes=themes,
            ),
            for_submission=False,
        )
    )
    with transaction.atomic():
        eoi = ExpressionOfInterest.objects.create(
            programme=programme,
            organisation=organisation,
            proposed_by=actor,
            title=title.strip(),
            summary=summary.strip(),
            is_pre_existing=is_pre_existing,
        )
        Membership.objects.create(
            eoi=eoi,
            organisation=organisation,
            role=Membership.Role.LEAD,
            status=MembershipStatus.ACTIVE,
            source_eoi=eoi,
            invited_by=actor,
            decided_at=timezone.now(),
        )
        content.write_texts(eoi, "principles", principles_)
        content.write_texts(eoi, "asks", asks_)
        content.write_milestones(eoi, list(milestones))
        eoi.themes.set(themes)
        eoi.goals.set(goals)
        audit.record(actor=actor, action="eoi.created", obj=eoi, programme=programme)
        reindex(eoi)
    return eoi


def update_eoi(
    *,
    actor: Any,
    eoi: ExpressionOfInterest,
    title: str | None = None,
    summary: str | None = None,
    is_pre_existing: bool | None = None,
    principles: Sequence[str] | None = None,
    asks: Sequence[str] | None = None,
    milestones: Sequence[MilestoneInput] | None = None,
    themes: Iterable[Any] | None = None,
    goals: Iterable[Any] | None = None,
) -> ExpressionOfInterest:
    """Edit a draft or a submitted expression of interest (until review starts).  ``None``
    leaves a part as it is; a list replaces it (items that stay keep their rows)."""
    eoi = ExpressionOfInterest.objects.get(pk=eoi.pk)
    _require(actor, "coalitions.change_expressionofinterest", eoi)
    current = EOIData.from_eoi(eoi)
    data = EOIData(
        programme_id=eoi.programme_id,
        title=current.title if title is None else title,
        summary=current.summary if summary is None else summary,
        principles=current.principles
        if principles is None
        else content.clean_texts(principles) or [],
        asks=current.asks if asks is None else content.clean_texts(asks) or [],
        milestones=current.milestones if milestones is None else list(milestones),
        themes=current.themes if themes is None else list(themes),
    )
    # A submitted expression of interest must stay complete.
    _raise_if(check_eoi(data, for_submission=eoi.status != EOIStatus.DRAFT))
    with transaction.atomic():
        eoi = _lock(eoi)
        _require(actor, "coalitions.change_expressionofinterest", eoi)
        changed = []
        for name, value in (
            ("title", None if title is None else title.strip()),
            ("summary", None if summary is None else summary.strip()),
            ("is_pre_existing", is_pre_existing),
        ):
            if value is not None and getattr(eoi, name) != value:
                setattr(eoi, name, value)
                changed.append(name)
        eoi.save(update_fields=[*changed, "updated_at"])
        if principles is not None:
            content.write_texts(eoi, "principles", data.principles)
            changed.append("principles")
        if asks is not None:
            content.write_texts(eoi, "asks", data.asks)
            changed.append("asks")
        if milestones is not None:
            content.write_milestones(eoi, data.milestones)
            changed.append("milestones")
        if themes is not None:
            eoi.themes.set(data.themes)
            changed.append("themes")
        if goals is not None:
            eoi.goals.set(list(goals))
            changed.append("goals")
        audit.record(
            actor=actor,
            action="eoi.edited",
            obj=eoi,
            programme=eoi.programme,
            data={"parts": changed},
        )
        reindex(eoi)
    return eoi


def submit_eoi(
    *, actor: Any, eoi: ExpressionOfInterest, now: dt.datetime | None = None
) -> ExpressionOfInterest:
    """Submit a draft.  After the programme's deadline it is still accepted, marked late: for
    co-creation at or after the conference rather than the conference programme.  The content
    rules are checked on the locked row."""
    now = now or timezone.now()
    settings = CoalitionSettings.for_programme(eoi.programme)
    late = settings.is_late(now)

    def checked(row: ExpressionOfInterest, previous: str) -> list[str]:
        _raise_if(check_eoi(EOIData.from_eoi(row), for_submission=True))
        row.submitted_at = now
        row.is_late = late
        return ["submitted_at", "is_late"]

    def tell(row: ExpressionOfInterest, previous: str) -> None:
        notify(
            to=emails(row.organisation),
            template="coalition_eoi_submitted",
            context={"eoi": row, "deadline": settings.eoi_deadline},
        )

    return transition(
        eoi,
        actor=actor,
        perm="coalitions.submit_expressionofinterest",
        allowed_from=[EOIStatus.DRAFT],
        to=EOIStatus.SUBMITTED,
        action=_("submitted"),
        refusal=EOI_REFUSAL,
        audit_action="eoi.submitted",
        data={"late": late},
        apply=checked,
        then=tell,
    )


#: Why an expression of interest cannot make a change from the state it is in.
EOI_REFUSAL = _("An expression of interest that is %(state)s cannot be %(action)s.")


def _eoi_transition(
    *,
    actor: Any,
    eoi: ExpressionOfInterest,
    perm: str,
    allowed_from: Iterable[str],
    to: str,
    action: str,
    reason: str = "",
    reason_required: bool = False,
    apply: Callable[[ExpressionOfInterest, str], list[str]] | None = None,
) -> ExpressionOfInterest:
    """A review decision or a withdrawal through :func:`core.transitions.transition`, with the
    expression of interest's refusal, audit action (``eoi.<status>``) and mail."""

    def decided(row: ExpressionOfInterest, previous: str) -> list[str]:
        fields = []
        if to in (EOIStatus.ACCEPTED, EOIStatus.DECLINED):
            row.decided_at = timezone.now()
            row.decided_by = actor
            row.decision_reason = reason.strip()
            fields += ["decided_at", "decided_by", "decision_reason"]
        if apply is not None:
            fields += apply(row, previous)
        return fields

    def tell(row: ExpressionOfInterest, previous: str) -> None:
        notify(
            to=emails(row.organisation),
            template="coalition_eoi_status",
            context={"eoi": row, "action": action, "reason": reason.strip()},
        )

    return transition(
        eoi,
        actor=actor,
        perm=perm,
        allowed_from=allowed_from,
        to=to,
        action=action,
        refusal=EOI_REFUSAL,
        audit_action=f"eoi.{to}",
        reason=reason,
        reason_required=_("Give a reason: the proposer will read it.") if reason_required else None,
        apply=decided,
        then=tell,
    )


def start_eoi_review(*, actor: Any, eoi: ExpressionOfInterest) -> ExpressionOfInterest:
    """The secretariat takes a submitted expression of interest into review: from now on the
    proposer can no longer edit it."""
    return _eoi_transition(
        actor=actor,
        eoi=eoi,
        perm="coalitions.review_expressionofinterest",
        allowed_from=[EOIStatus.SUBMITTED],
        to=EOIStatus.IN_REVIEW,
        action=_("taken into review"),
    )


def accept_eoi(*, actor: Any, eoi: ExpressionOfInterest, reason: str = "") -> ExpressionOfInterest:
    """Accept an expression of interest into the programme: it becomes a coalition, with a copy
    of its principles, asks, members and work plan (provenance: this EOI).  On time, the
    coalition is *accepted* (part of the conference programme); late, it is *under
    consideration*, for co-creation at or after the conference."""

    def become_coalition(current: ExpressionOfInterest, previous: str) -> list[str]:
        coalition = Coalition.objects.create(
            programme=current.programme,
            name=current.title,
            slug=content.unique_slug(current.title),
            summary=current.summary,
            is_pre_existing=current.is_pre_existing,
            state=CoalitionState.UNDER_CONSIDERATION
            if current.is_late
            else CoalitionState.ACCEPTED,
        )
        coalition.themes.set(current.themes.all())
        coalition.goals.set(current.goals.all())
        content.Combiner(coalition).absorb(current)
        current.coalition = coalition
        reindex(coalition)
        audit.record(
            actor=actor,
            action="coalition.created",
            obj=coalition,
            programme=coalition.programme,
            data={"from_eoi": current.pk, "state": coalition.state},
        )
        return ["coalition"]

    return _eoi_transition(
        actor=actor,
        eoi=eoi,
        perm="coalitions.review_expressionofinterest",
        allowed_from=[EOIStatus.SUBMITTED, EOIStatus.IN_REVIEW],
        to=EOIStatus.ACCEPTED,
        action=_("accepted"),
        reason=reason,
        apply=become_coalition,
    )


def decline_eoi(*, actor: Any, eoi: ExpressionOfInterest, reason: str) -> ExpressionOfInterest:
    return _eoi_transition(
        actor=actor,
        eoi=eoi,
        perm="coalitions.review_expressionofinterest",
        allowed_from=[EOIStatus.SUBMITTED, EOIStatus.IN_REVIEW],
        to=EOIStatus.DECLINED,
        action=_("declined"),
        reason=reason,
        reason_required=True,
    )


def withdraw_eoi(
    *, actor: Any, eoi: ExpressionOfInterest, reason: str = ""
) -> ExpressionOfInterest:
    return _eoi_transition(
        actor=actor,
        eoi=eoi,
        perm="coalitions.withdraw_expressionofinterest",
        allowed_from=[EOIStatus.DRAFT, EOIStatus.SUBMITTED, EOIStatus.IN_REVIEW],
        to=EOIStatus.WITHDRAWN,
        action=_("withdrawn"),
        reason=reason,
    )


# Coalitions ------------------------------------------------------------------------------------

#: The coalition life cycle; ``merged`` is set only by a merge.
COALITION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CoalitionState.UNDER_CONSIDERATION: (CoalitionState.PROPOSED,),
    CoalitionState.ACCEPTED: (CoalitionState.UNDER_CONSIDERATION,),
    CoalitionState.ACTIVE: (CoalitionState.ACCEPTED,),
    CoalitionState.CLOSED: (
        CoalitionState.PROPOSED,
        CoalitionState.UNDER_CONSIDERATION,
        CoalitionState.ACCEPTED,
        CoalitionState.ACTIVE,
    ),
}


def _coalition_transition(
    *, actor: Any, coalition: Coalition, to: str, action: str, reason: str = ""
) -> Coalition:
    """A step of :data:`COALITION_TRANSITIONS` through :func:`core.transitions.transition`;
    closing needs a reason, and the leads are told."""

    def tell(row: Coalition, previous: str) -> None:
        notify(
            to=lead_emails(row),
            template="coalition_state",
            context={"coalition": row, "action": action, "reason": reason.strip()},
        )

    return transition(
        coalition,
        actor=actor,
        perm="coalitions.change_coalition_state",
        field="state",
        allowed_from=COALITION_TRANSITIONS[to],
        to=to,
        action=action,
        refusal=_("A coalition that is %(state)s cannot be %(action)s."),
        audit_action=f"coalition.{to}",
        reason=reason,
        reason_required=_("Give a reason: the members will read it.")
        if to == CoalitionState.CLOSED
        else None,
        then=tell,
    )


def start_consideration(*, actor: Any, coalition: Coalition) -> Coalition:
    return _coalition_transition(
        actor=actor,
        coalition=coalition,
        to=CoalitionState.UNDER_CONSIDERATION,
        action=_("considered"),
    )


def accept_coalition(*, actor: Any, coalition: Coalition) -> Coalition:
    return _coalition_transition(
        actor=actor, coalition=coalition, to=CoalitionState.ACCEPTED, action=_("accepted")
    )


def activate_coalition(*, actor: Any, coalition: Coalition) -> Coalition:
    return _coalition_transition(
        actor=actor, coalition=coalition, to=CoalitionState.ACTIVE, action=_("activated")
    )


def close_coalition(*, actor: Any, coalition: Coalition, reason: str) -> Coalition:
    return _coalition_transition(
        actor=actor,
        coalition=coalition,
        to=CoalitionState.CLOSED,
        action=_("closed"),
        reason=reason,
    )


def update_coalition(
    *,
    actor: Any,
    coalition: Coalition,
    name: str | None = None,
    summary: str | None = None,
    principles: Sequence[str] | None = None,
    asks: Sequence[str] | None = None,
    milestones: Sequence[MilestoneInput] | None = None,
    themes: Iterable[Any] | None = None,
    goals: Iterable[Any] | None = None,
) -> Coalition:
    """The leads (or the secretariat) edit a live coalition.  Items that stay keep their rows
    and provenance; new ones have no source expression of interest."""
    coalition = Coalition.objects.get(pk=coalition.pk)
    _require(actor, "coalitions.change_coalition", coalition)
    errors: Errors = {}
    if name is not None and not name.strip():
        errors["name"] = [_("Give the coalition a name.")]
    if principles is not None:
        errors.update(check_texts("principles", content.clean_texts(principles) or []))
    if asks is not None:
        errors.update(check_texts("asks", content.clean_texts(asks) or []))
    if milestones is not None:
        errors.update(check_milestones(list(milestones)))
    _raise_if(errors)
    with transaction.atomic():
        coalition = _lock(coalition)
        _require(actor, "coalitions.change_coalition", coalition)
        changed = []
        for field, value in (
            ("name", None if name is None else name.strip()),
            ("summary", None if summary is None else summary.strip()),
        ):
            if value is not None and getattr(coalition, field) != value:
                setattr(coalition, field, value)
                changed.append(field)
        coalition.save(update_fields=[*changed, "updated_at"])
        if principles is not None:
            content.write_texts(coalition, "principles", content.clean_texts(principles) or [])
            changed.append("principles")
        if asks is not None:
            content.write_texts(coalition, "asks", content.clean_texts(asks) or [])
            changed.append("asks")
        if milestones is not None:
            content.write_milestones(coalition, list(milestones))
            changed.append("milestones")
        if themes is not None:
            coalition.themes.set(list(themes))
            changed.append("themes")
        if goals is not None:
            coalition.goals.set(list(goals))
            changed.append("goals")
        audit.record(
            actor=actor,
            action="coalition.edited",
            obj=coalition,
            programme=coalition.programme,
            data={"parts": changed},
        )
        reindex(coalition)
    return coalition


# Members ---------------------------------------------------------------------------------------


def add_members(
    *, actor: Any, container: Container, members: Sequence[MemberInput]
) -> list[Membership]:
    """Invite organisations to an expression of interest or a coalition: organisations on the
    platform are told through their representatives, the others by e-mail to the address
    given.  An organisation (or an address) given twice, or already a member, is refused."""
    container = type(container).objects.get(pk=container.pk)
    require_manage(actor, container)
    members = list(members)
    if not members:
        raise ValidationError({"members": [_("Name at least one organisation to invite.")]})
    _raise_if(check_new_members(members, container.memberships.all()))  # type: ignore[union-attr]
    programme = container.programme
    with transaction.atomic():
        container = _lock(container)
        require_manage(actor, container)
        _raise_if(check_new_members(members, container.memberships.all()))  # type: ignore[union-attr]
        created = []
        for m in members:
            membership = Membership.objects.create(
                **content.owner_kwargs(container),
                source_eoi=content.own_source(container),
                organisation=m.organisation,
                invited_email="" if m.organisation else normalise_email(m.email),
                invited_name="" if m.organisation else m.name.strip(),
                invited_category="" if m.organisation else m.category,
                invited_country=None if m.organisation else m.country,
                role=m.role,
                status=MembershipStatus.INVITED,
                invited_by=actor,
            )
            created.append(membership)
            audit.record(
                actor=actor,
                action="membership.invited",
                obj=membership,
                programme=programme,
                data={"container": container._meta.model_name, "container_id": container.pk},
            )
            context = {"membership": membership, "container": container, "inviter": actor}
            if m.organisation is not None:
                notify(
                    to=emails(m.organisation),
                    template="coalition_member_invited",
                    context=context,
                )
            else:
                notify(
                    to=[membership.invited_email],
                    template="coalition_member_invited_by_email",
                    context=context,
                )
    return created


def respond_to_invitation(
    *,
    actor: Any,
    membership: Membership,
    accept: bool,
    organisation: Organisation | None = None,
) -> Membership:
    """The invited organisation accepts or declines.  An organisation invited by e-mail answers
    through the person with that address, who names the organisation (on the platform now) that
    they represent."""
    membership = Membership.objects.get(pk=membership.pk)
    _require(actor, "coalitions.answer_invitation", membership)
    if membership.status != MembershipStatus.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    claims = membership.organisation_id is None and accept
    if claims:
        if organisation is None:
            raise ValidationError({"organisation": [_("Choose the organisation that joins.")]})
        _require(actor, "organisations.act_for_organisation", organisation)
        if membership.owner.memberships.filter(  # type: ignore[union-attr]
            organisation=organisation
        ).exists():
            raise ValidationError(
                {"organisation": [_("%(org)s is already a member.") % {"org": organisation}]}
            )

    def answered(row: Membership, previous: str) -> list[str]:
        row.decided_at = timezone.now()
        if not claims:
            return ["decided_at"]
        row.organisation = organisation
        row.invited_email = ""
        return ["decided_at", "organisation", "invited_email"]

    def tell(row: Membership, previous: str) -> None:
        notify(
            to=recipients_of(row.owner),
            template="coalition_membership_answered",
            context={"membership": row, "container": row.owner, "accepted": accept},
        )

    return transition(
        membership,
        actor=actor,
        perm="coalitions.answer_invitation",
        allowed_from=[MembershipStatus.INVITED],
        to=MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED,
        action=_("accepted") if accept else _("declined"),
        refusal=_("This invitation has already been answered."),
        audit_action="membership.joined" if accept else "membership.invitation_declined",
        programme=membership.owner.programme,
        apply=answered,
        then=tell,
    )


def request_to_join(*, actor: Any, coalition: Coalition, organisation: Organisation) -> Membership:
    """An organisation found in the network asks to join a coalition; its leads decide."""
    coalition = Coalition.objects.get(pk=coalition.pk)
    _require(actor, "organisations.act_for_organisation", organisation)
    _require(actor, "coalitions.view_coalition", coalition)
    if not coalition.is_live:
        raise ValidationError(_("This coalition no longer takes members."))
    with transaction.atomic():
        coalition = _lock(coalition)
        existing = coalition.memberships.filter(organisation=organisation).first()  # type: ignore[attr-defined]
        if existing is not None and existing.status != MembershipStatus.DECLINED:
            messages: dict[str, str] = {
                MembershipStatus.ACTIVE: _("%(org)s is already a member."),
                MembershipStatus.INVITED: _("%(org)s is already invited: accept the invitation."),
                MembershipStatus.REQUESTED: _("%(org)s has already asked to join."),
            }
            raise ValidationError(messages[existing.status] % {"org": organisation})
        if existing is None:
            membership = Membership.objects.create(
                coalition=coalition,
                organisation=organisation,
                role=Membership.Role.MEMBER,
                status=MembershipStatus.REQUESTED,
                invited_by=actor,
            )
        else:
            membership = existing
            membership.status = MembershipStatus.REQUESTED
            membership.role = Membership.Role.MEMBER
            membership.decided_at = None
            membership.save(update_fields=["status", "role", "decided_at"])
        audit.record(
            actor=actor,
            action="membership.requested",
            obj=membership,
            programme=coalition.programme,
        )
        notify(
            to=lead_emails(coalition),
            template="coalition_join_requested",
            context={"membership": membership, "coalition": coalition},
        )
    return membership


def decide_join_request(
    *, actor: Any, membership: Membership, accept: bool, reason: str = ""
) -> Membership:
    def decided(row: Membership, previous: str) -> list[str]:
        row.decided_at = timezone.now()
        return ["decided_at"]

    def tell(row: Membership, previous: str) -> None:
        notify(
            to=emails(row.organisation),
            template="coalition_join_decided",
            context={
                "membership": row,
                "container": row.owner,
                "accepted": accept,
                "reason": reason.strip(),
            },
        )

    return transition(
        membership,
        actor=actor,
        perm="coalitions.manage_membership",
        allowed_from=[MembershipStatus.REQUESTED],
        to=MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED,
        action=_("accepted") if accept else _("declined"),
        refusal=_("There is no request to decide."),
        audit_action="membership.request_accepted" if accept else "membership.request_declined",
        programme=membership.owner.programme,
        reason=reason,
        apply=decided,
        then=tell,
    )


def _leads_after(membership: Membership, *, role: str | None, removed: bool) -> int:
    others = (
        membership.owner.memberships.filter(  # type: ignore[union-attr]
            role=Membership.Role.LEAD, status=MembershipStatus.ACTIVE
        )
        .exclude(pk=membership.pk)
        .count()
    )
    stays_lead = (
        not removed
        and (role or membership.role) == Membership.Role.LEAD
        and membership.status == MembershipStatus.ACTIVE
    )
    return others + int(stays_lead)


def set_member_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    """Make a member a lead, or a lead a member; at least one active lead always remains."""
    membership = Membership.objects.get(pk=membership.pk)
    owner = membership.owner
    require_manage(actor, owner)
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    if _leads_after(membership, role=role, removed=False) == 0:
        raise ValidationError(_("Name another lead first: a coalition always has a lead."))
    with transaction.atomic():
        membership = _lock(membership)
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            actor=actor,
            action="membership.role_changed",
            obj=membership,
            programme=owner.programme,
            data={"from": previous, "to": role},
        )
    return membership


def remove_member(*, actor: Any, membership: Membership, reason: str = "") -> None:
    """Take an organisation off the list.  The proposer of an expression of interest and the
    last lead cannot be removed."""
    membership = Membership.objects.get(pk=membership.pk)
    owner = membership.owner
    require_manage(actor, owner)
    if (
        isinstance(owner, ExpressionOfInterest)
        and membership.organisation_id == owner.organisation_id
    ):
        raise ValidationError(_("The proposer cannot be removed from its own proposal."))
    if _leads_after(membership, role=None, removed=True) == 0:
        raise ValidationError(_("Name another lead first: a coalition always has a lead."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="membership.removed",
            obj=membership,
            programme=owner.programme,
            reason=reason.strip(),
            data={"organisation": membership.display_name},
        )
        membership.delete()
