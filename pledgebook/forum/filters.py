"""The schedule's filters: one FilterSet for an event's public programme page, the API's list
of sessions and the schedule exports, so that one query string gives the same sessions
everywhere.

The FilterSet belongs to one event (``SessionFilter(data, queryset=..., event=event)``): its
days are the event's (venue time), its themes the programme's.  Many-to-many filters use
``EXISTS`` subqueries: no ``DISTINCT``, no duplicate rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from pledgebook.core.widgets import FastSelect
from pledgebook.forum.models import Event, Session, Speaker
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Goal

MAX_TERMS = 12


def public_events(programme: Any = None) -> QuerySet[Event]:
    """Published events of published programmes (of ``programme`` when given)."""
    found = Event.objects.public().select_related("programme")
    if programme is not None:
        found = found.filter(programme=programme)
    return found.order_by("starts_on", "name", "pk")


def day_bounds(event: Event, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants [start, end) of ``day`` at the venue (a day of 23 or 25 hours when the
    clocks change)."""
    zone = event.zone
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def with_listing(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """What a row of the schedule shows: room, organising organisations, SDGs (three queries
    for the whole list)."""
    return queryset.select_related("room").prefetch_related(
        Prefetch("organisations", queryset=Organisation.objects.order_by("name")), "goals"
    )


def with_details(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """Everything a session's page and the schedule files show: the listing, plus organisers,
    speakers (with their organisation) and themes."""
    return with_listing(queryset).prefetch_related(
        "organisers",
        Prefetch("speakers", queryset=Speaker.objects.select_related("organisation")),
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
    )


def with_file_details(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """What the schedule files (iCalendar, Frab) show: the listing and the speakers, not the
    organisers or themes."""
    return with_listing(queryset).prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.select_related("organisation"))
    )


def public_sessions(event: Event) -> QuerySet[Session]:
    """The scheduled sessions of ``event`` (itself public: the caller checked), in time
    order."""
    return (
        Session.objects.scheduled()
        .filter(event=event)
        .select_related("event__programme")
        .order_by("starts_at", "title", "pk")
    )


class SessionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    day = django_filters.DateFilter(label=_("Day"), method="filter_day")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Session.Kind.choices)
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG"), queryset=Goal.objects.all(), method="filter_sdg"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        to_field_name="slug",
        method="filter_theme",
    )

    class Meta:
        model = Session
        fields = ["q", "day", "kind", "sdg", "theme"]

    def __init__(self, data: Any = None, queryset: Any = None, *, event: Event, **kwargs: Any):
        super().__init__(data, queryset, **kwargs)
        self.event = event
        # Any date is a valid day (the API's clients may ask for any); the page offers the
        # event's days.
        self.filters["day"].extra["widget"] = FastSelect(
            choices=[
                ("", _("Any")),
                *[(d.isoformat(), formats.date_format(d, "l j F Y")) for d in event.days()],
            ]
        )
        self.filters["theme"].queryset = Theme.objects.filter(
            programme_id=event.programme_id
        ).order_by("position", "name")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word occurs in the title, description, segment, a speaker's name or an
        organising organisation's name (case-insensitive)."""
        for word in value.split()[:MAX_TERMS]:
            speakers = Speaker.objects.filter(session_id=OuterRef("pk"), name__icontains=word)
            organisations = Session.organisations.through.objects.filter(
                session_id=OuterRef("pk"), organisation__name__icontains=word
            )
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(segment__icontains=word)
                | Exists(speakers)
                | Exists(organisations)
            )
        return queryset

    def filter_day(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        start, end = day_bounds(self.event, value)
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def filter_sdg(self, queryset: QuerySet, name: str, value: Goal) -> QuerySet:
        links = Session.goals.through.objects.filter(session_id=OuterRef("pk"), goal=value)
        return queryset.filter(Exists(links))

    def filter_theme(self, queryset: QuerySet, name: str, value: Theme) -> QuerySet:
        links = Session.themes.through.objects.filter(session_id=OuterRef("pk"), theme=value)
        return queryset.filter(Exists(links))


class EventFilter(django_filters.FilterSet):
    """The API's list of events: those of one programme."""

    programme = django_filters.ModelChoiceFilter(
        label=_("Programme slug"),
        queryset=Programme.objects.filter(is_published=True),
        to_field_name="slug",
    )

    class Meta:
        model = Event
        fields = ["programme"]
