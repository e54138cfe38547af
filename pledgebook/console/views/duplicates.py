"""The same initiative registered twice, in the secretariat's review of a commitment: the
commitments of the network most similar to it (``commitments.duplicates``), each with its score
and reasons and a button to link it, and the registrations it is linked with, with the
provenance of each link; unlinking and choosing the registration that represents the initiative
(``commitments.initiatives``).  The review page loads the panel (HTMX); without JavaScript it
is a page of its own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pledgebook.commitments import initiatives
from pledgebook.commitments.duplicates import similar_commitments
from pledgebook.commitments.initiatives import LINK_PERM
from pledgebook.commitments.models import Commitment, Registration
from pledgebook.console.access import REVIEW_COMMITMENT, Console, console_view


class LinkForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _link_form(other: Any, data: Any = None) -> LinkForm:
    """The link form of one suggestion (its own ids: several are on the page)."""
    return LinkForm(data, initial={"other": other}, auto_id=f"link-{other}-%s")


def _commitment(console: Console, pk: int) -> Commitment:
    commitment = get_object_or_404(
        Commitment.objects.for_programme(console.programme)
        .submitted()
        .select_related("organisation", "programme"),
        pk=pk,
    )
    console.require(REVIEW_COMMITMENT, commitment)
    return commitment


def _context(
    request: HttpRequest,
    console: Console,
    commitment: Commitment,
    *,
    bound: LinkForm | None = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    may_link = request.user.has_perm(LINK_PERM, commitment)
    registration = Registration.objects.filter(commitment=commitment).first()
    similar = similar_commitments(commitment, k=5, staff=True)
    forms_by_pk = {
        s.commitment.pk: (
            bound
            if bound is not None and bound.data.get("other") == str(s.commitment.pk)
            else _link_form(s.commitment.pk)
        )
        for s in similar
    }
    return {
        "console": console,
        "commitment": commitment,
        "may_link": may_link,
        "registration": registration,
        "registrations": initiatives.other_registrations(commitment, public_only=False),
        "similar": [(s, forms_by_pk[s.commitment.pk]) for s in similar],
        "note_form": NoteForm(),
        "errors": errors or [],
    }


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    template = (
        "console/_commitment_duplicates.html" if htmx else "console/commitment_duplicates.html"
    )
    return render(request, template, context, status=status)


def _back(console: Console, commitment: Commitment) -> HttpResponse:
    url = reverse(
        "console:commitment", kwargs={"programme": console.programme.slug, "pk": commitment.pk}
    )
    return redirect(f"{url}#duplicates")


@console_view()
@require_GET
def panel(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    commitment = _commitment(console, pk)
    return _page(request, _context(request, console, commitment))


@console_view()
@require_POST
def link(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    commitment = _commitment(console, pk)
    console.require(LINK_PERM, commitment)
    other_pk = request.POST.get("other", "")
    form = _link_form(other_pk, request.POST)
    other = None
    if form.is_valid():
        other = (
            Commitment.objects.select_related("programme")
            .filter(pk=form.cleaned_data["other"])
            .first()
        )
    if other is None:
        errors = [_("Choose a commitment to link with.")]
        context = _context(request, console, commitment, errors=errors)
        return render(request, "console/commitment_duplicates.html", context, status=400)
    try:
        initiatives.link(
            actor=request.user,
            commitment=commitment,
            other=other,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        # Said where the secretary is, with the note as typed; nothing was changed.
        context = _context(request, console, commitment, bound=form, errors=exc.messages)
        return render(request, "console/commitment_duplicates.html", context, status=400)
    messages.success(
        request,
        _("“%(title)s” and “%(other)s” are now registrations of one initiative.")
        % {"title": commitment.title, "other": other.title},
    )
    return _back(console, commitment)


@console_view()
@require_POST
def unlink(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    commitment = _commitment(console, pk)
    console.require(LINK_PERM, commitment)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        initiatives.unlink(actor=request.user, commitment=commitment, note=note)
    except ValidationError as exc:
        context = _context(request, console, commitment, errors=exc.messages)
        return render(request, "console/commitment_duplicates.html", context, status=400)
    messages.success(
        request,
        _("“%(title)s” is no longer linked with other registrations.")
        % {"title": commitment.title},
    )
    return _back(console, commitment)


@console_view()
@require_POST
def primary(request: HttpRequest, console: Console, pk: int) -> HttpResponse:
    commitment = _commitment(console, pk)
    console.require(LINK_PERM, commitment)
    try:
        initiatives.make_primary(actor=request.user, commitment=commitment)
    except ValidationError as exc:
        context = _context(request, console, commitment, errors=exc.messages)
        return render(request, "console/commitment_duplicates.html", context, status=400)
    messages.success(
        request,
        _("“%(title)s” now represents its initiative in the directory.")
        % {"title": commitment.title},
    )
    return _back(console, commitment)
