"""Who may use the console of which programme.

Every console view is wrapped by :func:`console_view`: anonymous people are sent to the login
page, the programme comes from the URL's slug (unknown → 404), and the view's permission is
checked against it with django-rules (denied → 403) before the view runs.  Views then scope
every query to ``console.programme``, so that an object of another programme is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from pledgebook.programmes.models import Programme

VIEW_CONSOLE = "programmes.view_console"
CHANGE_PROGRAMME = "programmes.change_programme"
DECIDE_APPLICATIONS = "programmes.decide_applications"
VIEW_AUDIT_LOG = "programmes.view_audit_log"
REVIEW_COMMITMENT = "commitments.review_commitment"
FEATURE_COMMITMENT = "commitments.feature_commitment"

_FLAGS = {
    VIEW_CONSOLE: "can_view",
    CHANGE_PROGRAMME: "can_change",
    DECIDE_APPLICATIONS: "can_decide",
    VIEW_AUDIT_LOG: "can_audit",
}


class Console:
    """The programme of a console request and what the person may do in it (each permission
    is asked once per request, through ``user.has_perm``)."""

    def __init__(self, request: HttpRequest, programme: Programme) -> None:
        self.request = request
        self.user = request.user
        self.programme = programme

    def _has(self, perm: str) -> bool:
        return self.user.has_perm(perm, self.programme)

    @cached_property
    def can_view(self) -> bool:
        return self._has(VIEW_CONSOLE)

    @cached_property
    def can_change(self) -> bool:
        return self._has(CHANGE_PROGRAMME)

    @cached_property
    def can_decide(self) -> bool:
        return self._has(DECIDE_APPLICATIONS)

    @cached_property
    def can_audit(self) -> bool:
        return self._has(VIEW_AUDIT_LOG)

    def require(self, perm: str, obj: Any = None) -> None:
        if not self.user.has_perm(perm, self.programme if obj is None else obj):
            raise PermissionDenied


def console_view(
    perm: str = VIEW_CONSOLE,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking ``(request, console, ...)``; its URL has ``<slug:programme>``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, programme: str, *args: Any, **kwargs: Any) -> Any:
            console = Console(request, get_object_or_404(Programme, slug=programme))
            console.require(perm)
            if perm in _FLAGS:
                console.__dict__[_FLAGS[perm]] = True
            return view(request, console, *args, **kwargs)

        return wrapped

    return decorator
