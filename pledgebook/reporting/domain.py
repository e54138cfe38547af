"""Every state change of reporting: one keyword-only function each (permission, atomic
change, audit, notification).  The permissions are in ``rules.py``, the content rules in
``validation.py``, the reads in ``queries.py``; a status change goes through
``core.transitions.transition``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.core import audit, uploads
from pledgebook.core.notify import emails_of as _emails
from pledgebook.core.notify import notify
from pledgebook.core.permissions import require
from pledgebook.core.transitions import transition
from pledgebook.organisations.models import Organisation
from pledgebook.reference.models import Currency
from pledgebook.reporting import exchange, links
from pledgebook.reporting.expected import Terms, is_expected
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
from pledgebook.reporting.queries import makers, not_reported
from pledgebook.reporting.rules import can_report, reporting_organisations
from pledgebook.reporting.tasks import generate_annual_report, refresh_figures
from pledgebook.reporting.validation import (
    check_cycle_dates,
    check_evidence_files,
    check_framework_editable,
    check_indicator_code,
    check_indicator_deletable,
    check_open_for_reports,
    check_rate,
    check_report,
    reporting_currency,
)

CycleStatus = ReportingCycle.Status
ANNUAL_REPORT_STALE_AFTER = dt.timedelta(hours=1)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
RUN_CYCLE = "reporting.run_cycle"


# What apps built on reporting do when its figures may have changed (the portal's facts),
# inside the change's transaction; registered in their AppConfig.ready.
_changed_hooks: list[Callable[..., object]] = []


def on_figures_changed(hook: Callable[..., object]) -> None:
    """Call ``hook(commitment_ids=, programme_id=, currency=)`` (the others None) when the
    reports of commitments, the cycles of a programme or the rates of a currency changed."""
    if hook not in _changed_hooks:
        _changed_hooks.append(hook)


def _changed(
    *,
    commitment_ids: list[int] | None = None,
    programme_id: int | None = None,
    currency: str | None = None,
) -> None:
    for hook in _changed_hooks:
        hook(commitment_ids=commitment_ids, programme_id=programme_id, currency=currency)


# Cycles --------------------------------------------------------------------------------------


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
    now = now or timezone.now()
    invited = {"invited": 0}

    def invite(row: ReportingCycle, _previous: str) -> list[str]:
        if now >= row.closes_at:
            raise ValidationError(_("This cycle has already closed: change its dates first."))
        row.opened_at = now
        for organisation in makers(row).order_by("pk"):
            invitation, created = _invitation(row, organisation, now)
            if created:
                _send_link(invitation)
                invited["invited"] += 1
        _changed(programme_id=row.programme_id)
        return ["opened_at"]

    transition(
        cycle,
        actor=actor,
        perm=RUN_CYCLE,
        allowed_from=[CycleStatus.SCHEDULED],
        to=CycleStatus.OPEN,
        action=gettext_lazy("opened"),
        refusal=gettext_lazy("Only a scheduled cycle can be opened."),
        audit_action="cycle.opened",
        apply=invite,
        data=invited,
    )
    return invited["invited"]


def resend_link(
    *, actor: Any, invitation: Invitation, now: dt.datetime | None = None
) -> Invitation:
    require(actor, RUN_CYCLE, invitation.cycle)
    if invitation.cycle.status != CycleStatus.OPEN:
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
    def closed(row: ReportingCycle, _previous: str) -> list[str]:
        row.closed_at = now or timezone.now()
        _changed(programme_id=row.programme_id)
        return ["closed_at"]

    transition(
        cycle,
        actor=actor,
        perm=RUN_CYCLE,
        allowed_from=[CycleStatus.OPEN],
        to=CycleStatus.CLOSED,
        action=gettext_lazy("closed"),
        refusal=gettext_lazy("Only an open cycle can be closed."),
        audit_action="cycle.closed",
        apply=closed,
    )


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
            .filter(
                programme_id=commitment.programme_id, status=CycleStatus.OPEN, closes_at__gt=now
            )
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


def join_open_cycles_in_bulk(
    *, actor: Any, commitment_ids: list[int], now: dt.datetime | None = None
) -> int:
    """Commitments created in bulk in a public status (a registry import) join the open
    cycles that expect them, as a commitment confirmed while a cycle is open does
    (:func:`join_open_cycles`): each of their makers that has no personal link for such a
    cycle receives one, by mail to the people who act for it (as when a cycle opens, the
    console's cycle page lists a maker without anyone on the platform as "Nobody to write
    to").  Called by ``commitments.domain.created_in_bulk`` inside the import's transaction;
    the cycles' rows are locked as :func:`join_open_cycles` locks them, so two imports (or an
    import and a confirmation) never invite one maker twice.  One audit entry per cycle.
    Returns the number of makers invited."""
    now = now or timezone.now()
    programmes = Commitment.objects.filter(pk__in=commitment_ids).values("programme_id").distinct()
    cycles = (
        ReportingCycle.objects.select_for_update(of=("self",))
        .filter(programme_id__in=programmes, status=CycleStatus.OPEN, closes_at__gt=now)
        .select_related("programme")
        .order_by("deadline", "pk")
    )
    invited = 0
    for cycle in cycles:
        require(actor, RUN_CYCLE, cycle)
        expected = Commitment.objects.filter(
            Terms.of(cycle).q(), pk__in=commitment_ids, programme_id=cycle.programme_id
        )
        organisations = (
            Organisation.objects.filter(
                Q(pk__in=expected.values("organisation_id"))
                | Q(
                    pk__in=CoMaker.objects.taking_part()
                    .filter(commitment__in=expected)
                    .values("organisation_id")
                )
            )
            .exclude(pk__in=Invitation.objects.filter(cycle=cycle).values("organisation_id"))
            .order_by("pk")
        )
        created = Invitation.objects.bulk_create(
            [Invitation(cycle=cycle, organisation=o, sent_at=now) for o in organisations]
        )
        if not created:
            continue
        with_people = set(
            Organisation.objects.filter(
                pk__in=[i.organisation_id for i in created], people__is_active=True
            ).values_list("pk", flat=True)
        )
        for invitation in created:
            if invitation.organisation_id in with_people:
                invitation.cycle = cycle
                _send_link(invitation)
        invited += len(created)
        audit.record(
            actor=actor,
            action="cycle.commitments_imported",
            obj=cycle,
            programme=cycle.programme,
            data={
                "commitments": expected.count(),
                "invited": len(created),
                "mailed": len(with_people),
            },
        )
    return invited


# Accountability framework ------------------------------------------------------------------


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
    check_framework_editable(programme)
    check_indicator_code(programme, code)
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
    check_framework_editable(programme)
    check_indicator_code(programme, code, exclude=indicator.pk)
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
    check_framework_editable(programme)
    check_indicator_deletable(indicator)
    with transaction.atomic():
        audit.record(actor=actor, action="indicator.deleted", obj=indicator, programme=programme)
        indicator.delete()


# Reports -------------------------------------------------------------------------------------


@dataclass
class IndicatorEntry:
    indicator: Indicator
    baseline: Decimal | None = None
    target: Decimal | None = None
    value: Decimal | None = None


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
    check_open_for_reports(report.cycle, now)
    errors = check_report(report, for_submission=False)
    if errors:
        raise ValidationError(errors)
    files = list(evidence_files)
    kinds = check_evidence_files(files, max_bytes=MAX_EVIDENCE_BYTES)
    # The disk full at a file (uploads.StorageFull): no row and no file of this save stays.
    with uploads.atomic_with_files():
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

    def submitted(row: ProgressReport, _previous: str) -> list[str]:
        check_open_for_reports(row.cycle, now)
        errors = check_report(row, for_submission=True)
        if errors:
            raise ValidationError(errors)
        row.submitted_at = now
        return ["submitted_at"]

    def tell_co_makers(row: ProgressReport, _previous: str) -> None:
        for co_maker in row.commitment.co_makers.taking_part().select_related("organisation"):
            notify(
                to=_emails(co_maker.organisation),
                template="report_to_confirm",
                context={"report": row, "commitment": row.commitment},
            )
        _changed(commitment_ids=[row.commitment_id])
        # After the commit, so that the computation sees the report.
        transaction.on_commit(
            lambda: refresh_figures.enqueue(cycle_id=row.cycle_id, since=timezone.now().isoformat())
        )

    transition(
        report,
        actor=actor,
        perm="reporting.submit_report",
        allowed_from=[ProgressReport.Status.DRAFT],
        to=ProgressReport.Status.SUBMITTED,
        action=gettext_lazy("submitted"),
        refusal=gettext_lazy("This report has already been submitted."),
        audit_action="report.submitted" if report.version == 1 else "report.corrected",
        programme=report.cycle.programme,
        apply=submitted,
        then=tell_co_makers,
        data={"version": report.version},
    )
    return report


def confirm_report(*, actor: Any, report: ProgressReport, organisation: Organisation) -> None:
    """A co-maker confirms the lead maker's submitted report."""
    if organisation.pk not in reporting_organisations(actor):
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
    if cycle.status != CycleStatus.OPEN or now >= cycle.closes_at:
        return 0
    terms = Terms.of(cycle)
    silent = not_reported(cycle)
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
    the same data are reused by the task (see ``generation.generate``).  A report "Generating"
    without a sign of life for ``ANNUAL_REPORT_STALE_SECONDS`` was interrupted (its worker
    died): it is marked failed and a new one is queued.  A report still queued an hour after
    it was asked for is taken as lost (no worker runs) and no longer holds back a new
    request."""
    require(actor, RUN_CYCLE, cycle)
    if cycle.status == CycleStatus.SCHEDULED:
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
    require(actor, RUN_CYCLE, cycle)
    reporting = reporting_currency(cycle)
    source = source.strip()
    errors = check_rate(rate, currency, reporting, source)
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
        _changed(currency=currency.pk)
    return obj


def delete_exchange_rate(*, actor: Any, rate: ExchangeRate) -> None:
    """Forget a rate: the currency's totals are shown unconverted again."""
    cycle = rate.cycle
    require(actor, RUN_CYCLE, cycle)
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
        _changed(currency=rate.currency_id)


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
    require(actor, RUN_CYCLE, cycle)
    reporting = reporting_currency(cycle)
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
        for row in parsed.rows:
            _changed(currency=row.currency)
    return RatesImport(parsed.rows, parsed.problems)
