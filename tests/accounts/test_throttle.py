"""Rate limits of sign-in, sign-up and the forms that send mail: under the limit the form works,
over it the page answers 429 with the message at the top of the form, keeps what was typed, and
nothing is created, authenticated or sent."""

import pytest
from django.contrib.auth import get_user_model
from django.core import checks, mail
from django.urls import reverse

from pledgebook.accounts import throttle
from pledgebook.accounts.checks import check_shared_cache
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long and unusual passphrase 42"
TOO_MANY = "Too many attempts from here in a short time."


@pytest.fixture(autouse=True)
def _low_limits(monkeypatch, settings):
    settings.SITE_URL = "http://testserver"
    for group in throttle.LIMITS:
        monkeypatch.setitem(throttle.LIMITS, group, [("ip", "2/h")])
    monkeypatch.setitem(throttle.LIMITS, "login", [("ip", "9/h"), (throttle.typed_address, "2/h")])


def signup(client, email):
    data = {"email": email, "full_name": "Ana Silva", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("accounts:signup"), data)


def test_signup_within_the_limit_then_refused(client):
    assert signup(client, "one@example.org").status_code == 302
    assert signup(client, "two@example.org").status_code == 302
    assert len(mail.outbox) == 2

    refused = signup(client, "three@example.org")

    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert 'value="three@example.org"' in refused.content.decode()  # what was typed is kept
    assert not User.objects.filter(email="three@example.org").exists()
    assert len(mail.outbox) == 2
    assert client.get(reverse("accounts:signup")).status_code == 200  # reading is not counted


def test_login_limit_counts_per_address_and_refuses_even_the_right_password(client):
    user = factories.UserFactory(username="ana@example.org", email="ana@example.org")
    user.set_password(PASSWORD)
    user.save()
    url = reverse("accounts:login")
    # The same address, however it is typed, is counted once.
    for typed in ("ana@example.org", " Ana@Example.ORG "):
        wrong = {"username": typed, "password": "not it"}
        assert client.post(url, wrong).status_code == 200  # an ordinary error

    refused = client.post(url, {"username": "ana@example.org", "password": PASSWORD})

    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address from the same client is still let in (the per-address limit).
    other = factories.UserFactory(username="bo@example.org", email="bo@example.org")
    other.set_password(PASSWORD)
    other.save()
    allowed = client.post(url, {"username": "bo@example.org", "password": PASSWORD})
    assert allowed.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_password_reset_mails_within_the_limit_then_refused(client):
    factories.UserFactory(username="ana@example.org", email="ana@example.org")
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert client.post(url, {"email": "ana@example.org"}).status_code == 302
    assert len(mail.outbox) == 2

    refused = client.post(url, {"email": "ana@example.org"})

    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert len(mail.outbox) == 2


def test_resend_verification_within_the_limit_then_refused(client):
    assert signup(client, "ana@example.org").status_code == 302
    url = reverse("accounts:resend_verification")
    for _ in range(2):
        assert client.post(url, {"email": "ana@example.org"}).status_code == 200
    sent = len(mail.outbox)
    assert sent == 3  # the sign-up's mail and two new links

    refused = client.post(url, {"email": "ana@example.org"})

    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert len(mail.outbox) == sent


def test_deploy_check_asks_for_a_shared_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [m.id for m in check_shared_cache()] == ["accounts.W001"]
    assert all(m.level == checks.WARNING for m in check_shared_cache())
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert check_shared_cache() == []
