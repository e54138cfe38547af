"""Request bodies are refused from their declared size, before a byte of them is read.

Django reads a whole multipart body (spooling files to disk) before any view can look at the
file sizes, so a 200 MB upload was received whole only to be refused.  This middleware stands
before everything that reads the body (the CSRF check reads ``request.POST``) and answers:

* **413** with the page ``core/request_too_large.html`` when ``Content-Length`` is over
  ``REQUEST_BODY_MAX_BYTES``;
* **411** when a body comes without a length (``Transfer-Encoding: chunked``): Django reads a
  body only up to its declared length, so such a body could only be lost, and its size cannot
  be known before reading it.

The proxy in front refuses at the same size (``client_max_body_size`` in
deploy/nginx/pledgebook-server.conf) and shows the same page (``error_page 413`` →
:func:`pledgebook.core.views.request_too_large`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response
from django.utils.translation import gettext as _

from pledgebook.core import logs
from pledgebook.core.uploads import NO_ROOM

logger = logging.getLogger("pledgebook.requests")


def too_large(request: HttpRequest) -> HttpResponse:
    """The page of a refused body: what the limit is and that nothing was kept."""
    return refused(
        request,
        413,
        _("Too much sent at once"),
        _(
            "What you sent is larger than %(size)s, the most this site accepts in one go "
            "(all the files of a form together). Nothing was saved. Go back to the form and "
            "send fewer or smaller files: each evidence file may be up to 10 MB."
        )
        % {"size": filesizeformat(settings.REQUEST_BODY_MAX_BYTES)},
    )


def refused(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    # No "Connection: close" here (a WSGI application may not send it): gunicorn discards at
    # most 64 KB of an unread body before it closes the connection.
    return render(
        request,
        "core/request_refused.html",
        {"title": title, "message": message, "back": back},
        status=status,
    )


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(declared) if declared else None
        except ValueError:
            length = None
        if length is not None and length > settings.REQUEST_BODY_MAX_BYTES:
            logger.warning(
                "Refused a body of %s bytes (limit %s): %s %s",
                length,
                settings.REQUEST_BODY_MAX_BYTES,
                request.method,
                request.path,
            )
            return too_large(request)
        if length is None and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            logger.warning("Refused a body without length: %s %s", request.method, request.path)
            return refused(
                request,
                411,
                _("The size of what you sent was not given"),
                _(
                    "This site needs to know the size of what is sent before receiving it. "
                    "Nothing was saved. Send the form again from its page."
                ),
            )
        if request.method == "POST" and request.content_type == "multipart/form-data":
            # Files over FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to the temporary directory
            # while the body is read: read it here, where a full disk there can be told.
            try:
                request.POST, request.FILES  # noqa: B018 - parsed and kept on the request
            except OSError as error:
                if error.errno not in NO_ROOM:
                    raise
                logger.error("Temporary disk full (%s): %s", error.strerror, request.path)
                return refused(
                    request,
                    507,
                    _("The server has no room for your files just now"),
                    _(
                        "The server's disk for received files is full, so nothing was saved. "
                        "Go back to the form and send it again later; sending it without "
                        "its files works now."
                    ),
                )
        return self.get_response(request)


class RequestIdMiddleware:
    """Every request has an id: the proxy's ``X-Request-ID`` (nginx's ``$request_id``) when it
    is a safe token, else a new one (uuid4, hex).  It is given back in the response's
    ``X-Request-ID`` (gunicorn's access log writes it from there), kept as
    ``request.request_id``, and written into every log record emitted while the request is
    served (``pledgebook.core.logs.request_id``, a context variable: each thread its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID")
        request_id = logs.safe_request_id(given) or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = logs.request_id.set(request_id)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django writes "Not Found: /path" (and the like) after the last middleware
                # has returned, where the id is no longer set: write it here, with the id, as
                # Django would (it then does not write it again).
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


#: PostgreSQL's code of a statement stopped by ``statement_timeout`` (query_canceled).
QUERY_CANCELED = "57014"


def _sqlite_busy(exception: OperationalError) -> bool:
    """SQLite's "database is locked": another writer held the database's one write lock
    longer than the connection's ``timeout`` (settings.py: 20 s), e.g. a large import."""
    return getattr(exception.__cause__, "sqlite_errorname", "").startswith("SQLITE_BUSY")


class QueryTimeoutMiddleware:
    """A request whose database statement ran past ``statement_timeout`` (the app servers'
    DATABASE_STATEMENT_TIMEOUT_MS, settings.py) gets a 503 page saying the page took too long
    and what to try, with ``Retry-After``, instead of a server error; the statement's
    transaction was rolled back, so nothing of the request was kept.  Logged as a warning with
    the path (and the request id).

    On SQLite (``make run``), a request that waited for the write lock longer than the
    connection's timeout gets a 503 page too: the site is busy with another change, nothing of
    this request was kept, try again in a moment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        if _sqlite_busy(exception):
            logger.warning("Database busy: %s %s", request.method, request.path)
            return _unavailable(
                request,
                _("The site is busy"),
                _(
                    "Another change (a large import, say) was being saved, and this one could "
                    "not wait longer for it, so nothing of what you sent was saved. Go back to "
                    "the page and send it again in a minute."
                ),
                retry_after=30,
            )
        if getattr(exception.__cause__, "sqlstate", None) != QUERY_CANCELED:
            return None
        logger.warning("Statement timeout: %s %s", request.method, request.path)
        return _unavailable(
            request,
            _("This page took too long"),
            _(
                "Preparing this page took longer than this site allows, so it was stopped and "
                "nothing was changed. Try again in a moment; for a search, a filter or a more "
                "specific word finds the results sooner."
            ),
            retry_after=10,
        )


def _unavailable(
    request: HttpRequest, title: str, message: str, *, retry_after: int
) -> HttpResponse:
    """A 503 page: nothing of the request was kept, try again after ``retry_after`` seconds."""
    response = refused(request, 503, title, message)
    response["Retry-After"] = str(retry_after)
    return response
