"""Applying to join themes of a programme."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import Application
from pledgebook.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(programme):
    """A person acting for an organisation that has not applied to anything yet."""
    org = factories.OrganisationFactory(name="Youth for Climate")
    return org, factories.representative(org)


def test_apply_to_two_themes(client, programme, applicant):
    org, user = applicant
    first = factories.ThemeFactory(programme=programme, name="Economic justice")
    second = factories.ThemeFactory(programme=programme, name="Climate justice")
    client.force_login(user)

    response = client.post(
        reverse("workspace:apply"),
        {
            "organisation": org.pk,
            "programme": programme.pk,
            "themes": [first.pk, second.pk],
            "role": "maker",
            "motivation": "We run 12 climate schools.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:applications")
    apps = Application.objects.order_by("theme__name")
    assert [(a.theme.name, a.organisation, a.role, a.status, a.submitted_by) for a in apps] == [
        ("Climate justice", org, "maker", "pending", user),
        ("Economic justice", org, "maker", "pending", user),
    ]
    assert apps[0].due_at - apps[0].submitted_at == dt.timedelta(days=21)
    assert AuditEntry.objects.filter(action="application.submitted").count() == 2
    assert [m.to for m in mail.outbox] == [[user.email]]
    listing = client.get(reverse("workspace:applications"))
    # Newest first; both were submitted at the same moment, so the later row leads.
    assert [a.theme.name for a in listing.context["page"].object_list] == [
        "Economic justice",
        "Climate justice",
    ]


def test_apply_for_an_organisation_i_do_not_represent_is_denied(
    client, programme, theme, applicant
) -> None:
    _, user = applicant
    other = factories.OrganisationFactory()
    client.force_login(user)

    response = client.post(
        reverse("workspace:apply"),
        {
            "organisation": other.pk,
            "programme": programme.pk,
            "themes": [theme.pk],
            "role": "leader",
            "motivation": "Let us in.",
        },
    )

    assert response.status_code == 403
    assert Application.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_only_my_organisations_are_offered(client, programme, applicant) -> None:
    org, user = applicant
    factories.OrganisationFactory()
    client.force_login(user)

    form = client.get(reverse("workspace:apply")).context["form"]

    assert list(form.fields["organisation"].widget.choices) == [
        ("", "Choose an organisation"),
        (org.pk, "Youth for Climate"),
    ]


def test_themes_of_another_programme_are_a_field_error(client, programme, theme, applicant) -> None:
    org, user = applicant
    elsewhere = factories.ThemeFactory()
    client.force_login(user)

    response = client.post(
        reverse("workspace:apply"),
        {
            "organisation": org.pk,
            "programme": programme.pk,
            "themes": [theme.pk, elsewhere.pk],
            "role": "maker",
            "motivation": "We care.",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "themes": [f"Choose themes of {programme.name} only."]
    }
    assert Application.objects.count() == 0
    assert "We care." in response.content.decode()


def test_applying_twice_is_a_field_error(client, programme, theme, member, org) -> None:
    client.force_login(member)

    response = client.post(
        reverse("workspace:apply"),
        {
            "organisation": org.pk,
            "programme": programme.pk,
            "themes": [theme.pk],
            "role": "maker",
            "motivation": "Again.",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "themes": [f"You have already applied to: {theme.name}."]
    }
    assert Application.objects.count() == 1


def test_missing_answers_are_field_errors(client, applicant) -> None:
    _, user = applicant
    client.force_login(user)

    response = client.post(reverse("workspace:apply"), {"role": "maker"})

    assert response.context["form"].errors == {
        "organisation": ["This field is required."],
        "programme": ["This field is required."],
        "themes": ["This field is required."],
        "motivation": ["This field is required."],
    }


def test_a_programme_link_shows_only_its_themes(client, programme, theme, applicant) -> None:
    _, user = applicant
    factories.ThemeFactory()  # of another published programme
    client.force_login(user)

    by_slug = client.get(reverse("workspace:apply") + f"?programme={programme.slug}")
    by_pk = client.get(
        reverse("workspace:apply") + f"?programme={programme.pk}", HTTP_HX_REQUEST="true"
    )

    assert [t.pk for t in by_slug.context["form"].shown_themes] == [theme.pk]
    assert by_slug.context["form"].initial["programme"] == programme.pk
    assert by_pk.templates[0].name == "workspace/_apply_themes.html"
    assert [t.pk for t in by_pk.context["form"].shown_themes] == [theme.pk]


@pytest.fixture
def closed(db):
    """A published programme whose registration closed on 8 April 2024 (UN Civil Society
    Conference 2024), with one theme."""
    programme = factories.ProgrammeFactory(
        name="UN Civil Society Conference 2024",
        slug="csc-2024",
        # Midnight where the clock is: 8 April is the last day in every time zone.
        registration_opens_at=timezone.make_aware(dt.datetime(2024, 2, 15)),
        registration_closes_at=timezone.make_aware(dt.datetime(2024, 4, 9)),
    )
    factories.ThemeFactory(programme=programme, name="Youth and future generations")
    return programme


CLOSED_NOTICE = (
    "Registration for UN Civil Society Conference 2024 closed on 8 April 2024: "
    "it no longer accepts applications."
)


@pytest.mark.dates
def test_a_closed_programme_is_not_offered_and_its_link_says_why(
    client, programme, theme, closed, applicant
) -> None:
    _, user = applicant
    client.force_login(user)

    plain = client.get(reverse("workspace:apply"))
    linked = client.get(reverse("workspace:apply") + f"?programme={closed.slug}")

    form = plain.context["form"]
    assert [p.pk for p in form.open_programmes] == [programme.pk]
    assert [value for value, _label in form.fields["programme"].widget.choices] == [
        "",
        programme.pk,
    ]
    assert [t.pk for t in form.shown_themes] == [theme.pk]
    assert "UN Civil Society Conference 2024" not in plain.content.decode()
    assert linked.context["form"].closed_notice == CLOSED_NOTICE
    assert CLOSED_NOTICE in linked.content.decode()
    assert "Youth and future generations" not in linked.content.decode()


@pytest.mark.dates
def test_applying_to_a_closed_programme_is_a_field_error_and_saves_nothing(
    client, closed, applicant
) -> None:
    org, user = applicant
    client.force_login(user)

    response = client.post(
        reverse("workspace:apply"),
        {
            "organisation": org.pk,
            "programme": closed.pk,
            "themes": [closed.themes.get().pk],
            "role": "maker",
            "motivation": "We missed the deadline.",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"programme": [CLOSED_NOTICE]}
    assert "We missed the deadline." in response.content.decode()
    assert Application.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


def test_people_without_an_organisation_are_told_to_register_one(client) -> None:
    client.force_login(factories.UserFactory())

    response = client.get(reverse("workspace:apply"))

    assert response.context["has_organisation"] is False
    assert "Register an organisation" in response.content.decode()


def test_the_role_help_says_the_years_the_programme_sets(client, programme, applicant):
    """The years of each role come from the programme's settings, not from prose."""
    _org, user = applicant
    client.force_login(user)
    url = reverse("workspace:apply") + f"?programme={programme.slug}"

    response = client.get(url)
    assert response.context["form"].fields["role"].help_text == (
        "Commitment makers commit for one to five years; leaders co-design the blueprint and "
        "commit for five years."
    )

    programme.maker_min_years, programme.maker_max_years = 2, 12
    programme.leader_min_years, programme.leader_max_years = 3, 10
    programme.save()
    response = client.get(url)
    assert response.context["form"].fields["role"].help_text == (
        "Commitment makers commit for two to 12 years; leaders co-design the blueprint and "
        "commit for three to 10 years."
    )
