"""Property-based tests of merging (the issue asks for them).

Each example builds, in a fresh programme, 1-4 submitted expressions of interest whose
principles, asks, members and milestones are drawn from small pools (so that duplicates occur,
in other cases, spacing and punctuation), turns some into coalitions, optionally makes a target
coalition, merges, checks the merged coalition, undoes the merge and checks that everything is
exactly as it was.

The keys and the canonical form here are written out independently of the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.coalitions import domain, merge
from pledgebook.coalitions.models import (
    Ask,
    Coalition,
    ExpressionOfInterest,
    Membership,
    MergeRecord,
    Milestone,
    Principle,
)
from pledgebook.coalitions.validation import MemberInput, MilestoneInput
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category
from pledgebook.reference.models import Country
from tests import factories

PRINCIPLES = [
    "Civic space is a public good",
    "Nothing about us without us",
    "Youth at every table",
    "Open data for all",
]
ASKS = ["Protect defenders online", "Fund local monitors", "Publish budgets"]
TITLES = ["Launch", "First report", "Regional meeting"]
DATES = [dt.date(2026, 6, 1), dt.date(2026, 7, 1)]
EMAILS = ["desk@green-youth.example", "info@sea-shepherds.example"]
ORGANISATIONS = 4
KINDS = ("principles", "asks", "memberships", "milestones")
STATUS_RANK = {"declined": 0, "requested": 1, "invited": 2, "active": 3}


def norm(text: str) -> str:
    """Case folded, punctuation removed, whitespace collapsed."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def variants(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            text,
            text.upper(),
            text.lower(),
            f"  {text} ",
            text.replace(" ", "   "),
            f"{text}!",
            text.replace(" ", ", ", 1),
            f"“{text}.”",
        ]
    )


def text_lists(pool: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(pool).flatmap(variants), min_size=1, max_size=4, unique_by=norm)


eoi_specs = st.fixed_dictionaries(
    {
        "proposer": st.integers(0, ORGANISATIONS - 1),
        "principles": text_lists(PRINCIPLES),
        "asks": text_lists(ASKS),
        "milestones": st.lists(
            st.tuples(
                st.sampled_from(TITLES).flatmap(variants),
                st.sampled_from(DATES),
                st.sampled_from(["planned", "done"]),
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda m: (norm(m[0]), m[1]),
        ),
        "members": st.lists(
            st.tuples(
                st.integers(0, ORGANISATIONS - 1),
                st.sampled_from(["member", "lead"]),
                st.sampled_from(["invited", "active", "declined"]),
            ),
            max_size=3,
            unique_by=lambda m: m[0],
        ),
        "emails": st.lists(
            st.sampled_from(EMAILS).flatmap(lambda e: st.sampled_from([e, e.upper()])),
            max_size=2,
            unique_by=str.lower,
        ),
        "as_coalition": st.booleans(),
    }
)


@st.composite
def scenarios(draw: Any) -> dict[str, Any]:
    target = draw(st.none() | eoi_specs)
    sources = draw(st.lists(eoi_specs, min_size=1 if target else 2, max_size=4))
    return {"target": target, "sources": sources}


# Building, through the domain functions ------------------------------------------------------


class World:
    def __init__(self) -> None:
        self.programme = factories.ProgrammeFactory()
        self.secretariat = factories.staff(self.programme)
        self.orgs = [factories.OrganisationFactory() for _ in range(ORGANISATIONS)]
        self.reps = [factories.representative(o) for o in self.orgs]
        self.country = Country.objects.get(iso2="KE")
        self.eois: list[ExpressionOfInterest] = []

    def eoi(self, spec: dict[str, Any], title: str) -> ExpressionOfInterest:
        user, org = self.reps[spec["proposer"]], self.orgs[spec["proposer"]]
        eoi = domain.create_eoi(
            actor=user,
            programme=self.programme,
            organisation=org,
            title=title,
            principles=spec["principles"],
            asks=spec["asks"],
            milestones=[MilestoneInput(t, d, s) for t, d, s in spec["milestones"]],
        )
        invited = [(i, r, a) for i, r, a in spec["members"] if i != spec["proposer"]]
        people = [MemberInput(self.orgs[i], role=r) for i, r, _a in invited] + [
            MemberInput(email=e, name="Invited", category=Category.OTHER, country=self.country)
            for e in spec["emails"]
        ]
        if people:
            created = domain.add_members(actor=user, container=eoi, members=people)
            for membership, (i, _r, answer) in zip(created, invited, strict=False):
                if answer != "invited":
                    domain.respond_to_invitation(
                        actor=self.reps[i], membership=membership, accept=answer == "active"
                    )
        eoi = domain.submit_eoi(actor=user, eoi=eoi)
        self.eois.append(eoi)
        return eoi

    def source(self, spec: dict[str, Any], title: str) -> ExpressionOfInterest | Coalition:
        eoi = self.eoi(spec, title)
        if not spec["as_coalition"]:
            return eoi
        accepted = domain.accept_eoi(actor=self.secretariat, eoi=eoi)
        assert accepted.coalition is not None
        return accepted.coalition


# Independent keys and canonical form ---------------------------------------------------------


def key(kind: str, item: Any) -> Hashable:
    if kind in ("principles", "asks"):
        return norm(item.text)
    if kind == "milestones":
        return (norm(item.title), item.due_on)
    if item.organisation_id:
        return ("organisation", item.organisation_id)
    return ("email", item.invited_email.lower())


def keys(container: Any) -> dict[str, set[Hashable]]:
    return {kind: {key(kind, i) for i in getattr(container, kind).all()} for kind in KINDS}


def provenance(item: Any) -> tuple[Any, tuple[int, ...]]:
    return (item.source_eoi_id, tuple(sorted(e.pk for e in item.also_from.all())))


def canonical(obj: Any) -> dict[str, Any]:
    obj = type(obj).objects.get(pk=obj.pk)
    data: dict[str, Any] = {
        "principles": sorted(
            (p.pk, p.text, p.position, provenance(p)) for p in obj.principles.all()
        ),
        "asks": sorted((a.pk, a.text, a.position, provenance(a)) for a in obj.asks.all()),
        "members": sorted(
            (
                m.pk,
                m.organisation_id or 0,
                m.invited_email,
                m.role,
                m.status,
                m.position,
                provenance(m),
            )
            for m in obj.memberships.all()
        ),
        "milestones": sorted(
            (m.pk, m.title, m.due_on, m.status, m.position, provenance(m))
            for m in obj.milestones.all()
        ),
        "themes": sorted(obj.themes.values_list("pk", flat=True)),
        "goals": sorted(obj.goals.values_list("pk", flat=True)),
        "updated_at": obj.updated_at,
    }
    if isinstance(obj, ExpressionOfInterest):
        data.update(
            status=obj.status,
            coalition=obj.coalition_id,
            title=obj.title,
            submitted_at=obj.submitted_at,
            is_late=obj.is_late,
        )
    else:
        data.update(state=obj.state, merged_into=obj.merged_into_id, name=obj.name)
    return data


def row_counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Principle, Ask, Membership, Milestone, Coalition, ExpressionOfInterest)
    )


