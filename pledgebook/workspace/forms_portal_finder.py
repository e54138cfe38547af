"""Forms of the partner finder's contact requests (rules: ``portal.domain.finder``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgebook.accounts.forms import Throttled
from pledgebook.organisations.models import Organisation
from pledgebook.portal.domain.finder import MAX_MESSAGE


class ContactForm(Throttled, forms.Form):
    error_css_class = "field-error"

    sender = forms.ModelChoiceField(
        label=_("From"), queryset=Organisation.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say who you are and what you would like to do together. The organisation gets it "
            "by mail from the platform and answers here; your e-mail address is not shown."
        ),
    )

    def __init__(self, *args: Any, senders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    error_css_class = "field-error"

    reply = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Relayed by mail to the person who wrote; your e-mail address is not shown. To "
            "decline, a short word of why is enough (or nothing)."
        ),
    )
