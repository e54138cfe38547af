"""Who may open which console page: anonymous people are sent to log in, people without the
permission get 403, and the console's readers (reviewers, secretariat) get the page."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from pledgebook.programmes.models import ProgrammeRole
from tests import factories
from tests.console.conftest import (
    ANONYMOUS,
    LOGIN,
    NO_ROLE,
    OTHER_REVIEWER,
    PERSONAS,
    READERS,
    REVIEWER,
    SECRETARIAT,
    SECRETARIAT_ONLY,
    World,
    assert_outcome,
    client_for,
    overdue_application,
)

pytestmark = pytest.mark.django_db

PAGES: list[tuple[str, Callable[[World], dict[str, Any]], dict[str, Any]]] = [
    ("console:programme", lambda w: {}, READERS),
    ("console:applications", lambda w: {}, READERS),
    ("console:application", lambda w: {"pk": w.application.pk}, READERS),
    ("console:commitments", lambda w: {}, READERS),
    ("console:commitment", lambda w: {"pk": w.commitment.pk}, READERS),
    ("console:settings", lambda w: {}, SECRETARIAT_ONLY),
    ("console:themes", lambda w: {}, SECRETARIAT_ONLY),
    ("console:theme_create", lambda w: {}, SECRETARIAT_ONLY),
    ("console:theme", lambda w: {"theme": w.theme.pk}, SECRETARIAT_ONLY),
    ("console:action_create", lambda w: {"theme": w.theme.pk}, SECRETARIAT_ONLY),
    ("console:action", lambda w: {"action": w.action.pk}, SECRETARIAT_ONLY),
    ("console:action_delete", lambda w: {"action": w.action.pk}, SECRETARIAT_ONLY),
    ("console:roles", lambda w: {}, SECRETARIAT_ONLY),
    ("console:audit", lambda w: {}, SECRETARIAT_ONLY),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "kwargs", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(world: World, persona: str, name: str, kwargs: Any, expected: Any) -> None:
    url = world.url(name, **kwargs(world))
    response = client_for(world, persona).get(url)
    assert_outcome(response, expected[persona], url)


def test_unknown_programme_is_404(world: World) -> None:
    client = client_for(world, SECRETARIAT)
    response = client.get(reverse("console:programme", kwargs={"programme": "no-such-thing"}))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("console:application", lambda w: {"pk": w.other_application.pk}),
        ("console:commitment", lambda w: {"pk": w.other_commitment.pk}),
        ("console:theme", lambda w: {"theme": w.other_theme.pk}),
        ("console:action_create", lambda w: {"theme": w.other_theme.pk}),
        ("console:action", lambda w: {"action": w.other_action.pk}),
        ("console:action_delete", lambda w: {"action": w.other_action.pk}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_object_of_another_programme_is_404(world: World, name: str, kwargs: Any) -> None:
    """The secretariat of A asks for an object of B through A's URL."""
    response = client_for(world, SECRETARIAT).get(world.url(name, **kwargs(world)))
    assert response.status_code == 404


def test_superuser_sees_every_console(world: World) -> None:
    client = client_for(world, NO_ROLE)
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(world.url("console:audit")).status_code == 200
    assert client.get(world.url("console:audit", programme=world.other)).status_code == 200


# Home ------------------------------------------------------------------------------------


def test_home_sends_anonymous_people_to_log_in(world: World) -> None:
    url = reverse("console:home")
    assert_outcome(client_for(world, ANONYMOUS).get(url), LOGIN, url)


def test_home_without_a_role_lists_nothing(world: World) -> None:
    response = client_for(world, NO_ROLE).get(reverse("console:home"))
    assert response.status_code == 200
    assert list(response.context["programmes"]) == []
    assert response.context["can_create"] is False
    assert "You have no role in any programme yet." in response.content.decode()
    assert world.programme.name not in response.content.decode()


def test_home_lists_my_programmes_with_counts(world: World) -> None:
    overdue_application(world.theme)  # pending and overdue
    overdue_application(world.theme, status="approved")  # decided: not counted
    reviewer = world.people[REVIEWER]
    ProgrammeRole.objects.create(
        programme=world.programme, user=reviewer, role=ProgrammeRole.Role.SECRETARIAT
    )
    response = client_for(world, REVIEWER).get(reverse("console:home"))
    assert response.status_code == 200
    rows = [
        (p.slug, p.pending_count, p.overdue_count, p.awaiting_count, len(p.my_roles))
        for p in response.context["programmes"]
    ]
    assert rows == [(world.programme.slug, 2, 1, 1, 2)]
    html = response.content.decode()
    assert world.other.name not in html
    assert "1 overdue" in html
    assert "Create a programme" not in html


def test_home_of_another_programmes_reviewer_shows_only_that_programme(world: World) -> None:
    response = client_for(world, OTHER_REVIEWER).get(reverse("console:home"))
    assert [p.slug for p in response.context["programmes"]] == [world.other.slug]


def test_platform_staff_are_offered_to_create_a_programme(world: World) -> None:
    staff = factories.UserFactory(is_staff=True)
    client = client_for(world, ANONYMOUS)
    client.force_login(staff)
    response = client.get(reverse("console:home"))
    assert response.context["can_create"] is True
    assert reverse("console:programme_create") in response.content.decode()


def test_reviewers_do_not_see_secretariat_sections_in_the_console_menu(world: World) -> None:
    html = client_for(world, REVIEWER).get(world.url("console:programme")).content.decode()
    assert world.url("console:audit") not in html
    assert world.url("console:settings") not in html
    html = client_for(world, SECRETARIAT).get(world.url("console:programme")).content.decode()
    assert world.url("console:audit") in html
    assert world.url("console:settings") in html
