"""The forum in the console: a programme's events, their rooms and sessions.  Every change
goes through ``forum.domain.schedule``; every query is scoped to the programme of the URL (an
event of another programme is a 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms_forum_schedule import (
    EventForm,
    RoomForm,
    SessionForm,
    SpeakerFormSet,
    speaker_initial,
    speakers_of,
)
from pledgebook.core.forms import act, attempt
from pledgebook.forum.domain import schedule
from pledgebook.forum.models import Event, Session


def _event(console: Console, slug: str) -> Event:
    found = get_object_or_404(Event.objects.for_programme(console.programme), slug=slug)
    found.programme = console.programme
    return found


def _session(event: Event, pk: int) -> Session:
    found = get_object_or_404(Session.objects.filter(event=event), pk=pk)
    found.event = event
    return found


def _event_url(event: Event) -> str:
    return reverse(
        "console:forum_event", kwargs={"programme": event.programme.slug, "event": event.slug}
    )


@console_view(CHANGE_PROGRAMME)
def events(request: HttpRequest, console: Console) -> HttpResponse:
    rows = (
        Event.objects.for_programme(console.programme)
        .annotate(n_sessions=Count("sessions", filter=Q(sessions__status=Session.Status.SCHEDULED)))
        .order_by("-starts_on", "name")
    )
    return render(request, "console/forum/events.html", {"console": console, "events": rows})


@console_view(CHANGE_PROGRAMME)
def event_create(request: HttpRequest, console: Console) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: schedule.create_event(
                actor=request.user,
                programme=console.programme,
                slug=data["slug"],
                **form.domain_values(),
            ),
        )
    ):
        messages.success(request, _("Event “%(name)s” created.") % {"name": done.value.name})
        return redirect(_event_url(done.value))
    return render(request, "console/forum/event_form.html", {"console": console, "form": form})


@console_view(CHANGE_PROGRAMME)
def event_edit(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    ev = _event(console, event)
    form = EventForm(request.POST or None, instance=ev, editing=True)
    if request.method == "POST" and attempt(
        form,
        lambda _data: schedule.update_event(actor=request.user, event=ev, **form.domain_values()),
    ):
        messages.success(request, _("Event saved."))
        return redirect(_event_url(ev))
    return render(
        request, "console/forum/event_form.html", {"console": console, "form": form, "event": ev}
    )


@console_view(CHANGE_PROGRAMME)
def event_detail(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    ev = _event(console, event)
    zone = ev.zone
    sessions = list(
        Session.objects.filter(event=ev)
        .select_related("room")
        .prefetch_related("organisations")
        .order_by("starts_at", "title", "pk")
    )
    for s in sessions:
        s.local_start = s.starts_at.astimezone(zone)  # type: ignore[attr-defined]
        s.local_end = s.ends_at.astimezone(zone)  # type: ignore[attr-defined]
    return render(
        request,
        "console/forum/event.html",
        {
            "console": console,
            "event": ev,
            "sessions": sessions,
            "rooms": ev.rooms.annotate(n_sessions=Count("sessions")),
            "zone_name": zone.key,
        },
    )


@console_view(CHANGE_PROGRAMME)
def room_create(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    ev = _event(console, event)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and (
        done := attempt(form, lambda data: schedule.add_room(actor=request.user, event=ev, **data))
    ):
        messages.success(request, _("Room “%(name)s” added.") % {"name": done.value.name})
        return redirect(_event_url(ev))
    return render(
        request, "console/forum/room_form.html", {"console": console, "form": form, "event": ev}
    )


def _session_form(
    request: HttpRequest, console: Console, ev: Event, found: Session | None
) -> HttpResponse:
    initial: dict[str, Any] = {} if found is None else SessionForm.initial_for(found)
    form = SessionForm(request.POST or None, initial=initial, event=ev)
    speakers = SpeakerFormSet(
        request.POST or None,
        prefix="speakers",
        initial=speaker_initial(found) if found is not None else None,
    )
    if request.method == "POST":
        speakers_valid = speakers.is_valid()

        def save(data: dict[str, Any]) -> Session:
            if not speakers_valid:
                raise ValidationError(_("Please correct the speakers below."))
            return schedule.save_session(
                actor=request.user,
                event=ev,
                session=found,
                speakers=speakers_of(speakers),
                **data,
            )

        done = attempt(form, save)
        if done:
            if found is None:
                messages.success(
                    request, _("Session “%(title)s” added.") % {"title": done.value.title}
                )
            else:
                messages.success(request, _("Session saved."))
            return redirect(_event_url(ev))
    return render(
        request,
        "console/forum/session_form.html",
        {
            "console": console,
            "event": ev,
            "session": found,
            "form": form,
            "speakers": speakers,
            "zone_name": ev.zone.key,
        },
    )


@console_view(CHANGE_PROGRAMME)
def session_create(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    return _session_form(request, console, _event(console, event), None)


@console_view(CHANGE_PROGRAMME)
def session_edit(request: HttpRequest, console: Console, event: str, session: int) -> HttpResponse:
    ev = _event(console, event)
    return _session_form(request, console, ev, _session(ev, session))


@console_view(CHANGE_PROGRAMME)
@require_POST
def session_cancel(
    request: HttpRequest, console: Console, event: str, session: int
) -> HttpResponse:
    ev = _event(console, event)
    found = _session(ev, session)
    return act(
        request,
        lambda: schedule.cancel_session(
            actor=request.user, session=found, reason=request.POST.get("reason", "")
        ),
        success=_("Session “%(title)s” cancelled.") % {"title": found.title},
        to=_event_url(ev),
    )
