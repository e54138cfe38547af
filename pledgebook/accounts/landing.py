"""Where people land after signing in.

People who work on programmes (secretariat, reviewers; platform superusers see every
programme) and act for no organisation land on the console; everyone else lands in the
workspace, which shows people with both a link to the console at its top.  A safe ``next``
(``?next=`` of the sign-in page) always wins: Django's ``LoginView`` checks it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from pledgebook.organisations.models import Representative
from pledgebook.programmes.models import ProgrammeRole


def works_on_programmes(user: Any) -> bool:
    """Secretariat, reviewers and platform superusers: the people with a console."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or ProgrammeRole.objects.filter(user=user).exists())
    )


def landing_url(user: Any) -> str:
    if works_on_programmes(user) and not Representative.objects.filter(user=user).exists():
        return reverse("console:home")
    return reverse("workspace:home")
