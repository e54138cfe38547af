"""System checks of core: the request body limit (core/middleware.py) holds every upload the
site accepts and Django's own limits sit within it; SITE_URL is set for production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from pledgebook.core.site import DEFAULT_SITE_URL

#: The largest upload of each kind the apps accept, registered by them (their AppConfig.ready)
#: with :func:`accepts_uploads`, so that core imports none of them.
UPLOADS: dict[str, int] = {}


def accepts_uploads(what: str, size: int) -> None:
    """Declare that the site accepts ``what`` up to ``size`` bytes: the request body limit must
    hold it (``core.E001``)."""
    UPLOADS[what] = size


@checks.register(checks.Tags.security)
def check_body_limits(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    limit = settings.REQUEST_BODY_MAX_BYTES
    needed = {
        **UPLOADS,
        "DATA_UPLOAD_MAX_MEMORY_SIZE": settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    }
    return [
        checks.Error(
            f"REQUEST_BODY_MAX_BYTES ({limit}) is smaller than {what} ({size}): such requests "
            "would be refused before they are read.",
            hint="Raise REQUEST_BODY_MAX_MB, and client_max_body_size in the proxy with it.",
            id="core.E001",
        )
        for what, size in needed.items()
        if size > limit
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Mails sent by the worker (reminders, reports) link to ``SITE_URL``."""
    if settings.SITE_URL.rstrip("/") == DEFAULT_SITE_URL:
        return [
            checks.Warning(
                f"SITE_URL is left at its default ({DEFAULT_SITE_URL}): links in mails sent "
                "by the task worker would point there.",
                hint="Set SITE_URL to the public address, e.g. https://pledgebook.example.org.",
                id="core.W001",
            )
        ]
    return []
