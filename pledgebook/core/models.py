"""Cross-cutting records: the audit trail of every state change, and the heartbeats of the
task workers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what, to which object, when and why.  Written by domain functions only."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=300)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class WorkerHeartbeat(models.Model):
    """A running task worker (``manage.py db_worker``): written when it starts, its
    ``beat_at`` renewed every few seconds by a thread of its own (also while a long task runs),
    deleted when it stops cleanly.  A task left running by a worker whose beat is old is taken
    as interrupted (``core.workers.recover``)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} ({self.hostname}, pid {self.pid})"
