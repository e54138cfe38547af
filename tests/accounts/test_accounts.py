"""Sign-up with e-mail verification, sign-in, resend, password reset."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from tests import factories

User = get_user_model()
PASSWORD = "a long and unusual passphrase 42"
LINK = re.compile(r"http://testserver(/accounts/[^\s]+/)")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def signup(client, email="Ana.Silva@Example.org"):
    return client.post(
        reverse("accounts:signup"),
        {
            "email": email,
            "full_name": "Ana Silva",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_signup_mail_verify_then_login(client) -> None:
    response = signup(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verification_sent")
    user = User.objects.get()
    assert (user.username, user.email, user.first_name, user.is_active) == (
        "ana.silva@example.org",
        "ana.silva@example.org",
        "Ana Silva",
        False,
    )
    assert user.check_password(PASSWORD)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.silva@example.org"]
    assert message.subject == "Verify your e-mail address for Pledgebook"
    path = link_in(message)
    assert path.startswith("/accounts/verify/")
    page = client.get(reverse("accounts:verification_sent"))
    assert "We have sent a mail to ana.silva@example.org." in page.content.decode()

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    user.refresh_from_db()
    assert user.is_active is True
    assert client.session["_auth_user_id"] == str(user.pk)
    assert list(
        AuditEntry.objects.filter(object_id=user.pk, object_type="auth.user")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["account.created", "account.verified"]

    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:login"), {"username": "ANA.SILVA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_the_link_works_once(client) -> None:
    signup(client)
    path = link_in(mail.outbox[0])
    client.get(path)
    client.post(reverse("accounts:logout"))

    response = client.get(path, follow=True)

    assert response.redirect_chain == [(reverse("accounts:login"), 302)]
    assert "Your e-mail address is already verified. Please sign in." in (response.content.decode())
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_bad_token_shows_a_clear_page_with_a_resend_form(client) -> None:
    signup(client)
    path = link_in(mail.outbox[0])
    uidb64 = path.split("/")[3]

    response = client.get(reverse("accounts:verify", args=[uidb64, "abc-0123456789abcdef"]))

    assert response.status_code == 400
    body = response.content.decode()
    assert "This verification link does not work" in body
    assert f'action="{reverse("accounts:resend_verification")}"' in body
    assert User.objects.get().is_active is False
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unknown_uid_is_a_bad_link(client) -> None:
    response = client.get(reverse("accounts:verify", args=["bm9wZQ", "abc-123"]))

    assert response.status_code == 400
    assert "This verification link does not work" in response.content.decode()


def _page_text(response) -> str:
    """A page without what changes from one visitor to the next (the CSRF token)."""
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_signing_up_with_a_taken_address_answers_as_for_a_new_one(
    client, django_user_model, settings
):
    """Item 3.9: the visitor sees exactly what a new address gets; the owner is told by mail,
    with links built from the request; nothing of the account changes."""
    settings.ALLOWED_HOSTS = ["pledgebook.example.net"]
    owner = factories.UserFactory(username="ana.silva@example.org", first_name="Ana")
    before = (owner.password, owner.first_name, owner.is_active)
    host = {"HTTP_HOST": "pledgebook.example.net:8214"}
    newcomer = type(client)()

    taken = client.post(reverse("accounts:signup"), _signup_data("ANA.Silva@example.ORG"), **host)
    new = newcomer.post(reverse("accounts:signup"), _signup_data("Bo.Li@example.ORG"), **host)

    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert (taken.status_code, taken["Location"]) == (302, reverse("accounts:verification_sent"))
    taken_page = _page_text(client.get(taken["Location"], **host))
    new_page = _page_text(newcomer.get(new["Location"], **host))
    assert taken_page.replace("ana.silva", "bo.li") == new_page
    assert "We have sent a mail to ana.silva@example.org." in taken_page
    # The owner's mail, and the newcomer's.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana.silva@example.org"], "Someone tried to sign up to Pledgebook with your address"),
        (["bo.li@example.org"], "Verify your e-mail address for Pledgebook"),
    ]
    body = mail.outbox[0].body
    assert body.startswith("Hello Ana,\n\nSomeone, perhaps you, tried to create a Pledgebook")
    assert "http://pledgebook.example.net:8214/accounts/login/\n" in body
    assert "http://pledgebook.example.net:8214/accounts/password/reset/\n" in body
    assert "http://pledgebook.example.net:8214/accounts/verify/" in mail.outbox[1].body
    # Nothing of the account changed, and no second account was made.
    owner.refresh_from_db()
    assert (owner.password, owner.first_name, owner.is_active) == before
    assert django_user_model.objects.filter(username__iexact="ana.silva@example.org").count() == 1
    assert list(
        AuditEntry.objects.filter(object_id=owner.pk, object_type="auth.user").values_list(
            "action", "data"
        )
    ) == [("account.signup_existing", {"mail_sent": True})]


@pytest.mark.django_db
def test_the_owner_is_told_once_an_hour_and_a_deactivated_account_not_at_all(client):
    """Sign-up cannot be used to flood someone's mailbox, and a deactivated account is not
    sent links it cannot use; the visitor's answer stays the same."""
    factories.UserFactory(username="ana@example.org")
    # Used once, then deactivated by the platform staff (not a pending sign-up).
    factories.UserFactory(
        username="gone@example.org",
        is_active=False,
        last_login=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
    )
    AuditEntry.objects.all().delete()
    other = type(client)()

    answers = [
        client.post(reverse("accounts:signup"), _signup_data("ana@example.org")),
        other.post(reverse("accounts:signup"), _signup_data("ana@example.org")),
        client.post(reverse("accounts:signup"), _signup_data("gone@example.org")),
    ]

    assert [(r.status_code, r["Location"]) for r in answers] == [
        (302, reverse("accounts:verification_sent"))
    ] * 3
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert list(AuditEntry.objects.order_by("id").values_list("action", "data")) == [
        ("account.signup_existing", {"mail_sent": True}),
        ("account.signup_existing", {"mail_sent": False}),
    ]


