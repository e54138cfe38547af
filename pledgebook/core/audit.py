"""Write the audit trail.  Called by domain functions inside their transaction."""

from typing import Any

from django.db import models

from pledgebook.core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    programme: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        programme=programme,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        reason=reason,
        data=data or {},
    )
