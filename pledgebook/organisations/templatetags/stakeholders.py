"""Template filters for stakeholder categories: show labels, never codes."""

from __future__ import annotations

from typing import Any

from django import template

from pledgebook.organisations import entity_types
from pledgebook.organisations.models import category_label as _category_label

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    """``{{ code|category_label }}``: the label of a stakeholder category code."""
    return _category_label(code) if code else ""


@register.filter
def entity_type_note(code: str) -> str:
    """The text of a note of the mapping table (``entity_types.NOTES``)."""
    return str(entity_types.NOTES[code]) if code in entity_types.NOTES else ""


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``{{ mapping|get_item:key }}``; the key itself when the mapping lacks it."""
    return mapping.get(key, key) if mapping else key
