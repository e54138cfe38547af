"""The one permission check of the domain layer."""

from typing import Any

from django.core.exceptions import PermissionDenied


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless ``user`` has ``perm`` (django-rules) on ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
