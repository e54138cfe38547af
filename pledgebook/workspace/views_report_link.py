"""Progress reporting pages of a maker: one set of pages with two ways in.

* the **personal link** of an invitation (``/report/<token>/...``), no login: the actor is a
  :class:`~pledgebook.reporting.links.LinkActor` bound to one organisation and one cycle;
* the **workspace** (``/workspace/reporting/<cycle>/...``, in ``views_reporting.py``): the
  actor is the signed-in representative, for every organisation they act for.

Both build an :class:`Entry` and call the same page functions, form and templates.  Views
only read, parse and call ``reporting.domain`` (through ``core.forms``); a commitment outside
the entry's organisations is a 404 and changes nothing.  Evidence files are served by
``reporting.evidence`` after a permission check, never from a public media address.  The
addresses are in ``urls_report.py`` (namespace ``reporting``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.core.forms import attempt
from pledgebook.reporting import domain, links
from pledgebook.reporting.evidence import (
    evidence_rows,
    maker_evidence,
    report_details,
    serve_evidence,
)
from pledgebook.reporting.models import (
    CoMakerConfirmation,
    Evidence,
    Indicator,
    ProgressReport,
    ReportingCycle,
)
from pledgebook.reporting.queries import active_commitments, latest_submitted
from pledgebook.workspace.forms_reporting import ReportForm

ReportStatus = ProgressReport.Status
LINK_STATUS = {"invalid": 403, "replaced": 403, "expired": 410}


@dataclass
class Entry:
    """One way in to the reporting pages of ``cycle`` for the organisations
    ``organisation_ids``, acting as ``actor``."""

    kind: str  # "link" or "workspace"
    actor: Any
    cycle: ReportingCycle
    organisation_ids: set[int]
    token: str = ""
    layout: str = "reporting/_layout_link.html"
    extra: dict[str, Any] = field(default_factory=dict)

    def url(self, name: str, **kwargs: Any) -> str:
        """``name`` is one of home, report, correct, confirm, evidence."""
        if self.kind == "link":
            route = "reporting:link" if name == "home" else f"reporting:{name}"
            return reverse(route, kwargs={"token": self.token, **kwargs})
        if name == "evidence":
            return reverse("workspace:reporting_evidence", kwargs=kwargs)
        route = "workspace:reporting_cycle" if name == "home" else f"workspace:reporting_{name}"
        return reverse(route, kwargs={"cycle": self.cycle.pk, **kwargs})

    @property
    def is_open(self) -> bool:
        return self.cycle.status == ReportingCycle.Status.OPEN and (
            timezone.now() < self.cycle.closes_at
        )

    def context(self, **values: Any) -> dict[str, Any]:
        return {
            "entry": self,
            "layout": self.layout,
            "cycle": self.cycle,
            "programme": self.cycle.programme,
            **self.extra,
            **values,
        }


# States of the reports ------------------------------------------------------------------


@dataclass
class ReportState:
    """Where a commitment's report stands in a cycle."""

    draft: ProgressReport | None = None
    submitted: ProgressReport | None = None  # the latest submitted version
    confirmed_at: Any = None  # for a co-maker: when it confirmed ``submitted``

    @property
    def label(self) -> str:
        if self.submitted and self.draft:
            return _("Submitted (version %(v)s); correction in draft (version %(d)s)") % {
                "v": self.submitted.version,
                "d": self.draft.version,
            }
        if self.submitted:
            return _("Submitted (version %(v)s)") % {"v": self.submitted.version}
        if self.draft:
            return _("Draft, not submitted")
        return _("Not started")

    @property
    def css(self) -> str:
        if self.submitted:
            return "ok"
        return "warn" if self.draft else ""


