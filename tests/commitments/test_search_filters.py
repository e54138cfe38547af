"""Full-text search and the directory's filters (``commitments.search``, ``commitments.filters``),
on whichever database runs the suite: SQLite (FTS5) by default, PostgreSQL with
``DATABASE_URL=postgres://...``."""

import pytest
from django.db import connection

from pledgebook.commitments import search
from pledgebook.commitments.filters import CommitmentFilter, public_commitments
from pledgebook.commitments.models import Commitment, GeographicScope
from pledgebook.organisations.models import Category
from pledgebook.programmes.models import CommitmentType
from pledgebook.reference.models import Country, Goal, Region
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

S = Commitment.Status


def found(text: str) -> set[int]:
    return set(search.search(Commitment.objects.all(), text).values_list("id", flat=True))


def filtered(**params: str) -> list[int]:
    """Ids of public commitments matching the filter, in id order, duplicates kept."""
    f = CommitmentFilter(params, queryset=public_commitments())
    assert f.is_valid(), f.errors
    return sorted(f.qs.values_list("id", flat=True))


# Full-text search --------------------------------------------------------------------------


@pytest.fixture
def texts(theme):
    def make(title: str, description: str = "") -> int:
        return commitment_in(theme, title=title, description=description).pk

    return {
        "water": make("Clean water for rural schools", "Wells and sanitation in 40 villages."),
        "finance": make("Financing women-led cooperatives", "A fund for rural producers."),
        "school": make("Girls back to school", "Scholarships and clean toilets."),
        "education": make("Educación inclusiva para niñas", "Becas en 12 provincias."),
    }


def test_one_word_matches_title_or_description(texts):
    assert found("rural") == {texts["water"], texts["finance"]}
    assert found("scholarships") == {texts["school"]}


def test_a_word_is_matched_as_a_prefix(texts):
    assert found("fin") == {texts["finance"]}
    assert found("sch") == {texts["water"], texts["school"]}


def test_every_word_must_match(texts):
    assert found("rural schools") == {texts["water"]}
    assert found("clean rural") == {texts["water"]}
    assert found("rural scholarships") == set()


def test_case_does_not_matter(texts):
    assert found("CLEAN") == {texts["water"], texts["school"]}


def test_accented_words(texts):
    assert found("educación") == {texts["education"]}
    assert found("niñas") == {texts["education"]}
    # SQLite's FTS5 table uses ``remove_diacritics 2``: unaccented queries find accented
    # words.  PostgreSQL's 'simple' configuration keeps accents (unaccent is an extension we
    # do not install), so there the unaccented spelling finds nothing.
    expected = {texts["education"]} if connection.vendor == "sqlite" else set()
    assert found("educacion") == expected
    assert found("ninas") == expected


def test_blank_or_punctuation_only_query_leaves_the_rows_alone(texts):
    assert found("") == set(texts.values())
    assert found(" -- ") == set(texts.values())


def test_updated_title_is_found_and_the_old_one_is_not(texts):
    c = Commitment.objects.get(pk=texts["water"])
    c.title = "Mangrove restoration on the coast"
    c.save()
    assert found("mangrove") == {c.pk}
    assert found("schools") == set()
    # The description still matches.
    assert found("wells") == {c.pk}


def test_updated_description_is_found(texts):
    Commitment.objects.filter(pk=texts["finance"]).update(description="Seed grants for potters")
    assert found("potters") == {texts["finance"]}
    assert found("producers") == set()


def test_deleted_rows_vanish_from_search(texts):
    Commitment.objects.filter(pk=texts["school"]).delete()
    assert found("scholarships") == set()
    assert found("clean") == {texts["water"]}


def test_search_through_the_filter_sees_public_rows_only(theme, texts):
    draft = commitment_in(theme, status=S.DRAFT, title="Rural roads", description="Roads.")
    assert found("rural") == {texts["water"], texts["finance"], draft.pk}
    assert filtered(q="rural") == sorted([texts["water"], texts["finance"]])


# Filters -----------------------------------------------------------------------------------


