"""The exchange rates of a reporting cycle, kept by the programme's secretariat: the currencies
its commitments are pledged in with their rate (or "not converted"), every rate kept, a form
for one rate and the import of a CSV (the UN operational rates of exchange layout).

Readers of the console see the page; only the secretariat changes rates.  Changes go through
``reporting.domain`` (``set_exchange_rate``, ``delete_exchange_rate``,
``import_exchange_rates``); every query is scoped to ``console.programme``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms_reporting import ExchangeRateForm, ExchangeRatesImportForm
from pledgebook.core.forms import attempt
from pledgebook.reporting import domain, queries
from pledgebook.reporting.models import ExchangeRate, ReportingCycle


def _cycle(console: Console, pk: int) -> ReportingCycle:
    cycle = get_object_or_404(ReportingCycle.objects.filter(programme=console.programme), pk=pk)
    cycle.programme = console.programme
    return cycle


def _page(
    request: HttpRequest,
    console: Console,
    cycle: ReportingCycle,
    *,
    form: ExchangeRateForm | None = None,
    import_form: ExchangeRatesImportForm | None = None,
    result: domain.RatesImport | None = None,
    status: int = 200,
) -> HttpResponse:
    reporting = console.programme.reporting_currency_id or ""
    rates = list(
        ExchangeRate.objects.filter(cycle=cycle).select_related("currency").order_by("currency")
    )
    usable = {r.currency_id: r for r in rates if r.reporting_currency_id == reporting}
    pledged = [
        {
            "code": row["currency_id"],
            "n": row["n"],
            "rate": usable.get(row["currency_id"]),
            "is_reporting": row["currency_id"] == reporting,
        }
        for row in queries.active_commitments(cycle)
        .filter(currency__isnull=False, amount__isnull=False)
        .order_by()
        .values("currency_id")
        .annotate(n=Count("pk"))
        .order_by("currency_id")
    ]
    if reporting and console.can_change:
        if form is None:
            initial: dict[str, Any] = {}
            wanted = usable.get(request.GET.get("currency", "").upper())
            if wanted is not None:
                initial = {
                    "currency": wanted.currency_id,
                    "rate": wanted.rate.normalize(),
                    "effective_on": wanted.effective_on,
                    "source": wanted.source,
                }
            form = ExchangeRateForm(initial=initial or None, reporting_currency=reporting)
        import_form = import_form or ExchangeRatesImportForm(reporting_currency=reporting)
    return render(
        request,
        "console/reporting_rates.html",
        {
            "console": console,
            "cycle": cycle,
            "reporting_currency": reporting,
            "rates": rates,
            "pledged": pledged,
            "missing": [p["code"] for p in pledged if not p["rate"] and not p["is_reporting"]],
            "form": form,
            "import_form": import_form,
            "result": result,
        },
        status=status,
    )


@console_view()
def rates(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    return _page(request, console, _cycle(console, cycle))


@console_view(CHANGE_PROGRAMME)
@require_POST
def rate_save(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    reporting = console.programme.reporting_currency_id or ""
    form = ExchangeRateForm(request.POST, reporting_currency=reporting)
    if done := attempt(
        form, lambda data: domain.set_exchange_rate(actor=request.user, cycle=obj, **data)
    ):
        rate = done.value
        messages.success(
            request,
            _("Rate of %(code)s kept: %(rate)s per 1 %(reporting)s, of %(date)s.")
            % {
                "code": rate.currency_id,
                "rate": rate.rate.normalize(),
                "reporting": rate.reporting_currency_id,
                "date": rate.effective_on.isoformat(),
            },
        )
        return redirect("console:reporting_rates", programme=console.programme.slug, cycle=obj.pk)
    return _page(request, console, obj, form=form)


@console_view(CHANGE_PROGRAMME)
@require_POST
def rate_delete(request: HttpRequest, console: Console, cycle: int, rate: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    row = get_object_or_404(ExchangeRate.objects.filter(cycle=obj), pk=rate)
    row.cycle = obj
    domain.delete_exchange_rate(actor=request.user, rate=row)
    messages.success(
        request,
        _("Rate of %(code)s removed: its money is shown not converted.")
        % {"code": row.currency_id},
    )
    return redirect("console:reporting_rates", programme=console.programme.slug, cycle=obj.pk)


@console_view(CHANGE_PROGRAMME)
@require_POST
def rates_import(request: HttpRequest, console: Console, cycle: int) -> HttpResponse:
    obj = _cycle(console, cycle)
    reporting = console.programme.reporting_currency_id or ""
    form = ExchangeRatesImportForm(request.POST, request.FILES, reporting_currency=reporting)
    if not form.is_valid():
        return _page(request, console, obj, import_form=form)
    upload = form.cleaned_data["file"]
    if upload.size > 1024 * 1024:
        form.add_error("file", _("The file is larger than 1 MB."))
        return _page(request, console, obj, import_form=form)
    try:
        result = domain.import_exchange_rates(
            actor=request.user,
            cycle=obj,
            data=upload.read(),
            source=form.cleaned_data["source"],
        )
    except ValidationError as exc:
        # About the file as a whole: said at its field, which cannot keep the file.
        form.add_error("file", [*exc.messages, _("Choose the file again once it is corrected.")])
        return _page(request, console, obj, import_form=form)
    if result.saved:
        messages.success(
            request,
            ngettext(
                "%(n)s exchange rate imported.", "%(n)s exchange rates imported.", len(result.saved)
            )
            % {"n": len(result.saved)},
        )
    if result.problems:
        messages.warning(
            request,
            ngettext(
                "%(n)s row was not imported: see why below.",
                "%(n)s rows were not imported: see why below.",
                len(result.problems),
            )
            % {"n": len(result.problems)},
        )
        return _page(request, console, obj, result=result)
    return redirect("console:reporting_rates", programme=console.programme.slug, cycle=obj.pk)
