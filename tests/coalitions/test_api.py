"""/api/v1/coalitions/: the directory's filters (with semantic=), pagination, the detail with
principles, asks, members (never e-mails), milestones, themes, SDGs; 404 for what is not
public."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from pledgebook.coalitions.models import Ask, Milestone, Principle
from tests.coalitions.test_search import build_network

pytestmark = pytest.mark.django_db
URL = "/api/v1/coalitions/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["slug"] for c in response.json()["results"]]


def test_list_and_filters(api, programme) -> None:
    net = build_network(programme)

    response = api.get(URL)
    body = response.json()
    assert body["count"] == 3
    assert slugs(response) == [net.plastic.slug, net.air.slug, net.bonds.slug]
    first = body["results"][0]
    assert first == {
        "slug": net.plastic.slug,
        "name": "Blue Pacific Litter Alliance",
        "url": f"http://testserver/coalitions/{net.plastic.slug}/",
        "programme": programme.slug,
        "state": "active",
        "summary": net.plastic.summary,
        "website": "",
        "is_pre_existing": False,
        "themes": [{"id": net.theme.pk, "slug": net.theme.slug, "name": "Oceans"}],
        "goals": [14],
    }
    assert slugs(api.get(URL, {"q": "debris"})) == [net.plastic.slug]
    assert slugs(api.get(URL, {"programme": "ocean-summit"})) == [net.bonds.slug]
    assert slugs(api.get(URL, {"sdg": 11})) == [net.air.slug]
    assert slugs(api.get(URL, {"region": "002"})) == [net.air.slug, net.bonds.slug]
    assert slugs(api.get(URL, {"category": "philanthropy"})) == [net.bonds.slug]
    assert slugs(api.get(URL, {"state": "closed"})) == [net.bonds.slug]
    assert slugs(api.get(URL, {"theme": net.theme.pk})) == [net.plastic.slug]


def test_invalid_filter_is_400(api, programme) -> None:
    build_network(programme)
    response = api.get(URL, {"state": "proposed"})
    assert response.status_code == 400
    assert set(response.json()) == {"state"}


def test_semantic_query(api, programme) -> None:
    net = build_network(programme, index=True)
    found = slugs(
        api.get(URL, {"semantic": "coalitions working on plastic pollution in small island states"})
    )
    # Only the close match: the clean-air and green-bonds coalitions are not about it.
    assert found == [net.plastic.slug]


def test_a_semantic_query_about_nothing_in_the_network_returns_nothing(api, programme) -> None:
    build_network(programme, index=True)
    response = api.get(URL, {"semantic": "chocolate cake recipe with dark chocolate"})
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert slugs(response) == []


def test_pagination(api, programme, monkeypatch) -> None:
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    net = build_network(programme)
    first = api.get(URL).json()
    assert [c["slug"] for c in first["results"]] == [net.plastic.slug, net.air.slug]
    assert first["next"].endswith("/api/v1/coalitions/?page=2")
    assert slugs(api.get(URL, {"page": 2})) == [net.bonds.slug]


def test_detail(api, programme) -> None:
    net = build_network(programme)
    Principle.objects.create(coalition=net.bonds, text="Finance follows science", position=0)
    Ask.objects.create(coalition=net.bonds, text="Green taxonomy by 2027", position=0)
    Milestone.objects.create(coalition=net.bonds, title="Launch", due_on=dt.date(2026, 5, 1))

    response = api.get(f"{URL}{net.bonds.slug}/")

    assert response.status_code == 200
    body = response.json()
    lead = net.bonds.memberships.get(role="lead").organisation
    assert body["principles"] == ["Finance follows science"]
    assert body["asks"] == ["Green taxonomy by 2027"]
    assert body["milestones"] == [{"title": "Launch", "due_on": "2026-05-01", "status": "planned"}]
    assert body["members"] == [
        {"name": lead.name, "category": "private_sector", "country": "FR", "role": "lead"},
        {"name": "Sun Fund", "category": "philanthropy", "country": "KE", "role": "member"},
    ]
    assert body["goals"] == [7]
    assert body["state"] == "closed"
    assert body["reported_members"] is None
    assert "example.org" not in response.content.decode()  # no e-mail address


def test_detail_lists_only_active_members(api, programme) -> None:
    net = build_network(programme)
    body = api.get(f"{URL}{net.plastic.slug}/").json()
    assert [(m["country"], m["role"]) for m in body["members"]] == [("FJ", "lead")]


def test_not_public_is_404(api, programme) -> None:
    net = build_network(programme)
    for hidden in net.hidden[:2] + net.hidden[3:]:  # proposed, unpublished, merged
        assert api.get(f"{URL}{hidden.slug}/").status_code == 404, hidden.name
    assert api.get(f"{URL}no-such-coalition/").status_code == 404
