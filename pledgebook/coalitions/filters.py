"""The coalition directory's filters: one FilterSet for the network directory
(``/coalitions/``) and the API (``/api/v1/coalitions/``), so one query string gives the same
rows in both.

Many-to-many filters use ``pk__in`` subqueries, so no ``DISTINCT`` and no duplicate rows.
Semantic search runs last, over the rows every other filter kept (see :meth:`filter_queryset`).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pledgebook.coalitions import search
from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.organisations.models import Category, grouped_choices
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Goal, Region


def public_coalitions() -> QuerySet[Coalition]:
    """The network directory: public coalitions (accepted, active, closed) of published
    programmes that share the network."""
    return Coalition.objects.public().in_network()


def active_members() -> QuerySet[Membership]:
    """Memberships the public pages show: active members of a coalition."""
    return Membership.objects.filter(coalition__isnull=False, status=Membership.Status.ACTIVE)


def region_q(region: Region, prefix: str) -> Q:
    """A country (at ``prefix``) in the region, at any of M49's three levels."""
    return (
        Q(**{f"{prefix}__region": region})
        | Q(**{f"{prefix}__sub_region": region})
        | Q(**{f"{prefix}__intermediate_region": region})
    )


class CoalitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words"), method="filter_q")
    semantic = django_filters.CharFilter(
        label=_("Describe what you look for"), method="filter_semantic"
    )
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
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG"), queryset=Goal.objects.all(), method="filter_sdg"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region of a member"), queryset=Region.objects.all(), method="filter_region"
    )
    category = django_filters.ChoiceFilter(
        label=_("Stakeholder category of a member"),
        choices=grouped_choices(),
        method="filter_category",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(s.value, s.label) for s in Coalition.PUBLIC_STATES],
    )

    class Meta:
        model = Coalition
        fields = ["q", "semantic", "programme", "theme", "sdg", "region", "category", "state"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Every filter but ``semantic`` first; then rank what they kept by meaning."""
        for name, value in self.form.cleaned_data.items():
            if name == "semantic":
                continue
            queryset = self.filters[name].filter(queryset, value)
        return search.semantic(queryset, self.form.cleaned_data.get("semantic") or "")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.search(queryset, value)

    def filter_semantic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, in filter_queryset

    def filter_theme(self, queryset: QuerySet, name: str, value: Theme) -> QuerySet:
        ids = Coalition.themes.through.objects.filter(theme=value).values("coalition_id")
        return queryset.filter(pk__in=ids)

    def filter_sdg(self, queryset: QuerySet, name: str, value: Goal) -> QuerySet:
        ids = Coalition.goals.through.objects.filter(goal=value).values("coalition_id")
        return queryset.filter(pk__in=ids)

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        members = active_members().filter(
            region_q(value, "organisation__country") | region_q(value, "invited_country")
        )
        return queryset.filter(pk__in=members.values("coalition_id"))

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        members = active_members().filter(
            Q(organisation__category=value) | Q(organisation__isnull=True, invited_category=value)
        )
        return queryset.filter(pk__in=members.values("coalition_id"))


def _counted(qs: QuerySet, value: str, label: str, count: str) -> list[dict[str, Any]]:
    counted = qs.order_by().values(value, label).annotate(n=Count(count, distinct=True))
    out = [
        {"value": r[value], "label": str(r[label]), "count": r["n"]}
        for r in counted
        if r[value] not in (None, "")
    ]
    return sorted(out, key=lambda r: (-r["count"], r["label"]))


def facet_counts(queryset: QuerySet[Coalition]) -> dict[str, list[dict[str, Any]]]:
    """Counts of the coalitions in ``queryset`` by programme, theme, SDG, region (M49 top
    level, of any active member), stakeholder category (of any active member) and state: one
    query per facet, whatever the number of rows.  Each entry: ``value`` (the filter's query
    value), ``label`` and ``count``; sorted by count, then label."""
    ids = queryset.order_by().values("pk")
    coalitions = Coalition.objects.filter(pk__in=ids)
    members = active_members().filter(coalition_id__in=ids)
    categories = _counted(
        members.annotate(cat=Coalesce("organisation__category", "invited_category")),
        "cat",
        "cat",
        "coalition_id",
    )
    category_labels = dict(Category.choices)
    for r in categories:
        r["label"] = str(category_labels.get(r["value"], r["value"]))
    states = _counted(coalitions, "state", "state", "pk")
    state_labels = dict(Coalition.State.choices)
    for r in states:
        r["label"] = str(state_labels.get(r["value"], r["value"]))
    return {
        "programme": _counted(coalitions, "programme__slug", "programme__name", "pk"),
        "theme": _counted(
            Coalition.themes.through.objects.filter(coalition_id__in=ids),
            "theme_id",
            "theme__name",
            "coalition_id",
        ),
        "sdg": _counted(
            Coalition.goals.through.objects.filter(coalition_id__in=ids),
            "goal_id",
            "goal__title",
            "coalition_id",
        ),
        "region": _counted(
            members.annotate(
                region_code=Coalesce("organisation__country__region", "invited_country__region"),
                region_label=Coalesce(
                    "organisation__country__region__name", "invited_country__region__name"
                ),
            ),
            "region_code",
            "region_label",
            "coalition_id",
        ),
        "category": categories,
        "state": states,
    }
