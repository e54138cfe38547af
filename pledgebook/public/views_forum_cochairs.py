"""The published Co-Chairs' Summary of an event, for anyone: the web page, the PDF and the Word
document, all three rendered from the one outline of ``forum.cochairs_document`` (the
published version's text only, never where its points came from).  Nothing published, an
unpublished event or programme: 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pledgebook.forum import cochairs_document
from pledgebook.forum.cochairs_document import Outline
from pledgebook.forum.models import CoChairsSummary, Event


def _published(programme: str, event: str) -> tuple[Event, Outline]:
    found = get_object_or_404(
        Event.objects.public().select_related("programme"), programme__slug=programme, slug=event
    )
    summary = (
        CoChairsSummary.objects.filter(event=found)
        .select_related("event", "published_version")
        .first()
    )
    doc = cochairs_document.published_outline(summary)
    if doc is None:
        raise Http404
    return found, doc


def cochairs_summary(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    found, doc = _published(programme, event)
    return render(
        request,
        "public/forum/cochairs_summary.html",
        {"event": found, "programme": found.programme, "doc": doc},
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cochairs_summary_pdf(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    _event, doc = _published(programme, event)
    return _download(cochairs_document.render_pdf(doc), "application/pdf", f"{doc.slug}.pdf")


def cochairs_summary_docx(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    _event, doc = _published(programme, event)
    return _download(
        cochairs_document.render_docx(doc),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"{doc.slug}.docx",
    )
