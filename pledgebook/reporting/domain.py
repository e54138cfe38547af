"""Every state change of reporting: one keyword-only function each (permission, atomic
change, audit, notification)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.core import audit, uploads
from pledgebook.core.notify import emails_of as _emails
from pledgebook.core.notify import notify
from pledgebook.organisations.models import Organisation
from pledgebook.reference.models import Currency
from pledgebook.reporting import exchange, links
from pledgebook.reporting.expected import Terms, expected_in, is_expected
from pledgebook.reporting.models import (
    AnnualReport,
    CoMakerConfirmation,
    Evidence,
    ExchangeRate,
    Indicator,
    IndicatorValue,
    Invitation,
    ProgressReport,
    Reminder,
    ReportingCycle,
)
from pledgebook.reporting.tasks import generate_annual_report, refresh_figures

C = ReportingCycle.Status
ANNUAL_REPORT_STALE_AFTER = dt.timedelta(hours=1)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: What evidence files may be, judged by their content (``core.uploads``).
EVIDENCE_KINDS = uploads.EVIDENCE


def _require_secretariat(actor: Any, cycle: ReportingCycle) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
        "programmes.change_programme", cycle.programme
    ):
        raise PermissionDenied


def active_commitments(cycle: ReportingCycle) -> QuerySet[Commitment]:
    """Commitments expected to report in ``cycle`` (the rule: ``reporting.expected``)."""
    return expected_in(cycle)


def makers(cycle: ReportingCycle) -> QuerySet[Organisation]:
    """Organisations that report in ``cycle``: leads and co-makers of active commitments."""
    active = active_commitments(cycle)
    return Organisation.objects.filter(
        Q(pk__in=active.values("organisation_id"))
        | Q(
            pk__in=CoMaker.objects.taking_part()
            .filter(commitment__in=active)
            .values("organisation_id")
        )
    )


# Cycles --------------------------------------------------------------------------------------


def check_cycle_dates(
    *, opens_at: dt.datetime, deadline: dt.datetime, closes_at: dt.datetime
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if deadline <= opens_at:
        errors["deadline"] = [_("The deadline must come after the opening.")]
    if closes_at < deadline:
        errors["closes_at"] = [_("The cycle cannot close before its deadline.")]
    return errors


def schedule_cycle(
    *,
    actor: Any,
    programme: Any,
    name: str,
    opens_at: dt.datetime,
    deadline: dt.datetime,
    closes_at: dt.datetime,
    kind: str = ReportingCycle.Kind.ANNUAL,
) -> ReportingCycle:
    if not actor.has_perm("programmes.change_programme", programme):
        raise PermissionDenied
    errors = check_cycle_dates(opens_at=opens_at, deadline=deadline, closes_at=closes_at)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle = ReportingCycle.objects.create(
            programme=programme,
            name=name,
            kind=kind,
            opens_at=opens_at,
            deadline=deadline,
            closes_at=closes_at,
        )
        audit.record(actor=actor, action="cycle.scheduled", obj=cycle, programme=programme)
    return cycle


def link_path(invitation: Invitation) -> str:
    return reverse("reporting:link", kwargs={"token": links.make_token(invitation)})


def _send_link(invitation: Invitation) -> None:
    url = link_path(invitation)
    notify(
        to=_emails(invitation.organisation),
        template="reporting_link",
        context={"invitation": invitation, "cycle": invitation.cycle, "path": url},
    )


def _invitation(
    cycle: ReportingCycle, organisation: Organisation, now: dt.datetime
) -> tuple[Invitation, bool]:
    """The maker's invitation (personal link) to ``cycle``, created if it has none; and
    whether it was created."""
    invitation, created = Invitation.objects.get_or_create(
        cycle=cycle, organisation=organisation, defaults={"sent_at": now}
    )
    invitation.cycle = cycle
    invitation.organisation = organisation
    return invitation, created


def open_cycle(*, actor: Any, cycle: ReportingCycle, now: dt.datetime | None = None) -> int:
    """Open the cycle and send every maker its personal link.  Returns the number invited."""
    _require_secretariat(actor, cycle)
    now = now or timezone.now()
    if cycle.status != C.SCHEDULED:
        raise ValidationError(_("Only a scheduled cycle can be opened."))
    if now >= cycle.closes_at:
        raise ValidationError(_("This cycle has already closed: change its dates first."))
    with transaction.atomic():
        cycle.status = C.OPEN
        cycle.opened_at = now
        cycle.save(update_fields=["status", "opened_at"])
        invited = 0
        for organisation in makers(cycle).order_by("pk"):
            invitation, created = _invitation(cycle, organisation, now)
            if created:
                _send_link(invitation)
                invited += 1
        audit.record(
            actor=actor,
            action="cycle.opened",
            obj=cycle,
            programme=cycle.programme,
            data={"invited": invited},
        )
    return invited


def resend_link(
    *, actor: Any, invitation: Invitation, now: dt.datetime | None = None
) -> Invitation:
    _require_secretariat(actor, invitation.cycle)
    if invitation.cycle.status != C.OPEN:
        raise ValidationError(_("Links can be sent only while the cycle is open."))
    with transaction.atomic():
        invitation.nonce = Invitation._meta.get_field("nonce").get_default()
        invitation.sent_at = now or timezone.now()
        invitation.times_sent += 1
        invitation.save(update_fields=["nonce", "sent_at", "times_sent"])
        _send_link(invitation)
        audit.record(
            actor=actor,
            action="cycle.link_resent",
            obj=invitation.cycle,
            programme=invitation.cycle.programme,
            data={"organisation": invitation.organisation.name},
        )
    return invitation


def close_cycle(*, actor: Any, cycle: ReportingCycle, now: dt.datetime | None = None) -> None:
    _require_secretariat(actor, cycle)
    if cycle.status != C.OPEN:
        raise ValidationError(_("Only an open cycle can be closed."))
    with transaction.atomic():
        cycle.status = C.CLOSED
        cycle.closed_at = now or timezone.now()
        cycle.save(update_fields=["status", "closed_at"])
        audit.record(actor=actor, action="cycle.closed", obj=cycle, programme=cycle.programme)


def join_open_cycles(
    *, actor: Any, commitment: Commitment, now: dt.datetime | None = None
) -> list[Invitation]:
    """A commitment just confirmed joins the open cycles that expect it (by its programme's
    rule, ``reporting.expected``): its lead maker and co-makers that have no personal link
    for such a cycle receive one.  Called by ``commitments.domain.confirm_commitment`` inside
    its transaction, so the links and their queued mails commit with the confirmation.
    Returns the invitations created."""
    if not actor.has_perm("commitments.review_commitment", commitment):
        raise PermissionDenied
    now = now or timezone.now()
    created: list[Invitation] = []
    with transaction.atomic():
        cycles = (
            ReportingCycle.objects.select_for_update(of=("self",))
            .filter(programme_id=commitment.programme_id, status=C.OPEN, closes_at__gt=now)
            .select_related("programme")
            .order_by("deadline", "pk")
        )
        co_makers = [
            row.organisation
            for row in commitment.co_makers.select_related("organisation").order_by("pk")
        ]
        for cycle in cycles:
            if not is_expected(commitment, cycle):
                continue
            due = Terms.of(cycle).due(commitment)
            invited = []
            for organisation in [commitment.organisation, *co_makers]:
                invitation, new = _invitation(cycle, organisation, now)
                if not new:
                    continue
                notify(
                    to=_emails(organisation),
                    template="reporting_joined",
                    context={
                        "invitation": invitation,
                        "cycle": cycle,
                        "commitment": commitment,
                        "lead": organisation.pk == commitment.organisation_id,
                        "due": due,
                        "path": link_path(invitation),
                    },
                )
                invited.append(organisation.name)
                created.append(invitation)
            audit.record(
                actor=actor,
                action="cycle.commitment_joined",
                obj=cycle,
                programme=cycle.programme,
                data={"commitment": commitment.pk, "invited": invited},
            )
    return created


# Accountability framework ------------------------------------------------------------------


def _require_framework_editable(programme: Any) -> None:
    """The indicators cannot change while a cycle is open: its reports answer them."""
    cycle = ReportingCycle.objects.filter(programme=programme, status=C.OPEN).first()
    if cycle is not None:
        raise ValidationError(
            _(
                "The %(cycle)s cycle is open and its reports answer these indicators: change "
                "the framework after it closes."
            )
            % {"cycle": cycle.name}
        )


def _check_indicator_code(programme: Any, code: str, exclude: int | None = None) -> None:
    taken = Indicator.objects.filter(programme=programme, code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"code": [_("Another indicator of this programme has this code.")]})


def create_indicator(
    *,
    actor: Any,
    programme: Any,
    code: str,
    name: str,
    unit: str = "",
    description: str = "",
    position: int = 0,
) -> Indicator:
    if not actor.has_perm("programmes.change_programme", programme):
        raise PermissionDenied
    _require_framework_editable(programme)
    _check_indicator_code(programme, code)
    with transaction.atomic():
        indicator = Indicator.objects.create(
            programme=programme,
            code=code,
            name=name,
            unit=unit,
            description=description,
            position=position,
        )
        audit.record(actor=actor, action="indicator.created", obj=indicator, programme=programme)
    return indicator


def update_indicator(
    *,
    actor: Any,
    indicator: Indicator,
    code: str,
    name: str,
    unit: str = "",
    description: str = "",
    position: int = 0,
) -> Indicator:
    programme = indicator.programme
    if not actor.has_perm("programmes.change_programme", programme):
        raise PermissionDenied
    _require_framework_editable(programme)
    _check_indicator_code(programme, code, exclude=indicator.pk)
    with transaction.atomic():
        indicator.code, indicator.name, indicator.unit = code, name, unit
        indicator.description, indicator.position = description, position
        indicator.save()
        audit.record(actor=actor, action="indicator.changed", obj=indicator, programme=programme)
    return indicator


def delete_indicator(*, actor: Any, indicator: Indicator) -> None:
    programme = indicator.programme
    if not actor.has_perm("programmes.change_programme", programme):
        raise PermissionDenied
    _require_framework_editable(programme)
    answered = indicator.values.count()
    if answered:
        raise ValidationError(
            ngettext(
                "A report answers this indicator, so it cannot be deleted: its value would be "
                "lost.",
                "%(n)s reports answer this indicator, so it cannot be deleted: their values "
                "would be lost.",
                answered,
            )
            % {"n": answered}
        )
    with transaction.atomic():
        audit.record(actor=actor, action="indicator.deleted", obj=indicator, programme=programme)
        indicator.delete()


# Reports -------------------------------------------------------------------------------------


def _reporting_org(actor: Any) -> set[int]:
    if isinstance(actor, links.LinkActor):
        return {actor.organisation_id}
    if getattr(actor, "is_authenticated", False):
        return set(actor.organisations.values_list("pk", flat=True))
    return set()


def can_report(actor: Any, commitment: Commitment) -> bool:
    """The lead maker reports (through its link or its workspace)."""
    return commitment.organisation_id in _reporting_org(actor)


def _require_open(cycle: ReportingCycle, now: dt.datetime) -> None:
    if cycle.status != C.OPEN or now >= cycle.closes_at:
        raise ValidationError(
            _("The %(cycle)s reporting cycle is closed: reports can no longer be sent.")
            % {"cycle": cycle.name}
        )


@dataclass
class IndicatorEntry:
    indicator: Indicator
    baseline: Decimal | None = None
    target: Decimal | None = None
    value: Decimal | None = None


def check_report(report: ProgressReport, *, for_submission: bool) -> dict[str, list[str]]:
    """The content rules of a progress report (one place; the form maps them to fields)."""
    errors: dict[str, list[str]] = {}
    commitment = report.commitment
    if report.disbursed_amount is not None:
        if report.disbursed_amount < 0:
            errors.setdefault("disbursed_amount", []).append(
                _("Disbursed money cannot be negative.")
            )
        pledged = commitment.currency_id
        currency = report.disbursed_currency_id or pledged
        if pledged and currency != pledged and report.exchange_rate is None:
            errors.setdefault("exchange_rate", []).append(
                _("The money was pledged in %(pledged)s: give the exchange rate from %(cur)s.")
                % {"pledged": pledged, "cur": currency}
            )
        if report.exchange_rate is not None and report.exchange_rate <= 0:
            errors.setdefault("exchange_rate", []).append(_("The rate must be greater than zero."))
    if for_submission:
        if not report.implementation_status:
            errors.setdefault("implementation_status", []).append(_("Choose a status."))
        if len(report.narrative.split()) < 5:
            errors.setdefault("narrative", []).append(_("Say in a few sentences what happened."))
    return errors


def draft_for(*, actor: Any, commitment: Commitment, cycle: ReportingCycle) -> ProgressReport:
    """The draft of this commitment's report for the cycle, created (from the latest submitted
    version, for a correction) when there is none."""
    if not can_report(actor, commitment) or commitment.programme_id != cycle.programme_id:
        raise PermissionDenied
    draft = ProgressReport.objects.filter(
        commitment=commitment, cycle=cycle, status=ProgressReport.Status.DRAFT
    ).first()
    if draft:
        return draft
    latest = (
        ProgressReport.objects.filter(commitment=commitment, cycle=cycle)
        .order_by("-version")
        .first()
    )
    draft = ProgressReport(
        commitment=commitment,
        cycle=cycle,
        version=(latest.version + 1) if latest else 1,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if latest:
        for name in (
            "implementation_status",
            "narrative",
            "challenges",
            "disbursed_amount",
            "disbursed_currency",
            "exchange_rate",
        ):
            setattr(draft, name, getattr(latest, name))
    return draft


def save_report(
    *,
    actor: Any,
    report: ProgressReport,
    entries: Iterable[IndicatorEntry] = (),
    evidence_links: Iterable[str] = (),
    evidence_files: Iterable[Any] = (),
    submit: bool = False,
    now: dt.datetime | None = None,
) -> ProgressReport:
    """Save a draft report, and submit it when ``submit``.  The draft is saved even when the
    submission is refused, so nothing typed is lost."""
    now = now or timezone.now()
    if not can_report(actor, report.commitment):
        raise PermissionDenied
    if report.status != ProgressReport.Status.DRAFT:
        raise ValidationError(_("A submitted report is never changed: start a correction."))
    _require_open(report.cycle, now)
    errors = check_report(report, for_submission=False)
    if errors:
        raise ValidationError(errors)
    files = list(evidence_files)
    kinds = {}
    for f in files:
        if f.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(
                {"evidence_files": _("%(name)s is larger than 10 MB.") % {"name": f.name}}
            )
        try:
            kinds[id(f)] = uploads.check(f, EVIDENCE_KINDS)
        except ValidationError as exc:
            raise ValidationError({"evidence_files": exc.messages}) from exc
    with transaction.atomic():
        created = report.pk is None
        report.save()
        for entry in entries:
            IndicatorValue.objects.update_or_create(
                report=report,
                indicator=entry.indicator,
                defaults={"baseline": entry.baseline, "target": entry.target, "value": entry.value},
            )
        for url in evidence_links:
            if url:
                Evidence.objects.get_or_create(report=report, url=url)
        for f in files:
            Evidence.objects.create(
                report=report,
                file=f,
                original_name=f.name[:255],
                content_type=kinds[id(f)].mime,
                size=f.size,
            )
        if created and report.version > 1:
            _copy_previous(report)
        audit.record(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="report.saved",
            obj=report,
            programme=report.cycle.programme,
            data={"via_link": isinstance(actor, links.LinkActor)},
        )
    if submit:
        submit_report(actor=actor, report=report, now=now)
    return report


def _copy_previous(report: ProgressReport) -> None:
    previous = ProgressReport.objects.get(
        commitment=report.commitment, cycle=report.cycle, version=report.version - 1
    )
    have = set(report.values.values_list("indicator_id", flat=True))
    for value in previous.values.all():
        if value.indicator_id not in have:
            IndicatorValue.objects.create(
                report=report,
                indicator=value.indicator,
                baseline=value.baseline,
                target=value.target,
                value=value.value,
            )
    for ev in previous.evidence.all():
        Evidence.objects.create(
            report=report,
            url=ev.url,
            file=ev.file.name if ev.file else "",
            original_name=ev.original_name,
            content_type=ev.content_type,
            size=ev.size,
        )


def submit_report(
    *, actor: Any, report: ProgressReport, now: dt.datetime | None = None
) -> ProgressReport:
    now = now or timezone.now()
    if not can_report(actor, report.commitment):
        raise PermissionDenied
    if report.status != ProgressReport.Status.DRAFT:
        raise ValidationError(_("This report has already been submitted."))
    _require_open(report.cycle, now)
    errors = check_report(report, for_submission=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_at = now
        report.save(update_fields=["status", "submitted_at", "updated_at"])
        audit.record(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="report.submitted" if report.version == 1 else "report.corrected",
            obj=report,
            programme=report.cycle.programme,
            data={"version": report.version},
        )
        for co_maker in report.commitment.co_makers.taking_part().select_related("organisation"):
            notify(
                to=_emails(co_maker.organisation),
                template="report_to_confirm",
                context={"report": report, "commitment": report.commitment},
            )
        # After the commit, so that the computation sees the report.
        transaction.on_commit(
            lambda: refresh_figures.enqueue(
                cycle_id=report.cycle_id, since=timezone.now().isoformat()
            )
        )
    return report


def confirm_report(*, actor: Any, report: ProgressReport, organisation: Organisation) -> None:
    """A co-maker confirms the lead maker's submitted report."""
    if organisation.pk not in _reporting_org(actor):
        raise PermissionDenied
    if not report.commitment.co_makers.taking_part().filter(organisation=organisation).exists():
        raise PermissionDenied
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be confirmed."))
    with transaction.atomic():
        CoMakerConfirmation.objects.get_or_create(
            report=report,
            organisation=organisation,
            defaults={"confirmed_by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        audit.record(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="report.confirmed",
            obj=report,
            programme=report.cycle.programme,
            data={"organisation": organisation.name},
        )


# Reminders -----------------------------------------------------------------------------------


def _reminder_kind(cycle: ReportingCycle, due: dt.datetime, now: dt.datetime) -> str | None:
    """Which reminder is due at ``now`` for a report due at ``due``, if any."""
    if due - dt.timedelta(days=cycle.remind_days_before) <= now < due:
        return Reminder.Kind.BEFORE
    if now >= due + dt.timedelta(days=cycle.remind_days_after):
        return Reminder.Kind.AFTER
    return None


def send_reminders(*, cycle: ReportingCycle, now: dt.datetime | None = None) -> int:
    """Remind the lead makers of commitments expected in the cycle without a submitted report:
    once in the days before their report is due and once after (due by the deadline, or by
    the close for a commitment confirmed after the deadline: ``reporting.expected``).  Safe
    to run any number of times (a unique row per maker, cycle, kind and due date).  Every
    reminder carries the maker's personal link, given now if it had none.  Returns the
    number of reminders sent."""
    now = now or timezone.now()
    if cycle.status != C.OPEN or now >= cycle.closes_at:
        return 0
    terms = Terms.of(cycle)
    reported = ProgressReport.objects.filter(
        cycle=cycle, status=ProgressReport.Status.SUBMITTED
    ).values("commitment_id")
    silent = expected_in(cycle).exclude(pk__in=reported)
    on_time = terms.due_at_deadline_q()
    groups = [(terms.deadline, silent.filter(on_time)), (terms.closes, silent.exclude(on_time))]
    sent = 0
    for due, commitments in groups:
        kind = _reminder_kind(cycle, due, now)
        if kind is None:
            continue
        leads = Organisation.objects.filter(pk__in=commitments.values("organisation_id"))
        for organisation in leads.order_by("pk"):
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        cycle=cycle, organisation=organisation, kind=kind, deadline=due
                    )
                    invitation, created = _invitation(cycle, organisation, now)
                    if created:
                        audit.record(
                            actor=None,
                            action="cycle.link_given",
                            obj=cycle,
                            programme=cycle.programme,
                            data={"organisation": organisation.name},
                        )
                    notify(
                        to=_emails(organisation),
                        template=f"reporting_reminder_{kind}",
                        context={
                            "cycle": cycle,
                            "organisation": organisation,
                            "due": due,
                            "path": link_path(invitation),
                        },
                    )
            except IntegrityError:
                continue  # already reminded for this due date
            sent += 1
    return sent


