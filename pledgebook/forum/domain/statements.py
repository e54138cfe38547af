"""Written statements of organisations for a plenary: submitted by a representative of the
organisation, withdrawn by one, selected (published on the session page) or declined, with a
reason, by the programme's secretariat, who notifies the organisation of its decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pledgebook.core import audit, notify, site
from pledgebook.core.permissions import require
from pledgebook.core.transitions import transition
from pledgebook.forum.models import Session, Statement
from pledgebook.forum.validation import check_statement


def submit_statement(
    *,
    actor: Any,
    session: Session,
    organisation: Any,
    title: str,
    text: str,
    now: dt.datetime | None = None,
) -> Statement:
    """A representative of ``organisation`` submits a statement for ``session`` (a plenary of
    a published event, not cancelled, not ended).  Refused, nothing stored, otherwise."""
    require(actor, "organisations.act_for_organisation", organisation)
    now = now or timezone.now()
    errors = check_statement(session=session, title=title, text=text, now=now)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        statement = Statement.objects.create(
            session=session,
            organisation=organisation,
            submitted_by=actor,
            title=title.strip(),
            text=text.strip(),
        )
        audit.record(
            actor=actor,
            action="statement.submitted",
            obj=statement,
            programme=session.event.programme,
            data={"session": session.pk, "organisation": organisation.pk},
        )
    return statement


def withdraw_statement(*, actor: Any, statement: Statement) -> Statement:
    return transition(
        statement,
        actor=actor,
        perm="forum.withdraw_statement",
        allowed_from=[Statement.Status.SUBMITTED],
        to=Statement.Status.WITHDRAWN,
        action=gettext_lazy("withdrawn"),
        refusal=gettext_lazy("This statement is %(state)s: it cannot be %(action)s."),
        audit_action="statement.withdrawn",
        programme=statement.session.event.programme,
    )


def _decided(actor: Any) -> Any:
    def apply(row: Statement, previous: str) -> list[str]:
        row.decided_by = actor
        row.decided_at = timezone.now()
        return ["decided_by", "decided_at", "decision_reason"]

    return apply


def _session_url(session: Session) -> str:
    """The public page of the session (empty while the public pages of the forum are not
    installed: the mail then links to the organisation's statements only)."""
    try:
        return site.absolute_url(session.get_absolute_url())
    except NoReverseMatch:
        return ""


def _notify(row: Statement, previous: str) -> None:
    session = row.session
    notify.notify(
        to=notify.emails_of(row.organisation),
        template="forum_statement_decided",
        context={
            "statement": row,
            "session": session,
            "event": session.event,
            "selected": row.status == Statement.Status.SELECTED,
            "session_url": _session_url(session),
            "statements_url": site.absolute_url(reverse("workspace:forum_statements")),
        },
    )


def select_statement(*, actor: Any, statement: Statement) -> Statement:
    """The secretariat selects a submitted (or earlier declined) statement: it is published on
    the session page."""
    return transition(
        statement,
        actor=actor,
        perm="forum.decide_statement",
        allowed_from=[Statement.Status.SUBMITTED, Statement.Status.DECLINED],
        to=Statement.Status.SELECTED,
        action=gettext_lazy("selected"),
        refusal=gettext_lazy("This statement is %(state)s: it cannot be %(action)s."),
        audit_action="statement.selected",
        programme=statement.session.event.programme,
        apply=_decided(actor),
        then=_notify,
    )


def decline_statement(*, actor: Any, statement: Statement, reason: str) -> Statement:
    """The secretariat declines a submitted (or selected) statement, with a reason the
    organisation reads."""
    reason = (reason or "").strip()

    def apply(row: Statement, previous: str) -> list[str]:
        row.decision_reason = reason
        return _decided(actor)(row, previous)

    return transition(
        statement,
        actor=actor,
        perm="forum.decide_statement",
        allowed_from=[Statement.Status.SUBMITTED, Statement.Status.SELECTED],
        to=Statement.Status.DECLINED,
        action=gettext_lazy("declined"),
        refusal=gettext_lazy("This statement is %(state)s: it cannot be %(action)s."),
        audit_action="statement.declined",
        programme=statement.session.event.programme,
        reason=reason,
        reason_required=gettext_lazy("Give the reason the organisation will read."),
        apply=apply,
        then=_notify,
    )


# Reads ------------------------------------------------------------------------------------------


def published_statements(session: Session) -> QuerySet[Statement]:
    """The selected statements of ``session``, as its public page shows them."""
    return (
        Statement.objects.filter(session=session, status=Statement.Status.SELECTED)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def statements_context(session: Session) -> dict[str, Any]:
    """What ``public/forum/_statements.html`` reads: ``{"statements": [...]}``."""
    return {"statements": list(published_statements(session)), "statements_session": session}


def open_plenaries(*, now: dt.datetime | None = None) -> QuerySet[Session]:
    """Plenaries that take statements now: scheduled, of a published event, not ended."""
    now = now or timezone.now()
    return (
        Session.objects.public()
        .filter(kind=Session.Kind.PLENARY, ends_at__gt=now)
        .select_related("event", "event__programme")
        .order_by("starts_at", "pk")
    )
