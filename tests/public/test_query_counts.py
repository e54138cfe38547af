"""The public pages issue the same number of queries however many rows, countries, types or
targets they show (exact counts: a new query per row fails here)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import AssessmentOverride, CoMaker, Commitment
from pledgebook.core import pagination
from pledgebook.reference.models import Country, Goal, Region, Target
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

COUNTRIES = ["KE", "UG", "TZ", "NG", "FR"]


def queries(client, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def loaded(theme, n_countries: int = 3, **kwargs) -> Commitment:
    """A public commitment with several countries, types, regions, SDGs, actions and a
    confirmed co-maker."""
    c = commitment_in(theme, **kwargs)
    c.countries.set(Country.objects.filter(iso2__in=COUNTRIES[:n_countries]))
    c.types.set(theme.programme.commitment_types.all())
    c.regions.set(Region.objects.filter(m49__in=["002", "202"]))
    goals = Goal.objects.filter(number__in=[5, 8])
    c.goals.set(goals)
    c.targets.set(Target.objects.filter(goal__in=goals)[: 2 * n_countries])
    c.actions.set([factories.ActionFactory(theme=theme)])
    CoMaker.objects.create(
        commitment=c, organisation=factories.OrganisationFactory(), confirmed_at=timezone.now()
    )
    return c


def test_directory_queries_do_not_grow_with_rows(client, theme):
    loaded(theme)
    one = queries(client, reverse("public:directory"))
    two = queries(client, reverse("public:directory"), {"q": "train", "region": "002"})
    loaded(theme)
    loaded(theme)
    three = queries(client, reverse("public:directory"))
    # The ids of the filtered rows (up to 500: the whole set, so no COUNT), the page's rows,
    # the names of their types, countries and regions (one query); the choices of programme,
    # theme, type, country, region and SDG; the status lights of the page (cycles, submitted
    # reports).  Search and filters
    # are subqueries inside the ids query; a model-choice filter adds one query to look up its
    # value.  On PostgreSQL the planner's estimate of the rows first (one EXPLAIN).
    estimate = pagination.estimates(connection.vendor)
    assert one == three == 11 + estimate
    assert two == 12 + estimate


def test_directory_counts_a_large_set_with_two_more_queries(client, theme, monkeypatch):
    for _ in range(3):
        loaded(theme)
    small = queries(client, reverse("public:directory"))
    monkeypatch.setattr(pagination, "ONE_PASS_ROWS", 2)  # 3 rows: more than one pass reads
    monkeypatch.setattr(pagination, "EXPECTED_OVER", 10**9)  # (whatever the planner expects)
    large = queries(client, reverse("public:directory"))
    estimate = pagination.estimates(connection.vendor)
    assert (small, large) == (11 + estimate, 13 + estimate)  # ... then COUNT(*) and the page


def test_a_set_the_planner_expects_large_is_neither_counted_nor_read_whole(
    client, theme, monkeypatch
):
    if not pagination.estimates(connection.vendor):
        pytest.skip("PostgreSQL's planner is asked; SQLite always tries the one pass")
    for _ in range(3):
        loaded(theme)
    url = reverse("public:directory")
    small = queries(client, url)
    shown = [c.pk for c in client.get(url).context["page_obj"]]
    monkeypatch.setattr(pagination, "_expected_rows", lambda connection, queryset: 10.0**7)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any(q.startswith("WITH matched") for q in sql)  # no rows materialised
    assert not any("COUNT(*)" in q for q in sql)  # nor counted
    # The page's ids alone instead of the one pass (the estimate, patched, asked none).
    assert len(sql) == small - 1
    assert [c.pk for c in response.context["page_obj"]] == shown
    assert response.context["page_obj"].paginator.count == 10**7


def test_htmx_update_of_the_directory_results_reads_no_choices(client, theme):
    loaded(theme)
    url = reverse("public:directory")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert response.status_code == 200
    assert "<form" not in response.content.decode()
    # The page (ids, rows, the names of their relations: 3) and its status lights (2); no form.
    estimate = pagination.estimates(connection.vendor)
    assert len(ctx.captured_queries) == queries(client, url) - 6 == 5 + estimate


def test_commitment_page_queries_do_not_grow_with_countries_or_targets(client, theme):
    small = loaded(theme, n_countries=1)
    big = loaded(theme, n_countries=5)
    AssessmentOverride.objects.create(commitment=big, criterion="impact", met=True, note="Big.")
    assert big.countries.count() == 5
    assert big.targets.count() == 10
    one = queries(client, small.get_absolute_url())
    five = queries(client, big.get_absolute_url())
    # The commitment, then types, themes, actions, goals, targets, countries, regions,
    # co-makers and assessment overrides; its status light (cycles, submitted reports) and
    # its progress reports.
    assert one == five == 13


def test_commitment_page_for_its_maker_is_constant_too(client, theme):
    # Its maker sees more (co-makers not confirmed yet, the advice); drafts are not public.
    small = loaded(theme, n_countries=1, status=Commitment.Status.CONFIRMED)
    big = loaded(theme, n_countries=5, status=Commitment.Status.CONFIRMED)
    big.organisation = small.organisation
    big.save()
    client.force_login(factories.representative(small.organisation))
    assert queries(client, small.get_absolute_url()) == queries(client, big.get_absolute_url())


def test_theme_page_queries_do_not_grow(client, theme):
    loaded(theme)
    factories.member_of(theme)
    one = queries(client, theme.get_absolute_url())
    loaded(theme)
    loaded(theme)
    factories.member_of(theme)
    factories.member_of(theme)
    three = queries(client, theme.get_absolute_url())
    assert one == three


def test_organisation_page_queries_do_not_grow(client, theme):
    org = factories.OrganisationFactory()
    factories.member_of(theme, organisation=org)
    loaded(theme, organisation=org)
    co = loaded(theme)
    CoMaker.objects.create(commitment=co, organisation=org, confirmed_at=timezone.now())
    one = queries(client, org.get_absolute_url())
    for _ in range(2):
        loaded(theme, organisation=org)
        co = loaded(theme)
        CoMaker.objects.create(commitment=co, organisation=org, confirmed_at=timezone.now())
    three = queries(client, org.get_absolute_url())
    assert one == three


def test_home_and_programme_pages_queries_do_not_grow(client, programme, theme):
    loaded(theme, status=Commitment.Status.FEATURED)
    home_one = queries(client, reverse("public:home"))
    list_one = queries(client, reverse("public:programmes"))
    page_one = queries(client, programme.get_absolute_url())
    for _ in range(2):
        loaded(factories.ThemeFactory(programme=programme), status=Commitment.Status.FEATURED)
        factories.ProgrammeFactory()
    assert queries(client, reverse("public:home")) == home_one
    assert queries(client, reverse("public:programmes")) == list_one
    assert queries(client, programme.get_absolute_url()) == page_one
