"""The secretariat's coalition hub: the review queue of expressions of interest (EOIs), an EOI's
review page with the similar EOIs and coalitions, merges (preview, confirm, history, undo) and
the programme's coalitions with their state transitions.

Secretariat of the programme only (others 403); every query is scoped to the programme of the
URL (an object of another programme is a 404).  Views call ``coalitions.domain`` and
``coalitions.merge``; a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pledgebook.coalitions import content, domain, merge
from pledgebook.coalitions.models import (
    Coalition,
    ExpressionOfInterest,
    MergeRecord,
)
from pledgebook.coalitions.similar import similar_to
from pledgebook.console.access import Console, console_view
from pledgebook.core.forms import act

MANAGE_COALITIONS = "coalitions.merge_in_programme"
State = Coalition.State

#: State transitions offered on the coalition list: action slug -> (domain function, label).
TRANSITIONS: dict[str, tuple[str, Any, Any]] = {
    "consider": (
        State.UNDER_CONSIDERATION,
        domain.start_consideration,
        gettext_lazy("Start consideration"),
    ),
    "accept": (State.ACCEPTED, domain.accept_coalition, gettext_lazy("Accept")),
    "activate": (State.ACTIVE, domain.activate_coalition, gettext_lazy("Activate")),
    "close": (State.CLOSED, domain.close_coalition, gettext_lazy("Close")),
}


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _eois(console: Console) -> QuerySet[ExpressionOfInterest]:
    return ExpressionOfInterest.objects.for_programme(console.programme).select_related(
        "organisation__country", "programme", "coalition"
    )


# Review queue and page -------------------------------------------------------------------------


@console_view(MANAGE_COALITIONS)
def eoi_queue(request: HttpRequest, console: Console) -> HttpResponse:
    eois = list(
        _eois(console)
        .filter(
            status__in=(
                ExpressionOfInterest.Status.SUBMITTED,
                ExpressionOfInterest.Status.IN_REVIEW,
            )
        )
        .order_by("is_late", "submitted_at", "id")
    )
    coalitions = list(Coalition.objects.for_programme(console.programme).live())
    return render(
        request,
        "console/coalitions_eois.html",
        {"console": console, "eois": eois, "coalitions": coalitions},
    )


@console_view(MANAGE_COALITIONS)
def eoi_detail(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    eoi = get_object_or_404(_eois(console), pk=pk)
    merge_url_base = reverse("console:coalitions_merge", args=[console.programme.slug])
    return render(
        request,
        "console/coalitions_eoi.html",
        {
            "console": console,
            "eoi": eoi,
            "principles": list(eoi.principles.all()),  # type: ignore[attr-defined]
            "asks": list(eoi.asks.all()),  # type: ignore[attr-defined]
            "milestones": list(eoi.milestones.all()),  # type: ignore[attr-defined]
            "memberships": list(
                eoi.memberships.select_related(  # type: ignore[attr-defined]
                    "organisation__country", "invited_country"
                )
            ),
            "suggestions": similar_to(eoi, k=5) if eoi.is_open else [],
            "merge_url_base": f"{merge_url_base}?eoi={eoi.pk}",
        },
    )


@console_view(MANAGE_COALITIONS)
@require_POST
def eoi_action(request: HttpRequest, console: Console, pk: int, action: str) -> HttpResponse:
    eoi = get_object_or_404(_eois(console), pk=pk)
    reason = request.POST.get("reason", "")
    decisions: dict[str, tuple[Callable[[], ExpressionOfInterest], Any]] = {
        "start-review": (
            lambda: domain.start_eoi_review(actor=request.user, eoi=eoi),
            _("Review started: the proposer can no longer edit it."),
        ),
        "accept": (
            lambda: domain.accept_eoi(actor=request.user, eoi=eoi, reason=reason),
            lambda accepted: (
                _("Accepted: it is now the coalition “%(name)s”.") % {"name": accepted.coalition}
            ),
        ),
        "decline": (
            lambda: domain.decline_eoi(actor=request.user, eoi=eoi, reason=reason),
            _("Declined. The proposer has been e-mailed."),
        ),
    }
    if action not in decisions:
        raise Http404
    call, success = decisions[action]
    to = reverse("console:coalitions_eoi", kwargs={"programme": console.programme.slug, "pk": pk})
    return act(request, call, success=success, to=to)


# Merge -----------------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    label: str
    provenance: str
    duplicate_of: str = ""


@dataclass
class Preview:
    parts: dict[str, list[PreviewRow]] = field(default_factory=dict)

    @property
    def principles(self) -> list[PreviewRow]:
        return self.parts["principles"]

    @property
    def asks(self) -> list[PreviewRow]:
        return self.parts["asks"]

    @property
    def memberships(self) -> list[PreviewRow]:
        return self.parts["memberships"]

    @property
    def milestones(self) -> list[PreviewRow]:
        return self.parts["milestones"]


def _label(item: Any) -> str:
    if hasattr(item, "text"):
        return str(item.text)
    if hasattr(item, "due_on"):
        return f"{item.due_on:%Y-%m-%d} {item.title}"
    return f"{item.display_name} ({item.get_role_display()})"


def _provenance(item: Any) -> str:
    source = item.source_eoi
    if source is None:
        return _("written in the coalition")
    return _("from the EOI of %(org)s (“%(title)s”)") % {
        "org": source.organisation.name,
        "title": source.title,
    }


def build_preview(
    sources: list[ExpressionOfInterest | Coalition], into: Coalition | None
) -> Preview:
    """What the combined coalition will hold, computed the way ``content.Combiner`` combines
    (the coalition's own items first, then each source's; an item with the key of one already
    kept is a duplicate), without writing anything."""
    preview = Preview()
    containers = [*([into] if into is not None else []), *sources]
    for kind in content.KINDS:
        rows: list[PreviewRow] = []
        kept: dict[Any, str] = {}
        for container in containers:
            items = content.items(container, kind).select_related("source_eoi__organisation")
            if kind == "memberships":
                items = items.select_related("organisation")
            for item in items:
                key = content.item_key(item)
                label = _label(item)
                row = PreviewRow(label=label, provenance=_provenance(item))
                if key in kept:
                    row.duplicate_of = kept[key]
                else:
                    kept[key] = label
                rows.append(row)
        preview.parts[kind] = rows
    return preview


def _ids(values: list[str]) -> list[int]:
    found = []
    for value in values:
        try:
            found.append(int(value))
        except ValueError as exc:
            raise Http404 from exc
    return list(dict.fromkeys(found))


def _merge_inputs(
    console: Console, data: Any
) -> tuple[list[ExpressionOfInterest | Coalition], Coalition | None]:
    """The sources and target named by the request, all of this programme (else 404)."""
    eoi_ids = _ids(data.getlist("eoi"))
    coalition_ids = _ids(data.getlist("coalition"))
    eois = {e.pk: e for e in _eois(console).filter(pk__in=eoi_ids)}
    coalitions = {
        c.pk: c
        for c in Coalition.objects.for_programme(console.programme).filter(pk__in=coalition_ids)
    }
    if len(eois) != len(eoi_ids) or len(coalitions) != len(coalition_ids):
        raise Http404
    sources: list[ExpressionOfInterest | Coalition] = [eois[i] for i in eoi_ids]
    sources += [coalitions[i] for i in coalition_ids]
    into = None
    if data.get("into"):
        into = get_object_or_404(
            Coalition.objects.for_programme(console.programme), pk=_ids([data["into"]])[0]
        )
    return sources, into


@console_view(MANAGE_COALITIONS)
def merge_preview(request: HttpRequest, console: Console) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    sources, into = _merge_inputs(console, data)
    error = ""
    try:
        merge.check_merge(sources, into)
    except ValidationError as exc:
        error = " ".join(_messages_of(exc))
    if request.method == "POST" and not error:
        try:
            record = merge.merge(
                actor=request.user,
                sources=sources,
                into=into,
                name=request.POST.get("name", ""),
                summary=request.POST.get("summary", ""),
            )
        except ValidationError as exc:
            error = " ".join(_messages_of(exc))
        else:
            messages.success(
                request,
                _("Merged into “%(name)s”. You can undo it from the merge history.")
                % {"name": record.target},
            )
            return redirect("console:coalitions_merges", programme=console.programme.slug)
    first = sources[0] if sources else None
    default_name = ""
    if into is None and first is not None:
        default_name = first.title if isinstance(first, ExpressionOfInterest) else first.name
    return render(
        request,
        "console/coalitions_merge.html",
        {
            "console": console,
            "sources": sources,
            "into": into,
            "error": error,
            "preview": build_preview(sources, into) if not error else None,
            "name": request.POST.get("name", default_name),
            "summary": request.POST.get("summary", first.summary if first else ""),
        },
        status=400 if error and request.method == "POST" else 200,
    )


@console_view(MANAGE_COALITIONS)
def merges(request: HttpRequest, console: Console) -> HttpResponse:
    records = (
        MergeRecord.objects.filter(programme=console.programme)
        .select_related("target", "performed_by", "undone_by")
        .prefetch_related("source_eois", "source_coalitions")
    )
    return render(
        request, "console/coalitions_merges.html", {"console": console, "records": list(records)}
    )


@console_view(MANAGE_COALITIONS)
@require_POST
def merge_undo(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    record = get_object_or_404(MergeRecord, programme=console.programme, pk=pk)
    return act(
        request,
        lambda: merge.undo_merge(actor=request.user, merge_record=record),
        success=_("The merge is undone: everything is as it was before."),
        refused=_("Undo is no longer possible. %(why)s"),
        to=reverse("console:coalitions_merges", kwargs={"programme": console.programme.slug}),
    )


# Coalitions ------------------------------------------------------------------------------------


@console_view(MANAGE_COALITIONS)
def coalition_list(request: HttpRequest, console: Console) -> HttpResponse:
    coalitions = list(
        Coalition.objects.for_programme(console.programme).prefetch_related(
            "expressions_of_interest"
        )
    )
    rows = []
    for c in coalitions:
        actions = [
            (slug, label)
            for slug, (to, _fn, label) in TRANSITIONS.items()
            if c.state in domain.COALITION_TRANSITIONS[to]
        ]
        rows.append((c, actions))
    return render(
        request,
        "console/coalitions_list.html",
        {"console": console, "rows": rows, "public_states": Coalition.PUBLIC_STATES},
    )


@console_view(MANAGE_COALITIONS)
@require_POST
def coalition_action(request: HttpRequest, console: Console, pk: int, action: str) -> HttpResponse:
    coalition = get_object_or_404(Coalition.objects.for_programme(console.programme), pk=pk)
    if action not in TRANSITIONS:
        raise Http404
    function = TRANSITIONS[action][1]
    kwargs: dict[str, Any] = {"actor": request.user, "coalition": coalition}
    if action == "close":
        kwargs["reason"] = request.POST.get("reason", "")
    return act(
        request,
        lambda: function(**kwargs),
        success=lambda moved: (
            _("“%(name)s” is now %(state)s.")
            % {"name": moved.name, "state": moved.get_state_display().lower()}
        ),
        to=reverse("console:coalitions", kwargs={"programme": console.programme.slug}),
    )