# Annual report --------------------------------------------------------------------------------


def request_annual_report(*, actor: Any, cycle: ReportingCycle) -> AnnualReport:
    """Queue the generation of the cycle's annual report (PDF, Word, CSV, XLSX).  A request
    while one is queued or generating returns that one.  The files of an earlier report with
    the same data are reused by the task (see ``annual.generate``).  A report "Generating"
    without a sign of life for ``ANNUAL_REPORT_STALE_SECONDS`` was interrupted (its worker
    died): it is marked failed and a new one is queued.  A report still queued an hour after
    it was asked for is taken as lost (no worker runs) and no longer holds back a new
    request."""
    _require_secretariat(actor, cycle)
    if cycle.status == C.SCHEDULED:
        raise ValidationError(_("The report can be generated once the cycle has opened."))
    now = timezone.now()
    with transaction.atomic():
        active = list(
            AnnualReport.objects.select_for_update()
            .filter(
                cycle=cycle,
                status__in=[AnnualReport.Status.QUEUED, AnnualReport.Status.RUNNING],
                requested_at__gte=now - ANNUAL_REPORT_STALE_AFTER,
            )
            .order_by("-requested_at", "-pk")
        )
        for report in active:
            if not report.interrupted:
                return report
        for report in active:
            _fail_annual_report(
                report, actor=actor, error=_("Interrupted: the task worker stopped.")
            )
        report = AnnualReport.objects.create(cycle=cycle, requested_by=actor)
        audit.record(
            actor=actor, action="annual_report.requested", obj=report, programme=cycle.programme
        )
        # Enqueued inside the transaction: with the database backend the task row commits
        # (or not) with the report row.
        generate_annual_report.enqueue(report_id=report.pk)
    report.refresh_from_db()
    return report


