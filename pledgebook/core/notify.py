"""Notifications: render a mail template and queue it as a background task.

Domain functions call :func:`notify` explicitly (no signals), so every side effect of a state
change can be read in the function that makes it.  The task is enqueued inside the caller's
transaction: with the database task backend the queued row commits or rolls back together with
the state change (a transactional outbox), so no mail leaves for a change that did not happen.
"""

from collections.abc import Iterable
from typing import Any

from django.template import Context
from django.template.loader import get_template

from pledgebook.core import site
from pledgebook.core.tasks import send_email


def render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered as text: nothing HTML-escaped (a mail is not a web
    page, so "Women's Network" must not arrive as "Women&#x27;s Network")."""
    return get_template(name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def notify(
    *,
    to: Iterable[str],
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """Queue the mail ``template`` rendered with ``context`` to ``to`` (one mail, every
    recipient in it); ``headers``: extra header lines, for instance a digest's
    ``List-Unsubscribe`` (one mail per subscriber, since the link is each one's own)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {"site_url": site.base_url(), **context}
    # A subject is one line: a line break inside it would be refused by the mail backend.
    subject = " ".join(render_text(f"mail/{template}.subject.txt", context).split())
    body = render_text(f"mail/{template}.body.txt", context)
    if headers:
        send_email.enqueue(to=recipients, subject=subject, body=body, headers=dict(headers))
    else:
        send_email.enqueue(to=recipients, subject=subject, body=body)


def emails_of(organisation: Any) -> list[str]:
    """The addresses of the active people who act for ``organisation`` (none for None)."""
    if organisation is None:
        return []
    return [u.email for u in organisation.people.filter(is_active=True)]
