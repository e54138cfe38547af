"""Forms of the forum in the workspace: a side-event proposal and a registration for an
event.  Times are asked in the venue's time zone (``Event.zone``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from pledgebook.forum.models import Event, Registration, Room
from pledgebook.forum.validation import at_venue
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Theme
from pledgebook.reference.models import Country, Goal


def day_choices(event: Event) -> list[tuple[str, str]]:
    return [(d.isoformat(), formats.date_format(d, "l j F Y")) for d in event.days()]


class SlotFields(forms.Form):
    """A day of the event, a start and an end time in venue time, a room of the event; the
    domain's ``starts_at``/``ends_at`` errors land on the two times."""

    day = forms.TypedChoiceField(label=_("Day"), coerce=dt.date.fromisoformat)
    starts_at = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("No room")
    )

    def setup_slot(self, event: Event, *, room_help: Any = "") -> None:
        self.event = event
        self.fields["day"].choices = day_choices(event)  # type: ignore[attr-defined]
        zone = event.time_zone
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("Venue time (%(zone)s).") % {"zone": zone}
        room = self.fields["room"]
        room.queryset = event.rooms.all()  # type: ignore[attr-defined]
        room.label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.name} ({r.capacity})" if r.capacity else r.name
        )
        room.help_text = room_help

    def slot_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        day = data["day"]
        return {
            "starts_at": at_venue(self.event, day, data["starts_at"]),
            "ends_at": at_venue(self.event, day, data["ends_at"]),
            "room": data.get("room"),
        }

    @staticmethod
    def initial_slot(event: Event, starts_at: dt.datetime, ends_at: dt.datetime) -> dict[str, Any]:
        start, end = starts_at.astimezone(event.zone), ends_at.astimezone(event.zone)
        return {
            "day": start.date().isoformat(),
            "starts_at": start.time().replace(second=0, microsecond=0),
            "ends_at": end.time().replace(second=0, microsecond=0),
        }


class ProposalForm(SlotFields):
    field_order = [
        "organisation",
        "title",
        "description",
        "co_organisers",
        "day",
        "starts_at",
        "ends_at",
        "room",
        "expected_participants",
        "themes",
        "goals",
    ]
    organisation = forms.ModelChoiceField(
        label=_("Proposing organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the side event is about, who speaks, what it should lead to."),
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Other organisations on the platform organising it with you."),
    )
    expected_participants = forms.IntegerField(label=_("Expected participants"), min_value=1)
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

    def __init__(self, *args: Any, event: Event, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_slot(event, room_help=_("Your preferred room; the secretariat may change it."))
        organisations = Organisation.objects.filter(representative__user=user).order_by("name")
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["themes"].queryset = event.programme.themes.order_by(  # type: ignore[attr-defined]
            "position", "name"
        )

    def domain_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "title": data["title"],
            "description": data["description"],
            "co_organisers": list(data["co_organisers"]),
            "expected_participants": data["expected_participants"],
            "themes": list(data["themes"]),
            "goals": list(data["goals"]),
            **self.slot_values(),
        }


class RegistrationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How will you take part?"),
        choices=Registration.Mode.choices,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not for an organisation"),
    )
    category = forms.ChoiceField(
        label=_("Stakeholder category (optional)"),
        choices=[("", _("Not given")), *Category.choices],
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Country (optional)"),
        queryset=Country.objects.order_by("name"),
        required=False,
        empty_label=_("Not given"),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("Not given")), *Registration.Gender.choices],
        required=False,
        help_text=_("Counted only in the event's participation figures, never shown."),
    )

    def __init__(self, *args: Any, event: Event, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            representative__user=user
        ).order_by("name")
        if not event.is_hybrid:
            self.fields["mode"].choices = [  # type: ignore[attr-defined]
                (Registration.Mode.IN_PERSON, Registration.Mode.IN_PERSON.label)
            ]

    @staticmethod
    def initial_for(registration: Registration | None) -> dict[str, Any]:
        if registration is None or registration.status == Registration.Status.CANCELLED:
            return {}
        return {
            "mode": registration.mode,
            "organisation": registration.organisation_id,
            "category": registration.category,
            "country": registration.country_id,
            "gender": registration.gender,
        }
