"""Case studies of the knowledge hub in the API: public fields only (the organisation by name
and slug, never its people; no reviewer, no return reason), and the results as the public page
shows them: linked commitments with the indicator values reported for them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pledgebook.api.serializers import (
    CycleBriefSerializer,
    OrganisationBriefSerializer,
    ReadOnlyModelSerializer,
    _keys,
    _slugs,
)
from pledgebook.core.site import absolute_url
from pledgebook.portal.hub.reads import results
from pledgebook.portal.models import CaseStudy


class CitedValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="value.indicator.code")
    name = serializers.CharField(source="value.indicator.name")
    unit = serializers.CharField(source="value.indicator.unit")
    baseline = serializers.DecimalField(
        source="value.baseline", max_digits=18, decimal_places=4, allow_null=True
    )
    target = serializers.DecimalField(
        source="value.target", max_digits=18, decimal_places=4, allow_null=True
    )
    value = serializers.DecimalField(
        source="value.value", max_digits=18, decimal_places=4, allow_null=True
    )
    cycle = CycleBriefSerializer(source="value.report.cycle", read_only=True)
    report_version = serializers.IntegerField(source="value.report.version")
    current = serializers.BooleanField(
        help_text="False when the report was corrected since (a newer version was submitted)."
    )


class LinkedCommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="commitment.pk")
    title = serializers.CharField(source="commitment.title")
    url = serializers.SerializerMethodField(help_text="Public page of the commitment.")
    values = CitedValueSerializer(many=True, help_text="Reported indicator values cited.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Any) -> str:
        return absolute_url(obj.commitment.get_absolute_url())


class CaseStudySerializer(ReadOnlyModelSerializer):
    url = serializers.SerializerMethodField(help_text="Public page of the case study.")
    programme = _slugs(slug_field="slug")
    organisation = OrganisationBriefSerializer(read_only=True)
    goals = _keys(many=True, help_text="SDG numbers.")
    countries = _keys(many=True, help_text="ISO 3166-1 alpha-2 codes.")
    regions = _keys(many=True, help_text="UN M49 codes.")
    categories = serializers.SerializerMethodField(
        help_text="Codes of the stakeholder categories involved (those of /api/v1/organisations/)."
    )

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "title",
            "url",
            "programme",
            "organisation",
            "summary",
            "goals",
            "countries",
            "regions",
            "categories",
            "published_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: CaseStudy) -> str:
        return absolute_url(obj.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_categories(self, obj: CaseStudy) -> list[str]:
        return sorted(c.category for c in obj.categories.all())


class CaseStudyDetailSerializer(CaseStudySerializer):
    partners = OrganisationBriefSerializer(many=True, read_only=True)
    targets = _keys(many=True, help_text="SDG target codes.")
    results_linked = serializers.SerializerMethodField(
        help_text="Commitments whose results the case study shows, with the reported values."
    )

    class Meta(CaseStudySerializer.Meta):
        fields = [
            *CaseStudySerializer.Meta.fields,
            "problem",
            "approach",
            "partners",
            "other_partners",
            "results",
            "results_linked",
            "enabling_factors",
            "constraints",
            "replicability",
            "lessons",
            "targets",
        ]

    @extend_schema_field(LinkedCommitmentSerializer(many=True))
    def get_results_linked(self, obj: CaseStudy) -> Any:
        return LinkedCommitmentSerializer(
            [item for item in results(obj) if item.is_public], many=True
        ).data
