"""The network directory page /coalitions/: rows, links to each coalition's page, search,
facets with counts, pagination and a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledgebook.coalitions import search
from pledgebook.coalitions.models import Coalition
from pledgebook.public import views_coalitions
from pledgebook.similarity import backlog, engine
from tests.coalitions.test_search import build_network, coalition, member

pytestmark = pytest.mark.django_db
URL = "/coalitions/"


def slugs(html: str) -> list[str]:
    return re.findall(r'class="coalition-row" data-slug="([^"]+)"', html)


def test_url_name() -> None:
    assert reverse("public:coalitions") == URL


def test_directory_lists_public_network_coalitions_linking_to_their_page(client, programme) -> None:
    net = build_network(programme)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert slugs(html) == [net.plastic.slug, net.air.slug, net.bonds.slug]  # by name
    assert f'href="{net.plastic.get_absolute_url()}"' in html
    assert "3 coalitions found." in html
    for hidden in net.hidden:
        assert hidden.name not in html


def test_search_and_facets_on_the_page(client, programme) -> None:
    net = build_network(programme)

    html = client.get(URL, {"q": "debris"}).content.decode()
    assert slugs(html) == [net.plastic.slug]
    html = client.get(URL, {"region": "002"}).content.decode()
    assert slugs(html) == [net.air.slug, net.bonds.slug]
    assert re.search(
        r'data-facet="region" data-value="002">Africa</a> <span class="count">\(2\)', html
    )
    # A facet link keeps the other filters and a selected one can be removed.
    assert 'aria-current="true" data-facet="region" data-value="002"' in html
    html = client.get(URL, {"category": "youth_led", "sdg": "11"}).content.decode()
    assert slugs(html) == [net.air.slug]
    html = client.get(URL, {"state": "proposed"}).content.decode()
    assert "Some filters could not be used" in html
    assert slugs(html) == []


def test_semantic_search_on_the_page(client, programme) -> None:
    net = build_network(programme, index=True)

    html = client.get(
        URL, {"semantic": "coalitions working on plastic pollution in small island states"}
    ).content.decode()

    assert slugs(html) == [net.plastic.slug]
    assert "Ordered by closeness in meaning to your description." in html


def test_semantic_search_says_when_coalitions_are_not_indexed_yet(client, programme) -> None:
    net = build_network(programme)  # nothing indexed
    query = {"semantic": "coalitions working on plastic pollution in small island states"}
    notice = "are not indexed for this search yet: the results may be incomplete."

    assert f"3 coalitions {notice}" in client.get(URL, query).content.decode()

    for c in (net.plastic, net.air, net.bonds):
        engine.index_text(search.KIND, c.pk, search.similarity_text(c))
    html = client.get(URL, query).content.decode()
    assert "not indexed" not in html
    assert slugs(html)[0] == net.plastic.slug

    backlog.mark(search.KIND, [net.air.pk])  # its text changed: waiting for a batch
    html = client.get(URL, query).content.decode()
    assert "1 coalition is not indexed for this search yet: the results may be incomplete." in html
    assert "not indexed" not in client.get(URL, {"q": "plastic"}).content.decode()


def test_a_description_close_to_nothing_says_so(client, programme) -> None:
    build_network(programme, index=True)

    html = client.get(
        URL, {"semantic": "chocolate cake recipe with dark chocolate"}
    ).content.decode()

    assert slugs(html) == []
    assert "0 coalitions found." in html
    assert "No close matches: no coalition is close in meaning to your description." in html


def test_pagination(client, programme, monkeypatch) -> None:
    monkeypatch.setattr(views_coalitions, "PAGE_SIZE", 2)
    net = build_network(programme)

    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()

    assert slugs(first) == [net.plastic.slug, net.air.slug]
    assert slugs(second) == [net.bonds.slug]
    assert "Page 2 of 2" in second


def test_htmx_request_gets_the_body_only(client, programme) -> None:
    build_network(programme)
    response = client.get(URL, headers={"HX-Request": "true", "HX-Target": "coalitions"})
    assert "<html" not in response.content.decode()
    assert response["Vary"] == "HX-Request, HX-Target, Accept-Language"


def _queries(client, n: int, programme) -> int:
    for i in range(n):
        c = coalition(programme, f"Coalition {i}", f"Summary {i}", Coalition.State.ACTIVE)
        c.goals.add(i + 1)
        member(c, "KE", "civil_society", role="lead")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, {"category": "civil_society"}).status_code == 200
    Coalition.objects.all().delete()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(client, programme) -> None:
    one = _queries(client, 1, programme)
    three = _queries(client, 3, programme)
    # Choices of 4 filters, count, page, 3 prefetches, 6 facets (anonymous: no session).
    assert one == three == 15