@pytest.fixture
def world():
    """Two published programmes with look-alike themes, one unpublished programme, and
    commitments spread over types, categories, countries, regions, SDGs and states."""
    p1 = factories.ProgrammeFactory(slug="forum-a")
    p2 = factories.ProgrammeFactory(slug="forum-b")
    hidden = factories.ProgrammeFactory(slug="hidden", is_published=False)
    t1 = factories.ThemeFactory(programme=p1, slug="climate", name="Climate")
    t1b = factories.ThemeFactory(programme=p1, slug="economy", name="Economy")
    t2 = factories.ThemeFactory(programme=p2, slug="climate", name="Climate")
    th = factories.ThemeFactory(programme=hidden, slug="climate", name="Climate")

    def org(category: str, country: str = "KE"):
        return factories.OrganisationFactory(
            category=category, country=Country.objects.get(iso2=country)
        )

    def make(theme, *, types=("programmatic",), countries=("KE",), regions=(), goals=(), **kw):
        c = commitment_in(theme, **kw)
        c.types.set(CommitmentType.objects.filter(code__in=types))
        c.countries.set(Country.objects.filter(iso2__in=countries))
        c.regions.set(Region.objects.filter(m49__in=regions))
        c.goals.set(Goal.objects.filter(number__in=goals))
        return c

    c = {
        # p1 / Climate: a financial civil-society commitment in Kenya, SDG 5.
        "ke_financial": make(
            t1, types=("financial",), organisation=org(Category.CIVIL_SOCIETY), goals=(5,)
        ),
        # p1 / Economy: private sector, France, featured, SDG 8.
        "fr_featured": make(
            t1b,
            types=("policy",),
            countries=("FR",),
            organisation=org(Category.PRIVATE_SECTOR, "FR"),
            goals=(8,),
            status=S.FEATURED,
        ),
        # p2 / Climate: a member state, Kenya and Uganda (same region and sub-region).
        "ke_ug": make(
            t2,
            types=("programmatic", "advocacy"),
            countries=("KE", "UG"),
            organisation=org(Category.MEMBER_STATE),
            goals=(5, 13),
        ),
        # p2 / Climate: regional, names only the region Africa (002), no country.
        "africa_named": make(t2, countries=(), regions=("002",), scope=GeographicScope.REGIONAL),
        # p2 / Climate: regional, names only the sub-region Sub-Saharan Africa (202).
        "ssa_named": make(t2, countries=(), regions=("202",), scope=GeographicScope.REGIONAL),
        # p2 / Climate: regional, names only the intermediate region Eastern Africa (014).
        "eaf_named": make(t2, countries=(), regions=("014",), scope=GeographicScope.REGIONAL),
        # p1 / Climate: Mexico (Americas / Latin America and the Caribbean).
        "mx": make(t1, countries=("MX",), organisation=org(Category.YOUTH_LED, "MX")),
        # Never public: a draft, a submitted and a declined one in p1, a confirmed one in an
        # unpublished programme.  All in Kenya, SDG 5, financial, civil society.
        "draft": make(t1, types=("financial",), goals=(5,), status=S.DRAFT),
        "submitted": make(t1, types=("financial",), goals=(5,), status=S.SUBMITTED),
        "declined": make(t1, types=("financial",), goals=(5,), status=S.DECLINED),
        "hidden": make(th, types=("financial",), goals=(5,)),
    }
    return {"p1": p1, "p2": p2, "t1": t1, "t1b": t1b, "t2": t2, "c": c}


def ids(world, *names: str) -> list[int]:
    return sorted(world["c"][n].pk for n in names)


ALL_PUBLIC = (
    "ke_financial",
    "fr_featured",
    "ke_ug",
    "africa_named",
    "ssa_named",
    "eaf_named",
    "mx",
)


def test_no_filter_lists_every_public_commitment_once(world):
    assert filtered() == ids(world, *ALL_PUBLIC)


def test_programme_filter(world):
    assert filtered(programme="forum-a") == ids(world, "ke_financial", "fr_featured", "mx")
    assert filtered(programme="forum-b") == ids(
        world, "ke_ug", "africa_named", "ssa_named", "eaf_named"
    )


def test_theme_filter_keeps_look_alike_themes_apart(world):
    assert filtered(theme=str(world["t1"].pk)) == ids(world, "ke_financial", "mx")
    assert filtered(theme=str(world["t1b"].pk)) == ids(world, "fr_featured")
    assert filtered(theme=str(world["t2"].pk)) == ids(
        world, "ke_ug", "africa_named", "ssa_named", "eaf_named"
    )


def test_type_filter(world):
    assert filtered(type="financial") == ids(world, "ke_financial")
    assert filtered(type="advocacy") == ids(world, "ke_ug")
    assert filtered(type="programmatic") == ids(
        world, "ke_ug", "africa_named", "ssa_named", "eaf_named", "mx"
    )