# The property --------------------------------------------------------------------------------


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(scenario=scenarios())
# The database is shared between examples: each one builds its own programme and organisations.
def test_merge_loses_nothing_duplicates_nothing_and_undo_is_exact(scenario):
    world = World()
    target = None
    if scenario["target"] is not None:
        target = world.source({**scenario["target"], "as_coalition": True}, "Target")
    sources = [world.source(spec, f"Source {n}") for n, spec in enumerate(scenario["sources"])]

    eoi_keys = {e.pk: keys(e) for e in world.eois}
    before = {(type(s), s.pk): canonical(s) for s in [*sources, *world.eois]}
    snapshots = [merge.snapshot(s) for s in sources]
    target_before = canonical(target) if target is not None else None
    target_snapshot = merge.snapshot(target) if target is not None else None
    contributing = [*sources, *([target] if target is not None else [])]
    expected = {kind: set().union(*(keys(c)[kind] for c in contributing)) for kind in KINDS}
    members_before: dict[Hashable, list[tuple[str, str]]] = {}
    for container in contributing:
        for m in container.memberships.all():
            members_before.setdefault(key("memberships", m), []).append((m.role, m.status))
    counts, audit = row_counts(), AuditEntry.objects.count()

    record = merge.merge(actor=world.secretariat, sources=sources, into=target)
    merged = record.target
    assert merged is not None
    assert AuditEntry.objects.count() - audit == len(sources) + 1

    for kind in KINDS:
        items = list(getattr(merged, kind).all())
        found = [key(kind, i) for i in items]
        # (b) Nothing lost, nothing invented, nothing duplicated.
        assert set(found) == expected[kind]
        assert len(found) == len(set(found))
        for item, k in zip(items, found, strict=True):
            # Every item's provenance points to expressions of interest that had it, and
            # names all of them.
            source_eoi, also_from = provenance(item)
            assert source_eoi is not None
            assert source_eoi not in also_from
            contributors = {source_eoi, *also_from}
            assert contributors == {pk for pk, ks in eoi_keys.items() if k in ks[kind]}
            if kind == "memberships":
                had = members_before[k]
                assert (item.role == "lead") == any(role == "lead" for role, _ in had)
                assert STATUS_RANK[item.status] == max(STATUS_RANK[s] for _, s in had)
    for source in sources:
        source.refresh_from_db()
        if isinstance(source, ExpressionOfInterest):
            assert (source.status, source.coalition_id) == ("merged", merged.pk)
        else:
            assert (source.state, source.merged_into_id) == ("merged", merged.pk)

    merge.undo_merge(actor=world.secretariat, merge_record=record)

    # (a) Every source, every expression of interest and the target are exactly as they were.
    for obj_key, data in before.items():
        model, pk = obj_key
        assert canonical(model.objects.get(pk=pk)) == data
    assert [merge.snapshot(s) for s in sources] == snapshots
    if target is not None:
        assert canonical(target) == target_before
        assert merge.snapshot(target) == target_snapshot
    else:
        assert not Coalition.objects.filter(pk=merged.pk).exists()
    assert row_counts() == counts
    assert MergeRecord.objects.get(pk=record.pk).is_undone
    assert AuditEntry.objects.count() - audit == 2 * (len(sources) + 1)
