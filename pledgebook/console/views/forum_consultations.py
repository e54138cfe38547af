"""Consultations of a programme (secretariat): create and edit one, its questions (add, edit,
remove, reorder), its responses, an import of responses from a CSV or XLSX file (preview with
every error; a file with errors is refused whole and nothing stored; a clean one is kept in the
person's session between the preview and the import), and the grouping of the answers into
recurring themes, with counts and quotes.  The work is done by
``pledgebook.forum.domain.consultations``."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms import ConsoleForm
from pledgebook.core import uploads
from pledgebook.core.forms import act, add_domain_errors, attempt
from pledgebook.forum.domain import consultations as domain
from pledgebook.forum.models import Consultation, ConsultationQuestion, Event
from pledgebook.programmes.models import Theme

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SESSION_KEY = "forum_consultation_import"


class ConsultationForm(ConsoleForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    slug = forms.SlugField(
        label=gettext_lazy("Short name (in its address)"),
        max_length=80,
        help_text=gettext_lazy("Letters, digits and hyphens, for instance blueprint-inputs-2025."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("Event"), queryset=Event.objects.none(), required=False
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Open to"), choices=Consultation.Audience.choices
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "For “commitment makers of a theme”: the representatives of organisations with a "
            "confirmed commitment in it may respond (inputs on its draft blueprint)."
        ),
    )
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens"), widget=_DATETIME)
    closes_at = forms.DateTimeField(label=gettext_lazy("Closes"), widget=_DATETIME)
    is_published = forms.BooleanField(
        label=gettext_lazy("Published (its page and form are public while open)"), required=False
    )

    def __init__(self, *args: Any, programme: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(programme=programme)  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.filter(programme=programme)  # type: ignore[attr-defined]
        zone = timezone.get_current_timezone_name()
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = _("Time in %(zone)s.") % {"zone": zone}
        if editing:
            del self.fields["slug"]


class QuestionForm(ConsoleForm):
    text = forms.CharField(label=gettext_lazy("Question"), max_length=500)
    help_text = forms.CharField(label=gettext_lazy("Help"), max_length=500, required=False)
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)


class ImportForm(ConsoleForm):
    file = forms.FileField(
        label=gettext_lazy("File of responses (.csv or .xlsx)"),
        validators=[uploads.FileValidator(*uploads.TABLES)],
        help_text=gettext_lazy(
            "One row per response; one column per question, named by its exact text or q1, "
            "q2…; optional columns name, organisation, category, country (ISO code or name). "
            "CSV files must be saved as UTF-8."
        ),
    )


def _consultation(console: Console, pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.select_related("programme", "event", "theme"),
        pk=pk,
        programme=console.programme,
    )


def _question(console: Console, pk: int) -> ConsultationQuestion:
    return get_object_or_404(
        ConsultationQuestion.objects.select_related("consultation__programme"),
        pk=pk,
        consultation__programme=console.programme,
    )


def _detail_url(consultation: Consultation) -> str:
    return reverse(
        "console:forum_consultation", args=[consultation.programme.slug, consultation.pk]
    )


@console_view(CHANGE_PROGRAMME)
def consultations(request: HttpRequest, console: Console) -> HttpResponse:
    rows = Consultation.objects.filter(programme=console.programme).select_related("event")
    return render(
        request,
        "console/forum/consultations.html",
        {
            "console": console,
            "consultations": rows,
            "events": Event.objects.filter(programme=console.programme).annotate(
                n_statements=Count("sessions__statements")
            ),
        },
    )


@console_view(CHANGE_PROGRAMME)
def create(request: HttpRequest, console: Console) -> HttpResponse:
    form = ConsultationForm(request.POST or None, programme=console.programme)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.create_consultation(
                actor=request.user, programme=console.programme, **data
            ),
        )
    ):
        messages.success(request, _("Consultation created: now add its questions."))
        return redirect(_detail_url(done.value))
    return render(
        request,
        "console/forum/consultation_form.html",
        {"console": console, "form": form},
        status=400 if form.errors else 200,
    )


@console_view(CHANGE_PROGRAMME)
def edit(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)
    initial = {name: getattr(consultation, name) for name in domain.CONSULTATION_FIELDS}
    form = ConsultationForm(
        request.POST or None, programme=console.programme, editing=True, initial=initial
    )
    if request.method == "POST" and attempt(
        form,
        lambda data: domain.update_consultation(
            actor=request.user, consultation=consultation, **data
        ),
    ):
        messages.success(request, _("Consultation saved."))
        return redirect(_detail_url(consultation))
    return render(
        request,
        "console/forum/consultation_form.html",
        {"console": console, "form": form, "consultation": consultation},
        status=400 if form.errors else 200,
    )


@console_view(CHANGE_PROGRAMME)
def detail(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)
    return render(
        request,
        "console/forum/consultation.html",
        {
            "console": console,
            "consultation": consultation,
            "questions": list(consultation.questions.all()),
            "question_form": QuestionForm(),
            "responses": consultation.responses.count(),
            "answers": domain.answer_count(consultation),
            "now": timezone.now(),
        },
    )


@console_view(CHANGE_PROGRAMME)
def question_add(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and attempt(
        form,
        lambda data: domain.add_question(actor=request.user, consultation=consultation, **data),
    ):
        messages.success(request, _("Question added."))
        return redirect(_detail_url(consultation) + "#questions")
    return render(
        request,
        "console/forum/question_form.html",
        {"console": console, "consultation": consultation, "form": form},
        status=400 if form.errors else 200,
    )


@console_view(CHANGE_PROGRAMME)
def question_edit(request: HttpRequest, console: Console, question: int) -> HttpResponse:
    found = _question(console, question)
    consultation = found.consultation
    form = QuestionForm(
        request.POST or None,
        initial={"text": found.text, "help_text": found.help_text, "required": found.required},
    )
    if request.method == "POST" and attempt(
        form, lambda data: domain.update_question(actor=request.user, question=found, **data)
    ):
        messages.success(request, _("Question saved."))
        return redirect(_detail_url(consultation) + "#questions")
    return render(
        request,
        "console/forum/question_form.html",
        {"console": console, "consultation": consultation, "form": form, "question": found},
        status=400 if form.errors else 200,
    )


@require_POST
@console_view(CHANGE_PROGRAMME)
def question_remove(request: HttpRequest, console: Console, question: int) -> HttpResponse:
    found = _question(console, question)
    return act(
        request,
        lambda: domain.remove_question(actor=request.user, question=found),
        success=_("Question removed."),
        to=_detail_url(found.consultation) + "#questions",
    )


@require_POST
@console_view(CHANGE_PROGRAMME)
def question_move(
    request: HttpRequest, console: Console, question: int, direction: str
) -> HttpResponse:
    found = _question(console, question)
    by = {"up": -1, "down": 1}.get(direction)
    if by is None:
        return redirect(_detail_url(found.consultation))
    return act(
        request,
        lambda: domain.move_question(actor=request.user, question=found, by=by),
        success=_("Questions reordered."),
        to=_detail_url(found.consultation) + "#questions",
    )


@console_view(CHANGE_PROGRAMME)
def responses(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)
    questions = list(consultation.questions.all())
    rows = []
    for response in domain.responses_with_answers(consultation)[:500]:
        by_question = {a.question_id: a.text for a in response.answers.all()}
        rows.append((response, [by_question.get(q.pk, "") for q in questions]))
    return render(
        request,
        "console/forum/consultation_responses.html",
        {
            "console": console,
            "consultation": consultation,
            "questions": questions,
            "rows": rows,
            "total": consultation.responses.count(),
        },
    )


def _import_page(
    request: HttpRequest,
    console: Console,
    consultation: Consultation,
    form: ImportForm,
    parsed: domain.ParsedImport | None = None,
    kept: str = "",
) -> HttpResponse:
    questions = list(consultation.questions.all())
    preview = []
    if parsed is not None:
        for row in parsed.rows:
            preview.append((row, [row.answers.get(q.pk, "") for q in questions]))
    return render(
        request,
        "console/forum/consultation_import.html",
        {
            "console": console,
            "consultation": consultation,
            "questions": questions,
            "form": form,
            "parsed": parsed,
            "preview": preview[:200],
            "kept": kept,
        },
        status=400 if form.errors else 200,
    )


@console_view(CHANGE_PROGRAMME)
def import_upload(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    """Upload → the preview of every row and every error.  A clean file is kept in the
    session until the secretariat imports it (or uploads another)."""
    consultation = _consultation(console, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, console, consultation, form)
    upload = form.cleaned_data["file"]
    try:
        parsed = domain.preview_import(actor=request.user, consultation=consultation, upload=upload)
    except ValidationError as exc:
        add_domain_errors(form, exc)
        return _import_page(request, console, consultation, form)
    if parsed.error_count:
        form.add_error("file", domain.ImportRefused(parsed).messages)
        request.session.pop(SESSION_KEY, None)
        return _import_page(request, console, consultation, form, parsed)
    upload.seek(0)
    request.session[SESSION_KEY] = {
        "consultation": consultation.pk,
        "name": upload.name,
        "data": base64.b64encode(upload.read()).decode("ascii"),
    }
    return _import_page(request, console, consultation, form, parsed, kept=upload.name)


@require_POST
@console_view(CHANGE_PROGRAMME)
def import_confirm(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)
    kept = request.session.get(SESSION_KEY) or {}
    back = reverse(
        "console:forum_consultation_import", args=[console.programme.slug, consultation.pk]
    )
    if kept.get("consultation") != consultation.pk:
        messages.error(request, _("Upload the file again: it was not kept."))
        return redirect(back)
    upload = domain.as_upload(kept["name"], base64.b64decode(kept["data"]))
    try:
        created = domain.import_responses(
            actor=request.user, consultation=consultation, upload=upload
        )
    except domain.ImportRefused as exc:
        form = ImportForm()
        form.add_error(None, exc.messages)
        request.session.pop(SESSION_KEY, None)
        return _import_page(request, console, consultation, form, exc.parsed)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        ngettext("%(n)s response imported.", "%(n)s responses imported.", len(created))
        % {"n": len(created)},
    )
    return redirect(
        reverse(
            "console:forum_consultation_responses",
            args=[console.programme.slug, consultation.pk],
        )
    )


@console_view(CHANGE_PROGRAMME)
def import_template(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)
    response = HttpResponse(
        domain.template_csv(consultation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-responses.csv"'
    return response


@console_view(CHANGE_PROGRAMME)
def themes(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)
    return render(
        request,
        "console/forum/consultation_themes.html",
        {
            "console": console,
            "consultation": consultation,
            "by_question": domain.themes_by_question(consultation),
            "in_progress": domain.grouping_in_progress(consultation),
            "answers": domain.answer_count(consultation),
            "threshold": domain.THEME_THRESHOLD,
        },
    )


@require_POST
@console_view(CHANGE_PROGRAMME)
def group(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    consultation = _consultation(console, pk)

    def success(done: bool) -> str:
        if done:
            return _("Answers grouped into themes.")
        return _(
            "The answers are being grouped by the worker: this page shows the themes "
            "when it is done."
        )

    return act(
        request,
        lambda: domain.group_responses(actor=request.user, consultation=consultation),
        success=success,
        to=reverse(
            "console:forum_consultation_themes", args=[console.programme.slug, consultation.pk]
        ),
    )
