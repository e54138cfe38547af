"""One's own account (item 3.10): download one's data as JSON, delete the account with the
password; the public record stays consistent (commitments stay with their organisation, audit
entries keep the action but lose the person's name and address)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from pledgebook.accounts import domain
from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.organisations import domain as organisations_domain
from pledgebook.organisations.models import Category, Organisation, Representative
from pledgebook.programmes import domain as programmes_domain
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.reference.models import Country
from pledgebook.reporting.models import ProgressReport
from tests import factories
from tests.reporting.factories import cycle

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct horse battery staple"  # UserFactory's
EMAIL = "wanjiru.kamau@example.org"


@pytest.fixture
def wanjiru(theme):
    """A person with a history: she registered an organisation (its only admin and
    representative), drafted a commitment now confirmed, wrote a progress report, and was
    made a reviewer of the programme by its secretariat."""
    user = factories.UserFactory(
        username=EMAIL, email=EMAIL, first_name="Wanjiru", last_name="Kamau"
    )
    organisation = organisations_domain.create_organisation(
        actor=user,
        organisation=Organisation(
            name="Wanjiru's Women Farmers",
            category=Category.CIVIL_SOCIETY,
            country=Country.objects.get(iso2="KE"),
        ),
    )
    commitment = factories.CommitmentFactory(
        theme=theme,
        organisation=organisation,
        created_by=user,
        status=Commitment.Status.CONFIRMED,
        title="Train 300 women farmers",
    )
    report = ProgressReport.objects.create(
        commitment=commitment,
        cycle=cycle(theme.programme),
        created_by=user,
        narrative="We trained 120 farmers in Nakuru.",
    )
    secretariat = factories.staff(theme.programme)
    programmes_domain.grant_role(
        actor=secretariat, programme=theme.programme, email=EMAIL, role="reviewer"
    )
    user.test_organisation = organisation
    user.test_commitment = commitment
    user.test_report = report
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_account_page_offers_both_and_warns_the_last_admin(wanjiru):
    page = signed_in(wanjiru).get(reverse("accounts:account"))

    assert page.status_code == 200
    body = page.content.decode()
    assert f'action="{reverse("accounts:account_export")}"' in body
    assert f'action="{reverse("accounts:account_delete")}"' in body
    assert "You are the last admin of this organisation:" in body
    assert "Wanjiru&#x27;s Women Farmers" in body
    assert "Nobody else acts for this organisation:" in body
    assert "You cannot delete your account yet." not in body
    assert f'<a href="{reverse("accounts:account")}">My account</a>' in body  # in the header


def test_no_warning_when_another_admin_remains(wanjiru):
    factories.representative(wanjiru.test_organisation, admin=True)

    body = signed_in(wanjiru).get(reverse("accounts:account")).content.decode()

    assert "last admin" not in body
    assert "Nobody else acts for" not in body


def test_the_only_person_left_is_warned_even_without_being_admin():
    organisation = factories.OrganisationFactory()
    alone = factories.representative(organisation, admin=False)

    body = " ".join(signed_in(alone).get(reverse("accounts:account")).content.decode().split())

    assert "last admin" not in body
    assert f"Nobody else acts for this organisation: {organisation.name}." in body


def test_anonymous_people_are_sent_to_sign_in_and_nothing_is_exported(client):
    for name in ("accounts:account", "accounts:account_export", "accounts:account_delete"):
        response = client.post(reverse(name)) if "account_" in name else client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not AuditEntry.objects.filter(action="account.exported").exists()


def test_download_my_data(wanjiru):
    someone_else = factories.representative(wanjiru.test_organisation, admin=False)
    organisations_domain.update_organisation(
        actor=wanjiru, organisation=wanjiru.test_organisation, fields=["name"]
    )
    AuditEntry.objects.create(
        actor=someone_else, action="other.thing", object_type="x.y", object_id=1, object_repr="x"
    )

    response = signed_in(wanjiru).post(reverse("accounts:account_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="pledgebook-my-data-')
    data = json.loads(response.content)
    assert data["format"] == "pledgebook.personal-data/1"
    assert {k: data["profile"][k] for k in ("id", "email", "full_name", "is_active")} == {
        "id": wanjiru.pk,
        "email": EMAIL,
        "full_name": "Wanjiru Kamau",
        "is_active": True,
    }
    assert [(o["slug"], o["is_admin"]) for o in data["organisations"]] == [
        (wanjiru.test_organisation.slug, True)
    ]
    assert data["programme_roles"] == [
        {"programme": wanjiru.test_commitment.programme.slug, "role": "reviewer"}
    ]
    (report,) = data["progress_reports_written"]
    assert (report["id"], report["commitment"], report["narrative"]) == (
        wanjiru.test_report.pk,
        wanjiru.test_commitment.pk,
        "We trained 120 farmers in Nakuru.",
    )
    assert [(c["id"], c["status"]) for c in data["commitments_drafted"]] == [
        (wanjiru.test_commitment.pk, "confirmed")
    ]
    # Her own entries only (not the secretariat's, not someone else's).
    assert [e["action"] for e in data["audit_entries"]] == [
        "organisation.created",
        "organisation.edited",
    ]
    assert list(
        AuditEntry.objects.filter(action="account.exported").values_list(
            "actor", "object_type", "object_id"
        )
    ) == [(wanjiru.pk, "auth.user", wanjiru.pk)]


def test_export_is_a_post(wanjiru):
    response = signed_in(wanjiru).get(reverse("accounts:account_export"))

    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="account.exported").exists()


def test_delete_my_account_keeps_the_public_record(wanjiru, client):
    organisation = wanjiru.test_organisation
    commitment = wanjiru.test_commitment
    own_entries = list(AuditEntry.objects.filter(actor=wanjiru).values_list("pk", "action"))
    assert own_entries  # she did things
    browser = signed_in(wanjiru)

    response = browser.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("public:home")
    assert not User.objects.filter(pk=wanjiru.pk).exists()
    assert "_auth_user_id" not in browser.session
    # The organisation stays, without representative, with its commitment and report.
    organisation.refresh_from_db()
    assert not Representative.objects.filter(organisation=organisation).exists()
    commitment.refresh_from_db()
    assert (commitment.organisation_id, commitment.status, commitment.created_by_id) == (
        organisation.pk,
        Commitment.Status.CONFIRMED,
        None,
    )
    wanjiru.test_report.refresh_from_db()
    assert wanjiru.test_report.created_by_id is None
    assert client.get(commitment.get_absolute_url()).status_code == 200
    assert client.get(organisation.get_absolute_url()).status_code == 200
    # Her audit entries keep their action, without her.
    assert list(
        AuditEntry.objects.filter(pk__in=[pk for pk, _ in own_entries]).values_list(
            "pk", "action", "actor"
        )
    ) == [(pk, action, None) for pk, action in own_entries]
    # Nowhere in the audit trail is her name or address left.
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.object_repr, entry.reason, entry.data]).lower()
        assert "wanjiru.kamau" not in text, entry
        assert "wanjiru kamau" not in text, entry
    granted = AuditEntry.objects.get(action="programme.role_granted", data__role="reviewer")
    assert granted.data == {"user": "[deleted account]", "role": "reviewer"}
    assert granted.object_repr.startswith("[deleted account] - Reviewer - ")
    deleted = AuditEntry.objects.get(action="account.deleted")
    assert (deleted.object_repr, deleted.actor_id, deleted.data) == (
        "[deleted account]",
        None,
        {
            "organisations": [organisation.slug],
            "left_without_admin": [organisation.slug],
            "left_without_representative": [organisation.slug],
        },
    )
    assert list(
        AuditEntry.objects.filter(action="organisation.representative_left").values_list(
            "object_id", "data"
        )
    ) == [(organisation.pk, {"account_deleted": True, "was_admin": True})]
    # A confirmation to the address.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([EMAIL], "Your Pledgebook account is deleted")
    ]


def test_a_wrong_password_deletes_nothing(wanjiru):
    entries = AuditEntry.objects.count()
    browser = signed_in(wanjiru)

    response = browser.post(reverse("accounts:account_delete"), {"password": "not it"})

    assert response.status_code == 400
    assert response.context["delete_form"].errors == {
        "password": ["This is not the password of your account."]
    }
    assert User.objects.filter(pk=wanjiru.pk, is_active=True).exists()
    assert Representative.objects.filter(user=wanjiru).count() == 1
    assert ProgrammeRole.objects.filter(user=wanjiru).count() == 1
    assert AuditEntry.objects.count() == entries
    assert AuditEntry.objects.filter(object_repr__icontains=EMAIL).exists()
    assert browser.session["_auth_user_id"] == str(wanjiru.pk)
    assert mail.outbox == []


def test_the_only_secretariat_of_a_programme_cannot_leave_until_replaced(programme):
    alone = factories.staff(programme)
    browser = signed_in(alone)

    page = browser.get(reverse("accounts:account")).content.decode()
    refused = browser.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert "You cannot delete your account yet." in page
    assert refused.status_code == 400
    assert refused.context["delete_form"].non_field_errors() == [
        f"You are the only secretariat member of {programme.name}. Grant the role to someone "
        "else first (Console → Roles), then delete your account."
    ]
    assert User.objects.filter(pk=alone.pk).exists()
    assert ProgrammeRole.objects.filter(user=alone).count() == 1

    factories.staff(programme)  # a second secretariat member
    allowed = browser.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert allowed.status_code == 302
    assert not User.objects.filter(pk=alone.pk).exists()
    assert ProgrammeRole.objects.filter(programme=programme).count() == 1


def test_nobody_exports_or_deletes_someone_elses_account(wanjiru):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    for actor in (superuser, factories.UserFactory()):
        with pytest.raises(PermissionDenied):
            domain.personal_data(actor=actor, user=wanjiru)
        with pytest.raises(PermissionDenied):
            domain.delete_account(actor=actor, user=wanjiru, password=PASSWORD)
    assert User.objects.filter(pk=wanjiru.pk).exists()
    assert not AuditEntry.objects.filter(action__in=["account.exported", "account.deleted"])


def test_a_deactivated_session_cannot_delete(wanjiru):
    wanjiru.is_active = False
    with pytest.raises(PermissionDenied):
        domain.delete_account(actor=wanjiru, user=wanjiru, password=PASSWORD)
    with pytest.raises(ValidationError):
        active = User.objects.get(pk=wanjiru.pk)
        domain.delete_account(actor=active, user=active, password="")
    assert User.objects.filter(pk=wanjiru.pk).exists()
