"""Search by meaning (the similarity engine, kind ``case_study``, indexed when published) with
its fallback to words for case studies without a vector, and the API: public fields only,
the hub page's filters, in the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pledgebook.api.schema import FREE_TEXT
from pledgebook.portal.hub.indexing import KIND
from pledgebook.reference.models import Goal
from pledgebook.similarity import engine
from pledgebook.similarity.models import Vector
from tests.portal.factories_hub import draft, hub_world, published, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return hub_world()


@pytest.fixture
def two(world):
    clinics = published(world)
    youth = published(
        world,
        title="Youth-led network against floods",
        summary="Young volunteers map flood risks with their towns.",
        problem="River floods destroy homes every year.",
        approach="Schools train volunteers who draw risk maps with the town council.",
        results="Ten towns have an evacuation plan.",
        goals=list(Goal.objects.filter(number=13)),
    )
    return clinics, youth


def _hub(**params: Any):
    response = Client().get(reverse("public:knowledge"), params)
    assert response.status_code == 200
    return response


def test_publishing_indexes_the_text(two):
    clinics, youth = two
    assert set(
        Vector.objects.filter(kind=KIND, model_id=engine.model_id()).values_list(
            "object_id", flat=True
        )
    ) == {clinics.pk, youth.pk}


def test_found_by_meaning_in_other_words(two):
    clinics, youth = two
    response = _hub(semantic="electricity for health centres in villages")
    assert [cs.pk for cs in response.context["page_obj"].object_list][:1] == [clinics.pk]
    assert response.context["semantic_result"].by_words == 0
    response = _hub(semantic="young people preparing for river flooding")
    assert [cs.pk for cs in response.context["page_obj"].object_list][:1] == [youth.pk]


def test_without_a_vector_a_case_study_is_searched_by_words_and_the_page_says_so(two):
    _clinics, youth = two
    engine.remove(KIND, youth.pk)
    response = _hub(semantic="volunteers flood maps")
    result = response.context["semantic_result"]
    assert result.not_indexed == 1
    assert youth.pk in [cs.pk for cs in response.context["page_obj"].object_list]
    assert result.by_words == 1
    assert "not indexed for the search by meaning yet" in response.content.decode()


def test_a_draft_or_submitted_case_study_is_never_found(world):
    draft(world, title="Draft solar guarantees")
    submitted(world, title="Submitted solar guarantees")
    response = _hub(q="solar")
    assert list(response.context["page_obj"].object_list) == []
    response = _hub(semantic="solar power guarantees for clinics")
    assert list(response.context["page_obj"].object_list) == []


# API ---------------------------------------------------------------------------------------

PUBLIC_LIST_FIELDS = {
    "id",
    "title",
    "url",
    "programme",
    "organisation",
    "summary",
    "goals",
    "countries",
    "regions",
    "categories",
    "published_at",
}


def test_api_list_and_detail_public_fields_only(two, world):
    clinics, _youth = two
    data = Client().get("/api/v1/case-studies/").json()
    assert data["count"] == 2
    row = next(r for r in data["results"] if r["id"] == clinics.pk)
    assert set(row) == PUBLIC_LIST_FIELDS
    assert row["organisation"] == {
        "slug": world.organisation.slug,
        "name": "Sunline Energy",
        "category": "civil_society",
        "country": "KE",
    }
    assert row["goals"] == [3, 7]
    assert row["categories"] == ["financial_institution", "private_sector"]
    detail = Client().get(f"/api/v1/case-studies/{clinics.pk}/").json()
    assert "return_reason" not in detail and "submitted_by" not in detail
    [linked] = detail["results_linked"]
    assert linked["id"] == world.commitment.pk
    assert [(v["code"], v["value"], v["current"]) for v in linked["values"]] == [
        ("clinics", "40.0000", True)
    ]
    text = Client().get(f"/api/v1/case-studies/{clinics.pk}/").content.decode()
    for person in (world.author, world.secretariat):
        assert person.email not in text


def test_api_filters_are_the_pages(two):
    clinics, youth = two
    assert [
        r["id"] for r in Client().get("/api/v1/case-studies/", {"sdg": 13}).json()["results"]
    ] == [youth.pk]
    assert [
        r["id"] for r in Client().get("/api/v1/case-studies/", {"q": "guarantee"}).json()["results"]
    ] == [clinics.pk]
    assert Client().get("/api/v1/case-studies/", {"sdg": 18}).status_code == 400
    assert Client().get("/api/v1/case-studies/", {"q": " "}).status_code == 400


@pytest.mark.parametrize("make", [draft, submitted])
def test_api_hides_unpublished(world, make):
    case_study = make(world)
    assert Client().get("/api/v1/case-studies/").json()["count"] == 0
    assert Client().get(f"/api/v1/case-studies/{case_study.pk}/").status_code == 404


def test_the_openapi_document_has_the_case_studies_with_free_text_patterns(db):
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/case-studies/" in schema["paths"]
    assert "/api/v1/case-studies/{id}/" in schema["paths"]
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/case-studies/"]["get"]["parameters"]
    }
    assert parameters["q"]["pattern"] == FREE_TEXT
    assert parameters["semantic"]["pattern"] == FREE_TEXT
    assert 13 in parameters["sdg"]["enum"]


def test_the_csv_export_holds_the_hubs_rows_public_fields_only(two, world):
    import csv
    import io

    _clinics, youth = two
    response = Client().get("/api/v1/exports/case-studies-csv/", {"sdg": 13})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "url", "title"]
    assert [r[0] for r in rows[1:]] == [str(youth.pk)]
    everything = b"".join(Client().get("/api/v1/exports/case-studies-csv/").streaming_content)
    assert world.author.email.encode() not in everything
    assert Client().get("/api/v1/exports/case-studies-csv/", {"sdg": 18}).status_code == 400
    page = Client().get(reverse("public:knowledge"), {"sdg": 13}).content.decode()
    assert 'href="/api/v1/exports/case-studies-csv/?sdg=13"' in page
