"""Session summaries: the programme's forum settings, the organisers' task when a session
ends, the reminders before and after the deadline, saving and submitting a summary, and the
invitation to register a commitment announced at a session.

The task and the reminders are sent by the workers' periodic check (:func:`run_checks`,
registered in ``ForumConfig.ready``); each mail is a ``SummaryReminder`` row, unique per
summary and kind, written in the transaction that queues the mail, so a check run twice (or
by two workers at once) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.commitments.models import Commitment
from pledgebook.core import audit
from pledgebook.core.notify import emails_of, notify
from pledgebook.core.permissions import require
from pledgebook.core.site import absolute_url
from pledgebook.core.transitions import transition
from pledgebook.forum.models import (
    AnnouncedCommitment,
    ForumSettings,
    Recommendation,
    Session,
    SessionSummary,
    SummaryReminder,
)
from pledgebook.forum.similar import RECOMMENDATION_KIND, queue
from pledgebook.forum.validation import check_forum_settings, check_summary, local

Status = SessionSummary.Status
Kind = SummaryReminder.Kind


@dataclass(frozen=True)
class RecommendationInput:
    """One recommendation as typed; ``id`` names the row it changes (None: a new one)."""

    text: str
    id: int | None = None


@dataclass(frozen=True)
class AnnouncementInput:
    """A commitment or partnership announced at the session: a public commitment of the
    programme (``commitment_id``) or one described (title, maker, amount, currency, contact)."""

    title: str = ""
    commitment_id: int | None = None
    maker: str = ""
    amount: Decimal | None = None
    currency: str = ""
    contact_email: str = ""
    id: int | None = None


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Settings --------------------------------------------------------------------------------------


def configure_forum(
    *,
    actor: Any,
    programme: Any,
    summary_due_days: int,
    remind_days_before: int,
    remind_days_after: int,
    summary_instructions: str = "",
) -> ForumSettings:
    """Set when session summaries are due, when their organisers are reminded and what the
    secretariat asks of a summary.  Summaries already opened keep their due date."""
    require(actor, "programmes.change_programme", programme)
    values: dict[str, Any] = {
        "summary_due_days": summary_due_days,
        "remind_days_before": remind_days_before,
        "remind_days_after": remind_days_after,
        "summary_instructions": summary_instructions.strip(),
    }
    _raise_if(check_forum_settings(**values))
    with transaction.atomic():
        settings, _created = ForumSettings.objects.update_or_create(
            programme=programme, defaults=values
        )
        audit.record(
            actor=actor,
            action="programme.forum_settings",
            obj=settings,
            programme=programme,
            data={k: v for k, v in values.items() if k != "summary_instructions"},
        )
    return settings


def due_at(session: Session, settings: ForumSettings | None = None) -> dt.datetime:
    """When the summary of ``session`` is due under its programme's settings now."""
    settings = settings or ForumSettings.for_programme(session.event.programme)
    return session.ends_at + dt.timedelta(days=settings.summary_due_days)


# Who is told -----------------------------------------------------------------------------------


def organiser_emails(session: Session) -> list[str]:
    """The session's organisers (people); when none is named, the representatives of its
    organising organisations."""
    people = [u.email for u in session.organisers.filter(is_active=True).order_by("pk")]
    if people:
        return people
    found: list[str] = []
    for organisation in session.organisations.order_by("pk"):
        found += emails_of(organisation)
    return found


def form_path(session: Session) -> str:
    return reverse("workspace:forum_summary", kwargs={"session": session.pk})


def _mail_context(summary: SessionSummary) -> dict[str, Any]:
    session = summary.session
    event = session.event
    settings = ForumSettings.for_programme(event.programme)
    return {
        "summary": summary,
        "session": session,
        "event": event,
        "programme": event.programme,
        "due": local(event, summary.due_at),
        "ended": local(event, session.ends_at),
        "url": absolute_url(form_path(session)),
        "tasks_url": absolute_url(reverse("workspace:forum_summaries")),
        "instructions": settings.summary_instructions,
    }


# The task and the reminders (the workers' periodic check) -------------------------------------


def _settings_of(cache: dict[int, ForumSettings], programme: Any) -> ForumSettings:
    """The programme's settings, read once per run."""
    if programme.pk not in cache:
        cache[programme.pk] = ForumSettings.for_programme(programme)
    return cache[programme.pk]


