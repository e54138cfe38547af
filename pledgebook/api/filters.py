"""Filters of the API's own lists.  Commitments use the directory's
:class:`pledgebook.commitments.filters.CommitmentFilter` unchanged."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Country, Region

# The OpenAPI description of the 400 answer to a malformed filter, for every list endpoint.
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

MAX_TERMS = 12


class ThemeFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme slug"),
        queryset=Programme.objects.filter(is_published=True),
        to_field_name="slug",
    )

    class Meta:
        model = Theme
        fields = ["programme"]


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words in the name"), method="filter_q")
    category = django_filters.ChoiceFilter(
        label=_("Stakeholder category"), choices=Category.choices
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country of headquarters (ISO 3166-1 alpha-2)"), queryset=Country.objects.all()
    )
    region = django_filters.ModelChoiceFilter(
        label=_("UN M49 region or sub-region of the country of headquarters"),
        queryset=Region.objects.all(),
        method="filter_region",
    )

    class Meta:
        model = Organisation
        fields = ["q", "category", "country", "region"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must occur in the name (case-insensitive)."""
        for word in value.split()[:MAX_TERMS]:
            queryset = queryset.filter(name__icontains=word)
        return queryset

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(Q(country__region=value) | Q(country__sub_region=value))


def refuse_malformed(params: Any, filterset_class: type[django_filters.FilterSet]) -> None:
    """An API client that sends ``?category=`` or ``?sdg=5&sdg=13`` meant something the API
    would otherwise quietly ignore (all categories; only the last goal): say so instead.  (The
    directory's HTML form leaves its empty fields out of every link it makes.)"""
    errors: dict[str, list[Any]] = {}
    for name in filterset_class.base_filters:
        values = params.getlist(name)
        if len(values) > 1:
            errors[name] = [_("This parameter is given more than once: give it once.")]
        elif values and values[0].strip() == "":
            errors[name] = [_("This parameter is empty: give a value or leave it out.")]
    if errors:
        raise ValidationError(errors)


class StrictFilterBackend(DjangoFilterBackend):
    """The directory's filters, refusing empty and repeated values."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            refuse_malformed(request.query_params, filterset_class)
        return super().filter_queryset(request, queryset, view)


class StrictPageNumberPagination(PageNumberPagination):
    """Pages are numbered from 1, given once: anything else is the documented 404 "Invalid
    page." (DRF would read ``?page=`` as page 1 and ``?page=2&page=x`` as page x)."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        values = request.query_params.getlist(self.page_query_param)
        if values and (len(values) > 1 or not values[0].isascii() or not values[0].isdigit()):
            raise NotFound(self.invalid_page_message.format(page_number=values[0], message=""))
        return super().paginate_queryset(queryset, request, view)
