"""Rate limits of the forms that sign in or send mail, so that nobody can guess passwords at
speed, create accounts by the thousand or use the site to flood someone's mailbox.

Counted with django-ratelimit (fixed windows in the default cache, which production shares
between processes: ``CACHE_URL``).  A POST over a limit is refused by its form
(:class:`pledgebook.accounts.forms.Throttled`): the page answers 429 with the message at the
top of the form, keeps what was typed, and nothing is created or sent.

Sign-in counts **failures only** (a wrong password, an unknown address), never successes, so
that an office behind one address signs in as often as it likes.  Failures are counted three
ways (:data:`LOGIN_FAILURES`):

``pair``
    one address from one client: past the limit, *that client* is refused for that address
    (also with the right password) until the window ends or the owner resets the password
    (the reset link signs them in).  Other clients are not affected: nobody can lock an
    owner out from elsewhere.
``client``
    one client, whatever the address: past the limit the client is refused for every address
    (one client guessing across many accounts).
``address``
    one address from anywhere (many clients guessing one account's password): past the limit,
    only clients that have *already failed* for that address are refused, so each guessing
    client gets one try per window, while a client that has not failed (the owner's) still
    signs in with the right password.

Every failure and every refusal is logged on ``pledgebook.accounts`` with the client's
address and a keyed hash of the address typed (:func:`address_tag`), never the password and
never the address itself (people type their password in the address field).

When the cache cannot be reached (Redis down), the limits **fail open**: the request goes
through uncounted, a warning is logged, and the cache is left alone for
:data:`CACHE_RETRY_SECONDS` in this process so that each request does not wait for it again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django_ratelimit.core import get_usage

logger = logging.getLogger("pledgebook.accounts")

#: After the cache failed, how long this process counts nothing before trying it again.
CACHE_RETRY_SECONDS = 30.0
_cache_down_until: dict[str, float] = {}


def typed_address(group: str, request: HttpRequest) -> str:
    """The address typed to sign in, as the sign-in form reads it (case and spaces aside), so
    that "Ana@Example.org" and "ana@example.org " count as one."""
    return request.POST.get("username", "").strip().lower()


def address_tag(address: str) -> str:
    """A keyed hash of an address for the logs: the same address always gives the same tag
    (``address_tag("ana@example.org")`` in a shell finds her lines), but the log does not hold
    the address, nor a password typed into the address field by mistake."""
    normalised = address.strip().lower()
    return salted_hmac("pledgebook.accounts.log", normalised).hexdigest()[:16]


def client_address(request: HttpRequest) -> str:
    """The client's address as the limits read it (``RATELIMIT_IP_META_KEY``)."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    return str(request.META.get(meta_key, "") or "-")


#: group -> [(what is counted, how many per period)] for every POST of its forms.
#: "ip": the client's address.
LIMITS: dict[str, list[tuple[Any, str]]] = {
    "signup": [("ip", "10/h")],
    "mail": [("ip", "10/h")],  # a new verification link, a password reset
    "consultation": [("ip", "30/h")],  # responses to a public consultation, not signed in
    # Partner finder contact requests, per person (each organisation also has a daily limit,
    # portal.domain.finder: this one stops a person who registered many organisations).
    "contact": [("user", "20/h")],
}

#: Failed sign-ins allowed per period, counted three ways (see the module's docstring).
LOGIN_FAILURES: dict[str, str] = {
    "pair": "10/h",
    "client": "60/h",
    "address": "20/h",
}

#: Mails telling someone that their address was used to sign up again, per address.
SIGNUP_NOTICES = "1/h"


def _cache_key() -> str:
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    location = settings.CACHES[alias].get("LOCATION", "")
    return f"{alias}:{location}"


