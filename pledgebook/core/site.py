"""The site's own address, for links that leave it: mails, the API's ``url`` fields, the rows
of a CSV export.

Inside a request, a link uses the address the request came to (scheme, host and port, the host
checked against ``ALLOWED_HOSTS``), so a site served on another port or behind another name
links to itself.  Outside a request (the task worker, cron commands such as ``send_reminders``)
it uses ``SITE_URL``: ``make run`` sets it to the address it serves, production to its public
address (a deploy check warns when it is left at the default).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

_request_base: ContextVar[str | None] = ContextVar("pledgebook_request_base", default=None)


def base_url() -> str:
    """``https://host[:port]`` of the current request, else ``SITE_URL``; no trailing slash."""
    return _request_base.get() or settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """The absolute address of a path of this site (``path`` starts with ``/``)."""
    return base_url() + path


class SiteAddressMiddleware:
    """Makes the request's own address the base of the links built while it is served.
    Placed after CommonMiddleware, which has already refused a host not allowed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        base = request.build_absolute_uri("/").rstrip("/")
        token = _request_base.set(base)
        try:
            response = self.get_response(request)
        finally:
            _request_base.reset(token)
        if response.streaming:
            # A streamed export writes its rows after this returns: each chunk is made with
            # the request's address too.
            response.streaming_content = _with_base(base, response.streaming_content)  # type: ignore[attr-defined]
        return response


def _with_base(base: str, chunks: Iterable[Any]) -> Iterator[Any]:
    iterator = iter(chunks)
    while True:
        token = _request_base.set(base)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _request_base.reset(token)
        yield chunk
