"""Request bodies are refused from their declared size, before they are read (core/middleware):
413 over REQUEST_BODY_MAX_BYTES, 411 without a length; the proxy's page is the same 413 page;
the limits are coherent (core.checks).  The same over a real socket to gunicorn:
tests/core/test_serving.py."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

from tests.csp import inline_code

pytestmark = pytest.mark.django_db

TOO_LARGE = (
    "What you sent is larger than 25.0\xa0MB, the most this site accepts in one go (all the "
    "files of a form together). Nothing was saved. Go back to the form and send fewer or "
    "smaller files: each evidence file may be up to 10 MB."
)


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        raise AssertionError("the body was read")


def post(client: Client, path: str, **meta: str):
    """A POST whose declared length and headers are ``meta``, with a body nobody may read."""
    return client.generic(
        "POST",
        path,
        data=b"",
        content_type="multipart/form-data; boundary=xyz",
        **{"wsgi.input": Unreadable(), **meta},
    )


def test_a_body_declared_over_the_limit_is_refused_unread(client: Client) -> None:
    signup = reverse("accounts:signup")
    response = post(client, signup, CONTENT_LENGTH=str(200 * 1024 * 1024), HTTP_REFERER="/x/")

    assert response.status_code == 413
    html = response.content.decode()
    assert "<h1>Too much sent at once</h1>" in html
    assert TOO_LARGE in html
    assert '<a href="/x/">Back to the form</a>' in html
    assert inline_code(html) == []
    assert get_user_model().objects.count() == 0


def test_the_limit_is_exact_and_from_the_settings(client: Client, settings) -> None:
    settings.REQUEST_BODY_MAX_BYTES = 1000
    login = reverse("accounts:login")
    assert post(client, login, CONTENT_LENGTH="1001").status_code == 413
    # At the limit the request goes on: the sign-in form answers (wrong password).
    prefix = "username=a%40b.org&password="
    body = prefix + "x" * (1000 - len(prefix))
    response = client.post(login, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.context["form"].data["password"] == "x" * (1000 - len(prefix))


def test_a_body_without_length_is_refused_unread(client: Client) -> None:
    response = post(
        client, reverse("accounts:login"), CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked"
    )

    assert response.status_code == 411
    assert "<h1>The size of what you sent was not given</h1>" in response.content.decode()


def test_the_proxys_page_is_the_same_413(client: Client) -> None:
    url = reverse("request_too_large")
    assert url == "/request-too-large/"
    for response in (client.get(url), Client(enforce_csrf_checks=True).post(url)):
        assert response.status_code == 413
        assert TOO_LARGE in response.content.decode()


def test_the_limit_must_hold_every_upload(settings) -> None:
    assert [m.id for m in run_checks() if m.id.startswith("core.")] == []
    settings.REQUEST_BODY_MAX_BYTES = 6 * 1024 * 1024
    messages = [m for m in run_checks() if m.id == "core.E001"]
    assert [m.msg for m in messages] == [
        "REQUEST_BODY_MAX_BYTES (6291456) is smaller than an evidence file "
        "(reporting.domain.MAX_EVIDENCE_BYTES) (10485760): such requests would be refused "
        "before they are read."
    ]
