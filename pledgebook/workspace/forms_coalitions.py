"""Forms of the coalition hub in the workspace: an expression of interest (EOI) with its
principles and asks (one per line), its work plan (a formset of milestones) and the members to
invite (a formset: an organisation on the platform, or a name, e-mail, category and country).

The rules live in ``coalitions.validation``; these forms only turn what was typed into the
domain's inputs and put the domain's errors at the fields.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgebook.coalitions.validation import MemberInput, MilestoneInput, normalise_email
from pledgebook.organisations.models import Organisation, grouped_choices
from pledgebook.programmes.models import Programme, Theme
from pledgebook.reference.models import Country, Goal


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EOIForm(forms.Form):
    error_css_class = "field-error"

    organisation = forms.ModelChoiceField(
        label=_("Proposing organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("It becomes the lead member of the coalition."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_pre_existing = forms.BooleanField(
        label=_("This coalition already exists"),
        required=False,
        help_text=_("Leave it unticked when the coalition is to be co-created at the conference."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=Goal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = forms.CharField(
        label=_("Principles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The principles the coalition advances: one per line."),
    )
    asks = forms.CharField(
        label=_("Specific asks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the coalition asks for: one per line."),
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        organisations: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        themes = self.fields["themes"]
        assert isinstance(themes, forms.ModelMultipleChoiceField)
        themes.queryset = Theme.objects.filter(programme=programme).order_by("position", "name")
        if organisations is None:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
            if len(organisations) == 1:
                field.empty_label = None
                field.initial = organisations[0].pk

    @property
    def principle_list(self) -> list[str]:
        return lines(self.cleaned_data.get("principles", ""))

    @property
    def ask_list(self) -> list[str]:
        return lines(self.cleaned_data.get("asks", ""))


class MilestoneForm(forms.Form):
    error_css_class = "field-error"

    title = forms.CharField(label=_("Milestone"), max_length=300, required=False)
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        title, due_on = (data.get("title") or "").strip(), data.get("due_on")
        if title and due_on is None and "due_on" not in self.errors:
            self.add_error("due_on", _("Give the date of “%(title)s”.") % {"title": title})
        if due_on is not None and not title:
            self.add_error("title", _("Name the milestone due on this date."))
        return data

    def as_input(self) -> MilestoneInput | None:
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            return None
        return MilestoneInput(title, self.cleaned_data.get("due_on"))


class BaseMilestoneFormSet(forms.BaseFormSet):
    def inputs(self) -> list[MilestoneInput]:
        found = [form.as_input() for form in self.forms]
        return [m for m in found if m is not None]


MilestoneFormSet = cast(
    type[BaseMilestoneFormSet],
    forms.formset_factory(MilestoneForm, formset=BaseMilestoneFormSet, extra=2, max_num=30),
)


class MemberForm(forms.Form):
    error_css_class = "field-error"

    organisation = forms.ModelChoiceField(
        label=_("Organisation on Pledgebook"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    name = forms.CharField(label=_("…or the name of an organisation to invite"), required=False)
    email = forms.EmailField(label=_("Its e-mail address"), required=False)
    category = forms.ChoiceField(
        label=_("Its stakeholder category"),
        choices=[("", "---------"), *grouped_choices()],
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Its country"), queryset=Country.objects.all(), required=False
    )

    def __init__(self, *args: Any, programme: Programme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programme is not None:
            # The categories the programme shows (an organisation on the platform keeps its
            # own, whatever it is).
            category = cast(forms.ChoiceField, self.fields["category"])
            category.choices = [("", "---------"), *programme.category_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = data.get("name") or data.get("email") or data.get("category") or data.get("country")
        if data.get("organisation") is not None and typed:
            self.add_error(
                "organisation",
                _("Choose an organisation on Pledgebook, or invite one by e-mail: not both."),
            )
        elif data.get("organisation") is None and typed:
            for name, message in (
                ("name", _("Give the name of the organisation.")),
                ("email", _("Give its e-mail address.")),
                ("category", _("Give its stakeholder category.")),
                ("country", _("Give its country.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def as_input(self) -> MemberInput | None:
        data = self.cleaned_data
        if data.get("organisation") is not None:
            return MemberInput(organisation=data["organisation"])
        if data.get("email"):
            return MemberInput(
                email=data["email"],
                name=data.get("name", ""),
                category=data.get("category", ""),
                country=data.get("country"),
            )
        return None


class BaseMemberFormSet(forms.BaseFormSet):
    """New members to invite; ``taken`` are the keys already members of the EOI."""

    def __init__(self, *args: Any, taken: dict[Any, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken or {}

    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        seen: set[Any] = set(self.taken)
        for form in self.forms:
            member = form.as_input()
            if member is None:
                continue
            field = "organisation" if member.organisation is not None else "email"
            key = (
                member.key
                if member.organisation is not None
                else ("email", normalise_email(member.email))
            )
            if key in self.taken:
                form.add_error(field, _("%(org)s is already a member.") % {"org": self.taken[key]})
            elif key in seen:
                label = str(member.organisation) if member.organisation else member.email
                form.add_error(field, _("%(org)s is given twice.") % {"org": label})
            seen.add(key)

    def inputs(self) -> list[MemberInput]:
        found = [form.as_input() for form in self.forms]
        return [m for m in found if m is not None]


MemberFormSet = cast(
    type[BaseMemberFormSet],
    forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=2, max_num=50),
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
