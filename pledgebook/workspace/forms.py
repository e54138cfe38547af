"""Forms of an organisation's workspace.

Where a rule already lives in a domain or validation module, the form calls it instead of
repeating it: :class:`CommitmentForm` runs ``commitments.validation.check_commitment`` on what
the author typed, so the field errors are exactly the rules submission enforces.

Choice fields whose wrong answers have a rule with a clear message (a theme the organisation has
not joined, a co-maker that is not a member, an organisation the person does not represent) are
*validated* against the wider set and only *display* the choices that make sense; the rule (or
the permission check of the domain function) then answers with its own message or a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pledgebook.accounts.domain import normalise_email
from pledgebook.commitments.domain import applications_closed
from pledgebook.commitments.models import (
    Application,
    CoMaker,
    Commitment,
    EndorsementLevel,
    GeographicScope,
)
from pledgebook.commitments.validation import (
    CommitmentData,
    check_commitment,
    co_maker_candidates,
)
from pledgebook.core.forms import add_domain_errors
from pledgebook.organisations.models import Organisation, grouped_choices
from pledgebook.programmes.models import Action, CommitmentType, Programme, Theme
from pledgebook.reference.models import Country, Currency, Goal, Region, Target


def model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def show_only(field: forms.Field, objects: Iterable[Any]) -> None:
    """Render only ``objects`` as choices of ``field``; validation keeps its queryset."""
    assert isinstance(field, forms.ModelChoiceField)
    choices: list[tuple[Any, Any]] = [(obj.pk, field.label_from_instance(obj)) for obj in objects]
    if not isinstance(field, forms.ModelMultipleChoiceField) and field.empty_label is not None:
        choices.insert(0, ("", field.empty_label))
    field.widget.choices = choices


def _years(low: int, high: int) -> str:
    """ "five years", "one to five years" (small numbers in words, as one writes them)."""
    if low == high:
        return ngettext("%(n)s year", "%(n)s years", high) % {"n": apnumber(high)}
    return ngettext("%(low)s to %(high)s year", "%(low)s to %(high)s years", high) % {
        "low": apnumber(low),
        "high": apnumber(high),
    }


def role_help_text(programmes: list[Programme]) -> str:
    """How long makers and leaders commit for, from the programmes' duration settings (when
    the programmes offered disagree, that it depends on the programme)."""
    bounds = {(p.duration_bounds(leader=False), p.duration_bounds(leader=True)) for p in programmes}
    if len(bounds) != 1:
        return str(
            _(
                "Commitment makers and leaders commit for the years their programme sets; "
                "leaders co-design the blueprint."
            )
        )
    (maker, leader) = bounds.pop()
    return _(
        "Commitment makers commit for %(maker)s; leaders co-design the blueprint and commit "
        "for %(leader)s."
    ) % {"maker": _years(*maker), "leader": _years(*leader)}


class WebsiteField(forms.URLField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


# Organisations ---------------------------------------------------------------------------


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "category", "country", "website", "description", "is_grassroots"]
        field_classes = {"website": WebsiteField}
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "country": _("Where the organisation has its headquarters. The region follows."),
            "website": _("For example https://example.org"),
            "is_grassroots": _("A community-based organisation working where it is rooted."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = model_field(self, "country")
        country.queryset = Country.objects.order_by("name")
        country.empty_label = _("Choose a country")
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        # Under their headings (organisations.models.GROUPS).
        category.choices = [("", _("Choose a category")), *grouped_choices()]


class AddPersonForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        max_length=254,
        help_text=_("The person needs a verified Pledgebook account."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    is_admin = forms.BooleanField(
        label=_("Can manage this organisation (admin)"),
        required=False,
        help_text=_("Admins edit the profile and add people."),
    )

    user: Any = None

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        self.user = (
            get_user_model()
            ._default_manager.filter(Q(username__iexact=email) | Q(email__iexact=email))
            .filter(is_active=True)
            .order_by("pk")
            .first()
        )
        if self.user is None:
            raise ValidationError(
                _(
                    "No active Pledgebook account uses this address. Ask the person to sign "
                    "up and verify their address, then add them."
                ),
                code="no_account",
            )
        return email


# Applications ----------------------------------------------------------------------------


class ApplyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        empty_label=_("Choose an organisation"),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_published=True),
        empty_label=_("Choose a programme"),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.filter(programme__is_published=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or several themes of the programme."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Application.Role.choices,
        initial=Application.Role.MAKER,
        widget=forms.RadioSelect,
    )  # its help text, the years of each role, is set from the programmes: role_help_text
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why your organisation wants to join, and what it brings."),
    )

    def __init__(self, *args: Any, user: Any, programme: Programme | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        mine = list(Organisation.objects.filter(representative__user=user).order_by("name"))
        show_only(self.fields["organisation"], mine)
        if len(mine) == 1 and not self.is_bound:
            self.initial.setdefault("organisation", mine[0].pk)
        # Only programmes that accept applications are offered (the domain's rule decides);
        # one named in the link that has closed is said so, with the day it closed.
        self.open_programmes = [
            p for p in Programme.objects.filter(is_published=True) if not applications_closed(p)
        ]
        show_only(self.fields["programme"], self.open_programmes)
        self.closed_notice = applications_closed(programme) if programme is not None else ""
        if self.closed_notice:
            programme = None
        if programme is None and not self.is_bound and len(self.open_programmes) == 1:
            programme = self.open_programmes[0]
        if programme is not None and not self.is_bound:
            self.initial.setdefault("programme", programme.pk)
        self.selected_programme = programme
        themes = Theme.objects.filter(
            programme__in=[programme] if programme is not None else self.open_programmes
        ).select_related("programme")
        self.shown_themes = list(themes.order_by("programme__name", "position", "name"))
        show_only(self.fields["themes"], self.shown_themes)
        offered = [programme] if programme is not None else self.open_programmes
        self.fields["role"].help_text = role_help_text(offered)

    def theme_groups(self) -> list[tuple[Programme, list[Any]]]:
        """The theme checkboxes, grouped by programme, for the template."""
        by_pk = {str(t.pk): t for t in self.shown_themes}
        groups: dict[int, tuple[Programme, list[Any]]] = {}
        for widget in self["themes"]:
            theme = by_pk[str(widget.data["value"])]
            groups.setdefault(theme.programme_id, (theme.programme, []))[1].append(widget)
        return list(groups.values())

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        programme = cleaned.get("programme")
        themes = cleaned.get("themes")
        if programme and (closed := applications_closed(programme)):
            self.add_error("programme", closed)
        elif programme and themes:
            others = [t for t in themes if t.programme_id != programme.pk]
            if others:
                self.add_error(
                    "themes",
                    _("Choose themes of %(programme)s only.") % {"programme": programme},
                )
        return cleaned


# Co-makers -------------------------------------------------------------------------------


class DeclineForm(forms.Form):
    """A co-maker declines its part (``commitments.domain.decline_co_maker``)."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The lead organisation reads it by mail and in its workspace; never public."),
    )


