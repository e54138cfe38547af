"""The export registry through the API: /api/v1/exports/ and the commitments CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pledgebook.commitments import initiatives
from pledgebook.commitments.exports import CommitmentCSVExporter
from pledgebook.commitments.models import Commitment
from pledgebook.core import exports
from tests import factories
from tests.api.conftest import NOW, World, make_commitment, relate

SITE = "http://testserver"  # links use the address the request came to (core.site)
URL = "/api/v1/exports/commitments-csv/"
HEADER = [
    "id",
    "url",
    "title",
    "programme",
    "lead_organisation",
    "category",
    "country_of_lead",
    "types",
    "themes",
    "goals",
    "targets",
    "countries",
    "regions",
    "starts_on",
    "ends_on",
    "amount",
    "currency",
    "funds_are_new",
    "endorsement_level",
    "status",
    "initiative",
]


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def download(
    client: APIClient, params: dict[str, str] | None = None, accept: str = "*/*"
) -> tuple[Any, str, list[list[str]]]:
    response = client.get(URL, params or {}, HTTP_ACCEPT=accept)
    assert response.status_code == 200, response.content
    assert response.streaming
    text = response.getvalue().decode("utf-8")
    return response, text, list(csv.reader(io.StringIO(text)))


def test_exporter_is_registered_at_startup() -> None:
    assert exports.get("commitments-csv") is CommitmentCSVExporter
    assert exports.available(None, subject="commitments") == [CommitmentCSVExporter]
    assert reverse("api:export", kwargs={"identifier": "commitments-csv"}) == URL


def test_index_lists_the_registered_exporters(client) -> None:
    response = client.get("/api/v1/exports/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "identifier": "case-studies-csv",
            "verbose_name": "Case studies (CSV)",
            "subject": "case_studies",
            "content_type": "text/csv; charset=utf-8",
            "url": f"{SITE}/api/v1/exports/case-studies-csv/",
        },
        {
            "identifier": "commitments-csv",
            "verbose_name": "Commitments (CSV)",
            "subject": "commitments",
            "content_type": "text/csv; charset=utf-8",
            "url": f"{SITE}{URL}",
        },
        {
            "identifier": "map-csv",
            "verbose_name": "Map: commitments by country (CSV)",
            "subject": "map",
            "content_type": "text/csv; charset=utf-8",
            "url": f"{SITE}/api/v1/exports/map-csv/",
        },
        {
            "identifier": "progress-reports-csv",
            "verbose_name": "Progress reports of a cycle (CSV)",
            "subject": "progress-reports",
            "content_type": "text/csv; charset=utf-8",
            "url": f"{SITE}/api/v1/exports/progress-reports-csv/",
        },
        {
            "identifier": "progress-reports-xlsx",
            "verbose_name": "Progress reports, totals and non-reporters of a cycle (XLSX)",
            "subject": "progress-reports",
            "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "url": f"{SITE}/api/v1/exports/progress-reports-xlsx/",
        },
        {
            "identifier": "sdg-dashboard-csv",
            "verbose_name": "SDG dashboard (CSV)",
            "subject": "sdgs",
            "content_type": "text/csv; charset=utf-8",
            "url": f"{SITE}/api/v1/exports/sdg-dashboard-csv/",
        },
    ]


def test_csv_has_one_exact_row_per_public_commitment(client, world: World) -> None:
    response, text, rows = download(client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="pledgebook-commitments-csv-{day}.csv"'
    )
    assert text.startswith(",".join(HEADER) + "\r\n")
    assert rows[0] == HEADER
    assert [int(r[0]) for r in rows[1:]] == [world.c2.pk, world.c1.pk, world.c3.pk]
    assert rows[2] == [
        str(world.c1.pk),
        f"{SITE}/commitments/{world.c1.pk}/",
        "Finance 200 women-led cooperatives by 2027",
        "equality-forum",
        "Amani Women Fund",
        "civil_society",
        "KE",
        "financial;policy",
        "economic-justice",
        "5;8",
        "5.1;5.a",
        "KE;UG",
        "",
        "2026-01-01",
        "2028-12-31",
        "1500000.00",
        "USD",
        "true",
        "minister",
        "confirmed",
        "",
    ]
    assert rows[1] == [
        str(world.c2.pk),
        f"{SITE}/commitments/{world.c2.pk}/",
        "Teach 10000 girls coding across Europe",
        "equality-forum",
        "Bleu Tech",
        "private_sector",
        "FR",
        "advocacy",
        "technology",
        "4",
        "",
        "FR",
        "150",
        "2026-01-01",
        "2028-12-31",
        "",
        "",
        "",
        "executive",
        "featured",
        "",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "FR"}, ["c2"]),
        ({"sdg": "5"}, ["c1", "c3"]),
        ({"programme": "ocean-conference"}, ["c3"]),
        ({"q": "solar", "status": "confirmed"}, ["c3"]),
        ({"category": "government"}, []),
    ],
)
def test_csv_applies_the_directory_filters(client, world: World, params, expected) -> None:
    _, _, rows = download(client, params)

    assert rows[0] == HEADER
    assert [int(r[0]) for r in rows[1:]] == [getattr(world, name).pk for name in expected]


def test_csv_streams_with_a_csv_accept_header(client, world: World) -> None:
    _, _, rows = download(client, accept="text/csv")

    assert len(rows) == 4


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"country": "XX"}, ["country"]),
        ({"sdg": "99", "status": "draft"}, ["sdg", "status"]),
        ({"programme": "secret-forum"}, ["programme"]),
    ],
)
def test_invalid_filter_is_400_listing_the_errors(client, world: World, params, names) -> None:
    response = client.get(URL, params, HTTP_ACCEPT="text/csv")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert sorted(response.json()) == names


def test_unknown_exporter_is_404(client, world: World) -> None:
    response = client.get("/api/v1/exports/nothing-csv/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No export 'nothing-csv'."}


def test_export_is_read_only(client, world: World) -> None:
    assert client.post(URL).status_code == 405
    assert client.post("/api/v1/exports/").status_code == 405


def test_spreadsheet_formulas_are_neutralised(client, world: World) -> None:
    Commitment.objects.filter(pk=world.c1.pk).update(title="=HYPERLINK(1) 500 by 2027")
    world.lead_ke.name = "@Amani"
    world.lead_ke.save()

    _, _, rows = download(client, {"country": "KE"})

    assert rows[1][2] == "'=HYPERLINK(1) 500 by 2027"
    assert rows[1][4] == "'@Amani"


def test_export_of_many_rows_is_chunked_and_complete(client, world: World, settings) -> None:
    for n in range(30):
        c = make_commitment(
            theme=world.theme_b,
            organisation=world.lead_fr,
            status=Commitment.Status.CONFIRMED,
            submitted_at=NOW - dt.timedelta(days=10 + n),
        )
        relate(c, themes=[world.theme_b], types=["advocacy"], countries=["FR"], goals=[4])

    _, _, rows = download(client, {"country": "FR"})

    assert len(rows) == 1 + 31
    assert {r[7] for r in rows[1:]} == {"advocacy"}
    assert {r[9] for r in rows[1:]} == {"4"}


def test_render_uses_chunks_with_prefetch(world: World, django_assert_num_queries) -> None:
    exporter = CommitmentCSVExporter()
    rows = exporter.queryset({})

    # One query for the rows, then the nine prefetches of the (single) chunk.
    with django_assert_num_queries(10):
        lines = list(exporter.render(rows))

    assert len(lines) == 4


def test_the_registrations_of_one_initiative_share_its_number(client, world: World) -> None:
    """A data user can group the rows of one initiative registered twice (issue 12): the
    CSV and the API give each registration the initiative's number, empty for the others."""
    secretary = factories.staff(world.programme)
    initiatives.link(actor=secretary, commitment=world.c2, other=world.c1)
    initiative = world.c1.registration.initiative_id
    _response, _text, rows = download(client)
    assert {r[0]: r[-1] for r in rows[1:]} == {
        str(world.c1.pk): str(initiative),
        str(world.c2.pk): str(initiative),
        str(world.c3.pk): "",
    }
    listed = client.get("/api/v1/commitments/").json()["results"]
    assert {r["id"]: r["initiative"] for r in listed} == {
        world.c1.pk: initiative,
        world.c2.pk: initiative,
        world.c3.pk: None,
    }
