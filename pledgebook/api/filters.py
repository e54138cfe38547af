"""Filters of the API's own lists.  Commitments use the directory's
:class:`pledgebook.commitments.filters.CommitmentFilter` unchanged."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Country, Region

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