def _task_window(settings: ForumSettings) -> dt.timedelta:
    """How long after its end a session still gets its task: while a reminder can still
    matter.  A session that ended long before (a past event entered afterwards, the demo's)
    gets none; the tracker shows it missing."""
    return dt.timedelta(days=settings.summary_due_days + settings.remind_days_after + 1)


def open_summary_tasks(*, now: dt.datetime | None = None) -> int:
    """For each scheduled session that has ended (recently: ``_task_window``) and whose
    organisers have not been given the task yet: create its summary (a draft, due
    ``summary_due_days`` after the end) unless a draft exists, and mail the organisers a link
    to the form.  Safe to run any number of times, in several workers at once (one summary per
    session, one task per summary).  Returns the number of tasks sent."""
    now = now or timezone.now()
    settings_of: dict[int, ForumSettings] = {}
    ended = (
        Session.objects.scheduled()
        .filter(ends_at__lte=now)
        .exclude(summary__reminders__kind=Kind.TASK)
        .exclude(summary__status=Status.SUBMITTED)
        .select_related("event__programme")
        .order_by("ends_at", "pk")
    )
    # The earliest end any programme's window reaches back to.
    longest = max(
        _task_window(settings) for settings in [ForumSettings(), *ForumSettings.objects.all()]
    )
    sent = 0
    for session in ended.filter(ends_at__gte=now - longest):
        programme = session.event.programme
        settings = _settings_of(settings_of, programme)
        if session.ends_at < now - _task_window(settings):
            continue
        try:
            with transaction.atomic():
                summary, _created = SessionSummary.objects.get_or_create(
                    session=session, defaults={"due_at": due_at(session, settings)}
                )
                if summary.status != Status.DRAFT:
                    continue
                SummaryReminder.objects.create(summary=summary, kind=Kind.TASK)
                summary.task_sent_at = now
                summary.save(update_fields=["task_sent_at", "updated_at"])
                recipients = organiser_emails(session)
                audit.record(
                    actor=None,
                    action="session_summary.task_sent",
                    obj=summary,
                    programme=programme,
                    data={"due_at": summary.due_at.isoformat(), "recipients": len(recipients)},
                )
                notify(to=recipients, template="forum_summary_task", context=_mail_context(summary))
        except IntegrityError:
            continue  # another worker opened it meanwhile
        sent += 1
    return sent


def reminder_kind(summary: SessionSummary, settings: ForumSettings, now: dt.datetime) -> str | None:
    """Which reminder is due at ``now`` for a draft ``summary``, if any: one in the
    ``remind_days_before`` days before the deadline (when the task went out before them: a
    task sent in those days already gave the date), one ``remind_days_after`` days after it
    (0 days: no reminder of that kind)."""
    due = summary.due_at
    before = dt.timedelta(days=settings.remind_days_before)
    if settings.remind_days_before and due - before <= now < due:
        sent = summary.task_sent_at
        return Kind.BEFORE if sent is not None and sent < due - before else None
    if settings.remind_days_after and now >= due + dt.timedelta(days=settings.remind_days_after):
        return Kind.AFTER
    return None


def send_summary_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind the organisers of each summary not submitted: once before the deadline and once
    after (``reminder_kind``), each at most once (a unique ``SummaryReminder`` per kind).  Safe
    to run any number of times, in several workers at once.  Returns the number sent."""
    now = now or timezone.now()
    # No reminder is due before the longest "before" window of any programme opens.
    earliest = max(
        settings.remind_days_before for settings in [ForumSettings(), *ForumSettings.objects.all()]
    )
    waiting = (
        SessionSummary.objects.filter(
            due_at__lte=now + dt.timedelta(days=earliest),
            status=Status.DRAFT,
            session__status=Session.Status.SCHEDULED,
            reminders__kind=Kind.TASK,
        )
        .exclude(reminders__kind=Kind.AFTER)
        .select_related("session__event__programme")
        .order_by("due_at", "pk")
    )
    settings_of: dict[int, ForumSettings] = {}
    sent = 0
    for summary in waiting:
        programme = summary.session.event.programme
        settings = _settings_of(settings_of, programme)
        kind = reminder_kind(summary, settings, now)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                # Submitted meanwhile: no reminder (the row is locked until this commits).
                locked = SessionSummary.objects.select_for_update().filter(pk=summary.pk)
                if list(locked.values_list("status", flat=True)) != [Status.DRAFT]:
                    continue
                SummaryReminder.objects.create(summary=summary, kind=kind)
                audit.record(
                    actor=None,
                    action="session_summary.reminded",
                    obj=summary,
                    programme=programme,
                    data={"kind": kind},
                )
                notify(
                    to=organiser_emails(summary.session),
                    template=f"forum_summary_reminder_{kind}",
                    context=_mail_context(summary),
                )
        except IntegrityError:
            continue  # already reminded (another worker, or an earlier run)
        sent += 1
    return sent


def run_checks() -> None:
    """The workers' periodic check (``core.workers.register_check``): tasks, then reminders."""
    now = timezone.now()
    open_summary_tasks(now=now)
    send_summary_reminders(now=now)


