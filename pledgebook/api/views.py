"""The public, read-only JSON API (v1): programmes, themes, organisations, commitments and the
registered exports.  Anyone may read it; only what the public pages show is here.

Commitments are filtered by the directory's own :class:`CommitmentFilter`, so one query string
gives the same rows in the directory, in this API and in the CSV export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pledgebook.api import serializers
from pledgebook.api.filters import OrganisationFilter, ThemeFilter
from pledgebook.commitments.exports import ORDERING, public_url, with_relations
from pledgebook.commitments.filters import CommitmentFilter, public_commitments
from pledgebook.commitments.models import Application, CoMaker, Commitment
from pledgebook.core import exports
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Programme, Theme

INVALID_FILTER = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="A filter value is invalid: the errors, by parameter name.",
    examples=[
        OpenApiExample(
            "Unknown country",
            value={
                "country": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        )
    ],
)


def _not_found(model: str) -> OpenApiResponse:
    return OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description="No such public object.",
        examples=[
            OpenApiExample("Not found", value={"detail": f"No {model} matches the given query."})
        ],
    )


def _example(name: str, value: Any) -> list[OpenApiExample]:
    return [OpenApiExample(name, value=value)]


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True)


def public_organisations() -> QuerySet[Organisation]:
    """Organisations the public pages show: approved in a theme of a published programme, or
    leading or confirmed co-maker of a public commitment."""
    public = public_commitments()
    approved = Application.objects.approved().filter(programme__is_published=True)
    co_making = CoMaker.objects.filter(confirmed_at__isnull=False, commitment__in=public)
    return Organisation.objects.filter(
        Q(pk__in=approved.values("organisation_id"))
        | Q(pk__in=public.values("organisation_id"))
        | Q(pk__in=co_making.values("organisation_id"))
    )


# The list's filters narrow lists only: an object's own address always shows it.  (A comment:
# drf-spectacular would inherit a docstring as the description of every view.)
class DetailIgnoresFilters:
    action: str

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)  # type: ignore[misc]


# Programmes and themes -------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Published programmes", description="Newest first."),
    retrieve=extend_schema(
        summary="One published programme",
        responses={200: serializers.ProgrammeSerializer, 404: _not_found("Programme")},
    ),
)
@extend_schema(tags=["programmes"])
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes with their public settings and themes."""

    serializer_class = serializers.ProgrammeSerializer
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Programme]:
        return (
            published_programmes()
            .prefetch_related("commitment_types", "themes")
            .order_by(F("starts_on").desc(nulls_last=True), "name", "id")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Themes of published programmes",
        parameters=[
            OpenApiParameter(
                "programme",
                str,
                description="Only the themes of this programme (its slug).",
            )
        ],
        responses={200: serializers.ThemeSerializer(many=True), 400: INVALID_FILTER},
    ),
    retrieve=extend_schema(
        summary="One theme, with its blueprint actions and SDGs",
        responses={200: serializers.ThemeDetailSerializer, 404: _not_found("Theme")},
    ),
)
@extend_schema(tags=["themes"])
class ThemeViewSet(DetailIgnoresFilters, viewsets.ReadOnlyModelViewSet):
    """Thematic areas of published programmes (action coalitions, compact areas, segments)."""

    filterset_class = ThemeFilter

    def get_queryset(self) -> QuerySet[Theme]:
        queryset = (
            Theme.objects.filter(programme__is_published=True)
            .select_related("programme")
            .prefetch_related("goals")
            .order_by("programme__slug", "position", "name", "id")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("actions")
        return queryset

    def get_serializer_class(self) -> type[serializers.ThemeSerializer]:
        if self.action == "retrieve":
            return serializers.ThemeDetailSerializer
        return serializers.ThemeSerializer


# Organisations ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Organisations taking part",
        description=(
            "Organisations approved in a theme of a published programme, or leading or "
            "co-making a public commitment.  Ordered by name."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Every word must occur in the name.",
                examples=_example("Name", "women fund"),
            ),
            OpenApiParameter(
                "category",
                str,
                enum=Category.values,
                description="Stakeholder category.",
                examples=_example("Civil society", Category.CIVIL_SOCIETY.value),
            ),
            OpenApiParameter(
                "country",
                str,
                description="Country of headquarters: ISO 3166-1 alpha-2 code, upper case.",
                examples=_example("Kenya", "KE"),
            ),
            OpenApiParameter(
                "region",
                str,
                description="UN M49 code of the region or sub-region of the headquarters.",
                examples=_example("Africa", "002"),
            ),
        ],
        responses={200: serializers.OrganisationSerializer(many=True), 400: INVALID_FILTER},
    ),
    retrieve=extend_schema(
        summary="One organisation, with its memberships",
        responses={200: serializers.OrganisationDetailSerializer, 404: _not_found("Organisation")},
    ),
)
@extend_schema(tags=["organisations"])
class OrganisationViewSet(DetailIgnoresFilters, viewsets.ReadOnlyModelViewSet):
    """Organisations taking part, by name, category and country; never their people."""

    filterset_class = OrganisationFilter
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Organisation]:
        queryset = public_organisations().select_related("country").order_by("name", "id")
        if self.action == "retrieve":
            memberships = (
                Application.objects.approved()
                .filter(programme__is_published=True)
                .select_related("programme", "theme__programme")
                .order_by("programme__slug", "theme__position", "theme__name", "id")
            )
            queryset = queryset.prefetch_related(
                Prefetch("applications", queryset=memberships, to_attr="public_memberships")
            )
        return queryset

    def get_serializer_class(self) -> type[serializers.OrganisationSerializer]:
        if self.action == "retrieve":
            return serializers.OrganisationDetailSerializer
        return serializers.OrganisationSerializer


