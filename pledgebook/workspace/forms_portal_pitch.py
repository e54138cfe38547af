"""Forms of the pitch pipeline (``portal.pitch``): a scale-up plan, an investor profile, an
outcome (also used by the console).  Content rules live in ``portal.pitch.validation``: the
fields here are optional where the domain says what is missing, at the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgebook.portal.models.pitch import Instrument, InvestorKind, PitchOutcome, Stage
from pledgebook.portal.pitch import validation
from pledgebook.reference.models import Country, Currency, Goal, Region


def _money(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=16, decimal_places=2
    )


def _currency() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Currency"), queryset=Currency.objects.all(), initial="USD", empty_label=None
    )


def _area_fields() -> dict[str, forms.Field]:
    return {
        "countries": forms.ModelMultipleChoiceField(
            label=_("Countries"),
            queryset=Country.objects.all(),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
        ),
        "regions": forms.ModelMultipleChoiceField(
            label=_("Regions"),
            queryset=Region.objects.all(),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
        ),
        "goals": forms.ModelMultipleChoiceField(
            label=_("Sustainable Development Goals"),
            queryset=Goal.objects.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
    }


def _value_label(value: Any) -> str:
    report = value.report
    unit = f" {value.indicator.unit}" if value.indicator.unit else ""
    return (
        f"{report.commitment.title} · {report.cycle.name}: {value.indicator.name} = "
        f"{value.value.normalize():f}{unit}"
    )


def _report_label(report: Any) -> str:
    currency = report.disbursed_currency_id or report.commitment.currency_id or ""
    return str(
        _("%(commitment)s · %(cycle)s: %(amount)s %(currency)s disbursed so far")
        % {
            "commitment": report.commitment.title,
            "cycle": report.cycle.name,
            "amount": f"{report.disbursed_amount:,.2f}",
            "currency": currency,
        }
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    plan = forms.CharField(
        label=_("The plan to scale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Where and how the partnership will grow, and what the money pays for."),
    )
    amount = _money(_("Funding sought"))
    currency = _currency()
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", "---------"), *Stage.choices], required=False
    )
    evidence_values = forms.ModelMultipleChoiceField(
        label=_("Results from your progress reports"),
        queryset=Country.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Indicator values of your submitted progress reports."),
    )
    evidence_reports = forms.ModelMultipleChoiceField(
        label=_("Disbursements from your progress reports"),
        queryset=Country.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partnership: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_area_fields())
        self.order_fields(
            [
                "title",
                "plan",
                "amount",
                "currency",
                "instruments",
                "stage",
                "countries",
                "regions",
                "goals",
            ]
        )
        values: Any = self.fields["evidence_values"]
        values.queryset = validation.evidence_values(partnership, organisation)
        values.label_from_instance = _value_label
        reports: Any = self.fields["evidence_reports"]
        reports.queryset = validation.evidence_disbursements(partnership, organisation)
        reports.label_from_instance = _report_label

    def domain_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "text": d["plan"],
            "amount": d["amount"],
            "currency": d["currency"],
            "instruments": list(d["instruments"]),
            "stage": d["stage"],
            "countries": list(d["countries"]),
            "regions": list(d["regions"]),
            "goals": list(d["goals"]),
            "values": list(d["evidence_values"]),
            "reports": list(d["evidence_reports"]),
        }

    @staticmethod
    def initial_of(plan: Any) -> dict[str, Any]:
        from pledgebook.portal.pitch.matching import instruments_of, sdgs_of

        return {
            "title": plan.title,
            "plan": plan.plan,
            "amount": plan.amount,
            "currency": plan.currency_id,
            "instruments": instruments_of(plan.instrument_mask),
            "stage": plan.stage,
            "countries": list(plan.countries.all()),
            "regions": list(plan.regions.all()),
            "goals": sdgs_of(plan.sdg_mask),
            "evidence_values": list(plan.evidence_values.all()),
            "evidence_reports": list(plan.evidence_reports.all()),
        }


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of investor"), choices=InvestorKind.choices)
    summary = forms.CharField(
        label=_("What you invest in"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    ticket_min = _money(_("Smallest ticket"))
    ticket_max = _money(_("Largest ticket"))
    currency = _currency()
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages you fund"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_area_fields())
        self.fields["countries"].help_text = _(
            "Leave countries and regions empty to invest anywhere."
        )
        if kinds:
            self.fields["kind"].choices = [c for c in InvestorKind.choices if c[0] in kinds]  # type: ignore[attr-defined]

    def domain_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "summary": d["summary"],
            "ticket_min": d["ticket_min"],
            "ticket_max": d["ticket_max"],
            "currency": d["currency"],
            "instruments": list(d["instruments"]),
            "stages": list(d["stages"]),
            "countries": list(d["countries"]),
            "regions": list(d["regions"]),
            "goals": list(d["goals"]),
        }

    @staticmethod
    def initial_of(profile: Any) -> dict[str, Any]:
        from pledgebook.portal.pitch.matching import instruments_of, sdgs_of, stages_of

        return {
            "kind": profile.kind,
            "summary": profile.summary,
            "ticket_min": profile.ticket_min,
            "ticket_max": profile.ticket_max,
            "currency": profile.currency_id,
            "instruments": instruments_of(profile.instrument_mask),
            "stages": stages_of(profile.stage_mask),
            "countries": list(profile.countries.all()),
            "regions": list(profile.regions.all()),
            "goals": sdgs_of(profile.sdg_mask),
        }


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=PitchOutcome.Status.choices)
    amount = _money(_("Amount funded"))
    currency = forms.ModelChoiceField(
        label=_("Currency"), queryset=Currency.objects.all(), required=False, initial="USD"
    )
    instrument = forms.ChoiceField(
        label=_("Instrument"), choices=[("", "---------"), *Instrument.choices], required=False
    )
    reason = forms.CharField(
        label=_("Reason (when declined)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def domain_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "status": d["status"],
            "amount": d["amount"],
            "currency": d["currency"],
            "instrument": d["instrument"],
            "reason": d["reason"],
        }
