"""Coalitions: their life cycle, editing by leads, visibility and the shared network."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgebook.coalitions import domain, merge
from pledgebook.coalitions.models import Coalition
from pledgebook.coalitions.validation import MemberInput, MilestoneInput
from pledgebook.core.models import AuditEntry
from tests import factories
from tests.coalitions.helpers import make_coalition, make_eoi, texts

CS = Coalition.State
pytestmark = pytest.mark.django_db


def _proposed(programme, secretariat) -> Coalition:
    """A coalition co-created by two proposers: the only way to a *proposed* coalition."""
    first, second = make_eoi(programme), make_eoi(programme, title="Civic space now")
    invitation = merge.invite_to_merge(
        actor=first.organisation.people.get(), from_eoi=first, to_eoi_or_coalition=second
    )
    record = merge.accept_merge_invitation(
        actor=second.organisation.people.get(), invitation=invitation
    )
    assert record.target is not None
    return record.target


def test_the_whole_life_cycle(programme, secretariat):
    coalition = _proposed(programme, secretariat)
    lead = coalition.memberships.filter(role="lead").first().organisation.people.get()
    assert coalition.state == CS.PROPOSED
    domain.start_consideration(actor=secretariat, coalition=coalition)
    domain.accept_coalition(actor=secretariat, coalition=coalition)
    domain.activate_coalition(actor=secretariat, coalition=coalition)
    domain.close_coalition(actor=secretariat, coalition=coalition, reason="Work plan completed.")
    coalition.refresh_from_db()
    assert coalition.state == CS.CLOSED
    assert list(
        AuditEntry.objects.filter(object_type="coalitions.coalition", object_id=coalition.pk)
        .exclude(action="coalition.merge_received")
        .order_by("id")
        .values_list("action", "data")
    ) == [
        ("coalition.under_consideration", {"from": "proposed", "to": "under_consideration"}),
        ("coalition.accepted", {"from": "under_consideration", "to": "accepted"}),
        ("coalition.active", {"from": "accepted", "to": "active"}),
        ("coalition.closed", {"from": "active", "to": "closed"}),
    ]
    assert lead.email in mail.outbox[-1].to
    assert "Work plan completed." in mail.outbox[-1].body


TRANSITIONS = {
    "consider": lambda actor, c: domain.start_consideration(actor=actor, coalition=c),
    "accept": lambda actor, c: domain.accept_coalition(actor=actor, coalition=c),
    "activate": lambda actor, c: domain.activate_coalition(actor=actor, coalition=c),
    "close": lambda actor, c: domain.close_coalition(actor=actor, coalition=c, reason="Done."),
}
ALLOWED = {
    (CS.PROPOSED, CS.UNDER_CONSIDERATION),
    (CS.UNDER_CONSIDERATION, CS.ACCEPTED),
    (CS.ACCEPTED, CS.ACTIVE),
    (CS.PROPOSED, CS.CLOSED),
    (CS.UNDER_CONSIDERATION, CS.CLOSED),
    (CS.ACCEPTED, CS.CLOSED),
    (CS.ACTIVE, CS.CLOSED),
}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.sampled_from(list(TRANSITIONS)), max_size=6))
def test_any_sequence_follows_the_life_cycle(programme, secretariat, steps):
    coalition = _proposed(programme, secretariat)
    audit = AuditEntry.objects.count()
    moves = 0
    for step in steps:
        before = Coalition.objects.get(pk=coalition.pk).state
        try:
            TRANSITIONS[step](secretariat, coalition)
        except ValidationError:
            assert Coalition.objects.get(pk=coalition.pk).state == before
            continue
        after = Coalition.objects.get(pk=coalition.pk).state
        assert (before, after) in ALLOWED
        moves += 1
    assert AuditEntry.objects.count() - audit == moves
    assert Coalition.objects.get(pk=coalition.pk).state != CS.MERGED


@pytest.mark.parametrize("who", ["lead", "reviewer", "other_secretariat", "stranger", "anonymous"])
def test_only_the_secretariat_moves_a_coalition(
    programme, secretariat, proposer, reviewer, other_secretariat, stranger, who
):
    coalition = make_coalition(programme, secretariat, user=proposer)
    actor = {
        "lead": proposer,
        "reviewer": reviewer,
        "other_secretariat": other_secretariat,
        "stranger": stranger,
        "anonymous": AnonymousUser(),
    }[who]
    audit, outbox = AuditEntry.objects.count(), len(mail.outbox)
    for call in TRANSITIONS.values():
        with pytest.raises(PermissionDenied):
            call(actor, coalition)
    assert Coalition.objects.get(pk=coalition.pk).state == CS.ACCEPTED
    assert AuditEntry.objects.count() == audit
    assert len(mail.outbox) == outbox


def test_closing_needs_a_reason(programme, secretariat):
    coalition = make_coalition(programme, secretariat)
    with pytest.raises(ValidationError) as err:
        domain.close_coalition(actor=secretariat, coalition=coalition, reason="")
    assert err.value.message_dict == {"reason": ["Give a reason: the members will read it."]}
    assert Coalition.objects.get().state == CS.ACCEPTED


def test_a_wrong_move_is_explained(programme, secretariat):
    coalition = make_coalition(programme, secretariat)
    with pytest.raises(ValidationError) as err:
        domain.start_consideration(actor=secretariat, coalition=coalition)
    assert err.value.messages == ["A coalition that is accepted cannot be considered."]


# Editing --------------------------------------------------------------------------------------


def test_leads_edit_the_coalition_and_provenance_stays(programme, secretariat, proposer):
    coalition = make_coalition(
        programme,
        secretariat,
        user=proposer,
        principles=["Civic space is a public good", "Nothing about us without us"],
    )
    eoi = coalition.expressions_of_interest.get()
    coalition = domain.update_coalition(
        actor=proposer,
        coalition=coalition,
        name="Civic Space Coalition",
        principles=["NOTHING about us, without us", "Access to information"],
        milestones=[MilestoneInput("Launch the coalition", dt.date(2026, 3, 1), "done")],
    )
    assert coalition.name == "Civic Space Coalition"
    assert list(coalition.principles.values_list("text", "source_eoi")) == [
        ("NOTHING about us, without us", eoi.pk),
        ("Access to information", None),
    ]
    assert list(coalition.milestones.values_list("title", "status", "source_eoi")) == [
        ("Launch the coalition", "done", eoi.pk)
    ]
    assert texts(eoi) == ["Civic space is a public good", "Nothing about us without us"]
    assert AuditEntry.objects.filter(action="coalition.edited").get().data == {
        "parts": ["name", "principles", "milestones"]
    }


def test_a_dateless_milestone_is_refused_in_a_coalition_too(programme, secretariat, proposer):
    coalition = make_coalition(programme, secretariat, user=proposer)
    audit = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        domain.update_coalition(
            actor=proposer, coalition=coalition, milestones=[MilestoneInput("Summit", None)]
        )
    assert err.value.message_dict == {
        "milestones": ["Milestone 1 (“Summit”) has no date: give a due date."]
    }
    assert list(coalition.milestones.values_list("title", flat=True)) == ["Launch the coalition"]
    assert AuditEntry.objects.count() == audit


@pytest.mark.parametrize("who", ["member", "stranger", "other_secretariat"])
def test_only_leads_and_secretariat_edit(
    programme, secretariat, proposer, stranger, other_secretariat, who
):
    coalition = make_coalition(programme, secretariat, user=proposer)
    member_org = factories.OrganisationFactory()
    member = factories.representative(member_org)
    (seat,) = domain.add_members(
        actor=proposer, container=coalition, members=[MemberInput(member_org)]
    )
    domain.respond_to_invitation(actor=member, membership=seat, accept=True)
    actor = {"member": member, "stranger": stranger, "other_secretariat": other_secretariat}[who]
    audit = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        domain.update_coalition(actor=actor, coalition=coalition, name="Taken over")
    assert Coalition.objects.get().name == "Open civic space"
    assert AuditEntry.objects.count() == audit
    domain.update_coalition(actor=secretariat, coalition=coalition, summary="By the secretariat.")
    assert Coalition.objects.get().summary == "By the secretariat."


def test_a_closed_coalition_cannot_be_edited(programme, secretariat, proposer):
    coalition = make_coalition(programme, secretariat, user=proposer)
    domain.close_coalition(actor=secretariat, coalition=coalition, reason="Dissolved.")
    with pytest.raises(PermissionDenied):
        domain.update_coalition(actor=proposer, coalition=coalition, name="Revived")


# Visibility and the network -------------------------------------------------------------------


def test_public_coalitions_of_sharing_programmes_form_the_network(secretariat, programme):
    coalition = make_coalition(programme, secretariat)
    private_programme = factories.ProgrammeFactory()
    private_secretariat = factories.staff(private_programme)
    domain.configure_programme(
        actor=private_secretariat,
        programme=private_programme,
        eoi_deadline=None,
        shares_network=False,
    )
    hidden = make_coalition(private_programme, private_secretariat)
    third = factories.ProgrammeFactory()
    shared = make_coalition(third, factories.staff(third))
    assert set(Coalition.objects.in_network()) == {coalition, shared}
    assert set(Coalition.objects.public()) == {coalition, hidden, shared}
    assert list(Coalition.objects.for_programme(private_programme)) == [hidden]


def test_who_sees_a_coalition(programme, secretariat, reviewer, stranger):
    domain.configure_programme(
        actor=secretariat, programme=programme, eoi_deadline=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    coalition = make_coalition(programme, secretariat)
    assert coalition.state == CS.UNDER_CONSIDERATION
    lead = coalition.memberships.get().organisation.people.get()
    assert lead.has_perm("coalitions.view_coalition", coalition)
    assert reviewer.has_perm("coalitions.view_coalition", coalition)
    assert not stranger.has_perm("coalitions.view_coalition", coalition)
    domain.accept_coalition(actor=secretariat, coalition=coalition)
    coalition.refresh_from_db()
    assert stranger.has_perm("coalitions.view_coalition", coalition)
    assert AnonymousUser().has_perm("coalitions.view_coalition", coalition)
