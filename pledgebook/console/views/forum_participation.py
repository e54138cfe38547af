"""Who takes part in an event, for the secretariat: totals in person, online and waiting,
and the breakdowns by stakeholder category, region and gender, all read from
``forum.figures.participation`` (the one place of these figures); the registrations as CSV
through the export registry (private)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.views.forum_proposals import event_link, forum_event
from pledgebook.core import exports
from pledgebook.core.forms import act
from pledgebook.forum.domain import participation as domain
from pledgebook.forum.figures import participation


@console_view(CHANGE_PROGRAMME)
def participation_page(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = forum_event(console, event)
    query = urlencode({"programme": console.programme.slug, "event": found.slug})
    downloads = [
        (
            cls.verbose_name,
            reverse("api:export", kwargs={"identifier": cls.identifier}) + "?" + query,
        )
        for cls in exports.available(request.user, console.programme, subject="registrations")
    ]
    return render(
        request,
        "console/forum/participation.html",
        {
            "console": console,
            "event": found,
            "event_url": event_link(console, found),
            "figures": participation(found),
            "places_left": domain.places_left(found),
            "downloads": downloads,
        },
    )


@console_view(CHANGE_PROGRAMME)
@require_POST
def give_places(request: HttpRequest, console: Console, event: str) -> HttpResponse:
    found = forum_event(console, event)

    def said(given: list) -> str:
        if not given:
            return _("No place is free, or no one is waiting.")
        return ngettext(
            "%(n)d person on the waiting list has a place now, and is told by mail.",
            "%(n)d people on the waiting list have a place now, and are told by mail.",
            len(given),
        ) % {"n": len(given)}

    return act(
        request,
        lambda: domain.give_free_places(actor=request.user, event=found),
        success=said,
        to=reverse(
            "console:forum_participation",
            kwargs={"programme": console.programme.slug, "event": found.slug},
        ),
    )
