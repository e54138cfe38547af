"""Import existing coalitions from a CSV or XLSX file (secretariat of the programme): upload,
preview every row with its errors and warnings, then import all rows or none.  The work is
done by ``pledgebook.coalitions.importing``."""

from __future__ import annotations

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
from pledgebook.console.forms import ConsoleForm, add_domain_errors

IMPORT = importing.PERM


class UploadForm(ConsoleForm):
    file = forms.FileField(
        label=gettext_lazy("File of coalitions (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "The Pledgebook template, or an export of the UN Climate Initiatives Platform."
        ),
    )


class ConfirmForm(ConsoleForm):
    accept_warnings = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "I have read the warnings: import those rows as described (for example, a lead "
            "organisation of an unknown type as “Other”)."
        ),
    )


def _batch(console: Console, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch, pk=pk, programme=console.programme)


@console_view(IMPORT)
def upload(request: HttpRequest, console: Console) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.create_batch(
                actor=request.user, programme=console.programme, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            return redirect("console:coalition_import_preview", console.programme.slug, batch.pk)
    batches = ImportBatch.objects.filter(programme=console.programme).select_related("uploaded_by")[
        :20
    ]
    return render(
        request,
        "console/coalition_import.html",
        {
            "console": console,
            "form": form,
            "batches": batches,
            "columns": [h for h, _req in importing.TEMPLATE_COLUMNS.values()],
            "required": [h for h, req in importing.TEMPLATE_COLUMNS.values() if req],
        },
        status=400 if form.errors else 200,
    )


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
            "console": console,
            "batch": batch,
            "form": form,
            "summary": importing.summary(batch.rows),
            "un_goals": importing.UN_GOALS,
        },
        status=status,
    )


@console_view(IMPORT)
def preview(request: HttpRequest, console: Console, batch: int) -> HttpResponse:
    return _preview(request, console, _batch(console, batch), ConfirmForm(), 200)


@require_POST
@console_view(IMPORT)
def confirm(request: HttpRequest, console: Console, batch: int) -> HttpResponse:
    found = _batch(console, batch)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        created = importing.run_import(
            actor=request.user,
            batch=found,
            accept_warnings=bool(form.cleaned_data.get("accept_warnings")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        found.refresh_from_db()
        return _preview(request, console, found, form, 400)
    messages.success(
        request,
        ngettext(
            "%(n)s coalition imported. Its text is being indexed for similarity.",
            "%(n)s coalitions imported. Their texts are being indexed for similarity.",
            len(created),
        )
        % {"n": len(created)},
    )
    return redirect("console:coalition_import_preview", console.programme.slug, found.pk)
