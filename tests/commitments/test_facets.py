"""PostgreSQL keeps each commitment's facets (its types, themes, goals and countries) in a
column maintained by triggers on the link tables (migration 0009), and the directory's filters
read it: it must equal the links after every way they change, and filtering through it must
give the rows the link tables give, also when the filtered queryset is used as a subquery."""

from __future__ import annotations

import pytest
from django.db import connection

from pledgebook.commitments.filters import CommitmentFilter, public_commitments
from pledgebook.commitments.models import Commitment
from pledgebook.programmes.models import CommitmentType
from pledgebook.reference.models import Country, Goal
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the facets column is PostgreSQL's; SQLite reads the link tables")


def facets(commitment: Commitment) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT facets FROM commitments_commitment WHERE id = %s", [commitment.pk])
        return cursor.fetchone()[0]


def expected(commitment: Commitment) -> list[str]:
    c = Commitment.objects.get(pk=commitment.pk)
    return sorted(
        [f"type:{t.pk}" for t in c.types.all()]
        + [f"theme:{t.pk}" for t in c.themes.all()]
        + [f"goal:{g.pk}" for g in c.goals.all()]
        + [f"country:{k.pk}" for k in c.countries.all()]
    )


def test_the_facets_follow_every_change_of_the_links(theme):
    c = commitment_in(theme)
    assert facets(c) == expected(c)  # the factory's links
    c.countries.set(Country.objects.filter(iso2__in=["KE", "BR"]))
    c.goals.add(Goal.objects.get(pk=5))
    assert facets(c) == expected(c)
    assert "country:KE" in facets(c) and "goal:5" in facets(c)
    c.countries.remove(Country.objects.get(iso2="KE"))
    c.types.set(CommitmentType.objects.filter(pk="policy"))
    assert facets(c) == expected(c)
    assert "country:KE" not in facets(c)
    c.goals.clear()
    c.countries.clear()
    assert facets(c) == expected(c)
    # Links written in bulk (the imports, the benchmarks' generator), several commitments at once.
    d = commitment_in(theme)
    Commitment.countries.through.objects.bulk_create(
        [Commitment.countries.through(commitment_id=x.pk, country_id="UG") for x in (c, d)]
    )
    assert facets(c) == expected(c) and facets(d) == expected(d)
    assert "country:UG" in facets(d)


def test_saving_the_commitment_keeps_its_facets(theme):
    c = commitment_in(theme)
    c.countries.set(Country.objects.filter(iso2="KE"))
    c.title = "Renamed"
    c.save()
    assert "country:KE" in facets(c)


def test_filters_through_the_facets_give_the_rows_of_the_links(programme, theme):
    other_theme = factories.ThemeFactory(programme=programme)
    rows = []
    for i in range(8):
        c = commitment_in(theme if i % 2 else other_theme, title=f"Water project {i}")
        c.countries.set(Country.objects.filter(iso2__in=[["KE"], ["BR"], ["KE", "BR"], []][i % 4]))
        c.goals.set(Goal.objects.filter(pk__in=[[5], [6], [5, 6], []][i % 4]))
        c.types.set(CommitmentType.objects.filter(pk__in=[["policy"], ["financial"]][i % 2]))
        rows.append(c)
    hidden = commitment_in(theme, title="Water draft", status=Commitment.Status.DRAFT)
    hidden.countries.set(Country.objects.filter(iso2="KE"))

    def by_links(**conditions) -> set[int]:
        qs = public_commitments()
        for key, value in conditions.items():
            qs = qs.filter(**{key: value})
        return set(qs.values_list("pk", flat=True))

    cases = [
        ({"country": "KE"}, {"countries": "KE"}),
        ({"sdg": "5", "country": "BR"}, {"goals": 5, "countries": "BR"}),
        ({"type": "financial", "q": "water"}, {"types": "financial"}),
        ({"theme": str(theme.pk), "sdg": "6"}, {"themes": theme.pk, "goals": 6}),
        ({"country": "UG"}, {"countries": "UG"}),
    ]
    for params, links in cases:
        filterset = CommitmentFilter(params, queryset=public_commitments())
        assert filterset.is_valid(), filterset.errors
        got = set(filterset.qs.values_list("pk", flat=True))
        assert got == by_links(**links), params
        # As a subquery (Django renames the tables there): the same rows.
        again = Commitment.objects.filter(pk__in=filterset.qs.values("pk"))
        assert set(again.values_list("pk", flat=True)) == got, params
    assert hidden.pk not in by_links(countries="KE")
