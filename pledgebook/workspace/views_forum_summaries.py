"""Session summaries in the workspace: the signed-in person's tasks (the ended sessions they
organise, in person or for an organisation they act for) and the summary form.

The form's POST saves the draft first (``forum.domain.summaries.save_summary``), then, when
asked, submits it (``submit_summary``): a refused submission keeps everything typed.  The
buttons that add a row or find a commitment only show the form again, with what was typed and
one more row (nothing saved); with JavaScript, the commitment finder updates its list as one
types (``summary_commitments``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pledgebook.core.forms import add_domain_errors
from pledgebook.forum.domain import summaries as domain
from pledgebook.forum.models import ForumSettings, Session, SessionSummary
from pledgebook.forum.summary_status import STATES, state_of, tasks_of
from pledgebook.forum.validation import local
from pledgebook.workspace.forms_forum_summaries import (
    AnnouncementFormSet,
    RecommendationFormSet,
    SummaryForm,
    commitment_choices,
)

REC_PREFIX = "recommendations"
ANN_PREFIX = "announcements"


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "workspace/denied.html", {"message": message}, status=403)


@login_required
def summaries(request: HttpRequest) -> HttpResponse:
    rows = tasks_of(request.user, timezone.now())
    return render(request, "workspace/forum/summaries.html", {"rows": rows, "states": STATES})


def _session(pk: int) -> Session:
    return get_object_or_404(
        Session.objects.scheduled().select_related("event__programme", "room"), pk=pk
    )


def _forms(
    session: Session,
    summary: SessionSummary | None,
    data: QueryDict | None = None,
) -> tuple[SummaryForm, Any, Any]:
    programme = session.event.programme
    if data is not None:
        return (
            SummaryForm(data, programme=programme),
            RecommendationFormSet(data, prefix=REC_PREFIX),
            AnnouncementFormSet(data, prefix=ANN_PREFIX, programme=programme),
        )
    recommendations = list(summary.recommendations.all()) if summary else []
    announcements = list(summary.announcements.all()) if summary else []
    recs = RecommendationFormSet(
        prefix=REC_PREFIX, initial=[{"id": r.pk, "text": r.text} for r in recommendations]
    )
    recs.extra = 1
    anns = AnnouncementFormSet(
        prefix=ANN_PREFIX,
        programme=programme,
        initial=[
            {
                "id": a.pk,
                "commitment": a.commitment_id,
                "title": "" if a.commitment_id else a.title,
                "maker": "" if a.commitment_id else a.maker,
                "amount": None if a.commitment_id else a.amount,
                "currency": None if a.commitment_id else (a.currency or None),
                "contact_email": a.contact_email,
            }
            for a in announcements
        ],
    )
    anns.extra = 0 if announcements else 1
    form = SummaryForm(programme=programme, initial=SummaryForm.initial_for(summary))
    return form, recs, anns


def _with_one_more_row(data: QueryDict, prefix: str) -> QueryDict:
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, 100))
    return data


def _render(
    request: HttpRequest,
    session: Session,
    summary: SessionSummary | None,
    forms: tuple[SummaryForm, Any, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    form, recs, anns = forms
    event = session.event
    now = timezone.now()
    due = summary.due_at if summary is not None else domain.due_at(session)
    settings = ForumSettings.for_programme(event.programme)
    has_errors = bool(
        form.errors
        or any(f.errors for f in recs.forms)
        or recs.non_form_errors()
        or any(f.errors for f in anns.forms)
        or anns.non_form_errors()
    )
    return render(
        request,
        "workspace/forum/summary_form.html",
        {
            "session": session,
            "event": event,
            "programme": event.programme,
            "summary": summary,
            "form": form,
            "recommendations": recs,
            "announcements": anns,
            "saved_announcements": list(summary.announcements.all()) if summary else [],
            "instructions": settings.summary_instructions,
            "due": local(event, due),
            "ends": local(event, session.ends_at),
            "starts": local(event, session.starts_at),
            "has_ended": session.has_ended(now),
            "state": STATES[state_of(summary, due, now)],
            "has_errors": has_errors,
        },
        status=status,
    )


def _add_errors(forms: tuple[SummaryForm, Any, Any], error: ValidationError) -> None:
    """A refusal of the domain on the form: an announcement's at its row, the others at their
    field or at the top."""
    form, _recs, anns = forms
    if not hasattr(error, "error_dict"):
        add_domain_errors(form, error)
        return
    rest: dict[str, list[str]] = {}
    kept = [f for f in anns.forms if f.is_bound and f.is_valid() and f.as_input() is not None]
    for name, found in error.message_dict.items():
        head, _sep, tail = name.partition("-")
        if head == ANN_PREFIX and tail.isdigit() and int(tail) < len(kept):
            for message in found:
                kept[int(tail)].add_error(None, message)
        else:
            rest.setdefault(name if name in form.fields else NON_FIELD_ERRORS, []).extend(found)
    if rest:
        add_domain_errors(form, rest)


def _naming_saved_rows(
    data: QueryDict, forms: tuple[SummaryForm, Any, Any], saved: SessionSummary
) -> QueryDict:
    """``data`` with each kept row's hidden id set to the row saved from it (saved in the
    order typed), so that saving the form again changes those rows instead of adding more."""
    data = data.copy()
    _form, recs, anns = forms
    for formset, rows in (
        (recs, saved.recommendations.order_by("position", "pk")),
        (anns, saved.announcements.order_by("position", "pk")),
    ):
        kept = iter(rows.values_list("pk", flat=True))
        for row_form in formset.forms:
            if row_form.as_input() is not None:
                data[row_form.add_prefix("id")] = str(next(kept, ""))
    return data


def _can_write(request: HttpRequest, session: Session) -> bool:
    return bool(request.user.has_perm("forum.write_summary", session))


def _not_allowed(request: HttpRequest) -> HttpResponse:
    return _denied(
        request,
        _("Only the organisers of this session and the programme's secretariat write its summary."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, session: int) -> HttpResponse:
    found = _session(session)
    if not _can_write(request, found):
        return _not_allowed(request)
    current = SessionSummary.objects.filter(session=found).first()
    if request.method == "GET":
        return _render(request, found, current, _forms(found, current))

    data = request.POST
    if data.get("add") == "recommendation":
        return _render(
            request, found, current, _forms(found, current, _with_one_more_row(data, REC_PREFIX))
        )
    if data.get("add") == "announcement":
        return _render(
            request, found, current, _forms(found, current, _with_one_more_row(data, ANN_PREFIX))
        )
    if "find" in data:
        return _render(request, found, current, _forms(found, current, data))

    forms = _forms(found, current, data)
    form, recs, anns = forms
    if not (form.is_valid() and recs.is_valid() and anns.is_valid()):
        return _render(request, found, current, forms)
    was_submitted = current is not None and current.status == SessionSummary.Status.SUBMITTED
    try:
        saved = domain.save_summary(
            actor=request.user,
            session=found,
            key_messages=form.cleaned_data["key_messages"],
            recommendations=recs.inputs(),
            announcements=anns.inputs(),
            participants_in_person=form.cleaned_data["participants_in_person"],
            participants_online=form.cleaned_data["participants_online"],
            participation_by_category=form.by_category(),
        )
    except ValidationError as error:
        _add_errors(forms, error)
        return _render(request, found, current, forms)

    if was_submitted:
        messages.success(request, _("Your changes are saved. The summary stays submitted."))
        return redirect("workspace:forum_summary", session=found.pk)
    if "submit" not in data:
        messages.success(request, _("Your draft is saved."))
        return redirect("workspace:forum_summary", session=found.pk)
    try:
        domain.submit_summary(actor=request.user, summary=saved)
    except ValidationError as error:
        # The draft is saved (above): the form shows again what was typed, its rows now
        # naming the rows saved, with why it could not be submitted.
        forms = _forms(found, saved, _naming_saved_rows(data, forms, saved))
        for bound in forms:
            bound.is_valid()
        _add_errors(forms, error)
        messages.warning(request, _("Your draft is saved, but it was not submitted."))
        return _render(request, found, saved, forms)
    if saved.is_late:
        messages.warning(
            request,
            _(
                "The summary is submitted. It was due by %(due)s, so it is marked late; thank "
                "you all the same."
            )
            % {"due": local(found.event, saved.due_at)},
        )
    else:
        messages.success(request, _("The summary is submitted. Thank you!"))
    return redirect("workspace:forum_summaries")


@login_required
@require_GET
def summary_commitments(request: HttpRequest, session: int) -> HttpResponse:
    """The options of one row's commitment picker, for what is typed in its finder (HTMX)."""
    found = _session(session)
    if not _can_write(request, found):
        raise Http404
    prefix = request.GET.get("prefix", "")
    if not prefix.startswith(ANN_PREFIX + "-"):
        raise Http404
    options = commitment_choices(
        found.event.programme,
        request.GET.get(f"{prefix}-find", ""),
        request.GET.get(f"{prefix}-commitment", ""),
    )
    return render(
        request,
        "workspace/forum/_commitment_options.html",
        {"options": options, "selected": request.GET.get(f"{prefix}-commitment", "")},
    )
