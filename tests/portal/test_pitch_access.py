"""Every page and action of the pitch pipeline, allowed and denied, by persona; a denied
action changes nothing (the database's pitch rows and audit entries are the same after)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category
from pledgebook.portal.models.pitch import (
    InvestorInterest,
    InvestorProfile,
    PitchCall,
    PitchInvitation,
    PitchOutcome,
    ScaleUpPlan,
)
from tests import factories
from tests.portal import factories_pitch as fp

pytestmark = pytest.mark.django_db

ANONYMOUS, STRANGER, MAKER, OTHER_MAKER, INVESTOR, SECRETARIAT, OTHER_SECRETARIAT = (
    "anonymous",
    "stranger",
    "maker",
    "other_maker",
    "investor",
    "secretariat",
    "other_secretariat",
)
PERSONAS = [ANONYMOUS, STRANGER, MAKER, OTHER_MAKER, INVESTOR, SECRETARIAT, OTHER_SECRETARIAT]


@dataclass
class World:
    programme: Any
    users: dict[str, Any]
    commitment: Any
    invited_commitment: Any
    plan: Any
    draft: Any
    shortlisted: Any
    investor: Any
    invitation: Any
    session: Any


@pytest.fixture
def world(theme: Any) -> World:
    programme = theme.programme
    users: dict[str, Any] = {ANONYMOUS: None, STRANGER: factories.UserFactory()}
    commitment, users[MAKER] = fp.maker(theme)
    invited_commitment = factories.CommitmentFactory(
        theme=theme, organisation=commitment.organisation, status="confirmed"
    )
    second = factories.CommitmentFactory(
        theme=theme, organisation=commitment.organisation, status="confirmed"
    )
    other, users[OTHER_MAKER] = fp.maker(theme)
    users[SECRETARIAT] = factories.staff(programme)
    users[OTHER_SECRETARIAT] = factories.staff(factories.ProgrammeFactory())
    session = factories.SessionFactory(
        event=factories.EventFactory(programme=programme), kind="pitch"
    )
    fp.open_call(programme, session)
    plan = fp.plan(commitment, users[MAKER])
    draft = fp.plan(other, users[OTHER_MAKER], submit=False)
    shortlisted = fp.plan(second, users[MAKER])
    shortlisted.status = "shortlisted"
    shortlisted.save()
    investor, users[INVESTOR] = fp.investor()
    from pledgebook.portal.pitch import domain

    invitation = domain.invite(
        actor=users[SECRETARIAT], programme=programme, partnership=invited_commitment, message=""
    )
    return World(
        programme,
        users,
        commitment,
        invited_commitment,
        plan,
        draft,
        shortlisted,
        investor,
        invitation,
        session,
    )


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    return client


def snapshot() -> tuple[Any, ...]:
    return (
        list(ScaleUpPlan.objects.order_by("pk").values_list("pk", "status", "title", "session_id")),
        list(InvestorProfile.objects.values_list("pk", "ticket_min", "ticket_max")),
        list(PitchCall.objects.values_list("pk", "title", "closes_at")),
        list(PitchInvitation.objects.order_by("pk").values_list("pk", "status")),
        list(InvestorInterest.objects.values_list("pk")),
        list(PitchOutcome.objects.values_list("pk", "status")),
        AuditEntry.objects.count(),
    )


OK, DENIED, LOGIN = "ok", "denied", "login"


def _expect(allowed: set[str]) -> dict[str, str]:
    return {p: (LOGIN if p == ANONYMOUS else OK if p in allowed else DENIED) for p in PERSONAS}


def check(response: Any, outcome: str) -> None:
    if outcome == LOGIN:
        assert response.status_code == 302 and "/login" in response["Location"], response
    elif outcome == DENIED:
        assert response.status_code in (403, 404), response.status_code
    else:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/login" not in response["Location"]


def _slug(w: World) -> str:
    return w.investor.organisation.slug


PAGES = [
    ("maker's plan page", lambda w: reverse("workspace:pitch_plan", args=[w.plan.pk]), {MAKER}),
    (
        "investor's matches",
        lambda w: reverse("workspace:pitch_matches", args=[_slug(w)]),
        {INVESTOR},
    ),
    (
        "investor's profile",
        lambda w: reverse("workspace:pitch_profile", args=[_slug(w)]),
        {INVESTOR},
    ),
    ("console pitch", lambda w: reverse("console:pitch", args=[w.programme.slug]), {SECRETARIAT}),
    (
        "console call",
        lambda w: reverse("console:pitch_call", args=[w.programme.slug]),
        {SECRETARIAT},
    ),
    (
        "console outcome",
        lambda w: reverse("console:pitch_outcome", args=[w.programme.slug, w.plan.pk]),
        {SECRETARIAT},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(world: World, persona: str, name: str, url: Any, allowed: set[str]) -> None:
    check(client_for(world, persona).get(url(world)), _expect(allowed)[persona])


def test_index_is_open_to_everyone_signed_in_and_lists_only_ones_own(world: World) -> None:
    page = client_for(world, MAKER).get(reverse("workspace:pitch")).content.decode()
    assert world.commitment.title in page
    assert world.draft.title not in page  # another maker's
    assert client_for(world, STRANGER).get(reverse("workspace:pitch")).status_code == 200


ACTIONS = [
    (
        "submit",
        lambda w: (reverse("workspace:pitch_plan_submit", args=[w.draft.pk]), {}),
        {OTHER_MAKER},
    ),
    (
        "withdraw",
        lambda w: (reverse("workspace:pitch_plan_withdraw", args=[w.plan.pk]), {}),
        {MAKER},
    ),
    (
        "edit plan",
        lambda w: (
            reverse("workspace:pitch_plan", args=[w.plan.pk]),
            {
                "title": "Changed",
                "plan": "x",
                "amount": "5",
                "currency": "USD",
                "instruments": ["loan"],
                "stage": "pilot",
                "countries": ["KE"],
            },
        ),
        {MAKER},
    ),
    (
        "answer invitation",
        lambda w: (
            reverse("workspace:pitch_invitation_answer", args=[w.invitation.pk]),
            {"answer": "accept"},
        ),
        {MAKER},
    ),
    (
        "save profile",
        lambda w: (
            reverse("workspace:pitch_profile", args=[_slug(w)]),
            {
                "kind": "foundation",
                "ticket_min": "1",
                "ticket_max": "2",
                "currency": "USD",
                "instruments": ["grant"],
            },
        ),
        {INVESTOR},
    ),
    (
        "interest",
        lambda w: (reverse("workspace:pitch_interest", args=[_slug(w), w.plan.pk]), {}),
        {INVESTOR},
    ),
    (
        "investor outcome",
        lambda w: (
            reverse("workspace:pitch_outcome", args=[_slug(w), w.plan.pk]),
            {"status": "met"},
        ),
        {INVESTOR},
    ),
    (
        "shortlist",
        lambda w: (reverse("console:pitch_shortlist", args=[w.programme.slug, w.plan.pk]), {}),
        {SECRETARIAT},
    ),
    (
        "schedule",
        lambda w: (
            reverse("console:pitch_schedule", args=[w.programme.slug, w.shortlisted.pk]),
            {},
        ),
        {SECRETARIAT},
    ),
    (
        "invite",
        lambda w: (
            reverse("console:pitch_invite", args=[w.programme.slug]),
            {"kind": "commitment", "pk": w.commitment.pk, "message": "hi"},
        ),
        {SECRETARIAT},
    ),
    (
        "call",
        lambda w: (
            reverse("console:pitch_call", args=[w.programme.slug]),
            {"title": "New call", "opens_at": "2025-01-01T09:00", "closes_at": "2030-01-01T09:00"},
        ),
        {SECRETARIAT},
    ),
    (
        "console outcome",
        lambda w: (
            reverse("console:pitch_outcome", args=[w.programme.slug, w.plan.pk]),
            {"investor": w.investor.pk, "status": "met"},
        ),
        {SECRETARIAT},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "request_of", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_actions(world: World, persona: str, name: str, request_of: Any, allowed: set[str]) -> None:
    url, data = request_of(world)
    before = snapshot()
    response = client_for(world, persona).post(url, data)
    outcome = _expect(allowed)[persona]
    check(response, outcome)
    if outcome == OK:
        assert snapshot() != before, f"{name} changed nothing"
    else:
        assert snapshot() == before


def test_a_plan_of_another_programme_is_404_in_the_console(world: World) -> None:
    other = factories.ProgrammeFactory()
    secretariat = factories.staff(other)
    client = Client()
    client.force_login(secretariat)
    before = snapshot()
    response = client.post(reverse("console:pitch_shortlist", args=[other.slug, world.plan.pk]))
    assert response.status_code == 404
    assert snapshot() == before


def test_a_civil_society_organisation_has_no_investor_pages(world: World) -> None:
    org = factories.OrganisationFactory(category=Category.CIVIL_SOCIETY)
    user = factories.representative(org)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("workspace:pitch_profile", args=[org.slug])).status_code == 404
