"""The impact report of an event: its figures, computed from the data, read only.

- **Participation** (registrations): only from :func:`pledgebook.forum.figures.participation`
  (in person, online, by stakeholder category and region; the waiting list apart).
- **Participation reported by session organisers**: the sums of ``participants_in_person``
  and ``participants_online`` of the *submitted* session summaries (a summary that leaves a
  number empty adds nothing), and by stakeholder category the sums of their
  ``participation_by_category``.  People attend several sessions, so these are attendances,
  not people: they are shown apart and never added to the registrations.
- **Sessions**: the scheduled sessions (cancelled ones left out) by kind; the side events are
  the sessions of kind "side event".
- **Statements**: submitted (every statement but the withdrawn ones), of which selected.
- **Consultation responses**: the responses to the consultations of the event.
- **Commitments announced** (:func:`announced`): the announcements of submitted session
  summaries; how many are linked to a commitment on the platform; the money announced, summed
  per currency (never converted; an announcement without an amount or a currency adds no
  money).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pledgebook.forum.figures import Participation, participation
from pledgebook.forum.models import (
    AnnouncedCommitment,
    ConsultationResponse,
    Event,
    Session,
    SessionSummary,
    Statement,
)
from pledgebook.organisations.models import category_label

PDF_CSS = Path(__file__).with_name("impact_pdf.css")


@dataclass(frozen=True)
class LinkedCommitment:
    title: str
    path: str


@dataclass(frozen=True)
class Announced:
    count: int
    linked: int
    #: (currency code, total), by currency code
    money: list[tuple[str, Decimal]]
    #: the public commitments announced, linked on the platform (title, path)
    commitments: list[LinkedCommitment]

    @property
    def formatted_money(self) -> list[tuple[str, str]]:
        return [(currency, money(amount)) for currency, amount in self.money]


@dataclass(frozen=True)
class Reported:
    summaries: int
    in_person: int
    online: int
    #: (category code, label, count), largest first
    by_category: list[tuple[str, str, int]]


@dataclass(frozen=True)
class ImpactReport:
    event: Event
    participation: Participation
    reported: Reported
    #: (kind, label, count) in the order of ``Session.Kind``, kinds without sessions left out
    sessions_by_kind: list[tuple[str, str, int]]
    sessions: int
    side_events: int
    statements_submitted: int
    statements_selected: int
    consultation_responses: int
    announced: Announced
    as_of: dt.datetime


def announced(event: Event) -> Announced:
    """The commitments and partnerships announced at the event's sessions (submitted
    summaries only)."""
    rows = list(
        AnnouncedCommitment.objects.filter(
            summary__session__event=event, summary__status=SessionSummary.Status.SUBMITTED
        )
        .select_related("commitment", "commitment__programme")
        .order_by("summary__session__starts_at", "summary_id", "position", "pk")
    )
    money: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.amount is not None and row.currency:
            money[row.currency.upper()] += row.amount
    seen: set[int] = set()
    commitments = []
    for row in rows:
        c = row.commitment
        if c is None or c.pk in seen:
            continue
        seen.add(c.pk)
        if c.status in c.PUBLIC_STATUSES and c.programme.is_published:
            commitments.append(LinkedCommitment(title=c.title, path=c.get_absolute_url()))
    return Announced(
        count=len(rows),
        linked=sum(1 for row in rows if row.commitment_id is not None),
        money=sorted(money.items()),
        commitments=commitments,
    )


def _reported(event: Event) -> Reported:
    summaries = list(
        SessionSummary.objects.filter(
            session__event=event, status=SessionSummary.Status.SUBMITTED
        ).values_list("participants_in_person", "participants_online", "participation_by_category")
    )
    by_category: Counter[str] = Counter()
    for _in_person, _online, categories in summaries:
        for code, number in (categories or {}).items():
            try:
                count = int(number)
            except (TypeError, ValueError):
                continue
            if count > 0:
                by_category[str(code)] += count
    return Reported(
        summaries=len(summaries),
        in_person=sum(s[0] or 0 for s in summaries),
        online=sum(s[1] or 0 for s in summaries),
        by_category=sorted(
            ((code, str(category_label(code)), n) for code, n in by_category.items()),
            key=lambda r: (-r[2], r[1]),
        ),
    )


def build(event: Event) -> ImpactReport:
    sessions = dict(
        Session.objects.filter(event=event, status=Session.Status.SCHEDULED)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    statements = Statement.objects.filter(session__event=event).exclude(
        status=Statement.Status.WITHDRAWN
    )
    return ImpactReport(
        event=event,
        participation=participation(event),
        reported=_reported(event),
        sessions_by_kind=[
            (kind, str(label), sessions[kind])
            for kind, label in Session.Kind.choices
            if kind in sessions
        ],
        sessions=sum(sessions.values()),
        side_events=sessions.get(Session.Kind.SIDE_EVENT, 0),
        statements_submitted=statements.count(),
        statements_selected=statements.filter(status=Statement.Status.SELECTED).count(),
        consultation_responses=ConsultationResponse.objects.filter(
            consultation__event=event
        ).count(),
        announced=announced(event),
        as_of=timezone.now(),
    )


def has_ended(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether the event's last day is over, in the event's own time zone."""
    return event.has_ended(now or timezone.now())


def money(amount: Decimal) -> str:
    """An amount with thousands separators; cents only when there are any."""
    places = 0 if amount == amount.to_integral_value() else 2
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def moneys(pairs: list[tuple[str, Decimal]]) -> str:
    return "; ".join(f"{currency} {money(amount)}" for currency, amount in pairs) or _("none")


# PDF -----------------------------------------------------------------------------------------


def pdf_html(report: ImpactReport) -> str:
    return render_to_string("forum/impact_pdf.html", {"report": report})


def render_pdf(report: ImpactReport) -> bytes:
    """The report as a tagged PDF (WeasyPrint), its styles in ``impact_pdf.css``."""
    from weasyprint import CSS, HTML

    # Font subsets are stamped with the clock unless SOURCE_DATE_EPOCH is set: the report's
    # moment, so one report gives one file.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(report.as_of.timestamp()))
    try:
        return HTML(string=pdf_html(report), base_url=None).write_pdf(
            stylesheets=[CSS(filename=str(PDF_CSS))], pdf_identifier=None, pdf_tags=True
        )
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def pdf_filename(report: ImpactReport) -> str:
    return f"{report.event.programme.slug}-{report.event.slug}-impact-report.pdf"
