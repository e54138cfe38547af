"""The console's follow-up digest (preview, send, digests sent, subscribers) and impact report
(page and PDF) of a programme's events.  Sending goes through
``pledgebook.forum.domain.digest.send_digest``; the impact report only reads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.core.forms import act
from pledgebook.forum import impact
from pledgebook.forum.digesting import NotPublished, compose_digest
from pledgebook.forum.domain import digest as domain
from pledgebook.forum.models import CoChairsSummary, Digest, Event, Subscriber


def _event(console: Console, slug: str) -> Event:
    return get_object_or_404(Event.objects.for_programme(console.programme), slug=slug)


def _subscribers(console: Console) -> dict[str, int]:
    rows = Subscriber.objects.filter(programme=console.programme)
    return {
        "active": rows.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True).count(),
        "pending": rows.filter(confirmed_at__isnull=True).count(),
        "unsubscribed": rows.filter(unsubscribed_at__isnull=False).count(),
    }


@console_view(CHANGE_PROGRAMME)
@require_GET
def digests(request: HttpRequest, console: Console) -> HttpResponse:
    """The programme's events (with their digest and impact report), subscribers, digests
    sent."""
    events = list(Event.objects.for_programme(console.programme).select_related("cochairs_summary"))
    published = {
        s.event_id
        for s in CoChairsSummary.objects.filter(
            event__programme=console.programme,
            status=CoChairsSummary.Status.PUBLISHED,
            published_version__isnull=False,
        )
    }
    sent = Digest.objects.filter(
        summary__event__programme=console.programme, sent_at__isnull=False
    ).select_related("summary__event", "created_by")
    return render(
        request,
        "console/forum/digests.html",
        {
            "console": console,
            "events": [(e, e.pk in published) for e in events],
            "digests": sent,
            "subscribers": _subscribers(console),
        },
    )


@console_view(CHANGE_PROGRAMME)
@require_GET
def digest_preview(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    try:
        subject, body = compose_digest(found)
    except NotPublished:
        subject, body = "", ""
    summary = CoChairsSummary.objects.filter(event=found).first()
    already = (
        summary is not None
        and Digest.objects.filter(
            summary=summary, version_id=summary.published_version_id, sent_at__isnull=False
        ).exists()
    )
    return render(
        request,
        "console/forum/digest_preview.html",
        {
            "console": console,
            "event": found,
            "subject": subject,
            "body": body,
            "published": bool(subject),
            "already_sent": already,
            "subscribers": _subscribers(console),
            "digests": Digest.objects.filter(summary__event=found, sent_at__isnull=False),
        },
    )


@console_view(CHANGE_PROGRAMME)
@require_POST
def digest_send(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    to = reverse("console:forum_digest", args=[console.programme.slug, found.slug])
    summary = CoChairsSummary.objects.filter(event=found).first()
    if summary is None:
        messages.error(request, _("This event has no Co-Chairs' Summary yet."))
        return redirect(to)
    return act(
        request,
        lambda: domain.send_digest(actor=request.user, summary=summary),
        success=lambda d: (
            ngettext(
                "Digest sent to %(n)d subscriber.",
                "Digest sent to %(n)d subscribers.",
                d.recipients,
            )
            % {"n": d.recipients}
        ),
        to=to,
    )


@console_view(CHANGE_PROGRAMME)
@require_GET
def impact_report(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    return render(
        request,
        "console/forum/impact.html",
        {
            "console": console,
            "event": found,
            "report": impact.build(found),
            "ended": impact.has_ended(found),
        },
    )


@console_view(CHANGE_PROGRAMME)
@require_GET
def impact_pdf(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    report = impact.build(_event(console, event))
    response = HttpResponse(impact.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{impact.pdf_filename(report)}"'
    return response
