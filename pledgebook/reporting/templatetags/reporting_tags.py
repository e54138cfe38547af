"""Template helpers of reporting: the status light badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: Short label and meaning of each status light (``figures.status_lights``).
LIGHT_BADGES: dict[str, tuple[Any, Any]] = {
    "reported": (
        _("Reported"),
        _("A progress report was submitted in the current reporting cycle."),
    ),
    "due": (
        _("Report due"),
        _("The current reporting cycle is open and its deadline has not passed yet."),
    ),
    "late": (
        _("Late"),
        _("The deadline of the current reporting cycle passed without a progress report."),
    ),
    "inactive": (
        _("Inactive"),
        _("No progress report in the two latest reporting cycles."),
    ),
    "none": (
        _("No reporting yet"),
        _("The programme has not started a reporting cycle yet."),
    ),
}


@register.inclusion_tag("reporting/_light.html")
def status_light(key: str | None) -> dict[str, Any]:
    label, meaning = LIGHT_BADGES.get(key or "none", LIGHT_BADGES["none"])
    return {"key": key or "none", "label": label, "meaning": meaning}


@register.simple_tag
def url_for_entry(entry: Any, name: str, pk: int | None = None) -> str:
    """The address of page ``name`` of a reporting entry (personal link or workspace):
    ``{% url_for_entry entry "report" commitment.pk %}``."""
    if pk is None:
        return str(entry.url(name))
    key = "evidence" if name == "evidence" else "commitment"
    return str(entry.url(name, **{key: pk}))
