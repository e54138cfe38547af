"""The Co-Chairs' Summary of an event, for its editors (the secretariat,
``forum.edit_cochairs``): the current version with where each point came from, the edit
form, the versions with a comparison of any two, restore, split, publish and unpublish.

Every change goes through ``forum.domain.cochairs``; every query is kept to the console's
programme (an event of another programme is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.console.access import Console, console_view
from pledgebook.console.forms_forum_cochairs import CochairsEditForm, CompareForm
from pledgebook.core.forms import act, attempt
from pledgebook.forum import cochairs_diff, cochairs_provenance
from pledgebook.forum.domain import cochairs, compile
from pledgebook.forum.models import CoChairsSummary, Event, SummaryVersion

EDIT = "forum.edit_cochairs"


def _event(console: Console, slug: str) -> Event:
    event = get_object_or_404(Event.objects.for_programme(console.programme), slug=slug)
    console.require(EDIT, event)
    return event


def _summary(event: Event) -> CoChairsSummary:
    return get_object_or_404(
        CoChairsSummary.objects.select_related("event__programme", "published_version"),
        event=event,
    )


def _version(summary: CoChairsSummary, number: int) -> SummaryVersion:
    return get_object_or_404(
        SummaryVersion.objects.select_related("created_by"), summary=summary, number=number
    )


def _url(name: str, console: Console, event: Event, **kwargs: int) -> str:
    return reverse(
        f"console:{name}",
        kwargs={"programme": console.programme.slug, "event": event.slug, **kwargs},
    )


def source_link(console: Console, event: Event, source: cochairs_provenance.Source) -> str:
    """The read-only page of the session summary a point came from ("" for a source that is
    not a session's, such as a consultation theme)."""
    if source.session is None:
        return ""
    return reverse(
        "console:forum_summary",
        kwargs={
            "programme": console.programme.slug,
            "event": event.slug,
            "session": source.session.pk,
        },
    )


def _show(
    request: HttpRequest,
    console: Console,
    event: Event,
    summary: CoChairsSummary | None,
    version: SummaryVersion | None,
) -> HttpResponse:
    latest = summary.current_version() if summary else None
    resolved = cochairs_provenance.resolve(event, version.content) if version else []
    sections = [
        {
            "section": section.section,
            "points": [
                {"p": p, "sources": [(s, source_link(console, event, s)) for s in p.sources]}
                for p in section.points
            ],
        }
        for section in resolved
    ]
    return render(
        request,
        "console/forum/cochairs.html",
        {
            "console": console,
            "event": event,
            "summary": summary,
            "version": version,
            "latest": latest,
            "is_latest": version is not None and latest is not None and version.pk == latest.pk,
            "sections": sections,
            "introduction": [
                line.text
                for line in cochairs_diff.text_lines(
                    {"introduction": version.content.get("introduction")}
                )
            ]
            if version
            else [],
        },
    )


@console_view()
def summary_page(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    summary = (
        CoChairsSummary.objects.filter(event=found).select_related("published_version").first()
    )
    return _show(request, console, found, summary, summary.current_version() if summary else None)


@console_view()
def version_page(request: HttpRequest, console: Console, event: str, number: int) -> HttpResponse:
    found = _event(console, event)
    summary = _summary(found)
    return _show(request, console, found, summary, _version(summary, number))


@console_view()
def edit(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    summary = _summary(found)
    latest = summary.current_version()
    if latest is None:
        raise Http404
    base = latest
    if request.method == "POST":
        # The form is the one of the version the editor started from, even if another
        # version was saved meanwhile (the domain then refuses, and what was typed stays).
        try:
            base = _version(summary, int(request.POST.get("based_on", "")))
        except ValueError:
            base = latest
    form = CochairsEditForm(
        request.POST if request.method == "POST" else None,
        base=base.content,
        based_on=base.number,
    )
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: cochairs.save_version(
                actor=request.user,
                summary=summary,
                content=form.content(data),
                note=data["note"],
                based_on=data["based_on"],
            ),
        )
    ):
        messages.success(request, _("Version %(number)s saved.") % {"number": done.value.number})
        return redirect(_url("forum_cochairs", console, found))
    return render(
        request,
        "console/forum/cochairs_edit.html",
        {"console": console, "event": found, "summary": summary, "base": base, "form": form},
    )


@console_view()
def versions(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    summary = _summary(found)
    rows = list(summary.versions.select_related("created_by").order_by("-number"))
    numbers = sorted(v.number for v in rows)
    form = CompareForm(request.GET or None, numbers=numbers)
    diff = None
    compared: tuple[SummaryVersion, SummaryVersion] | None = None
    if request.GET and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        older, newer = _version(summary, min(a, b)), _version(summary, max(a, b))
        compared = (older, newer)
        diff = cochairs_diff.compare(older.content, newer.content)
    return render(
        request,
        "console/forum/cochairs_versions.html",
        {
            "console": console,
            "event": found,
            "summary": summary,
            "versions": rows,
            "latest": rows[0] if rows else None,
            "form": form,
            "diff": diff,
            "counts": cochairs_diff.counts(diff) if diff is not None else None,
            "compared": compared,
        },
    )


@require_POST
@console_view()
def split(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    summary = _summary(found)
    try:
        based_on = int(request.POST.get("based_on", ""))
    except ValueError:
        based_on = 0
    return act(
        request,
        lambda: cochairs.split_point(
            actor=request.user,
            summary=summary,
            point_id=request.POST.get("point", ""),
            based_on=based_on,
        ),
        success=lambda v: (
            _("The merged point was split: version %(number)s saved.") % {"number": v.number}
        ),
        to=_url("forum_cochairs", console, found),
    )


@require_POST
@console_view()
def restore(request: HttpRequest, console: Console, event: str, number: int) -> HttpResponse:
    found = _event(console, event)
    summary = _summary(found)
    version = _version(summary, number)
    try:
        based_on = int(request.POST.get("based_on", ""))
    except ValueError:
        based_on = 0
    return act(
        request,
        lambda: cochairs.restore_version(
            actor=request.user, summary=summary, version=version, based_on=based_on
        ),
        success=lambda v: (
            _("Version %(old)s restored as version %(number)s.")
            % {"old": number, "number": v.number}
        ),
        to=_url("forum_cochairs_versions", console, found),
    )


@require_POST
@console_view()
def publish(request: HttpRequest, console: Console, event: str, number: int) -> HttpResponse:
    found = _event(console, event)
    summary = _summary(found)
    version = _version(summary, number)
    return act(
        request,
        lambda: cochairs.publish(actor=request.user, summary=summary, version=version),
        success=_("Version %(number)s is published.") % {"number": number},
        to=_url("forum_cochairs", console, found),
    )


@require_POST
@console_view()
def unpublish(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    summary = _summary(found)
    return act(
        request,
        lambda: cochairs.unpublish(actor=request.user, summary=summary),
        success=_("The summary is no longer published."),
        to=_url("forum_cochairs", console, found),
    )


@require_POST
@console_view()
def compile_draft(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    return act(
        request,
        lambda: compile.compile_draft(actor=request.user, event=found),
        success=lambda version: (
            _("Version %(n)s compiled from the session summaries.") % {"n": version.number}
        ),
        to=_url("forum_cochairs", console, found),
    )