def annual_report_interrupted(*, report_id: int, retried: bool, error: str = "") -> bool:
    """The task generating a report stopped without finishing it: its worker died
    (``core.workers.recover``: ``retried`` if the task was queued again), or the task failed
    before the report could record why.  A report queued again shows so; otherwise it fails
    with ``error``, and "Generate again" makes a new one.  Called by the system (signals of
    the task worker), not by a person.  Returns True if the report changed."""
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .select_related("cycle__programme")
            .filter(
                pk=report_id,
                status__in=[AnnualReport.Status.QUEUED, AnnualReport.Status.RUNNING],
            )
            .first()
        )
        if report is None:
            return False  # finished, failed or superseded meanwhile
        if not retried:
            _fail_annual_report(
                report,
                actor=None,
                error=error or _("Interrupted: the task worker stopped, too often."),
            )
            return True
        report.status = AnnualReport.Status.QUEUED
        report.progress = 0
        report.step = _("Interrupted: queued again")
        report.heartbeat_at = timezone.now()
        report.save(update_fields=["status", "progress", "step", "heartbeat_at"])
        audit.record(
            actor=None,
            action="annual_report.requeued",
            obj=report,
            programme=report.cycle.programme,
        )
    return True


def _fail_annual_report(report: AnnualReport, *, actor: Any, error: str) -> None:
    report.status = AnnualReport.Status.FAILED
    report.step = _("Failed")
    report.error = error
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "step", "error", "finished_at"])
    audit.record(
        actor=actor,
        action="annual_report.interrupted",
        obj=report,
        programme=report.cycle.programme,
        data={"progress": report.progress},
    )


