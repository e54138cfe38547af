"""Programme set-up in the console: create and edit a programme, its themes, blueprint
actions and roles."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import Action, Programme, ProgrammeRole, Theme
from tests import factories
from tests.console.conftest import (
    ANONYMOUS,
    LOGIN,
    NO_ROLE,
    PERSONAS,
    REVIEWER,
    SECRETARIAT,
    SECRETARIAT_ONLY,
    World,
    assert_outcome,
    client_for,
)

pytestmark = pytest.mark.django_db
CHANGERS = {**SECRETARIAT_ONLY, SECRETARIAT: 302}


def programme_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Generation Equality Forum 2021",
        "slug": "generation-equality",
        "kind": "action_coalitions",
        "summary": "Six Action Coalitions and a Compact.",
        "starts_on": "2021-03-29",
        "ends_on": "2026-06-30",
        "is_published": "on",
        "commitment_types": ["financial", "policy"],
        "registration_opens_at": "2021-05-21T00:00",
        "registration_closes_at": "2021-06-19T23:59",
        "application_review_days": "21",
        "leader_min_years": "5",
        "leader_max_years": "5",
        "maker_min_years": "1",
        "maker_max_years": "5",
        "reporting_cycle": "annual",
        "reporting_joins": "open_cycle",
        "stakeholder_categories": ["member_state", "women", "civil_society", "youth_led"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(programme: Programme) -> dict[str, Any]:
    programme.refresh_from_db()
    values = model_to_dict(programme)
    values["commitment_types"] = sorted(t.pk for t in values["commitment_types"])
    return values


# Creating a programme --------------------------------------------------------------------


def programme_manager() -> Any:
    """A person the platform staff put in the "Programme managers" group in the admin."""
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name="Programme managers"))
    return user


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (ANONYMOUS, LOGIN),
        (NO_ROLE, 403),
        (REVIEWER, 403),
        (SECRETARIAT, 403),
        ("staff", 302),
        ("programme manager", 302),
    ],
)
def test_create_programme(world: World, who: str, expected: Any) -> None:
    creators = {"staff": factories.UserFactory(is_staff=True), "programme manager": None}
    client = client_for(world, ANONYMOUS if who in creators else who)
    if who in creators:
        staff = creators[who] or programme_manager()
        client.force_login(staff)
    url = reverse("console:programme_create")
    programmes, audits = Programme.objects.count(), AuditEntry.objects.count()

    response = client.post(url, programme_data())

    assert_outcome(response, expected, url)
    if expected == 302:
        created = Programme.objects.get(slug="generation-equality")
        assert response.url == reverse("console:programme", kwargs={"programme": created.slug})
        assert sorted(created.commitment_types.values_list("code", flat=True)) == [
            "financial",
            "policy",
        ]
        assert created.registration_closes_at == dt.datetime(2021, 6, 19, 23, 59, tzinfo=dt.UTC)
        assert list(created.roles.values_list("user", "role")) == [(staff.pk, "secretariat")]
        assert list(
            AuditEntry.objects.filter(programme=created).values_list("action", flat=True)
        ) == ["programme.role_granted", "programme.created"]
    else:
        assert Programme.objects.count() == programmes
        assert AuditEntry.objects.count() == audits


def test_create_programme_form_is_refused_to_non_staff(world: World) -> None:
    response = client_for(world, SECRETARIAT).get(reverse("console:programme_create"))
    assert response.status_code == 403


def test_a_programme_manager_finds_the_console_and_its_new_programme_form(world: World) -> None:
    client = client_for(world, ANONYMOUS)
    client.force_login(programme_manager())

    home = client.get(reverse("workspace:home"))
    console = client.get(reverse("console:home"))
    form = client.get(reverse("console:programme_create"))

    assert f'href="{reverse("console:home")}"' in home.content.decode()
    assert console.context["can_create"] is True
    assert f'href="{reverse("console:programme_create")}"' in console.content.decode()
    assert form.status_code == 200


def test_someone_without_the_group_finds_no_console_link(world: World) -> None:
    client = client_for(world, NO_ROLE)
    home = client.get(reverse("workspace:home"))
    assert f'href="{reverse("console:home")}"' not in home.content.decode()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"registration_closes_at": "2021-05-20T00:00"},
            {"registration_closes_at": ["Registration must close after it opens."]},
        ),
        (
            {"leader_min_years": "5", "leader_max_years": "3"},
            {"leader_max_years": ["The maximum cannot be less than the minimum (5)."]},
        ),
        (
            {"maker_min_years": "0"},
            {"maker_min_years": ["A commitment lasts at least one year."]},
        ),
        (
            {"ends_on": "2020-01-01"},
            {"ends_on": ["The programme cannot end before it starts."]},
        ),
        ({"slug": "programmes"}, {"slug": ["This slug is reserved: choose another."]}),
        (
            {"slug": "Not a slug!"},
            {
                "slug": [
                    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
                ]
            },
        ),
    ],
)
def test_create_programme_bad_input_saves_nothing(
    world: World, changes: dict, errors: dict
) -> None:
    client = client_for(world, ANONYMOUS)
    client.force_login(factories.UserFactory(is_staff=True))
    programmes, audits = Programme.objects.count(), AuditEntry.objects.count()

    response = client.post(reverse("console:programme_create"), programme_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert Programme.objects.count() == programmes
    assert AuditEntry.objects.count() == audits
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert 'value="Generation Equality Forum 2021"' in html  # what was typed is kept


# Editing a programme ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_programme(world: World, persona: str) -> None:
    programme = world.programme
    before, audits = snapshot(programme), AuditEntry.objects.count()
    url = world.url("console:settings")
    data = programme_data(
        slug=programme.slug, commitment_types=["advocacy"], reporting_joins="next_cycle"
    )

    response = client_for(world, persona).post(url, data)

    assert_outcome(response, CHANGERS[persona], url)
    if CHANGERS[persona] == 302:
        assert response.url == url
        after = snapshot(programme)
        assert after["name"] == "Generation Equality Forum 2021"
        assert after["commitment_types"] == ["advocacy"]
        assert after["maker_max_years"] == 5
        assert after["reporting_joins"] == "next_cycle"
        assert AuditEntry.objects.count() == audits + 1
        entry = AuditEntry.objects.first()
        assert entry.action == "programme.updated"
        assert entry.data["changed"]["name"] == [before["name"], after["name"]]
        assert entry.data["changed"]["commitment_types"] == [
            before["commitment_types"],
            ["advocacy"],
        ]
    else:
        assert snapshot(programme) == before
        assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {
                "registration_opens_at": "2021-06-19T00:00",
                "registration_closes_at": "2021-05-21T00:00",
            },
            "registration_closes_at",
            "Registration must close after it opens.",
        ),
        (
            {"maker_min_years": "4", "maker_max_years": "2"},
            "maker_max_years",
            "The maximum cannot be less than the minimum (4).",
        ),
        (
            {"leader_min_years": "0"},
            "leader_min_years",
            "A commitment lasts at least one year.",
        ),
        (
            {"application_review_days": "0"},
            "application_review_days",
            "Allow at least one day to decide.",
        ),
        (
            {"registration_closes_at": ""},
            "registration_closes_at",
            "Give the closing time too, or neither.",
        ),
    ],
)
def test_edit_programme_bad_input_saves_nothing(
    world: World, changes: dict, field: str, message: str
) -> None:
    programme = world.programme
    before, audits = snapshot(programme), AuditEntry.objects.count()

    response = client_for(world, SECRETARIAT).post(
        world.url("console:settings"), programme_data(slug=programme.slug, **changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert snapshot(programme) == before
    assert AuditEntry.objects.count() == audits


def test_edit_programme_slug_taken_by_another_programme(world: World) -> None:
    before = snapshot(world.programme)
    response = client_for(world, SECRETARIAT).post(
        world.url("console:settings"), programme_data(slug=world.other.slug)
    )
    assert response.context["form"].errors == {"slug": ["Programme with this Slug already exists."]}
    assert snapshot(world.programme) == before


def test_edit_programme_renaming_the_slug_moves_the_console(world: World) -> None:
    response = client_for(world, SECRETARIAT).post(
        world.url("console:settings"), programme_data(slug="renamed")
    )
    assert response.status_code == 302
    assert response.url == reverse("console:settings", kwargs={"programme": "renamed"})


def test_settings_form_shows_current_values(world: World) -> None:
    programme = world.programme
    response = client_for(world, SECRETARIAT).get(world.url("console:settings"))
    html = response.content.decode()
    opens = programme.registration_opens_at.strftime("%Y-%m-%dT%H:%M")
    assert f'value="{opens}"' in html
    assert 'type="datetime-local"' in html
    assert html.count('type="checkbox" name="commitment_types"') == 4
    assert sorted(response.context["form"]["commitment_types"].value()) == [
        "advocacy",
        "financial",
        "policy",
        "programmatic",
    ]


def test_the_programme_chooses_the_stakeholder_categories_it_shows(world: World) -> None:
    programme = world.programme
    before = snapshot(programme)["stakeholder_categories"]
    client = client_for(world, SECRETARIAT)
    page = client.get(world.url("console:settings")).content.decode()
    # Every category, under its heading, those shown ticked.
    assert page.count('type="checkbox" name="stakeholder_categories"') == 25
    assert "<label>Civil society</label>" in page
    assert (
        'value="ifi" id="id_stakeholder_categories_1_2" checked>\n'
        " International financial institution or development bank</label>" in page
    )

    response = client.post(
        world.url("console:settings"),
        programme_data(
            slug=programme.slug, stakeholder_categories=["youth_led", "media", "member_state"]
        ),
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.stakeholder_categories == ["member_state", "youth_led", "media"]
    entry = AuditEntry.objects.filter(action="programme.updated").get()
    assert entry.data["changed"]["stakeholder_categories"] == [
        sorted(before),
        ["media", "member_state", "youth_led"],
    ]


def test_a_programme_shows_at_least_one_category(world: World) -> None:
    programme = world.programme
    before, audits = snapshot(programme), AuditEntry.objects.count()

    response = client_for(world, SECRETARIAT).post(
        world.url("console:settings"),
        programme_data(slug=programme.slug, stakeholder_categories=[], name="Kept as typed"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "stakeholder_categories": ["Choose at least one stakeholder category."]
    }
    assert 'value="Kept as typed"' in response.content.decode()
    assert snapshot(programme) == before
    assert AuditEntry.objects.count() == audits


# Themes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_theme(world: World, persona: str) -> None:
    themes, audits = Theme.objects.count(), AuditEntry.objects.count()
    url = world.url("console:theme_create")
    data = {
        "name": "Economic justice and rights",
        "slug": "economic-justice",
        "description": "Decent work.",
        "goals": ["5", "8"],
        "position": "2",
    }

    response = client_for(world, persona).post(url, data)

    assert_outcome(response, CHANGERS[persona], url)
    if CHANGERS[persona] == 302:
        theme = Theme.objects.get(programme=world.programme, slug="economic-justice")
        assert response.url == world.url("console:theme", theme=theme.pk)
        assert (theme.name, theme.description, theme.position) == (
            "Economic justice and rights",
            "Decent work.",
            2,
        )
        assert sorted(theme.goals.values_list("number", flat=True)) == [5, 8]
        assert AuditEntry.objects.count() == audits + 1
        assert AuditEntry.objects.first().action == "theme.created"
    else:
        assert Theme.objects.count() == themes
        assert AuditEntry.objects.count() == audits


def test_create_theme_with_a_slug_already_used_in_the_programme(world: World) -> None:
    themes = Theme.objects.count()
    response = client_for(world, SECRETARIAT).post(
        world.url("console:theme_create"),
        {"name": "Again", "slug": world.theme.slug, "position": "0"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "slug": ["Another theme of this programme uses this slug."]
    }
    assert Theme.objects.count() == themes


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_theme(world: World, persona: str) -> None:
    theme = world.theme
    before, audits = (theme.name, theme.slug), AuditEntry.objects.count()
    url = world.url("console:theme", theme=theme.pk)
    data = {"name": "Renamed", "slug": theme.slug, "description": "", "position": "0"}

    response = client_for(world, persona).post(url, data)

    assert_outcome(response, CHANGERS[persona], url)
    theme.refresh_from_db()
    if CHANGERS[persona] == 302:
        assert theme.name == "Renamed"
        assert AuditEntry.objects.first().data == {"changed": {"name": [before[0], "Renamed"]}}
        assert AuditEntry.objects.count() == audits + 1
    else:
        assert (theme.name, theme.slug) == before
        assert AuditEntry.objects.count() == audits


def test_theme_of_another_programme_cannot_be_edited(world: World) -> None:
    other = world.other_theme
    response = client_for(world, SECRETARIAT).post(
        world.url("console:theme", theme=other.pk),
        {"name": "Hijacked", "slug": other.slug, "position": "0"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name != "Hijacked"


# Blueprint actions -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_action(world: World, persona: str) -> None:
    actions, audits = Action.objects.count(), AuditEntry.objects.count()
    url = world.url("console:action_create", theme=world.theme.pk)
    data = {"code": "EJ1", "title": "Decent work for care workers", "position": "1"}

    response = client_for(world, persona).post(url, data)

    assert_outcome(response, CHANGERS[persona], url)
    if CHANGERS[persona] == 302:
        assert response.url == world.url("console:theme", theme=world.theme.pk)
        created = Action.objects.get(theme=world.theme, code="EJ1")
        assert (created.title, created.position) == ("Decent work for care workers", 1)
        assert AuditEntry.objects.count() == audits + 1
    else:
        assert Action.objects.count() == actions
        assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_action(world: World, persona: str) -> None:
    action = world.action
    before, audits = action.title, AuditEntry.objects.count()
    url = world.url("console:action", action=action.pk)

    response = client_for(world, persona).post(
        url, {"code": action.code, "title": "Sharper title", "position": "0"}
    )

    assert_outcome(response, CHANGERS[persona], url)
    action.refresh_from_db()
    if CHANGERS[persona] == 302:
        assert action.title == "Sharper title"
        assert AuditEntry.objects.count() == audits + 1
    else:
        assert action.title == before
        assert AuditEntry.objects.count() == audits


def test_action_code_is_unique_within_its_theme(world: World) -> None:
    second = factories.ActionFactory(theme=world.theme)
    response = client_for(world, SECRETARIAT).post(
        world.url("console:action", action=second.pk),
        {"code": world.action.code, "title": second.title, "position": "0"},
    )
    assert response.context["form"].errors == {
        "code": ["Another action of this theme has this code."]
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_action(world: World, persona: str) -> None:
    action = world.action
    audits = AuditEntry.objects.count()
    url = world.url("console:action_delete", action=action.pk)

    response = client_for(world, persona).post(url)

    assert_outcome(response, CHANGERS[persona], url)
    exists = Action.objects.filter(pk=action.pk).exists()
    if CHANGERS[persona] == 302:
        assert exists is False
        entry = AuditEntry.objects.first()
        assert (entry.action, entry.object_id) == ("action.deleted", action.pk)
        assert AuditEntry.objects.count() == audits + 1
    else:
        assert exists is True
        assert AuditEntry.objects.count() == audits


def test_an_action_that_commitments_advance_is_not_deleted(world: World) -> None:
    commitment: Commitment = world.commitment
    commitment.actions.add(world.action)
    audits = AuditEntry.objects.count()
    url = world.url("console:action_delete", action=world.action.pk)

    response = client_for(world, SECRETARIAT).post(url)

    assert response.status_code == 200
    assert response.context["errors"] == [
        "1 commitment advances this action: it cannot be deleted. "
        "Edit its title or description instead."
    ]
    assert Action.objects.filter(pk=world.action.pk).exists()
    assert AuditEntry.objects.count() == audits


def test_action_of_another_programme_cannot_be_deleted(world: World) -> None:
    response = client_for(world, SECRETARIAT).post(
        world.url("console:action_delete", action=world.other_action.pk)
    )
    assert response.status_code == 404
    assert Action.objects.filter(pk=world.other_action.pk).exists()


# Roles -----------------------------------------------------------------------------------


def _roles(programme: Programme) -> list[tuple[int, str]]:
    return sorted(ProgrammeRole.objects.filter(programme=programme).values_list("user", "role"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_grant_role(world: World, persona: str) -> None:
    newcomer = factories.UserFactory(email="Newcomer@Example.org")
    before, audits = _roles(world.programme), AuditEntry.objects.count()
    url = world.url("console:roles")

    response = client_for(world, persona).post(
        url, {"email": "newcomer@example.org", "role": "reviewer"}
    )

    assert_outcome(response, CHANGERS[persona], url)
    if CHANGERS[persona] == 302:
        assert _roles(world.programme) == sorted([*before, (newcomer.pk, "reviewer")])
        entry = AuditEntry.objects.first()
        assert (entry.action, entry.data) == (
            "programme.role_granted",
            {"user": "Newcomer@Example.org", "role": "reviewer"},
        )
        assert AuditEntry.objects.count() == audits + 1
    else:
        assert _roles(world.programme) == before
        assert AuditEntry.objects.count() == audits


def test_grant_role_needs_an_account(world: World) -> None:
    before = _roles(world.programme)
    response = client_for(world, SECRETARIAT).post(
        world.url("console:roles"), {"email": "nobody@example.org", "role": "secretariat"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Nobody has an account with this address: ask them to sign up first."]
    }
    assert _roles(world.programme) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_revoke_role(world: World, persona: str) -> None:
    reviewer_role = ProgrammeRole.objects.get(programme=world.programme, role="reviewer")
    before, audits = _roles(world.programme), AuditEntry.objects.count()
    url = world.url("console:role_revoke", role=reviewer_role.pk)

    response = client_for(world, persona).post(url)

    assert_outcome(response, CHANGERS[persona], url)
    if CHANGERS[persona] == 302:
        assert response.url == world.url("console:roles")
        assert _roles(world.programme) == [(world.people[SECRETARIAT].pk, "secretariat")]
        assert AuditEntry.objects.first().action == "programme.role_revoked"
        assert AuditEntry.objects.count() == audits + 1
    else:
        assert _roles(world.programme) == before
        assert AuditEntry.objects.count() == audits


def test_the_last_secretariat_role_cannot_be_revoked(world: World) -> None:
    own = ProgrammeRole.objects.get(programme=world.programme, role="secretariat")
    before, audits = _roles(world.programme), AuditEntry.objects.count()
    client = client_for(world, SECRETARIAT)

    response = client.post(world.url("console:role_revoke", role=own.pk), follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The programme needs at least one secretariat member: grant the role to someone else first."
    ]
    assert _roles(world.programme) == before
    assert AuditEntry.objects.count() == audits


def test_role_of_another_programme_cannot_be_revoked(world: World) -> None:
    other_role = ProgrammeRole.objects.get(programme=world.other)
    response = client_for(world, SECRETARIAT).post(
        world.url("console:role_revoke", role=other_role.pk)
    )
    assert response.status_code == 404
    assert ProgrammeRole.objects.filter(pk=other_role.pk).exists()
