"""Taking part in an event, for signed-in people (anonymous ones are sent to sign in and come
back): register in person or online (the waiting list said plainly), change or cancel the
registration, mark sessions and see "my sessions" in venue time.

State changes: ``forum.domain.participation`` only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.core.forms import act, attempt
from pledgebook.forum.domain import participation as domain
from pledgebook.forum.models import Event, Registration, Session
from pledgebook.workspace.forms_forum import RegistrationForm


def _user(request: HttpRequest) -> Any:
    return request.user  # signed in: the views are login_required


def _event(programme: str, event: str) -> Event:
    return get_object_or_404(
        Event.objects.public().select_related("programme"),
        programme__slug=programme,
        slug=event,
    )


def _register_url(event: Event) -> str:
    return reverse(
        "workspace:forum_register", kwargs={"programme": event.programme.slug, "event": event.slug}
    )


def _said(registration: Registration) -> str:
    """What the person reads after registering: plainly whether they have a place."""
    if registration.status == Registration.Status.WAITLISTED:
        return _(
            "All places in person are taken: you are on the waiting list. If a place is freed "
            "it goes to the first on the list, and we tell you by mail."
        )
    if registration.mode == Registration.Mode.ONLINE:
        return _("You are registered to take part online.")
    return _("You are registered to take part in person.")


@login_required
def register(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    found = _event(programme, event)
    current = Registration.objects.filter(event=found, user=_user(request)).first()
    form = RegistrationForm(
        request.POST or None,
        event=found,
        user=request.user,
        initial=RegistrationForm.initial_for(current),
    )
    can_register = request.user.has_perm("forum.register", found)
    if request.method == "POST":
        if not can_register:
            return render(
                request,
                "workspace/denied.html",
                {"message": _("Registration for this event is closed.")},
                status=403,
            )
        if done := attempt(
            form, lambda data: domain.register(actor=request.user, event=found, **data)
        ):
            messages.success(request, _said(done.value))
            return redirect(_register_url(found))
    waiting_position = None
    if current is not None and current.status == Registration.Status.WAITLISTED:
        waiting_position = (
            Registration.objects.filter(event=found, status=Registration.Status.WAITLISTED)
            .filter(created_at__lte=current.created_at)
            .exclude(created_at=current.created_at, pk__gt=current.pk)
            .count()
        )
    return render(
        request,
        "workspace/forum/register.html",
        {
            "event": found,
            "form": form,
            "registration": current
            if current and current.status != Registration.Status.CANCELLED
            else None,
            "can_register": can_register,
            "places_left": domain.places_left(found),
            "waiting_position": waiting_position,
            "current": "forum_events",
        },
    )


@login_required
@require_POST
def cancel(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    found = _event(programme, event)
    registration = get_object_or_404(Registration, event=found, user=_user(request))
    return act(
        request,
        lambda: domain.cancel_registration(actor=request.user, registration=registration),
        success=_("Your registration is cancelled."),
        to=_register_url(found),
    )


def _ics_url(event: Event) -> str | None:
    """The "my sessions" calendar file, once the schedule's exports are installed."""
    kwargs = {"programme": event.programme.slug, "event": event.slug}
    for name in ("workspace:forum_my_sessions_ics", "public:my_sessions_ics"):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


@login_required
def my_sessions(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    found = _event(programme, event)
    sessions = domain.my_sessions(request.user, found)
    zone = found.zone
    rows = [
        {
            "session": s,
            "starts": s.starts_at.astimezone(zone),
            "ends": s.ends_at.astimezone(zone),
        }
        for s in sessions
    ]
    return render(
        request,
        "workspace/forum/my_sessions.html",
        {
            "event": found,
            "rows": rows,
            "ics_url": _ics_url(found),
            "registration": Registration.objects.filter(event=found, user=_user(request))
            .exclude(status=Registration.Status.CANCELLED)
            .first(),
            "current": "forum_events",
        },
    )


def _back(request: HttpRequest, session: Session) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(
        "workspace:forum_my_sessions",
        kwargs={"programme": session.event.programme.slug, "event": session.event.slug},
    )


def _session(pk: int) -> Session:
    return get_object_or_404(
        Session.objects.filter(
            event__is_published=True, event__programme__is_published=True
        ).select_related("event__programme"),
        pk=pk,
    )


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    if not request.user.has_perm("forum.mark_session", session):
        messages.error(request, _("Register for the event first to add its sessions to yours."))
        return redirect(_register_url(session.event))
    response = act(
        request,
        lambda: domain.mark_session(actor=request.user, session=session),
        success=_("“%(title)s” is in your sessions.") % {"title": session.title},
        to=_back(request, session),
    )
    return _htmx_button(request, session) or response


@login_required
@require_POST
def unmark(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    response = act(
        request,
        lambda: domain.unmark_session(actor=request.user, session=session),
        success=_("“%(title)s” is no longer in your sessions.") % {"title": session.title},
        to=_back(request, session),
    )
    return _htmx_button(request, session) or response


def _htmx_button(request: HttpRequest, session: Session) -> HttpResponse | None:
    """An HTMX request gets the button again (its new state) instead of a redirect."""
    if not getattr(request, "htmx", False):
        return None
    list(messages.get_messages(request))  # shown by the button itself
    return render(
        request,
        "forum/_mark_button.html",
        {"session": session, "next": request.POST.get("next", "")},
    )