# Exchange rates -------------------------------------------------------------------------------


def _reporting_currency(cycle: ReportingCycle) -> Currency:
    currency = cycle.programme.reporting_currency
    if currency is None:
        raise ValidationError(
            _(
                "The programme has no reporting currency: choose one in its settings before "
                "keeping exchange rates."
            )
        )
    return currency


def _check_rate(rate: Decimal, currency: Currency, reporting: Currency) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if currency.pk == reporting.pk:
        errors["currency"] = [
            _("%(code)s is the reporting currency: its rate is always 1.") % {"code": currency.pk}
        ]
    if rate is None or rate <= 0:
        errors["rate"] = [_("A rate must be more than zero.")]
    elif rate > exchange.MAX_RATE or rate != rate.quantize(Decimal("1e-8")):
        errors["rate"] = [
            _("A rate has at most 12 digits before the decimal point and 8 after it.")
        ]
    return errors


def set_exchange_rate(
    *,
    actor: Any,
    cycle: ReportingCycle,
    currency: Currency,
    rate: Decimal,
    effective_on: dt.date,
    source: str = "",
) -> ExchangeRate:
    """Keep the cycle's rate of ``currency`` (units for one unit of the programme's reporting
    currency): added, or the one kept before replaced."""
    _require_secretariat(actor, cycle)
    reporting = _reporting_currency(cycle)
    errors = _check_rate(rate, currency, reporting)
    source = source.strip()
    if len(source) > 200:
        errors["source"] = [_("At most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = (
            ExchangeRate.objects.select_for_update().filter(cycle=cycle, currency=currency).first()
        )
        before = (
            {
                "rate": str(existing.rate),
                "reporting_currency": existing.reporting_currency_id,
                "effective_on": existing.effective_on.isoformat(),
                "source": existing.source,
            }
            if existing
            else None
        )
        obj = existing or ExchangeRate(cycle=cycle, currency=currency)
        obj.reporting_currency = reporting
        obj.rate = rate
        obj.effective_on = effective_on
        obj.source = source
        obj.save()
        audit.record(
            actor=actor,
            action="exchange_rate.set",
            obj=cycle,
            programme=cycle.programme,
            data={
                "currency": currency.pk,
                "rate": str(rate),
                "reporting_currency": reporting.pk,
                "effective_on": effective_on.isoformat(),
                "source": source,
                "before": before,
            },
        )
    return obj


def delete_exchange_rate(*, actor: Any, rate: ExchangeRate) -> None:
    """Forget a rate: the currency's totals are shown unconverted again."""
    cycle = rate.cycle
    _require_secretariat(actor, cycle)
    with transaction.atomic():
        deleted, _rows = ExchangeRate.objects.filter(pk=rate.pk).delete()
        if not deleted:
            return
        audit.record(
            actor=actor,
            action="exchange_rate.deleted",
            obj=cycle,
            programme=cycle.programme,
            data={
                "currency": rate.currency_id,
                "rate": str(rate.rate),
                "reporting_currency": rate.reporting_currency_id,
                "effective_on": rate.effective_on.isoformat(),
            },
        )


@dataclass
class RatesImport:
    """What an import did: the rates kept (new or replaced) and the rows refused."""

    saved: list[exchange.ParsedRate]
    problems: list[exchange.RowProblem]


def import_exchange_rates(
    *, actor: Any, cycle: ReportingCycle, data: bytes, source: str = ""
) -> RatesImport:
    """Keep the rates of a CSV file (UN operational rates of exchange layout: currency code,
    rate per unit of the reporting currency, effective date).  Every row understood is kept
    (replacing the cycle's earlier rate of its currency); every other row is returned with its
    line number and why, and changes nothing.  A file that cannot be read at all raises
    ``ValidationError`` and changes nothing."""
    _require_secretariat(actor, cycle)
    reporting = _reporting_currency(cycle)
    known = set(Currency.objects.values_list("code", flat=True))
    parsed = exchange.parse_csv(
        data, known=known, reporting_currency=reporting.pk, default_source=source.strip()
    )
    with transaction.atomic():
        existing = {
            r.currency_id: r
            for r in ExchangeRate.objects.select_for_update().filter(
                cycle=cycle, currency_id__in=[p.currency for p in parsed.rows]
            )
        }
        for row in parsed.rows:
            obj = existing.get(row.currency) or ExchangeRate(cycle=cycle, currency_id=row.currency)
            obj.reporting_currency = reporting
            obj.rate = row.rate
            obj.effective_on = row.effective_on
            obj.source = row.source
            obj.save()
        if parsed.rows:
            audit.record(
                actor=actor,
                action="exchange_rates.imported",
                obj=cycle,
                programme=cycle.programme,
                data={
                    "reporting_currency": reporting.pk,
                    "rates": {r.currency: str(r.rate) for r in parsed.rows},
                    "refused_lines": [p.line for p in parsed.problems],
                },
            )
    return RatesImport(parsed.rows, parsed.problems)
