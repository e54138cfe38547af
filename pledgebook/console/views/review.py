"""The review queue and the review page of one commitment: every field, the co-makers, the
assessment with per-criterion overrides, and the review decisions (``commitments.domain``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pledgebook.commitments import domain
from pledgebook.commitments.assessment import assess
from pledgebook.commitments.models import CRITERIA_KEYS, Commitment
from pledgebook.commitments.validation import CommitmentData
from pledgebook.console.access import (
    FEATURE_COMMITMENT,
    REVIEW_COMMITMENT,
    Console,
    console_view,
)
from pledgebook.console.forms import (
    CommitmentFilterForm,
    OverrideForm,
    ReasonForm,
)
from pledgebook.core.forms import add_domain_errors, attempt
from pledgebook.core.models import AuditEntry
from pledgebook.registry import records, suggestions

Status = Commitment.Status
PAGE_SIZE = 50
AWAITING = "awaiting"
ALL = "all"
TABS = {
    AWAITING: (gettext_lazy("Awaiting review"), (Status.SUBMITTED, Status.IN_REVIEW)),
    # Drafts belong to their organisations until submitted: never listed here.
    ALL: (gettext_lazy("All submitted"), tuple(s for s in Status.values if s != Status.DRAFT)),
}


@console_view()
def queue(request: HttpRequest, console: Console) -> HttpResponse:
    programme = console.programme
    tab = request.GET.get("tab", AWAITING)
    if tab not in TABS:
        tab = AWAITING
    statuses = TABS[tab][1]
    form = CommitmentFilterForm(request.GET or None, programme=programme, statuses=statuses)
    commitments = (
        Commitment.objects.for_programme(programme)
        .submitted()
        .filter(status__in=statuses)
        .select_related("organisation")
        .prefetch_related("themes")
        .annotate(
            co_maker_count=Count("co_makers", distinct=True),
            confirmed_count=Count(
                "co_makers", filter=Q(co_makers__confirmed_at__isnull=False), distinct=True
            ),
        )
    )
    if tab == AWAITING:  # first come, first served
        commitments = commitments.order_by(F("submitted_at").asc(nulls_last=True), "id")
    else:
        commitments = commitments.order_by(F("submitted_at").desc(nulls_last=True), "-id")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["theme"]:
            commitments = commitments.filter(themes=form.cleaned_data["theme"])
        if form.cleaned_data["status"]:
            commitments = commitments.filter(status=form.cleaned_data["status"])
    page = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [(key, label) for key, (label, _statuses) in TABS.items()]
    return render(
        request,
        "console/commitments.html",
        {"console": console, "form": form, "page": page, "tab": tab, "tabs": tabs},
    )


# One commitment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A review decision offered on the page: its domain function and who may take it."""

    slug: str
    label: Any
    function: Callable[..., Commitment]
    perm: str
    takes_reason: bool = False
    reason_label: Any = None
    reason_help: Any = None
    style: str = ""

    @property
    def allowed_from(self) -> tuple[str, ...]:
        """The statuses it may be taken from: the domain's own (``DECIDED_FROM``)."""
        return domain.DECIDED_FROM[self.function.__name__]


DECISIONS = {
    d.slug: d
    for d in (
        Decision(
            "start-review",
            gettext_lazy("Start review"),
            domain.start_review,
            REVIEW_COMMITMENT,
        ),
        Decision(
            "confirm",
            gettext_lazy("Confirm"),
            domain.confirm_commitment,
            REVIEW_COMMITMENT,
            takes_reason=True,
            reason_label=gettext_lazy("Note to the makers (optional)"),
        ),
        Decision(
            "return",
            gettext_lazy("Return for revision"),
            domain.return_for_revision,
            REVIEW_COMMITMENT,
            takes_reason=True,
            reason_label=gettext_lazy("What should be revised"),
            reason_help=gettext_lazy("Required; the makers receive it by e-mail."),
            style="secondary",
        ),
        Decision(
            "decline",
            gettext_lazy("Decline"),
            domain.decline_commitment,
            REVIEW_COMMITMENT,
            takes_reason=True,
            reason_label=gettext_lazy("Reason for declining"),
            reason_help=gettext_lazy("Required; the makers receive it by e-mail."),
            style="danger",
        ),
        Decision(
            "feature",
            gettext_lazy("Feature"),
            domain.feature_commitment,
            FEATURE_COMMITMENT,
        ),
        Decision(
            "unfeature",
            gettext_lazy("Stop featuring"),
            domain.unfeature_commitment,
            FEATURE_COMMITMENT,
            style="secondary",
        ),
    )
}


def _commitment(console: Console, pk: int) -> Commitment:
    commitment = get_object_or_404(
        Commitment.objects.for_programme(console.programme)
        .submitted()
        .select_related("organisation", "organisation__country", "currency", "created_by"),
        pk=pk,
    )
    commitment.programme = console.programme
    return commitment


def _reason_form(decision: Decision, data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        prefix=decision.slug,
        label=decision.reason_label,
        help_text=decision.reason_help,
    )


