"""The forum schedule in the API: public events (published, of published programmes) and
the scheduled sessions of one, filtered by the schedule's own
:class:`pledgebook.forum.filters.SessionFilter` (the public programme page's and the
schedule files'), so one query string gives the same sessions everywhere."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pledgebook.api import serializers_forum_schedule as serializers
from pledgebook.api.filters import refuse_malformed
from pledgebook.forum.filters import (
    EventFilter,
    SessionFilter,
    public_events,
    public_sessions,
    with_details,
)
from pledgebook.forum.models import Event, Room, Session

INVALID_FILTER = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="A filter value is invalid: the errors, by parameter name.",
    examples=[OpenApiExample("Unknown kind", value={"kind": ["Select a valid choice."]})],
)
NOT_FOUND = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="No such public event.",
    examples=[OpenApiExample("Not found", value={"detail": "No Event matches the given query."})],
)

SESSION_FILTERS = [
    OpenApiParameter(
        "q",
        str,
        description=(
            "Every word occurs in the title, description, segment, a speaker's name or an "
            "organising organisation's name."
        ),
        examples=[OpenApiExample("Words", value="ocean finance")],
    ),
    OpenApiParameter(
        "day",
        OpenApiTypes.DATE,
        description="Sessions starting on this day, at the venue (the event's time zone).",
    ),
    OpenApiParameter("kind", str, enum=Session.Kind.values, description="Kind of session."),
    OpenApiParameter(
        "sdg",
        int,
        enum=list(range(1, 18)),
        description="Number of a Sustainable Development Goal the session serves.",
        examples=[OpenApiExample("Life below water", value=14)],
    ),
    OpenApiParameter("theme", str, description="Slug of a theme of the event's programme."),
]


@extend_schema_view(
    list=extend_schema(
        summary="Public events of published programmes",
        description="Events (forums, conferences) with their dates, venue and time zone.",
        parameters=[
            OpenApiParameter("programme", str, description="Only this programme's (its slug).")
        ],
        responses={200: serializers.EventSerializer(many=True), 400: INVALID_FILTER},
    ),
    retrieve=extend_schema(
        summary="One public event, with its rooms and days",
        responses={200: serializers.EventDetailSerializer, 404: NOT_FOUND},
    ),
)
@extend_schema(tags=["forum"])
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Public events and their schedules."""

    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet[Event]:
        queryset = public_events().order_by("-starts_on", "name", "pk")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("rooms", queryset=Room.objects.order_by("position", "name"))
            )
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":  # an event's own address always shows it
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.EventDetailSerializer
        if self.action == "sessions":
            return serializers.SessionSerializer
        return serializers.EventSerializer

    @extend_schema(
        summary="Sessions of one public event",
        description=(
            "Its scheduled sessions in time order, 50 a page, with the filters of the event's "
            "public programme page."
        ),
        parameters=SESSION_FILTERS,
        responses={
            200: serializers.SessionSerializer(many=True),
            400: INVALID_FILTER,
            404: NOT_FOUND,
        },
    )
    # The event's own filters (programme) are not the sessions': these are read below.
    @action(
        detail=True,
        methods=["get"],
        url_path="sessions",
        filter_backends=[],
        filterset_class=None,
    )
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        event = self.get_object()
        refuse_malformed(request.query_params, SessionFilter)
        filterset = SessionFilter(
            request.query_params, queryset=public_sessions(event), event=event
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(with_details(filterset.qs))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)
