"""The "similar commitments" panel of the commitment form: while a maker writes, the form's
title and description are posted here (HTMX, a moment after the typing stops) and the
commitments of the network closest to them come back, each with its score and reasons, so that
an initiative registered already is seen before it is registered again.  Nothing is saved or
indexed; each request embeds a text, so it is limited per user."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from pledgebook.commitments.duplicates import similar_to_draft
from pledgebook.workspace.views import commitment_form_context

logger = logging.getLogger(__name__)

TEMPLATE = "workspace/_similar_commitments.html"


def _throttled(request: HttpRequest) -> bool:
    """SIMILAR_DRAFT_RATE (default 30 a minute) per user; fails open when the cache is down."""
    try:
        return bool(
            is_ratelimited(
                request,
                group="workspace.similar_commitments",
                key="user",
                rate=getattr(settings, "SIMILAR_DRAFT_RATE", "30/m"),
                method="POST",
                increment=True,
            )
        )
    except Exception:  # the panel is a convenience, not a gate
        logger.warning(
            "similar-commitments rate limit not counted: the cache failed", exc_info=True
        )
        return False


@login_required
@require_POST
def similar_commitments(request: HttpRequest) -> HttpResponse:
    resolved = commitment_form_context(request)
    if isinstance(resolved, HttpResponse):
        return resolved
    organisation, programme, commitment = resolved
    title = (request.POST.get("title") or "").strip()
    description = (request.POST.get("description") or "").strip()
    typed = bool(title or description)
    if not typed:
        return render(request, TEMPLATE, {"similar": [], "typed": False})
    if _throttled(request):
        # 200, not 429: HTMX swaps only successful answers, and "paused" is for the maker to read.
        return render(request, TEMPLATE, {"throttled": True, "typed": True})
    similar = similar_to_draft(
        programme=programme,
        organisation=organisation,
        title=title,
        description=description,
        countries=[c for c in request.POST.getlist("countries") if c.isdigit()],
        commitment=commitment,
    )
    return render(request, TEMPLATE, {"similar": similar, "typed": True})
