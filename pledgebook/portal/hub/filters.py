"""The knowledge hub's filters: one FilterSet for the public page (``/knowledge/``) and the API
(``/api/v1/case-studies/``), so one query string gives the same rows in both.

Many-to-many filters use ``pk__in`` subqueries (no ``DISTINCT``, no duplicate rows); the search
by meaning runs last, over the rows every other filter kept (:meth:`filter_queryset`)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.organisations.models import grouped_choices
from pledgebook.portal.hub import search
from pledgebook.portal.models import CaseStudy, CaseStudyCategory
from pledgebook.programmes.models import Programme
from pledgebook.reference.models import Country, Goal, Region


def public_case_studies() -> QuerySet[CaseStudy]:
    """What anyone may read: published case studies of published programmes."""
    return CaseStudy.objects.published()


class CaseStudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words"), method="filter_q")
    semantic = django_filters.CharFilter(
        label=_("Describe what you look for"), method="filter_semantic"
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_published=True),
        to_field_name="slug",
    )
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG"), queryset=Goal.objects.all(), method="filter_sdg"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.all(), method="filter_region"
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), queryset=Country.objects.all(), method="filter_country"
    )
    category = django_filters.ChoiceFilter(
        label=_("Stakeholder category involved"),
        choices=grouped_choices(),
        method="filter_category",
    )

    class Meta:
        model = CaseStudy
        fields = ["q", "semantic", "programme", "sdg", "region", "country", "category"]

    #: After filtering with ``semantic``: how many rows were found by words for want of a
    #: vector, and how many candidates had none (``search.Semantic``); else None.
    semantic_result: search.Semantic | None = None

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Every filter but ``semantic`` first; then rank what they kept by meaning."""
        for name, value in self.form.cleaned_data.items():
            if name == "semantic":
                continue
            queryset = self.filters[name].filter(queryset, value)
        text = (self.form.cleaned_data.get("semantic") or "").strip()
        if not text:
            return queryset
        self.semantic_result = search.semantic(queryset, text)
        return self.semantic_result.rows

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.search(queryset, value)

    def filter_semantic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, in filter_queryset

    def filter_sdg(self, queryset: QuerySet, name: str, value: Goal) -> QuerySet:
        ids = CaseStudy.goals.through.objects.filter(goal=value).values("casestudy_id")
        return queryset.filter(pk__in=ids)

    def filter_country(self, queryset: QuerySet, name: str, value: Country) -> QuerySet:
        ids = CaseStudy.countries.through.objects.filter(country=value).values("casestudy_id")
        return queryset.filter(pk__in=ids)

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        """Case studies in a country of the region (at any of M49's three levels), or naming
        the region or one of its sub-regions."""
        in_countries = CaseStudy.countries.through.objects.filter(
            Q(country__region=value)
            | Q(country__sub_region=value)
            | Q(country__intermediate_region=value)
        )
        naming = CaseStudy.regions.through.objects.filter(
            Q(region=value) | Q(region__parent=value) | Q(region__parent__parent=value)
        )
        return queryset.filter(
            Q(pk__in=in_countries.values("casestudy_id")) | Q(pk__in=naming.values("casestudy_id"))
        )

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ids = CaseStudyCategory.objects.filter(category=value).values("case_study_id")
        return queryset.filter(pk__in=ids)
