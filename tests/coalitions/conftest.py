"""Fixtures of the coalition tests."""

from typing import Any

import pytest

from pledgebook.programmes.models import Programme, ProgrammeRole
from tests import factories
from tests.coalitions.helpers import proposer as new_proposer


@pytest.fixture
def secretariat(programme: Programme) -> Any:
    return factories.staff(programme)


@pytest.fixture
def reviewer(programme: Programme) -> Any:
    return factories.staff(programme, ProgrammeRole.Role.REVIEWER)


@pytest.fixture
def proposer(db: Any) -> Any:
    return new_proposer()


@pytest.fixture
def stranger(db: Any) -> Any:
    return factories.UserFactory()


@pytest.fixture
def other_secretariat(db: Any) -> Any:
    return factories.staff(factories.ProgrammeFactory())
