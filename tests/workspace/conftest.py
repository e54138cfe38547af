"""Helpers for the workspace tests."""

import pytest

from pledgebook.organisations.models import Organisation


@pytest.fixture
def org(member) -> Organisation:
    """The organisation ``member`` acts for (an approved commitment maker of ``theme``)."""
    return Organisation.objects.get(representative__user=member)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