def _signup_data(email: str) -> dict[str, str]:
    return {
        "email": email,
        "full_name": "Someone Else",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


@pytest.mark.django_db
def test_signing_up_again_replaces_a_pending_sign_up(client) -> None:
    """Someone else pre-registered the address: its owner's own sign-up wins, and the first
    link (made with the other password) no longer works."""
    client.post(
        reverse("accounts:signup"),
        {
            "email": "ana.silva@example.org",
            "full_name": "Not Ana",
            "password1": "attacker chosen passphrase 1",
            "password2": "attacker chosen passphrase 1",
        },
    )
    first_link = link_in(mail.outbox[0])

    response = signup(client)

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.first_name, user.is_active) == ("Ana Silva", False)
    assert user.check_password(PASSWORD)
    assert len(mail.outbox) == 2
    assert client.get(first_link).status_code == 400
    client.get(link_in(mail.outbox[1]))
    user.refresh_from_db()
    assert user.is_active is True
    assert list(
        AuditEntry.objects.filter(object_id=user.pk, object_type="auth.user")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["account.created", "account.signup_repeated", "account.verified"]


@pytest.mark.django_db
def test_password_rules_apply(client) -> None:
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "kofi@example.org",
            "full_name": "Kofi Mensah",
            "password1": "password",
            "password2": "passwort",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["password2"] == ["The two passwords are not the same."]
    assert errors["password1"] == ["This password is too common."]
    assert User.objects.count() == 0
    # Errors are announced with the field: aria-describedby points at the error list.
    body = response.content.decode()
    assert 'id="id_password2_error"' in body
    assert 'aria-describedby="id_password2_helptext id_password2_error"' in body
    assert 'aria-invalid="true"' in body


@pytest.mark.django_db
def test_password_like_the_email_is_refused(client) -> None:
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "wanjiru.kamau@example.org",
            "full_name": "Wanjiru Kamau",
            "password1": "wanjiru.kamau",
            "password2": "wanjiru.kamau",
        },
    )

    assert response.context["form"].errors == {
        "password1": ["The password is too similar to the username."]
    }
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_unverified_login_is_told_and_can_resend(client) -> None:
    signup(client)

    response = client.post(
        reverse("accounts:login"), {"username": "ana.silva@example.org", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "You have not verified your e-mail address yet. Follow the link in the mail we sent "
        "you, or ask for a new link below."
    ]
    assert response.context["resend_form"].initial == {"email": "ana.silva@example.org"}
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("accounts:resend_verification"), {"email": "ana.silva@example.org"}
    )

    assert response.status_code == 200
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["ana.silva@example.org"]
    client.get(link_in(mail.outbox[1]))
    assert User.objects.get().is_active is True


