"""The partner finder's contact requests: a message from one organisation to another through
the platform, and the reply, relayed by mail (``pledgebook.portal.finder.contact``).  Neither
side's e-mail address is stored here or shown anywhere: the mails come from the platform's
address and link back to the platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ContactRequest(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for a reply")
        REPLIED = "replied", _("Replied")
        DECLINED = "declined", _("Declined")

    sender = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="contact_requests_sent",
        verbose_name=_("from"),
    )
    recipient = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="contact_requests_received",
        verbose_name=_("to"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about the commitment"),
    )
    coalition = models.ForeignKey(
        "coalitions.Coalition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about the coalition"),
    )
    message = models.TextField(_("message"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sender", "created_at"]),
            models.Index(fields=["sender", "recipient", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:partner_request", kwargs={"pk": self.pk})
