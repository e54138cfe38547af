"""The first draft of the Co-Chairs' Summary, compiled in one action by its editors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from pledgebook.core import audit
from pledgebook.core.permissions import require
from pledgebook.forum.compiling import build_draft
from pledgebook.forum.models import CoChairsSummary, Event, Session, SessionSummary, SummaryVersion


def compile_draft(*, actor: Any, event: Event) -> SummaryVersion:
    """A new version of the event's Co-Chairs' Summary (created if missing), compiled from the
    submitted session summaries of its scheduled sessions; earlier versions are kept.

    Refused (nothing stored) when no summary has been submitted.  The draft is built before
    the transaction: embedding recommendations whose vectors are not stored yet takes time
    (about 30 a second), and no lock is held meanwhile."""
    require(actor, "forum.edit_cochairs", event)
    submitted = SessionSummary.objects.filter(
        session__event=event,
        session__status=Session.Status.SCHEDULED,
        status=SessionSummary.Status.SUBMITTED,
    ).count()
    if not submitted:
        raise ValidationError(
            gettext(
                "No session summary of this event has been submitted yet: there is nothing "
                "to compile."
            )
        )
    content = build_draft(event)
    count = content["compiled_from"]["summaries"]
    with transaction.atomic():
        summary, created = CoChairsSummary.objects.select_for_update().get_or_create(
            event=event,
            defaults={"title": gettext("Co-Chairs' Summary of %(event)s") % {"event": event.name}},
        )
        last = summary.versions.aggregate(last=Max("number"))["last"] or 0
        version = SummaryVersion.objects.create(
            summary=summary,
            number=last + 1,
            content=content,
            note=gettext("First draft compiled from %(count)s session summaries")
            % {"count": count},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="cochairs_summary.compiled",
            obj=summary,
            programme=event.programme,
            data={
                "version": version.number,
                "summaries": count,
                "recommendations": content["compiled_from"]["recommendations"],
                "merged_points": content["compiled_from"]["merged_points"],
                "created": created,
            },
        )
    return version