# Commitments -----------------------------------------------------------------------------


class RegionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_level_display().lower()})"


class CommitmentForm(forms.Form):
    SCALARS = (
        "title",
        "description",
        "scope",
        "starts_on",
        "ends_on",
        "amount",
        "currency",
        "funds_are_new",
        "endorsement_level",
        "is_conditional",
        "condition",
    )
    M2M = ("types", "themes", "actions", "goals", "targets", "countries", "regions")

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("Say what will be done, for example “Train 500 teachers in …”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "The change you aim for, who benefits, how many, where and by when. At least 20 "
            "words to submit."
        ),
    )
    types = forms.ModelMultipleChoiceField(
        label=_("Types of commitment"),
        queryset=CommitmentType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Themes your organisation has joined in this programme."),
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Blueprint actions it advances"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=Goal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("SDG targets"),
        queryset=Target.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select the goal of each target too."),
    )
    scope = forms.ChoiceField(
        label=_("Geographic scope"),
        choices=GeographicScope.choices,
        initial=GeographicScope.NATIONAL,
        widget=forms.RadioSelect,
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to select several."),
    )
    regions = RegionsField(
        label=_("Regions"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("UN M49 regions. Hold Ctrl (Cmd on a Mac) to select several."),
    )
    starts_on = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=18,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        help_text=_(
            "A financial commitment: the money given to others (required). Any other type: "
            "the budget behind it, if you can state it. In the currency below."
        ),
    )
    currency = forms.ModelChoiceField(
        label=_("Currency"),
        queryset=Currency.objects.all(),
        required=False,
        empty_label=_("No currency"),
    )
    funds_are_new = forms.NullBooleanField(
        label=_("Are the funds new and additional?"),
        required=False,
        widget=forms.NullBooleanSelect,
    )
    endorsement_level = forms.ChoiceField(
        label=_("Level of endorsement"),
        choices=[("", _("Not endorsed yet")), *EndorsementLevel.choices],
        required=False,
    )
    is_conditional = forms.BooleanField(
        label=_("This pledge is conditional on approval"),
        required=False,
    )
    condition = forms.CharField(
        label=_("Condition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The approval the pledge depends on, for example parliament's budget vote."),
    )
    co_makers = forms.ModelMultipleChoiceField(
        label=_("Co-makers"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Organisations that make this commitment with you. Each must be a confirmed member "
            "of a chosen theme, and confirms or declines its part in its own workspace."
        ),
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        organisation: Organisation,
        instance: Commitment | None = None,
        check_rules: bool = True,
        **kwargs: Any,
    ) -> None:
        if instance is not None and instance.pk and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.organisation = organisation
        self.instance = instance
        self.check_rules = check_rules

        current = self.initial if instance is not None else {}
        show_only(self.fields["types"], programme.commitment_types.all())

        approved = Application.objects.approved().filter(
            programme=programme, organisation=organisation
        )
        themes = model_field(self, "themes")
        themes.queryset = Theme.objects.filter(programme=programme)
        self.shown_themes = list(
            Theme.objects.filter(Q(applications__in=approved) | Q(pk__in=current.get("themes", [])))
            .distinct()
            .order_by("position", "name")
        )
        show_only(themes, self.shown_themes)

        actions = model_field(self, "actions")
        actions.queryset = Action.objects.filter(theme__programme=programme)
        self.shown_actions = list(
            Action.objects.filter(theme__in=self.shown_themes).select_related("theme")
        )
        show_only(actions, self.shown_actions)

        # Only organisations the rule accepts for the themes the lead can choose (the same
        # function: validation.co_maker_candidates), each with the themes it is a member
        # of; co-makers already named stay shown, with their answer, so the lead sees them.
        lead_theme_ids = [t.pk for t in self.shown_themes]
        named = (
            {row.organisation_id: row for row in instance.co_makers.all()}
            if (instance is not None and instance.pk)
            else {}
        )
        self.shown_co_makers = list(
            Organisation.objects.filter(
                Q(pk__in=co_maker_candidates(programme, organisation, lead_theme_ids))
                | Q(pk__in=named)
            ).order_by("name")
        )
        member_of: dict[int, list[str]] = {}
        for org_id, theme_name in (
            Application.objects.approved()
            .filter(
                organisation__in=[o.pk for o in self.shown_co_makers],
                theme_id__in=lead_theme_ids,
            )
            .order_by("theme__position", "theme__name")
            .values_list("organisation_id", "theme__name")
        ):
            member_of.setdefault(org_id, []).append(theme_name)
        co_field = self.fields["co_makers"]
        assert isinstance(co_field, forms.ModelMultipleChoiceField)
        co_field.widget.choices = [
            (org.pk, self._co_maker_label(org, member_of.get(org.pk, []), named.get(org.pk)))
            for org in self.shown_co_makers
        ]

        self.all_targets = list(Target.objects.select_related("goal"))
        show_only(self.fields["targets"], self.all_targets)
        show_only(self.fields["regions"], Region.objects.order_by("name"))

    @staticmethod
    def _co_maker_label(org: Organisation, themes: list[str], row: CoMaker | None) -> str:
        label = (
            _("%(org)s (member of %(themes)s)") % {"org": org.name, "themes": ", ".join(themes)}
            if themes
            else _("%(org)s (no longer a member of your themes)") % {"org": org.name}
        )
        if row is not None:
            label = f"{label}: {row.get_state_display().lower()}"
        return label

    @classmethod
    def initial_from(cls, c: Commitment) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(c, name) for name in cls.SCALARS}
        initial["currency"] = c.currency_id
        for name in cls.M2M:
            initial[name] = [obj.pk for obj in getattr(c, name).all()]
        initial["co_makers"] = [row.organisation_id for row in c.co_makers.all()]
        return initial

    # Grouped checkboxes for the template --------------------------------------------------

    def action_groups(self) -> list[tuple[Theme, list[Any]]]:
        theme_of = {str(a.pk): a.theme for a in self.shown_actions}
        groups: dict[int, tuple[Theme, list[Any]]] = {}
        for widget in self["actions"]:
            theme = theme_of[str(widget.data["value"])]
            groups.setdefault(theme.pk, (theme, []))[1].append(widget)
        return list(groups.values())

    def target_groups(self) -> list[dict[str, Any]]:
        goal_of = {str(t.pk): t.goal for t in self.all_targets}
        groups: dict[int, dict[str, Any]] = {}
        for widget in self["targets"]:
            goal = goal_of[str(widget.data["value"])]
            group = groups.setdefault(goal.pk, {"goal": goal, "widgets": [], "selected": 0})
            group["widgets"].append(widget)
            group["selected"] += bool(widget.data["selected"])
        return list(groups.values())

    # Rules ---------------------------------------------------------------------------------

    def to_data(self) -> CommitmentData:
        """What the author typed (its valid part), as the rules and the assessment see it."""
        cd = getattr(self, "cleaned_data", {})
        co_makers = list(cd.get("co_makers") or [])
        confirmed = declined = 0
        if self.instance is not None and self.instance.pk and co_makers:
            named = CoMaker.objects.filter(commitment=self.instance, organisation__in=co_makers)
            confirmed = named.filter(confirmed_at__isnull=False).count()
            declined = named.filter(declined_at__isnull=False).count()
        return CommitmentData(
            programme=self.programme,
            organisation=self.organisation,
            title=cd.get("title") or "",
            description=cd.get("description") or "",
            types={t.code for t in cd.get("types") or []},
            themes=list(cd.get("themes") or []),
            actions=list(cd.get("actions") or []),
            goals=list(cd.get("goals") or []),
            targets=list(cd.get("targets") or []),
            scope=cd.get("scope") or GeographicScope.NATIONAL,
            countries=list(cd.get("countries") or []),
            regions=list(cd.get("regions") or []),
            starts_on=cd.get("starts_on"),
            ends_on=cd.get("ends_on"),
            amount=cd.get("amount"),
            currency=cd.get("currency"),
            funds_are_new=cd.get("funds_are_new"),
            endorsement_level=cd.get("endorsement_level") or "",
            is_conditional=bool(cd.get("is_conditional")),
            condition=cd.get("condition") or "",
            co_makers=co_makers,
            confirmed_co_makers=confirmed,
            declined_co_makers=declined,
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.check_rules:
            errors = check_commitment(self.to_data(), for_submission=False)
            # A field that failed its own check (not a date, not a choice) is missing from the
            # data the rules see: say one thing at a time about it.
            add_domain_errors(self, {k: v for k, v in errors.items() if k not in self.errors})
        return self.cleaned_data

    # Saving --------------------------------------------------------------------------------

    def apply_to(self, commitment: Commitment) -> Commitment:
        for name in self.SCALARS:
            setattr(commitment, name, self.cleaned_data[name])
        return commitment

    def m2m(self) -> dict[str, list[Any]]:
        return {name: list(self.cleaned_data[name]) for name in self.M2M}
