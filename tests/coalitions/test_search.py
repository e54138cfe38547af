"""Search of the coalition network: full text (FTS5 / PostgreSQL GIN), semantic ranking
through the similarity engine, and every facet, with exact id sets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.http import QueryDict

from pledgebook.coalitions import search
from pledgebook.coalitions.filters import CoalitionFilter, facet_counts, public_coalitions
from pledgebook.coalitions.models import Coalition, CoalitionSettings, Membership
from pledgebook.programmes.models import Programme, Theme
from pledgebook.similarity import engine
from tests import factories

pytestmark = pytest.mark.django_db


@dataclass
class Network:
    p1: Programme
    p2: Programme
    theme: Theme
    plastic: Coalition
    air: Coalition
    bonds: Coalition
    hidden: list[Coalition]


def coalition(programme: Programme, name: str, summary: str, state: str, **kw: Any) -> Coalition:
    return Coalition.objects.create(
        programme=programme,
        name=name,
        slug=name.lower().replace(" ", "-"),
        summary=summary,
        state=state,
        **kw,
    )


def member(c: Coalition, country: str, category: str, **kw: Any) -> Membership:
    org = factories.OrganisationFactory(country_id=country, category=category)
    return Membership.objects.create(
        coalition=c, organisation=org, status=kw.pop("status", Membership.Status.ACTIVE), **kw
    )


def build_network(programme: Programme, *, index: bool = False) -> Network:
    p2 = factories.ProgrammeFactory(slug="ocean-summit", name="Ocean summit")
    unpublished = factories.ProgrammeFactory(is_published=False)
    private = factories.ProgrammeFactory()
    CoalitionSettings.objects.create(programme=private, shares_network=False)
    theme = factories.ThemeFactory(programme=programme, name="Oceans")
    plastic = coalition(
        programme,
        "Blue Pacific Litter Alliance",
        "Fishers and reef communities removing marine debris from Pacific beaches.",
        Coalition.State.ACTIVE,
    )
    plastic.themes.add(theme)
    plastic.goals.add(14)
    member(plastic, "FJ", "civil_society", role=Membership.Role.LEAD)
    member(plastic, "FR", "private_sector", status=Membership.Status.INVITED)
    air = coalition(
        programme,
        "Breathe Cities Coalition",
        "Mayors cutting soot and smog from urban traffic.",
        Coalition.State.ACCEPTED,
    )
    air.goals.add(3, 11)
    member(air, "KE", "youth_led", role=Membership.Role.LEAD)
    bonds = coalition(
        p2,
        "Green Bonds Network",
        "Investors financing solar and wind farms in emerging markets.",
        Coalition.State.CLOSED,
    )
    bonds.goals.add(7)
    member(bonds, "FR", "private_sector", role=Membership.Role.LEAD)
    Membership.objects.create(
        coalition=bonds,
        invited_email="fund@example.org",
        invited_name="Sun Fund",
        invited_category="philanthropy",
        invited_country_id="KE",
        status=Membership.Status.ACTIVE,
    )
    hidden = [
        coalition(
            programme, "Marine Debris Watch", "Plastic litter on island beaches.", "proposed"
        ),
        coalition(unpublished, "Island Plastic Pact", "Plastic pollution in islands.", "active"),
        coalition(private, "Private Plastic Club", "Plastic pollution in islands.", "active"),
        coalition(programme, "Merged Ocean Group", "Plastic pollution.", "merged"),
    ]
    network = Network(programme, p2, theme, plastic, air, bonds, hidden)
    if index:
        for c in [plastic, air, bonds, *hidden]:
            engine.index_text(search.KIND, c.pk, search.similarity_text(c))
    return network


def ids(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def filtered(**params: Any) -> list[Coalition]:
    data = QueryDict(mutable=True)
    data.update({k: str(v) for k, v in params.items()})
    f = CoalitionFilter(data, queryset=public_coalitions())
    assert f.is_valid(), f.errors
    return list(f.qs)


@pytest.fixture
def net(programme: Programme) -> Network:
    return build_network(programme)


def test_public_network_excludes_proposed_merged_unpublished_and_private(net) -> None:
    assert ids(public_coalitions()) == {net.plastic.pk, net.air.pk, net.bonds.pk}


def test_full_text_every_word_as_prefix(net) -> None:
    assert {c.pk for c in filtered(q="debris")} == {net.plastic.pk}
    assert {c.pk for c in filtered(q="marin pacif")} == {net.plastic.pk}
    assert {c.pk for c in filtered(q="coalition")} == {net.air.pk}
    assert {c.pk for c in filtered(q="smog solar")} == set()
    # Hidden coalitions never match, though their words do.
    assert {c.pk for c in filtered(q="plastic")} == set()


def test_full_text_follows_edits(net) -> None:
    net.air.summary = "Mayors planting urban forests."
    net.air.save()
    assert {c.pk for c in filtered(q="forests")} == {net.air.pk}
    assert {c.pk for c in filtered(q="smog")} == set()


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("programme", "P1", {"plastic", "air"}),
        ("programme", "ocean-summit", {"bonds"}),
        ("theme", "THEME", {"plastic"}),
        ("sdg", 14, {"plastic"}),
        ("sdg", 11, {"air"}),
        ("sdg", 5, set()),
        ("region", "009", {"plastic"}),  # Oceania (Fiji)
        ("region", "054", {"plastic"}),  # Melanesia: a sub-region
        ("region", "002", {"air", "bonds"}),  # Africa: Kenya, and an invited member in Kenya
        ("region", "150", {"bonds"}),  # Europe: the invited (not active) French member is not
        ("category", "youth_led", {"air"}),
        ("category", "private_sector", {"bonds"}),
        ("category", "philanthropy", {"bonds"}),
        ("state", "active", {"plastic"}),
        ("state", "accepted", {"air"}),
        ("state", "closed", {"bonds"}),
    ],
)
def test_each_facet_filter(net, param: str, value: Any, expected: set[str]) -> None:
    if value == "P1":
        value = net.p1.slug
    if value == "THEME":
        value = net.theme.pk
    names = {"plastic": net.plastic.pk, "air": net.air.pk, "bonds": net.bonds.pk}
    assert {c.pk for c in filtered(**{param: value})} == {names[n] for n in expected}


def test_invalid_filter_values_are_errors(net) -> None:
    for params in ({"state": "proposed"}, {"sdg": "99"}, {"programme": "nope"}):
        f = CoalitionFilter(QueryDict(mutable=True) | params, queryset=public_coalitions())
        assert not f.is_valid()
        assert set(f.errors) == set(params)


def test_facet_counts(net) -> None:
    counts = facet_counts(public_coalitions())
    by_value = {k: {e["value"]: e["count"] for e in v} for k, v in counts.items()}

    assert by_value == {
        "programme": {net.p1.slug: 2, "ocean-summit": 1},
        "theme": {net.theme.pk: 1},
        "sdg": {3: 1, 7: 1, 11: 1, 14: 1},
        "region": {"002": 2, "009": 1, "150": 1},
        "category": {"civil_society": 1, "youth_led": 1, "private_sector": 1, "philanthropy": 1},
        "state": {"active": 1, "accepted": 1, "closed": 1},
    }
    # Largest count first, then by label.
    assert [(e["label"], e["count"]) for e in counts["region"]] == [
        ("Africa", 2),
        ("Europe", 1),
        ("Oceania", 1),
    ]
    # Counts follow the filters: only the programme's two coalitions.
    narrowed = facet_counts(public_coalitions().filter(programme=net.p1))
    assert [(e["value"], e["count"]) for e in narrowed["region"]] == [("002", 1), ("009", 1)]
    assert narrowed["programme"] == [{"value": net.p1.slug, "label": net.p1.name, "count": 2}]


def test_semantic_search_finds_meaning_without_the_words(programme) -> None:
    net = build_network(programme, index=True)
    query = "coalitions working on plastic pollution in small island states"

    # Only what is close in meaning (never a hidden coalition, though they are about plastic):
    # the clean-air and green-bonds coalitions are below the search cut-off.
    assert filtered(semantic=query) == [net.plastic]
    assert filtered(semantic="clean air for city dwellers") == [net.air]
    assert filtered(semantic="investment in renewable energy") == [net.bonds]


def test_a_description_close_to_nothing_returns_nothing(programme) -> None:
    build_network(programme, index=True)
    assert filtered(semantic="chocolate cake recipe with dark chocolate") == []
    assert filtered(semantic="learning to play the violin") == []


def test_semantic_combines_with_facets_and_full_text(programme) -> None:
    net = build_network(programme, index=True)
    query = "coalitions working on plastic pollution in small island states"

    assert filtered(semantic="investment in renewable energy", programme="ocean-summit") == [
        net.bonds
    ]
    assert filtered(semantic="clean air for city dwellers", sdg=3) == [net.air]
    assert filtered(semantic="investment in renewable energy", q="bonds") == [net.bonds]
    # A facet keeps only coalitions that are not close: nothing, not the facet's others.
    assert filtered(semantic=query, programme="ocean-summit") == []
    assert filtered(semantic=query, state="accepted", category="civil_society") == []


def test_unindexed_coalitions_are_not_semantic_hits(net) -> None:
    assert filtered(semantic="plastic pollution in small island states") == []
