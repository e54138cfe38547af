"""Every state change of applications and commitments: one keyword-only function each.

Each function checks permission, changes state inside ``transaction.atomic``, records who,
when and why in the audit log, and queues the notifications.  Views and the API call these;
nothing else changes ``status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme, Theme

S = Commitment.Status


# Applications ---------------------------------------------------------------------------


def applications_closed(programme: Programme, now: dt.datetime | None = None) -> str:
    """Why ``programme`` refuses applications now ("" when it accepts them).  An
    organisation may apply before the registration window opens (to be approved in time),
    not once it has closed.  The apply form asks this too, so that it does not offer what
    would be refused."""
    if not programme.registration_has_closed(now):
        return ""
    last_day = programme.registration_last_day()
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
    _require(actor, "programmes.decide_applications", application.programme)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the applicant a reason for declining.")})
    with transaction.atomic():
        application.status = Application.Status.APPROVED if approve else Application.Status.DECLINED
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_reason = reason.strip()
        application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit.record(
            actor=actor,
            action="application.approved" if approve else "application.declined",
            obj=application,
            programme=application.programme,
            reason=application.decision_reason,
        )
        notify(
            to=_emails(application.organisation),
            template="application_decided",
            context={"application": application},
        )
    return application


# Commitments -----------------------------------------------------------------------------


def _raise_if_invalid(commitment: Commitment, *, for_submission: bool) -> None:
    errors = check_commitment(
        CommitmentData.from_commitment(commitment), for_submission=for_submission
    )
    if errors:
        raise ValidationError(errors)


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
    here we check permission and write, so a draft is never lost to a late rule."""
    if commitment.pk is None:
        _require(actor, "organisations.act_for_organisation", commitment.organisation)
        if not commitment.programme.themes.filter(
            applications__organisation=commitment.organisation,
            applications__status=Application.Status.APPROVED,
        ).exists():
            raise PermissionDenied
    else:
        _require(actor, "commitments.change_commitment", commitment)
    with transaction.atomic():
        created = commitment.pk is None
        if created:
            commitment.created_by = actor
            commitment.save()
        else:
            # Lock the row: a reviewer's decision made meanwhile is never overwritten by an
            # author's late save, and the workflow fields are never written from here.
            current = Commitment.objects.select_for_update().get(pk=commitment.pk)
            if not current.is_editable:
                raise PermissionDenied
            commitment.save(update_fields=_CONTENT_FIELDS)
        for name, values in m2m.items():
            getattr(commitment, name).set(values)
        wanted = {o.pk: o for o in co_makers}
        existing = {c.organisation_id: c for c in commitment.co_makers.all()}
        for org_id, row in existing.items():
            if org_id not in wanted:
                row.delete()
        invited = [o for pk, o in wanted.items() if pk not in existing]
        for org in invited:
            CoMaker.objects.create(commitment=commitment, organisation=org)
        audit.record(
            actor=actor,
            action="commitment.created" if created else "commitment.edited",
            obj=commitment,
            programme=commitment.programme,
        )
        for org in invited:
            notify(
                to=_emails(org),
                template="co_maker_invited",
                context={"commitment": commitment, "organisation": org},
            )
    return commitment


def confirm_co_maker(*, actor: Any, co_maker: CoMaker) -> CoMaker:
    _require(actor, "organisations.act_for_organisation", co_maker.organisation)
    if co_maker.confirmed_at:
        return co_maker
    with transaction.atomic():
        co_maker.confirmed_at = timezone.now()
        co_maker.confirmed_by = actor
        co_maker.save(update_fields=["confirmed_at", "confirmed_by"])
        audit.record(
            actor=actor,
            action="commitment.co_maker_confirmed",
            obj=co_maker.commitment,
            programme=co_maker.commitment.programme,
            data={"organisation": co_maker.organisation.name},
        )
        notify(
            to=_emails(co_maker.commitment.organisation),
            template="co_maker_confirmed",
            context={"co_maker": co_maker, "commitment": co_maker.commitment},
        )
    return co_maker


def _transition(
    *,
    actor: Any,
    commitment: Commitment,
    perm: str,
    allowed_from: Iterable[str],
    to: str,
    action: str,
    reason: str = "",
    reason_required: bool = False,
    notify_template: str = "commitment_status",
) -> Commitment:
    _require(actor, perm, commitment)
    if commitment.status not in allowed_from:
        raise ValidationError(
            _("A commitment that is %(status)s cannot be %(action)s.")
            % {"status": commitment.get_status_display().lower(), "action": action}
        )
    if reason_required and not reason.strip():
        raise ValidationError({"reason": _("Give a reason: the makers will read it.")})
    with transaction.atomic():
        previous = commitment.status
        commitment.status = to
        now = timezone.now()
        fields = ["status", "updated_at"]
        if to == S.SUBMITTED:
            commitment.submitted_at = now
            fields.append("submitted_at")
        if to in (S.CONFIRMED, S.DECLINED):
            commitment.decided_at = now
            fields.append("decided_at")
        commitment.save(update_fields=fields)
        audit.record(
            actor=actor,
            action=f"commitment.{to}",
            obj=commitment,
            programme=commitment.programme,
            reason=reason.strip(),
            data={"from": previous, "to": to},
        )
        recipients = _emails(commitment.organisation)
        for c in commitment.co_makers.select_related("organisation"):
            recipients += _emails(c.organisation)
        notify(
            to=recipients,
            template=notify_template,
            context={
                "commitment": commitment,
                "reason": reason.strip(),
                "action": action,
            },
        )
    return commitment


def submit_commitment(
    *, actor: Any, commitment: Commitment, now: dt.datetime | None = None
) -> Commitment:
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
    _raise_if_invalid(commitment, for_submission=True)
    return _transition(
        actor=actor,
        commitment=commitment,
        perm="commitments.submit_commitment",
        allowed_from=Commitment.EDITABLE_STATUSES,
        to=S.SUBMITTED,
        action=_("submitted"),
    )


def start_review(*, actor: Any, commitment: Commitment) -> Commitment:
    return _transition(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=[S.SUBMITTED],
        to=S.IN_REVIEW,
        action=_("taken into review"),
    )


def return_for_revision(*, actor: Any, commitment: Commitment, reason: str) -> Commitment:
    return _transition(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=[S.SUBMITTED, S.IN_REVIEW],
        to=S.RETURNED,
        action=_("returned for revision"),
        reason=reason,
        reason_required=True,
    )


def confirm_commitment(*, actor: Any, commitment: Commitment, reason: str = "") -> Commitment:
    return _transition(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=[S.SUBMITTED, S.IN_REVIEW],
        to=S.CONFIRMED,
        action=_("confirmed"),
        reason=reason,
    )


def decline_commitment(*, actor: Any, commitment: Commitment, reason: str) -> Commitment:
    return _transition(
        actor=actor,
        commitment=commitment,
        perm="commitments.review_commitment",
        allowed_from=[S.SUBMITTED, S.IN_REVIEW],
        to=S.DECLINED,
        action=_("declined"),
        reason=reason,
        reason_required=True,
    )


def feature_commitment(*, actor: Any, commitment: Commitment) -> Commitment:
    return _transition(
        actor=actor,
        commitment=commitment,
        perm="commitments.feature_commitment",
        allowed_from=[S.CONFIRMED],
        to=S.FEATURED,
        action=_("featured"),
    )


def unfeature_commitment(*, actor: Any, commitment: Commitment) -> Commitment:
    return _transition(
        actor=actor,
        commitment=commitment,
        perm="commitments.feature_commitment",
        allowed_from=[S.FEATURED],
        to=S.CONFIRMED,
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
