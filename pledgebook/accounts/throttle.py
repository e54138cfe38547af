"""Rate limits of the forms that sign in or send mail, so that nobody can guess passwords at
speed, create accounts by the thousand or use the site to flood someone's mailbox.

Counted with django-ratelimit (fixed windows in the default cache, which production shares
between processes: ``CACHE_URL``).  A POST over a limit is refused by its form
(:class:`pledgebook.accounts.forms.Throttled`): the page answers 429 with the message at the
top of the form, keeps what was typed, and nothing is created or sent.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

#: group -> [(what is counted, how many per period)].  "ip": the client's address;
#: "post:username": the address typed to sign in, whatever the client.
LIMITS: dict[str, list[tuple[str, str]]] = {
    "login": [("ip", "30/h"), ("post:username", "10/h")],
    "signup": [("ip", "10/h")],
    "mail": [("ip", "10/h")],  # a new verification link, a password reset
}


def limited(request: HttpRequest, group: str) -> bool:
    """Count this request against the limits of ``group``: True if one is now exceeded.
    Only POSTs count; every limit of the group is counted, even when an earlier one is over."""
    over = [
        is_ratelimited(
            request,
            group=f"accounts.{group}.{key}",
            key=key,
            rate=rate,
            method="POST",
            increment=True,
        )
        for key, rate in LIMITS[group]
    ]
    return any(over)
