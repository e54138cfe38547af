"""``/api/v1/pitch/…``: partnerships ready to scale (public fields only, as their public page
shows them) and the figures of the pitch outcomes (``portal.pitch.public``)."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pledgebook.api.filters import StrictPageNumberPagination
from pledgebook.portal.models.pitch import Instrument, PitchOutcome, ScaleUpPlan, Stage
from pledgebook.portal.pitch.public import pitch_outcome_figures, public_fields, ready_to_scale
from pledgebook.programmes.models import Programme

NO_PROGRAMME = OpenApiResponse(
    response=OpenApiTypes.OBJECT, description="No published programme of this slug."
)
# A slug, or empty for every published programme.
SLUG = r"^[-a-zA-Z0-9_]*$"
PROGRAMME = OpenApiParameter(
    "programme",
    {"type": "string", "pattern": SLUG},
    description="Slug of a published programme: its plans only.",
)


class ReadyToScaleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    plan = serializers.CharField(help_text="How the partnership will scale.")
    programme = serializers.CharField(help_text="Programme slug.")
    partnership_kind = serializers.ChoiceField(choices=["commitment", "coalition"])
    partnership = serializers.CharField(help_text="The commitment's title or coalition's name.")
    partnership_id = serializers.IntegerField()
    organisation = serializers.CharField(help_text="The maker or lead organisation's name.")
    funding_sought = serializers.DecimalField(max_digits=18, decimal_places=2)
    currency = serializers.CharField(help_text="ISO 4217.")
    instruments = serializers.ListField(child=serializers.ChoiceField(choices=Instrument.values))
    stage = serializers.ChoiceField(choices=Stage.values)
    sdgs = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=17))
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166 alpha-2.")
    regions = serializers.ListField(child=serializers.CharField(), help_text="UN M49 codes.")
    status = serializers.ChoiceField(choices=list(ScaleUpPlan.IN_PIPELINE))
    evidence_count = serializers.IntegerField(
        help_text="Indicator values and disbursements drawn from its submitted progress reports."
    )
    session = serializers.CharField(allow_null=True, help_text="The pitch session, once scheduled.")
    submitted_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Any) -> Any:
        return super().to_representation(public_fields(instance))


class InstrumentFigureSerializer(serializers.Serializer):
    instrument = serializers.CharField(help_text="One of: " + ", ".join(Instrument.values) + ".")
    label = serializers.CharField(help_text="The instrument's name.")  # type: ignore[assignment]
    count = serializers.IntegerField()
    amount_usd = serializers.DecimalField(max_digits=20, decimal_places=2)


class PitchFiguresSerializer(serializers.Serializer):
    plans = serializers.DictField(child=serializers.IntegerField(), help_text="By status.")
    plans_in_pipeline = serializers.IntegerField()
    interests = serializers.IntegerField()
    outcomes = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="By outcome: " + ", ".join(PitchOutcome.Status.values) + ".",
    )
    funded_count = serializers.IntegerField()
    funded_usd = serializers.DecimalField(max_digits=20, decimal_places=2)
    funded_by_instrument = InstrumentFigureSerializer(many=True)


def _programme(request: Request) -> Any:
    """The published programme of ``?programme=<slug>``; 404 for any other value, one that is
    no slug included (PostgreSQL refuses a NUL byte in a query)."""
    slug = request.query_params.get("programme")
    if not slug:
        return None
    if not re.fullmatch(SLUG, slug):
        raise Http404
    return get_object_or_404(Programme, slug=slug, is_published=True)


@extend_schema(
    tags=["pitch"],
    summary="Partnerships ready to scale",
    description=(
        "Scale-up plans in the pitch pipeline of published programmes (submitted to the open "
        "call, invited by the secretariat, shortlisted or scheduled), newest first, with their "
        "public fields only."
    ),
    parameters=[PROGRAMME],
    responses={200: ReadyToScaleSerializer(many=True), 404: NO_PROGRAMME},
)
class ReadyToScaleView(generics.ListAPIView):
    authentication_classes: list[type] = []
    serializer_class = ReadyToScaleSerializer
    pagination_class = StrictPageNumberPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> Any:
        return ready_to_scale(_programme(self.request))


@extend_schema(
    tags=["pitch"],
    summary="Pitch outcomes in figures",
    description=(
        "Plans by status, investors' interest, outcomes (met, in due diligence, funded, "
        "declined) and the money funded in US dollars, in total and by instrument."
    ),
    parameters=[PROGRAMME],
    responses={200: PitchFiguresSerializer, 404: NO_PROGRAMME},
)
class PitchFiguresView(APIView):
    authentication_classes: list[type] = []

    def get(self, request: Request) -> Response:
        return Response(PitchFiguresSerializer(pitch_outcome_figures(_programme(request))).data)
