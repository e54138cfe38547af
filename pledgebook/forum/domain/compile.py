"""The first draft of the Co-Chairs' Summary, compiled in one action by its editors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from pledgebook.core import audit
from pledgebook.core.permissions import require
from pledgebook.forum import similar
from pledgebook.forum.compiling import build_draft
from pledgebook.forum.models import (
    CoChairsSummary,
    Event,
    Recommendation,
    Session,
    SessionSummary,
    SummaryVersion,
)

#: At most this many recommendations are embedded while an editor waits (about 16 a second
#: here); past it, they are left to the background indexing and the compile is refused.
WAIT_FOR_AT_MOST = 60


def compile_draft(
    *, actor: Any, event: Event, wait_for: int | None = WAIT_FOR_AT_MOST
) -> SummaryVersion:
    """A new version of the event's Co-Chairs' Summary (created if missing), compiled from the
    submitted session summaries of its scheduled sessions; earlier versions are kept.

    Refused (nothing stored) when no summary has been submitted, and when more than
    ``wait_for`` recommendations have no vector yet (they are queued for the background
    indexing; ``None``: embed them all now, as the demo and the benchmark do).  The draft is
    built before the transaction: embedding recommendations whose vectors are not stored yet
    takes time (about 16 a second here), and no lock is held meanwhile."""
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
    items = list(
        Recommendation.objects.filter(
            summary__session__event=event,
            summary__session__status=Session.Status.SCHEDULED,
            summary__status=SessionSummary.Status.SUBMITTED,
        ).values_list("pk", "text")
    )
    waiting = similar.missing(similar.RECOMMENDATION_KIND, items)
    if wait_for is not None and len(waiting) > wait_for:
        similar.queue(similar.RECOMMENDATION_KIND, waiting)
        raise ValidationError(
            gettext(
                "%(n)s recommendations are still being read by the similarity engine (it "
                "compares them to merge those that say the same thing). It works in the "
                "background: compile again in a few minutes."
            )
            % {"n": len(waiting)}
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
