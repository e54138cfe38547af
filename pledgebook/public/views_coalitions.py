"""The network directory of coalitions (``/coalitions/``): public coalitions of every
published programme that shares the network, with full-text and semantic search, facets with
counts and pagination.  Read only; the number of queries does not grow with the rows shown."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.coalitions import search
from pledgebook.coalitions.filters import CoalitionFilter, facet_counts, public_coalitions
from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.programmes.models import Theme

PAGE_SIZE = 25

FACET_TITLES = {
    "programme": gettext_lazy("Programme"),
    "theme": gettext_lazy("Theme"),
    "sdg": gettext_lazy("SDG"),
    "region": gettext_lazy("Region of a member"),
    "category": gettext_lazy("Stakeholder category of a member"),
    "state": gettext_lazy("State"),
}


def coalition_path(slug: str) -> str:
    """The coalition's public page (``public:coalition``, ``Coalition.get_absolute_url``)."""
    return Coalition(slug=slug).get_absolute_url()


def with_row_relations(queryset: QuerySet[Coalition]) -> QuerySet[Coalition]:
    """What a directory row shows: programme, themes, SDGs and active lead organisations."""
    leads = (
        Membership.objects.filter(role=Membership.Role.LEAD, status=Membership.Status.ACTIVE)
        .select_related("organisation__country", "invited_country")
        .order_by("position", "id")
    )
    return queryset.select_related("programme").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
        "goals",
        Prefetch("memberships", queryset=leads, to_attr="leads"),
    )


def _params(request: HttpRequest) -> QueryDict:
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [v for v in values if v != ""]
        if key != "page" and kept:
            params.setlist(key, kept)
    return params


def _facets(queryset: QuerySet[Coalition], params: QueryDict) -> list[dict[str, Any]]:
    out = []
    for name, entries in facet_counts(queryset).items():
        for entry in entries:
            link = params.copy()
            selected = params.get(name) == str(entry["value"])
            if selected:
                link.pop(name)
            else:
                link[name] = str(entry["value"])
            entry["selected"] = selected
            entry["querystring"] = link.urlencode()
        out.append({"name": name, "title": FACET_TITLES[name], "entries": entries})
    return out


def directory(request: HttpRequest) -> HttpResponse:
    filterset = CoalitionFilter(request.GET, queryset=with_row_relations(public_coalitions()))
    form = filterset.form
    form.label_suffix = ""
    form.fields["q"].widget.input_type = "search"
    for field in form.fields.values():
        if hasattr(field, "empty_label"):
            field.empty_label = _("Any")
            field.widget.choices = field.choices
    form.fields["theme"].label_from_instance = lambda t: f"{t.programme.name}: {t.name}"
    valid = filterset.is_valid()
    params = _params(request)
    context: dict[str, Any] = {
        "form": form,
        "valid": valid,
        "querystring": params.urlencode(),
        "semantic": bool(valid and form.cleaned_data.get("semantic")),
        "page_obj": None,
        "facets": [],
    }
    if valid:
        rows = filterset.qs
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        for c in page.object_list:
            c.public_path = coalition_path(c.slug)
        context["page_obj"] = page
        context["facets"] = _facets(rows, params)
        if context["semantic"]:
            context["not_indexed"] = search.not_indexed(public_coalitions())
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx and not htmx.history_restore_request and htmx.target == "coalitions")
    template = "public/_coalitions_body.html" if partial else "public/coalitions.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
