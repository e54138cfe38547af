"""The secretariat's reporting forms: the accountability framework, the cycles and the
exchange rates.  The forms parse what was typed; the rules live in ``reporting.validation``
(the cycle dates, indicator codes, rates), applied by ``reporting.domain``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgebook.reference.models import Currency
from pledgebook.reporting.models import Indicator, ReportingCycle

# The accountability framework and the cycles --------------------------------------

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IndicatorForm(forms.Form):
    error_css_class = "field-error"

    code = forms.SlugField(
        label=_("Code"),
        max_length=32,
        help_text=_("Short and unique in the programme, e.g. “people-reached”."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=50,
        required=False,
        help_text=_("e.g. people, USD, policies"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How makers should count it."),
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Indicators are listed in ascending order of position."),
    )

    @classmethod
    def initial_for(cls, indicator: Indicator) -> dict[str, Any]:
        return {name: getattr(indicator, name) for name in cls.base_fields}


class CycleForm(forms.Form):
    error_css_class = "field-error"

    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("e.g. “2026 annual report”.")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ReportingCycle.Kind.choices,
        initial=ReportingCycle.Kind.ANNUAL,
        widget=forms.RadioSelect,
    )
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_DATETIME)
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=_DATETIME,
        help_text=_("Reports after it are still accepted, and marked late."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=_DATETIME,
        help_text=_("After this, no report is accepted and the personal links expire."),
    )


class ExchangeRateForm(forms.Form):
    """One currency's rate for a cycle, typed by the secretariat."""

    error_css_class = "field-error"

    currency = forms.ModelChoiceField(
        label=_("Currency"), queryset=Currency.objects.order_by("code"), to_field_name="code"
    )
    rate = forms.DecimalField(
        label=_("Rate"),
        max_digits=20,
        decimal_places=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    effective_on = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        initial=_("UN operational rates of exchange"),
    )

    def __init__(self, *args: Any, reporting_currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rate"].help_text = _(
            "Units of the currency for 1 %(currency)s, as the UN operational rates give them "
            "(e.g. 129.50 for KES)."
        ) % {"currency": reporting_currency}
        currency = cast(forms.ModelChoiceField, self.fields["currency"])
        currency.queryset = Currency.objects.exclude(code=reporting_currency).order_by("code")


class ExchangeRatesImportForm(forms.Form):
    """A CSV of rates: a header row, then one currency a row."""

    error_css_class = "field-error"

    file = forms.FileField(label=_("CSV file"))
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        initial=_("UN operational rates of exchange"),
        help_text=_("Kept with every rate of the file that has no source column."),
    )

    def __init__(self, *args: Any, reporting_currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A header row naming the columns, then one currency a row: currency code (ISO "
            "4217), rate (units of the currency for 1 %(currency)s), effective date "
            "(2026-12-01, 01.12.2026 or 1 Dec 2026); an optional source column. The UN "
            "operational rates of exchange, saved as CSV, can be imported as they are. At "
            "most 1 MB."
        ) % {"currency": reporting_currency}
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
