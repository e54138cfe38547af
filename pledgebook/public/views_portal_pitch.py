"""Partnerships ready to scale and what came of the pitch segment (``portal.pitch.public``):
public fields only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pledgebook.portal.models.pitch import Instrument, Stage
from pledgebook.portal.pitch.public import pitch_outcome_figures, public_fields, ready_to_scale
from pledgebook.programmes.models import Programme

PER_PAGE = 30


def ready(request: HttpRequest, programme: str) -> HttpResponse:
    found = get_object_or_404(Programme, slug=programme, is_published=True)
    page = Paginator(ready_to_scale(found), PER_PAGE).get_page(request.GET.get("page"))
    instruments = dict(Instrument.choices)
    stages = dict(Stage.choices)
    rows = []
    for plan in page:
        fields = public_fields(plan)
        fields["instrument_labels"] = [instruments[c] for c in fields["instruments"]]
        fields["stage_label"] = stages.get(fields["stage"], "")
        fields["status_label"] = plan.get_status_display()
        fields["places"] = [c.name for c in plan.countries.all()] + [
            r.name for r in plan.regions.all()
        ]
        fields["url"] = plan.partnership.get_absolute_url()  # type: ignore[attr-defined]
        rows.append(fields)
    return render(
        request,
        "public/pitch/ready.html",
        {
            "programme": found,
            "page": page,
            "rows": rows,
            "figures": pitch_outcome_figures(found),
        },
    )
