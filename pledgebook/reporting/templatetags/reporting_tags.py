"""Template helpers of reporting: the status light badge, exchange rates."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
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
        _("The reporting cycle is open and the report is not due yet."),
    ),
    "late": (
        _("Late"),
        _("The report of the current reporting cycle is due and has not been submitted."),
    ),
    "inactive": (
        _("Inactive"),
        _("No progress report in the two latest reporting cycles it was expected in."),
    ),
    "none": (
        _("No reporting yet"),
        _("No reporting cycle has asked this commitment for a report yet."),
    ),
}


@register.simple_tag
def status_light(key: str | None) -> SafeString:
    """The badge of a status light, its meaning in a tooltip and for screen readers.  Written
    once per light and language, not through a template: a directory page shows 25."""
    return _badge(key if key in LIGHT_BADGES else "none", get_language())


@functools.lru_cache(maxsize=64)
def _badge(key: str, language: str | None) -> SafeString:
    label, meaning = LIGHT_BADGES[key]
    return format_html(
        '<span class="badge light light-{}" title="{}">{}'
        '<span class="visually-hidden"> — {}</span></span>',
        key,
        meaning,
        label,
        meaning,
    )


@register.simple_tag
def url_for_entry(entry: Any, name: str, pk: int | None = None) -> str:
    """The address of page ``name`` of a reporting entry (personal link or workspace):
    ``{% url_for_entry entry "report" commitment.pk %}``."""
    if pk is None:
        return str(entry.url(name))
    key = "evidence" if name == "evidence" else "commitment"
    return str(entry.url(name, **{key: pk}))


@register.filter
def exchange_rate(value: Any) -> str:
    """An exchange rate with the decimals it has (at least two), grouped: 129.50, 0.918."""
    from decimal import Decimal

    from pledgebook.reporting.documents import rate_number

    return rate_number(Decimal(value)) if value is not None else ""
