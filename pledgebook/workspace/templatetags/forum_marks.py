"""``{% session_mark session as state %}``: whether the person of the request marked
``session`` and may mark it, for ``forum/_mark_button.html`` (on any page showing a session)."""

from __future__ import annotations

from typing import Any

from django import template

from pledgebook.forum.models import Session, SessionMark

register = template.Library()


@register.simple_tag(takes_context=True)
def session_mark(context: template.Context, session: Session) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "signed_in": signed_in,
        "marked": signed_in and SessionMark.objects.filter(session=session, user=user).exists(),
        "can_mark": user is not None
        and signed_in
        and session.status == Session.Status.SCHEDULED
        and user.has_perm("forum.mark_session", session),
        "cancelled": session.status == Session.Status.CANCELLED,
    }