def report_states(cycle: ReportingCycle, commitment_ids: list[int]) -> dict[int, ReportState]:
    """The state of each commitment's report in ``cycle``, in one query."""
    states: dict[int, ReportState] = defaultdict(ReportState)
    rows = ProgressReport.objects.filter(cycle=cycle, commitment_id__in=commitment_ids).order_by(
        "commitment_id", "-version"
    )
    for report in rows:
        state = states[report.commitment_id]
        if report.status == ReportStatus.DRAFT:
            state.draft = report
        elif state.submitted is None:
            state.submitted = report
    return states


def framework(cycle: ReportingCycle) -> list[Indicator]:
    return list(Indicator.objects.filter(programme_id=cycle.programme_id))


# Landing page: the commitments to report on ---------------------------------------------


def commitments_page(request: HttpRequest, entry: Entry) -> HttpResponse:
    cycle = entry.cycle
    active = active_commitments(cycle).select_related("organisation")
    lead = list(
        active.filter(organisation_id__in=entry.organisation_ids).order_by(
            "organisation__name", "title", "pk"
        )
    )
    co_rows = list(
        CoMaker.objects.taking_part()
        .filter(
            organisation_id__in=entry.organisation_ids,
            commitment__in=active.exclude(organisation_id__in=entry.organisation_ids),
        )
        .select_related("organisation", "commitment__organisation")
        .order_by("commitment__title", "commitment_id", "organisation__name")
    )
    ids = [c.pk for c in lead] + [row.commitment_id for row in co_rows]
    states = report_states(cycle, ids)
    confirmations = {
        (c.report_id, c.organisation_id): c.confirmed_at
        for c in CoMakerConfirmation.objects.filter(
            report__cycle=cycle,
            report__commitment_id__in=ids,
            organisation_id__in=entry.organisation_ids,
        )
    }
    lead_rows = [(c, states[c.pk]) for c in lead]
    co_makers = []
    for row in co_rows:
        state = states[row.commitment_id]
        confirmed_at = (
            confirmations.get((state.submitted.pk, row.organisation_id))
            if state.submitted
            else None
        )
        co_makers.append((row, state, confirmed_at))
    reported = sum(1 for _c, state in lead_rows if state.submitted)
    return render(
        request,
        "reporting/commitments.html",
        entry.context(
            lead_rows=lead_rows,
            co_rows=co_makers,
            reported=reported,
        ),
    )


# One commitment's report ---------------------------------------------------------------


def _commitment(entry: Entry, pk: int) -> tuple[Commitment, bool]:
    """A commitment expected in the cycle whose lead or co-maker is one of the entry's
    organisations, and whether it is the lead.  Any other: 404."""
    commitment = get_object_or_404(
        active_commitments(entry.cycle).select_related("organisation", "currency", "programme"),
        pk=pk,
    )
    if commitment.organisation_id in entry.organisation_ids:
        return commitment, True
    if (
        commitment.co_makers.taking_part()
        .filter(organisation_id__in=entry.organisation_ids)
        .exists()
    ):
        return commitment, False
    raise Http404


def _history(commitment: Commitment, cycle: ReportingCycle) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(commitment=commitment, cycle=cycle)
        .select_related("disbursed_currency")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("-version")
    )


def report_page(request: HttpRequest, entry: Entry, pk: int) -> HttpResponse:
    commitment, is_lead = _commitment(entry, pk)
    history = _history(commitment, entry.cycle)
    draft = next((r for r in history if r.status == ReportStatus.DRAFT), None)
    submitted = [r for r in history if r.status == ReportStatus.SUBMITTED]
    shown: ProgressReport | None = None
    if wanted := request.GET.get("version"):
        shown = next((r for r in submitted if str(r.version) == wanted), None)
        if shown is None:
            raise Http404
    base = {
        "commitment": commitment,
        "is_lead": is_lead,
        "history": submitted,
        "draft": draft,
    }
    if not is_lead:
        # A co-maker reads the lead's latest submitted report and may confirm it.
        if request.method == "POST":
            raise Http404
        shown = shown or (submitted[0] if submitted else None)
        return _read_only(
            request, entry, shown, **base, co_orgs=_co_confirmations(entry, commitment, submitted)
        )
    if shown is not None or (draft is None and submitted and request.method == "GET"):
        return _read_only(request, entry, shown or submitted[0], **base)
    if request.method == "GET" and not entry.is_open:
        return _read_only(request, entry, submitted[0] if submitted else draft, **base)
    report = draft or domain.draft_for(actor=entry.actor, commitment=commitment, cycle=entry.cycle)
    return _report_form(request, entry, report, **base)


