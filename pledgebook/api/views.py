"""The public, read-only JSON API (v1): programmes, themes, organisations, commitments and the
registered exports.  Anyone may read it; only what the public pages show is here.

Commitments are filtered by the directory's own FilterSet
(``portal.filters.PortalCommitmentFilter``: the directory's filters and the status light), so one
query string gives the same rows in the directory, in this API and in the CSV export.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
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
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pledgebook.api import serializers
from pledgebook.api.filters import INVALID_FILTER, OrganisationFilter, ThemeFilter, refuse_malformed
from pledgebook.coalitions.filters import CoalitionFilter, public_coalitions
from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.commitments.exports import ORDERING, with_relations
from pledgebook.commitments.filters import public_commitments
from pledgebook.commitments.models import Application, CoMaker, Commitment
from pledgebook.core import exports
from pledgebook.core.pagination import OnePassPaginator
from pledgebook.core.site import absolute_url
from pledgebook.organisations.models import Category, Organisation
from pledgebook.portal.filters import PortalCommitmentFilter
from pledgebook.programmes.models import Programme, Theme
from pledgebook.registry import records
from pledgebook.reporting.figures import status_lights
from pledgebook.reporting.progress import latest_submitted


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
        examples=_example("Programme", "generation-equality-2021"),
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
    filterset_class = PortalCommitmentFilter

    def get_queryset(self) -> QuerySet[Commitment]:
        if self.action == "progress":
            return public_commitments()
        return (
            with_relations(public_commitments())
            # An imported commitment is assessed with its record's milestones and partners.
            .select_related("provenance")
            .order_by(*ORDERING)
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "progress":
            return queryset
        return super().filter_queryset(queryset)

    def paginate_queryset(self, queryset: Any) -> Any:
        # Counted and paged in one query, the page's 50 rows then read with their relations
        # (``core.pagination.OnePassPaginator``); the status lights of the whole page in two
        # queries, for the serializer.
        if self.paginator is not None:
            paginator = partial(OnePassPaginator, rows=self.get_queryset())
            self.paginator.django_paginator_class = paginator  # type: ignore[attr-defined]
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.status_lights = status_lights(page)
            records.read_records(page)
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["status_lights"] = getattr(self, "status_lights", None)
        return context

    @extend_schema(
        summary="Progress reports of one public commitment",
        description=(
            "The latest submitted version of the commitment's progress report in each "
            "reporting cycle, newest cycle first: implementation status, indicator values "
            "and money disbursed.  A correction replaces the version shown."
        ),
        responses={
            200: serializers.CommitmentProgressSerializer,
            404: _not_found("Commitment"),
        },
    )
    @action(detail=True, methods=["get"], url_path="progress")
    def progress(self, request: Request, pk: str | None = None) -> Response:
        commitment = self.get_object()
        data = {
            "commitment": commitment.pk,
            "status_light": status_lights([commitment])[commitment.pk],
            "reports": latest_submitted(commitment.pk),
        }
        return Response(serializers.CommitmentProgressSerializer(data).data)


# Coalitions ------------------------------------------------------------------------------

COALITION_FILTERS = [
    OpenApiParameter(
        "q",
        str,
        description=("Full-text search in name and summary: every word must match, as a prefix."),
        examples=_example("Words", "plastic ocean"),
    ),
    OpenApiParameter(
        "semantic",
        str,
        description=(
            "Describe what you look for, in any language: the coalitions nearest in meaning, "
            "best first (at most 50), after the other filters.  Only close matches are "
            "returned: a description close to no coalition returns an empty list."
        ),
        examples=_example("Description", "plastic pollution in small island states"),
    ),
    OpenApiParameter("programme", str, description="Programme slug."),
    OpenApiParameter("theme", int, description="Theme id (see /api/v1/themes/)."),
    OpenApiParameter(
        "sdg",
        int,
        enum=list(range(1, 18)),
        description="Number of a Sustainable Development Goal the coalition names.",
        examples=_example("Climate action", 13),
    ),
    OpenApiParameter(
        "region",
        str,
        description=(
            "UN M49 code of a region, sub-region or intermediate region: coalitions with an "
            "active member based there."
        ),
        examples=_example("Oceania", "009"),
    ),
    OpenApiParameter(
        "category",
        str,
        enum=Category.values,
        description="Stakeholder category of an active member.",
        examples=_example("Civil society", Category.CIVIL_SOCIETY.value),
    ),
    OpenApiParameter(
        "state",
        str,
        enum=[s.value for s in Coalition.PUBLIC_STATES],
        description="accepted, active or closed.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Coalitions of the network",
        description=(
            "Public coalitions (accepted, active, closed) of every published programme that "
            "shares the network, by name (or by closeness to ``semantic``), 50 a page.  The "
            "filters are those of the directory page /coalitions/."
        ),
        parameters=COALITION_FILTERS,
        responses={200: serializers.CoalitionSerializer(many=True), 400: INVALID_FILTER},
    ),
    retrieve=extend_schema(
        summary="One public coalition, with principles, asks, members and work plan",
        responses={200: serializers.CoalitionDetailSerializer, 404: _not_found("Coalition")},
    ),
)
@extend_schema(tags=["coalitions"])
class CoalitionViewSet(DetailIgnoresFilters, viewsets.ReadOnlyModelViewSet):
    """Coalitions: principles, asks, members (organisations, never people) and work plans."""

    filterset_class = CoalitionFilter
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Coalition]:
        queryset = Coalition.objects.public() if self.action == "retrieve" else public_coalitions()
        queryset = queryset.select_related("programme").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")), "goals"
        )
        if self.action == "retrieve":
            members = Membership.objects.filter(status=Membership.Status.ACTIVE).select_related(
                "organisation"
            )
            queryset = queryset.prefetch_related(
                "principles",
                "asks",
                "milestones",
                Prefetch("memberships", queryset=members, to_attr="active_members"),
            )
        return queryset

    def get_serializer_class(self) -> type[serializers.CoalitionSerializer]:
        if self.action == "retrieve":
            return serializers.CoalitionDetailSerializer
        return serializers.CoalitionSerializer


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


def _programme(request: Request) -> Programme | None:
    """The programme named by ``?programme=<slug>``, whose people may have its private exports."""
    slug = request.query_params.get("programme")
    return Programme.objects.filter(slug=slug).first() if isinstance(slug, str) else None


def _exporter_data(cls: type[exports.BaseExporter]) -> dict[str, str]:
    return {
        "identifier": cls.identifier,
        "verbose_name": str(cls.verbose_name),
        "subject": cls.subject,
        "content_type": cls.content_type,
        "url": absolute_url(reverse("api:export", kwargs={"identifier": cls.identifier})),
    }


@extend_schema(
    tags=["exports"],
    summary="Registered exports",
    responses={200: serializers.ExporterSerializer(many=True)},
)
class ExportIndexView(APIView):
    # The rest of the API authenticates no one (its data is public); exports know the person
    # signed in on the site, for those the registry keeps to some (``is_available_to``).
    authentication_classes = [SessionAuthentication]

    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            [_exporter_data(cls) for cls in exports.available(user, _programme(request))]
        )


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
    authentication_classes = [SessionAuthentication]  # as ExportIndexView
    content_negotiation_class = _FirstRenderer
    # The filters the commitment exports take (for the OpenAPI document: api/schema.py).
    filterset_class = PortalCommitmentFilter

    def get(self, request: Request, identifier: str) -> StreamingHttpResponse:
        programme = _programme(request)
        exporter_class = exports.get_available(identifier, request.user, programme)
        if exporter_class is None:  # unknown, or private and not theirs: nothing is produced
            raise NotFound(f"No export {identifier!r}.")
        exporter = exporter_class()
        refuse_malformed(request.query_params, self.filterset_class)
        try:
            rows = exporter.served(request.query_params, programme)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        day = timezone.localdate().isoformat()
        filename = f"pledgebook-{identifier}-{day}.{exporter.extension}"
        response = StreamingHttpResponse(exporter.render(rows), content_type=exporter.content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
