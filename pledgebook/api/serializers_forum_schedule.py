"""Read-only representations of the forum schedule in the API: public events and their
sessions.  Times are given in the event's time zone (ISO 8601 with its offset) and the zone's
IANA name; people appear only as speakers, by the name the programme shows (never the
organisers' accounts)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pledgebook.api.serializers import (
    OrganisationBriefSerializer,
    PublicURLField,
    ReadOnlyModelSerializer,
    _keys,
    _slugs,
)
from pledgebook.core.site import absolute_url
from pledgebook.forum.models import Event, Room, Session, Speaker


def _event_kwargs(event: Event) -> dict[str, Any]:
    return {"programme": event.programme.slug, "event": event.slug}


class RoomSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "is_virtual"]


class EventSerializer(ReadOnlyModelSerializer):
    url = PublicURLField(help_text="Public programme page of the event.")
    programme = _slugs(slug_field="slug")
    sessions = serializers.SerializerMethodField(help_text="The event's sessions in this API.")
    ical = serializers.SerializerMethodField(help_text="All sessions as an iCalendar file.")
    frab = serializers.SerializerMethodField(
        help_text="The schedule in the Frab JSON format read by conference apps."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "name",
            "acronym",
            "url",
            "programme",
            "description",
            "starts_on",
            "ends_on",
            "venue",
            "time_zone",
            "is_hybrid",
            "sessions",
            "ical",
            "frab",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_sessions(self, obj: Event) -> str:
        return absolute_url(reverse("api:event-sessions", kwargs={"pk": obj.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_ical(self, obj: Event) -> str:
        return absolute_url(reverse("public:event_ics", kwargs=_event_kwargs(obj)))

    @extend_schema_field(OpenApiTypes.URI)
    def get_frab(self, obj: Event) -> str:
        return absolute_url(reverse("public:event_schedule_json", kwargs=_event_kwargs(obj)))


class EventDetailSerializer(EventSerializer):
    rooms = RoomSerializer(many=True, read_only=True)
    days = serializers.SerializerMethodField(help_text="The event's days (venue dates).")

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "rooms", "days"]

    @extend_schema_field(serializers.ListField(child=serializers.DateField()))
    def get_days(self, obj: Event) -> list[str]:
        return [day.isoformat() for day in obj.days()]


class SpeakerSerializer(ReadOnlyModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Speaker
        fields = ["name", "title", "organisation", "affiliation"]


class SessionSerializer(ReadOnlyModelSerializer):
    url = PublicURLField(help_text="Public page of the session.")
    starts_at = serializers.SerializerMethodField(help_text="Start, in the event's time zone.")
    ends_at = serializers.SerializerMethodField(help_text="End, in the event's time zone.")
    time_zone = serializers.SerializerMethodField(help_text="IANA name of the event's zone.")
    room = _slugs(slug_field="name", allow_null=True, help_text="Name of the room, if any.")
    organisations = OrganisationBriefSerializer(many=True, read_only=True)
    speakers = SpeakerSerializer(many=True, read_only=True)
    themes = _slugs(slug_field="slug", many=True, help_text="Slugs of the session's themes.")
    sdgs = _keys(source="goals", many=True, help_text="Numbers of the session's SDGs.")
    ical = serializers.SerializerMethodField(help_text="The session as an iCalendar file.")

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "url",
            "kind",
            "segment",
            "description",
            "status",
            "starts_at",
            "ends_at",
            "time_zone",
            "room",
            "online_url",
            "language",
            "organisations",
            "speakers",
            "themes",
            "sdgs",
            "ical",
        ]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at(self, obj: Session) -> str:
        return obj.starts_at.astimezone(obj.event.zone).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at(self, obj: Session) -> str:
        return obj.ends_at.astimezone(obj.event.zone).isoformat()

    def get_time_zone(self, obj: Session) -> str:
        return obj.event.zone.key

    @extend_schema_field(OpenApiTypes.URI)
    def get_ical(self, obj: Session) -> str:
        kwargs = {**_event_kwargs(obj.event), "session": obj.pk}
        return absolute_url(reverse("public:session_ics", kwargs=kwargs))
