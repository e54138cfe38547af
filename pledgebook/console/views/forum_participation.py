"""Who takes part in an event, for the secretariat: totals in person, online and waiting,
and the breakdowns by stakeholder category, region and gender, all read from
``forum.figures.participation`` (the one place of these figures); the registrations as CSV
through the export registry (private)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.views.forum_proposals import forum_event
from pledgebook.core import exports
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
            "figures": participation(found),
            "downloads": downloads,
        },
    )
