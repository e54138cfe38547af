"""Deploy check: the rate limits (accounts/throttle.py) need a cache shared by every process."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                f"The default cache ({backend}) is not shared between processes: each process "
                "counts the sign-in and mail rate limits on its own.",
                hint="Set CACHE_URL to a shared cache, e.g. rediscache://127.0.0.1:6379/1.",
                id="accounts.W001",
            )
        ]
    return []
