"""Programme set-up: settings, themes and their blueprint actions, roles.  All changes go
through ``pledgebook.programmes.domain``, but for deleting an action: ``commitments.domain``
refuses to delete one that commitments advance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pledgebook.commitments import domain as commitments
from pledgebook.console.access import CHANGE_PROGRAMME, Console, console_view
from pledgebook.console.forms import (
    ActionForm,
    ProgrammeForm,
    RoleGrantForm,
    ThemeForm,
)
from pledgebook.core.forms import act, attempt
from pledgebook.programmes import domain
from pledgebook.programmes.models import Action, ProgrammeRole, Theme

# Programme ---------------------------------------------------------------------------------


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("programmes.add_programme"):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and (
        done := attempt(
            form, lambda _data: domain.create_programme(actor=request.user, **form.domain_values())
        )
    ):
        programme = done.value
        messages.success(
            request,
            _("Programme “%(name)s” created. You are its secretariat.") % {"name": programme.name},
        )
        return redirect("console:programme", programme=programme.slug)
    return render(request, "console/programme_form.html", {"form": form, "creating": True})


@console_view(CHANGE_PROGRAMME)
def programme_settings(request: HttpRequest, console: Console) -> HttpResponse:
    programme = console.programme
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and attempt(
        form,
        lambda _data: domain.update_programme(
            actor=request.user, programme=programme, **form.domain_values()
        ),
    ):
        messages.success(request, _("Programme settings saved."))
        return redirect("console:settings", programme=programme.slug)
    return render(
        request,
        "console/programme_form.html",
        {"form": form, "console": console, "creating": False},
    )


# Themes and blueprint actions ----------------------------------------------------------


def _theme(console: Console, pk: int) -> Theme:
    return get_object_or_404(Theme.objects.filter(programme=console.programme), pk=pk)


def _action(console: Console, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.filter(theme__programme=console.programme).select_related("theme"), pk=pk
    )


@console_view(CHANGE_PROGRAMME)
def theme_list(request: HttpRequest, console: Console) -> HttpResponse:
    themes = (
        console.programme.themes.annotate(action_count=Count("actions", distinct=True))
        .prefetch_related("goals")
        .order_by("position", "name")
    )
    return render(request, "console/themes.html", {"console": console, "themes": themes})


@console_view(CHANGE_PROGRAMME)
def theme_create(request: HttpRequest, console: Console) -> HttpResponse:
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.create_theme(
                actor=request.user, programme=console.programme, **data
            ),
        )
    ):
        theme = done.value
        messages.success(request, _("Theme “%(name)s” added.") % {"name": theme.name})
        return redirect("console:theme", programme=console.programme.slug, theme=theme.pk)
    return render(request, "console/theme_form.html", {"console": console, "form": form})


@console_view(CHANGE_PROGRAMME)
def theme_edit(request: HttpRequest, console: Console, theme: int) -> HttpResponse:
    obj = _theme(console, theme)
    obj.programme = console.programme
    form = ThemeForm(request.POST or None, initial=ThemeForm.initial_for(obj))
    if request.method == "POST" and attempt(
        form, lambda data: domain.update_theme(actor=request.user, theme=obj, **data)
    ):
        messages.success(request, _("Theme saved."))
        return redirect("console:theme", programme=console.programme.slug, theme=obj.pk)
    return render(
        request,
        "console/theme_form.html",
        {"console": console, "form": form, "theme": obj, "actions": obj.actions.all()},
    )


@console_view(CHANGE_PROGRAMME)
def action_create(request: HttpRequest, console: Console, theme: int) -> HttpResponse:
    obj = _theme(console, theme)
    obj.programme = console.programme
    form = ActionForm(request.POST or None)
    if request.method == "POST" and attempt(
        form, lambda data: domain.create_action(actor=request.user, theme=obj, **data)
    ):
        messages.success(request, _("Action added to the blueprint."))
        return redirect("console:theme", programme=console.programme.slug, theme=obj.pk)
    return render(
        request, "console/action_form.html", {"console": console, "form": form, "theme": obj}
    )


@console_view(CHANGE_PROGRAMME)
def action_edit(request: HttpRequest, console: Console, action: int) -> HttpResponse:
    obj = _action(console, action)
    obj.theme.programme = console.programme
    form = ActionForm(request.POST or None, initial=ActionForm.initial_for(obj))
    if request.method == "POST" and attempt(
        form, lambda data: domain.update_action(actor=request.user, action=obj, **data)
    ):
        messages.success(request, _("Action saved."))
        return redirect("console:theme", programme=console.programme.slug, theme=obj.theme_id)
    return render(
        request,
        "console/action_form.html",
        {"console": console, "form": form, "theme": obj.theme, "action": obj},
    )


@console_view(CHANGE_PROGRAMME)
def action_delete(request: HttpRequest, console: Console, action: int) -> HttpResponse:
    obj = _action(console, action)
    obj.theme.programme = console.programme
    errors: list[str] = []
    if request.method == "POST":
        try:
            commitments.delete_action(actor=request.user, action=obj)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Action deleted."))
            return redirect("console:theme", programme=console.programme.slug, theme=obj.theme_id)
    return render(
        request,
        "console/action_delete.html",
        {
            "console": console,
            "action": obj,
            "theme": obj.theme,
            "linked": commitments.commitments_linked_to(obj),
            "errors": errors,
        },
    )


# Roles -------------------------------------------------------------------------------------


@console_view(CHANGE_PROGRAMME)
def roles(request: HttpRequest, console: Console) -> HttpResponse:
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and (
        done := attempt(
            form,
            lambda data: domain.grant_role(actor=request.user, programme=console.programme, **data),
        )
    ):
        granted = done.value
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": granted.user.email, "role": granted.get_role_display().lower()},
        )
        return redirect("console:roles", programme=console.programme.slug)
    rows = (
        ProgrammeRole.objects.filter(programme=console.programme)
        .select_related("user")
        .order_by("role", "user__email")
    )
    return render(request, "console/roles.html", {"console": console, "form": form, "rows": rows})


@console_view(CHANGE_PROGRAMME)
@require_POST
def role_revoke(request: HttpRequest, console: Console, role: int) -> HttpResponse:
    row = get_object_or_404(
        ProgrammeRole.objects.filter(programme=console.programme).select_related("user"), pk=role
    )
    row.programme = console.programme
    return act(
        request,
        lambda: domain.revoke_role(actor=request.user, role=row),
        success=_("%(email)s is no longer %(role)s.")
        % {"email": row.user.email, "role": row.get_role_display().lower()},
        to=reverse("console:roles", kwargs={"programme": console.programme.slug}),
    )
