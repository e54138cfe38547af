"""Accountability in the console: the indicator framework, reporting cycles (schedule, open,
close, resend links, reminders), the response-rate dashboard, the escalation list of silent
makers, and the submitted reports with their evidence.

Readers of the console (reviewers and the secretariat) see every page; only the secretariat
changes anything (``CHANGE_PROGRAMME``) and downloads evidence files.  Every query is scoped to
``console.programme``; an object of another programme is a 404.  State changes go through
``pledgebook.reporting.domain``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms_reporting import CycleForm, IndicatorForm
from pledgebook.core.forms import act, attempt
from pledgebook.core.pagination import CountedPaginator
from pledgebook.reporting import annual, domain, exchange, figures, queries
from pledgebook.reporting.evidence import report_details, serve_evidence
from pledgebook.reporting.models import (
    Evidence,
    ImplementationStatus,
    Indicator,
    Invitation,
    ProgressReport,
    Reminder,
    ReportingCycle,
)

PAGE_SIZE = 50
Status = ReportingCycle.Status
SUBMITTED = ProgressReport.Status.SUBMITTED


def _cycle(console: Console, pk: int) -> ReportingCycle:
    cycle = get_object_or_404(ReportingCycle.objects.filter(programme=console.programme), pk=pk)
    cycle.programme = console.programme
    return cycle


def _indicator(console: Console, pk: int) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.filter(programme=console.programme), pk=pk)
    indicator.programme = console.programme
    return indicator


def _open_cycle(console: Console) -> ReportingCycle | None:
    return ReportingCycle.objects.filter(programme=console.programme, status=Status.OPEN).first()


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT of ``queryset`` rows grouped by ``group_by``."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _people() -> Prefetch:
    """The active people of an organisation, by e-mail, as ``organisation.contacts``."""
    users = get_user_model().objects.filter(is_active=True).order_by("email")
    return Prefetch("organisation__people", queryset=users, to_attr="contacts")


# Framework and cycles -----------------------------------------------------------------------


@console_view()
def overview(request: HttpRequest, console: Console) -> HttpResponse:
    programme = console.programme
    indicators = Indicator.objects.filter(programme=programme).annotate(n_values=Count("values"))
    cycles = (
        ReportingCycle.objects.filter(programme=programme)
        .annotate(
            n_invited=_count(Invitation.objects.filter(cycle=OuterRef("pk")), "cycle"),
            n_reported=Coalesce(
                Subquery(
                    ProgressReport.objects.filter(cycle=OuterRef("pk"), status=SUBMITTED)
                    .order_by()
                    .values("cycle")
                    .annotate(n=Count("commitment", distinct=True))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("-opens_at", "-pk")
    )
    return render(
        request,
        "console/reporting.html",
        {
            "console": console,
            "indicators": indicators,
            "cycles": cycles,
            "open_cycle": _open_cycle(console),
        },
    )


def _indicator_form_page(
    request: HttpRequest,
    console: Console,
    form: IndicatorForm,
    indicator: Indicator | None = None,
) -> HttpResponse:
    return render(
        request,
        "console/reporting_indicator_form.html",
        {
            "console": console,
            "form": form,
            "indicator": indicator,
            "open_cycle": _open_cycle(console),
        },
    )


@console_view(CHANGE_PROGRAMME)
def indicator_create(request: HttpRequest, console: Console) -> HttpResponse:
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.create_indicator(
                actor=request.user, programme=console.programme, **data
            ),
        )
    ):
        messages.success(request, _("Indicator “%(name)s” added.") % {"name": done.value.name})
        return redirect("console:reporting", programme=console.programme.slug)
    return _indicator_form_page(request, console, form)


@console_view(CHANGE_PROGRAMME)
def indicator_edit(request: HttpRequest, console: Console, indicator: int) -> HttpResponse:
    obj = _indicator(console, indicator)
    form = IndicatorForm(request.POST or None, initial=IndicatorForm.initial_for(obj))
    if request.method == "POST" and attempt(
        form, lambda data: domain.update_indicator(actor=request.user, indicator=obj, **data)
    ):
        messages.success(request, _("Indicator saved."))
        return redirect("console:reporting", programme=console.programme.slug)
    return _indicator_form_page(request, console, form, obj)


@console_view(CHANGE_PROGRAMME)
def indicator_delete(request: HttpRequest, console: Console, indicator: int) -> HttpResponse:
    obj = _indicator(console, indicator)
    errors: list[str] = []
    if request.method == "POST":
        try:
            domain.delete_indicator(actor=request.user, indicator=obj)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Indicator “%(name)s” deleted.") % {"name": obj.name})
            return redirect("console:reporting", programme=console.programme.slug)
    return render(
        request,
        "console/reporting_indicator_delete.html",
        {
            "console": console,
            "indicator": obj,
            "errors": errors,
            "n_values": obj.values.count(),
            "open_cycle": _open_cycle(console),
        },
        status=200,
    )


@console_view(CHANGE_PROGRAMME)
def cycle_create(request: HttpRequest, console: Console) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.schedule_cycle(
                actor=request.user, programme=console.programme, **data
            ),
        )
    ):
        cycle = done.value
        messages.success(
            request,
            _("The %(name)s cycle is scheduled. Open it to send every maker its link.")
            % {"name": cycle.name},
        )
        return redirect("console:reporting_cycle", programme=console.programme.slug, cycle=cycle.pk)
    return render(request, "console/reporting_cycle_form.html", {"console": console, "form": form})


@console_view()
def cycle_detail(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    active = queries.active_commitments(obj)
    reported = ProgressReport.objects.filter(cycle=obj, status=SUBMITTED).values("commitment_id")
    invitations = (
        Invitation.objects.filter(cycle=obj)
        .select_related("organisation")
        .prefetch_related(_people())
        .annotate(
            n_lead=_count(active.filter(organisation=OuterRef("organisation")), "organisation"),
            n_reported=_count(
                active.filter(organisation=OuterRef("organisation"), pk__in=reported),
                "organisation",
            ),
            n_reminders=_count(
                Reminder.objects.filter(cycle=obj, organisation=OuterRef("organisation")),
                "organisation",
            ),
        )
        .order_by("organisation__name", "pk")
    )
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = active.aggregate(expected=Count("pk"), reported=Count("pk", filter=Q(pk__in=reported)))
    return render(
        request,
        "console/reporting_cycle.html",
        {
            "console": console,
            "cycle": obj,
            "page": page,
            "totals": totals,
            "n_makers": queries.makers(obj).count() if obj.status == Status.SCHEDULED else None,
            "now": timezone.now(),
        },
    )


def _cycle_url(console: Console, cycle: ReportingCycle) -> str:
    return reverse(
        "console:reporting_cycle", kwargs={"programme": console.programme.slug, "cycle": cycle.pk}
    )


@console_view(CHANGE_PROGRAMME)
@require_POST
def cycle_open(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    return act(
        request,
        lambda: domain.open_cycle(actor=request.user, cycle=obj),
        success=lambda invited: (
            ngettext(
                "The cycle is open: %(n)s maker received its personal reporting link.",
                "The cycle is open: %(n)s makers received their personal reporting links.",
                invited,
            )
            % {"n": invited}
        ),
        to=_cycle_url(console, obj),
    )


@console_view(CHANGE_PROGRAMME)
@require_POST
def cycle_close(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    return act(
        request,
        lambda: domain.close_cycle(actor=request.user, cycle=obj),
        success=_("The cycle is closed: the personal links no longer work."),
        to=_cycle_url(console, obj),
    )


@console_view(CHANGE_PROGRAMME)
@require_POST
def cycle_remind(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    sent = domain.send_reminders(cycle=obj)
    if sent:
        messages.success(
            request,
            ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", sent) % {"n": sent},
        )
    else:
        messages.info(
            request,
            _(
                "No reminder sent. Each maker that has not reported is reminded once in the "
                "%(before)s days before its report is due (the deadline, or the close for a "
                "commitment confirmed after the deadline) and once %(after)s days after; "
                "reminders already sent are not repeated, and makers that reported are not "
                "reminded."
            )
            % {"before": obj.remind_days_before, "after": obj.remind_days_after},
        )
    return redirect(_cycle_url(console, obj))


@console_view(CHANGE_PROGRAMME)
@require_POST
def invitation_resend(request: HttpRequest, console: Console, invitation: int) -> HttpResponse:
    obj = get_object_or_404(
        Invitation.objects.filter(cycle__programme=console.programme).select_related(
            "cycle", "organisation"
        ),
        pk=invitation,
    )
    obj.cycle.programme = console.programme
    return act(
        request,
        lambda: domain.resend_link(actor=request.user, invitation=obj),
        success=_("A new link was sent to %(org)s; the previous one no longer works.")
        % {"org": obj.organisation.name},
        to=_cycle_url(console, obj.cycle),
    )


# Reports of a cycle --------------------------------------------------------------------------


@console_view()
def cycle_reports(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    latest = queries.latest_submitted().filter(cycle=obj, commitment=OuterRef("pk"))
    commitments = (
        queries.active_commitments(obj)
        .select_related("organisation")
        .annotate(
            report_id=Subquery(latest.values("pk")[:1]),
            report_version=Subquery(latest.values("version")[:1]),
            report_status=Subquery(latest.values("implementation_status")[:1]),
            report_submitted_at=Subquery(latest.values("submitted_at")[:1]),
            n_reports=Count("progress_reports", filter=Q(progress_reports__cycle=obj)),
        )
        .order_by("organisation__name", "title", "pk")
    )
    page = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    statuses = dict(ImplementationStatus.choices)
    for c in page.object_list:
        c.report_status_label = statuses.get(c.report_status, "")  # type: ignore[attr-defined]
    return render(
        request, "console/reporting_reports.html", {"console": console, "cycle": obj, "page": page}
    )


@console_view()
def report_detail(request: HttpRequest, console: Console, report: int) -> HttpResponse:
    obj = get_object_or_404(
        ProgressReport.objects.filter(
            cycle__programme=console.programme, status=SUBMITTED
        ).select_related("cycle", "commitment__organisation", "commitment__currency"),
        pk=report,
    )
    slug = console.programme.slug

    def evidence_url(pk: int) -> str:
        return reverse("console:reporting_evidence", kwargs={"programme": slug, "evidence": pk})

    details = report_details(obj, evidence_url if console.can_change else None)
    if not console.can_change:
        details["files"] = [e for e in obj.evidence.all() if e.file]
    versions = ProgressReport.objects.filter(
        commitment=obj.commitment, cycle=obj.cycle, status=SUBMITTED
    ).order_by("-version")
    return render(
        request,
        "console/reporting_report.html",
        {"console": console, "cycle": obj.cycle, "versions": versions, **details},
    )


@console_view(CHANGE_PROGRAMME)
def evidence_download(
    request: HttpRequest, console: Console, evidence: int
) -> Any:  # a FileResponse (streaming), which console_view's typing does not cover
    obj = get_object_or_404(
        Evidence.objects.filter(
            report__cycle__programme=console.programme, report__status=SUBMITTED
        ),
        pk=evidence,
    )
    return serve_evidence(obj)


# Dashboard -----------------------------------------------------------------------------------


def _round(value: Fraction) -> Decimal:
    """To the cent as the annual report rounds (half-even, exact), so both say the same."""
    return annual.round2(value)


@dataclass
class MoneyRow:
    currency: str
    pledged: Decimal
    disbursed: Decimal
    rate: exchange.Rate | None
    pledged_converted: Decimal | None  # None: no rate, not converted
    disbursed_converted: Decimal | None


@dataclass
class DashboardRow:
    label: str
    rate: figures.Rate
    parts: figures.Figures | None

    @property
    def progress(self) -> float | None:
        return self.parts.progress if self.parts else None


def _rows(
    rates: Iterable[figures.Rate], parts: dict[Any, figures.Figures], key: Any = str
) -> list[DashboardRow]:
    return [DashboardRow(r.label, r, parts.get(key(r.key))) for r in rates]


@console_view()
def dashboard(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    current = figures.current(obj)
    rates, roll = current.rates, current.rollup
    total = roll.programme
    statuses: list[tuple[Any, int]] = [
        (label, int(total.by_status.get(value, Fraction(0))))
        for value, label in ImplementationStatus.choices
    ]
    statuses.append((_("Not reported"), int(total.commitments - total.reported)))
    money_rates = exchange.Rates.of(obj)
    money = []
    for code, amount in sorted(total.pledged.items()):
        disbursed = total.disbursed.get(code, Fraction(0))
        factor = money_rates.factor(code)
        money.append(
            MoneyRow(
                code,
                _round(amount),
                _round(disbursed),
                money_rates.by_currency.get(code),
                None if factor is None else _round(amount * factor),
                None if factor is None else _round(disbursed * factor),
            )
        )
    converted = None
    if money_rates.currency:
        pledged = money_rates.convert(total.pledged)
        paid = money_rates.convert({c: total.disbursed.get(c, Fraction(0)) for c in total.pledged})
        converted = {
            "currency": money_rates.currency,
            "pledged": _round(pledged.total),
            "disbursed": _round(paid.total),
            "unconverted": sorted(pledged.unconverted),
        }
    return render(
        request,
        "console/reporting_dashboard.html",
        {
            "console": console,
            "cycle": obj,
            "programme_rate": rates["programme"][0],
            "progress": total.progress,
            "statuses": statuses,
            "money": money,
            "converted": converted,
            "reporting_currency": money_rates.currency,
            "groups": [
                (_("By theme"), _rows(rates["theme"], roll.by_theme, int)),
                (_("By stakeholder category"), _rows(rates["category"], roll.by_category)),
                (_("By region"), _rows(rates["region"], roll.by_region)),
            ],
        },
    )


# Escalation -----------------------------------------------------------------------------------


@console_view()
def escalation(request: HttpRequest, console: Console) -> HttpResponse:
    now = timezone.now()
    cycles = list(figures.started_cycles([console.programme.pk], now))
    window = figures.Window.of(cycles, now)
    page = None
    counts = {"late": 0, "inactive": 0}
    cycle = cycles[0] if cycles else None
    if cycle is not None and window is not None:
        cycle.programme = console.programme
        silent = window.silent(queries.active_commitments(cycle))
        counts.update(
            silent.aggregate(
                late=Count("pk", filter=Q(light="late")),
                inactive=Count("pk", filter=Q(light="inactive")),
            )
        )
        rows = (
            silent.select_related("organisation")
            .prefetch_related(_people())
            .annotate(
                last_report=Subquery(
                    ProgressReport.objects.filter(commitment=OuterRef("pk"), status=SUBMITTED)
                    .order_by("-submitted_at")
                    .values("submitted_at")[:1]
                ),
                n_reminders=_count(
                    Reminder.objects.filter(cycle=cycle, organisation=OuterRef("organisation")),
                    "organisation",
                ),
            )
            .order_by("organisation__name", "title", "pk")
        )
        total = counts["late"] + counts["inactive"]  # known: no second count
        page = CountedPaginator(rows, PAGE_SIZE, total).get_page(request.GET.get("page"))
    return render(
        request,
        "console/reporting_escalation.html",
        {"console": console, "cycle": cycle, "page": page, "counts": counts},
    )