@pytest.mark.django_db
def test_unverified_with_wrong_password_gets_the_generic_error(client) -> None:
    signup(client)

    response = client.post(
        reverse("accounts:login"), {"username": "ana.silva@example.org", "password": "nope"}
    )

    assert response.context["form"].non_field_errors() == [
        "This e-mail address and password do not match an account. Check both and try again."
    ]
    assert response.context["resend_form"] is None


@pytest.mark.django_db
def test_resend_for_unknown_address_reveals_nothing(client) -> None:
    response = client.post(reverse("accounts:resend_verification"), {"email": "nobody@example.org"})

    assert response.status_code == 200
    assert (
        "If an account at nobody@example.org is waiting for verification, we have sent it a "
        "new link." in response.content.decode()
    )
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_deactivated_account_cannot_reactivate_itself(client) -> None:
    user = factories.UserFactory()
    client.force_login(user)
    client.logout()
    user.refresh_from_db()
    user.is_active = False
    user.save()

    client.post(reverse("accounts:resend_verification"), {"email": user.email})

    assert mail.outbox == []
    from pledgebook.accounts.domain import verification_url

    response = client.get(verification_url(user).removeprefix("http://testserver"))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.is_active is False


@pytest.mark.django_db
def test_logout_is_a_post(client) -> None:
    client.force_login(factories.UserFactory())

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signed_in_people_skip_login_and_signup(client) -> None:
    client.force_login(factories.UserFactory())

    assert client.get(reverse("accounts:login"))["Location"] == reverse("workspace:home")
    assert client.get(reverse("accounts:signup"))["Location"] == reverse("workspace:home")


@pytest.mark.django_db
def test_password_reset(client) -> None:
    user = factories.UserFactory(username="kofi@example.org")

    response = client.post(reverse("accounts:password_reset"), {"email": "KOFI@example.org"})

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Pledgebook password"
    response = client.get(link_in(mail.outbox[0]), follow=True)
    new = "another long unusual passphrase 7"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)


# Where people land after signing in (item 2.15) ---------------------------------------------


def _sign_in(client, user, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": "correct horse battery staple", **extra},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretariat", "reviewer"])
def test_programme_staff_without_an_organisation_land_on_the_console(client, role):
    user = factories.staff(factories.ProgrammeFactory(), role)

    response = _sign_in(client, user)

    assert response.status_code == 302
    assert response["Location"] == reverse("console:home")
    assert client.get(reverse("accounts:login"))["Location"] == reverse("console:home")


@pytest.mark.django_db
def test_people_of_an_organisation_land_in_the_workspace_without_a_console_link(client):
    user = factories.representative(factories.OrganisationFactory())

    response = _sign_in(client, user)

    assert response["Location"] == reverse("workspace:home")
    page = client.get(response["Location"]).content.decode()
    assert "Open the console" not in page


@pytest.mark.django_db
def test_people_with_both_land_in_the_workspace_with_a_link_to_the_console(client):
    user = factories.staff(factories.ProgrammeFactory())
    factories.representative(factories.OrganisationFactory(), user)

    response = _sign_in(client, user)

    assert response["Location"] == reverse("workspace:home")
    page = client.get(response["Location"]).content.decode()
    assert (
        "You also work on programmes (secretariat, reviewer or platform staff). "
        f'<a class="button secondary" href="{reverse("console:home")}">Open the console</a>'
    ) in page


@pytest.mark.django_db
def test_a_safe_next_still_wins_and_an_unsafe_one_is_ignored(client):
    user = factories.staff(factories.ProgrammeFactory())
    commitments = reverse("workspace:commitments")

    safe = _sign_in(client, user, next=commitments)
    client.post(reverse("accounts:logout"))
    unsafe = _sign_in(client, user, next="https://evil.example/console/")

    assert safe["Location"] == commitments
    assert unsafe["Location"] == reverse("console:home")
