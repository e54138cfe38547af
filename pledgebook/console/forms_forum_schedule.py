"""The secretariat's forms of the forum schedule: events, rooms, sessions (with their
speakers).  They parse and show input; the rules are ``forum.validation``'s, applied by the
domain functions of ``forum.domain.schedule`` and put back at the fields by
``core.forms.attempt``.

Times of a session are typed in the EVENT's time zone (the venue's), whatever the server's
or the browser's: :meth:`SessionForm.clean` makes them aware in ``event.zone``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.accounts.domain import normalise_email
from pledgebook.console.forms import ConsoleForm
from pledgebook.forum.domain.schedule import EVENT_FIELDS
from pledgebook.forum.models import Event, Room, Session
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Theme
from pledgebook.reference.models import Goal

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


@cache
def zone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone name the server knows, sorted (UTC first)."""
    names = sorted(n for n in zoneinfo.available_timezones() if "/" in n and "Etc" not in n)
    return [("UTC", "UTC"), *[(n, n.replace("_", " ")) for n in names]]


class EventForm(forms.ModelForm):
    error_css_class = "field-error"

    slug = forms.SlugField(
        label=_("Short name in addresses (slug)"),
        max_length=80,
        help_text=_("Unique within the programme, e.g. “partnership-forum-2025”."),
    )
    time_zone = forms.TypedChoiceField(
        label=_("Time zone of the venue"),
        choices=zone_choices,
        initial="UTC",
        help_text=_("Session times are typed and shown in this time zone."),
    )
    online_url = forms.URLField(
        label=_("Online participation link"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": _DATE,
            "ends_on": _DATE,
        }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]

    def _post_clean(self) -> None:
        # The domain function checks and saves: the form only parses (no model validation,
        # nothing assigned to the event it edits).
        pass

    def domain_values(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in EVENT_FIELDS if k in self.cleaned_data}


class RoomForm(ConsoleForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)
    is_virtual = forms.BooleanField(
        label=_("Virtual room"),
        required=False,
        help_text=_("Sessions in a virtual room may run at the same time."),
    )


class OrganisersField(forms.CharField):
    """E-mail addresses of existing accounts, one a line (or separated by commas)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(getattr(u, "email", str(u)) for u in value)
        return value

    def clean(self, value: Any) -> list[Any]:
        text = super().clean(value) or ""
        emails = [normalise_email(e) for e in text.replace(",", "\n").split() if e.strip()]
        users = {}
        User = get_user_model()
        for user in User.objects.filter(email__in=emails, is_active=True):
            users[normalise_email(user.email)] = user
        unknown = [e for e in emails if e not in users]
        if unknown:
            raise forms.ValidationError(
                _("No account uses %(emails)s: the organisers must have signed up first.")
                % {"emails": ", ".join(unknown)}
            )
        seen: list[Any] = []
        for e in emails:
            if users[e] not in seen:
                seen.append(users[e])
        return seen


class VenueDateTimeField(forms.DateTimeField):
    """A date and time as typed, without a time zone (the form gives it the event's): not
    read in the server's zone, where it might not exist (a daylight-saving change)."""

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(dt.UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None


class SessionForm(ConsoleForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    segment = forms.CharField(
        label=_("Segment"),
        max_length=200,
        required=False,
        help_text=Session._meta.get_field("segment").help_text,
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    starts_at = VenueDateTimeField(label=_("Starts"), widget=_LOCAL)
    ends_at = VenueDateTimeField(label=_("Ends"), widget=_LOCAL)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("No room")
    )
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    language = forms.CharField(label=_("Language code"), max_length=8, required=False, initial="en")
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organising organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    organisers = OrganisersField(
        label=_("Organisers (people)"),
        required=False,
        help_text=_(
            "E-mail addresses of their accounts, one a line: they write the session's summary."
        ),
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

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        zone = event.zone.key
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _(
                "Date and time at the venue, in the event's time zone (%(zone)s)."
            ) % {"zone": zone}
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = event.rooms.all()
        cast(forms.ModelMultipleChoiceField, self.fields["themes"]).queryset = Theme.objects.filter(
            programme_id=event.programme_id
        ).order_by("position", "name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("starts_at", "ends_at"):
            if cleaned.get(name) is not None:  # typed at the venue: its wall-clock time
                cleaned[name] = cleaned[name].replace(tzinfo=self.event.zone)
        return cleaned

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        zone = session.event.zone
        return {
            "kind": session.kind,
            "segment": session.segment,
            "title": session.title,
            "description": session.description,
            "starts_at": session.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": session.ends_at.astimezone(zone).replace(tzinfo=None),
            "room": session.room_id,
            "online_url": session.online_url,
            "language": session.language,
            "organisations": list(session.organisations.all()),
            "organisers": "\n".join(u.email for u in session.organisers.all()),
            "themes": list(session.themes.all()),
            "goals": list(session.goals.all()),
        }


class SpeakerForm(ConsoleForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    title = forms.CharField(label=_("Title or role"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Not on the platform"),
    )
    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=200,
        required=False,
        help_text=_("When the organisation is not on the platform."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        others = any(cleaned.get(k) for k in ("title", "organisation", "affiliation"))
        if others and not cleaned.get("name"):
            self.add_error("name", _("Give the speaker's name."))
        return cleaned


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=3, max_num=40, validate_max=True)


def speakers_of(formset: Any) -> list[dict[str, Any]]:
    """The rows with a name, in order."""
    return [
        {k: form.cleaned_data.get(k) or ("" if k != "organisation" else None) for k in SPEAKER_KEYS}
        for form in formset.forms
        if form.cleaned_data.get("name")
    ]


SPEAKER_KEYS = ("name", "title", "organisation", "affiliation")


def speaker_initial(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "title": s.title,
            "organisation": s.organisation_id,
            "affiliation": s.affiliation,
        }
        for s in session.speakers.all()
    ]
