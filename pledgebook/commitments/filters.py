"""The commitment directory's filters: one FilterSet for the public directory, the API and the
CSV export, so that the same query string gives the same rows everywhere.

Many-to-many filters use ``pk__in`` or ``EXISTS`` subqueries, so no ``DISTINCT`` and no
duplicate rows.
"""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments import search
from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import grouped_choices
from pledgebook.programmes.models import CommitmentType, Programme, Theme
from pledgebook.reference.models import Country, Goal, Region


def _through(field: str) -> Any:
    return getattr(Commitment, field).through.objects


def _linked(field: str, **lookup: Any) -> Exists:
    """A row of the many-to-many table ``field`` links the commitment to ``lookup``."""
    return Exists(_through(field).filter(commitment_id=OuterRef("pk"), **lookup))


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_published=True),
        to_field_name="slug",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.filter(programme__is_published=True).select_related("programme"),
        method="filter_theme",
    )
    type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=CommitmentType.objects.all(), method="filter_type"
    )
    category = django_filters.ChoiceFilter(
        label=_("Stakeholder category"),
        choices=grouped_choices(),
        field_name="organisation__category",
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), queryset=Country.objects.all(), method="filter_country"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.all(), method="filter_region"
    )
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG"), queryset=Goal.objects.all(), method="filter_sdg"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Commitment.PUBLIC_STATUSES],
    )

    class Meta:
        model = Commitment
        fields = [
            "q",
            "programme",
            "theme",
            "type",
            "category",
            "country",
            "region",
            "sdg",
            "status",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.search(queryset, value)

    # The type, theme, goal and country filters read the commitment's facets on PostgreSQL
    # (search.facet: combined with the text match in the indexes).  Elsewhere the link tables:
    # filters with few distinct values (themes, 4 types, 17 goals) as a correlated EXISTS, so
    # the database starts from the selective part (the text match, the country); the country
    # as an id list.  See docs/BENCHMARKS.md.
    def filter_theme(self, queryset: QuerySet, name: str, value: Theme) -> QuerySet:
        return search.facet(queryset, "theme", value.pk, _linked("themes", theme=value))

    def filter_type(self, queryset: QuerySet, name: str, value: CommitmentType) -> QuerySet:
        return search.facet(queryset, "type", value.pk, _linked("types", commitmenttype=value))

    def filter_country(self, queryset: QuerySet, name: str, value: Country) -> QuerySet:
        ids = _through("countries").filter(country=value).values("commitment_id")
        return search.facet(queryset, "country", value.pk, Q(pk__in=ids))

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        """Commitments in a country of the region (at any of M49's three levels: region,
        sub-region, intermediate region), or naming the region or one of its sub-regions."""
        in_countries = _through("countries").filter(
            Q(country__region=value)
            | Q(country__sub_region=value)
            | Q(country__intermediate_region=value)
        )
        naming = _through("regions").filter(
            Q(region=value) | Q(region__parent=value) | Q(region__parent__parent=value)
        )
        return queryset.filter(
            Q(pk__in=in_countries.values("commitment_id"))
            | Q(pk__in=naming.values("commitment_id"))
        )

    def filter_sdg(self, queryset: QuerySet, name: str, value: Goal) -> QuerySet:
        return search.facet(queryset, "goal", value.pk, _linked("goals", goal=value))


def public_commitments() -> QuerySet:
    """The rows anyone may see: confirmed or featured, in a published programme."""
    return Commitment.objects.public().filter(programme__is_published=True)


# The directory's FilterSet: this one, or the subclass an upper app names in its
# ``AppConfig.ready`` (the portal adds the status light of the reports, which this app cannot
# read), so that the page, the API and the CSV export read one query string alike.
_directory_filter: list[type[CommitmentFilter]] = []


def set_directory_filter(filterset: type[CommitmentFilter]) -> None:
    _directory_filter[:] = [filterset]


def directory_filter() -> type[CommitmentFilter]:
    return _directory_filter[0] if _directory_filter else CommitmentFilter
