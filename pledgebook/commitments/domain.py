"""Every state change of applications and commitments: one keyword-only function each.

Each function checks permission, changes state inside ``transaction.atomic``, records who,
when and why in the audit log, and queues the notifications.  Views and the API call these;
nothing else changes ``status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledgebook.commitments.models import (
    CRITERIA_KEYS,
    Application,
    AssessmentOverride,
    CoMaker,
    Commitment,
)
from pledgebook.commitments.validation import CommitmentData, check_commitment
from pledgebook.core import audit
from pledgebook.core.notify import emails_of as _emails
from pledgebook.core.notify import notify
from pledgebook.core.permissions import require as _require
from pledgebook.core.transitions import transition
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Action, Programme, Theme

Status = Commitment.Status


# Applications ---------------------------------------------------------------------------


def applications_closed(programme: Programme, now: dt.datetime | None = None) -> str:
    """Why ``programme`` refuses applications now ("" when it accepts them).  An
    organisation may apply before the registration window opens (to be approved in time),
    not once it has closed.  The apply form asks this too, so that it does not offer what
    would be refused."""
    if not programme.registration_has_closed(now):
        return ""
    last_day = programme.registration_last_day()
    assert last_day is not None  # it has closed
    return _(
        "Registration for %(programme)s closed on %(date)s: it no longer accepts applications."
    ) % {"programme": programme.name, "date": date_format(last_day, "j F Y")}


def apply_to_join(
    *,
    actor: Any,
    organisation: Organisation,
    themes: Iterable[Theme],
    role: str = Application.Role.MAKER,
    motivation: str = "",
    now: dt.datetime | None = None,
) -> list[Application]:
    """Apply to join one or several themes of one programme."""
    _require(actor, "organisations.act_for_organisation", organisation)
    themes = list(themes)
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    programmes = {t.programme_id for t in themes}
    if len(programmes) != 1:
        raise ValidationError({"themes": _("Apply to the themes of one programme at a time.")})
    programme = themes[0].programme
    now = now or timezone.now()
    if closed := applications_closed(programme, now):
        raise ValidationError({"programme": closed})
    live = set(
        Application.objects.filter(
            organisation=organisation,
            theme__in=themes,
            status__in=[Application.Status.PENDING, Application.Status.APPROVED],
        ).values_list("theme__name", flat=True)
    )
    if live:
        raise ValidationError(
            {
                "themes": _("You have already applied to: %(names)s.")
                % {"names": ", ".join(sorted(live))}
            }
        )
    due = now + dt.timedelta(days=programme.application_review_days)
    with transaction.atomic():
        created = []
        for theme in themes:
            app = Application.objects.create(
                programme=programme,
                theme=theme,
                organisation=organisation,
                role=role,
                motivation=motivation,
                submitted_by=actor,
                submitted_at=now,
                due_at=due,
            )
            audit.record(
                actor=actor,
                action="application.submitted",
                obj=app,
                programme=programme,
            )
            created.append(app)
        notify(
            to=_emails(organisation),
            template="application_received",
            context={"applications": created, "programme": programme, "due_at": due},
        )
    return created


def decide_application(
    *, actor: Any, application: Application, approve: bool, reason: str = ""
) -> Application:
    """Approve or decline a pending application (declining needs a reason for the applicant)."""

    def decided(row: Application, previous: str) -> list[str]:
        row.decided_by = actor
        row.decided_at = timezone.now()
        row.decision_reason = reason.strip()
        return ["decided_by", "decided_at", "decision_reason"]

    def tell(row: Application, previous: str) -> None:
        notify(
            to=_emails(row.organisation),
            template="application_decided",
            context={"application": row},
        )

    transition(
        application,
        actor=actor,
        perm="commitments.decide_application",
        allowed_from=[Application.Status.PENDING],
        to=Application.Status.APPROVED if approve else Application.Status.DECLINED,
        action=_("approved") if approve else _("declined"),
        refusal=_("This application has already been decided."),
        audit_action="application.approved" if approve else "application.declined",
        reason=reason,
        reason_required=None if approve else _("Give the applicant a reason for declining."),
        apply=decided,
        then=tell,
    )
    return application


# Commitments -----------------------------------------------------------------------------


def _raise_if_invalid(commitment: Commitment, *, for_submission: bool) -> None:
    errors = check_commitment(
        CommitmentData.from_commitment(commitment), for_submission=for_submission
    )
    if errors:
        raise ValidationError(errors)


#: What co-makers agree to: when the lead changes any of these after a co-maker confirmed,
#: the confirmation no longer holds and the co-maker is asked again.  (The level of
#: endorsement and the list of co-makers are the lead's own matters.)
SUBSTANCE_FIELDS = (
    "title",
    "description",
    "scope",
    "starts_on",
    "ends_on",
    "amount",
    "currency",
    "funds_are_new",
    "is_conditional",
    "condition",
)
SUBSTANCE_RELATIONS = ("types", "themes", "actions", "goals", "targets", "countries", "regions")
_TEXT_FIELDS = ("title", "description", "condition")


def _substance(commitment: Commitment) -> dict[str, Any]:
    """The substance of a saved commitment, as stored (text compared without layout)."""
    values: dict[str, Any] = {}
    for name in SUBSTANCE_FIELDS:
        value = getattr(commitment, "currency_id" if name == "currency" else name)
        values[name] = " ".join(value.split()) if name in _TEXT_FIELDS else value
    for name in SUBSTANCE_RELATIONS:
        values[name] = set(getattr(commitment, name).values_list("pk", flat=True))
    return values


def _changed_substance(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [
        name for name in (*SUBSTANCE_FIELDS, *SUBSTANCE_RELATIONS) if before[name] != after[name]
    ]


_CONTENT_FIELDS = [
    "title",
    "description",
    "scope",
    "starts_on",
    "ends_on",
    "amount",
    "currency",
    "funds_are_new",
    "endorsement_level",
    "is_conditional",
    "condition",
    "updated_at",
]


def save_draft(
    *,
    actor: Any,
    commitment: Commitment,
    co_makers: Iterable[Organisation] = (),
    **m2m: Iterable[Any],
) -> Commitment:
    """Create or update a draft (or a returned commitment).  Field checks ran in the form;
    here we check permission and write, so a draft is never lost to a late rule.

    When the substance changes (:data:`SUBSTANCE_FIELDS`, :data:`SUBSTANCE_RELATIONS`), the
    co-makers that had confirmed are pending again and asked to confirm the new text; those
    that declined stay declined (they may still confirm while the commitment is editable).
    Only a draft or a returned commitment can be edited, so a submitted one keeps the answers
    it was reviewed with; a returned one goes back to review with the answers given since."""
    if commitment.pk is None:
        _require(actor, "organisations.act_for_organisation", commitment.organisation)
        if not commitment.programme.themes.filter(
            applications__organisation=commitment.organisation,
            applications__status=Application.Status.APPROVED,
        ).exists():
            raise PermissionDenied
    with transaction.atomic():
        created = commitment.pk is None
        before: dict[str, Any] = {}
        if created:
            commitment.created_by = actor
            commitment.save()
        else:
            # Lock the row and check the permission on it: a colleague's submission or a
            # reviewer's decision made meanwhile is never undone by an author's late save.
            # The workflow fields are never written from here; the caller's instance gets
            # them as they are now (it may go on to submit).
            current = Commitment.objects.select_for_update().get(pk=commitment.pk)
            _require(actor, "commitments.change_commitment", current)
            for field in Commitment._meta.concrete_fields:
                if field.name not in _CONTENT_FIELDS:
                    setattr(commitment, field.attname, getattr(current, field.attname))
            before = _substance(current)
            commitment.save(update_fields=_CONTENT_FIELDS)
        for name, values in m2m.items():
            getattr(commitment, name).set(values)
        wanted = {o.pk: o for o in co_makers}
        existing = {
            c.organisation_id: c
            for c in commitment.co_makers.select_for_update(of=("self",)).select_related(
                "organisation"
            )
        }
        for org_id, row in existing.items():
            if org_id not in wanted:
                row.delete()
        invited = [o for pk, o in wanted.items() if pk not in existing]
        for org in invited:
            CoMaker.objects.create(commitment=commitment, organisation=org)
        changed = [] if created else _changed_substance(before, _substance(commitment))
        asked_again = [
            row
            for org_id, row in existing.items()
            if org_id in wanted and row.confirmed_at is not None and changed
        ]
        audit.record(
            actor=actor,
            action="commitment.created" if created else "commitment.edited",
            obj=commitment,
            programme=commitment.programme,
            data={"changed": changed} if changed else None,
        )
        for org in invited:
            notify(
                to=_emails(org),
                template="co_maker_invited",
                context={"commitment": commitment, "organisation": org},
            )
        if asked_again:
            _ask_again(actor=actor, commitment=commitment, rows=asked_again, changed=changed)
        _changed(commitment.pk)
    return commitment


# What apps built on commitments do when a commitment's status or content changed (the
# portal's facts), inside the change's transaction; registered in their AppConfig.ready.
_changed_hooks: list[Callable[..., object]] = []


def on_changed(hook: Callable[..., object]) -> None:
    """Call ``hook(commitment_ids=[...])`` whenever commitments change status or content
    (inside the change's transaction)."""
    if hook not in _changed_hooks:
        _changed_hooks.append(hook)


def _changed(*commitment_ids: int) -> None:
    for hook in _changed_hooks:
        hook(commitment_ids=list(commitment_ids))


#: Called with ``actor=``, ``commitment_ids=`` and ``now=`` when commitments are created in
#: bulk (inside the caller's transaction); apps built on commitments register in their
#: AppConfig.ready (reporting: the open cycles they join).
_created_in_bulk_hooks: list[Callable[..., object]] = []


def on_created_in_bulk(hook: Callable[..., object]) -> None:
    if hook not in _created_in_bulk_hooks:
        _created_in_bulk_hooks.append(hook)


def created_in_bulk(
    *, actor: Any, commitment_ids: list[int], now: dt.datetime | None = None
) -> None:
    """Commitments created in bulk, already in the status their source gave them (a registry
    import): the apps built on commitments learn of them as of any change (the map's and the
    dashboard's facts) and as of a confirmation (the open reporting cycles that expect them:
    ``reporting.domain.join_open_cycles_in_bulk``), inside the caller's transaction."""
    if not commitment_ids:
        return
    _changed(*commitment_ids)
    for hook in _created_in_bulk_hooks:
        hook(actor=actor, commitment_ids=commitment_ids, now=now or timezone.now())


def _ask_again(
    *, actor: Any, commitment: Commitment, rows: list[CoMaker], changed: list[str]
) -> None:
    """The lead changed what co-makers confirmed: their confirmations are reset (inside the
    caller's transaction) and each is asked to confirm the new text."""
    CoMaker.objects.filter(pk__in=[row.pk for row in rows]).update(
        confirmed_at=None, confirmed_by=None
    )
    labels = [
        str(getattr(Commitment._meta.get_field(name), "verbose_name", name)) for name in changed
    ]
    audit.record(
        actor=actor,
        action="commitment.co_makers_asked_again",
        obj=commitment,
        programme=commitment.programme,
        data={
            "changed": changed,
            "organisations": sorted(row.organisation.name for row in rows),
        },
    )
    for row in rows:
        row.confirmed_at = row.confirmed_by = None
        notify(
            to=_emails(row.organisation),
            template="co_maker_asked_again",
            context={"commitment": commitment, "organisation": row.organisation, "changed": labels},
        )


def _answerable(co_maker: CoMaker, state: str) -> CoMaker | None:
    """The co-maker's row, locked, or None when it already gave this answer.  Raises when
    the answer cannot be given now (:meth:`CoMaker.may_answer`)."""
    row = (
        CoMaker.objects.select_for_update(of=("self",))
        .select_related("organisation", "commitment__organisation", "commitment__programme")
        .get(pk=co_maker.pk)
    )
    if row.state == state:
        return None
    if not row.may_answer(state):
        commitment = row.commitment
        if commitment.status == Status.DECLINED:
            raise ValidationError(
                _("The programme declined this commitment: there is nothing left to answer.")
            )
        raise ValidationError(
            _(
                "Your organisation has answered, and the commitment is %(status)s: its "
                "answer can no longer change. Write to %(lead)s if something is wrong."
            )
            % {"status": commitment.get_status_display().lower(), "lead": commitment.organisation}
        )
    return row


def confirm_co_maker(*, actor: Any, co_maker: CoMaker) -> CoMaker:
    """The co-maker confirms its part (again, after it declined, while the commitment is
    editable).  Confirming twice changes nothing."""
    _require(actor, "organisations.act_for_organisation", co_maker.organisation)
    with transaction.atomic():
        row = _answerable(co_maker, CoMaker.State.CONFIRMED)
        if row is None:
            co_maker.refresh_from_db()
            return co_maker
        row.confirmed_at = timezone.now()
        row.confirmed_by = actor
        row.declined_at = row.declined_by = None
        row.decline_reason = ""
        row.save(
            update_fields=[
                "confirmed_at",
                "confirmed_by",
                "declined_at",
                "declined_by",
                "decline_reason",
            ]
        )
        audit.record(
            actor=actor,
            action="commitment.co_maker_confirmed",
            obj=row.commitment,
            programme=row.commitment.programme,
            data={"organisation": row.organisation.name},
        )
        notify(
            to=_emails(row.commitment.organisation),
            template="co_maker_confirmed",
            context={"co_maker": row, "commitment": row.commitment},
        )
    return row


def decline_co_maker(*, actor: Any, co_maker: CoMaker, reason: str = "") -> CoMaker:
    """The co-maker declines its part, with an optional reason for the lead.  It stays named
    (declined) until the lead removes it; its name is never public.  Declining twice
    changes nothing."""
    _require(actor, "organisations.act_for_organisation", co_maker.organisation)
    reason = reason.strip()
    with transaction.atomic():
        row = _answerable(co_maker, CoMaker.State.DECLINED)
        if row is None:
            co_maker.refresh_from_db()
            return co_maker
        row.declined_at = timezone.now()
        row.declined_by = actor
        row.decline_reason = reason
        row.confirmed_at = row.confirmed_by = None
        row.save(
            update_fields=[
                "declined_at",
                "declined_by",
                "decline_reason",
                "confirmed_at",
                "confirmed_by",
            ]
        )
        audit.record(
            actor=actor,
            action="commitment.co_maker_declined",
            obj=row.commitment,
            programme=row.commitment.programme,
            reason=reason,
            data={"organisation": row.organisation.name},
        )
        notify(
            to=_emails(row.commitment.organisation),
            template="co_maker_declined",
            context={"co_maker": row, "commitment": row.commitment, "reason": reason},
        )
    return row


def _tell_makers(commitment: Commitment, *, action: str, reason: str) -> None:
    """Queue the mail of a change of status to the lead and the co-makers taking part."""
    recipients = _emails(commitment.organisation)
    for c in commitment.co_makers.taking_part().select_related("organisation"):
        recipients += _emails(c.organisation)
    notify(
        to=recipients,
        template="commitment_status",
        context={"commitment": commitment, "reason": reason.strip(), "action": action},
    )


def _move(
    *,
    actor: Any,
    commitment: Commitment,
    perm: str,
    allowed_from: Iterable[str],
    to: str,
    action: str,
    reason: str = "",
    reason_required: bool = False,
    apply: Callable[[Commitment, str], list[str]] | None = None,
    then: Callable[[Commitment, str], None] | None = None,
) -> Commitment:
    """One change of a commitment's status through :func:`core.transitions.transition`, with
    the commitment's refusal, its audit action (``commitment.<status>``) and its mail."""

    def tell(row: Commitment, previous: str) -> None:
        _tell_makers(row, action=action, reason=reason)
        if then is not None:
            then(row, previous)
        _changed(row.pk)

    transition(
        commitment,
        actor=actor,
        perm=perm,
        allowed_from=allowed_from,
        to=to,
        action=action,
        refusal=_("A commitment that is %(state)s cannot be %(action)s."),
        audit_action=f"commitment.{to}",
        reason=reason,
        reason_required=_("Give a reason: the makers will read it.") if reason_required else None,
        apply=apply,
        then=tell,
    )
    return commitment


def _decided(row: Commitment, previous: str) -> list[str]:
    """The date of the decision, not of a later change of feature (the date of confirmation
    decides the reporting cycles it is expected in: ``reporting.expected``)."""
    row.decided_at = timezone.now()
    return ["decided_at"]


def submit_commitment(
    *, actor: Any, commitment: Commitment, now: dt.datetime | None = None
) -> Commitment:
    """Submit a draft (or a returned commitment) inside the programme's window.  The content
    rules are checked on the locked row, so what is submitted is what was checked."""
    _require(actor, "commitments.submit_commitment", commitment)
    if not commitment.programme.registration_is_open(now):
        programme: Programme = commitment.programme
        if programme.registration_opens_at is None or programme.registration_closes_at is None:
            message = _("Registration of commitments has not been scheduled yet.")
        else:
            message = _(
                "Commitments can be submitted from %(opens)s to %(closes)s. "
                "Your draft is saved; submit it inside the window."
            ) % {
                "opens": date_format(
                    timezone.localtime(programme.registration_opens_at), "j F Y H:i"
                ),
                "closes": date_format(
                    timezone.localtime(programme.registration_closes_at), "j F Y H:i"
                ),
            }
        raise ValidationError(message)

    def checked(row: Commitment, previous: str) -> list[str]:
        _raise_if_invalid(row, for_submission=True)  # raised here, the transaction rolls back
        row.submitted_at = timezone.now()
        return ["submitted_at"]

    return _move(
        actor=actor,
        commitment=commitment,
        perm="commitments.submit_commitment",
        allowed_from=Commitment.EDITABLE_STATUSES,
        to=Status.SUBMITTED,
        action=_("submitted"),
        apply=checked,
    )


#: The statuses each decision on a submitted commitment starts from: the domain refuses any
#: other, and the console offers a decision's button only then (one place for both).
DECIDED_FROM: dict[str, tuple[str, ...]] = {
    "start_review": (Status.SUBMITTED,),
    "return_for_revision": (Status.SUBMITTED, Status.IN_REVIEW),
    "confirm_commitment": (Status.SUBMITTED, Status.IN_REVIEW),
    "decline_commitment": (Status.SUBMITTED, Status.IN_REVIEW),
    "feature_commitment": (Status.CONFIRMED,),
    "unfeature_commitment": (Status.FEATURED,),
}


def start_review(*, actor: Any, commitment: Commitment) -> Commitment:
    return _move(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=DECIDED_FROM["start_review"],
        to=Status.IN_REVIEW,
        action=_("taken into review"),
    )


def return_for_revision(*, actor: Any, commitment: Commitment, reason: str) -> Commitment:
    return _move(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=DECIDED_FROM["return_for_revision"],
        to=Status.RETURNED,
        action=_("returned for revision"),
        reason=reason,
        reason_required=True,
    )


# What apps built on commitments do when one is confirmed, inside the confirmation's
# transaction; they register in their AppConfig.ready, so that commitments imports none of them.
_confirmed_hooks: list[Callable[..., object]] = []


def on_confirmed(hook: Callable[..., object]) -> None:
    """Call ``hook(actor=, commitment=, now=)`` whenever a commitment is confirmed (inside the
    confirmation's transaction: an exception undoes the confirmation)."""
    if hook not in _confirmed_hooks:
        _confirmed_hooks.append(hook)


def confirm_commitment(*, actor: Any, commitment: Commitment, reason: str = "") -> Commitment:
    """Confirm the commitment; confirmed while a reporting cycle is open, it joins that cycle
    by the programme's rule, and its makers receive their personal links (in the same
    transaction: ``reporting.domain.join_open_cycles``, registered with :func:`on_confirmed`).

    The example of a state change to copy (docs/ARCHITECTURE.md): one function that moves the
    status through :func:`core.transitions.transition` (``_move`` adds the commitment's
    refusal, audit action and mail)."""

    def join(row: Commitment, previous: str) -> None:
        for hook in _confirmed_hooks:
            hook(actor=actor, commitment=row, now=row.decided_at)

    return _move(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=DECIDED_FROM["confirm_commitment"],
        to=Status.CONFIRMED,
        action=_("confirmed"),
        reason=reason,
        apply=_decided,
        then=join,
    )


def decline_commitment(*, actor: Any, commitment: Commitment, reason: str) -> Commitment:
    return _move(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=DECIDED_FROM["decline_commitment"],
        to=Status.DECLINED,
        action=_("declined"),
        reason=reason,
        reason_required=True,
        apply=_decided,
    )


def feature_commitment(*, actor: Any, commitment: Commitment) -> Commitment:
    return _move(
        actor=actor,
        commitment=commitment,
        perm="commitments.feature_commitment",
        allowed_from=DECIDED_FROM["feature_commitment"],
        to=Status.FEATURED,
        action=_("featured"),
    )


def unfeature_commitment(*, actor: Any, commitment: Commitment) -> Commitment:
    return _move(
        actor=actor,
        commitment=commitment,
        perm="commitments.feature_commitment",
        allowed_from=DECIDED_FROM["unfeature_commitment"],
        to=Status.CONFIRMED,
        action=_("no longer featured"),
    )


def override_criterion(
    *, actor: Any, commitment: Commitment, criterion: str, met: bool, note: str
) -> AssessmentOverride:
    _require(actor, "commitments.review_commitment", commitment)
    if criterion not in CRITERIA_KEYS:
        raise ValidationError({"criterion": _("Unknown criterion.")})
    if not note.strip():
        raise ValidationError({"note": _("Explain the override in a note.")})
    with transaction.atomic():
        override, _created = AssessmentOverride.objects.update_or_create(
            commitment=commitment,
            criterion=criterion,
            defaults={"met": met, "note": note.strip(), "by": actor},
        )
        audit.record(
            actor=actor,
            action="commitment.assessment_overridden",
            obj=commitment,
            programme=commitment.programme,
            reason=note.strip(),
            data={"criterion": criterion, "met": met},
        )
    return override


# Blueprint actions (programmes.domain creates and edits them; they are deleted here, where
# the commitments that advance them are known) --------------------------------------------


def commitments_linked_to(action: Action) -> int:
    """How many commitments name this blueprint action."""
    return Commitment.actions.through.objects.filter(action_id=action.pk).count()


def delete_action(*, actor: Any, action: Action) -> None:
    """Delete a blueprint action that no commitment names (commitments keep their links)."""
    programme = action.theme.programme
    _require(actor, "programmes.change_programme", programme)
    linked = commitments_linked_to(action)
    if linked:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    ngettext(
                        "%(n)s commitment advances this action: it cannot be deleted. "
                        "Edit its title or description instead.",
                        "%(n)s commitments advance this action: it cannot be deleted. "
                        "Edit its title or description instead.",
                        linked,
                    )
                    % {"n": linked}
                ]
            }
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="action.deleted",
            obj=action,
            programme=programme,
            data={"theme": action.theme.slug, "code": action.code, "title": action.title},
        )
        action.delete()
