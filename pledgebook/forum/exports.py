"""Forum exports, registered once in :mod:`pledgebook.core.exports`.

``forum-registrations-csv``: the registrations of the programme's events, for the
secretariat only (private: names and addresses of people).  ``?event=<slug>`` keeps to one
event, ``?status=`` to one status.  Imported by :meth:`pledgebook.forum.apps.ForumConfig.ready`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pledgebook.core.exports import BaseExporter, register
from pledgebook.forum.models import Registration

#: Spreadsheets run a cell beginning with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


class RegistrationCSVExporter(BaseExporter):
    identifier = "forum-registrations-csv"
    verbose_name = _("Event registrations (CSV)")
    subject = "registrations"
    programme_lookup = "event__programme"

    HEADER = (
        "event",
        "name",
        "email",
        "mode",
        "status",
        "organisation",
        "category",
        "country",
        "gender",
        "registered_at",
    )

    def queryset(self, params: Any) -> QuerySet[Registration]:
        found = Registration.objects.select_related("event", "user", "organisation")
        event = params.get("event")
        if event:
            found = found.filter(event__slug=event)
        status = params.get("status")
        if status:
            if status not in Registration.Status.values:
                raise ValidationError({"status": [_("Unknown status.")]})
            found = found.filter(status=status)
        return found.order_by("event__starts_on", "event__slug", "created_at", "pk")

    def row(self, r: Registration) -> list[str]:
        user = r.user
        name = " ".join(part for part in (user.first_name, user.last_name) if part)
        return [
            r.event.slug,
            _cell(name),
            user.email,
            r.mode,
            r.status,
            _cell(r.organisation.name) if r.organisation else "",
            r.category,
            r.country_id or "",
            r.gender,
            r.created_at.isoformat(),
        ]

    def render(self, rows: Iterable[Registration]) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(self.HEADER)
        items = rows.iterator(chunk_size=2000) if isinstance(rows, QuerySet) else rows
        for registration in items:
            yield writer.writerow(self.row(registration))


register(RegistrationCSVExporter)
