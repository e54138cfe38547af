"""The programme's forum settings (``forum.domain.summaries.configure_forum``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgebook.forum.models import ForumSettings


class ForumSettingsForm(forms.Form):
    """The programme's forum settings (console)."""

    error_css_class = "field-error"

    summary_due_days = forms.IntegerField(
        label=_("Session summaries due within (days)"),
        min_value=1,
        help_text=_("Days after a session ends by which its organisers submit the summary."),
    )
    remind_days_before = forms.IntegerField(
        label=_("Reminder before the deadline (days)"),
        min_value=0,
        help_text=_("0: no reminder before the deadline."),
    )
    remind_days_after = forms.IntegerField(
        label=_("Reminder after the deadline (days)"),
        min_value=0,
        help_text=_("0: no reminder after the deadline."),
    )
    summary_instructions = forms.CharField(
        label=_("Instructions to session organisers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown above the summary form and in the task mail."),
    )

    @classmethod
    def initial_for(cls, settings: ForumSettings) -> dict[str, Any]:
        return {name: getattr(settings, name) for name in cls.base_fields}
