"""A person's own forum schedule: the sessions they marked, as an iCalendar file.

Read only (marking and unmarking are the participation pages').  A marked session that was
cancelled stays in the file with ``STATUS:CANCELLED``, so that a calendar that imported it
learns of the cancellation.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from pledgebook.forum import schedule_files
from pledgebook.forum.filters import public_events, with_file_details
from pledgebook.forum.models import Session


@login_required
def my_sessions_ics(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    user: Any = request.user  # signed in: login_required
    found = get_object_or_404(public_events(), programme__slug=programme, slug=event)
    sessions = with_file_details(
        Session.objects.filter(event=found, marks__user=user)
        .select_related("event__programme")
        .order_by("starts_at", "title", "pk")
    )
    content = schedule_files.calendar(found, sessions, name=f"{found.name}: {user.get_username()}")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-my-sessions.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
