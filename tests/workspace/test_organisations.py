"""Registering and editing an organisation, and adding the people who act for it."""

import pytest
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category, Organisation, Representative
from tests import factories

pytestmark = pytest.mark.django_db


def org_data(**overrides) -> dict:
    return {
        "name": "Mujeres en Acción",
        "category": Category.CIVIL_SOCIETY,
        "country": "MX",
        "website": "https://mujeres.example.org",
        "description": "A feminist network of 40 local groups.",
        "is_grassroots": "on",
        **overrides,
    }


def test_anonymous_people_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("workspace:organisation_create"))

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:login") + "?next=" + reverse("workspace:organisation_create")
    )


def test_create_makes_the_creator_its_admin(client) -> None:
    user = factories.UserFactory()
    client.force_login(user)

    response = client.post(reverse("workspace:organisation_create"), org_data())

    org = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:organisation", args=["mujeres-en-accion"])
    assert (org.name, org.slug, org.category, org.country_id, org.is_grassroots) == (
        "Mujeres en Acción",
        "mujeres-en-accion",
        "civil_society",
        "MX",
        True,
    )
    assert list(Representative.objects.values_list("user_id", "is_admin")) == [(user.pk, True)]
    assert AuditEntry.objects.get().action == "organisation.created"
    page = client.get(response["Location"]).content.decode()
    # The region is derived from the country and shown read-only.
    assert "<dd>Americas · Latin America and the Caribbean</dd>" in page


def test_slugs_are_unique_and_never_a_reserved_word(client) -> None:
    client.force_login(factories.UserFactory())

    client.post(reverse("workspace:organisation_create"), org_data())
    client.post(reverse("workspace:organisation_create"), org_data())
    client.post(reverse("workspace:organisation_create"), org_data(name="New"))

    assert list(Organisation.objects.order_by("id").values_list("slug", flat=True)) == [
        "mujeres-en-accion",
        "mujeres-en-accion-2",
        "new-2",
    ]


def test_unknown_country_is_a_field_error_and_nothing_is_created(client) -> None:
    client.force_login(factories.UserFactory())

    response = client.post(reverse("workspace:organisation_create"), org_data(country="QQ"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "country": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Organisation.objects.count() == 0
    assert Representative.objects.count() == 0
    assert 'value="Mujeres en Acción"' in response.content.decode()


def test_countries_are_offered_by_name(client) -> None:
    client.force_login(factories.UserFactory())

    form = client.get(reverse("workspace:organisation_create")).context["form"]

    names = [label for value, label in form.fields["country"].choices if value]
    assert len(names) == 247
    assert names == sorted(names)


def test_admin_edits_the_profile(client, org, member) -> None:
    client.force_login(member)

    response = client.post(
        reverse("workspace:organisation_edit", args=[org.slug]),
        org_data(name="Renamed", country="FR", website="", is_grassroots=""),
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.slug, org.country_id, org.website, org.is_grassroots) == (
        "Renamed",
        org.slug,
        "FR",
        "",
        False,
    )
    entry = AuditEntry.objects.get(action="organisation.edited")
    assert entry.data == {"fields": ["country", "description", "name"]}


@pytest.mark.parametrize("who", ["representative", "stranger"])
def test_non_admins_cannot_edit(client, org, who) -> None:
    user = factories.UserFactory()
    if who == "representative":
        factories.representative(org, user, admin=False)
    client.force_login(user)
    before = Organisation.objects.values().get(pk=org.pk)

    get = client.get(reverse("workspace:organisation_edit", args=[org.slug]))
    post = client.post(
        reverse("workspace:organisation_edit", args=[org.slug]), org_data(name="Hijacked")
    )

    assert (get.status_code, post.status_code) == (403, 403)
    assert Organisation.objects.values().get(pk=org.pk) == before
    assert not AuditEntry.objects.filter(action="organisation.edited").exists()


def test_admin_adds_a_person_with_an_account(client, org, member) -> None:
    colleague = factories.UserFactory(username="colleague@example.org")
    client.force_login(member)

    response = client.post(
        reverse("workspace:organisation_add_person", args=[org.slug]),
        {"email": "Colleague@Example.org"},
    )

    assert response.status_code == 302
    seat = Representative.objects.get(organisation=org, user=colleague)
    assert seat.is_admin is False
    assert AuditEntry.objects.get(action="organisation.representative_added").data == {
        "user": colleague.pk,
        "is_admin": False,
    }


def test_a_person_can_act_for_several_organisations(client, org, member) -> None:
    client.force_login(member)
    client.post(reverse("workspace:organisation_create"), org_data())

    page = client.get(reverse("workspace:home"))

    assert [seat.organisation.name for seat in page.context["seats"]] == [
        "Mujeres en Acción",
        org.name,
    ]


def test_adding_someone_without_an_account_is_a_field_error(client, org, member) -> None:
    client.force_login(member)

    response = client.post(
        reverse("workspace:organisation_add_person", args=[org.slug]),
        {"email": "nobody@example.org", "is_admin": "on"},
    )

    assert response.status_code == 200
    assert response.context["person_form"].errors == {
        "email": [
            "No active Pledgebook account uses this address. Ask the person to sign up and "
            "verify their address, then add them."
        ]
    }
    assert Representative.objects.filter(organisation=org).count() == 1
    assert 'value="nobody@example.org"' in response.content.decode()


def test_adding_someone_twice_is_a_field_error(client, org, member) -> None:
    client.force_login(member)

    response = client.post(
        reverse("workspace:organisation_add_person", args=[org.slug]), {"email": member.email}
    )

    assert response.context["person_form"].errors == {
        "email": [f"This person already acts for {org.name}."]
    }
    assert Representative.objects.filter(organisation=org).count() == 1


def test_non_admins_cannot_add_people(client, org) -> None:
    user = factories.representative(org, admin=False)
    other = factories.UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("workspace:organisation_add_person", args=[org.slug]), {"email": other.email}
    )

    assert response.status_code == 403
    assert not Representative.objects.filter(user=other).exists()


def test_strangers_do_not_see_the_workspace_page(client, org) -> None:
    client.force_login(factories.UserFactory())

    assert client.get(reverse("workspace:organisation", args=[org.slug])).status_code == 404
