"""``rows.labelled``: the names on each row of a commitment table, in one query, in the
models' own order (what three prefetches gave before)."""

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from pledgebook.commitments.models import Commitment
from pledgebook.commitments.rows import labelled
from pledgebook.programmes.models import CommitmentType
from pledgebook.reference.models import Country, Region
from tests import factories

pytestmark = pytest.mark.django_db


def made(countries=(), regions=(), types=()) -> Commitment:
    """Links added one by one in the order given (not the names' order), so that only the
    query's own ORDER BY can put the names in order."""
    c = factories.CommitmentFactory()
    c.countries.clear()
    c.types.clear()
    for iso2 in countries:
        c.countries.add(Country.objects.get(iso2=iso2))
    for m49 in regions:
        c.regions.add(Region.objects.get(m49=m49))
    for code in types:
        c.types.add(CommitmentType.objects.get(code=code))
    return c


def test_names_in_the_models_order_in_one_query():
    rich = made(
        countries=["SE", "CI", "AX", "AF"],  # Sweden, Côte d'Ivoire, Åland Islands, Afghanistan
        regions=["202", "002"],
        types=["programmatic", "financial", "policy"],
    )
    bare = made()
    rows = list(Commitment.objects.filter(pk__in=[rich.pk, bare.pk]).order_by("pk"))

    with CaptureQueriesContext(connection) as ctx:
        assert labelled(rows) == rows
    assert len(ctx.captured_queries) == 1

    prefetch_related_objects(rows, "types", "countries", "regions")
    for c in rows:
        assert c.labels.types == [t.name for t in c.types.all()]
        assert c.labels.countries == [x.name for x in c.countries.all()]
        assert c.labels.regions == [r.name for r in c.regions.all()]
    countries = rows[0].labels.countries  # where "Åland" sorts is the database's collation
    assert len(countries) == 4
    assert countries.index("Afghanistan") < countries.index("Sweden")  # added last, shown first
    assert rows[0].labels.regions == ["Africa", "Sub-Saharan Africa"]
    assert len(rows[0].labels.types) == 3
    assert rows[1].labels.types == rows[1].labels.countries == rows[1].labels.regions == []


def test_no_rows_no_query():
    with CaptureQueriesContext(connection) as ctx:
        assert labelled(Commitment.objects.none()) == []
    assert ctx.captured_queries == []
