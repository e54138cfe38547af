"""Console forms.  They parse and show input; the rules live in the domain functions
(``programmes.domain``, ``commitments.domain``), whose ``ValidationError`` is put back on
the form's fields by :func:`pledgebook.core.forms.attempt`."""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments.models import Application, Commitment
from pledgebook.core.audit import action_label, object_type_label
from pledgebook.organisations.models import grouped_choices
from pledgebook.programmes.domain import PROGRAMME_FIELDS, check_programme
from pledgebook.programmes.models import (
    Action,
    CommitmentType,
    Programme,
    ProgrammeRole,
    Theme,
)
from pledgebook.reference.models import Goal

#: Slugs that would shadow a console URL.
RESERVED_SLUGS = {"programmes"}


class ConsoleForm(forms.Form):
    error_css_class = "field-error"


class ConsoleModelForm(forms.ModelForm):
    error_css_class = "field-error"


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProgrammeForm(ConsoleModelForm):
    """Programme settings.  Bound to a copy of the programme, so that a failed attempt
    never touches the object the domain function changes."""

    stakeholder_categories = forms.MultipleChoiceField(
        label=_("Stakeholder categories shown"),
        choices=grouped_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The categories of organisations this programme offers in its forms and filters. "
            "An organisation keeps its category everywhere: one outside this list still takes "
            "part and is counted under its own category. A new programme left without a "
            "choice shows, for action coalitions, the categories Generation Equality used, and "
            "all of them for other kinds."
        ),
    )

    class Meta:
        model = Programme
        fields = [*PROGRAMME_FIELDS, "commitment_types"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "starts_on": _DATE,
            "ends_on": _DATE,
            "registration_opens_at": _DATETIME,
            "registration_closes_at": _DATETIME,
            "commitment_types": forms.CheckboxSelectMultiple,
        }
        labels = {"slug": _("Short name in addresses (slug)")}
        help_texts = {
            "slug": _("Lower-case letters, digits and hyphens, e.g. “generation-equality”."),
            "is_published": _("Published programmes are listed on the public site."),
            "application_review_days": _(
                "Applications to join a theme are due for a decision this many days after "
                "they arrive."
            ),
        }

    def __init__(self, *args: Any, instance: Programme | None = None, **kwargs: Any) -> None:
        kwargs["instance"] = copy.copy(instance) if instance else None
        super().__init__(*args, **kwargs)
        types = cast(forms.ModelMultipleChoiceField, self.fields["commitment_types"])
        types.queryset = CommitmentType.objects.order_by("position")
        currency = cast(forms.ModelChoiceField, self.fields["reporting_currency"])
        currency.empty_label = _("None: money totals by currency only")
        zone = settings.TIME_ZONE
        for name in ("registration_opens_at", "registration_closes_at"):
            self.fields[name].help_text = _("Date and time, %(zone)s.") % {"zone": zone}
        for name in (
            "application_review_days",
            "leader_min_years",
            "leader_max_years",
            "maker_min_years",
            "maker_max_years",
        ):
            self.fields[name].widget.attrs["min"] = 1

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This slug is reserved: choose another."))
        return slug

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.instance.pk is None and not self.cleaned_data.get("stakeholder_categories"):
            # A new programme left without a choice shows the default of its kind
            # (programmes.domain.create_programme); its settings can narrow it later.
            self.cleaned_data["stakeholder_categories"] = None
        for name, messages in check_programme(self.cleaned_data).items():
            self.add_error(name if name in self.fields else None, messages)
        return self.cleaned_data

    def domain_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ThemeForm(ConsoleForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses (slug)"),
        max_length=80,
        help_text=_("Unique within the programme, e.g. “economic-justice”."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=Goal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Themes are listed in ascending order of position."),
    )

    @classmethod
    def initial_for(cls, theme: Theme) -> dict[str, Any]:
        return {
            "name": theme.name,
            "slug": theme.slug,
            "description": theme.description,
            "goals": list(theme.goals.all()),
            "position": theme.position,
        }


class ActionForm(ConsoleForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        required=False,
        help_text=_("Optional short reference, e.g. “A1.2”; unique within the theme."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    @classmethod
    def initial_for(cls, action: Action) -> dict[str, Any]:
        return {
            "code": action.code,
            "title": action.title,
            "description": action.description,
            "position": action.position,
        }


class RoleGrantForm(ConsoleForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person must already have a Pledgebook account."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ProgrammeRole.Role.choices,
        widget=forms.RadioSelect,
        initial=ProgrammeRole.Role.REVIEWER,
    )


class ApplicationFilterForm(ConsoleForm):
    ALL = "all"
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*Application.Status.choices, (ALL, _("All statuses"))],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = programme.themes.all()


class ApplicationDecisionForm(ConsoleForm):
    APPROVE, DECLINE = "approve", "decline"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when declining; the applicant receives it by e-mail."),
    )


class CommitmentFilterForm(ConsoleForm):
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), choices=(), required=False)

    def __init__(self, *args: Any, programme: Programme, statuses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = programme.themes.all()
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("All")),
            *((s, Commitment.Status(s).label) for s in statuses),
        ]


class ReasonForm(ConsoleForm):
    """The reason given with a review decision.  Whether it is required is the domain's
    rule (``commitments.domain``), reported at this field."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, label: Any = None, help_text: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class OverrideForm(ConsoleForm):
    MET, NOT_MET = "yes", "no"
    met = forms.ChoiceField(
        label=_("Judgement"),
        choices=[(MET, _("Met")), (NOT_MET, _("Not met"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
        help_text=_("Required: say why the computed judgement does not hold."),
    )


class AuditFilterForm(ConsoleForm):
    action = forms.ChoiceField(label=_("Action"), choices=(), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), choices=(), required=False)
    object_id = forms.IntegerField(label=_("Object number"), min_value=1, required=False)

    def __init__(self, *args: Any, actions: Any, object_types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("All")),
            *((a, action_label(a)) for a in actions),
        ]
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [
            ("", _("All")),
            *((t, object_type_label(t)) for t in object_types),
        ]