def test_stakeholder_category_filter(world):
    assert filtered(category=Category.PRIVATE_SECTOR) == ids(world, "fr_featured")
    assert filtered(category=Category.MEMBER_STATE) == ids(world, "ke_ug")
    assert filtered(category=Category.PHILANTHROPY) == []


def test_country_filter(world):
    assert filtered(country="KE") == ids(world, "ke_financial", "ke_ug")
    assert filtered(country="UG") == ids(world, "ke_ug")
    assert filtered(country="FR") == ids(world, "fr_featured")
    assert filtered(country="NG") == []


def test_region_filter_counts_countries_and_named_regions(world):
    # Africa: commitments in Kenya or Uganda, the one naming Africa, and those naming a
    # sub-region (202) or an intermediate region (014) of Africa.
    assert filtered(region="002") == ids(
        world, "ke_financial", "ke_ug", "africa_named", "ssa_named", "eaf_named"
    )
    # Sub-Saharan Africa: its countries and the commitments naming it or a region inside it,
    # not the one naming all of Africa (which may be elsewhere in Africa).
    assert filtered(region="202") == ids(world, "ke_financial", "ke_ug", "ssa_named", "eaf_named")
    assert filtered(region="150") == ids(world, "fr_featured")
    assert filtered(region="155") == ids(world, "fr_featured")  # Western Europe
    assert filtered(region="419") == ids(world, "mx")
    assert filtered(region="142") == []


def test_intermediate_region_filter_finds_its_countries(world):
    assert filtered(region="014") == ids(world, "ke_financial", "ke_ug", "eaf_named")


def test_region_filter_gives_no_duplicates_for_several_countries_in_it(world):
    # "ke_ug" is in Kenya and Uganda, both in Africa and Sub-Saharan Africa; "ssa_named" is
    # also reached through the region's child.
    for region in ("002", "202"):
        f = CommitmentFilter({"region": region}, queryset=public_commitments())
        assert f.is_valid()
        rows = list(f.qs.values_list("id", flat=True))
        assert len(rows) == len(set(rows))
        assert f.qs.count() == len(rows)
    assert len(rows) == 4


def test_sdg_filter(world):
    assert filtered(sdg="5") == ids(world, "ke_financial", "ke_ug")
    assert filtered(sdg="13") == ids(world, "ke_ug")
    assert filtered(sdg="8") == ids(world, "fr_featured")
    assert filtered(sdg="1") == []


def test_status_filter(world):
    assert filtered(status="featured") == ids(world, "fr_featured")
    assert filtered(status="confirmed") == ids(
        world, "ke_financial", "ke_ug", "africa_named", "ssa_named", "eaf_named", "mx"
    )


def test_filters_combine(world):
    assert filtered(programme="forum-b", country="KE") == ids(world, "ke_ug")
    assert filtered(programme="forum-a", sdg="5", type="financial") == ids(world, "ke_financial")
    assert filtered(region="002", category=Category.MEMBER_STATE, sdg="13") == ids(world, "ke_ug")


def test_search_combines_with_filters(world):
    c = world["c"]
    Commitment.objects.filter(pk=c["ke_ug"].pk).update(title="Solar kiosks for clinics")
    Commitment.objects.filter(pk=c["mx"].pk).update(title="Solar ovens for schools")
    assert filtered(q="solar") == ids(world, "ke_ug", "mx")
    assert filtered(q="solar", region="002") == ids(world, "ke_ug")


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("country", "ZZ"),
        ("region", "999"),
        ("sdg", "18"),
        ("type", "bribery"),
        ("category", "pirates"),
        ("status", "draft"),
        ("status", "declined"),
        ("programme", "hidden"),
        ("programme", "no-such-programme"),
    ],
)
def test_invalid_or_non_public_filter_values_are_form_errors(world, param, value):
    f = CommitmentFilter({param: value}, queryset=public_commitments())
    assert not f.is_valid()
    assert list(f.errors) == [param]


def test_theme_of_an_unpublished_programme_is_not_a_choice(world):
    hidden_theme = world["c"]["hidden"].themes.get()
    f = CommitmentFilter({"theme": str(hidden_theme.pk)}, queryset=public_commitments())
    assert not f.is_valid()
    assert list(f.errors) == ["theme"]
