"""The reference data installed by migration ``reference.0002_load_reference_data``."""

import csv

import pytest

from pledgebook.reference.loading import DATA_DIR, load_reference_data
from pledgebook.reference.models import Country, Currency, Goal, Region, Target

N_REGIONS = 5
N_SUB_REGIONS = 17
N_INTERMEDIATE_REGIONS = 7
N_COUNTRIES = 247  # 248 in the CRAFd source, minus Antarctica (no M49 region)
N_CURRENCIES = 153
N_GOALS = 17
N_TARGETS = 169
TARGETS_PER_GOAL = [7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19]


def counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "countries": Country.objects.count(),
        "currencies": Currency.objects.count(),
        "goals": Goal.objects.count(),
        "targets": Target.objects.count(),
    }


EXPECTED_COUNTS = {
    "regions": N_REGIONS + N_SUB_REGIONS + N_INTERMEDIATE_REGIONS,
    "countries": N_COUNTRIES,
    "currencies": N_CURRENCIES,
    "goals": N_GOALS,
    "targets": N_TARGETS,
}


@pytest.mark.django_db
def test_migration_installs_exact_counts() -> None:
    assert counts() == EXPECTED_COUNTS
    assert Region.objects.filter(level=Region.Level.REGION).count() == N_REGIONS
    assert Region.objects.filter(level=Region.Level.SUB_REGION).count() == N_SUB_REGIONS
    assert Region.objects.filter(level=Region.Level.INTERMEDIATE).count() == (
        N_INTERMEDIATE_REGIONS
    )


@pytest.mark.django_db
def test_group_counts() -> None:
    assert Country.objects.filter(is_ldc=True).count() == 45
    assert Country.objects.filter(is_lldc=True).count() == 32
    assert Country.objects.filter(is_sids=True).count() == 53
    assert Country.objects.filter(is_developed=True).count() == 65


@pytest.mark.django_db
def test_region_tree() -> None:
    assert set(Region.objects.filter(level="region").values_list("name", flat=True)) == {
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
    }
    assert not Region.objects.filter(level="region", parent__isnull=False).exists()
    for sub_region in Region.objects.filter(level="sub_region").select_related("parent"):
        assert sub_region.parent is not None
        assert sub_region.parent.level == "region"
    for intermediate in Region.objects.filter(level="intermediate").select_related("parent"):
        assert intermediate.parent is not None
        assert intermediate.parent.level == "sub_region"
    caribbean = Region.objects.get(m49="029")
    assert caribbean.name == "Caribbean"
    assert caribbean.parent_id == "419"  # Latin America and the Caribbean
    # Every country sits in a sub-region of its own region.
    for country in Country.objects.select_related("region", "sub_region"):
        assert country.region.level == "region"
        assert country.sub_region.level == "sub_region"
        assert country.sub_region.parent_id == country.region_id


@pytest.mark.django_db
def test_m49_codes_are_three_digits() -> None:
    assert Region.objects.get(m49="002").name == "Africa"
    assert all(len(code) == 3 for code in Region.objects.values_list("m49", flat=True))
    assert all(len(code) == 3 for code in Country.objects.values_list("m49", flat=True))
    assert Country.objects.get(iso2="DZ").m49 == "012"
    assert Country.objects.get(iso2="AF").m49 == "004"


@pytest.mark.django_db
def test_fiji_is_sids_in_oceania_melanesia() -> None:
    fiji = Country.objects.select_related("region", "sub_region").get(iso3="FJI")
    assert fiji.iso2 == "FJ"
    assert fiji.m49 == "242"
    assert fiji.is_sids
    assert fiji.region.name == "Oceania"
    assert fiji.sub_region.name == "Melanesia"
    assert fiji.currency == "FJD"


