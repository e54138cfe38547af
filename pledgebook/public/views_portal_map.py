"""The world map and the SDG dashboard (issue 11, items 1 and 2): public pages read from the
portal's facts (``portal.aggregates``), filtered by the directory's own FilterSet
(``portal.filters.PortalCommitmentFilter``), so the map's counts, the dashboard's and the
directory's agree for the same filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.commitments.filters import public_commitments
from pledgebook.commitments.models import Commitment
from pledgebook.core import exports
from pledgebook.portal import aggregates
from pledgebook.portal.filters import MAP_FILTERS, PortalCommitmentFilter, map_params
from pledgebook.portal.pitch.public import pitch_outcome_figures
from pledgebook.reference import worldmap
from pledgebook.reference.models import Country, Goal
from pledgebook.reporting.figures import LIGHTS

MEASURES = {
    "count": gettext_lazy("Number"),
    "pledged": gettext_lazy("Money pledged (USD)"),
    "disbursed": gettext_lazy("Money disbursed (USD)"),
}
SUBJECTS = {
    "commitments": gettext_lazy("Commitments"),
    "coalitions": gettext_lazy("Coalitions"),
}
LISTED = 20


class ViewForm(forms.Form):
    """What the map shows: the measure and the subject (the filters are the FilterSet's)."""

    measure = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=list(MEASURES.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    subject = forms.ChoiceField(
        label=gettext_lazy("Of"),
        choices=list(SUBJECTS.items()),
        required=False,
        widget=forms.RadioSelect,
    )


def _filterset(request: HttpRequest) -> PortalCommitmentFilter:
    filterset = PortalCommitmentFilter(
        map_params(request.GET), queryset=public_commitments(), prefix=None
    )
    form = filterset.form
    form.label_suffix = ""
    for name in list(form.fields):
        if name not in MAP_FILTERS:
            del form.fields[name]
    form.fields["theme"].label_from_instance = lambda t: f"{t.programme.name}: {t.name}"
    for field in form.fields.values():
        if hasattr(field, "empty_label"):
            field.empty_label = _("Any")
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            # category, light: "Any", not "---------"
            choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
            field.choices = [("", _("Any")), *[c for c in choices if c[0] != ""]]
    return filterset


def _query(params: dict[str, Any], **more: str) -> str:
    q = QueryDict(mutable=True)
    for key, value in {**params, **more}.items():
        if value:
            q[key] = value
    return q.urlencode()


def _money(value: float) -> str:
    return number_format(round(value), 0, force_grouping=True)


def _view(request: HttpRequest) -> tuple[str, str]:
    form = ViewForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    measure = data.get("measure") or "count"
    subject = data.get("subject") or "commitments"
    if subject == "coalitions":
        measure = "count"  # coalitions pledge no money here
    return measure, subject


def _map_context(request: HttpRequest) -> dict[str, Any]:
    filterset = _filterset(request)
    valid = filterset.is_valid()
    measure, subject = _view(request)
    params = map_params(request.GET)
    cleaned = (
        {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
        if valid
        else {}
    )
    if not valid:
        figures: dict[str, aggregates.Figures] = {}
    elif subject == "coalitions":
        figures = aggregates.coalitions_by_country(cleaned)
    else:
        figures = aggregates.by_country(cleaned)

    def value(f: aggregates.Figures) -> float:
        return {"count": f.commitments, "pledged": f.pledged, "disbursed": f.disbursed}[measure]

    countries = {c.iso2: c for c in Country.objects.all()}
    bounds = worldmap.breaks([value(f) for f in figures.values()])
    view_params = {"measure": measure, "subject": subject}
    areas = {}
    rows: list[dict[str, Any]] = []
    for iso2, f in figures.items():
        country = countries.get(iso2)
        if country is None:
            continue
        shown = f.commitments if measure == "count" else _money(value(f))
        if subject == "coalitions":
            label = _("%(country)s: %(n)s coalitions") % {"country": country.name, "n": shown}
        elif measure == "count":
            label = _("%(country)s: %(n)s commitments") % {"country": country.name, "n": shown}
        else:
            label = _("%(country)s: %(amount)s USD") % {"country": country.name, "amount": shown}
        href = reverse("public:map_country", args=[iso2]) + "?" + _query(params, **view_params)
        areas[country.m49] = worldmap.Area(
            label=label,
            bin=worldmap.bin_of(value(f), bounds),
            href=href,
            attrs={
                "hx-get": href,
                "hx-target": "#map-country",
                "hx-swap": "innerHTML",
                "hx-push-url": "false",
            },
        )
        rows.append(
            {
                "country": country,
                "figures": f,
                "pledged": _money(f.pledged),
                "disbursed": _money(f.disbursed),
                "href": href,
                "on_map": country.m49 in worldmap.shapes(),
            }
        )
    rows.sort(key=lambda r: (-value(r["figures"]), r["country"].name))
    legend = []
    lower = 0.0
    for i, bound in enumerate(bounds):
        b = worldmap.bin_of(bound, bounds)
        fmt = (lambda v: number_format(v, 0, force_grouping=True)) if measure == "count" else _money
        legend.append(
            {
                "bin": b,
                "colour": worldmap.COLOURS[b or 0],
                "from": fmt(lower if i == 0 else bounds[i - 1]),
                "to": fmt(bound),
                "first": i == 0,
            }
        )
        lower = bound
    unconverted = sum(f.unconverted for f in figures.values()) if subject == "commitments" else 0
    return {
        "filter": filterset,
        "form": filterset.form,
        "view_form": ViewForm(initial=view_params, data=view_params),
        "valid": valid,
        "measure": measure,
        "measure_label": MEASURES[measure],
        "subject": subject,
        "subject_label": SUBJECTS[subject],
        "svg": worldmap.render(
            areas, title=_("World map of %(what)s by country") % {"what": SUBJECTS[subject].lower()}
        ),
        "rows": rows,
        "legend": legend,
        "no_data_colour": worldmap.NO_DATA,
        "unconverted": unconverted,
        "querystring": _query(params, **view_params),
        "filters_query": _query(params),
        "exporters": exports.available(request.user, cleaned.get("programme"), subject="map"),
    }


def world_map(request: HttpRequest) -> HttpResponse:
    context = _map_context(request)
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "map-figures" and not htmx.history_restore_request:
        response = render(request, "public/portal_map/_figures.html", context)
    else:
        response = render(request, "public/portal_map/map.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def map_country(request: HttpRequest, iso2: str) -> HttpResponse:
    """What is in a country, with the map's filters; the directory with the same filters and
    the country lists them all."""
    country = get_object_or_404(Country, pk=iso2.upper())
    filterset = _filterset(request)
    if not filterset.is_valid():
        raise Http404
    measure, subject = _view(request)
    params = map_params(request.GET)
    cleaned = {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
    if subject == "coalitions":
        qs = aggregates.coalition_queryset(cleaned, country=country).order_by("name")
        total = qs.count()
        items = [(c.name, c.get_absolute_url()) for c in qs[:LISTED]]
        more = (
            reverse("public:coalitions")
            + "?"
            + _query(
                {k: v for k, v in params.items() if k in ("programme", "theme", "sdg", "category")}
            )
        )
    else:
        qs = filterset.qs.filter(
            pk__in=Commitment.countries.through.objects.filter(country=country).values(
                "commitment_id"
            )
        ).order_by("title", "pk")
        total = qs.count()
        items = [(c.title, c.get_absolute_url()) for c in qs.only("pk", "title")[:LISTED]]
        more = reverse("public:directory") + "?" + _query(params, country=country.pk)
    context = {
        "country": country,
        "subject": subject,
        "items": items,
        "total": total,
        "more": more,
        "back": reverse("public:map") + "?" + _query(params, measure=measure, subject=subject),
    }
    htmx = getattr(request, "htmx", None)
    template = (
        "public/portal_map/_country.html"
        if htmx and not htmx.history_restore_request
        else "public/portal_map/country.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# SDG dashboard ---------------------------------------------------------------------------------


def _goal_rows(figures: aggregates.GoalFigures) -> list[dict[str, Any]]:
    goals = {g.number: g for g in Goal.objects.all()}
    return [
        {
            "goal": goals[n],
            "f": f,
            "pledged": _money(f.pledged),
            "disbursed": _money(f.disbursed),
            "share": f.share_reporting,
            "lights": [f.lights[k] for k in LIGHTS],
        }
        for n, f in sorted(figures.by_goal.items())
        if n in goals
    ]


def dashboard(request: HttpRequest) -> HttpResponse:
    filterset = _filterset(request)
    del filterset.form.fields["sdg"]
    valid = filterset.is_valid()
    params = {k: v for k, v in map_params(request.GET).items() if k != "sdg"}
    cleaned = (
        {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "") and k != "sdg"}
        if valid
        else {}
    )
    figures = (
        aggregates.by_goal(cleaned) if valid else aggregates.GoalFigures(aggregates.Figures(), {})
    )
    context = {
        "form": filterset.form,
        "valid": valid,
        "rows": _goal_rows(figures),
        "total": figures.total,
        "total_pledged": _money(figures.total.pledged),
        "total_disbursed": _money(figures.total.disbursed),
        "lights": list(LIGHTS.values()),
        "filters_query": _query(params),
        "exporters": exports.available(request.user, cleaned.get("programme"), subject="sdgs"),
        # The pitch segment's outcomes (of the programme chosen, else of all).
        "pitch": pitch_outcome_figures(cleaned.get("programme")),
        "programme": cleaned.get("programme"),
    }
    return render(request, "public/portal_map/dashboard.html", context)


def goal(request: HttpRequest, number: int) -> HttpResponse:
    """One goal: its targets with the commitments naming each, and the directory's link."""
    the_goal = get_object_or_404(Goal, pk=number)
    filterset = _filterset(request)
    if not filterset.is_valid():
        raise Http404
    params = {k: v for k, v in map_params(request.GET).items() if k != "sdg"}
    cleaned = {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
    cleaned["sdg"] = the_goal
    figures = aggregates.by_goal(cleaned).total
    commitments = filterset.qs.filter(goals=the_goal).values("pk")
    per_target: dict[str, int] = dict(
        Commitment.targets.through.objects.filter(  # type: ignore[misc]
            target__goal=the_goal, commitment_id__in=commitments
        )
        .values("target_id")
        .annotate(n=Count("commitment_id"))
        .values_list("target_id", "n")
    )
    targets = [{"target": t, "count": per_target.get(t.pk, 0)} for t in the_goal.targets.all()]
    context = {
        "goal": the_goal,
        "f": figures,
        "pledged": _money(figures.pledged),
        "disbursed": _money(figures.disbursed),
        "lights": [(label, figures.lights[k]) for k, label in LIGHTS.items()],
        "targets": targets,
        "directory": reverse("public:directory") + "?" + _query(params, sdg=str(number)),
        "back": reverse("public:sdgs") + ("?" + _query(params) if params else ""),
    }
    return render(request, "public/portal_map/goal.html", context)
