"""``/api/v1/map/`` and ``/api/v1/sdgs/``: the figures of the world map and the SDG dashboard
(``portal.aggregates``), with the same filters as the pages, the directory and the CSV files
(``portal.filters.PortalCommitmentFilter``).  Public commitments of published programmes only;
money in US dollars."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pledgebook.api.filters import INVALID_FILTER, refuse_malformed
from pledgebook.portal import aggregates
from pledgebook.portal.facts import MONEY_CURRENCY
from pledgebook.portal.filters import MAP_FILTERS, PortalCommitmentFilter, cleaned
from pledgebook.reference.models import Country, Goal
from pledgebook.reporting.figures import LIGHTS

_DESCRIPTIONS = {
    "programme": "Programme slug.",
    "theme": "Theme id (a theme implies its programme).",
    "sdg": "SDG number (1-17).",
    "type": "Commitment type code.",
    "category": "Stakeholder category of the lead organisation.",
    "light": "Status light of the commitment's reporting: " + ", ".join(LIGHTS) + ".",
}


def _parameters(names: tuple[str, ...]) -> list[OpenApiParameter]:
    return [OpenApiParameter(name, str, description=_DESCRIPTIONS[name]) for name in names]


class LightsSerializer(serializers.Serializer):
    reported = serializers.IntegerField()
    due = serializers.IntegerField()
    late = serializers.IntegerField()
    inactive = serializers.IntegerField()
    none = serializers.IntegerField()


class CountryFiguresSerializer(serializers.Serializer):
    iso2 = serializers.CharField()
    m49 = serializers.CharField()
    name = serializers.CharField()
    commitments = serializers.IntegerField(help_text="Public commitments naming the country.")
    pledged = serializers.FloatField(
        help_text="Money pledged, shared equally between each commitment's countries."
    )
    disbursed = serializers.FloatField(help_text="Money disbursed so far, shared likewise.")
    unconverted = serializers.IntegerField(
        help_text="Commitments whose money has no exchange rate: counted, money left out."
    )


class MapSerializer(serializers.Serializer):
    currency = serializers.CharField()
    countries = CountryFiguresSerializer(many=True)


class GoalFiguresSerializer(serializers.Serializer):
    goal = serializers.IntegerField()
    title = serializers.CharField()
    commitments = serializers.IntegerField()
    pledged = serializers.FloatField()
    disbursed = serializers.FloatField()
    unconverted = serializers.IntegerField()
    share_reporting = serializers.FloatField(
        allow_null=True,
        help_text="Percent of the commitments expected to report that reported (null: none "
        "expected).",
    )
    lights = LightsSerializer()


class DashboardSerializer(serializers.Serializer):
    currency = serializers.CharField()
    commitments = serializers.IntegerField(help_text="All the commitments matching the filters.")
    goals = GoalFiguresSerializer(many=True)


def _cleaned(request: Request, names: tuple[str, ...]) -> dict[str, Any]:
    refuse_malformed(request.query_params, PortalCommitmentFilter)
    params = {k: v for k, v in request.query_params.items() if k in names}
    try:
        return cleaned(params)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _figures(f: aggregates.Figures) -> dict[str, Any]:
    return {
        "commitments": f.commitments,
        "pledged": round(f.pledged, 2),
        "disbursed": round(f.disbursed, 2),
        "unconverted": f.unconverted,
    }


@extend_schema(
    tags=["portal"],
    summary="The world map's figures: public commitments by country",
    parameters=_parameters(MAP_FILTERS),
    responses={200: MapSerializer, 400: INVALID_FILTER},
)
class MapView(APIView):
    authentication_classes: list[type] = []
    filterset_class = PortalCommitmentFilter  # the values of the filters (api/schema.py)

    def get(self, request: Request) -> Response:
        figures = aggregates.by_country(_cleaned(request, MAP_FILTERS))
        countries = Country.objects.filter(pk__in=list(figures)).order_by("name")
        rows = [
            {"iso2": c.iso2, "m49": c.m49, "name": c.name, **_figures(figures[c.iso2])}
            for c in countries
        ]
        return Response(MapSerializer({"currency": MONEY_CURRENCY, "countries": rows}).data)


SDG_FILTERS = tuple(n for n in MAP_FILTERS if n != "sdg")


@extend_schema(
    tags=["portal"],
    summary="The SDG dashboard's figures: public commitments by goal",
    description="A commitment counts wholly in each goal it names.",
    parameters=_parameters(SDG_FILTERS),
    responses={200: DashboardSerializer, 400: INVALID_FILTER},
)
class DashboardView(APIView):
    authentication_classes: list[type] = []
    filterset_class = PortalCommitmentFilter

    def get(self, request: Request) -> Response:
        figures = aggregates.by_goal(_cleaned(request, SDG_FILTERS))
        goals = []
        for goal in Goal.objects.order_by("number"):
            f = figures.by_goal[goal.number]
            goals.append(
                {
                    "goal": goal.number,
                    "title": goal.title,
                    **_figures(f),
                    "share_reporting": f.share_reporting,
                    "lights": f.lights,
                }
            )
        data = {
            "currency": MONEY_CURRENCY,
            "commitments": figures.total.commitments,
            "goals": goals,
        }
        return Response(DashboardSerializer(data).data)
