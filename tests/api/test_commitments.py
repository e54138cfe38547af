"""/api/v1/commitments/: exactly the public rows, the directory's filters, pagination, the
representation with its assessment, and a number of queries that does not grow with the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from pledgebook.commitments.filters import CommitmentFilter, public_commitments
from pledgebook.commitments.models import (
    AssessmentOverride,
    CoMaker,
    Commitment,
    EndorsementLevel,
)
from pledgebook.core import pagination
from tests import factories
from tests.api.conftest import (
    NOW,
    World,
    make_action,
    make_commitment,
    make_programme,
    make_theme,
    organisation,
    relate,
)

LIST = "/api/v1/commitments/"
DESCRIPTION = factories.CommitmentFactory.description
SITE = "http://testserver"  # links use the address the request came to (core.site)


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_url_names() -> None:
    assert reverse("api:commitment-list") == LIST
    assert reverse("api:commitment-detail", kwargs={"pk": 7}) == "/api/v1/commitments/7/"


def test_list_is_exactly_the_public_commitments_newest_first(client, world: World) -> None:
    response = client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None
    assert body["previous"] is None
    # c2 submitted a day ago, c1 two days ago, c3 three days ago.
    assert ids(response) == [world.c2.pk, world.c1.pk, world.c3.pk]


def test_detail_representation_is_exact(client, world: World) -> None:
    response = client.get(f"{LIST}{world.c1.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.c1.pk,
        "url": f"{SITE}/commitments/{world.c1.pk}/",
        "title": "Finance 200 women-led cooperatives by 2027",
        "description": DESCRIPTION,
        "status": "confirmed",
        "programme": "equality-forum",
        "lead_organisation": {
            "name": "Amani Women Fund",
            "slug": "amani",
            "category": "civil_society",
            "country": "KE",
        },
        # The invited, unconfirmed co-maker is not shown.
        "co_makers": [
            {"name": "Delta Youth", "slug": "delta-youth", "category": "youth_led", "country": "UG"}
        ],
        "types": ["financial", "policy"],
        "themes": [
            {"id": world.theme_a.pk, "slug": "economic-justice", "name": "Economic justice"}
        ],
        "actions": [{"id": world.action_a1.pk, "code": "1.1", "title": "Decent work"}],
        "goals": [5, 8],
        "targets": ["5.1", "5.a"],
        "scope": "national",
        "countries": ["KE", "UG"],
        "regions": [],
        "starts_on": "2026-01-01",
        "ends_on": "2028-12-31",
        "amount": "1500000.00",
        "currency": "USD",
        "funds_are_new": True,
        "endorsement_level": "minister",
        "is_conditional": False,
        "submitted_at": "2025-05-30T12:00:00Z",
        "decided_at": "2025-05-31T12:00:00Z",
        "initiative": None,  # registered once
        "assessment": {
            "score": 5,
            "label": "Strong commitment",
            "criteria": [
                # Computed as not met (short description), overridden by a reviewer.
                {"key": "impact", "label": "Potential for impact", "met": True},
                {"key": "funding", "label": "Funding", "met": True},
                {"key": "endorsement", "label": "Level of endorsement", "met": True},
                {"key": "collective", "label": "Collective nature", "met": True},
                {"key": "smart", "label": "SMART", "met": True},
            ],
        },
        "status_light": "none",  # the programme has no reporting cycle yet
    }


def test_assessment_of_a_commitment_without_money_or_partners(client, world: World) -> None:
    body = client.get(f"{LIST}{world.c3.pk}/").json()

    # It reaches “500 women” in Tanzania by a date, endorsed by a foundation's executive; it states
    # no amount and names no partner.
    assert body["assessment"] == {
        "score": 3,
        "label": "Good, can be strengthened",
        "criteria": [
            {"key": "impact", "label": "Potential for impact", "met": True},
            {"key": "funding", "label": "Funding", "met": False},
            {"key": "endorsement", "label": "Level of endorsement", "met": True},
            {"key": "collective", "label": "Collective nature", "met": False},
            {"key": "smart", "label": "SMART", "met": True},
        ],
    }
    assert body["amount"] is None
    assert body["currency"] is None
    assert body["funds_are_new"] is None


@pytest.mark.parametrize("hidden", ["draft", "declined", "in_review", "hidden_commitment"])
def test_detail_of_a_non_public_commitment_is_404(client, world: World, hidden: str) -> None:
    commitment = getattr(world, hidden)
    before = Commitment.objects.values().get(pk=commitment.pk)

    response = client.get(f"{LIST}{commitment.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Commitment matches the given query."}
    assert Commitment.objects.values().get(pk=commitment.pk) == before


def test_detail_of_a_missing_or_malformed_id_is_404(client, world: World) -> None:
    assert client.get(f"{LIST}999999/").status_code == 404
    assert client.get(f"{LIST}abc/").status_code == 404


def test_detail_ignores_list_filters(client, world: World) -> None:
    assert client.get(f"{LIST}{world.c1.pk}/?country=FR").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", LIST), ("put", "detail"), ("patch", "detail"), ("delete", "detail")],
)
def test_api_is_read_only(client, world: World, method: str, path: str) -> None:
    url = f"{LIST}{world.c1.pk}/" if path == "detail" else path
    before = Commitment.objects.values().get(pk=world.c1.pk)

    response = getattr(client, method)(url, {"title": "Changed"}, format="json")

    assert response.status_code == 405
    assert Commitment.objects.count() == 7
    assert Commitment.objects.values().get(pk=world.c1.pk) == before


# Filters: the directory's, with its semantics -----------------------------------------------

FILTERS: list[tuple[Callable[[World], dict[str, Any]], Callable[[World], set[int]]]] = [
    (lambda w: {}, lambda w: {w.c1.pk, w.c2.pk, w.c3.pk}),
    (lambda w: {"q": "solar"}, lambda w: {w.c3.pk}),
    (lambda w: {"q": "coop"}, lambda w: {w.c1.pk}),  # prefix of "cooperatives"
    (lambda w: {"q": "women"}, lambda w: {w.c1.pk, w.c2.pk, w.c3.pk}),  # in every description
    (lambda w: {"q": "Hidden"}, lambda w: set()),  # only a non-public title has it
    (lambda w: {"programme": "equality-forum"}, lambda w: {w.c1.pk, w.c2.pk}),
    (lambda w: {"programme": "ocean-conference"}, lambda w: {w.c3.pk}),
    (lambda w: {"theme": w.theme_a.pk}, lambda w: {w.c1.pk}),
    (lambda w: {"theme": w.theme_b.pk}, lambda w: {w.c2.pk}),
    (lambda w: {"type": "financial"}, lambda w: {w.c1.pk}),
    (lambda w: {"type": "advocacy"}, lambda w: {w.c2.pk}),
    (lambda w: {"category": "private_sector"}, lambda w: {w.c2.pk}),
    (lambda w: {"category": "government"}, lambda w: set()),
    (lambda w: {"country": "KE"}, lambda w: {w.c1.pk}),
    (lambda w: {"country": "UG"}, lambda w: {w.c1.pk}),
    (lambda w: {"region": "002"}, lambda w: {w.c1.pk, w.c3.pk}),  # Africa, by countries
    (lambda w: {"region": "150"}, lambda w: {w.c2.pk}),  # Europe, named and by country
    (lambda w: {"region": "155"}, lambda w: {w.c2.pk}),  # Western Europe, by France
    (lambda w: {"sdg": 5}, lambda w: {w.c1.pk, w.c3.pk}),
    (lambda w: {"sdg": 4}, lambda w: {w.c2.pk}),
    (lambda w: {"status": "featured"}, lambda w: {w.c2.pk}),
    (lambda w: {"status": "confirmed"}, lambda w: {w.c1.pk, w.c3.pk}),
    (lambda w: {"sdg": 5, "country": "TZ", "q": "clinics"}, lambda w: {w.c3.pk}),
    (lambda w: {"programme": "equality-forum", "sdg": 7}, lambda w: set()),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_filters_match_the_directory(client, world: World, query, expected) -> None:
    params = query(world)

    response = client.get(LIST, params)

    assert response.status_code == 200
    assert set(ids(response)) == expected(world)
    directory = CommitmentFilter(
        {k: str(v) for k, v in params.items()}, queryset=public_commitments()
    )
    assert directory.is_valid()
    assert set(directory.qs.values_list("pk", flat=True)) == expected(world)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "ke"}, "country"),
        ({"region": "999"}, "region"),
        ({"sdg": "18"}, "sdg"),
        ({"sdg": "five"}, "sdg"),
        ({"type": "grant"}, "type"),
        ({"category": "company"}, "category"),
        ({"status": "draft"}, "status"),
        ({"programme": "no-such-programme"}, "programme"),
        ({"programme": "secret-forum"}, "programme"),  # unpublished
        ({"theme": "999999"}, "theme"),
        ({"theme": "hidden"}, "theme"),
    ],
)
def test_invalid_filter_is_400_naming_the_parameter(client, world: World, params, name) -> None:
    response = client.get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert len(response.json()[name]) == 1


def test_theme_of_an_unpublished_programme_is_invalid(client, world: World) -> None:
    response = client.get(LIST, {"theme": world.theme_hidden.pk})

    assert response.status_code == 400
    assert list(response.json()) == ["theme"]


# Pagination -------------------------------------------------------------------------------


def test_pages_of_fifty(client, world: World) -> None:
    theme = world.theme_other
    extra = []
    for n in range(50):
        c = make_commitment(
            theme=theme,
            organisation=world.lead_other,
            status=Commitment.Status.CONFIRMED,
            submitted_at=NOW - dt.timedelta(days=10, minutes=n),
        )
        extra.append(c.pk)
    # The 53 public commitments, newest submission first.
    expected = [world.c2.pk, world.c1.pk, world.c3.pk, *extra]

    first = client.get(LIST).json()
    second = client.get(LIST, {"page": 2}).json()

    assert first["count"] == 53
    assert len(first["results"]) == 50
    assert first["next"] == "http://testserver/api/v1/commitments/?page=2"
    assert first["previous"] is None
    assert second["count"] == 53
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/commitments/"
    assert [r["id"] for r in first["results"] + second["results"]] == expected
    assert client.get(LIST, {"page": 3}).status_code == 404


def test_pagination_keeps_the_filters(client, world: World) -> None:
    for n in range(50):
        c = make_commitment(
            theme=world.theme_other,
            organisation=world.lead_other,
            status=Commitment.Status.CONFIRMED,
            submitted_at=NOW - dt.timedelta(days=10, minutes=n),
        )
        relate(c, themes=[world.theme_other], types=["programmatic"], countries=["TZ"])

    first = client.get(LIST, {"country": "TZ"}).json()

    assert first["count"] == 51  # c3 and the 50 new ones
    assert first["next"] == "http://testserver/api/v1/commitments/?country=TZ&page=2"


def test_equal_submission_times_are_ordered_by_id(client, world: World) -> None:
    Commitment.objects.filter(pk__in=world.public_ids).update(submitted_at=NOW)

    assert ids(client.get(LIST)) == sorted(world.public_ids, reverse=True)


# Queries ----------------------------------------------------------------------------------


def _rich_commitment(theme, lead, n: int) -> Commitment:
    commitment = make_commitment(
        theme=theme,
        organisation=lead,
        status=Commitment.Status.CONFIRMED,
        submitted_at=NOW - dt.timedelta(days=n),
        endorsement_level=EndorsementLevel.MINISTER,
    )
    relate(
        commitment,
        themes=[theme],
        types=["financial", "policy", "advocacy"],
        countries=["KE", "UG", "TZ"],
        regions=["002", "202"],
        goals=[5, 8, 10],
        targets=["5.1", "5.a", "8.5"],
        actions=list(theme.actions.all()),
    )
    for i in range(2):
        co = organisation(f"Co {n}-{i}", f"co-{n}-{i}", "civil_society", "KE")
        CoMaker.objects.create(commitment=commitment, organisation=co, confirmed_at=NOW)
    AssessmentOverride.objects.create(commitment=commitment, criterion="smart", met=False, note="x")
    return commitment


def _queries(client: APIClient, params: dict[str, Any]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_a_set_the_planner_expects_large_is_counted_exactly_without_the_one_pass(
    client, db, monkeypatch
) -> None:
    """The API's count stays exact: a large expected set is counted (COUNT) and paged, without
    materialising rows first."""
    if not pagination.estimates(connection.vendor):
        pytest.skip("PostgreSQL's planner is asked; SQLite always tries the one pass")
    programme = make_programme()
    theme = make_theme(programme=programme)
    lead = organisation("Lead", "lead", "civil_society", "KE")
    for i in (1, 2, 3):
        _rich_commitment(theme, lead, i)
    monkeypatch.setattr(pagination, "_expected_rows", lambda connection, queryset: 10.0**7)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert response.json()["count"] == 3
    assert not any(q.startswith("WITH matched") for q in sql)
    assert any("COUNT(*)" in q for q in sql)


@pytest.mark.parametrize(
    ("params", "filter_queries"),
    [({}, 0), ({"country": "KE", "sdg": "5", "theme": "THEME", "q": "women"}, 3)],
)
def test_query_count_does_not_grow_with_the_page(client, db, params, filter_queries) -> None:
    programme = make_programme()
    theme = make_theme(programme=programme)
    make_action(theme=theme)
    make_action(theme=theme)
    lead = organisation("Lead", "lead", "civil_society", "KE")
    params = {k: (theme.pk if v == "THEME" else v) for k, v in params.items()}

    _rich_commitment(theme, lead, 1)
    one, count_one = _queries(client, params)
    _rich_commitment(theme, lead, 2)
    _rich_commitment(theme, lead, 3)
    three, count_three = _queries(client, params)

    assert (count_one, count_three) == (1, 3)
    # count + page + 9 prefetches (types, themes, actions, goals, targets, countries,
    # regions, co-makers with their organisations, overrides) + the page's status lights
    # (cycles, submitted reports), plus one query per model-choice filter to validate its
    # value; on PostgreSQL the planner's estimate of the rows first (one EXPLAIN).
    estimate = pagination.estimates(connection.vendor)
    assert one == three == 13 + filter_queries + estimate


def test_the_hand_built_representation_equals_drfs_own(client, world: World) -> None:
    # CommitmentSerializer.to_representation reads relations from the prefetch by hand; DRF's
    # generic walk over the declared fields must give the same, with and without a prefetch.
    from rest_framework import serializers as drf
    from rest_framework.test import APIRequestFactory

    from pledgebook.api.serializers import CommitmentSerializer
    from pledgebook.commitments.exports import with_relations

    rich = _rich_commitment(world.theme_a, world.c1.organisation, 3)
    CoMaker.objects.create(
        commitment=rich,
        organisation=organisation("Pending", "pending", "youth_led", "UG"),
        confirmed_at=None,
    )
    Commitment.objects.filter(pk=rich.pk).update(amount=None, starts_on=None, currency=None)
    request = APIRequestFactory().get(LIST)
    context = {"request": request, "status_lights": None}
    rows = Commitment.objects.filter(pk__in=[world.c1.pk, world.c3.pk, rich.pk]).order_by("pk")
    compared = 0
    for queryset in (with_relations(rows), rows):
        for commitment in queryset:
            serializer = CommitmentSerializer(commitment, context=context)
            generic = drf.ModelSerializer.to_representation(serializer, commitment)
            assert serializer.data == generic
            compared += 1
    assert compared == 6
    assert any(
        len(r["co_makers"]) == 2
        for r in [CommitmentSerializer(c, context=context).data for c in with_relations(rows)]
    )
