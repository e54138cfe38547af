"""The published consultations of a programme, for its public page: those open now (with a
link to their form) and those closed (with a link to their results)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from pledgebook.forum.models import Consultation

register = template.Library()


@register.inclusion_tag("public/forum/_programme_consultations.html")
def programme_consultations(programme: Any) -> dict[str, Any]:
    now = timezone.now()
    published = Consultation.objects.filter(programme=programme, is_published=True).select_related(
        "theme"
    )
    return {
        "programme": programme,
        "open": [c for c in published if c.opens_at <= now < c.closes_at],
        "closed": [c for c in published if c.closes_at <= now],
    }
