"""Pages of the platform itself, not of one app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from pledgebook.core.middleware import too_large


@csrf_exempt
def request_too_large(request: HttpRequest) -> HttpResponse:
    """What the proxy shows when it refuses a body over ``client_max_body_size``
    (``error_page 413``, deploy/nginx/pledgebook-server.conf): the same 413 page as the site's
    own refusal."""
    return too_large(request)
