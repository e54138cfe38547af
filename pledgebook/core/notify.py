"""Notifications: render a mail template and queue it once the transaction commits.

Domain functions call :func:`notify` explicitly (no signals), so every side effect of a state
change can be read in the function that makes it.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from pledgebook.core.tasks import send_email


def notify(*, to: Iterable[str], template: str, context: dict[str, Any]) -> None:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"mail/{template}.subject.txt", context).strip()
    body = render_to_string(f"mail/{template}.body.txt", context)
    transaction.on_commit(partial(send_email.enqueue, to=recipients, subject=subject, body=body))
