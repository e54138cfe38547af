"""The map's and the dashboard's pages, API and CSV files: what they show for a small world,
bad filters refused at the field, and the facts following the domain's changes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from pledgebook.commitments import domain
from pledgebook.portal import facts
from pledgebook.portal.models import CommitmentFact, CountryFact
from pledgebook.reporting import domain as reporting_domain
from tests.portal import factories_map as fm

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = fm.world()
    fm.add(w, 0, goals=[5], types=["financial"], countries=["KE"])
    fm.add(w, 1, goals=[5, 13], types=["policy"], countries=["KE", "BR"])
    fm.add(w, 2, goals=[14], types=["programmatic"], countries=["WS"])
    return w


def test_the_map_lists_every_country_with_its_figures(client, world):
    response = client.get("/map/")
    assert response.status_code == 200
    rows = [
        (r["country"].iso2, r["figures"].commitments, r["pledged"])
        for r in response.context["rows"]
    ]
    # amounts 1000 × (i + 1) USD; the second commitment's 2,000 shared by Kenya and Brazil
    assert rows == [("KE", 2, "2,000"), ("BR", 1, "1,000"), ("WS", 1, "3,000")]
    page = response.content.decode()
    assert 'aria-label="Kenya: 2 commitments"' in page
    assert 'aria-label="Samoa: 1 commitments"' in page
    assert '<circle class="marker bin-' in page  # Samoa is too small to see: a marker


def test_money_by_country_shares_a_commitment_between_its_countries(client, world):
    response = client.get("/map/?measure=pledged")
    page = response.content.decode()
    assert 'aria-label="Brazil: 1,000 USD"' in page
    assert 'aria-label="Kenya: 2,000 USD"' in page


def test_a_bad_filter_is_shown_at_its_field_and_kept(client, world):
    response = client.get("/map/?sdg=99&type=policy")
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["sdg"]
    assert form["type"].value() == "policy"
    assert response.context["rows"] == []


def test_a_country_lists_what_is_there_and_links_the_directory(client, world):
    response = client.get("/map/KE/?sdg=13")
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert [t for t, _url in response.context["items"]] == [world.commitments[1].title]
    assert response.context["more"] == "/commitments/?sdg=13&country=KE"
    directory = client.get(response.context["more"])
    assert directory.context["page_obj"].paginator.count == 1


def test_an_unknown_country_is_404(client, world):
    assert client.get("/map/ZZ/").status_code == 404


def test_the_dashboard_counts_each_goal_and_the_goal_page_its_targets(client, world):
    from pledgebook.reference.models import Target

    world.commitments[0].targets.set(Target.objects.filter(code__in=["5.1", "5.a"]))
    world.commitments[1].targets.set(Target.objects.filter(code__in=["5.1"]))
    response = client.get("/sdgs/")
    by_goal = {r["goal"].number: r["f"].commitments for r in response.context["rows"]}
    assert by_goal[5] == 2 and by_goal[13] == 1 and by_goal[14] == 1 and by_goal[1] == 0
    assert response.context["total"].commitments == 3
    goal = client.get("/sdgs/5/")
    assert goal.status_code == 200
    assert goal.context["f"].commitments == 2
    assert goal.context["directory"] == "/commitments/?sdg=5"
    counts = {t["target"].code: t["count"] for t in goal.context["targets"]}
    assert len(counts) == 9  # 5.1-5.6, 5.a-5.c
    assert (counts["5.1"], counts["5.a"], counts["5.2"]) == (2, 1, 0)
    assert client.get("/sdgs/18/").status_code == 404


def test_the_api_gives_the_same_figures_and_refuses_bad_filters(client, world):
    data = client.get("/api/v1/map/?type=policy").json()
    assert data["currency"] == "USD"
    assert [(c["iso2"], c["commitments"], c["pledged"]) for c in data["countries"]] == [
        ("BR", 1, 1000.0),
        ("KE", 1, 1000.0),
    ]
    goals = client.get("/api/v1/sdgs/").json()
    assert goals["commitments"] == 3
    assert [g["commitments"] for g in goals["goals"]][:5] == [0, 0, 0, 0, 2]
    assert client.get("/api/v1/sdgs/?light=purple").status_code == 400
    assert client.get("/api/v1/map/?sdg=").status_code == 400


def test_the_csv_files_hold_the_figures(client, world):
    response = client.get("/api/v1/exports/map-csv/?sdg=5")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["iso2", "m49", "country", "commitments"]
    assert [r[:4] for r in rows[1:]] == [
        ["BR", "076", "Brazil", "1"],
        ["KE", "404", "Kenya", "2"],
    ]
    response = client.get("/api/v1/exports/sdg-dashboard-csv/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 18
    assert rows[5][:3] == ["5", rows[5][1], "2"]


def test_money_without_a_rate_is_counted_apart_until_a_rate_is_kept(
    client, world, django_capture_on_commit_callbacks
):
    c = fm.add(world, 3, goals=[1], types=["financial"], countries=["FR"])
    c.refresh_from_db()
    c.currency_id = "KES"
    c.amount = Decimal("129000")
    c.save()
    facts.refresh([c.pk])
    fact = CommitmentFact.objects.get(commitment_id=c.pk)
    assert (fact.unconverted, fact.pledged) == (True, 0.0)
    assert client.get("/map/").context["unconverted"] == 1
    cycle = world.cycles[c.programme_id]
    cycle.programme.reporting_currency_id = "USD"
    cycle.programme.save()
    with django_capture_on_commit_callbacks(execute=True):
        reporting_domain.set_exchange_rate(
            actor=world.secretariat[c.programme_id],
            cycle=cycle,
            currency=c.currency,
            rate=Decimal("129.0"),
            effective_on=cycle.opens_at.date(),
            source="UN operational rates of exchange",
        )
    fact = CommitmentFact.objects.get(commitment_id=c.pk)
    assert (fact.unconverted, fact.pledged) == (False, 1000.0)


def test_a_commitment_no_longer_public_leaves_the_map(world):
    c = world.commitments[0]
    assert CountryFact.objects.filter(commitment_id=c.pk).count() == 1
    c.status = c.Status.DECLINED
    c.save()
    facts.refresh([c.pk])
    assert not CountryFact.objects.filter(commitment_id=c.pk).exists()
    assert not CommitmentFact.objects.filter(commitment_id=c.pk).exists()


def test_the_directory_filters_by_status_light(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fm.open_cycles(world)
    fm.submit_report(world, world.commitments[0])
    reported = client.get("/commitments/?light=reported")
    assert [c.pk for c in reported.context["page_obj"].object_list] == [world.commitments[0].pk]
    due = client.get("/commitments/?light=due")
    assert due.context["page_obj"].paginator.count == 2


def test_the_directory_api_and_csv_filter_by_status_light_alike(
    client, world, django_capture_on_commit_callbacks
):
    """The page, ``/api/v1/commitments/`` and the CSV export read one query string."""
    import csv
    import io

    with django_capture_on_commit_callbacks(execute=True):
        fm.open_cycles(world)
    fm.submit_report(world, world.commitments[0])
    for light, expected in (("reported", {world.commitments[0].pk}), ("due", None)):
        page = client.get(f"/commitments/?light={light}")
        shown = {c.pk for c in page.context["page_obj"].object_list}
        if expected is not None:
            assert shown == expected
        assert len(shown) == (1 if light == "reported" else 2)
        api = client.get(f"/api/v1/commitments/?light={light}").json()
        assert {row["id"] for row in api["results"]} == shown
        response = client.get(f"/api/v1/exports/commitments-csv/?light={light}")
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert {int(row["id"]) for row in rows} == shown
    assert client.get("/api/v1/commitments/?light=purple").status_code == 400


def test_a_deadline_passing_refreshes_the_lights(world, django_capture_on_commit_callbacks):
    import datetime as dt

    with django_capture_on_commit_callbacks(execute=True):
        fm.open_cycles(world)
    assert set(CommitmentFact.objects.values_list("light", flat=True)) == {"due"}
    later = world.cycles[world.programmes[0].pk].deadline + dt.timedelta(days=1)
    assert facts.refresh_overdue(now=later) == sorted(p.pk for p in world.programmes)
    assert set(CommitmentFact.objects.values_list("light", flat=True)) == {"late"}
    assert facts.refresh_overdue(now=later) == []  # nothing passed since


def test_confirming_puts_a_commitment_on_the_map_at_once(client, world):
    before = client.get("/api/v1/map/").json()
    assert "FR" not in [c["iso2"] for c in before["countries"]]
    c = fm.add(world, 4, goals=[2], types=["advocacy"], countries=["FR"])
    assert c.status == c.Status.CONFIRMED
    after = client.get("/api/v1/map/").json()
    assert ("FR", 1) in [(x["iso2"], x["commitments"]) for x in after["countries"]]
    domain.feature_commitment(actor=world.secretariat[c.programme_id], commitment=c)
    assert CommitmentFact.objects.filter(commitment_id=c.pk).count() == 1
