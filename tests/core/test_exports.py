"""Exports are private unless declared public, and every place that lists or serves them asks
the registry (:mod:`pledgebook.core.exports`): the API, the directory's download links and the
console's open-data links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import pytest
from django.test import Client
from django.urls import reverse

from pledgebook.commitments.exports import CommitmentCSVExporter
from pledgebook.commitments.models import Commitment
from pledgebook.core import exports
from pledgebook.programmes.models import Programme
from pledgebook.reporting.exports import ProgressReportsCSVExporter, ProgressReportsXLSXExporter
from tests import factories
from tests.reporting.test_annual import make_world


class _Probe(exports.BaseExporter):
    """Counts the rows it was asked for, so a refusal can be shown to produce nothing."""

    calls: ClassVar[list[str]]
    verbose_name = "Probe"

    def queryset(self, params: Any) -> Any:
        type(self).calls.append(self.identifier)
        return Commitment.objects.order_by("title")  # every programme's: the registry scopes

    def render(self, rows: Iterable[Any]) -> Iterator[str]:
        for row in rows:
            yield f"{row.title}\n"


class PrivateCommitments(_Probe):
    identifier = "test-private-commitments"
    subject = "commitments"


class PublicCommitments(_Probe):
    identifier = "test-public-commitments"
    subject = "commitments"
    public = True


class PrivateProgress(_Probe):
    identifier = "test-private-progress"
    subject = "progress-reports"


TEST_EXPORTERS = (PrivateCommitments, PublicCommitments, PrivateProgress)


@pytest.fixture(autouse=True)
def _rows(programme: Programme) -> None:
    """One commitment in the programme ("one") and one in another programme ("two")."""
    factories.CommitmentFactory(theme=factories.ThemeFactory(programme=programme), title="one")
    other = factories.ThemeFactory(programme=factories.ProgrammeFactory())
    factories.CommitmentFactory(theme=other, title="two")


@pytest.fixture(autouse=True)
def _registered() -> Iterator[list[str]]:
    calls: list[str] = []
    for cls in TEST_EXPORTERS:
        cls.calls = calls
        exports.register(cls)
    yield calls
    for cls in TEST_EXPORTERS:
        exports.unregister(cls)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def export_url(cls: type[exports.BaseExporter]) -> str:
    return reverse("api:export", kwargs={"identifier": cls.identifier})


def test_exporters_are_private_unless_declared_public() -> None:
    assert exports.BaseExporter.public is False
    assert PrivateCommitments.public is False
    # Today's open data stays open.
    assert CommitmentCSVExporter.public is True
    assert ProgressReportsCSVExporter.public is True
    assert ProgressReportsXLSXExporter.public is True


def test_the_one_access_decision(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    reviewer = factories.staff(programme, "reviewer")
    other = factories.staff(factories.ProgrammeFactory())
    assert PublicCommitments.is_available_to(None)
    assert not PrivateCommitments.is_available_to(None, programme)
    assert not PrivateCommitments.is_available_to(secretariat)  # no programme given
    assert not PrivateCommitments.is_available_to(reviewer, programme)
    assert not PrivateCommitments.is_available_to(other, programme)
    assert PrivateCommitments.is_available_to(secretariat, programme)
    assert exports.get_available(PrivateCommitments.identifier, reviewer, programme) is None
    assert exports.available(secretariat, programme, subject="commitments") == [
        CommitmentCSVExporter,
        PrivateCommitments,
        PublicCommitments,
    ]


def test_api_refuses_a_private_export_to_anonymous_callers(
    programme: Programme, _registered: list[str]
) -> None:
    response = Client().get(export_url(PrivateCommitments), {"programme": programme.slug})
    assert response.status_code == 404
    assert _registered == []  # nothing was produced
    index = Client().get("/api/v1/exports/", {"programme": programme.slug}).json()
    assert PrivateCommitments.identifier not in {e["identifier"] for e in index}


def test_api_refuses_a_private_export_to_another_programmes_secretariat(
    programme: Programme, _registered: list[str]
) -> None:
    other = factories.staff(factories.ProgrammeFactory())
    response = client_for(other).get(export_url(PrivateCommitments), {"programme": programme.slug})
    assert response.status_code == 404
    assert _registered == []


def test_api_serves_a_private_export_to_the_secretariat(
    programme: Programme, _registered: list[str]
) -> None:
    client = client_for(factories.staff(programme))
    response = client.get(export_url(PrivateCommitments), {"programme": programme.slug})
    assert response.status_code == 200
    # Granted on its programme, it holds that programme's rows only.
    assert b"".join(response.streaming_content) == b"one\n"
    assert _registered == [PrivateCommitments.identifier]
    index = client.get("/api/v1/exports/", {"programme": programme.slug}).json()
    assert PrivateCommitments.identifier in {e["identifier"] for e in index}


def test_api_serves_a_public_export_to_anyone(_registered: list[str]) -> None:
    response = Client().get(export_url(PublicCommitments))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"one\ntwo\n"
    index = Client().get("/api/v1/exports/").json()
    assert [e["identifier"] for e in index] == [
        "case-studies-csv",
        "commitments-csv",
        "map-csv",
        "progress-reports-csv",
        "progress-reports-xlsx",
        "sdg-dashboard-csv",
        PublicCommitments.identifier,
    ]


def links(html: str, subject_prefix: str = "/api/v1/exports/") -> set[str]:
    return {part.split("/", 1)[0].split("?", 1)[0] for part in html.split(subject_prefix)[1:]}


def test_the_directory_lists_the_exports_the_registry_gives(programme: Programme) -> None:
    directory = reverse("public:directory")
    anonymous = Client().get(directory, {"programme": programme.slug}).content.decode()
    assert links(anonymous) == {"commitments-csv", PublicCommitments.identifier}
    secretariat = client_for(factories.staff(programme))
    html = secretariat.get(directory, {"programme": programme.slug}).content.decode()
    assert links(html) == {
        "commitments-csv",
        PublicCommitments.identifier,
        PrivateCommitments.identifier,
    }


@pytest.mark.django_db
def test_the_console_lists_the_exports_the_registry_gives() -> None:
    world = make_world()
    address = reverse(
        "console:annual_report",
        kwargs={"programme": world.programme.slug, "cycle": world.cycle.pk},
    )
    html = client_for(world.secretariat).get(address).content.decode()
    assert links(html) == {
        "progress-reports-csv",
        "progress-reports-xlsx",
        PrivateProgress.identifier,
    }
