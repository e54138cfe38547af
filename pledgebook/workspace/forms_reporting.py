"""The progress report form: one form for the personal link and the workspace pages
(``views_report_link.py``, ``views_reporting.py``).

The form parses what was typed; the rules live in ``reporting.validation`` (``check_report``,
the evidence checks), applied by ``reporting.domain``, whose ``ValidationError``
``core.forms.attempt`` puts back at the fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from pledgebook.core import uploads
from pledgebook.reference.models import Currency
from pledgebook.reporting import domain
from pledgebook.reporting.models import (
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    ProgressReport,
)
from pledgebook.reporting.validation import EVIDENCE_KINDS

#: Fields of ProgressReport the form edits, in the order the domain's errors may name them.
REPORT_FIELDS = (
    "implementation_status",
    "narrative",
    "challenges",
    "disbursed_amount",
    "disbursed_currency",
    "exchange_rate",
)
INDICATOR_PARTS = ("baseline", "target", "value")


def _decimal(label: Any, *, places: int, digits: int = 18, **kw: Any) -> forms.DecimalField:
    """A decimal typed as text: a browser's number input would silently drop "12,5"; here
    the person gets an error at the field and keeps what was typed."""
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=digits,
        decimal_places=places,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kw,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    """A progress report of one commitment in one cycle, with a row per indicator of the
    programme's accountability framework."""

    error_css_class = "field-error"

    implementation_status = forms.ChoiceField(
        label=_("Implementation status"),
        choices=ImplementationStatus.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Required to submit."),
    )
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Required to submit: in a few sentences, what was done during this cycle and for whom."
        ),
    )
    challenges = forms.CharField(
        label=_("Challenges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What slowed the work down, and what would help."),
    )
    disbursed_amount = _decimal(_("Money disbursed so far"), places=2)
    disbursed_currency = forms.ModelChoiceField(
        label=_("Currency of the disbursement"),
        queryset=Currency.objects.all(),
        required=False,
        empty_label=_("The pledged currency"),
    )
    exchange_rate = _decimal(
        _("Exchange rate to the pledged currency"),
        places=8,
        help_text=_(
            "Only when the money was disbursed in another currency than the one pledged: "
            "units of the pledged currency for one unit of the disbursed currency."
        ),
    )
    evidence_links = forms.CharField(
        label=_("Add links to evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address a line, e.g. https://example.org/annual-report.pdf."),
    )
    evidence_files = MultipleFileField(
        label=_("Add evidence files"),
        validators=[uploads.FileValidator(*EVIDENCE_KINDS)],
        help_text=_("PDF, PNG, JPEG, CSV, Word or Excel files, up to 10 MB each."),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        report: ProgressReport,
        indicators: Sequence[Indicator],
        values: Iterable[IndicatorValue] = (),
        **kwargs: Any,
    ) -> None:
        self.report = report
        self.indicators = list(indicators)
        commitment = report.commitment
        initial = kwargs.pop("initial", None) or {}
        for name in REPORT_FIELDS:
            if name != "disbursed_currency":
                initial.setdefault(name, getattr(report, name))
        initial["disbursed_currency"] = report.disbursed_currency_id or commitment.currency_id
        by_indicator = {v.indicator_id: v for v in values}
        for indicator in self.indicators:
            stored = by_indicator.get(indicator.pk)
            for part in INDICATOR_PARTS:
                initial[self.indicator_field(indicator, part)] = (
                    getattr(stored, part) if stored else None
                )
        super().__init__(data, files, initial=initial, **kwargs)
        currency = cast(forms.ModelChoiceField, self.fields["disbursed_currency"])
        if commitment.currency_id:
            currency.empty_label = _("The pledged currency (%(code)s)") % {
                "code": commitment.currency_id
            }
        else:
            currency.empty_label = _("No currency")
        for indicator in self.indicators:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            labels = {
                "baseline": _("Baseline"),
                "target": _("Target"),
                "value": _("Value reached"),
            }
            for part in INDICATOR_PARTS:
                field = _decimal(f"{indicator.name}: {labels[part]}{unit}", places=4)
                self.fields[self.indicator_field(indicator, part)] = field

    @staticmethod
    def indicator_field(indicator: Indicator, part: str) -> str:
        return f"indicator_{indicator.pk}_{part}"

    def indicator_rows(self) -> list[tuple[Indicator, list[forms.BoundField]]]:
        """For the template: each indicator with its baseline, target and value fields."""
        return [
            (i, [self[self.indicator_field(i, part)] for part in INDICATOR_PARTS])
            for i in self.indicators
        ]

    def clean_evidence_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]
        urls, bad = [], []
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            if not line:
                continue
            try:
                validate(line)
            except ValidationError:
                bad.append(line)
            else:
                urls.append(line)
        if bad:
            raise ValidationError(
                _("Not a web address (starting with https://): %(lines)s")
                % {"lines": ", ".join(bad)}
            )
        return urls

    # What the domain functions take ---------------------------------------------------

    def apply_to(self, report: ProgressReport) -> None:
        """Copy the typed values onto the (draft) report; the domain saves it."""
        for name in REPORT_FIELDS:
            value = self.cleaned_data[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(report, name, value)

    def entries(self) -> list[domain.IndicatorEntry]:
        entries = []
        for indicator in self.indicators:
            parts: dict[str, Decimal | None] = {
                part: self.cleaned_data[self.indicator_field(indicator, part)]
                for part in INDICATOR_PARTS
            }
            entries.append(domain.IndicatorEntry(indicator, **parts))
        return entries
