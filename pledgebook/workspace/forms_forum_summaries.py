"""The session summary form (the programme's template): key messages, participation (in
person, online, by the programme's stakeholder categories), the recommendations (a formset:
one row each, rows added and removed, empty rows ignored) and the commitments and partnerships
announced (a formset: a public commitment of the programme found by its title, or one
described).

The forms only parse what was typed; the rules live in ``forum.validation`` (``check_summary``,
``check_announcement``), applied by ``forum.domain.summaries``.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments.models import Commitment
from pledgebook.core.widgets import FastSelect
from pledgebook.forum.domain.summaries import AnnouncementInput, RecommendationInput
from pledgebook.forum.models import SessionSummary
from pledgebook.forum.validation import check_announcement
from pledgebook.organisations.models import Category
from pledgebook.programmes.models import Programme
from pledgebook.reference.models import Currency

#: How many commitments the picker lists at once (found by title).
PICKER_SIZE = 30
CATEGORY_PREFIX = "category_"


class SummaryForm(forms.Form):
    error_css_class = "field-error"

    key_messages = forms.CharField(
        label=_("Key messages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the session concluded, in a few short paragraphs."),
    )
    participants_in_person = forms.IntegerField(
        label=_("Participants in person"), min_value=0, required=False
    )
    participants_online = forms.IntegerField(
        label=_("Participants online"), min_value=0, required=False
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Category.choices)
        for code in programme.shown_categories():
            self.fields[CATEGORY_PREFIX + code] = forms.IntegerField(
                label=labels.get(code, code), min_value=0, required=False
            )

    @classmethod
    def initial_for(cls, summary: SessionSummary | None) -> dict[str, Any]:
        if summary is None:
            return {}
        initial: dict[str, Any] = {
            "key_messages": summary.key_messages,
            "participants_in_person": summary.participants_in_person,
            "participants_online": summary.participants_online,
        }
        for code, number in (summary.participation_by_category or {}).items():
            initial[CATEGORY_PREFIX + code] = number
        return initial

    def category_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(CATEGORY_PREFIX)]

    def by_category(self) -> dict[str, int]:
        return {
            name.removeprefix(CATEGORY_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(CATEGORY_PREFIX) and value is not None
        }


class RecommendationForm(forms.Form):
    error_css_class = "field-error"

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def as_input(self) -> RecommendationInput | None:
        if self.cleaned_data.get("DELETE"):
            return None
        text = (self.cleaned_data.get("text") or "").strip()
        return RecommendationInput(text, self.cleaned_data.get("id")) if text else None


class BaseRecommendationFormSet(forms.BaseFormSet):
    def inputs(self) -> list[RecommendationInput]:
        found = [form.as_input() for form in self.forms]
        return [r for r in found if r is not None]


RecommendationFormSet = cast(
    type[BaseRecommendationFormSet],
    forms.formset_factory(
        RecommendationForm,
        formset=BaseRecommendationFormSet,
        extra=0,
        can_delete=True,
        max_num=100,
        absolute_max=100,
    ),
)


def public_commitments(programme: Programme) -> QuerySet[Commitment]:
    return Commitment.objects.public().filter(programme=programme).order_by("title", "pk")


def commitment_choices(programme: Programme, find: str, selected: Any) -> list[tuple[str, str]]:
    """The picker's options: none, the chosen commitment, then the public commitments of the
    programme whose title holds ``find`` (the first ``PICKER_SIZE``)."""
    options: list[tuple[str, str]] = [("", str(_("— Not on the platform: describe it below —")))]
    everything = public_commitments(programme)
    chosen = None
    if selected not in (None, "") and str(selected).isdigit():
        chosen = everything.filter(pk=int(selected)).first()
    if chosen is not None:
        options.append((str(chosen.pk), chosen.title))
    found = everything.filter(title__icontains=find.strip()) if find.strip() else everything
    if chosen is not None:
        found = found.exclude(pk=chosen.pk)
    options += [(str(pk), title) for pk, title in found.values_list("pk", "title")[:PICKER_SIZE]]
    return options


class AnnouncementForm(forms.Form):
    error_css_class = "field-error"

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    find = forms.CharField(
        label=_("Find a commitment on the platform by its title"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    commitment = forms.ModelChoiceField(
        label=_("Commitment on the platform"),
        queryset=Commitment.objects.none(),
        required=False,
        widget=FastSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    maker = forms.CharField(label=_("Made by"), max_length=300, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    currency = forms.ModelChoiceField(
        label=_("Currency"),
        queryset=Currency.objects.order_by("code"),
        to_field_name="code",
        required=False,
        widget=FastSelect,
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_(
            "Not on the platform yet: when the summary is submitted, we invite this address "
            "to register it."
        ),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        field = cast(forms.ModelChoiceField, self.fields["commitment"])
        field.queryset = public_commitments(programme)
        find = self.data.get(self.add_prefix("find"), "") if self.is_bound else ""
        selected = (
            self.data.get(self.add_prefix("commitment"))
            if self.is_bound
            else self.initial.get("commitment")
        )
        field.choices = commitment_choices(programme, find or "", selected)

    def as_input(self) -> AnnouncementInput | None:
        data = self.cleaned_data
        if data.get("DELETE"):
            return None
        commitment = data.get("commitment")
        currency = data.get("currency")
        item = AnnouncementInput(
            title=(data.get("title") or "").strip(),
            commitment_id=commitment.pk if commitment is not None else None,
            maker=(data.get("maker") or "").strip(),
            amount=data.get("amount"),
            currency=currency.code if currency is not None else "",
            contact_email=(data.get("contact_email") or "").strip(),
            id=data.get("id"),
        )
        blank = not (item.commitment_id or item.title or item.maker or item.contact_email)
        return None if blank and item.amount is None else item

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("DELETE") and (item := self.as_input()) is not None:
            for message in check_announcement(programme=self.programme, item=item):
                self.add_error(None, message)
        return data


class BaseAnnouncementFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        self.programme = programme
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "programme": self.programme}

    def inputs(self) -> list[AnnouncementInput]:
        found = [form.as_input() for form in self.forms]
        return [a for a in found if a is not None]


AnnouncementFormSet = cast(
    type[BaseAnnouncementFormSet],
    forms.formset_factory(
        AnnouncementForm,
        formset=BaseAnnouncementFormSet,
        extra=0,
        can_delete=True,
        max_num=50,
        absolute_max=50,
    ),
)
