"""The OpenAPI schema and the server-rendered documentation page."""

from __future__ import annotations

import json
import re
from html import unescape as html_unescape
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.api.conftest import World

PATHS = {
    "/api/v1/programmes/",
    "/api/v1/programmes/{slug}/",
    "/api/v1/themes/",
    "/api/v1/themes/{id}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{slug}/",
    "/api/v1/commitments/",
    "/api/v1/commitments/{id}/",
    "/api/v1/commitments/{id}/progress/",
    "/api/v1/coalitions/",
    "/api/v1/coalitions/{slug}/",
    "/api/v1/exports/",
    "/api/v1/exports/{identifier}/",
    "/api/v1/forum/{programme}/{event}/cochairs-summary/",
    # The forum's schedule.
    "/api/v1/events/",
    "/api/v1/pitch/ready-to-scale/",
    "/api/v1/pitch/outcomes/",
    "/api/v1/events/{id}/",
    "/api/v1/events/{id}/sessions/",
    # The knowledge hub.
    "/api/v1/case-studies/",
    "/api/v1/case-studies/{id}/",
    "/api/v1/map/",
    "/api/v1/sdgs/",
}
COMMITMENT_FILTERS = {
    "q",
    "programme",
    "theme",
    "type",
    "category",
    "country",
    "region",
    "sdg",
    "light",
}


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def test_url_names() -> None:
    assert reverse("api:schema") == "/api/v1/schema/"
    assert reverse("api:docs") == "/api/v1/docs/"


@pytest.mark.django_db
def test_schema_endpoint_serves_valid_openapi_3(client) -> None:
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS
    assert {m for item in schema["paths"].values() for m in item} == {"get"}
    params = {p["name"] for p in schema["paths"]["/api/v1/commitments/"]["get"]["parameters"]}
    assert params == {*COMMITMENT_FILTERS, "status", "page"}


@pytest.mark.django_db
def test_schema_endpoint_serves_yaml_by_default(client) -> None:
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert set(yaml.safe_load(response.content)["paths"]) == PATHS


def test_schema_generates_without_warnings(db, tmp_path: Path) -> None:
    """The document reads the values its filters accept from the database (api/schema.py)."""
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert set(yaml.safe_load(target.read_text())["paths"]) == PATHS


def test_docs_page_lists_endpoints_parameters_and_working_examples(client, world: World) -> None:
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    for path in PATHS:
        assert f"<code>GET {path}</code>" in html
    for name in COMMITMENT_FILTERS:
        assert f"<code>{name}</code>" in html
    # Example links use real public data, and every one of them answers 200.
    links = re.findall(r'href="(/api/v1/[^"]*)"', html)
    for example in [
        f"/api/v1/commitments/{world.c3.pk}/",
        f"/api/v1/themes/{world.theme_a.pk}/",
        f"/api/v1/themes/?programme={world.programme.slug}",
        f"/api/v1/commitments/?theme={world.theme_a.pk}",
        "/api/v1/commitments/?country=KE",
        "/api/v1/programmes/equality-forum/",
        "/api/v1/organisations/amani/",
        "/api/v1/exports/commitments-csv/?sdg=5",
    ]:
        assert example in links
    for link in set(links):
        assert client.get(html_unescape(link)).status_code == 200, link
    assert "cdn" not in html.lower()
    assert 'id="object-Commitment"' in html


@pytest.mark.django_db
def test_docs_page_renders_without_data(client) -> None:
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert "<code>GET /api/v1/commitments/{id}/</code>" in response.content.decode()
