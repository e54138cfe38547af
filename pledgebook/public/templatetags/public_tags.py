"""Template helpers of the public pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pledgebook.commitments.models import GeographicScope

register = template.Library()


@register.simple_tag
def geography(commitment: Any) -> str:
    """Where a commitment acts, in one line of a table: its countries, then its regions
    ("Nepal, India; Southern Asia"), or "Global" / "Not stated" when it names neither.

    Reads the row's ``labels`` (``commitments.rows.labelled``); the text is escaped by the
    template engine."""
    labels = commitment.labels
    places = [", ".join(labels.countries), ", ".join(labels.regions)]
    if any(places):
        return "; ".join(p for p in places if p)
    return _("Global") if commitment.scope == GeographicScope.GLOBAL else _("Not stated")
