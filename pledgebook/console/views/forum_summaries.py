"""Session summaries for the secretariat: the programme's forum settings (when summaries are
due, the reminders, the instructions to organisers), the tracker of an event's summaries
(submitted, submitted late, missing, due) and each summary, read only.

Every query is scoped to the console's programme: an event or session of another programme
is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms_forum_summaries import ForumSettingsForm
from pledgebook.core.forms import attempt
from pledgebook.forum.domain.summaries import configure_forum
from pledgebook.forum.models import Event, ForumSettings, Session, SessionSummary
from pledgebook.forum.summary_status import STATES, state_of, tracker
from pledgebook.forum.validation import local
from pledgebook.organisations.models import Category


@console_view(CHANGE_PROGRAMME)
def forum_settings(request: HttpRequest, console: Console) -> HttpResponse:
    programme = console.programme
    current = ForumSettings.for_programme(programme)
    form = ForumSettingsForm(request.POST or None, initial=ForumSettingsForm.initial_for(current))
    if request.method == "POST" and attempt(
        form, lambda data: configure_forum(actor=request.user, programme=programme, **data)
    ):
        messages.success(request, _("Forum settings saved."))
        return redirect("console:forum_settings", programme=programme.slug)
    events = Event.objects.for_programme(programme).order_by("-starts_on", "name")
    return render(
        request,
        "console/forum/settings.html",
        {"console": console, "form": form, "events": events},
    )


def _event(console: Console, slug: str) -> Event:
    return get_object_or_404(Event.objects.for_programme(console.programme), slug=slug)


@console_view(CHANGE_PROGRAMME)
def summary_tracker(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = _event(console, event)
    rows, counts = tracker(found, timezone.now())
    wanted = request.GET.get("status", "")
    if wanted in STATES:
        rows = [row for row in rows if row.state == wanted]
    else:
        wanted = ""
    return render(
        request,
        "console/forum/summary_tracker.html",
        {
            "console": console,
            "event": found,
            "rows": rows,
            "counts": [(state, STATES[state], counts[state]) for state in STATES],
            "total": sum(counts.values()),
            "wanted": wanted,
            "settings": ForumSettings.for_programme(console.programme),
        },
    )


@console_view(CHANGE_PROGRAMME)
def summary_detail(
    request: HttpRequest, console: Console, event: str, session: int
) -> HttpResponse:
    found = _event(console, event)
    session_obj = get_object_or_404(
        Session.objects.filter(event=found).select_related("room"), pk=session
    )
    summary = (
        SessionSummary.objects.filter(session=session_obj)
        .select_related("submitted_by")
        .prefetch_related("recommendations", "announcements__commitment")
        .first()
    )
    labels = dict(Category.choices)
    by_category = (
        [(labels.get(code, code), n) for code, n in summary.participation_by_category.items()]
        if summary is not None
        else []
    )
    now = timezone.now()
    due = summary.due_at if summary is not None else None
    return render(
        request,
        "console/forum/summary_detail.html",
        {
            "console": console,
            "event": found,
            "session": session_obj,
            "summary": summary,
            "by_category": by_category,
            "state": STATES[state_of(summary, due, now)] if due is not None else None,
            "due": local(found, due) if due is not None else "",
            "submitted": local(found, summary.submitted_at)
            if summary is not None and summary.submitted_at
            else "",
        },
    )