# Commitments ------------------------------------------------------------------------------

COMMITMENT_FILTERS = [
    OpenApiParameter(
        "q",
        str,
        description=(
            "Full-text search in title and description: every word must match, as a prefix "
            "(“fin” finds “financing”)."
        ),
        examples=_example("Words", "digital skills"),
    ),
    OpenApiParameter(
        "programme",
        str,
        description="Programme slug.",
        examples=_example("Programme", "generation-equality-forum-2021"),
    ),
    OpenApiParameter(
        "theme", int, description="Theme id (see /api/v1/themes/).", examples=_example("Theme", 1)
    ),
    OpenApiParameter(
        "type",
        str,
        description="Commitment type code: financial, advocacy, policy or programmatic.",
        examples=_example("Financial", "financial"),
    ),
    OpenApiParameter(
        "category",
        str,
        enum=Category.values,
        description="Stakeholder category of the lead organisation.",
        examples=_example("Private sector", Category.PRIVATE_SECTOR.value),
    ),
    OpenApiParameter(
        "country",
        str,
        description="A country the commitment names: ISO 3166-1 alpha-2 code, upper case.",
        examples=_example("Kenya", "KE"),
    ),
    OpenApiParameter(
        "region",
        str,
        description=(
            "UN M49 code of a region or sub-region: commitments naming it, or naming a "
            "country in it."
        ),
        examples=_example("Africa", "002"),
    ),
    OpenApiParameter(
        "sdg",
        int,
        enum=list(range(1, 18)),
        description="Number of a Sustainable Development Goal the commitment names.",
        examples=_example("Gender equality", 5),
    ),
    OpenApiParameter(
        "status",
        str,
        enum=[s.value for s in Commitment.PUBLIC_STATUSES],
        description="confirmed or featured.",
        examples=_example("Featured", "featured"),
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Public commitments",
        description=(
            "Confirmed and featured commitments of published programmes, newest submission "
            "first, 50 a page.  The filters are the directory's: the same query string gives "
            "the same rows on the directory page and in the CSV export."
        ),
        parameters=COMMITMENT_FILTERS,
        responses={200: serializers.CommitmentSerializer(many=True), 400: INVALID_FILTER},
    ),
    retrieve=extend_schema(
        summary="One public commitment",
        responses={200: serializers.CommitmentSerializer, 404: _not_found("Commitment")},
    ),
)
@extend_schema(tags=["commitments"])
class CommitmentViewSet(DetailIgnoresFilters, viewsets.ReadOnlyModelViewSet):
    """Public commitments, each with its assessment against the five criteria."""

    serializer_class = serializers.CommitmentSerializer
    filterset_class = CommitmentFilter

    def get_queryset(self) -> QuerySet[Commitment]:
        return with_relations(public_commitments()).order_by(*ORDERING)


# Exports ----------------------------------------------------------------------------------


class _FirstRenderer(BaseContentNegotiation):
    """Always answer errors in JSON, whatever ``Accept`` says (a CSV client sends
    ``Accept: text/csv``, which the JSON renderer alone would refuse with 406)."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


def _exporter_data(cls: type[exports.BaseExporter]) -> dict[str, str]:
    return {
        "identifier": cls.identifier,
        "verbose_name": str(cls.verbose_name),
        "subject": cls.subject,
        "content_type": cls.content_type,
        "url": public_url(reverse("api:export", kwargs={"identifier": cls.identifier})),
    }


@extend_schema(
    tags=["exports"],
    summary="Registered exports",
    responses={200: serializers.ExporterSerializer(many=True)},
)
class ExportIndexView(APIView):
    def get(self, request: Request) -> Response:
        exporters = sorted(exports.all_exporters(), key=lambda cls: cls.identifier)
        return Response([_exporter_data(cls) for cls in exporters])


@extend_schema(
    tags=["exports"],
    summary="Download an export",
    description=(
        "Streams the export as a file attachment.  Takes the filters of the export's subject "
        "(for commitments-csv, those of /api/v1/commitments/)."
    ),
    parameters=[
        OpenApiParameter(
            "identifier",
            str,
            OpenApiParameter.PATH,
            description="Identifier of a registered export (see /api/v1/exports/).",
            examples=_example("Commitments as CSV", "commitments-csv"),
        ),
        *COMMITMENT_FILTERS,
    ],
    responses={
        (200, "text/csv"): OpenApiResponse(
            response=OpenApiTypes.BINARY, description="The file, streamed."
        ),
        400: INVALID_FILTER,
        404: OpenApiResponse(response=OpenApiTypes.OBJECT, description="No such export."),
    },
)
class ExportView(APIView):
    content_negotiation_class = _FirstRenderer

    def get(self, request: Request, identifier: str) -> StreamingHttpResponse:
        exporter_class = exports.get(identifier)
        if exporter_class is None:
            raise NotFound(f"No export {identifier!r}.")
        exporter = exporter_class()
        try:
            rows = exporter.queryset(request.query_params)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        day = timezone.localdate().isoformat()
        filename = f"pledgebook-{identifier}-{day}.{exporter.extension}"
        response = StreamingHttpResponse(exporter.render(rows), content_type=exporter.content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
