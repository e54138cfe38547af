"""Public pages: anyone can read them, no login.

Read only: these views query and render, they never change state.  Every list is built with
``select_related``/``prefetch_related`` (and ``commitments.rows.labelled`` for the rows of
commitment tables) so that the number of queries does not grow with the rows
shown (tests in ``tests/public/test_query_counts.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import rules
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import reswap, retarget

from pledgebook.commitments import assessment, initiatives
from pledgebook.commitments.exports import ORDERING
from pledgebook.commitments.filters import public_commitments
from pledgebook.commitments.models import (
    Application,
    CoMaker,
    Commitment,
)
from pledgebook.commitments.rows import labelled as labelled_rows
from pledgebook.commitments.rules import (
    is_co_maker_representative,
    is_lead_representative,
    reviews_programme,
)
from pledgebook.commitments.validation import CommitmentData
from pledgebook.core import exports
from pledgebook.core.pagination import OnePassPaginator
from pledgebook.core.widgets import FastSelect
from pledgebook.forum.filters import public_events
from pledgebook.organisations.models import Organisation, grouped_choices
from pledgebook.portal import aggregates
from pledgebook.portal.filters import PortalCommitmentFilter
from pledgebook.programmes.models import Action, Programme, Theme
from pledgebook.registry import records
from pledgebook.reporting import progress
from pledgebook.reporting.figures import status_lights

PAGE_SIZE = 25


# Helpers ----------------------------------------------------------------------------------


#: The columns a row of ``_commitment_table.html`` shows (and its status light reads): the
#: rest of a commitment (its description above all) is not read.  A field added to the table
#: must be added here, or each row costs one more query (``tests/public/test_query_counts.py``).
_ROW_FIELDS = (
    "title",
    "status",
    "scope",
    "submitted_at",
    # The status light: whether a started cycle expects its report (``reporting.expected``).
    "starts_on",
    "ends_on",
    "decided_at",
    "programme__slug",
    "programme__name",
    "organisation__slug",
    "organisation__name",
)


def _with_row_relations(queryset: QuerySet) -> QuerySet:
    """What a commitment row shows: its columns, its organisation and programme (the names
    of its types, countries and regions come from ``commitments.rows.labelled``); in the
    order of the API and the CSV export (newest submission first, NULLs last everywhere)."""
    return (
        queryset.select_related("organisation", "programme").only(*_ROW_FIELDS).order_by(*ORDERING)
    )


def _page(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _labelled_page(page: Page) -> Page:
    """The page's commitments with the labels of their rows (one query)."""
    page.object_list = labelled_rows(page.object_list)
    return page


def _directory_page(request: HttpRequest, queryset: QuerySet, rows: QuerySet) -> Page:
    """``_page(request, queryset)`` (same page number, rows, order and total) with the
    filtered set computed once: counted and paged in one query when it holds up to
    ``core.pagination.ONE_PASS_ROWS`` rows (``OnePassPaginator``), the page's rows then
    fetched by primary key from ``rows`` (the public rows with the relations to show, without
    the filters).  A set PostgreSQL expects to be larger is not counted: the page says about
    how many (the planner's estimate).  See docs/BENCHMARKS.md."""
    paginator = OnePassPaginator(queryset, PAGE_SIZE, rows, estimate=True)
    return _labelled_page(paginator.get_page(request.GET.get("page")))


def _with_status_lights(page: Page) -> Page:
    """Give each commitment of the page its reporting status light (two queries)."""
    rows = list(page.object_list)
    lights = status_lights(rows)
    for c in rows:
        c.status_light = lights[c.pk]
    page.object_list = rows
    return page


def _directory_rows() -> QuerySet:
    """The directory's rows: ``_with_row_relations`` and each row's initiative, when it is one
    registration of several (a left join: no query more)."""
    return (
        _with_row_relations(public_commitments())
        .select_related("registration")
        .only(*_ROW_FIELDS, "registration__initiative_id", "registration__is_primary")
    )