@pytest.mark.django_db
def test_afghanistan_is_ldc_and_lldc() -> None:
    afghanistan = Country.objects.get(iso2="AF")
    assert afghanistan.name == "Afghanistan"
    assert afghanistan.is_ldc
    assert afghanistan.is_lldc
    assert not afghanistan.is_sids
    assert not afghanistan.is_developed
    assert afghanistan.sub_region.name == "Southern Asia"


@pytest.mark.django_db
def test_developed_flag() -> None:
    germany = Country.objects.get(iso2="DE")
    assert germany.is_developed
    assert germany.sub_region.name == "Western Europe"
    assert germany.currency == "EUR"
    assert Country.objects.get(iso2="JP").is_developed
    assert not Country.objects.get(iso2="BR").is_developed


@pytest.mark.django_db
def test_namibia_iso2_is_na_not_missing() -> None:
    namibia = Country.objects.get(iso2="NA")
    assert namibia.iso3 == "NAM"
    assert namibia.name == "Namibia"
    assert namibia.currency == "NAD"  # the national currency, not the also-listed ZAR
    with (DATA_DIR / "countries.csv").open(newline="", encoding="utf-8") as handle:
        assert "NA" in {row["iso2"] for row in csv.DictReader(handle)}


@pytest.mark.django_db
def test_currencies() -> None:
    assert Country.objects.get(iso2="DZ").currency == "DZD"
    assert Currency.objects.get(code="DZD").name == "Algerian Dinar"
    assert Country.objects.get(iso2="BT").currency == "BTN"  # source lists "INR,BTN"
    assert Country.objects.get(iso2="TR").currency == "TRY"  # documented override
    assert Country.objects.get(iso2="PS").currency == ""  # "No universal currency"
    used = set(Country.objects.exclude(currency="").values_list("currency", flat=True))
    assert used == set(Currency.objects.values_list("code", flat=True))


@pytest.mark.django_db
def test_antarctica_is_not_shipped() -> None:
    assert not Country.objects.filter(iso2="AQ").exists()
    assert not Country.objects.filter(m49="010").exists()


@pytest.mark.django_db
def test_goals_use_the_official_titles() -> None:
    assert list(Goal.objects.values_list("number", flat=True)) == list(range(1, 18))
    assert Goal.objects.get(number=1).title == "End poverty in all its forms everywhere"
    assert Goal.objects.get(number=14).title == (
        "Conserve and sustainably use the oceans, seas and marine resources for sustainable "
        "development"
    )
    # The footnote marker of the source ("... its impacts3") is removed.
    assert Goal.objects.get(number=13).title == (
        "Take urgent action to combat climate change and its impacts"
    )


@pytest.mark.django_db
def test_targets() -> None:
    target = Target.objects.get(code="14.1")
    assert target.goal_id == 14
    assert target.position == 1
    assert target.text.startswith("By 2025, prevent and significantly reduce marine pollution")
    assert Target.objects.filter(code="5.a", goal__number=5).exists()
    assert not Target.objects.filter(code="5.z").exists()
    assert Target.objects.get(code="17.19").position == 19
    assert Target.objects.get(code="1.a").position == 6
    assert Target.objects.get(code="14.6").text.endswith("fisheries subsidies negotiation")
    per_goal = [goal.targets.count() for goal in Goal.objects.order_by("number")]
    assert per_goal == TARGETS_PER_GOAL
    assert not Target.objects.filter(text__contains="\xa0").exists()


@pytest.mark.django_db
def test_loading_twice_does_not_duplicate() -> None:
    assert load_reference_data() == EXPECTED_COUNTS
    assert load_reference_data() == EXPECTED_COUNTS
    assert counts() == EXPECTED_COUNTS


@pytest.mark.django_db
def test_loading_restores_edited_rows() -> None:
    Goal.objects.filter(number=1).update(title="changed")
    Country.objects.filter(iso2="FJ").update(is_sids=False)
    load_reference_data()
    assert Goal.objects.get(number=1).title == "End poverty in all its forms everywhere"
    assert Country.objects.get(iso2="FJ").is_sids
    assert counts() == EXPECTED_COUNTS
