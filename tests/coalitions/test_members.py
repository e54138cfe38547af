"""Members of expressions of interest and coalitions: invitations (on the platform and by
e-mail), answers, requests to join, roles and removal."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pledgebook.coalitions import domain
from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.coalitions.validation import MemberInput
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category
from pledgebook.reference.models import Country
from tests import factories
from tests.coalitions.helpers import make_coalition, make_eoi, org_of

MS = Membership.Status
pytestmark = pytest.mark.django_db


def _members(container: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (m.organisation_id or 0, m.invited_email, m.role, m.status)
        for m in container.memberships.all()
    )


def _by_email(email: str = "coordinator@green-youth.example") -> MemberInput:
    return MemberInput(
        email=email,
        name="Green Youth Network",
        category=Category.YOUTH_LED,
        country=Country.objects.get(iso2="BR"),
    )


# Inviting -------------------------------------------------------------------------------------


def test_proposer_invites_organisations_on_and_off_the_platform(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    partner = factories.OrganisationFactory(name="Women Deliver Kenya")
    partner_rep = factories.representative(partner)
    created = domain.add_members(
        actor=proposer,
        container=eoi,
        members=[
            MemberInput(organisation=partner, role=Membership.Role.LEAD),
            _by_email(" Coordinator@Green-Youth.example "),
        ],
    )
    assert [(m.organisation, m.invited_email, m.role, m.status, m.source_eoi) for m in created] == [
        (partner, "", "lead", "invited", eoi),
        (None, "coordinator@green-youth.example", "member", "invited", eoi),
    ]
    assert created[1].invited_name == "Green Youth Network"
    assert created[1].display_name == "Green Youth Network"
    assert [m.to for m in mail.outbox] == [[partner_rep.email], ["coordinator@green-youth.example"]]
    assert "Women Deliver Kenya is invited to join “Open civic space” as Lead." in (
        mail.outbox[0].body
    )
    assert "/accounts/signup/" in mail.outbox[1].body
    assert AuditEntry.objects.filter(action="membership.invited").count() == 2


def test_an_organisation_given_twice_is_refused_and_nothing_is_added(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    partner = factories.OrganisationFactory(name="Women Deliver Kenya")
    before, audit = _members(eoi), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        domain.add_members(
            actor=proposer,
            container=eoi,
            members=[MemberInput(organisation=partner), MemberInput(organisation=partner)],
        )
    assert err.value.message_dict == {"members": ["Women Deliver Kenya is given twice."]}
    with pytest.raises(ValidationError) as err:
        domain.add_members(
            actor=proposer, container=eoi, members=[MemberInput(organisation=org_of(proposer))]
        )
    assert err.value.message_dict == {"members": [f"{org_of(proposer)} is already a member."]}
    assert _members(eoi) == before
    assert AuditEntry.objects.count() == audit
    assert mail.outbox == []


def test_an_address_given_twice_in_another_case_is_refused(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    domain.add_members(actor=proposer, container=eoi, members=[_by_email()])
    with pytest.raises(ValidationError) as err:
        domain.add_members(
            actor=proposer, container=eoi, members=[_by_email("COORDINATOR@green-youth.example")]
        )
    assert err.value.message_dict == {"members": ["Green Youth Network is already a member."]}
    assert eoi.memberships.count() == 2


def test_an_organisation_invited_by_email_needs_name_category_and_country(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    with pytest.raises(ValidationError) as err:
        domain.add_members(
            actor=proposer,
            container=eoi,
            members=[MemberInput(email="not-an-address"), MemberInput(email="a@b.example")],
        )
    assert err.value.message_dict == {
        "members": [
            "Give a valid e-mail address to invite not-an-address.",
            "Give the name of the organisation invited at a@b.example.",
            "Give the stakeholder category of a@b.example.",
            "Give the country of a@b.example.",
        ]
    }
    assert eoi.memberships.count() == 1


@pytest.mark.parametrize("who", ["stranger", "secretariat", "anonymous"])
def test_only_the_proposer_invites_to_an_eoi(programme, proposer, secretariat, stranger, who):
    eoi = make_eoi(programme, proposer, submit=False)
    actor = {"stranger": stranger, "secretariat": secretariat, "anonymous": AnonymousUser()}[who]
    with pytest.raises(PermissionDenied):
        domain.add_members(
            actor=actor,
            container=eoi,
            members=[MemberInput(organisation=factories.OrganisationFactory())],
        )
    assert eoi.memberships.count() == 1
    assert AuditEntry.objects.filter(action="membership.invited").count() == 0


def test_no_invitations_once_review_started(programme, proposer, secretariat):
    eoi = make_eoi(programme, proposer)
    domain.start_eoi_review(actor=secretariat, eoi=eoi)
    with pytest.raises(PermissionDenied):
        domain.add_members(
            actor=proposer,
            container=eoi,
            members=[MemberInput(organisation=factories.OrganisationFactory())],
        )
    assert eoi.memberships.count() == 1


def test_leads_and_secretariat_invite_to_a_coalition(programme, proposer, secretariat, stranger):
    coalition = make_coalition(programme, secretariat, user=proposer)
    first, second = factories.OrganisationFactory(), factories.OrganisationFactory()
    domain.add_members(actor=proposer, container=coalition, members=[MemberInput(first)])
    domain.add_members(actor=secretariat, container=coalition, members=[MemberInput(second)])
    with pytest.raises(PermissionDenied):
        domain.add_members(
            actor=stranger,
            container=coalition,
            members=[MemberInput(factories.OrganisationFactory())],
        )
    added = coalition.memberships.filter(organisation__in=[first, second])
    assert sorted(added.values_list("status", "source_eoi")) == [("invited", None)] * 2


# Answering ------------------------------------------------------------------------------------


def test_the_invited_organisation_accepts_and_the_proposer_is_told(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    partner = factories.OrganisationFactory(name="Women Deliver Kenya")
    partner_rep = factories.representative(partner)
    (membership,) = domain.add_members(
        actor=proposer, container=eoi, members=[MemberInput(partner)]
    )
    domain.respond_to_invitation(actor=partner_rep, membership=membership, accept=True)
    membership.refresh_from_db()
    assert (membership.status, membership.decided_at is not None) == (MS.ACTIVE, True)
    assert mail.outbox[-1].to == [proposer.email]
    assert mail.outbox[-1].subject == "Women Deliver Kenya joined “Open civic space”"
    with pytest.raises(ValidationError) as err:
        domain.respond_to_invitation(actor=partner_rep, membership=membership, accept=False)
    assert err.value.messages == ["This invitation has already been answered."]


@pytest.mark.parametrize("who", ["proposer", "stranger", "anonymous"])
def test_only_the_invited_organisation_answers(programme, proposer, stranger, who):
    eoi = make_eoi(programme, proposer, submit=False)
    (membership,) = domain.add_members(
        actor=proposer, container=eoi, members=[MemberInput(factories.OrganisationFactory())]
    )
    actor = {"proposer": proposer, "stranger": stranger, "anonymous": AnonymousUser()}[who]
    audit = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        domain.respond_to_invitation(actor=actor, membership=membership, accept=True)
    membership.refresh_from_db()
    assert membership.status == MS.INVITED
    assert AuditEntry.objects.count() == audit


def test_an_organisation_invited_by_email_claims_its_seat_after_signing_up(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    (membership,) = domain.add_members(actor=proposer, container=eoi, members=[_by_email()])
    newcomer = factories.UserFactory(username="coordinator@green-youth.example")
    new_org = factories.OrganisationFactory(name="Green Youth Network")
    factories.representative(new_org, newcomer)
    with pytest.raises(ValidationError) as err:
        domain.respond_to_invitation(actor=newcomer, membership=membership, accept=True)
    assert err.value.message_dict == {"organisation": ["Choose the organisation that joins."]}
    with pytest.raises(PermissionDenied):  # an organisation they do not represent
        domain.respond_to_invitation(
            actor=newcomer,
            membership=membership,
            accept=True,
            organisation=factories.OrganisationFactory(),
        )
    with pytest.raises(PermissionDenied):  # someone else's address
        domain.respond_to_invitation(
            actor=factories.representative(new_org),
            membership=membership,
            accept=True,
            organisation=new_org,
        )
    membership.refresh_from_db()
    assert (membership.organisation, membership.status) == (None, MS.INVITED)
    domain.respond_to_invitation(
        actor=newcomer, membership=membership, accept=True, organisation=new_org
    )
    membership.refresh_from_db()
    assert (membership.organisation, membership.invited_email, membership.status) == (
        new_org,
        "",
        MS.ACTIVE,
    )
    assert membership.invited_name == "Green Youth Network"


def test_an_unverified_account_cannot_claim_an_invitation(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    (membership,) = domain.add_members(actor=proposer, container=eoi, members=[_by_email()])
    pending = factories.UserFactory(username="coordinator@green-youth.example", is_active=False)
    new_org = factories.OrganisationFactory()
    factories.representative(new_org, pending)
    with pytest.raises(PermissionDenied):
        domain.respond_to_invitation(
            actor=pending, membership=membership, accept=True, organisation=new_org
        )


# Requests to join -----------------------------------------------------------------------------


def test_an_organisation_asks_to_join_and_a_lead_accepts(programme, proposer, secretariat):
    coalition = make_coalition(programme, secretariat, user=proposer)
    applicant_org = factories.OrganisationFactory(name="Sea Shepherds Fiji")
    applicant = factories.representative(applicant_org)
    membership = domain.request_to_join(
        actor=applicant, coalition=coalition, organisation=applicant_org
    )
    assert (membership.status, membership.role, membership.source_eoi) == (
        MS.REQUESTED,
        "member",
        None,
    )
    assert mail.outbox[-1].to == [proposer.email]
    assert mail.outbox[-1].subject == "Sea Shepherds Fiji asks to join “Open civic space”"
    with pytest.raises(ValidationError) as err:
        domain.request_to_join(actor=applicant, coalition=coalition, organisation=applicant_org)
    assert err.value.messages == ["Sea Shepherds Fiji has already asked to join."]
    with pytest.raises(PermissionDenied):
        domain.decide_join_request(actor=applicant, membership=membership, accept=True)
    domain.decide_join_request(actor=proposer, membership=membership, accept=True)
    membership.refresh_from_db()
    assert membership.status == MS.ACTIVE
    assert mail.outbox[-1].to == [applicant.email]
    assert "Sea Shepherds Fiji is now a member of “Open civic space”." in mail.outbox[-1].body
    assert list(
        AuditEntry.objects.filter(object_type="coalitions.membership", object_id=membership.pk)
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["membership.requested", "membership.request_accepted"]


def test_a_declined_organisation_may_ask_again(programme, proposer, secretariat):
    coalition = make_coalition(programme, secretariat, user=proposer)
    org = factories.OrganisationFactory()
    rep = factories.representative(org)
    first = domain.request_to_join(actor=rep, coalition=coalition, organisation=org)
    domain.decide_join_request(actor=secretariat, membership=first, accept=False, reason="Later.")
    again = domain.request_to_join(actor=rep, coalition=coalition, organisation=org)
    assert (again.pk, again.status) == (first.pk, MS.REQUESTED)


def test_a_coalition_not_yet_public_takes_no_requests(programme, secretariat):
    domain.configure_programme(
        actor=secretariat,
        programme=programme,
        eoi_deadline=timezone.now() - dt.timedelta(days=1),
    )
    coalition = make_coalition(programme, secretariat)
    assert coalition.state == Coalition.State.UNDER_CONSIDERATION
    org = factories.OrganisationFactory()
    with pytest.raises(PermissionDenied):
        domain.request_to_join(
            actor=factories.representative(org), coalition=coalition, organisation=org
        )
    assert coalition.memberships.count() == 1


def test_one_cannot_ask_to_join_for_someone_elses_organisation(programme, secretariat, stranger):
    coalition = make_coalition(programme, secretariat)
    with pytest.raises(PermissionDenied):
        domain.request_to_join(
            actor=stranger, coalition=coalition, organisation=factories.OrganisationFactory()
        )
    assert coalition.memberships.count() == 1


# Roles and removal ----------------------------------------------------------------------------


def test_the_last_lead_cannot_step_down(programme, proposer, secretariat):
    coalition = make_coalition(programme, secretariat, user=proposer)
    lead = coalition.memberships.get()
    with pytest.raises(ValidationError) as err:
        domain.set_member_role(actor=proposer, membership=lead, role=Membership.Role.MEMBER)
    assert err.value.messages == ["Name another lead first: a coalition always has a lead."]
    with pytest.raises(ValidationError):
        domain.remove_member(actor=secretariat, membership=lead)
    partner = factories.OrganisationFactory()
    partner_rep = factories.representative(partner)
    (other,) = domain.add_members(
        actor=proposer, container=coalition, members=[MemberInput(partner)]
    )
    domain.respond_to_invitation(actor=partner_rep, membership=other, accept=True)
    domain.set_member_role(actor=proposer, membership=other, role=Membership.Role.LEAD)
    domain.set_member_role(actor=partner_rep, membership=lead, role=Membership.Role.MEMBER)
    assert sorted(coalition.memberships.values_list("organisation", "role")) == sorted(
        [(org_of(proposer).pk, "member"), (partner.pk, "lead")]
    )
    with pytest.raises(PermissionDenied):  # no longer a lead
        domain.set_member_role(actor=proposer, membership=lead, role=Membership.Role.LEAD)


def test_the_proposer_cannot_be_removed_from_its_eoi(programme, proposer):
    eoi = make_eoi(programme, proposer, submit=False)
    (invited,) = domain.add_members(
        actor=proposer, container=eoi, members=[MemberInput(factories.OrganisationFactory())]
    )
    with pytest.raises(ValidationError) as err:
        domain.remove_member(actor=proposer, membership=eoi.memberships.get(role="lead"))
    assert err.value.messages == ["The proposer cannot be removed from its own proposal."]
    domain.remove_member(actor=proposer, membership=invited)
    assert eoi.memberships.count() == 1
    assert AuditEntry.objects.filter(action="membership.removed").count() == 1


def test_a_stranger_cannot_change_roles_or_remove(programme, proposer, secretariat, stranger):
    coalition = make_coalition(programme, secretariat, user=proposer)
    (invited,) = domain.add_members(
        actor=proposer,
        container=coalition,
        members=[MemberInput(factories.OrganisationFactory())],
    )
    audit = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        domain.set_member_role(actor=stranger, membership=invited, role=Membership.Role.LEAD)
    with pytest.raises(PermissionDenied):
        domain.remove_member(actor=stranger, membership=invited)
    invited.refresh_from_db()
    assert invited.role == Membership.Role.MEMBER
    assert AuditEntry.objects.count() == audit


def test_after_acceptance_invitations_are_answered_on_the_coalition(
    programme, proposer, secretariat
):
    eoi = make_eoi(programme, proposer)
    partner = factories.OrganisationFactory()
    partner_rep = factories.representative(partner)
    (on_eoi,) = domain.add_members(actor=proposer, container=eoi, members=[MemberInput(partner)])
    eoi = domain.accept_eoi(actor=secretariat, eoi=eoi)
    with pytest.raises(PermissionDenied):
        domain.respond_to_invitation(actor=partner_rep, membership=on_eoi, accept=True)
    on_coalition = eoi.coalition.memberships.get(organisation=partner)
    assert (on_coalition.status, on_coalition.source_eoi) == (MS.INVITED, eoi)
    domain.respond_to_invitation(actor=partner_rep, membership=on_coalition, accept=True)
    assert eoi.coalition.memberships.get(organisation=partner).status == MS.ACTIVE
    assert Membership.objects.get(pk=on_eoi.pk).status == MS.INVITED
