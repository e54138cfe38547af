"""Merging expressions of interest and coalitions: the combined content and its provenance,
the errors (nothing changed), permission, exact undo, and co-creation by invitation."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from pledgebook.coalitions import domain, merge
from pledgebook.coalitions.models import (
    Coalition,
    ExpressionOfInterest,
    MergeInvitation,
    MergeRecord,
)
from pledgebook.coalitions.validation import MemberInput, MilestoneInput
from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import ProgrammeRole
from tests import factories
from tests.coalitions.helpers import make_coalition, make_eoi, org_of
from tests.coalitions.helpers import proposer as new_proposer

E = ExpressionOfInterest.Status
CS = Coalition.State
pytestmark = pytest.mark.django_db

JUNE = dt.date(2026, 6, 1)
JULY = dt.date(2026, 7, 1)


def _world() -> dict[str, Any]:
    """Counts that a refused merge must leave as they were."""
    return {
        "eois": sorted(ExpressionOfInterest.objects.values_list("pk", "status", "coalition")),
        "coalitions": sorted(Coalition.objects.values_list("pk", "state", "merged_into")),
        "records": MergeRecord.objects.count(),
        "audit": AuditEntry.objects.count(),
        "mail": len(mail.outbox),
    }


@pytest.fixture
def pair(programme):
    """Two submitted expressions of interest that overlap."""
    shared = factories.OrganisationFactory(name="Shared Partner")
    first_user, second_user = new_proposer(), new_proposer()
    first = make_eoi(
        programme,
        first_user,
        title="Open civic space",
        principles=["Civic space is a public good", "Nothing about us without us"],
        asks=["Protect defenders online"],
        milestones=[MilestoneInput("Launch", JUNE), MilestoneInput("Report", JULY)],
        members=[MemberInput(shared), MemberInput(org_of(second_user))],
    )
    second = make_eoi(
        programme,
        second_user,
        title="Civic space now",
        principles=["nothing about us, WITHOUT us!", "Youth at every table"],
        asks=["Protect  defenders online.", "Fund local monitors"],
        milestones=[MilestoneInput("launch", JUNE), MilestoneInput("Launch", JULY)],
        members=[MemberInput(shared, role="lead")],
    )
    return first, second


# Merging --------------------------------------------------------------------------------------


def test_merge_two_eois_into_a_new_coalition(programme, secretariat, pair):
    first, second = pair
    mail.outbox.clear()
    record = merge.merge(actor=secretariat, sources=[first, second])
    coalition = Coalition.objects.get()
    assert (record.target, record.target_was_created, record.performed_by) == (
        coalition,
        True,
        secretariat,
    )
    assert (coalition.name, coalition.state, coalition.programme) == (
        "Open civic space",
        CS.UNDER_CONSIDERATION,
        programme,
    )
    principles = [
        (p.text, p.source_eoi_id, sorted(e.pk for e in p.also_from.all()))
        for p in coalition.principles.order_by("position")
    ]
    assert principles == [
        ("Civic space is a public good", first.pk, []),
        ("Nothing about us without us", first.pk, [second.pk]),
        ("Youth at every table", second.pk, []),
    ]
    asks = [
        (a.text, a.source_eoi_id, [e.pk for e in a.also_from.all()])
        for a in coalition.asks.order_by("position")
    ]
    assert asks == [
        ("Protect defenders online", first.pk, [second.pk]),
        ("Fund local monitors", second.pk, []),
    ]
    milestones = sorted(
        (m.title, m.due_on, m.source_eoi_id, [e.pk for e in m.also_from.all()])
        for m in coalition.milestones.all()
    )
    assert milestones == [
        ("Launch", JUNE, first.pk, [second.pk]),
        ("Launch", JULY, second.pk, []),
        ("Report", JULY, first.pk, []),
    ]
    members = sorted(
        (m.organisation.name, m.role, m.status, m.source_eoi_id, [e.pk for e in m.also_from.all()])
        for m in coalition.memberships.all()
    )
    # The shared partner was a lead in the second EOI; the second proposer, invited by the first,
    # is the active lead of its own: the kept rows take the stronger role and status.
    assert members == sorted(
        [
            (first.organisation.name, "lead", "active", first.pk, []),
            ("Shared Partner", "lead", "invited", first.pk, [second.pk]),
            (second.organisation.name, "lead", "active", first.pk, [second.pk]),
        ]
    )
    for eoi in (first, second):
        eoi.refresh_from_db()
        assert (eoi.status, eoi.coalition) == (E.MERGED, coalition)
        assert eoi.principles.count() == 2  # each keeps its own content
    assert set(record.source_eois.all()) == {first, second}
    assert list(
        AuditEntry.objects.filter(action__endswith="merged")
        .order_by("id")
        .values_list("action", "object_id")
    ) == [("eoi.merged", first.pk), ("eoi.merged", second.pk)]
    assert AuditEntry.objects.filter(action="coalition.merge_received").get().data == {
        "merge_record": record.pk,
        "created": True,
        "sources": [f"expressionofinterest:{first.pk}", f"expressionofinterest:{second.pk}"],
        "invitation": None,
    }
    notified = sorted(tuple(m.to) for m in mail.outbox)
    assert notified == sorted(
        [
            (first.organisation.people.get().email,),
            (second.organisation.people.get().email,),
        ]
    )
    assert all("was merged into the coalition “Open civic space”" in m.body for m in mail.outbox)


def test_merge_into_an_existing_coalition(programme, secretariat, pair):
    first, second = pair
    lead_user = new_proposer()
    coalition = make_coalition(
        programme,
        secretariat,
        user=lead_user,
        title="Civic Space Alliance",
        principles=["Civic space is a public good"],
        asks=["Repeal foreign agent laws"],
    )
    origin = coalition.expressions_of_interest.get()
    mail.outbox.clear()
    record = merge.merge(actor=secretariat, sources=[first, second], into=coalition)
    assert (record.target, record.target_was_created) == (coalition, False)
    coalition.refresh_from_db()
    assert coalition.state == CS.ACCEPTED
    assert [
        (p.text, p.source_eoi_id, sorted(e.pk for e in p.also_from.all()))
        for p in coalition.principles.order_by("position")
    ] == [
        ("Civic space is a public good", origin.pk, [first.pk]),
        ("Nothing about us without us", first.pk, [second.pk]),
        ("Youth at every table", second.pk, []),
    ]
    assert list(coalition.asks.order_by("position").values_list("text", flat=True)) == [
        "Repeal foreign agent laws",
        "Protect defenders online",
        "Fund local monitors",
    ]
    assert Coalition.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            first.organisation.people.get().email,
            second.organisation.people.get().email,
            lead_user.email,
        ]
    )


def test_merge_coalitions_takes_the_strongest_state(programme, secretariat):
    accepted = make_coalition(programme, secretariat, title="One")
    active = make_coalition(programme, secretariat, title="Two")
    domain.activate_coalition(actor=secretariat, coalition=active)
    record = merge.merge(actor=secretariat, sources=[accepted, active], name="One and Two")
    target = record.target
    assert (target.name, target.state) == ("One and Two", CS.ACTIVE)
    for source in (accepted, active):
        source.refresh_from_db()
        assert (source.state, source.merged_into) == (CS.MERGED, target)
    assert set(record.source_coalitions.all()) == {accepted, active}


def test_merge_across_programmes_that_share_the_network(programme, secretariat):
    other = factories.ProgrammeFactory()
    both = factories.staff(other)  # runs both programmes
    ProgrammeRole.objects.create(programme=programme, user=both, role="secretariat")
    here, there = make_eoi(programme), make_eoi(other, title="Elsewhere")
    with pytest.raises(PermissionDenied):  # the secretariat of one programme only
        merge.merge(actor=secretariat, sources=[here, there])
    record = merge.merge(actor=both, sources=[here, there])
    assert record.target.programme == programme


# Refusals: clear errors, nothing changed ------------------------------------------------------


def test_an_eoi_cannot_be_merged_with_itself(programme, secretariat, pair):
    first, _second = pair
    before = _world()
    with pytest.raises(ValidationError) as err:
        merge.merge(actor=secretariat, sources=[first, first])
    assert err.value.messages == [
        "“Open civic space” is chosen twice: it cannot be merged with itself."
    ]
    assert _world() == before


def test_eois_of_programmes_that_do_not_share_the_network_cannot_merge(
    programme, secretariat, pair
):
    first, _second = pair
    private = factories.ProgrammeFactory(name="Closed Forum")
    domain.configure_programme(
        actor=secretariat, programme=programme, eoi_deadline=None, shares_network=True
    )
    ProgrammeRole.objects.create(programme=private, user=secretariat, role="secretariat")
    domain.configure_programme(
        actor=secretariat, programme=private, eoi_deadline=None, shares_network=False
    )
    elsewhere = make_eoi(private, title="Closed civic space")
    before = _world()
    with pytest.raises(ValidationError) as err:
        merge.merge(actor=secretariat, sources=[first, elsewhere])
    assert err.value.messages == [
        "These come from programmes that do not share the coalition network "
        f"(Closed Forum, {programme.name}): they cannot be merged."
    ]
    assert _world() == before


@pytest.mark.parametrize(
    "case, message",
    [
        ("one_source", "Choose at least two expressions of interest or coalitions to merge."),
        ("no_source_into", "Choose what to merge into the coalition."),
        ("already_merged", "“Open civic space” is already merged into “Open civic space”."),
        ("draft", "“Draft idea” is draft: only submitted expressions of interest merge."),
        ("accepted", "“Became one” has become the coalition “Became one”: merge the coalition."),
        ("into_itself", "“Became one” cannot be merged into itself."),
        ("into_closed", "“Became one” is closed: nothing can be merged into it."),
    ],
)
def test_bad_merges_are_explained_and_change_nothing(programme, secretariat, pair, case, message):
    first, second = pair
    if case == "already_merged":
        merge.merge(actor=secretariat, sources=[first, second])
        third = make_eoi(programme, title="Third")
        args: dict[str, Any] = {"sources": [first, third]}
    elif case == "one_source":
        args = {"sources": [first]}
    elif case == "no_source_into":
        args = {"sources": [], "into": make_coalition(programme, secretariat)}
    elif case == "draft":
        args = {"sources": [first, make_eoi(programme, title="Draft idea", submit=False)]}
    else:
        coalition = make_coalition(programme, secretariat, title="Became one")
        if case == "accepted":
            args = {"sources": [first, coalition.expressions_of_interest.get()]}
        elif case == "into_itself":
            args = {"sources": [first, coalition], "into": coalition}
        else:
            domain.close_coalition(actor=secretariat, coalition=coalition, reason="Ended.")
            args = {"sources": [first], "into": coalition}
    before = _world()
    with pytest.raises(ValidationError) as err:
        merge.merge(actor=secretariat, **args)
    assert err.value.messages == [message]
    assert _world() == before


@pytest.mark.parametrize("who", ["proposer", "reviewer", "other_secretariat", "anonymous"])
def test_only_the_secretariat_merges(
    programme, pair, reviewer, other_secretariat, secretariat, who
):
    first, second = pair
    actor = {
        "proposer": first.organisation.people.get(),
        "reviewer": reviewer,
        "other_secretariat": other_secretariat,
        "anonymous": AnonymousUser(),
    }[who]
    before = _world()
    with pytest.raises(PermissionDenied):
        merge.merge(actor=actor, sources=[first, second])
    assert _world() == before
    record = merge.merge(actor=secretariat, sources=[first, second])
    before = _world()
    with pytest.raises(PermissionDenied):
        merge.undo_merge(actor=actor, merge_record=record)
    assert _world() == before


# Undo -----------------------------------------------------------------------------------------


def test_undo_restores_the_eois_and_deletes_the_new_coalition(programme, secretariat, pair):
    first, second = pair
    snapshots = [merge.snapshot(first), merge.snapshot(second)]
    record = merge.merge(actor=secretariat, sources=[first, second])
    coalition_id = record.target.pk
    merge.undo_merge(actor=secretariat, merge_record=record)
    assert [merge.snapshot(first), merge.snapshot(second)] == snapshots
    assert not Coalition.objects.filter(pk=coalition_id).exists()
    record.refresh_from_db()
    assert (record.target, record.undone_by, record.is_undone) == (None, secretariat, True)
    assert ExpressionOfInterest.objects.get(pk=first.pk).status == E.SUBMITTED
    assert "is back as it was before" in mail.outbox[-1].body
    with pytest.raises(ValidationError) as err:
        merge.undo_merge(actor=secretariat, merge_record=record)
    assert err.value.messages == ["This merge has already been undone."]
    # ...and the EOIs can be merged again.
    merge.merge(actor=secretariat, sources=[second, first])
    assert Coalition.objects.get().name == "Civic space now"


def test_undo_restores_an_existing_coalition_exactly(programme, secretariat, pair):
    first, second = pair
    theme = factories.ThemeFactory(programme=programme)
    domain.update_eoi(actor=first.organisation.people.get(), eoi=first, themes=[theme])
    coalition = make_coalition(programme, secretariat, principles=["Civic space is a public good"])
    before = merge.snapshot(coalition)
    record = merge.merge(actor=secretariat, sources=[first, second], into=coalition)
    assert list(coalition.themes.all()) == [theme]
    assert coalition.principles.get(text="Civic space is a public good").also_from.count() == 1
    merge.undo_merge(actor=secretariat, merge_record=record)
    assert merge.snapshot(coalition) == before
    assert coalition.themes.count() == 0
    assert Coalition.objects.count() == 1


def test_undo_is_refused_once_the_coalition_changed(programme, secretariat, pair):
    first, second = pair
    record = merge.merge(actor=secretariat, sources=[first, second])
    coalition = record.target
    lead = first.organisation.people.get()
    domain.update_coalition(actor=lead, coalition=coalition, summary="We started working.")
    before = _world()
    with pytest.raises(ValidationError) as err:
        merge.undo_merge(actor=secretariat, merge_record=record)
    assert err.value.messages == [
        "This merge can no longer be undone: “Open civic space” changed since. "
        "Edit the coalition instead."
    ]
    assert _world() == before
    assert Coalition.objects.get().summary == "We started working."


def test_undo_is_refused_once_the_coalition_merged_further(programme, secretariat, pair):
    first, second = pair
    record = merge.merge(actor=secretariat, sources=[first, second])
    third = make_eoi(programme, title="Third")
    later = merge.merge(actor=secretariat, sources=[third], into=record.target)
    with pytest.raises(ValidationError):
        merge.undo_merge(actor=secretariat, merge_record=record)
    # Undo in reverse order works.
    merge.undo_merge(actor=secretariat, merge_record=later)
    merge.undo_merge(actor=secretariat, merge_record=record)
    assert Coalition.objects.count() == 0
    assert set(ExpressionOfInterest.objects.values_list("status", flat=True)) == {E.SUBMITTED}


def test_undo_of_a_coalition_merge_restores_the_source_coalitions(programme, secretariat):
    one = make_coalition(programme, secretariat, title="One")
    two = make_coalition(programme, secretariat, title="Two")
    snapshots = [merge.snapshot(one), merge.snapshot(two)]
    record = merge.merge(actor=secretariat, sources=[one, two])
    merge.undo_merge(actor=secretariat, merge_record=record)
    assert [merge.snapshot(one), merge.snapshot(two)] == snapshots
    assert sorted(Coalition.objects.values_list("name", "state", "merged_into")) == [
        ("One", CS.ACCEPTED, None),
        ("Two", CS.ACCEPTED, None),
    ]


# Co-creation ----------------------------------------------------------------------------------


def test_proposers_co_create_a_coalition_by_invitation(programme, secretariat, pair):
    first, second = pair
    first_user, second_user = first.organisation.people.get(), second.organisation.people.get()
    invitation = merge.invite_to_merge(
        actor=first_user, from_eoi=first, to_eoi_or_coalition=second, message="Join forces?"
    )
    assert (invitation.status, invitation.to) == (MergeInvitation.Status.PENDING, second)
    assert mail.outbox[-1].to == [second_user.email]
    assert "Join forces?" in mail.outbox[-1].body
    with pytest.raises(ValidationError) as err:
        merge.invite_to_merge(actor=first_user, from_eoi=first, to_eoi_or_coalition=second)
    assert err.value.messages == ["You have already invited “Civic space now” to merge."]
    before = _world()
    with pytest.raises(PermissionDenied):  # the inviter cannot accept for the other side
        merge.accept_merge_invitation(actor=first_user, invitation=invitation)
    assert _world() == before
    record = merge.accept_merge_invitation(actor=second_user, invitation=invitation)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decided_by, invitation.merge_record) == (
        MergeInvitation.Status.ACCEPTED,
        second_user,
        record,
    )
    assert (record.performed_by, record.target.state, record.target.name) == (
        second_user,
        CS.PROPOSED,
        "Open civic space",
    )
    assert AuditEntry.objects.get(action="coalition.merge_received").actor == second_user
    accepted = AuditEntry.objects.get(action="eoi.merge_accepted")
    assert (accepted.actor, accepted.object_id, accepted.data) == (
        second_user,
        first.pk,
        {"from": "pending", "to": "accepted", "invitation": invitation.pk},
    )
    # Answered: a second answer, from a fresh page, is refused and changes nothing.
    with pytest.raises(ValidationError) as again:
        merge.decline_merge_invitation(
            actor=second_user, invitation=MergeInvitation.objects.get(pk=invitation.pk)
        )
    assert again.value.messages == ["This invitation has already been answered."]
    # The secretariat can still undo it.
    merge.undo_merge(actor=secretariat, merge_record=record)
    assert Coalition.objects.count() == 0


def test_an_eoi_is_invited_into_a_coalition_and_its_lead_accepts(programme, secretariat, pair):
    first, _second = pair
    lead = new_proposer()
    coalition = make_coalition(programme, secretariat, user=lead, title="Civic Space Alliance")
    invitation = merge.invite_to_merge(
        actor=first.organisation.people.get(), from_eoi=first, to_eoi_or_coalition=coalition
    )
    assert mail.outbox[-1].to == [lead.email]
    record = merge.accept_merge_invitation(actor=lead, invitation=invitation)
    assert (record.target, record.target_was_created) == (coalition, False)
    first.refresh_from_db()
    assert (first.status, first.coalition) == (E.MERGED, coalition)


def test_an_eoi_cannot_invite_itself_nor_across_closed_networks(programme, secretariat, pair):
    first, _second = pair
    user = first.organisation.people.get()
    with pytest.raises(ValidationError) as err:
        merge.invite_to_merge(actor=user, from_eoi=first, to_eoi_or_coalition=first)
    assert err.value.messages == [
        "“Open civic space” is chosen twice: it cannot be merged with itself."
    ]
    private = factories.ProgrammeFactory()
    domain.configure_programme(
        actor=factories.staff(private), programme=private, eoi_deadline=None, shares_network=False
    )
    with pytest.raises(ValidationError):
        merge.invite_to_merge(
            actor=user, from_eoi=first, to_eoi_or_coalition=make_eoi(private, title="Private")
        )
    assert MergeInvitation.objects.count() == 0


def test_only_the_proposer_invites(programme, pair, secretariat, stranger):
    first, second = pair
    for actor in (stranger, secretariat, second.organisation.people.get()):
        with pytest.raises(PermissionDenied):
            merge.invite_to_merge(actor=actor, from_eoi=first, to_eoi_or_coalition=second)
    assert MergeInvitation.objects.count() == 0
    assert AuditEntry.objects.filter(action="eoi.merge_invited").count() == 0


def test_the_other_side_declines_and_the_inviter_cancels(programme, pair, stranger):
    first, second = pair
    first_user, second_user = first.organisation.people.get(), second.organisation.people.get()
    declined = merge.invite_to_merge(actor=first_user, from_eoi=first, to_eoi_or_coalition=second)
    audit = AuditEntry.objects.count()
    for actor in (stranger, first_user):
        with pytest.raises(PermissionDenied):
            merge.decline_merge_invitation(actor=actor, invitation=declined)
    assert MergeInvitation.objects.get().status == MergeInvitation.Status.PENDING
    assert AuditEntry.objects.count() == audit
    merge.decline_merge_invitation(actor=second_user, invitation=declined, reason="Different aims.")
    declined.refresh_from_db()
    assert (declined.status, declined.reason) == (
        MergeInvitation.Status.DECLINED,
        "Different aims.",
    )
    assert mail.outbox[-1].to == [first_user.email]
    assert "Different aims." in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        merge.accept_merge_invitation(actor=second_user, invitation=declined)
    cancelled = merge.invite_to_merge(actor=first_user, from_eoi=first, to_eoi_or_coalition=second)
    audit = AuditEntry.objects.count()
    for actor in (second_user, stranger):
        with pytest.raises(PermissionDenied):
            merge.cancel_merge_invitation(actor=actor, invitation=cancelled)
    assert MergeInvitation.objects.get(pk=cancelled.pk).status == MergeInvitation.Status.PENDING
    assert AuditEntry.objects.count() == audit
    merge.cancel_merge_invitation(actor=first_user, invitation=cancelled)
    assert MergeInvitation.objects.get(pk=cancelled.pk).status == MergeInvitation.Status.CANCELLED
    assert ExpressionOfInterest.objects.filter(status=E.MERGED).count() == 0


def test_accepting_after_a_side_withdrew_is_refused(programme, pair):
    first, second = pair
    first_user, second_user = first.organisation.people.get(), second.organisation.people.get()
    invitation = merge.invite_to_merge(actor=first_user, from_eoi=first, to_eoi_or_coalition=second)
    domain.withdraw_eoi(actor=first_user, eoi=first)
    before = _world()
    with pytest.raises(ValidationError) as err:
        merge.accept_merge_invitation(actor=second_user, invitation=invitation)
    assert err.value.messages == [
        "“Open civic space” is withdrawn: only submitted expressions of interest merge."
    ]
    assert _world() == before
    assert MergeInvitation.objects.get().status == MergeInvitation.Status.PENDING


def test_undo_is_refused_while_the_new_coalition_is_invited_to_another_merge(
    programme, secretariat, pair
):
    first, second = pair
    record = merge.merge(actor=secretariat, sources=[first, second])
    third = make_eoi(programme, title="Third")
    merge.invite_to_merge(
        actor=third.organisation.people.get(), from_eoi=third, to_eoi_or_coalition=record.target
    )
    with pytest.raises(ValidationError) as err:
        merge.undo_merge(actor=secretariat, merge_record=record)
    assert err.value.messages == [
        "This merge can no longer be undone: “Open civic space” has been invited to another "
        "merge since."
    ]
    assert Coalition.objects.count() == 1
