"""The map's and the dashboard's figures are cached under the facts' version: the request
after a change shows it (never stale), a repeated request costs one tiny query instead of a
scan, and a theme filter reads the facts alone."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pledgebook.commitments import domain
from pledgebook.portal import aggregates, facts
from pledgebook.portal.models import FactsVersion
from tests.core.helpers import run_worker, task_paths
from tests.portal import factories_map as fm

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = fm.world()
    fm.add(w, 0, goals=[5], types=["financial"], countries=["KE"])
    fm.add(w, 1, goals=[5, 13], types=["policy"], countries=["KE", "BR"])
    return w


def _map(client) -> dict[str, int]:
    return {c["iso2"]: c["commitments"] for c in client.get("/api/v1/map/").json()["countries"]}


def _goals(client) -> dict[int, int]:
    return {g["goal"]: g["commitments"] for g in client.get("/api/v1/sdgs/").json()["goals"]}


def test_a_confirmed_commitment_shows_on_the_next_request_of_every_page(client, world):
    for _ in range(2):  # the second answers from the cache
        assert _map(client) == {"KE": 2, "BR": 1}
        assert _goals(client)[2] == 0
        assert 'aria-label="France: 1 commitments"' not in client.get("/map/").content.decode()
        dashboard = client.get("/sdgs/").context["total"]
        assert dashboard.commitments == 2
    fm.add(world, 2, goals=[2], types=["advocacy"], countries=["FR"])  # confirmed
    assert _map(client) == {"KE": 2, "BR": 1, "FR": 1}
    assert _goals(client)[2] == 1
    assert 'aria-label="France: 1 commitments"' in client.get("/map/").content.decode()
    assert client.get("/sdgs/").context["total"].commitments == 3


#: A miss: the version with the published programmes (one query), the scan, and what the view
#: reads besides (the map: the filters' validation and the countries; the goals' titles).
#: A hit: the same without the scan.
MAP_API_MISS, MAP_API_HIT, SDGS_API_MISS, SDGS_API_HIT = 4, 3, 3, 2


def test_a_repeated_request_reads_the_version_and_the_cache_only(
    client, world, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as miss:
        client.get("/api/v1/map/?sdg=5")
    with django_assert_num_queries(len(miss.captured_queries) - 1):
        client.get("/api/v1/map/?sdg=5")
    with django_assert_num_queries(MAP_API_MISS):
        client.get("/api/v1/map/?sdg=13")
    with django_assert_num_queries(MAP_API_HIT):
        client.get("/api/v1/map/?sdg=13")
    with django_assert_num_queries(SDGS_API_MISS):
        client.get("/api/v1/sdgs/")
    with django_assert_num_queries(SDGS_API_HIT):
        client.get("/api/v1/sdgs/")


def test_every_writer_bumps_the_version_and_a_rollback_does_not(world):
    before = facts.version()
    facts.refresh([world.commitments[0].pk])
    assert facts.version() == before + 1
    facts.forget_programmes([world.programmes[1].pk])
    assert facts.version() == before + 2
    with pytest.raises(RuntimeError), transaction.atomic():
        facts.refresh([world.commitments[0].pk])
        raise RuntimeError
    assert facts.version() == before + 2
    assert FactsVersion.objects.get().counter == before + 2


def test_the_key_is_the_normalised_filters(world):
    sdg = world.commitments[0].goals.get()
    a = aggregates.cache_key("by_goal", {"sdg": sdg, "category": "ngo", "light": ""}, 3, [1, 2])
    b = aggregates.cache_key("by_goal", {"category": "ngo", "sdg": sdg}, 3, [1, 2])
    assert a == b == f"portal:by_goal:v3:p1,2:category=ngo&sdg={sdg.pk}"
    assert aggregates.cache_key("by_goal", {}, 4, [1, 2]) != aggregates.cache_key(
        "by_goal", {}, 3, [1, 2]
    )


def test_unpublishing_a_programme_takes_it_off_the_next_map(client, world):
    other = fm.add(world, 2, goals=[2], types=["advocacy"], countries=["FR"])
    assert other.programme_id != world.commitments[0].programme_id
    assert _map(client) == {"KE": 2, "BR": 1, "FR": 1}
    other.programme.is_published = False
    other.programme.save(update_fields=["is_published"])
    assert _map(client) == {"KE": 2, "BR": 1}


def test_a_theme_filter_reads_the_facts_alone(world):
    theme = world.commitments[1].themes.get()
    with CaptureQueriesContext(connection) as ctx:
        figures = aggregates.compute_by_country({"theme": theme})
    assert {k: f.commitments for k, f in figures.items()} == {"KE": 1, "BR": 1}
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "commitment_themes" not in sql and "portal_countryfact" in sql


def test_the_home_page_figures_are_cached_and_show_a_change_on_the_next_request(client, world):
    def home() -> tuple[dict[str, int], list[int], int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/")
        featured = [c.pk for c in response.context["featured"]]
        return response.context["counts"], featured, len(ctx.captured_queries)

    first, featured, miss = home()
    assert (first, featured) == ({"commitments": 2, "organisations": 2, "countries": 2}, [])
    again, _, hit = home()
    assert again == first
    assert hit == miss - 4  # the three counts and the featured ids come from the cache
    added = fm.add(world, 2, goals=[2], types=["advocacy"], countries=["FR"])  # confirmed
    assert home()[0] == {"commitments": 3, "organisations": 3, "countries": 3}
    domain.feature_commitment(actor=world.secretariat[added.programme_id], commitment=added)
    assert home()[1] == [added.pk]


def _home(client) -> tuple[dict[str, int] | None, str]:
    response = client.get("/")
    assert response.status_code == 200
    return response.context["counts"], response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker's transactions
def test_after_a_change_the_home_page_shows_the_latest_figures_while_the_worker_counts(
    client, world, database_tasks, monkeypatch
):
    monkeypatch.setattr(aggregates, "cache_is_shared", lambda: True)  # as Redis in production
    assert _home(client)[0] == {"commitments": 2, "organisations": 2, "countries": 2}
    fm.add(world, 2, goals=[2], types=["advocacy"], countries=["FR"])  # confirmed

    for _ in range(3):  # stale, never blocked; the recount is queued once for this version
        assert _home(client)[0] == {"commitments": 2, "organisations": 2, "countries": 2}
    recount = "pledgebook.portal.aggregates.recount_shared"
    assert task_paths(status="READY").count(recount) == 1

    run_worker()
    assert _home(client)[0] == {"commitments": 3, "organisations": 3, "countries": 3}
    assert task_paths(status="READY") == []
    assert task_paths(task_path=recount, status="SUCCESSFUL") == [recount]


def test_when_none_were_ever_counted_one_request_counts_and_the_others_do_not_wait(client, world):
    version, published = aggregates.state()
    busy = aggregates.cache_key("home", {}, version, published) + ":computing"
    cache.add(busy, 1, 60)  # another request is counting them
    with CaptureQueriesContext(connection) as ctx:
        counts, page = _home(client)
    assert counts is None
    assert "The figures are being counted" in page
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)

    cache.delete(busy)  # it finished without keeping them (an error): the next one counts
    counts, page = _home(client)
    assert counts == {"commitments": 2, "organisations": 2, "countries": 2}
    assert "The figures are being counted" not in page
    assert cache.get(busy) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the one above
def test_with_a_cache_in_each_process_the_request_counts_after_a_change(
    client, world, database_tasks, settings
):
    """``make run`` keeps the cache in each process's memory: the worker's count would never
    reach the web process, so the request after a change counts, and queues nothing."""
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert not aggregates.cache_is_shared()
    assert _home(client)[0] == {"commitments": 2, "organisations": 2, "countries": 2}
    fm.add(world, 2, goals=[2], types=["advocacy"], countries=["FR"])  # confirmed
    assert _home(client)[0] == {"commitments": 3, "organisations": 3, "countries": 3}
    assert "pledgebook.portal.aggregates.recount_shared" not in task_paths()
