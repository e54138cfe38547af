"""Rate limits of the forms that sign in or send mail, so that nobody can guess passwords at
speed, create accounts by the thousand or use the site to flood someone's mailbox.

Counted with django-ratelimit (fixed windows in the default cache, which production shares
between processes: ``CACHE_URL``).  A POST over a limit is refused by its form
(:class:`pledgebook.accounts.forms.Throttled`): the page answers 429 with the message at the
top of the form, keeps what was typed, and nothing is created or sent.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def typed_address(group: str, request: HttpRequest) -> str:
    """The address typed to sign in, as the sign-in form reads it (case and spaces aside), so
    that "Ana@Example.org" and "ana@example.org " count as one."""
    return request.POST.get("username", "").strip().lower()


#: group -> [(what is counted, how many per period)].  "ip": the client's address;
#: ``typed_address``: the address typed to sign in, whatever the client.
LIMITS: dict[str, list[tuple[Any, str]]] = {
    "login": [("ip", "30/h"), (typed_address, "10/h")],
    "signup": [("ip", "10/h")],
    "mail": [("ip", "10/h")],  # a new verification link, a password reset
}


def limited(request: HttpRequest, group: str) -> bool:
    """Count this request against the limits of ``group``: True if one is now exceeded.
    Only POSTs count; every limit of the group is counted, even when an earlier one is over."""
    over = [
        is_ratelimited(
            request,
            group=f"accounts.{group}.{getattr(key, '__name__', key)}",
            key=key,
            rate=rate,
            method="POST",
            increment=True,
        )
        for key, rate in LIMITS[group]
    ]
    return any(over)
