"""The map's per-country counts and the dashboard's per-goal counts equal the directory's for
the same filters (the directory's FilterSet with the country or the SDG added), over random
filters, and still after random changes made through the domain (confirm, edit countries then
confirm, submit a report)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.commitments.filters import public_commitments
from pledgebook.portal import aggregates
from pledgebook.portal.filters import PortalCommitmentFilter, cleaned
from pledgebook.programmes.models import CommitmentType
from pledgebook.reporting.figures import LIGHTS
from tests.portal import factories_map as fm

pytestmark = pytest.mark.django_db

GOALS = st.lists(st.integers(1, 17), max_size=3, unique=True)
TYPES = st.lists(
    st.sampled_from(["financial", "advocacy", "policy", "programmatic"]),
    min_size=1,
    max_size=2,
    unique=True,
)
PLACES = st.lists(st.sampled_from(fm.COUNTRIES), max_size=3, unique=True)


def directory_count(params: dict) -> int:
    filterset = PortalCommitmentFilter(params, queryset=public_commitments())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def check(w: fm.World, params: dict) -> None:
    data = cleaned(params)
    by_country = aggregates.by_country(data)
    for iso2 in fm.COUNTRIES:
        expected = directory_count({**params, "country": iso2})
        got = by_country[iso2].commitments if iso2 in by_country else 0
        assert got == expected, (iso2, params)
    no_sdg = {k: v for k, v in params.items() if k != "sdg"}
    goals = aggregates.by_goal(cleaned(no_sdg))
    assert goals.total.commitments == directory_count(no_sdg)
    for g in range(1, 18):
        assert goals.by_goal[g].commitments == directory_count({**no_sdg, "sdg": str(g)}), g


def fresh(w: fm.World) -> None:
    """The facts hold what the sources say now: the light and the money of each commitment."""
    from pledgebook.commitments.models import Commitment
    from pledgebook.portal.models import CommitmentFact
    from pledgebook.reporting.figures import status_lights

    public = list(Commitment.objects.public())
    lights = status_lights(public)
    facts = {f.commitment_id: f for f in CommitmentFact.objects.all()}
    assert set(facts) == {c.pk for c in public}
    for c in public:
        assert facts[c.pk].light == lights[c.pk]
        assert facts[c.pk].pledged == float(c.amount)


def filters(w: fm.World):
    return st.fixed_dictionaries(
        {},
        optional={
            "programme": st.sampled_from([p.slug for p in w.programmes]),
            "theme": st.sampled_from([str(t.pk) for t in w.themes]),
            "sdg": st.sampled_from([str(g) for g in (1, 5, 13, 17)]),
            "type": st.sampled_from(list(CommitmentType.objects.values_list("code", flat=True))),
            "category": st.sampled_from([str(c) for c in fm.CATEGORIES]),
            "light": st.sampled_from(list(LIGHTS)),
        },
    )


CHANGES = st.lists(
    st.one_of(
        st.tuples(st.just("confirm"), GOALS, TYPES, PLACES),
        st.tuples(st.just("report"), st.integers(0, 50)),
        st.tuples(st.just("open")),
    ),
    max_size=4,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_map_and_dashboard_count_what_the_directory_lists(
    db, data, django_capture_on_commit_callbacks
):
    w = fm.world()
    for i in range(data.draw(st.integers(1, 6))):
        fm.add(w, i, goals=data.draw(GOALS), types=data.draw(TYPES), countries=data.draw(PLACES))
    check(w, data.draw(filters(w)))
    opened = False
    fresh(w)
    for change in data.draw(CHANGES):
        # what runs once the change is committed (a programme's refresh) runs here
        with django_capture_on_commit_callbacks(execute=True):
            if change[0] == "confirm":
                fm.add(w, len(w.commitments), goals=change[1], types=change[2], countries=change[3])
            elif change[0] == "open" and not opened:
                fm.open_cycles(w)
                opened = True
            elif change[0] == "report" and opened:
                fm.submit_report(w, w.commitments[change[1] % len(w.commitments)])
        fresh(w)
        check(w, data.draw(filters(w)))