def _usage(
    request: HttpRequest, *, group: str, key: Any, rate: str, increment: bool
) -> dict[str, Any] | None:
    """django-ratelimit's usage of one limit (POSTs only), or None when it cannot be counted:
    the cache is unreachable (logged once per :data:`CACHE_RETRY_SECONDS`) or failed."""
    cache = _cache_key()
    if _cache_down_until.get(cache, 0.0) > time.monotonic():
        return None
    try:
        return get_usage(
            request, group=group, key=key, rate=rate, method="POST", increment=increment
        )
    except Exception as error:
        _cache_down_until[cache] = time.monotonic() + CACHE_RETRY_SECONDS
        logger.warning(
            "Rate limits not counted: the cache is unreachable (%s: %s). Requests go through "
            "unthrottled; the cache is tried again in %d s.",
            type(error).__name__,
            error,
            CACHE_RETRY_SECONDS,
        )
        return None


def limited(request: HttpRequest, group: str) -> bool:
    """Count this request against the limits of ``group``: True if one is now exceeded.
    Only POSTs count; every limit of the group is counted, even when an earlier one is over."""
    over = [
        _usage(
            request,
            group=f"accounts.{group}.{getattr(key, '__name__', key)}",
            key=key,
            rate=rate,
            increment=True,
        )
        for key, rate in LIMITS[group]
    ]
    return any(usage is not None and usage["should_limit"] for usage in over)


def _login_usages(request: HttpRequest, *, increment: bool) -> dict[str, dict[str, Any] | None]:
    address = typed_address("", request)
    return {
        # The address is part of the group, the client is the key: one counter per pair.
        "pair": _usage(
            request,
            group=f"accounts.login.pair:{address}",
            key="ip",
            rate=LOGIN_FAILURES["pair"],
            increment=increment,
        ),
        "client": _usage(
            request,
            group="accounts.login.client",
            key="ip",
            rate=LOGIN_FAILURES["client"],
            increment=increment,
        ),
        "address": _usage(
            request,
            group="accounts.login.address",
            key=typed_address,
            rate=LOGIN_FAILURES["address"],
            increment=increment,
        ),
    }


def _reached(usage: dict[str, Any] | None) -> bool:
    return usage is not None and usage["count"] >= usage["limit"]


def login_refused(request: HttpRequest) -> bool:
    """Whether this sign-in POST is refused before its password is checked, by the failures
    counted so far (it counts nothing itself: see :func:`login_failed`)."""
    if request.method != "POST" or not typed_address("", request):
        return False
    usages = _login_usages(request, increment=False)
    pair = usages["pair"]
    refused = (
        _reached(pair)
        or _reached(usages["client"])
        or (_reached(usages["address"]) and pair is not None and pair["count"] > 0)
    )
    if refused:
        logger.warning(
            "Sign-in refused: too many failures (address %s, client %s).",
            address_tag(typed_address("", request)),
            client_address(request),
        )
    return refused


def login_failed(request: HttpRequest) -> None:
    """Count a failed sign-in (a wrong password or an unknown address) and log it."""
    address = typed_address("", request)
    _login_usages(request, increment=True)
    logger.warning(
        "Sign-in failed: wrong password or unknown address (address %s, client %s).",
        address_tag(address),
        client_address(request),
    )


def signup_notice_allowed(request: HttpRequest, email: str) -> bool:
    """Whether a "someone signed up with your address" mail may go to ``email`` now (one an
    hour, however many clients try), so that nobody can flood a mailbox through sign-up."""
    usage = _usage(
        request,
        group=f"accounts.signup_notice:{email.strip().lower()}",
        key=lambda group, request: "any",
        rate=SIGNUP_NOTICES,
        increment=True,
    )
    return usage is None or not usage["should_limit"]


#: Confirmation links of a digest subscription (forum) sent to one address, however many
#: clients ask: past it the form answers as usual but sends nothing.
SUBSCRIPTION_LINKS = "3/h"


def subscription_link_allowed(request: HttpRequest, email: str) -> bool:
    """Whether a "confirm your subscription" mail may go to ``email`` now, so that nobody can
    flood a mailbox through the digest subscription form from many clients."""
    usage = _usage(
        request,
        group=f"accounts.subscription_link:{email.strip().lower()}",
        key=lambda group, request: "any",
        rate=SUBSCRIPTION_LINKS,
        increment=True,
    )
    return usage is None or not usage["should_limit"]
