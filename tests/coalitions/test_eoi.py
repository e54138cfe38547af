"""Expressions of interest: drafting, submission (and lateness), review, acceptance into the
programme, decline and withdrawal.  Allowed and denied, with nothing changed when refused."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pledgebook.coalitions import domain
from pledgebook.coalitions.models import (
    Coalition,
    CoalitionSettings,
    ExpressionOfInterest,
    Membership,
    Principle,
)
from pledgebook.coalitions.validation import MemberInput, MilestoneInput
from pledgebook.core.models import AuditEntry
from tests import factories
from tests.coalitions.helpers import LAUNCH, make_eoi, org_of, texts

E = ExpressionOfInterest.Status
pytestmark = pytest.mark.django_db


def _audit() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def _state(eoi: ExpressionOfInterest) -> tuple[Any, ...]:
    eoi = ExpressionOfInterest.objects.get(pk=eoi.pk)
    return (
        eoi.status,
        eoi.title,
        eoi.summary,
        eoi.coalition_id,
        texts(eoi),
        texts(eoi, "asks"),
        [(m.title, m.due_on) for m in eoi.milestones.all()],
        sorted(eoi.memberships.values_list("organisation_id", "role", "status")),
    )


# Drafting -------------------------------------------------------------------------------------


def test_create_draft_makes_the_proposer_its_lead(programme, proposer):
    org = org_of(proposer)
    eoi = domain.create_eoi(
        actor=proposer,
        programme=programme,
        organisation=org,
        title="  Open civic space ",
        summary="Defend civic space online and offline.",
        principles=["Civic space is a public good", " ", "Nothing about us without us"],
        asks=["Protect human rights defenders online"],
        milestones=[LAUNCH, MilestoneInput("First report", dt.date(2026, 9, 1))],
    )
    assert (eoi.status, eoi.title, eoi.proposed_by, eoi.is_late) == (
        E.DRAFT,
        "Open civic space",
        proposer,
        False,
    )
    assert list(eoi.memberships.values_list("organisation", "role", "status", "source_eoi")) == [
        (org.pk, "lead", "active", eoi.pk)
    ]
    assert texts(eoi) == ["Civic space is a public good", "Nothing about us without us"]
    assert [(p.position, p.source_eoi_id) for p in eoi.principles.all()] == [
        (0, eoi.pk),
        (1, eoi.pk),
    ]
    assert [(m.title, m.due_on, m.status) for m in eoi.milestones.all()] == [
        ("Launch the coalition", dt.date(2026, 3, 1), "planned"),
        ("First report", dt.date(2026, 9, 1), "planned"),
    ]
    assert _audit() == ["eoi.created"]
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["stranger", "anonymous"])
def test_only_a_representative_drafts_for_an_organisation(programme, stranger, who):
    actor = stranger if who == "stranger" else AnonymousUser()
    with pytest.raises(PermissionDenied):
        domain.create_eoi(
            actor=actor,
            programme=programme,
            organisation=factories.OrganisationFactory(),
            title="Not mine",
        )
    assert ExpressionOfInterest.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_no_draft_in_an_unpublished_programme(proposer):
    hidden = factories.ProgrammeFactory(is_published=False)
    with pytest.raises(PermissionDenied):
        domain.create_eoi(
            actor=proposer, programme=hidden, organisation=org_of(proposer), title="Hidden"
        )
    assert ExpressionOfInterest.objects.count() == 0


def test_a_milestone_without_a_date_is_refused_and_nothing_is_written(programme, proposer):
    with pytest.raises(ValidationError) as err:
        domain.create_eoi(
            actor=proposer,
            programme=programme,
            organisation=org_of(proposer),
            title="Open civic space",
            milestones=[LAUNCH, MilestoneInput("Regional meeting", None)],
        )
    assert err.value.message_dict == {
        "milestones": ["Milestone 2 (“Regional meeting”) has no date: give a due date."]
    }
    assert ExpressionOfInterest.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_dateless_milestone_on_update_keeps_the_draft(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    before, audit = _state(eoi), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        domain.update_eoi(
            actor=proposer, eoi=eoi, title="Changed", milestones=[MilestoneInput("Later", None)]
        )
    assert err.value.message_dict == {
        "milestones": ["Milestone 1 (“Later”) has no date: give a due date."]
    }
    assert _state(eoi) == before
    assert AuditEntry.objects.count() == audit


def test_a_principle_given_twice_is_refused(programme, proposer):
    with pytest.raises(ValidationError) as err:
        domain.create_eoi(
            actor=proposer,
            programme=programme,
            organisation=org_of(proposer),
            title="Twice",
            principles=["Open data for all", "open  DATA, for all!"],
        )
    assert err.value.message_dict == {"principles": ["Item 2 repeats item 1."]}
    assert ExpressionOfInterest.objects.count() == 0


def test_a_theme_of_another_programme_is_refused(programme, proposer):
    foreign = factories.ThemeFactory()
    with pytest.raises(ValidationError) as err:
        domain.create_eoi(
            actor=proposer,
            programme=programme,
            organisation=org_of(proposer),
            title="Elsewhere",
            themes=[foreign],
        )
    assert err.value.message_dict == {"themes": [f"“{foreign}” is not a theme of this programme."]}


def test_update_keeps_the_rows_of_items_that_stay(programme, proposer):
    eoi = make_eoi(
        programme, proposer, principles=["Open data for all", "Local first"], submit=False
    )
    kept = eoi.principles.get(text="Open data for all")
    eoi = domain.update_eoi(
        actor=proposer,
        eoi=eoi,
        title="Open data coalition",
        principles=["Youth at every table", "Open data, for all!"],
    )
    assert eoi.title == "Open data coalition"
    assert list(eoi.principles.values_list("text", "position")) == [
        ("Youth at every table", 0),
        ("Open data, for all!", 1),
    ]
    assert eoi.principles.get(position=1).pk == kept.pk
    assert Principle.objects.filter(text="Local first").count() == 0
    assert _audit()[-1] == "eoi.edited"
    assert AuditEntry.objects.get(action="eoi.edited").data == {"parts": ["title", "principles"]}


# Submission -----------------------------------------------------------------------------------


def test_an_eoi_without_principles_or_asks_cannot_be_submitted(programme, proposer):
    eoi = make_eoi(programme, proposer, principles=(), asks=(), submit=False)
    before, audit = _state(eoi), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        domain.submit_eoi(actor=proposer, eoi=eoi)
    assert err.value.message_dict == {
        "principles": ["Name at least one principle the coalition advances."],
        "asks": ["Name at least one specific ask."],
    }
    assert _state(eoi) == before
    assert AuditEntry.objects.count() == audit
    assert mail.outbox == []


def test_an_eoi_without_a_work_plan_cannot_be_submitted(programme, proposer):
    eoi = make_eoi(programme, proposer, milestones=(), submit=False)
    with pytest.raises(ValidationError) as err:
        domain.submit_eoi(actor=proposer, eoi=eoi)
    assert err.value.message_dict == {
        "milestones": ["Propose a work plan: at least one milestone with a date."]
    }
    assert ExpressionOfInterest.objects.get().status == E.DRAFT


def test_submit_before_the_deadline_is_on_time(programme, proposer, secretariat):
    deadline = timezone.now() + dt.timedelta(days=3)
    domain.configure_programme(actor=secretariat, programme=programme, eoi_deadline=deadline)
    eoi = make_eoi(programme, proposer, submit=False)
    now = timezone.now()
    eoi = domain.submit_eoi(actor=proposer, eoi=eoi, now=now)
    eoi.refresh_from_db()
    assert (eoi.status, eoi.submitted_at, eoi.is_late) == (E.SUBMITTED, now, False)
    entry = AuditEntry.objects.get(action="eoi.submitted")
    assert (entry.actor, entry.data) == (
        proposer,
        {"from": "draft", "to": "submitted", "late": False},
    )
    assert [m.to for m in mail.outbox] == [[proposer.email]]
    assert "The secretariat will review it" in mail.outbox[0].body


def test_submit_after_the_deadline_is_accepted_and_marked_late(programme, proposer, secretariat):
    deadline = timezone.now() - dt.timedelta(minutes=1)
    domain.configure_programme(actor=secretariat, programme=programme, eoi_deadline=deadline)
    eoi = make_eoi(programme, proposer)
    eoi.refresh_from_db()
    assert (eoi.status, eoi.is_late) == (E.SUBMITTED, True)
    assert "marked for the co-creation of coalitions" in mail.outbox[-1].body


def test_without_a_deadline_nothing_is_late(programme, proposer):
    eoi = make_eoi(programme, proposer)
    assert eoi.is_late is False
    assert CoalitionSettings.objects.count() == 0


@pytest.mark.parametrize("who", ["stranger", "secretariat", "anonymous"])
def test_only_the_proposer_submits(programme, proposer, secretariat, stranger, who):
    eoi = make_eoi(programme, proposer, submit=False)
    actor = {"stranger": stranger, "secretariat": secretariat, "anonymous": AnonymousUser()}[who]
    audit = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        domain.submit_eoi(actor=actor, eoi=eoi)
    assert ExpressionOfInterest.objects.get().status == E.DRAFT
    assert AuditEntry.objects.count() == audit


def test_a_submitted_eoi_is_editable_until_review_starts(programme, proposer, secretariat):
    eoi = make_eoi(programme, proposer)
    domain.update_eoi(actor=proposer, eoi=eoi, summary="More detail.")
    with pytest.raises(PermissionDenied):
        domain.submit_eoi(actor=proposer, eoi=eoi)  # already submitted
    with pytest.raises(ValidationError) as err:
        domain.update_eoi(actor=proposer, eoi=eoi, asks=[])
    assert err.value.message_dict == {"asks": ["Name at least one specific ask."]}
    domain.start_eoi_review(actor=secretariat, eoi=eoi)
    before, audit = _state(eoi), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        domain.update_eoi(actor=proposer, eoi=eoi, title="Too late to change")
    assert _state(eoi) == before
    assert ExpressionOfInterest.objects.get().summary == "More detail."
    assert AuditEntry.objects.count() == audit


def test_someone_else_cannot_edit(programme, proposer, stranger, secretariat):
    eoi = make_eoi(programme, proposer, submit=False)
    before = _state(eoi)
    for actor in (stranger, secretariat):
        with pytest.raises(PermissionDenied):
            domain.update_eoi(actor=actor, eoi=eoi, title="Mine now")
    assert _state(eoi) == before
    assert _audit() == ["eoi.created"]


# Review ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "other_secretariat", "proposer", "stranger"])
def test_only_the_programmes_secretariat_reviews(
    programme, proposer, reviewer, other_secretariat, stranger, who
):
    eoi = make_eoi(programme, proposer)
    actor = {
        "reviewer": reviewer,
        "other_secretariat": other_secretariat,
        "proposer": proposer,
        "stranger": stranger,
    }[who]
    before, audit, outbox = _state(eoi), AuditEntry.objects.count(), len(mail.outbox)
    for call in (
        lambda: domain.start_eoi_review(actor=actor, eoi=eoi),
        lambda: domain.accept_eoi(actor=actor, eoi=eoi),
        lambda: domain.decline_eoi(actor=actor, eoi=eoi, reason="No."),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert _state(eoi) == before
    assert Coalition.objects.count() == 0
    assert AuditEntry.objects.count() == audit
    assert len(mail.outbox) == outbox


def test_accepting_an_eoi_makes_an_accepted_coalition_with_provenance(
    programme, proposer, secretariat
):
    partner = factories.OrganisationFactory()
    theme = factories.ThemeFactory(programme=programme)
    eoi = make_eoi(
        programme,
        proposer,
        principles=["Civic space is a public good", "Nothing about us without us"],
        themes=[theme],
    )
    domain.add_members(
        actor=proposer,
        container=eoi,
        members=[MemberInput(organisation=partner)],
    )
    domain.start_eoi_review(actor=secretariat, eoi=eoi)
    eoi = domain.accept_eoi(actor=secretariat, eoi=eoi, reason="Welcome.")
    eoi.refresh_from_db()
    coalition = Coalition.objects.get()
    assert (eoi.status, eoi.coalition, eoi.decided_by, eoi.decision_reason) == (
        E.ACCEPTED,
        coalition,
        secretariat,
        "Welcome.",
    )
    assert (coalition.name, coalition.slug, coalition.state, coalition.programme) == (
        "Open civic space",
        "open-civic-space",
        Coalition.State.ACCEPTED,
        programme,
    )
    assert list(coalition.themes.all()) == [theme]
    assert list(coalition.principles.values_list("text", "source_eoi")) == [
        ("Civic space is a public good", eoi.pk),
        ("Nothing about us without us", eoi.pk),
    ]
    assert sorted(coalition.memberships.values_list("organisation", "role", "status")) == sorted(
        [(org_of(proposer).pk, "lead", "active"), (partner.pk, "member", "invited")]
    )
    # The EOI keeps its own content, as submitted.
    assert texts(eoi) == ["Civic space is a public good", "Nothing about us without us"]
    assert eoi.memberships.count() == 2
    assert _audit()[-2:] == ["coalition.created", "eoi.accepted"]
    assert mail.outbox[-1].to == [proposer.email]
    assert "It is now the coalition “Open civic space”." in mail.outbox[-1].body


def test_a_late_eoi_becomes_a_coalition_under_consideration(programme, proposer, secretariat):
    domain.configure_programme(
        actor=secretariat,
        programme=programme,
        eoi_deadline=timezone.now() - dt.timedelta(days=1),
    )
    eoi = make_eoi(programme, proposer)
    domain.accept_eoi(actor=secretariat, eoi=eoi)
    assert Coalition.objects.get().state == Coalition.State.UNDER_CONSIDERATION


def test_two_coalitions_of_the_same_name_get_distinct_slugs(programme, secretariat):
    first = make_eoi(programme)
    second = make_eoi(programme)
    domain.accept_eoi(actor=secretariat, eoi=first)
    domain.accept_eoi(actor=secretariat, eoi=second)
    assert sorted(Coalition.objects.values_list("slug", flat=True)) == [
        "open-civic-space",
        "open-civic-space-2",
    ]


def test_decline_needs_a_reason(programme, proposer, secretariat):
    eoi = make_eoi(programme, proposer)
    audit = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        domain.decline_eoi(actor=secretariat, eoi=eoi, reason="  ")
    assert err.value.message_dict == {"reason": ["Give a reason: the proposer will read it."]}
    assert ExpressionOfInterest.objects.get().status == E.SUBMITTED
    assert AuditEntry.objects.count() == audit
    domain.decline_eoi(actor=secretariat, eoi=eoi, reason="Outside the conference's scope.")
    eoi.refresh_from_db()
    assert (eoi.status, eoi.decision_reason) == (E.DECLINED, "Outside the conference's scope.")
    assert "Outside the conference's scope." in mail.outbox[-1].body


def test_a_draft_cannot_be_reviewed_and_a_decided_eoi_cannot_be_decided_again(
    programme, proposer, secretariat
):
    draft = make_eoi(programme, proposer, submit=False)
    with pytest.raises(ValidationError) as err:
        domain.start_eoi_review(actor=secretariat, eoi=draft)
    assert err.value.messages == [
        "An expression of interest that is draft cannot be taken into review."
    ]
    eoi = make_eoi(programme, proposer)
    domain.accept_eoi(actor=secretariat, eoi=eoi)
    with pytest.raises(ValidationError):
        domain.accept_eoi(actor=secretariat, eoi=eoi)
    with pytest.raises(ValidationError):
        domain.decline_eoi(actor=secretariat, eoi=eoi, reason="Changed our mind.")
    assert Coalition.objects.count() == 1
    assert ExpressionOfInterest.objects.get(pk=eoi.pk).status == E.ACCEPTED


def test_the_proposer_withdraws_until_a_decision(programme, proposer, secretariat, stranger):
    eoi = make_eoi(programme, proposer)
    with pytest.raises(PermissionDenied):
        domain.withdraw_eoi(actor=stranger, eoi=eoi)
    domain.start_eoi_review(actor=secretariat, eoi=eoi)
    domain.withdraw_eoi(actor=proposer, eoi=eoi, reason="Joined another coalition.")
    assert ExpressionOfInterest.objects.get().status == E.WITHDRAWN
    accepted = make_eoi(programme, proposer)
    domain.accept_eoi(actor=secretariat, eoi=accepted)
    with pytest.raises(PermissionDenied):
        domain.withdraw_eoi(actor=proposer, eoi=accepted)
    assert ExpressionOfInterest.objects.get(pk=accepted.pk).status == E.ACCEPTED


# Programme settings ---------------------------------------------------------------------------


def test_secretariat_configures_deadline_and_network(programme, secretariat):
    deadline = timezone.now() + dt.timedelta(days=10)
    settings = domain.configure_programme(
        actor=secretariat, programme=programme, eoi_deadline=deadline, shares_network=False
    )
    assert (settings.eoi_deadline, settings.shares_network) == (deadline, False)
    domain.configure_programme(actor=secretariat, programme=programme, eoi_deadline=None)
    assert list(CoalitionSettings.objects.values_list("eoi_deadline", "shares_network")) == [
        (None, True)
    ]
    assert _audit() == ["programme.coalition_settings"] * 2


@pytest.mark.parametrize("who", ["reviewer", "other_secretariat", "proposer"])
def test_only_the_secretariat_configures(programme, reviewer, other_secretariat, proposer, who):
    actor = {"reviewer": reviewer, "other_secretariat": other_secretariat, "proposer": proposer}[
        who
    ]
    with pytest.raises(PermissionDenied):
        domain.configure_programme(actor=actor, programme=programme, eoi_deadline=None)
    assert CoalitionSettings.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_membership_of_an_eoi_is_visible_to_its_proposer_only(programme, proposer, stranger):
    eoi = make_eoi(programme, proposer, submit=False)
    assert proposer.has_perm("coalitions.view_expressionofinterest", eoi)
    assert not stranger.has_perm("coalitions.view_expressionofinterest", eoi)
    assert Membership.objects.filter(eoi=eoi).count() == 1