def _render(
    request: HttpRequest,
    console: Console,
    commitment: Commitment,
    *,
    bound_decision: tuple[str, ReasonForm] | None = None,
    bound_override: tuple[str, OverrideForm] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """Render the review page; ``bound_*`` re-show a refused form with its errors."""
    user = request.user
    record = records.record_of(commitment)
    data = records.with_record(CommitmentData.from_commitment(commitment), record)
    overrides = {o.criterion: o for o in commitment.assessment_overrides.select_related("by").all()}
    assessment = assess(data, overrides.values())
    criteria = []
    for result in assessment.criteria:
        form = OverrideForm(
            prefix=result.key,
            initial={
                "met": OverrideForm.MET if result.met else OverrideForm.NOT_MET,
                "note": result.override_note,
            },
        )
        if bound_override and bound_override[0] == result.key:
            form = bound_override[1]
        criteria.append({"result": result, "override": overrides.get(result.key), "form": form})

    may_feature = user.has_perm(FEATURE_COMMITMENT, commitment)
    decisions = []
    for decision in DECISIONS.values():
        if commitment.status not in decision.allowed_from:
            continue
        if decision.perm == FEATURE_COMMITMENT and not may_feature:
            continue
        reason_form = _reason_form(decision) if decision.takes_reason else None
        if bound_decision and bound_decision[0] == decision.slug:
            reason_form = bound_decision[1]
        decisions.append({"decision": decision, "form": reason_form})

    history = None
    if console.can_audit:
        history = AuditEntry.objects.filter(
            programme=console.programme,
            object_type=Commitment._meta.label_lower,
            object_id=commitment.pk,
        ).select_related("actor")
    context = {
        "console": console,
        "commitment": commitment,
        "registry": record,
        "may_decide_suggestions": user.has_perm(suggestions.DECIDE_PERM, commitment),
        "data": data,
        "types": list(commitment.types.all()),
        "co_makers": list(
            commitment.co_makers.select_related("organisation", "confirmed_by").order_by(
                "organisation__name"
            )
        ),
        "assessment": assessment,
        "criteria": criteria,
        "decisions": decisions,
        "history": history,
        "errors": errors or [],
        "error_target": _first_error_target(bound_decision, bound_override),
    }
    return render(request, "console/commitment.html", context)


def _first_error_target(*bound: tuple[str, Any] | None) -> str:
    """The id of the first field in error, for the error summary to link to."""
    for item in bound:
        if item is not None:
            for field in item[1]:
                if field.errors:
                    return field.auto_id
    return ""


@console_view()
def detail(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    commitment = _commitment(console, pk)
    console.require(REVIEW_COMMITMENT, commitment)
    return _render(request, console, commitment)


@console_view()
@require_POST
def act(request: HttpRequest, console: Console, pk: int, action: str) -> HttpResponse:
    """Take one review decision; a refused one re-shows the page with the reason."""
    decision = DECISIONS.get(action)
    if decision is None:
        raise Http404
    commitment = _commitment(console, pk)
    console.require(REVIEW_COMMITMENT, commitment)
    console.require(decision.perm, commitment)
    form = _reason_form(decision, request.POST) if decision.takes_reason else None
    kwargs: dict[str, Any] = {}
    if form is not None:
        form.is_valid()
        kwargs["reason"] = form.cleaned_data.get("reason", "")
    try:
        decision.function(actor=request.user, commitment=commitment, **kwargs)
    except ValidationError as exc:
        commitment.refresh_from_db()
        errors: list[str] = []
        if form is not None:
            add_domain_errors(form, exc)
            errors = [str(m) for m in form.non_field_errors()]
            bound = (decision.slug, form)
        else:
            errors = exc.messages
            bound = None
        if not errors:
            errors = [_("The decision was not taken: see the form below.")]
        return _render(request, console, commitment, bound_decision=bound, errors=errors)
    messages.success(
        request,
        _("“%(title)s” is now %(status)s.")
        % {"title": commitment.title, "status": commitment.get_status_display().lower()},
    )
    return redirect("console:commitment", programme=console.programme.slug, pk=commitment.pk)


@console_view()
@require_POST
def override(request: HttpRequest, console: Console, pk: int, criterion: str) -> HttpResponse:
    """Override one criterion of the assessment: met or not, with a note."""
    commitment = _commitment(console, pk)
    console.require(REVIEW_COMMITMENT, commitment)
    if criterion not in CRITERIA_KEYS:
        raise Http404
    form = OverrideForm(request.POST, prefix=criterion)
    if attempt(
        form,
        lambda data: domain.override_criterion(
            actor=request.user,
            commitment=commitment,
            criterion=criterion,
            met=data["met"] == OverrideForm.MET,
            note=data["note"],
        ),
    ):
        messages.success(request, _("Assessment updated."))
        url = reverse("console:commitment", kwargs={"programme": console.programme.slug, "pk": pk})
        return redirect(f"{url}#criterion-{criterion}")
    errors = [_("The assessment was not changed: see the form below.")]
    return _render(request, console, commitment, bound_override=(criterion, form), errors=errors)
