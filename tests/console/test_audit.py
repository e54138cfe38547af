"""The programme's audit log (secretariat only; access is covered in test_access.py)."""

from typing import Any

import pytest

from pledgebook.core import audit
from pledgebook.core.models import AuditEntry
from tests.console.conftest import SECRETARIAT, World, client_for

pytestmark = pytest.mark.django_db


def _log(world: World, n: int, action: str = "commitment.edited", obj: Any = None) -> None:
    for _ in range(n):
        audit.record(
            actor=world.people[SECRETARIAT],
            action=action,
            obj=obj or world.commitment,
            programme=world.programme,
        )


def test_newest_first_paginated_by_50(world: World) -> None:
    _log(world, 51)
    newest = AuditEntry.objects.filter(programme=world.programme).order_by("-id")
    client = client_for(world, SECRETARIAT)

    first = client.get(world.url("console:audit"))
    second = client.get(world.url("console:audit"), {"page": 2})

    assert [e.pk for e in first.context["page"].object_list] == [e.pk for e in newest[:50]]
    assert [e.pk for e in second.context["page"].object_list] == [newest[50].pk]
    assert "51 entries, newest first" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_only_entries_of_this_programme(world: World) -> None:
    _log(world, 1)
    audit.record(
        actor=None, action="commitment.secret", obj=world.other_commitment, programme=world.other
    )
    response = client_for(world, SECRETARIAT).get(world.url("console:audit"))
    assert [e.action for e in response.context["page"].object_list] == ["commitment.edited"]
    assert "commitment.secret" not in response.content.decode()


def test_filter_by_action_and_by_object(world: World) -> None:
    _log(world, 2, action="commitment.edited")
    _log(world, 1, action="application.approved", obj=world.application)
    client = client_for(world, SECRETARIAT)
    url = world.url("console:audit")

    by_action = client.get(url, {"action": "application.approved"})
    by_object = client.get(
        url, {"object_type": "commitments.commitment", "object_id": world.commitment.pk}
    )
    by_both = client.get(
        url,
        {
            "action": "application.approved",
            "object_type": "commitments.commitment",
            "object_id": world.commitment.pk,
        },
    )

    assert [e.object_id for e in by_action.context["page"].object_list] == [world.application.pk]
    assert [e.action for e in by_object.context["page"].object_list] == ["commitment.edited"] * 2
    assert list(by_both.context["page"].object_list) == []
    # The filter keeps its values when paging.
    assert by_action.context["form"]["action"].value() == "application.approved"


def test_unknown_action_filter_is_a_field_error(world: World) -> None:
    _log(world, 1)
    response = client_for(world, SECRETARIAT).get(world.url("console:audit"), {"action": "nope"})
    assert list(response.context["form"].errors) == ["action"]
    assert len(response.context["page"].object_list) == 1


def test_entries_link_to_their_console_page(world: World) -> None:
    _log(world, 1)
    response = client_for(world, SECRETARIAT).get(world.url("console:audit"))
    url = world.url("console:commitment", pk=world.commitment.pk)
    assert [link for _entry, link in response.context["rows"]] == [url]
    assert f'href="{url}"' in response.content.decode()


def test_actions_and_objects_read_as_words_not_codes(world: World) -> None:
    _log(world, 1, action="commitment.assessment_overridden")
    _log(world, 1, action="application.approved", obj=world.application)
    _log(world, 1, action="commitment.something_new")

    response = client_for(world, SECRETARIAT).get(world.url("console:audit"))

    body = response.content.decode()
    assert "Commitment: assessment overridden by a reviewer" in body
    assert "Application: approved" in body
    assert "Commitment: something new" in body  # an event not named yet reads as its words
    assert f"All entries of commitment {world.commitment.pk}" in body
    for code in ("commitment.assessment_overridden", "application.approved", "commitments."):
        assert f">{code}" not in body and f"of {code}" not in body
    assert dict(response.context["form"].fields["action"].choices) == {
        "": "All",
        "application.approved": "Application: approved",
        "commitment.assessment_overridden": "Commitment: assessment overridden by a reviewer",
        "commitment.something_new": "Commitment: something new",
    }
    assert dict(response.context["form"].fields["object_type"].choices) == {
        "": "All",
        "commitments.application": "application",
        "commitments.commitment": "commitment",
    }
