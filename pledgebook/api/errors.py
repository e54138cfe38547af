"""Errors under ``/api/`` answer in JSON, as the OpenAPI document says, even when no API view
was reached (an address no route matches, ``/api/v1/commitments/0.5/``) or the request failed
before one could answer (a database outage).  Elsewhere, the site's own HTML pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": "The server could not answer. Try again in a moment."}, status=500
        )
    return defaults.server_error(request)
