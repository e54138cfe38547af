"""``/api/v1/case-studies/``: the knowledge hub's published case studies, filtered by the hub
page's own :class:`CaseStudyFilter` (one query string, the same rows)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets

from pledgebook.api import serializers_portal_hub as serializers
from pledgebook.api.filters import INVALID_FILTER
from pledgebook.organisations.models import Category
from pledgebook.portal.hub.filters import CaseStudyFilter, public_case_studies
from pledgebook.portal.hub.reads import with_page_relations, with_relations
from pledgebook.portal.models import CaseStudy

NOT_FOUND = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="No such published case study.",
    examples=[
        OpenApiExample("Not found", value={"detail": "No CaseStudy matches the given query."})
    ],
)

CASE_STUDY_FILTERS = [
    OpenApiParameter(
        "q",
        str,
        description=(
            "Full-text search in title, summary, problem, approach and results: every word "
            "must match, as a prefix."
        ),
        examples=[OpenApiExample("Words", value="solar")],
    ),
    OpenApiParameter(
        "semantic",
        str,
        description=(
            "Describe what you look for, in any language: the case studies nearest in meaning, "
            "best first (at most 50), after the other filters; those not indexed yet are "
            "searched by the description's words and listed after them."
        ),
        examples=[OpenApiExample("Description", value="financing clean energy for clinics")],
    ),
    OpenApiParameter("programme", str, description="Programme slug."),
    OpenApiParameter(
        "sdg",
        int,
        enum=list(range(1, 18)),
        description="Number of a Sustainable Development Goal the case study names.",
        examples=[OpenApiExample("Gender equality", value=5)],
    ),
    OpenApiParameter(
        "region",
        str,
        description="UN M49 code of a region: case studies naming it or a country in it.",
        examples=[OpenApiExample("Africa", value="002")],
    ),
    OpenApiParameter(
        "country",
        str,
        description="A country the case study names: ISO 3166-1 alpha-2 code, upper case.",
        examples=[OpenApiExample("Kenya", value="KE")],
    ),
    OpenApiParameter(
        "category",
        str,
        enum=Category.values,
        description="A stakeholder category involved.",
        examples=[OpenApiExample("Youth-led", value=Category.YOUTH_LED.value)],
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Published case studies of the knowledge hub",
        description=(
            "Case studies of replicable models (UN DESA's SDG Good Practices template), newest "
            "first (or by closeness to ``semantic``), 50 a page.  The filters are those of the "
            "page /knowledge/."
        ),
        parameters=CASE_STUDY_FILTERS,
        responses={200: serializers.CaseStudySerializer(many=True), 400: INVALID_FILTER},
    ),
    retrieve=extend_schema(
        summary="One published case study, with its results",
        responses={200: serializers.CaseStudyDetailSerializer, 404: NOT_FOUND},
    ),
)
@extend_schema(tags=["case studies"])
class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    """Case studies: problem, approach, partners, results with reported figures."""

    filterset_class = CaseStudyFilter

    def get_queryset(self) -> QuerySet[CaseStudy]:
        if self.action == "retrieve":
            return with_page_relations(public_case_studies())
        return with_relations(public_case_studies()).order_by("-published_at", "-pk")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.CaseStudyDetailSerializer
        return serializers.CaseStudySerializer
