"""The secretariat's decision on an SDG suggested from an imported commitment's text
(``registry.suggestions``), from the review page of the commitment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.commitments.models import Commitment
from pledgebook.console.access import Console, console_view
from pledgebook.registry import suggestions

DECISIONS = {"accept": suggestions.accept, "dismiss": suggestions.dismiss}


@console_view()
@require_POST
def decide(
    request: HttpRequest, console: Console, pk: int, suggestion: int, decision: str
) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404
    commitment = get_object_or_404(
        Commitment.objects.for_programme(console.programme).select_related("programme"), pk=pk
    )
    console.require(suggestions.DECIDE_PERM, commitment)
    try:
        done = DECISIONS[decision](
            actor=request.user, commitment=commitment, suggestion_id=suggestion
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        goal = _("SDG %(n)s") % {"n": done.goal.number}
        messages.success(
            request,
            (_("%(goal)s is now one of this commitment's goals.") % {"goal": goal})
            if decision == "accept"
            else (_("The suggestion of %(goal)s was dismissed.") % {"goal": goal}),
        )
    url = reverse(
        "console:commitment", kwargs={"programme": console.programme.slug, "pk": commitment.pk}
    )
    return redirect(f"{url}#sdg-suggestions")