def _with_registrants(page: Page) -> Page:
    """Give each commitment of the page ``registrants``: the other public registrations of its
    initiative (``commitments.initiatives``); one query, and none when no row is linked."""
    rows = list(page.object_list)
    found = initiatives.registrants(rows)
    for c in rows:
        c.registrants = found.get(c.pk, [])
    page.object_list = rows
    return page


def _query_without_page(request: HttpRequest) -> str:
    """The filters of the current request, for page and download links: without ``page``
    and without the empty fields a submitted form sends."""
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [v for v in values if v != ""]
        if key != "page" and kept:
            params.setlist(key, kept)
    return params.urlencode()


def _day(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y")


def registration_state(programme: Programme, now: dt.datetime | None = None) -> str:
    """The registration window of ``programme`` in words.

    The window is ``[opens, closes)``: a deadline at midnight means the day before is the
    last day, so the day shown is the last day one can register.
    """
    now = now or timezone.now()
    opens, closes = programme.registration_opens_at, programme.registration_closes_at
    if opens is None or closes is None:
        return _("No registration window has been announced.")
    last_day = formats.date_format(programme.registration_last_day() or closes, "j F Y")
    if now < opens:
        return _("Registration not yet open: it opens on %(date)s.") % {"date": _day(opens)}
    if now < closes:
        return _("Registration open until %(date)s.") % {"date": last_day}
    return _("Registration closed on %(date)s.") % {"date": last_day}


def _published_programme(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug, is_published=True)


def _count_of(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``queryset`` rows grouped by ``group_by``."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _themes_with_counts(programme: Programme) -> QuerySet:
    approved = Application.objects.approved().filter(theme=OuterRef("pk"))
    public_links = Commitment.themes.through.objects.filter(
        theme=OuterRef("pk"),
        commitment__status__in=Commitment.PUBLIC_STATUSES,
        commitment__programme=programme,
    )
    return programme.themes.annotate(
        n_leaders=_count_of(approved.filter(role=Application.Role.LEADER), "theme"),
        n_makers=_count_of(approved.filter(role=Application.Role.MAKER), "theme"),
        n_commitments=_count_of(public_links, "theme"),
    )


# Home and programmes ----------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    figures = aggregates.home_figures()  # None: being counted for the first time
    ids = figures["featured"] if figures else []
    rows = {c.pk: c for c in _with_row_relations(public_commitments().filter(pk__in=ids))}
    featured = labelled_rows([rows[pk] for pk in ids if pk in rows])
    programmes = Programme.objects.filter(is_published=True)
    return render(
        request,
        "public/home.html",
        {
            "counts": figures["counts"] if figures else None,
            "featured": featured,
            "programmes": programmes,
        },
    )


def programmes(request: HttpRequest) -> HttpResponse:
    public_in_programme = Commitment.objects.public().filter(programme=OuterRef("pk"))
    rows = Programme.objects.filter(is_published=True).annotate(
        n_themes=_count_of(Theme.objects.filter(programme=OuterRef("pk")), "programme"),
        n_commitments=_count_of(public_in_programme, "programme"),
    )
    items = [(p, registration_state(p)) for p in rows]
    return render(request, "public/programmes.html", {"items": items})


def programme(request: HttpRequest, programme: str) -> HttpResponse:
    prog = _published_programme(programme)
    return render(
        request,
        "public/programme.html",
        {
            "programme": prog,
            "registration": registration_state(prog),
            "registration_open": prog.registration_is_open(),
            "themes": _themes_with_counts(prog).prefetch_related("goals"),
            "types": prog.commitment_types.all(),
            "events": public_events(prog),
        },
    )


def theme(request: HttpRequest, programme: str, theme: str) -> HttpResponse:
    prog = _published_programme(programme)
    th = get_object_or_404(Theme.objects.prefetch_related("goals"), programme=prog, slug=theme)
    public_in_theme = public_commitments().filter(programme=prog, themes=th)
    advancing = Commitment.actions.through.objects.filter(
        action=OuterRef("pk"),
        commitment__status__in=Commitment.PUBLIC_STATUSES,
        commitment__programme=prog,
    )
    actions = Action.objects.filter(theme=th).annotate(n_commitments=_count_of(advancing, "action"))
    members = (
        Application.objects.approved()
        .filter(programme=prog, theme=th)
        .select_related("organisation__country")
        .order_by("organisation__name", "organisation_id")
    )
    members = list(members)
    return render(
        request,
        "public/theme.html",
        {
            "programme": prog,
            "theme": th,
            "actions": actions,
            "leaders": [a for a in members if a.role == Application.Role.LEADER],
            "makers": [a for a in members if a.role == Application.Role.MAKER],
            "page_obj": _labelled_page(_page(request, _with_row_relations(public_in_theme))),
            "querystring": _query_without_page(request),
        },
    )


# Directory ---------------------------------------------------------------------------------


#: Select fields of reference data labelled by their ``name`` (their ``__str__``): their
#: options are read as (key, name) pairs, not as model instances (248 countries).
_LABELLED_BY_NAME = ("country", "region")


def _directory_filter(request: HttpRequest) -> PortalCommitmentFilter:
    filterset = PortalCommitmentFilter(
        request.GET, queryset=_with_row_relations(public_commitments())
    )
    form = filterset.form
    form.label_suffix = ""
    form.fields["q"].widget.input_type = "search"
    # Themes of different programmes may share a name: say which programme each is in.
    form.fields["theme"].label_from_instance = lambda t: f"{t.programme.name}: {t.name}"
    for name, field in form.fields.items():
        if hasattr(field, "empty_label"):
            field.empty_label = _("Any")
        if isinstance(field.widget, forms.Select):
            choices = _ListedChoices(field, by_name=name in _LABELLED_BY_NAME)
            field.widget = FastSelect(attrs=field.widget.attrs, choices=choices)
    return filterset


class _ListedChoices(BaseChoiceIterator):
    """The options of a select as its field gives them, read when the form is rendered (an
    HTMX update of the results renders no form: no query) and then kept in a list.

    A model choice field's own iterator reads its queryset with ``.iterator()``: a
    server-side cursor on PostgreSQL, three round trips (DECLARE, FETCH, CLOSE) for each of
    the six model choice fields of the directory; here it is one plain query each."""

    def __init__(self, field: forms.Field, *, by_name: bool = False) -> None:
        self.field = field
        self.by_name = by_name
        self.listed: list[tuple[Any, Any]] | None = None

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.listed is None:
            self.listed = self._read()
        return iter(self.listed)

    def _read(self) -> list[tuple[Any, Any]]:
        field = self.field
        if not isinstance(field, forms.ModelChoiceField):
            return list(getattr(field, "choices", []))
        listed: list[tuple[Any, Any]] = []
        if field.empty_label is not None:
            listed.append(("", field.empty_label))
        null_label = getattr(field, "null_label", None)  # django-filter's "null" choice
        if null_label is not None:
            listed.append((getattr(field, "null_value", None), null_label))
        queryset = field.queryset if field.queryset is not None else []
        if self.by_name and isinstance(queryset, QuerySet):
            key = field.to_field_name or "pk"
            listed += queryset.values_list(key, "name")
        else:
            listed += [(field.prepare_value(o), field.label_from_instance(o)) for o in queryset]
        return listed


def _show_programme_categories(form: forms.Form) -> None:
    """With a programme chosen, the category filter offers the categories it shows (and the
    category chosen, if another); any category is still accepted."""
    programme = form.cleaned_data.get("programme")
    if programme is None:
        return
    field = form.fields["category"]
    codes = programme.shown_categories()
    chosen = form.cleaned_data.get("category")
    if chosen and chosen not in codes:
        codes = [*codes, chosen]
    empty = ("", getattr(field, "empty_label", None) or _("Any"))
    field.widget.choices = [empty, *grouped_choices(codes)]  # type: ignore[attr-defined]


def directory(request: HttpRequest) -> HttpResponse:
    filterset = _directory_filter(request)
    valid = filterset.is_valid()
    if valid:
        _show_programme_categories(filterset.form)
    querystring = _query_without_page(request)
    context: dict[str, Any] = {
        "filter": filterset,
        "form": filterset.form,
        "valid": valid,
        "querystring": querystring,
        "page_obj": (
            _with_registrants(
                _with_status_lights(
                    _directory_page(
                        request,
                        # One initiative registered several times shows once (its
                        # representative), the others as its registrants.
                        initiatives.one_per_initiative(filterset.qs),
                        _directory_rows(),
                    )
                )
            )
            if valid
            else None
        ),
        "exporters": (
            exports.available(
                request.user, filterset.form.cleaned_data.get("programme"), subject="commitments"
            )
            if valid
            else []
        ),
    }
    htmx = getattr(request, "htmx", None)
    target = htmx.target if htmx and not htmx.history_restore_request else None
    if target == "results" and valid:
        response = render(request, "public/_directory_results.html", context)
    elif target in ("results", "directory"):
        # Errors show at their field, so the form is replaced along with the results (and
        # once corrected, the form is replaced again to drop the old errors).
        response = render(request, "public/_directory_body.html", context)
        response = reswap(retarget(response, "#directory"), "innerHTML")
    else:
        response = render(request, "public/directory.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


# Commitment --------------------------------------------------------------------------------


def _commitment_queryset() -> QuerySet:
    return Commitment.objects.select_related(
        "programme", "organisation__country", "currency", "registration", "provenance"
    ).prefetch_related(
        "types",
        Prefetch("themes", queryset=Theme.objects.select_related("programme")),
        "actions",
        "goals",
        "targets",
        "countries",
        "regions",
        Prefetch(
            "co_makers",
            queryset=CoMaker.objects.select_related("organisation").order_by(
                "organisation__name", "pk"
            ),
        ),
        "assessment_overrides",
    )


def _other_registrations(c: Commitment) -> list[Commitment]:
    """The other public registrations of the commitment's initiative (no query when it is not
    linked: ``registration`` is selected with the commitment)."""
    if initiatives.initiative_id(c) is None:
        return []
    return initiatives.other_registrations(c)


def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(_commitment_queryset(), pk=pk)
    user = request.user
    # The rule itself, not ``user.has_perm``: Django grants an active superuser every
    # permission, and a draft is not for the public page whoever asks.
    if not rules.has_perm("commitments.view_commitment", user, c):
        raise Http404
    # People who work on the commitment (its makers, the programme's reviewers) also see the
    # co-makers who have not confirmed yet and the advice behind each criterion.
    insider = bool(
        user.is_authenticated
        and (
            is_lead_representative(user, c)
            or is_co_maker_representative(user, c)
            or reviews_programme(user, c)
        )
    )
    # A co-maker that declined is never shown; one that has not answered, to insiders only.
    co_makers = [
        m for m in c.co_makers.all() if m.declined_at is None and (insider or m.confirmed_at)
    ]
    record = records.record_of(c)
    result = assessment.assess(
        records.with_record(CommitmentData.from_commitment(c), record),
        c.assessment_overrides.all(),
    )
    goals = list(c.goals.all())
    targets = list(c.targets.all())
    goal_targets = [(g, [t for t in targets if t.goal_id == g.pk]) for g in goals]
    orphan_targets = [t for t in targets if t.goal_id not in {g.pk for g in goals}]
    return render(
        request,
        "public/commitment.html",
        {
            "commitment": c,
            "insider": insider,
            "co_makers": co_makers,
            "assessment": result,
            "goal_targets": goal_targets,
            "orphan_targets": orphan_targets,
            "status_light": status_lights([c])[c.pk],
            "progress_reports": progress.latest_submitted(c.pk),
            "other_registrations": _other_registrations(c),
            "registry": record,
        },
    )


# Organisation ------------------------------------------------------------------------------


def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(
        Organisation.objects.select_related("country__region", "country__sub_region"), slug=slug
    )
    memberships = (
        Application.objects.approved()
        .filter(organisation=org, programme__is_published=True)
        .select_related("theme__programme")
        .order_by("programme__name", "theme__position", "theme__name")
    )
    led = labelled_rows(_with_row_relations(public_commitments().filter(organisation=org)))
    co_ids = CoMaker.objects.filter(organisation=org, confirmed_at__isnull=False).values(
        "commitment_id"
    )
    co = labelled_rows(_with_row_relations(public_commitments().filter(pk__in=co_ids)))
    return render(
        request,
        "public/organisation.html",
        {
            "organisation": org,
            "memberships": memberships,
            "led": led,
            "co_commitments": co,
        },
    )


# Rules -------------------------------------------------------------------------------------

# What seed 001 (section 7) says a strong commitment is, per criterion.
CRITERION_DEFINITIONS = {
    "impact": gettext_lazy(
        "A strong commitment aims to achieve significant, transformative change in the lives "
        "of the people it concerns."
    ),
    "funding": gettext_lazy(
        "A strong commitment is resourced by new and scaled funds, clearly expressed and "
        "integrated into budgets."
    ),
    "endorsement": gettext_lazy("A strong commitment is endorsed at the highest level."),
    "collective": gettext_lazy(
        "A strong commitment is ideally designed collectively by several stakeholders."
    ),
    "smart": gettext_lazy(
        "A strong commitment is specific, measurable, attainable, relevant and time-bound."
    ),
}


def _criterion_checks() -> dict[str, list[str]]:
    """How ``commitments.assessment`` computes each criterion (its own words, ``CHECKS``)."""
    return {key: [str(check) for check in checks] for key, checks in assessment.CHECKS.items()}


def _overall_labels() -> list[tuple[int, int, str]]:
    """(fewest, most criteria met, label), computed by ``Assessment.label`` itself."""
    total = len(assessment.CRITERIA)
    bands: list[tuple[int, int, str]] = []
    for met in range(total, -1, -1):
        criteria = tuple(
            assessment.CriterionResult(
                key=key, label=str(label), computed=i < met, met=i < met, advice=()
            )
            for i, (key, label) in enumerate(assessment.CRITERIA.items())
        )
        label = assessment.Assessment(criteria=criteria).label
        if bands and bands[-1][2] == label:
            bands[-1] = (met, bands[-1][1], label)
        else:
            bands.append((met, met, label))
    return bands


STATUS_EXPLANATIONS = {
    Commitment.Status.DRAFT: gettext_lazy("Being written by its makers; not yet submitted."),
    Commitment.Status.SUBMITTED: gettext_lazy(
        "Sent to the programme's secretariat, waiting for review."
    ),
    Commitment.Status.IN_REVIEW: gettext_lazy("A reviewer of the programme is assessing it."),
    Commitment.Status.RETURNED: gettext_lazy(
        "Sent back to its makers with the changes asked for; they can edit and resubmit it."
    ),
    Commitment.Status.CONFIRMED: gettext_lazy(
        "Accepted by the programme and published in the directory."
    ),
    Commitment.Status.DECLINED: gettext_lazy(
        "Not accepted by the programme, with a reason given to its makers."
    ),
    Commitment.Status.FEATURED: gettext_lazy(
        "Confirmed and chosen by the secretariat as an example of a strong commitment."
    ),
}


def assessment_rules(request: HttpRequest) -> HttpResponse:
    checks = _criterion_checks()
    criteria = [
        {
            "key": key,
            "label": label,
            "definition": CRITERION_DEFINITIONS.get(key, ""),
            "checks": checks.get(key, []),
        }
        for key, label in assessment.CRITERIA.items()
    ]
    statuses = [
        {
            "label": status.label,
            "explanation": STATUS_EXPLANATIONS.get(status, ""),
            "public": status in Commitment.PUBLIC_STATUSES,
        }
        for status in Commitment.Status
    ]
    return render(
        request,
        "public/assessment_rules.html",
        {
            "criteria": criteria,
            "n_criteria": len(criteria),
            "bands": _overall_labels(),
            "ladder": assessment.ladder_rows(),
            "statuses": statuses,
        },
    )
