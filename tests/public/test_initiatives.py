"""The public directory shows one initiative once, with its registrants; each commitment page
lists the other registrations.  Query counts stay constant (exact)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledgebook.commitments import initiatives
from pledgebook.commitments.models import Commitment
from pledgebook.core import pagination
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db


def queries(client, url: str, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def rows(response) -> list[tuple[str, list[str]]]:
    return [
        (c.title, [o.organisation.name for o in c.registrants])
        for c in response.context["page_obj"].object_list
    ]


def registered_by(theme, title: str, name: str, **kwargs) -> Commitment:
    org = factories.OrganisationFactory(name=name)
    return commitment_in(theme, title=title, organisation=org, **kwargs)


@pytest.fixture
def secretary(programme):
    return factories.staff(programme)


def test_a_linked_initiative_shows_once_with_its_registrants(client, theme, secretary):
    first = registered_by(theme, "Blue carbon in Senegal", "Océanium")
    second = registered_by(theme, "Blue carbon for Senegal", "WWF Senegal")
    registered_by(theme, "Plastic-free beaches", "Surfrider")
    initiatives.link(actor=secretary, commitment=second, other=first)
    _n, response = queries(client, reverse("public:directory"))
    assert sorted(rows(response)) == [
        ("Blue carbon in Senegal", ["WWF Senegal"]),
        ("Plastic-free beaches", []),
    ]
    assert "also registered by" in response.content.decode()
    # The secretariat chooses the other one to represent it.
    initiatives.make_primary(actor=secretary, commitment=second)
    _n, response = queries(client, reverse("public:directory"))
    assert sorted(rows(response)) == [
        ("Blue carbon for Senegal", ["Océanium"]),
        ("Plastic-free beaches", []),
    ]


def test_a_representative_that_is_not_public_leaves_the_next_one(client, theme, secretary):
    first = registered_by(theme, "Blue carbon in Senegal", "Océanium")
    second = registered_by(theme, "Blue carbon for Senegal", "WWF Senegal", status="in_review")
    initiatives.link(actor=secretary, commitment=second, other=first)
    initiatives.make_primary(actor=secretary, commitment=second)
    _n, response = queries(client, reverse("public:directory"))
    assert rows(response) == [("Blue carbon in Senegal", [])]


def test_a_programme_list_shows_its_own_registration(client, theme, secretary):
    first = registered_by(theme, "Blue carbon in Senegal", "Océanium")
    other_theme = factories.ThemeFactory()
    second = registered_by(other_theme, "Blue carbon for Senegal", "WWF Senegal")
    initiatives.link(actor=secretary, commitment=first, other=second)
    _n, response = queries(client, reverse("public:directory"))
    assert rows(response) == [("Blue carbon in Senegal", ["WWF Senegal"])]
    _n, response = queries(
        client, reverse("public:directory"), {"programme": other_theme.programme.slug}
    )
    assert rows(response) == [("Blue carbon for Senegal", ["Océanium"])]


def test_directory_queries_do_not_grow_with_linked_rows(client, theme, secretary):
    estimate = pagination.estimates(connection.vendor)
    registered_by(theme, "Alone", "Org 0")
    alone, _response = queries(client, reverse("public:directory"))
    assert alone == 11 + estimate  # as tests/public/test_query_counts.py: nothing linked
    a = registered_by(theme, "A", "Org A")
    initiatives.link(actor=secretary, commitment=registered_by(theme, "A bis", "Org A2"), other=a)
    one, response = queries(client, reverse("public:directory"))
    assert len(rows(response)) == 2
    for i in range(3):
        b = registered_by(theme, f"B{i}", f"Org B{i}")
        for j in range(2):
            initiatives.link(
                actor=secretary,
                commitment=registered_by(theme, f"B{i} bis {j}", f"Org B{i}-{j}"),
                other=b,
            )
    three, response = queries(client, reverse("public:directory"))
    assert len(rows(response)) == 5
    # The registrants of the page's linked rows: one query more, however many.
    assert one == three == 12 + estimate


def test_the_commitment_page_lists_the_other_registrations(client, theme, secretary):
    first = registered_by(theme, "Blue carbon in Senegal", "Océanium")
    second = registered_by(theme, "Blue carbon for Senegal", "WWF Senegal")
    hidden = registered_by(theme, "Blue carbon, Senegal", "Draft Org", status="in_review")
    initiatives.link(actor=secretary, commitment=second, other=first)
    initiatives.link(actor=secretary, commitment=hidden, other=first)
    before, _response = queries(client, reverse("public:commitment", kwargs={"pk": first.pk}))
    response = client.get(reverse("public:commitment", kwargs={"pk": first.pk}))
    assert [c.title for c in response.context["other_registrations"]] == ["Blue carbon for Senegal"]
    html = response.content.decode()
    assert "Also registered by" in html
    assert "WWF Senegal" in html
    assert "Draft Org" not in html
    initiatives.unlink(actor=secretary, commitment=first)
    after, response = queries(client, reverse("public:commitment", kwargs={"pk": first.pk}))
    assert response.context["other_registrations"] == []
    assert before == after + 1  # the other registrations: one query, none when not linked


@pytest.mark.parametrize("primary", ["first", "second"])
def test_a_filter_that_leaves_out_the_representative_shows_the_registration_it_keeps(
    client, theme, secretary, primary
):
    first = registered_by(theme, "Mangrove carbon in Senegal", "Océanium")
    second = registered_by(theme, "Seagrass meadows of Senegal", "WWF Senegal")
    registered_by(theme, "Seagrass nurseries in Kenya", "Kenya Marine")
    initiatives.link(actor=secretary, commitment=second, other=first)
    if primary == "second":
        initiatives.make_primary(actor=secretary, commitment=second)
    # Each registration is found by its own words, with the other as its registrant.
    _n, response = queries(client, reverse("public:directory"), {"q": "seagrass"})
    assert sorted(rows(response)) == [
        ("Seagrass meadows of Senegal", ["Océanium"]),
        ("Seagrass nurseries in Kenya", []),
    ]
    _n, response = queries(client, reverse("public:directory"), {"q": "mangrove"})
    assert rows(response) == [("Mangrove carbon in Senegal", ["WWF Senegal"])]
    # Both match: the initiative still shows once, by its representative.
    _n, response = queries(client, reverse("public:directory"), {"q": "senegal"})
    shown = "Mangrove carbon in Senegal" if primary == "first" else "Seagrass meadows of Senegal"
    assert [title for title, _ in rows(response)] == [shown]
