"""The partner finder (pledgebook.portal.finder): ranked suggestions with reasons whose
weights add up to the score, for a coalition, a commitment and an organisation, in a fixed
number of queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pledgebook.coalitions.models import Coalition
from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.organisations.models import Category as C
from pledgebook.portal import finder
from pledgebook.portal.finder import suggest
from tests import factories
from tests.portal import factories_finder as ff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme, theme):
    """A coalition of a Kenyan women's organisation on plastic in women's fisheries, and
    organisations with public work around it."""
    women = ff.org("Kenya Women Network", C.WOMEN, "KE")
    nordic = ff.org("Nordic Foundation", C.PHILANTHROPY, "NO")
    farmers = ff.org("Malawi Farmers Union", C.FARMERS, "MW", grassroots=True)
    fiji = ff.org("Fiji Ocean Institute", C.ACADEMIA, "FJ")
    quiet = ff.org("Kenya Civic Forum", C.CIVIL_SOCIETY, "KE")  # nothing public: never shown
    mine = ff.coalition(
        programme,
        "Clean oceans for women fishers",
        [women],
        summary="Removing plastic pollution from coastal fisheries run by women",
    )
    ff.public_commitment(theme, nordic)
    ff.public_commitment(theme, farmers)
    ff.coalition(
        programme,
        "Plastic-free seas",
        [fiji],
        summary="Ending plastic waste in the ocean around small islands",
    )
    factories.CommitmentFactory(theme=theme, organisation=quiet)  # a draft: not public
    return {
        "women": women,
        "nordic": nordic,
        "farmers": farmers,
        "fiji": fiji,
        "quiet": quiet,
        "coalition": mine,
    }


def _table(suggestions):
    return [
        (s.organisation.name, s.score, [(r.kind, r.text, r.weight) for r in s.reasons])
        for s in suggestions
    ]


def test_a_coalition_gets_ranked_suggestions_with_their_reasons(world):
    found = suggest(world["coalition"])
    assert _table(found) == [
        (
            "Fiji Ocean Institute",
            9,
            [
                (
                    "similar",
                    "Similar work: “Plastic-free seas” is close in meaning to the coalition",
                    4,
                ),
                ("cross_border", "South-South: Kenya and Fiji (small island developing State)", 3),
                (
                    "lacking",
                    "Unusual partner: the coalition has no university or other education and "
                    "academic institution yet",
                    2,
                ),
            ],
        ),
        (
            "Nordic Foundation",
            9,
            [
                (
                    "complementary",
                    "Complementary: a women's organisation and a philanthropy: reach in "
                    "communities and funding (Kenya Women Network with Nordic Foundation)",
                    4,
                ),
                ("cross_border", "North-South: Norway, a developed country, and Kenya", 3),
                (
                    "lacking",
                    "Unusual partner: the coalition has no philanthropy and foundations yet",
                    2,
                ),
            ],
        ),
        (
            "Malawi Farmers Union",
            6,
            [
                (
                    "cross_border",
                    "Intra-regional: Kenya and Malawi (least developed country, landlocked "
                    "developing country), in Africa",
                    2,
                ),
                ("lacking", "Unusual partner: the coalition has no farmers' organisation yet", 2),
                ("grassroots", "Unusual partner: a grassroots or informal-economy actor", 2),
            ],
        ),
    ]


def test_every_score_is_the_sum_of_its_reasons_weights(world):
    found = suggest(world["coalition"])
    assert found
    for s in found:
        assert s.reasons
        assert s.score == sum(r.weight for r in s.reasons)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_the_page_shows_each_reason_and_a_score_that_adds_them_up(client, world):
    page = client.get(reverse("public:coalition_partners", args=[world["coalition"].slug]))
    assert page.status_code == 200
    html = page.content.decode()
    items = re.findall(r'<li class="partner-suggestion">(.*?)</li>\s*</ul>', html, re.S)
    assert len(items) == 3
    for item in items:
        score = int(re.search(r"Score: (\d+) points?", item).group(1))
        points = [int(n) for n in re.findall(r"\(\+(\d+) points?\)", item)]
        assert points and score == sum(points)
    assert "South-South: Kenya and Fiji (small island developing State)" in html


def test_members_and_organisations_without_public_work_are_never_suggested(world):
    names = {s.organisation.name for s in suggest(world["coalition"])}
    assert "Kenya Women Network" not in names  # a member
    assert "Kenya Civic Forum" not in names  # only a draft


def test_a_commitment_leaves_out_its_lead_and_confirmed_co_makers(world, theme):
    commitment = ff.public_commitment(theme, world["women"])
    CoMaker.objects.create(
        commitment=commitment, organisation=world["nordic"], confirmed_at=commitment.created_at
    )
    found = {s.organisation.name: s for s in suggest(commitment)}
    assert "Kenya Women Network" not in found
    assert "Nordic Foundation" not in found
    # Its text was indexed on the way (commitments are indexed when confirmed or first asked).
    assert finder.engine.get_index().vector(finder.COMMITMENT_KIND, commitment.pk) is not None
    # A grassroots organisation next to the co-maker's funding; "lacking": no farmers yet.
    assert [r.kind for r in found["Malawi Farmers Union"].reasons] == [
        "complementary",
        "cross_border",
        "lacking",
        "grassroots",
    ]


def test_an_organisation_is_compared_by_its_own_work(world):
    found = {s.organisation.name: s for s in suggest(world["women"])}
    assert [r.kind for r in found["Fiji Ocean Institute"].reasons] == ["similar", "cross_border"]
    # "Lacks a category" is for a coalition or a commitment, not for one organisation.
    assert all(r.kind != "lacking" for s in found.values() for r in s.reasons)


def test_an_organisation_is_not_offered_the_partners_it_already_has(world, theme):
    ff.coalition_member(world["coalition"], world["farmers"])
    led = ff.public_commitment(theme, world["women"])
    CoMaker.objects.create(
        commitment=led, organisation=world["nordic"], confirmed_at=led.created_at
    )
    names = {s.organisation.name for s in suggest(world["women"])}
    assert names == {"Fiji Ocean Institute"}


def test_grassroots_next_to_a_funder_is_complementary(programme, theme):
    funder = ff.org("Acme Bank", C.FINANCIAL_INSTITUTION, "KE")
    grass = ff.org("Nairobi Street Vendors", C.CIVIL_SOCIETY, "KE", grassroots=True)
    ff.public_commitment(theme, grass)
    found = suggest(funder)
    assert _table(found) == [
        (
            "Nairobi Street Vendors",
            6,
            [
                (
                    "complementary",
                    "Complementary: a grassroots organisation with this organisation's funders",
                    4,
                ),
                ("grassroots", "Unusual partner: a grassroots or informal-economy actor", 2),
            ],
        )
    ]


def test_the_table_of_complementary_pairs_works_either_way_round():
    assert finder.complementary(C.WOMEN, C.PHILANTHROPY) == finder.complementary(
        C.PHILANTHROPY, C.WOMEN
    )
    assert finder.complementary(C.CIVIL_SOCIETY, C.GOVERNMENT) is not None
    assert finder.complementary(C.WOMEN, C.WOMEN) is None


def test_a_fixed_number_of_queries_whatever_the_number_of_candidates(
    world, programme, theme, django_assert_num_queries
):
    coalition = world["coalition"]
    suggest(coalition)  # the engine's index is built once per process
    with django_assert_num_queries(QUERIES):
        assert len(suggest(coalition)) == 3
    for i in range(15):
        ff.public_commitment(theme, ff.org(f"Foundation {i}", C.PHILANTHROPY, "DE"))
    ff.coalition(programme, "Plastic-free seas 2", [ff.org("Tonga Lab", C.SCIENCE, "TO")])
    suggest(coalition)
    with django_assert_num_queries(QUERIES):
        assert len(suggest(coalition)) == finder.SHOWN


#: members, the engine's freshness check, the
#: organisations of similar coalitions and commitments (2), the pool, the candidates.
QUERIES = 6


def test_an_ended_coalition_is_not_a_source_of_similar_work(world, programme):
    ended = Coalition.objects.get(name="Plastic-free seas")
    ended.state = Coalition.State.MERGED
    ended.save()
    names = {s.organisation.name for s in suggest(world["coalition"])}
    assert "Fiji Ocean Institute" not in names


def test_confirming_a_commitment_indexes_its_text(theme):
    from pledgebook.commitments import domain as commitments_domain

    secretariat = factories.staff(theme.programme)
    commitment = factories.CommitmentFactory(theme=theme, status=Commitment.Status.IN_REVIEW)
    commitments_domain.confirm_commitment(actor=secretariat, commitment=commitment)
    assert finder.engine.get_index().vector(finder.COMMITMENT_KIND, commitment.pk) is not None
