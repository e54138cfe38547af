"""Import existing coalitions from a CSV or XLSX file (secretariat of the programme): upload,
preview every row with its warnings and the file's notes (columns not imported, how its
types of organisation map onto the stakeholder categories), then import all rows or none, at
once or, for a large file, by a task whose progress the preview page shows.  A file with any
error is shown with its errors on the upload page and not kept.  The work is done by
``pledgebook.coalitions.importing``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from pledgebook.coalitions import importing
from pledgebook.coalitions.models import ImportBatch
from pledgebook.console.access import Console, console_view
from pledgebook.console.forms import ConsoleForm
from pledgebook.core import uploads
from pledgebook.core.forms import add_domain_errors
from pledgebook.reference.models import Country

IMPORT = importing.PERM


class UploadForm(ConsoleForm):
    file = forms.FileField(
        label=gettext_lazy("File of coalitions (.csv or .xlsx)"),
        validators=[uploads.FileValidator(*uploads.TABLES)],
        help_text=gettext_lazy(
            "The Pledgebook template, or an export of the UN Climate Initiatives Platform."
        ),
    )


class ConfirmForm(ConsoleForm):
    accept_warnings = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "I have read the warnings: import those rows as described (for example, a lead "
            "organisation of a type the mapping table does not have as “Other”)."
        ),
    )


def _batch(console: Console, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch, pk=pk, programme=console.programme)


def _context(console: Console) -> dict[str, Any]:
    """What the upload page and the preview show of the programme."""
    return {
        "console": console,
        "un_goals": importing.UN_GOALS,
        "countries": dict(Country.objects.values_list("iso2", "name")),
        "shown_categories": console.programme.category_choices(),
    }


@console_view(IMPORT)
def upload(request: HttpRequest, console: Console) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    refused: importing.ImportRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.create_batch(
                actor=request.user, programme=console.programme, upload=form.cleaned_data["file"]
            )
        except importing.ImportRefused as exc:
            refused = exc
            form.add_error("file", exc.messages)
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            return redirect("console:coalition_import_preview", console.programme.slug, batch.pk)
    batches = ImportBatch.objects.filter(programme=console.programme).select_related("uploaded_by")[
        :20
    ]
    context = {
        **_context(console),
        "form": form,
        "batches": batches,
        "columns": [h for h, _req in importing.TEMPLATE_COLUMNS.values()],
        "required": [h for h, req in importing.TEMPLATE_COLUMNS.values() if req],
    }
    if refused is not None:
        parsed = refused.parsed
        rows = [r.as_json() for r in parsed.rows]
        context["refused"] = {
            "name": refused.name,
            "source_format": parsed.source_format,
            "source_format_label": _format_label(parsed.source_format),
            "file_errors": parsed.file_errors,
            "rows": rows,
            "notes": parsed.notes,
            "summary": importing.summary(rows),
        }
    return render(
        request,
        "console/coalition_import.html",
        context,
        status=400 if form.errors else 200,
    )


def _format_label(code: str) -> str:
    return str(dict(ImportBatch.Format.choices).get(code, "")) if code else ""


@console_view(IMPORT)
def template(request: HttpRequest, console: Console) -> HttpResponse:
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coalitions-template.csv"'
    return response


def _preview(
    request: HttpRequest, console: Console, batch: ImportBatch, form: ConfirmForm, status: int
) -> HttpResponse:
    return render(
        request,
        "console/coalition_import_preview.html",
        {
            **_context(console),
            "batch": batch,
            "form": form,
            "summary": importing.summary(batch.rows),
            "can_start": importing.can_start(batch),
        },
        status=status,
    )


@console_view(IMPORT)
def preview(request: HttpRequest, console: Console, batch: int) -> HttpResponse:
    return _preview(request, console, _batch(console, batch), ConfirmForm(), 200)


@console_view(IMPORT)
def status(request: HttpRequest, console: Console, batch: int) -> HttpResponse:
    """The progress of an import (polled by the preview page while it runs); once it has
    finished, an HTMX request reloads the whole page."""
    found = _batch(console, batch)
    response = render(
        request,
        "console/_coalition_import_status.html",
        {"console": console, "batch": found},
    )
    if not found.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@console_view(IMPORT)
def confirm(request: HttpRequest, console: Console, batch: int) -> HttpResponse:
    found = _batch(console, batch)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        done = importing.run_import(
            actor=request.user,
            batch=found,
            accept_warnings=bool(form.cleaned_data.get("accept_warnings")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        found.refresh_from_db()
        return _preview(request, console, found, form, 400)
    if done.status == ImportBatch.Status.QUEUED:
        messages.success(
            request,
            ngettext(
                "The import of %(n)s coalition has started: this page shows its progress. "
                "You can leave it; the import goes on.",
                "The import of %(n)s coalitions has started: this page shows its progress. "
                "You can leave it; the import goes on.",
                len(done.rows),
            )
            % {"n": len(done.rows)},
        )
    else:
        imported = done.coalitions.count()
        messages.success(
            request,
            ngettext(
                "%(n)s coalition imported. Its text is being indexed for similarity.",
                "%(n)s coalitions imported. Their texts are being indexed for similarity.",
                imported,
            )
            % {"n": imported},
        )
    return redirect("console:coalition_import_preview", console.programme.slug, found.pk)
