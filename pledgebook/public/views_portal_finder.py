"""The public "Find partners" pages of a commitment and a coalition (the partner finder,
``pledgebook.portal.finder``): ranked organisations with the reasons for each.  Anyone may
read them; a signed-in representative of an organisation may contact a suggestion (the form
is in the workspace)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pledgebook.coalitions.models import Coalition
from pledgebook.commitments.filters import public_commitments
from pledgebook.portal.finder import suggest


def commitment_partners(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(public_commitments().select_related("organisation"), pk=pk)
    return render(
        request,
        "public/portal_finder/partners.html",
        {
            "subject_name": commitment.title,
            "subject_url": commitment.get_absolute_url(),
            "suggestions": suggest(commitment),
            "about": f"commitment={commitment.pk}",
        },
    )


def coalition_partners(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = get_object_or_404(Coalition.objects.public(), slug=slug)
    return render(
        request,
        "public/portal_finder/partners.html",
        {
            "subject_name": coalition.name,
            "subject_url": coalition.get_absolute_url(),
            "suggestions": suggest(coalition),
            "about": f"coalition={coalition.pk}",
        },
    )
