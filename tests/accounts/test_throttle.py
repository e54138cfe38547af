"""Rate limits of sign-in, sign-up and the forms that send mail: under the limit the form works,
over it the page answers 429 with the message at the top of the form, keeps what was typed, and
nothing is created, authenticated or sent.

Sign-in counts failures only, per (address, client), per client and per address; nobody can
lock an owner out from elsewhere.  With the cache down, the limits fail open (logged)."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import checks, mail
from django.test import override_settings
from django.urls import reverse

from pledgebook.accounts import throttle
from pledgebook.accounts.checks import check_shared_cache
from pledgebook.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long and unusual passphrase 42"
TOO_MANY = "Too many attempts from here in a short time."
TOO_MANY_FAILURES = "Too many failed attempts to sign in to this address from here."
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _low_limits(monkeypatch, settings):
    settings.SITE_URL = "http://testserver"
    for group in throttle.LIMITS:
        monkeypatch.setitem(throttle.LIMITS, group, [("ip", "2/h")])
    monkeypatch.setitem(throttle.LOGIN_FAILURES, "pair", "3/h")
    monkeypatch.setitem(throttle.LOGIN_FAILURES, "client", "6/h")
    monkeypatch.setitem(throttle.LOGIN_FAILURES, "address", "4/h")


def person(email="ana@example.org"):
    user = factories.UserFactory(username=email, email=email)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, email, password, ip):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def signed_in_as(client):
    return client.session.get("_auth_user_id")


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


# Sign-in: failures only, per (address, client) ------------------------------------------------


def test_others_failures_never_lock_the_owner_out(client, django_user_model):
    """Item 3.1: failures from one client (more than every limit of the address) do not
    refuse the owner's right password from another client."""
    ana = person()
    # Past the limit for the pair (3) and for the address from anywhere (4).
    attackers = [ATTACKER] * 3 + ["203.0.113.67"]
    for ip, typed in zip(attackers, ["ana@example.org", " Ana@Example.ORG "] * 2, strict=True):
        assert sign_in(client, typed, "not it", ip).status_code == 200
    for ip in set(attackers):  # both attackers are now refused, whatever they try
        assert sign_in(client, "ana@example.org", PASSWORD, ip).status_code == 429

    owner = client_class_for(client)()
    allowed = sign_in(owner, "ana@example.org", PASSWORD, OWNER)

    assert allowed.status_code == 302
    assert signed_in_as(owner) == str(ana.pk)


def test_a_client_past_its_failures_for_an_address_is_refused_even_the_right_password(client):
    """The denied side of 3.1: the client that failed is locked, for that address only (the
    address counted however it is typed), with nothing authenticated."""
    ana = person()
    bo = person("bo@example.org")
    for typed in ("ana@example.org", " Ana@Example.ORG ", "ana@example.org"):
        ordinary = sign_in(client, typed, "not it", ATTACKER)
        assert ordinary.status_code == 200
        assert ordinary.context["form"].non_field_errors() == [
            "This e-mail address and password do not match an account. Check both and try again."
        ]

    refused = sign_in(client, "ana@example.org", PASSWORD, ATTACKER)

    assert refused.status_code == 429
    assert TOO_MANY_FAILURES in refused.content.decode()
    assert 'value="ana@example.org"' in refused.content.decode()  # what was typed is kept
    assert signed_in_as(client) is None
    ana.refresh_from_db()
    assert ana.last_login is None
    # The same client signs in to another address.
    allowed = sign_in(client, "bo@example.org", PASSWORD, ATTACKER)
    assert allowed.status_code == 302
    assert signed_in_as(client) == str(bo.pk)


def test_a_client_guessing_across_addresses_is_refused_for_every_address(client):
    """The per-client limit of failures: past it, the client is refused everywhere, also for
    an address it never failed on; another client is not."""
    bo = person("bo@example.org")
    for n in range(6):
        assert sign_in(client, f"guess{n}@example.org", "x", ATTACKER).status_code == 200

    refused = sign_in(client, "bo@example.org", PASSWORD, ATTACKER)

    assert refused.status_code == 429
    assert signed_in_as(client) is None
    other = client_class_for(client)()
    assert sign_in(other, "bo@example.org", PASSWORD, OWNER).status_code == 302
    assert signed_in_as(other) == str(bo.pk)


def test_an_address_under_attack_slows_down_only_the_clients_that_failed(client):
    """Many clients, one guess each: past the address's limit, a client that has failed for
    it gets no second guess, while a client that has not failed (the owner) signs in."""
    ana = person()
    clients = [client_class_for(client)() for _ in range(4)]
    for n, guesser in enumerate(clients):
        assert sign_in(guesser, "ana@example.org", "x", f"203.0.113.{n}").status_code == 200

    second_guess = sign_in(clients[0], "ana@example.org", PASSWORD, "203.0.113.0")
    owner = client_class_for(client)()
    owners_try = sign_in(owner, "ana@example.org", PASSWORD, OWNER)

    assert second_guess.status_code == 429
    assert signed_in_as(clients[0]) is None
    assert owners_try.status_code == 302
    assert signed_in_as(owner) == str(ana.pk)


def test_correct_sign_ins_are_not_counted(client):
    """Item 3.2: an office behind one address signs in as often as it likes (here more than
    twice every failure limit); only failures count."""
    people = [person(f"staff{n}@example.org") for n in range(4)]
    for _ in range(4):
        for someone in people:
            office = client_class_for(client)()
            response = sign_in(office, someone.email, PASSWORD, OWNER)
            assert response.status_code == 302
            assert signed_in_as(office) == str(someone.pk)


