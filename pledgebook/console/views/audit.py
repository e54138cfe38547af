"""The programme's audit log, for its secretariat: who did what, to which object, when, why."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from pledgebook.console.access import VIEW_AUDIT_LOG, Console, console_view
from pledgebook.console.forms import AuditFilterForm
from pledgebook.core.models import AuditEntry

PAGE_SIZE = 50

#: Console pages of audited objects, by ``AuditEntry.object_type``.
OBJECT_PAGES = {
    "commitments.commitment": ("console:commitment", "pk"),
    "commitments.application": ("console:application", "pk"),
    "programmes.theme": ("console:theme", "theme"),
    "programmes.action": ("console:action", "action"),
}


@console_view(VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest, console: Console) -> HttpResponse:
    programme = console.programme
    entries = AuditEntry.objects.filter(programme=programme)
    form = AuditFilterForm(
        request.GET or None,
        actions=entries.order_by("action").values_list("action", flat=True).distinct(),
        object_types=entries.order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct(),
    )
    entries = entries.select_related("actor").order_by("-created_at", "-id")
    if form.is_bound and form.is_valid():
        for name in ("action", "object_type", "object_id"):
            if form.cleaned_data[name]:
                entries = entries.filter(**{name: form.cleaned_data[name]})
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, _console_url(programme.slug, entry)) for entry in page.object_list]
    return render(
        request,
        "console/audit.html",
        {"console": console, "form": form, "page": page, "rows": rows},
    )


def _console_url(slug: str, entry: AuditEntry) -> str:
    """The console page of the entry's object, if it has one."""
    target = OBJECT_PAGES.get(entry.object_type)
    if target is None:
        return ""
    return reverse(target[0], kwargs={"programme": slug, target[1]: entry.object_id})
