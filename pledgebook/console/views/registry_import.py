"""Import commitments and organisations from a registry (secretariat of the programme).

Upload (CSV, XLSX or JSON Lines; a bad file is refused on this page and nothing is kept) →
mapping (every column of the file and what becomes of it, changeable) → preview (every record
imported or set aside with its reason, warnings naming row and column, and each organisation's
decision: matched with its score, or created; changeable) → import (a task: the page shows its
progress, polled with HTMX, or by reloading) → the report (CSV).  The work is done by
``pledgebook.registry.importing``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pledgebook.console.access import Console, console_view
from pledgebook.console.forms import ConsoleForm
from pledgebook.core.forms import add_domain_errors
from pledgebook.organisations.models import Organisation
from pledgebook.reference.models import Country
from pledgebook.registry import importing, titles
from pledgebook.registry.models import ImportRun, OrganisationDecision

IMPORT = importing.PERM
PER_PAGE = 100


def _country_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Country.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Country of organisations whose country the file does not give"),
        help_text=gettext_lazy(
            "An organisation needs a country. When the file gives none (no headquarters, "
            "several countries), this one is used, and each such record says so in a warning."
        ),
    )


class UploadForm(ConsoleForm):
    file = forms.FileField(
        label=gettext_lazy("File of commitments (.csv, .xlsx or .jsonl)"),
        help_text=gettext_lazy(
            "The Pledgebook commitments template, or the #OceanAction registry's records."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fallback_country"] = _country_field()


class MappingForm(ConsoleForm):
    def __init__(self, run: ImportRun, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run = run
        choices = [("", _("Not imported"))] + [(k, str(v)) for k, v in importing.FIELDS.items()]
        self.columns = list(run.columns)
        for index, column in enumerate(self.columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=column,
                initial=run.mapping.get(column, ""),
            )
        self.fields["fallback_country"] = _country_field()
        self.fields["fallback_country"].initial = run.fallback_country_id

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data.get(f"column_{index}") or ""
            for index, column in enumerate(self.columns)
        }


def _run(console: Console, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=pk, programme=console.programme)


@console_view(IMPORT)
def upload(request: HttpRequest, console: Console) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = importing.create_run(
                actor=request.user,
                programme=console.programme,
                upload=form.cleaned_data["file"],
                fallback_country=form.cleaned_data["fallback_country"],
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            return redirect("console:registry_import_mapping", console.programme.slug, run.pk)
    runs = ImportRun.objects.filter(programme=console.programme).only(
        "pk", "original_name", "uploaded_at", "status", "layout", "counts"
    )[:20]
    return render(
        request,
        "console/registry_import.html",
        {
            "console": console,
            "form": form,
            "runs": runs,
            "template_columns": [
                (header, importing.FIELDS[target], help_text)
                for header, (target, help_text) in importing.TEMPLATE_COLUMNS.items()
            ],
        },
        status=400 if form.errors else 200,
    )


@console_view(IMPORT)
def template(request: HttpRequest, console: Console) -> HttpResponse:
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitments-template.csv"'
    return response


@console_view(IMPORT)
def mapping(request: HttpRequest, console: Console, run: int) -> HttpResponse:
    found = _run(console, run)
    form = MappingForm(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            importing.set_mapping(
                actor=request.user,
                run=found,
                mapping=form.mapping(),
                fallback_country=form.cleaned_data["fallback_country"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("console:registry_import_preview", console.programme.slug, found.pk)
    examples = importing.column_examples(found)
    rows = [
        {
            "field": form[f"column_{i}"],
            "column": column,
            "example": examples.get(column, ""),
            "why": importing.NOT_IMPORTED.get(column, "")
            if found.layout == ImportRun.Layout.UN_OCEAN
            else "",
        }
        for i, column in enumerate(form.columns)
    ]
    return render(
        request,
        "console/registry_import_mapping.html",
        {"console": console, "run": found, "form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


@console_view(IMPORT)
def preview(request: HttpRequest, console: Console, run: int) -> HttpResponse:
    found = _run(console, run)
    show = request.GET.get("show", "notes")
    # Records that may be one initiative: titles shared in the file, and (before the import)
    # titles a commitment of the network already has (registry.titles).
    shared = titles.same_title_rows(found.rows)
    registered = (
        titles.already_registered(console.programme, found.rows) if found.is_editable else {}
    )
    rows = [
        r
        for r in found.rows
        if show == "all"
        or r["set_aside"]
        or r["warnings"]
        or r["row"] in shared
        or r["row"] in registered
    ]
    rows_page = Paginator(rows, PER_PAGE).get_page(request.GET.get("rows"))
    for r in rows_page.object_list:
        r["same_title_rows"] = shared.get(r["row"], [])
        r["registered"] = registered.get(r["row"], [])
    decisions = found.decisions.select_related("organisation", "country").order_by(
        "action", "name", "id"
    )
    decisions_page = Paginator(decisions, PER_PAGE).get_page(request.GET.get("orgs"))
    return render(
        request,
        "console/registry_import_preview.html",
        {
            "console": console,
            "run": found,
            "rows_page": rows_page,
            "decisions_page": decisions_page,
            "show": show,
            "warning_kinds": {k: str(v) for k, v in importing.WARNING_KINDS.items()},
            "reasons": {k: str(v) for k, v in importing.SET_ASIDE_REASONS.items()},
        },
    )


@require_POST
@console_view(IMPORT)
def decide(request: HttpRequest, console: Console, run: int, decision: int) -> HttpResponse:
    found = _run(console, run)
    row = get_object_or_404(OrganisationDecision, pk=decision, run=found)
    choice = request.POST.get("organisation", "")
    organisation = None
    if choice and choice != "create":
        allowed = {c["id"] for c in row.candidates}
        if row.organisation_id:
            allowed.add(row.organisation_id)
        try:
            organisation = Organisation.objects.get(pk=int(choice), pk__in=allowed)
        except (ValueError, Organisation.DoesNotExist):
            messages.error(request, _("Choose one of the organisations listed."))
            return redirect("console:registry_import_preview", console.programme.slug, found.pk)
    try:
        importing.change_decision(actor=request.user, decision=row, organisation=organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s: matched to %(other)s.") % {"name": row.name, "other": organisation.name}
            if organisation
            else _("%(name)s: will be created.") % {"name": row.name},
        )
    page = request.POST.get("orgs", "")
    target = redirect("console:registry_import_preview", console.programme.slug, found.pk)
    if page.isdigit():
        target["Location"] += f"?orgs={page}#organisations"
    return target


@require_POST
@console_view(IMPORT)
def start(request: HttpRequest, console: Console, run: int) -> HttpResponse:
    found = _run(console, run)
    try:
        importing.start_import(actor=request.user, run=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The import has started: this page shows its progress. You can leave it."),
        )
    return redirect("console:registry_import_preview", console.programme.slug, found.pk)


@console_view(IMPORT)
def status(request: HttpRequest, console: Console, run: int) -> HttpResponse:
    """The progress (polled by the preview page while the import runs); once it has finished,
    an HTMX request reloads the whole page."""
    found = _run(console, run)
    response = render(
        request, "console/_registry_import_status.html", {"console": console, "run": found}
    )
    if not found.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@console_view(IMPORT)
def report(request: HttpRequest, console: Console, run: int) -> HttpResponse:
    found = _run(console, run)
    response = HttpResponse(importing.report_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{found.pk}-report.csv"'
    return response