def _co_confirmations(
    entry: Entry, commitment: Commitment, submitted: list[ProgressReport]
) -> list[tuple[Any, Any]]:
    """(organisation, confirmed at or None) for each of the entry's organisations co-making
    ``commitment``, about its latest submitted report."""
    rows = (
        CoMaker.objects.taking_part()
        .filter(commitment=commitment, organisation_id__in=entry.organisation_ids)
        .select_related("organisation")
    )
    confirmed = (
        dict(
            CoMakerConfirmation.objects.filter(report=submitted[0]).values_list(
                "organisation_id", "confirmed_at"
            )
        )
        if submitted
        else {}
    )
    return [
        (row.organisation, confirmed.get(row.organisation_id))
        for row in rows.order_by("organisation__name")
    ]


def _read_only(
    request: HttpRequest, entry: Entry, report: ProgressReport | None, **context: Any
) -> HttpResponse:
    details = (
        report_details(report, lambda pk: entry.url("evidence", evidence=pk)) if report else {}
    )
    return render(
        request,
        "reporting/report_view.html",
        entry.context(**context, **details, shown=report),
    )


def _report_form(
    request: HttpRequest, entry: Entry, report: ProgressReport, **context: Any
) -> HttpResponse:
    indicators = framework(entry.cycle)
    values = list(report.values.all()) if report.pk else []
    if request.method != "POST":
        form = ReportForm(report=report, indicators=indicators, values=values)
        return _render_form(request, entry, form, report, **context)
    form = ReportForm(
        request.POST, request.FILES, report=report, indicators=indicators, values=values
    )
    submit = "submit" in request.POST
    before = (report.pk, report.updated_at)

    def save(data: dict[str, Any]) -> ProgressReport:
        form.apply_to(report)
        return domain.save_report(
            actor=entry.actor,
            report=report,
            entries=form.entries(),
            evidence_links=data["evidence_links"],
            evidence_files=data["evidence_files"],
            submit=submit,
        )

    try:
        done = attempt(form, save)
    except IntegrityError:
        form.add_error(
            None,
            _(
                "This report was saved at the same moment from another window. Open the "
                "report again to see the latest version."
            ),
        )
        return _render_form(request, entry, form, report, **context)
    if not done:
        if report.pk is not None and (report.pk, report.updated_at) != before:
            messages.warning(request, _("Your draft is saved, but it was not submitted."))
        return _render_form(request, entry, form, report, **context)
    if submit:
        messages.success(
            request,
            _("Thank you: version %(v)s of the report on “%(title)s” is submitted.")
            % {"v": report.version, "title": context["commitment"].title},
        )
    else:
        messages.success(request, _("Your draft is saved. You can come back to it later."))
    return redirect(entry.url("report", commitment=context["commitment"].pk))


def _render_form(
    request: HttpRequest,
    entry: Entry,
    form: ReportForm,
    report: ProgressReport,
    **context: Any,
) -> HttpResponse:
    evidence = (
        evidence_rows(lambda pk: entry.url("evidence", evidence=pk), report) if report.pk else []
    )
    return render(
        request,
        "reporting/report_form.html",
        entry.context(**context, form=form, report=report, evidence=evidence),
    )


