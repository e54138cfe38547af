"""The progress of similarity indexing for a programme ("Indexing for similarity: 120 of
288"), shown on the coalition hub's pages and polled with HTMX while texts wait (see
``similarity/backlog.py``).  Read only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pledgebook.console.access import Console, console_view
from pledgebook.programmes.models import Programme
from pledgebook.similarity import backlog


def context(programme: Programme, *, polled: bool = False) -> dict[str, Any]:
    return {
        "programme": programme,
        "indexing": backlog.progress(scope=programme.pk),
        "polled": polled,
    }


@console_view()
def status(request: HttpRequest, console: Console) -> HttpResponse:
    return render(request, "console/_indexing_status.html", context(console.programme, polled=True))