def test_failures_from_the_same_office_are_counted(client):
    """The denied side of 3.2: failures from one address are counted, whoever makes them."""
    person("staff0@example.org")
    for _ in range(3):
        other_desk = client_class_for(client)()
        assert sign_in(other_desk, "staff0@example.org", "typo", OWNER).status_code == 200

    refused = sign_in(client, "staff0@example.org", PASSWORD, OWNER)

    assert refused.status_code == 429
    assert signed_in_as(client) is None


def test_failures_and_refusals_are_logged_without_password_or_address(client, caplog):
    person()
    caplog.set_level(logging.WARNING, logger="pledgebook.accounts")
    for _ in range(3):
        sign_in(client, "Ana@Example.org", "hunter2-secret", ATTACKER)
    sign_in(client, "ana@example.org", PASSWORD, ATTACKER)
    sign_in(client, "ana@example.org", PASSWORD, OWNER)  # a success: not logged

    tag = throttle.address_tag("ana@example.org")
    logged = [r for r in caplog.records if r.name == "pledgebook.accounts"]
    assert [(r.name, r.levelname, r.getMessage()) for r in logged] == [
        (
            "pledgebook.accounts",
            "WARNING",
            "Sign-in failed: wrong password or unknown address "
            f"(address {tag}, client {ATTACKER}).",
        ),
    ] * 3 + [
        (
            "pledgebook.accounts",
            "WARNING",
            f"Sign-in refused: too many failures (address {tag}, client {ATTACKER}).",
        )
    ]
    assert "hunter2" not in caplog.text
    assert "example.org" not in caplog.text.lower()


def test_the_reset_link_signs_in_a_refused_owner(client):
    """The way back for an owner whose own client was refused: the reset link signs in."""
    ana = person()
    for _ in range(3):
        sign_in(client, "ana@example.org", "typo", OWNER)
    assert sign_in(client, "ana@example.org", PASSWORD, OWNER).status_code == 429

    client.post(reverse("accounts:password_reset"), {"email": "ana@example.org"})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True).redirect_chain[-1][0]
    new = "another long unusual passphrase 7"
    response = client.post(form_page, {"new_password1": new, "new_password2": new}, follow=True)

    assert response.redirect_chain == [(reverse("accounts:password_reset_complete"), 302)]
    assert signed_in_as(client) == str(ana.pk)
    assert "Your new password is saved and you are signed in." in response.content.decode()


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


# The cache down: fail open, logged ------------------------------------------------------------

UNREACHABLE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/1",  # nothing listens there: connection refused
    }
}
CACHE_DOWN = "Rate limits not counted: the cache is unreachable (ConnectionError"


@pytest.fixture
def cache_down(monkeypatch, caplog):
    """A real Redis cache client pointed at a closed port (item 3.5), with this process's
    memory of an earlier failure forgotten."""
    monkeypatch.setattr(throttle, "_cache_down_until", {})
    caplog.set_level(logging.WARNING, logger="pledgebook.accounts")
    with override_settings(CACHES=UNREACHABLE):
        yield caplog


def test_with_the_cache_down_people_still_sign_in(client, cache_down):
    ana = person()

    wrong = sign_in(client, "ana@example.org", "not it", OWNER)
    right = sign_in(client, "ana@example.org", PASSWORD, OWNER)

    assert wrong.status_code == 200
    assert wrong.context["form"].non_field_errors() == [
        "This e-mail address and password do not match an account. Check both and try again."
    ]
    assert right.status_code == 302
    assert signed_in_as(client) == str(ana.pk)
    warnings = [r.getMessage() for r in cache_down.records if CACHE_DOWN in r.getMessage()]
    # Said once, then the cache is left alone for a while instead of being waited for.
    assert len(warnings) == 1
    assert warnings[0].endswith(
        "Requests go through unthrottled; the cache is tried again in 30 s."
    )


def test_with_the_cache_down_people_still_sign_up(client, cache_down):
    response = signup(client, "new@example.org")

    assert response.status_code == 302
    assert User.objects.get(username="new@example.org").is_active is False
    resend = client.post(reverse("accounts:resend_verification"), {"email": "new@example.org"})
    assert resend.status_code == 200
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["new@example.org"]]
    assert any(CACHE_DOWN in r.getMessage() for r in cache_down.records)


def test_with_the_cache_down_people_still_reset_their_password(client, cache_down):
    person("ana@example.org")

    reset = client.post(reverse("accounts:password_reset"), {"email": "ana@example.org"})

    assert reset.status_code == 302
    assert reset["Location"] == reverse("accounts:password_reset_done")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana@example.org"], "Reset your Pledgebook password")
    ]
    assert any(CACHE_DOWN in r.getMessage() for r in cache_down.records)


def test_with_the_cache_down_a_taken_address_still_gets_the_same_answer(client, cache_down):
    person("ana@example.org")

    response = signup(client, "ana@example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verification_sent")
    assert [m.subject for m in mail.outbox] == [
        "Someone tried to sign up to Pledgebook with your address"
    ]
    assert AuditEntry.objects.filter(action="account.signup_existing").count() == 1


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


def client_class_for(client):
    """Another browser (its own cookies) of the test client's class."""
    return type(client)