def correct_report(request: HttpRequest, entry: Entry, pk: int) -> HttpResponse:
    """Start a correction of a submitted report: its next version, as a draft holding
    everything the submitted one said."""
    commitment, is_lead = _commitment(entry, pk)
    if not is_lead:
        raise Http404
    target = entry.url("report", commitment=commitment.pk)
    has_draft = ProgressReport.objects.filter(
        commitment=commitment, cycle=entry.cycle, status=ReportStatus.DRAFT
    ).exists()
    if has_draft:
        return redirect(target)
    if not ProgressReport.objects.filter(
        commitment=commitment, cycle=entry.cycle, status=ReportStatus.SUBMITTED
    ).exists():
        return redirect(target)
    draft = domain.draft_for(actor=entry.actor, commitment=commitment, cycle=entry.cycle)
    try:
        domain.save_report(actor=entry.actor, report=draft)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except IntegrityError:
        pass  # started at the same moment from another window: that draft is the one
    else:
        messages.info(
            request,
            _(
                "Version %(v)s is a draft holding everything version %(p)s said. Change what "
                "needs correcting and submit it; version %(p)s stays on record."
            )
            % {"v": draft.version, "p": draft.version - 1},
        )
    return redirect(target)


def confirm_report(request: HttpRequest, entry: Entry, pk: int) -> HttpResponse:
    """A co-maker confirms the lead's latest submitted report."""
    commitment, is_lead = _commitment(entry, pk)
    if is_lead:
        raise Http404
    report = (
        latest_submitted()
        .filter(commitment=commitment, cycle=entry.cycle)
        .select_related("cycle__programme", "commitment")
        .first()
    )
    if report is None:
        raise Http404
    co_maker = (
        CoMaker.objects.taking_part()
        .filter(commitment=commitment, organisation_id__in=entry.organisation_ids)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    wanted = request.POST.get("organisation", "")
    row = next((r for r in co_maker if str(r.organisation_id) == wanted), None) or co_maker.first()
    assert row is not None  # _commitment found one
    domain.confirm_report(actor=entry.actor, report=report, organisation=row.organisation)
    messages.success(
        request,
        _("%(org)s confirmed version %(v)s of the report on “%(title)s”.")
        % {"org": row.organisation.name, "v": report.version, "title": commitment.title},
    )
    return redirect(entry.url("home"))


# The personal link ------------------------------------------------------------------------


def _link_entry(request: HttpRequest, token: str) -> Entry | HttpResponse:
    try:
        invitation = links.resolve(token)
    except links.LinkError as error:
        response = render(
            request,
            "reporting/link_error.html",
            {"message": str(error), "code": error.code},
            status=LINK_STATUS.get(error.code, 403),
        )
        return response
    return Entry(
        kind="link",
        actor=links.LinkActor(invitation),
        cycle=invitation.cycle,
        organisation_ids={invitation.organisation_id},
        token=token,
        extra={"organisation": invitation.organisation},
    )


def _private(response: HttpResponseBase) -> HttpResponseBase:
    """A page reached through a secret address: never indexed, and its address never sent
    to another site (``same-origin``: "no-referrer" would make browsers send ``Origin: null``
    with the form, which the CSRF check refuses)."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def through_link(page: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A view of the personal link: ``page(request, entry, <the address's id, if any>)`` gets
    the link's entry (a link that does not resolve gets its error page), and every answer is
    private (``_private``)."""

    @wraps(page)
    def view(request: HttpRequest, token: str, **ids: int) -> HttpResponseBase:
        entry = _link_entry(request, token)
        if isinstance(entry, HttpResponse):
            return _private(entry)
        return _private(page(request, entry, *ids.values()))

    return view


def _evidence_page(request: HttpRequest, entry: Entry, evidence: int) -> HttpResponseBase:
    return serve_evidence(maker_evidence(entry.organisation_ids, evidence, cycle=entry.cycle))


link_home = never_cache(require_http_methods(["GET"])(through_link(commitments_page)))
link_report = never_cache(require_http_methods(["GET", "POST"])(through_link(report_page)))
link_correct = never_cache(require_POST(through_link(correct_report)))
link_confirm = never_cache(require_POST(through_link(confirm_report)))
link_evidence = require_http_methods(["GET"])(through_link(_evidence_page))
