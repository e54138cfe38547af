"""The one form → domain → errors helper (:mod:`pledgebook.core.forms`)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from pledgebook.core.forms import Done, act, add_domain_errors, attempt


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)
    note = forms.CharField(required=False)


def bound(**data: str) -> NameForm:
    return NameForm({"name": "Amani", "note": "", **data})


def refuse(errors: Any) -> Any:
    def call(data: dict[str, Any]) -> Any:
        raise ValidationError(errors)

    return call


def test_a_valid_form_calls_the_domain_with_its_cleaned_data() -> None:
    seen: list[dict[str, Any]] = []
    done = attempt(bound(note="hi"), lambda data: seen.append(data) or "made")
    assert done == Done("made")
    assert seen == [{"name": "Amani", "note": "hi"}]


def test_done_is_true_even_when_the_domain_returns_none() -> None:
    done = attempt(bound(), lambda data: None)
    assert done
    assert done == Done(None)
    assert bool(Done(None)) is True
    assert bool(Done(0)) is True


def test_an_invalid_form_never_calls_the_domain() -> None:
    calls: list[Any] = []
    form = bound(name="")
    assert attempt(form, calls.append) is None
    assert calls == []
    assert form.errors == {"name": ["This field is required."]}


def test_a_field_error_shows_at_its_field() -> None:
    form = bound()
    assert attempt(form, refuse({"name": "Taken already."})) is None
    assert form.errors == {"name": ["Taken already."]}
    assert form.data["name"] == "Amani"  # what was typed is kept


def test_an_error_of_an_unknown_field_shows_at_the_top() -> None:
    form = bound()
    assert attempt(form, refuse({"slug": "Reserved."})) is None
    assert form.errors == {"__all__": ["Reserved."]}
    assert form.non_field_errors() == ["Reserved."]


def test_a_non_field_error_shows_at_the_top() -> None:
    form = bound()
    assert attempt(form, refuse("The window is closed.")) is None
    assert form.non_field_errors() == ["The window is closed."]
    form = bound()
    assert attempt(form, refuse(["One.", "Two."])) is None
    assert form.non_field_errors() == ["One.", "Two."]


def test_errors_of_several_fields_each_at_their_place() -> None:
    form = bound()
    add_domain_errors(form, {"name": ["Too long."], "note": ["Rude."], "__all__": ["No."]})
    assert form.errors == {"name": ["Too long."], "note": ["Rude."], "__all__": ["No."]}


def _request() -> Any:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


@pytest.mark.parametrize(
    ("success", "expected"),
    [("Cycle closed.", "Cycle closed."), (lambda value: f"Made {value}.", "Made 3.")],
)
def test_act_says_success_and_redirects(success: Any, expected: str) -> None:
    request = _request()
    response = act(request, lambda: 3, success=success, to="/back/")
    assert response.status_code == 302
    assert response["Location"] == "/back/"
    assert _messages(request) == [("success", expected)]


def test_act_says_the_refusal_and_redirects() -> None:
    request = _request()

    def refused() -> None:
        raise ValidationError("The cycle is already closed.")

    response = act(request, refused, success="Cycle closed.", to="/back/")
    assert response.status_code == 302
    assert response["Location"] == "/back/"
    assert _messages(request) == [("error", "The cycle is already closed.")]


def test_act_puts_the_refusal_in_the_pages_own_words() -> None:
    request = _request()

    def refused() -> None:
        raise ValidationError(["It was undone already.", "Nothing changed."])

    act(request, refused, success="Undone.", refused="Undo is not possible. %(why)s", to="/")
    assert _messages(request) == [
        ("error", "Undo is not possible. It was undone already. Nothing changed.")
    ]