# Writing a summary -----------------------------------------------------------------------------


def _sync_recommendations(summary: SessionSummary, items: list[RecommendationInput]) -> list[int]:
    """Make the summary's recommendations the non-empty ``items``, in order: a row named by
    its id is changed in place (its embedding and the Co-Chairs' sources keep pointing at it),
    the others created, the rows not given deleted.  Returns the ids whose text is new."""
    existing = {r.pk: r for r in summary.recommendations.all()}
    kept: set[int] = set()
    changed: list[int] = []
    position = 0
    for item in items:
        text = item.text.strip()
        if not text:
            continue
        row = existing.get(item.id) if item.id is not None else None
        if row is not None and row.pk not in kept:
            kept.add(row.pk)
            if row.text != text or row.position != position:
                if row.text != text:
                    changed.append(row.pk)
                row.text, row.position = text, position
                row.save(update_fields=["text", "position"])
        else:
            row = Recommendation.objects.create(summary=summary, text=text, position=position)
            kept.add(row.pk)
            changed.append(row.pk)
        position += 1
    summary.recommendations.exclude(pk__in=kept).delete()
    return changed


def _announcement_values(item: AnnouncementInput) -> dict[str, Any]:
    if item.commitment_id is not None:
        commitment = Commitment.objects.select_related("organisation").get(pk=item.commitment_id)
        return {
            "commitment": commitment,
            "title": commitment.title,
            "maker": commitment.organisation.name,
            "amount": commitment.amount,
            "currency": commitment.currency_id or "",
            "contact_email": "",
        }
    return {
        "commitment": None,
        "title": item.title.strip(),
        "maker": item.maker.strip(),
        "amount": item.amount,
        "currency": item.currency.strip().upper(),
        "contact_email": item.contact_email.strip(),
    }


def _is_blank(item: AnnouncementInput) -> bool:
    return (
        item.commitment_id is None
        and not item.title.strip()
        and not item.maker.strip()
        and item.amount is None
        and not item.contact_email.strip()
    )


def _sync_announcements(summary: SessionSummary, items: list[AnnouncementInput]) -> None:
    existing = {a.pk: a for a in summary.announcements.all()}
    kept: set[int] = set()
    for position, item in enumerate(items):
        values = {**_announcement_values(item), "position": position}
        row = existing.get(item.id) if item.id is not None else None
        if row is not None and row.pk not in kept:
            if row.contact_email != values["contact_email"]:
                row.prompt_sent_at = None  # a new address is invited in its turn
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        else:
            row = AnnouncedCommitment.objects.create(summary=summary, **values)
        kept.add(row.pk)
    summary.announcements.exclude(pk__in=kept).delete()


def _prompt_registrations(summary: SessionSummary, now: dt.datetime) -> int:
    """Invite the contact of each described commitment (not on the platform) to register it,
    once per address."""
    waiting = summary.announcements.filter(
        commitment__isnull=True, prompt_sent_at__isnull=True
    ).exclude(contact_email="")
    session = summary.session
    programme = session.event.programme
    count = 0
    for announcement in waiting:
        announcement.prompt_sent_at = now
        announcement.save(update_fields=["prompt_sent_at"])
        notify(
            to=[announcement.contact_email],
            template="forum_register_commitment",
            context={
                "announcement": announcement,
                "session": session,
                "event": session.event,
                "programme": programme,
                "programme_url": absolute_url(
                    reverse("public:programme", kwargs={"programme": programme.slug})
                ),
                "signup_url": absolute_url(reverse("accounts:signup")),
            },
        )
        audit.record(
            actor=None,
            action="session_summary.registration_prompted",
            obj=summary,
            programme=programme,
            data={"announcement": announcement.pk},
        )
        count += 1
    return count


