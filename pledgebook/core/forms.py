"""The one pattern of every front app: form → domain → errors on the form, or a redirect.

A view validates a form, calls one domain function, and either shows the domain's refusal where
the person is (at the field it names, else at the top of the form, keeping what was typed) or
redirects with a message::

    form = ThemeForm(request.POST or None)
    if request.method == "POST" and (done := attempt(form, lambda data: domain.create_theme(
        actor=request.user, programme=programme, **data
    ))):
        messages.success(request, _("Theme created."))
        return redirect(done.value.get_absolute_url())
    return render(request, "console/theme_form.html", {"form": form})

A button without a form (confirm, close, send now) uses :func:`act`::

    return act(request, lambda: domain.close_cycle(actor=request.user, cycle=cycle),
               success=_("Cycle closed."), to=cycle_url)
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


def add_domain_errors(
    form: forms.BaseForm, errors: ValidationError | Mapping[str, list[str]]
) -> None:
    """Show a domain refusal on ``form``: each message at the field it names when the form has
    that field, otherwise as an error of the whole form."""
    if isinstance(errors, ValidationError):
        errors = (
            errors.message_dict
            if hasattr(errors, "error_dict")
            else {NON_FIELD_ERRORS: errors.messages}
        )
    for name, found in errors.items():
        field = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for message in found:
            form.add_error(field, str(message))


@dataclass(frozen=True)
class Done(Generic[T]):
    """What the domain returned; always true, even when the value is ``None``."""

    value: T


def attempt(form: forms.BaseForm, call: Callable[[dict[str, Any]], T]) -> Done[T] | None:
    """When ``form`` is valid, ``call(form.cleaned_data)``; a ``ValidationError`` goes onto the
    form and gives ``None``, as does an invalid form."""
    if not form.is_valid():
        return None
    try:
        return Done(call(form.cleaned_data))
    except ValidationError as exc:
        add_domain_errors(form, exc)
        return None


def act(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: Any | Callable[[T], Any],
    to: str,
    refused: Any = "%(why)s",
) -> HttpResponse:
    """A button: ``call()``; its refusal as an error message (``refused``, with ``%(why)s``
    for the domain's words), else ``success`` (a message, or a function of what ``call()``
    returned that gives it); redirect ``to``."""
    try:
        value = call()
    except ValidationError as exc:
        messages.error(request, refused % {"why": " ".join(str(m) for m in exc.messages)})
    else:
        messages.success(request, success(value) if callable(success) else success)
    return redirect(to)
