"""The forum's public schedule: an event's programme (by day, with filters), a page per
session, and the schedule as files (iCalendar, Frab JSON).

Read only.  Only published events of published programmes; the list shows scheduled sessions;
a cancelled session keeps its page, which says so.  Times are the venue's (``event.zone``).
Queries do not grow with the sessions shown (``forum.listing.rows`` for the programme,
``forum.filters.with_details`` / ``with_file_details`` for the session page and the files).
Past ``SHOWN_AT_ONCE`` sessions found, the programme shows one day at a time
(docs/BENCHMARKS.md, ``schedule_page``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from django import forms
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pledgebook.core.widgets import FastSelect
from pledgebook.forum import impact, listing, schedule_files
from pledgebook.forum.domain.statements import statements_context
from pledgebook.forum.filters import (
    SessionFilter,
    day_bounds,
    public_events,
    public_sessions,
    with_details,
    with_file_details,
)
from pledgebook.forum.models import CoChairsSummary, Event, Session, SessionSummary

#: Past this many sessions found, the page shows one day at a time (the first day with
#: sessions unless a day is chosen), with the other days as links.
SHOWN_AT_ONCE = 150


def _event(programme: str, event: str) -> Event:
    found = get_object_or_404(
        public_events().select_related("programme"), programme__slug=programme, slug=event
    )
    return found


def _query(request: HttpRequest, **changes: str | None) -> str:
    """The current filters (without empty values), with ``changes`` applied."""
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [v for v in values if v != ""]
        if kept and key not in changes:
            params.setlist(key, kept)
    for key, value in changes.items():
        if value:
            params[key] = value
    return params.urlencode()


def _localise(event: Event, sessions: list[Session]) -> list[Session]:
    zone = event.zone
    for s in sessions:
        s.local_start = s.starts_at.astimezone(zone)  # type: ignore[attr-defined]
        s.local_end = s.ends_at.astimezone(zone)  # type: ignore[attr-defined]
    return sessions


def _schedule_filter(request: HttpRequest, event: Event) -> SessionFilter:
    filterset = SessionFilter(request.GET, queryset=public_sessions(event), event=event)
    form = filterset.form
    form.label_suffix = ""
    form.fields["q"].widget.input_type = "search"
    for field in form.fields.values():
        if hasattr(field, "empty_label"):  # model choices, and django-filter's choices
            field.empty_label = _("Any")
        if type(field.widget) is not forms.Select:
            continue
        # Options written in one pass (not a template each), read by one plain query (a
        # model choice field's own iterator is a server-side cursor on PostgreSQL).
        choices = field.widget.choices
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            choices = [
                ("", _("Any")),
                *[(field.prepare_value(o), field.label_from_instance(o)) for o in field.queryset],
            ]
        field.widget = FastSelect(attrs=field.widget.attrs, choices=choices)
    return filterset


def event(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    ev = _event(programme, event)
    filterset = _schedule_filter(request, ev)
    valid = filterset.is_valid()
    context: dict[str, Any] = {
        "programme": ev.programme,
        "event": ev,
        "filter": filterset,
        "form": filterset.form,
        "valid": valid,
        "zone_name": ev.zone.key,
        "querystring": _query(request),
        "shown_at_once": SHOWN_AT_ONCE,
        "cochairs_published": CoChairsSummary.objects.filter(
            event=ev, status=CoChairsSummary.Status.PUBLISHED
        ).exists(),
        "has_ended": impact.has_ended(ev),
    }
    if valid:
        day = filterset.form.cleaned_data.get("day")
        # The days and their counts under the other filters (so that every day stays a link).
        others = {k: v for k, v in filterset.form.cleaned_data.items() if k != "day"}
        unfiltered_day = public_sessions(ev)
        for name, value in others.items():
            if value not in (None, ""):
                unfiltered_day = filterset.filters[name].filter(unfiltered_day, value)
        counts = _counts_by_day(ev, unfiltered_day)
        total = sum(counts.values())
        found = filterset.qs
        shown_day = day
        if day is None and total > SHOWN_AT_ONCE:
            # Too many at once: the first day with sessions, the others a click away.
            shown_day = next((d for d, n in counts.items() if n), None)
            if shown_day is not None:
                start, end = day_bounds(ev, shown_day)
                found = found.filter(starts_at__gte=start, starts_at__lt=end)
        sessions = listing.rows(ev, found)
        days: dict[dt.date, list[listing.Row]] = {}
        for row in sessions:
            days.setdefault(row.day, []).append(row)
        words = {
            "online": _("Online"),
            "tba": _("Room to be announced"),
            "organised_by": _("Organised by"),
            "sdgs": _("SDGs"),
        }
        context.update(
            {
                "days": days,
                "days_html": [(d, _rows_html(of_day, words)) for d, of_day in days.items()],
                "count": len(sessions),
                "total": total,
                "by_day": day is None and shown_day is not None,
                "shown_day": shown_day,
                "all_days_query": _query(request, day=None, page=None),
                "day_links": [
                    (d, n, _query(request, day=d.isoformat(), page=None)) for d, n in counts.items()
                ],
            }
        )
    return render(request, "public/forum/event.html", context)


def _rows_html(rows: list[listing.Row], words: dict[str, str]) -> SafeString:
    """The ``<li>`` of each session of a day, every value escaped (``html.escape``).

    Built here rather than in a template loop: for a day of 200 sessions the loop alone
    (about 15 variables and tags a row) took longer than the page's budget of 150 ms; this
    takes a few milliseconds (docs/BENCHMARKS.md, ``schedule_page``).  The markup is the one
    ``public/forum/event.html`` expects (``.schedule`` in ``public/forum.css``)."""
    e = html.escape
    badges: dict[int, str] = {}  # the badge of each SDG, built once
    items = []
    for r in rows:
        place = r.room or (words["online"] if r.online else words["tba"])
        meta = r.kind_label + (f" · {r.segment}" if r.segment else "") + f" · {place}"
        organisations = (
            f"<p>{e(words['organised_by'])} {e(r.organisations)}</p>" if r.organisations else ""
        )
        goals = ""
        if r.goals:
            for number, label, title in r.goals:
                if number not in badges:
                    badges[number] = (
                        f'<li class="badge"><abbr title="{e(title)}">{e(label)}</abbr></li>'
                    )
            goals = (
                f'<ul class="tags" aria-label="{e(words["sdgs"])}">'
                + "".join(badges[number] for number, _label, _title in r.goals)
                + "</ul>"
            )
        items.append(
            f'<li><p><time datetime="{r.starts_at.isoformat()}">{r.start}</time>–'
            f'<time datetime="{r.ends_at.isoformat()}">{r.end}</time></p>'
            f'<div><h4><a href="{e(r.url)}">{e(r.title)}</a></h4>'
            f'<p class="session-meta">{e(meta)}</p>{organisations}{goals}</div></li>'
        )
    return mark_safe("".join(items))  # noqa: S308  (every value above is escaped)


def _counts_by_day(event: Event, sessions: Any) -> dict[dt.date, int]:
    """Sessions found on each day of the event (venue time), in one query: the start times
    are read and placed by day here (a database's own day would be UTC's)."""
    counts = dict.fromkeys(event.days(), 0)
    zone = event.zone
    for starts_at in sessions.order_by().values_list("starts_at", flat=True):
        day = starts_at.astimezone(zone).date()
        counts[day] = counts.get(day, 0) + 1
    return counts


def _session(programme: str, event: str, session: int) -> tuple[Event, Session]:
    ev = _event(programme, event)
    found = get_object_or_404(
        with_details(Session.objects.filter(event=ev).select_related("event__programme")),
        pk=session,
    )
    return ev, found


def session(request: HttpRequest, programme: str, event: str, session: int) -> HttpResponse:
    ev, found = _session(programme, event, session)
    _localise(ev, [found])
    return render(
        request,
        "public/forum/session.html",
        {
            "programme": ev.programme,
            "event": ev,
            "session": found,
            "zone_name": ev.zone.key,
            "zone_abbreviation": found.local_start.tzname(),  # type: ignore[attr-defined]
            "cancelled": found.status == Session.Status.CANCELLED,
            "session_over": found.ends_at <= timezone.now(),
            # People by their name only: an organiser without one is not shown (no e-mail).
            "organiser_names": [
                name for u in found.organisers.all() if (name := u.get_full_name().strip())
            ],
            # What the session concluded (submitted summaries only: the include checks) and the
            # stakeholder statements the secretariat selected.
            "summary": SessionSummary.objects.filter(session=found)
            .prefetch_related("recommendations")
            .first(),
            **statements_context(found),
        },
    )


# Files -----------------------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filtered(request: HttpRequest, event: Event) -> Any:
    filterset = SessionFilter(request.GET, queryset=public_sessions(event), event=event)
    if not filterset.is_valid():
        raise Http404(_("These filters are not valid."))
    return filterset.qs


def event_ics(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    ev = _event(programme, event)
    sessions = with_file_details(_filtered(request, ev))
    content = schedule_files.calendar(ev, sessions, name=ev.name)
    return _ics_response(content, f"{ev.slug}.ics")


def session_ics(request: HttpRequest, programme: str, event: str, session: int) -> HttpResponse:
    ev, found = _session(programme, event, session)
    content = schedule_files.calendar(ev, [found], name=f"{ev.name}: {found.title}")
    return _ics_response(content, f"{ev.slug}-session-{found.pk}.ics")


def event_frab(request: HttpRequest, programme: str, event: str) -> HttpResponse:
    ev = _event(programme, event)
    sessions = list(with_file_details(_filtered(request, ev)))
    changed = Session.objects.filter(event=ev).aggregate(at=Max("updated_at"), n=Count("pk"))
    version = (
        f"{changed['at'].astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}/{changed['n']}"
        if changed["at"]
        else timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%d")
    )
    data = schedule_files.frab(ev, sessions, version=version)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
