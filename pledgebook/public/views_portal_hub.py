"""The knowledge hub (``/knowledge/``): published case studies of replicable models, searched
by words and by meaning, filtered by programme, SDG, region, country and stakeholder category
(``portal.hub.filters.CaseStudyFilter``, the API's too), and each case study's page with its
results: the linked commitments and the indicator values reported for them."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from pledgebook.core import exports
from pledgebook.portal.hub.filters import CaseStudyFilter, public_case_studies
from pledgebook.portal.hub.indexing import KIND
from pledgebook.portal.hub.reads import results, with_page_relations, with_relations
from pledgebook.similarity import engine

PAGE_SIZE = 20


def _params(request: HttpRequest) -> QueryDict:
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [v for v in values if v != ""]
        if key != "page" and kept:
            params.setlist(key, kept)
    return params


def hub(request: HttpRequest) -> HttpResponse:
    filterset = CaseStudyFilter(
        request.GET, queryset=with_relations(public_case_studies()).order_by("-published_at", "-pk")
    )
    form = filterset.form
    form.label_suffix = ""
    form.fields["q"].widget.input_type = "search"
    for field in form.fields.values():
        if hasattr(field, "empty_label"):
            field.empty_label = _("Any")
            field.widget.choices = field.choices
    valid = filterset.is_valid()
    context: dict[str, Any] = {
        "form": form,
        "valid": valid,
        "querystring": _params(request).urlencode(),
        "semantic": bool(valid and form.cleaned_data.get("semantic")),
        "page_obj": None,
    }
    if valid:
        rows = filterset.qs
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        context["page_obj"] = page
        context["semantic_result"] = filterset.semantic_result
        context["exporters"] = exports.available(
            request.user, form.cleaned_data.get("programme"), subject="case_studies"
        )
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx and not htmx.history_restore_request and htmx.target == "case-studies")
    template = "public/portal/_hub_body.html" if partial else "public/portal/hub.html"
    # A refused filter is a 400, except to htmx, which swaps only successful answers.
    status = 200 if valid or partial else 400
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def case_study(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(with_page_relations(public_case_studies()), pk=pk)
    published = list(public_case_studies().values_list("pk", flat=True))
    hits = engine.similar(
        KIND,
        found.pk,
        kinds={KIND},
        k=4,
        allowed_ids={KIND: [pk for pk in published if pk != found.pk]},
        min_score=engine.RELATED_THRESHOLD,
    )
    similar_ids = [object_id for _kind, object_id, _score in hits]
    similar = {cs.pk: cs for cs in public_case_studies().filter(pk__in=similar_ids)}
    return render(
        request,
        "public/portal/case_study.html",
        {
            "cs": found,
            "linked": results(found),
            "similar": [similar[pk] for pk in similar_ids if pk in similar],
        },
    )
