"""The directory's FilterSet with the status light: ``commitments`` cannot read the lights'
facts (they live here, above it), so the portal extends ``CommitmentFilter`` with ``light`` and
the public directory, the map and the dashboard all use this one class: the same query string
gives the same commitments on each (``tests/portal/test_facts_property.py``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments.filters import CommitmentFilter
from pledgebook.portal.models import CommitmentFact
from pledgebook.reporting.figures import LIGHTS

#: The filters the map and the dashboard offer (free text and region are the directory's).
MAP_FILTERS = ("programme", "theme", "sdg", "type", "category", "light")


class PortalCommitmentFilter(CommitmentFilter):
    light = django_filters.ChoiceFilter(
        label=_("Status light"), choices=list(LIGHTS.items()), method="filter_light"
    )

    class Meta(CommitmentFilter.Meta):
        fields = [*CommitmentFilter.Meta.fields, "light"]

    def filter_light(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The light as the facts hold it (refreshed on every change and when a deadline
        passes: ``portal.facts``)."""
        ids = CommitmentFact.objects.filter(light=value).values("commitment_id")
        return queryset.filter(pk__in=ids)


def map_params(data: Any) -> dict[str, str]:
    """The map's filters of a query string, without empty values."""
    return {k: data.get(k) for k in MAP_FILTERS if data.get(k)}


def cleaned(params: Any) -> dict[str, Any]:
    """The map's filters of ``params``, validated by the portal's FilterSet; raises
    ``ValidationError`` (errors by parameter name) for an invalid one."""
    from django.core.exceptions import ValidationError

    from pledgebook.commitments.filters import public_commitments

    filterset = PortalCommitmentFilter(map_params(params), queryset=public_commitments())
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
