"""``{% indexing_status programme %}``: the programme's indexing progress, on any console page
(console/views/indexing.py polls it)."""

from typing import Any

from django import template

from pledgebook.console.views.indexing import context

register = template.Library()


@register.inclusion_tag("console/_indexing_status.html")
def indexing_status(programme: Any) -> dict[str, Any]:
    return context(programme)
