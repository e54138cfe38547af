"""The secretariat's forms of the forum's side-event proposals: accept (room and time may be
changed) and decline (a reason, which the organisation reads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgebook.forum.models import SideEventProposal
from pledgebook.workspace.forms_forum import SlotFields


class AcceptProposalForm(SlotFields):
    prefix = "accept"
    reason = forms.CharField(
        label=_("Message to the organisation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, proposal: SideEventProposal, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                **self.initial_slot(proposal.event, proposal.starts_at, proposal.ends_at),
                "room": proposal.room_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.setup_slot(
            proposal.event,
            room_help=_("%(n)s participants expected.") % {"n": proposal.expected_participants},
        )

    def domain_values(self) -> dict[str, Any]:
        return {**self.slot_values(), "reason": self.cleaned_data["reason"]}


class DeclineProposalForm(forms.Form):
    prefix = "decline"
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation reads it by mail and in its workspace."),
    )


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any")), *SideEventProposal.Status.choices],
        required=False,
    )