def save_summary(
    *,
    actor: Any,
    session: Session,
    key_messages: str = "",
    recommendations: list[RecommendationInput] | None = None,
    announcements: list[AnnouncementInput] | None = None,
    participants_in_person: int | None = None,
    participants_online: int | None = None,
    participation_by_category: dict[str, int] | None = None,
    now: dt.datetime | None = None,
) -> SessionSummary:
    """Save what the organisers wrote: a draft (created if the session has none yet, so a
    summary can be prepared before the session ends), or a revision of a submitted summary,
    which stays submitted (audited as a revision; new recommendations are embedded, new
    contacts invited).  Empty rows are ignored.  Refused, nothing changed, for a cancelled
    session or content that breaks ``forum.validation.check_summary``."""
    require(actor, "forum.write_summary", session)
    now = now or timezone.now()
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This session was cancelled: it has no summary."))
    recommendations = recommendations or []
    announcements = [a for a in (announcements or []) if not _is_blank(a)]
    by_category = {k: v for k, v in (participation_by_category or {}).items() if v is not None}
    _raise_if(
        check_summary(
            session=session,
            participants_in_person=participants_in_person,
            participants_online=participants_online,
            participation_by_category=by_category,
            announcements=announcements,
        )
    )
    programme = session.event.programme
    with transaction.atomic():
        summary, _created = SessionSummary.objects.get_or_create(
            session=session, defaults={"due_at": due_at(session)}
        )
        summary = SessionSummary.objects.select_for_update().get(pk=summary.pk)
        require(actor, "forum.write_session_summary", summary)
        summary.key_messages = key_messages.strip()
        summary.participants_in_person = participants_in_person
        summary.participants_online = participants_online
        summary.participation_by_category = {k: v for k, v in by_category.items() if v}
        summary.save()
        changed = _sync_recommendations(summary, recommendations)
        _sync_announcements(summary, announcements)
        revised = summary.status == Status.SUBMITTED
        audit.record(
            actor=actor,
            action="session_summary.revised" if revised else "session_summary.saved",
            obj=summary,
            programme=programme,
        )
        if revised:
            queue(RECOMMENDATION_KIND, changed)
            _prompt_registrations(summary, now)
    return summary


def submit_summary(
    *, actor: Any, summary: SessionSummary, now: dt.datetime | None = None
) -> SessionSummary:
    """Submit a draft summary.  Refused, nothing changed, before the session has ended and
    for an empty template (neither key messages nor a recommendation).  Accepted after the
    deadline, flagged late (``SessionSummary.is_late``; the audit entry says so).  The
    recommendations are queued for embedding; the contacts of commitments described (not on
    the platform) are invited to register them."""
    now = now or timezone.now()
    require(actor, "forum.write_session_summary", summary)
    session = summary.session
    event = session.event
    if not session.has_ended(now):
        raise ValidationError(
            _(
                "This session has not happened yet: it ends on %(end)s (%(zone)s). Save your "
                "draft now and submit it once the session has ended."
            )
            % {"end": local(event, session.ends_at), "zone": event.time_zone}
        )
    if not summary.key_messages.strip() and not summary.recommendations.exists():
        raise ValidationError(
            {
                "key_messages": [
                    _(
                        "The summary is empty: write the session's key messages or at least "
                        "one recommendation before submitting it."
                    )
                ]
            }
        )
    late = now > summary.due_at

    def apply(row: SessionSummary, previous: str) -> list[str]:
        row.submitted_at = now
        row.submitted_by = actor
        return ["submitted_at", "submitted_by"]

    def then(row: SessionSummary, previous: str) -> None:
        queue(RECOMMENDATION_KIND, row.recommendations.values_list("pk", flat=True))
        _prompt_registrations(row, now)

    return transition(
        summary,
        actor=actor,
        perm="forum.write_session_summary",
        allowed_from=[Status.DRAFT],
        to=Status.SUBMITTED,
        action=_("submitted"),
        refusal=_("This summary is already %(state)s: it cannot be %(action)s again."),
        audit_action="session_summary.submitted_late" if late else "session_summary.submitted",
        programme=event.programme,
        apply=apply,
        then=then,
        data={"late": late, "due_at": summary.due_at.isoformat()},
    )
