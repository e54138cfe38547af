"""/api/v1/programmes/, /api/v1/themes/ and /api/v1/organisations/: exactly the public rows,
their filters, and no person's e-mail anywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme
from tests.api.conftest import World, make_programme, make_theme

SITE = "http://testserver"  # links use the address the request came to (core.site)


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# Programmes -------------------------------------------------------------------------------


def test_programmes_are_the_published_ones_newest_first(client, world: World) -> None:
    rows = results(client.get("/api/v1/programmes/"))

    assert [r["slug"] for r in rows] == ["equality-forum", "ocean-conference"]


def test_programme_detail_is_exact(client, world: World) -> None:
    response = client.get("/api/v1/programmes/equality-forum/")

    assert response.status_code == 200
    assert response.json() == {
        "slug": "equality-forum",
        "name": "Equality Forum",
        "url": f"{SITE}/programmes/equality-forum/",
        "kind": "action_coalitions",
        "summary": "Action coalitions for gender equality.",
        "starts_on": "2025-01-01",
        "ends_on": "2029-12-31",
        "registration_opens_at": "2025-05-22T12:00:00Z",
        "registration_closes_at": "2025-06-21T12:00:00Z",
        "registration_is_open": False,  # the window is in the past of the test run
        "commitment_types": ["financial", "advocacy", "policy", "programmatic"],
        "application_review_days": 21,
        "leader_min_years": 5,
        "leader_max_years": 5,
        "maker_min_years": 1,
        "maker_max_years": 5,
        "reporting_cycle": "annual",
        "themes": [
            {
                "id": world.theme_a.pk,
                "slug": "economic-justice",
                "name": "Economic justice",
                "url": f"{SITE}/programmes/equality-forum/themes/economic-justice/",
            },
            {
                "id": world.theme_b.pk,
                "slug": "technology",
                "name": "Technology and innovation",
                "url": f"{SITE}/programmes/equality-forum/themes/technology/",
            },
        ],
    }


def test_programme_accepted_types_are_its_own(client, world: World) -> None:
    body = client.get("/api/v1/programmes/ocean-conference/").json()

    assert body["commitment_types"] == ["policy", "programmatic"]
    assert body["kind"] == "conference"


def test_registration_is_open_now(client, db) -> None:
    now = timezone.now()
    make_programme(
        slug="open-now",
        registration_opens_at=now - dt.timedelta(hours=1),
        registration_closes_at=now + dt.timedelta(hours=1),
    )

    assert client.get("/api/v1/programmes/open-now/").json()["registration_is_open"] is True


def test_unpublished_programme_is_404(client, world: World) -> None:
    assert client.get("/api/v1/programmes/secret-forum/").status_code == 404


def test_programme_list_queries_do_not_grow(client, db) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/programmes/").status_code == 200
        return len(ctx.captured_queries)

    make_theme(programme=make_programme())
    one = count()
    for _ in range(2):
        make_theme(programme=make_programme())
    assert count() == one == 4  # count, page, types, themes
    assert Programme.objects.count() == 3


# Themes -----------------------------------------------------------------------------------


def test_themes_are_those_of_published_programmes(client, world: World) -> None:
    rows = results(client.get("/api/v1/themes/"))

    assert [r["id"] for r in rows] == [world.theme_a.pk, world.theme_b.pk, world.theme_other.pk]
    assert rows[0] == {
        "id": world.theme_a.pk,
        "slug": "economic-justice",
        "name": "Economic justice",
        "url": f"{SITE}/programmes/equality-forum/themes/economic-justice/",
        "programme": "equality-forum",
        "description": "",
        "goals": [5, 8],
    }


def test_themes_filtered_by_programme(client, world: World) -> None:
    rows = results(client.get("/api/v1/themes/", {"programme": "ocean-conference"}))

    assert [r["id"] for r in rows] == [world.theme_other.pk]


@pytest.mark.parametrize("slug", ["secret-forum", "nothing"])
def test_themes_of_an_unknown_or_unpublished_programme_are_400(client, world, slug) -> None:
    response = client.get("/api/v1/themes/", {"programme": slug})

    assert response.status_code == 400
    assert list(response.json()) == ["programme"]


def test_theme_detail_has_its_blueprint_and_sdgs(client, world: World) -> None:
    response = client.get(f"/api/v1/themes/{world.theme_a.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["actions"] == [
        {"id": world.action_a1.pk, "code": "1.1", "title": "Decent work", "description": ""},
        {"id": world.action_a2.pk, "code": "1.2", "title": "Care economy", "description": ""},
    ]
    assert body["goals"] == [
        {"number": 5, "title": "Achieve gender equality and empower all women and girls"},
        {
            "number": 8,
            "title": (
                "Promote sustained, inclusive and sustainable economic growth, full and "
                "productive employment and decent work for all"
            ),
        },
    ]
    assert body["programme"] == "equality-forum"


def test_theme_of_an_unpublished_programme_is_404(client, world: World) -> None:
    assert client.get(f"/api/v1/themes/{world.theme_hidden.pk}/").status_code == 404


# Organisations ----------------------------------------------------------------------------


PUBLIC_ORGANISATIONS = [
    "amani",  # leads c1
    "bleu-tech",  # leads c2
    "coral-trust",  # leads c3
    "delta-youth",  # confirmed co-maker of c1
    "fanaka",  # approved in a theme of a published programme
]


def test_organisations_are_those_taking_part_publicly(client, world: World) -> None:
    rows = results(client.get("/api/v1/organisations/"))

    # Not: an invited co-maker that did not confirm (echo-invited; it confirmed only on a
    # commitment of an unpublished programme), a pending or declined applicant (gamma), a
    # member of an unpublished programme (hidden-member), an organisation with drafts and a
    # declined commitment only (iota), the lead of an unpublished programme's commitment (juno).
    assert [r["slug"] for r in rows] == PUBLIC_ORGANISATIONS
    assert Organisation.objects.count() == 10


def test_organisation_representation_is_exact(client, world: World) -> None:
    rows = results(client.get("/api/v1/organisations/", {"q": "amani"}))

    assert rows == [
        {
            "name": "Amani Women Fund",
            "slug": "amani",
            "url": f"{SITE}/organisations/amani/",
            "category": "civil_society",
            "country": "KE",
            "region": "002",
            "sub_region": "202",
            "website": "",
            "description": "",
            "is_grassroots": False,
        }
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "civil_society"}, ["amani", "fanaka"]),
        ({"category": "youth_led"}, ["delta-youth"]),
        ({"country": "UG"}, ["delta-youth", "fanaka"]),
        ({"region": "002"}, ["amani", "coral-trust", "delta-youth", "fanaka"]),
        ({"region": "150"}, ["bleu-tech"]),
        ({"region": "155"}, ["bleu-tech"]),
        ({"q": "women fund"}, ["amani"]),
        ({"q": "TECH"}, ["bleu-tech"]),
        ({"q": "hidden"}, []),
        ({"category": "civil_society", "country": "UG"}, ["fanaka"]),
    ],
)
def test_organisation_filters(client, world: World, params, expected) -> None:
    assert [r["slug"] for r in results(client.get("/api/v1/organisations/", params))] == expected


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"country": "XX"}, "country"),
        ({"region": "000"}, "region"),
        ({"category": "x"}, "category"),
    ],
)
def test_invalid_organisation_filter_is_400(client, world: World, params, name) -> None:
    response = client.get("/api/v1/organisations/", params)

    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_organisation_detail_lists_public_memberships(client, world: World) -> None:
    response = client.get("/api/v1/organisations/fanaka/")

    assert response.status_code == 200
    assert response.json()["memberships"] == [
        {
            "programme": "equality-forum",
            "theme": {
                "id": world.theme_a.pk,
                "slug": "economic-justice",
                "name": "Economic justice",
                "url": f"{SITE}/programmes/equality-forum/themes/economic-justice/",
            },
            "role": "leader",
            "since": "2025-06-01T12:00:00Z",
        }
    ]


@pytest.mark.parametrize("slug", ["echo-invited", "gamma", "hidden-member", "iota", "juno", "x"])
def test_organisation_not_taking_part_publicly_is_404(client, world: World, slug) -> None:
    assert client.get(f"/api/v1/organisations/{slug}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/",
        "/api/v1/organisations/amani/",
        "/api/v1/commitments/",
        "/api/v1/exports/commitments-csv/",
    ],
)
def test_no_email_is_exposed(client, world: World, path: str) -> None:
    response = client.get(path)

    content = response.getvalue()
    assert response.status_code == 200
    assert b"@" not in content
