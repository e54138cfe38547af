"""``/api/v1/forum/<programme>/<event>/cochairs-summary/``: the published Co-Chairs' Summary
of a forum event as JSON, the same outline as its web page, PDF and Word document
(``forum.cochairs_document``): its text only, never where its points came from."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pledgebook.forum import cochairs_document
from pledgebook.forum.models import CoChairsSummary, Event


class CochairsSectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The section's identifier within the summary.")
    title = serializers.CharField()
    points = serializers.ListField(child=serializers.CharField(), help_text="In order.")


class CochairsSummarySerializer(serializers.Serializer):
    title = serializers.CharField()
    event = serializers.CharField(help_text="The event's name and dates.")
    version = serializers.IntegerField(help_text="The number of the published version.")
    published_at = serializers.DateTimeField()
    introduction = serializers.ListField(
        child=serializers.CharField(), help_text="The introduction's paragraphs."
    )
    sections = CochairsSectionSerializer(many=True)


@extend_schema(
    tags=["forum"],
    summary="The published Co-Chairs' Summary of a forum event",
    description=(
        "The version the secretariat published: introduction, then each section's title and "
        "points, in order. Recommendations are presented collectively and without "
        "attribution: nothing says which session, organiser or organisation a point came from."
    ),
    parameters=[
        OpenApiParameter("programme", str, OpenApiParameter.PATH, description="Programme slug."),
        OpenApiParameter("event", str, OpenApiParameter.PATH, description="Event slug."),
    ],
    responses={
        200: CochairsSummarySerializer,
        404: OpenApiResponse(
            response=OpenApiTypes.OBJECT,
            description="No such public event, or its summary is not published.",
        ),
    },
)
class CochairsSummaryView(APIView):
    authentication_classes: list[type] = []

    def get(self, request: Request, programme: str, event: str) -> Response:
        found = Event.objects.public().filter(programme__slug=programme, slug=event).first()
        summary = (
            CoChairsSummary.objects.filter(event=found)
            .select_related("event", "published_version")
            .first()
            if found
            else None
        )
        doc = cochairs_document.published_outline(summary)
        if doc is None:
            raise NotFound("No published Co-Chairs' Summary for this event.")
        return Response(CochairsSummarySerializer(doc.as_json()).data)
