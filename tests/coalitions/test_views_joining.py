"""Joining a coalition from the network: a request from the public page, and invitations
answered in the workspace.  A denied request changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.coalitions.validation import MemberInput
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category
from pledgebook.reference.models import Country
from tests import factories
from tests.coalitions.helpers import make_coalition, make_eoi

pytestmark = pytest.mark.django_db
MS = Membership.Status


@pytest.fixture
def coalition(programme, secretariat) -> Coalition:
    return make_coalition(programme, secretariat, title="Clean oceans")


def test_a_visitor_with_an_organisation_sees_the_request_button(client, coalition):
    org = factories.OrganisationFactory(name="Reef Keepers")
    client.force_login(factories.representative(org))
    response = client.get(reverse("public:coalition", kwargs={"slug": coalition.slug}))
    assert [o.name for o in response.context["can_join"]] == ["Reef Keepers"]
    assert b"Request to join" in response.content


def test_anonymous_visitors_and_members_see_no_request_button(client, coalition):
    url = reverse("public:coalition", kwargs={"slug": coalition.slug})
    assert client.get(url).context["can_join"] == []
    lead = coalition.memberships.get(role="lead").organisation
    client.force_login(lead.people.first())
    assert client.get(url).context["can_join"] == []


def test_request_to_join_creates_a_request_for_the_leads(client, coalition):
    org = factories.OrganisationFactory(name="Reef Keepers")
    client.force_login(factories.representative(org))
    response = client.post(
        reverse("workspace:coalition_join", kwargs={"slug": coalition.slug}),
        {"organisation": org.pk},
    )
    assert response.status_code == 302
    membership = coalition.memberships.get(organisation=org)
    assert (membership.status, membership.role) == (MS.REQUESTED, "member")


def test_request_for_an_organisation_one_does_not_represent_is_refused(client, coalition):
    org = factories.OrganisationFactory(name="Someone else")
    client.force_login(factories.UserFactory())
    before = (Membership.objects.count(), AuditEntry.objects.count())
    response = client.post(
        reverse("workspace:coalition_join", kwargs={"slug": coalition.slug}),
        {"organisation": org.pk},
    )
    assert response.status_code == 404
    assert (Membership.objects.count(), AuditEntry.objects.count()) == before


def test_anonymous_request_is_sent_to_sign_in(client, coalition):
    before = Membership.objects.count()
    response = client.post(
        reverse("workspace:coalition_join", kwargs={"slug": coalition.slug}), {"organisation": 1}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Membership.objects.count() == before


def test_an_invited_organisation_accepts_in_its_workspace(client, programme):
    guest = factories.OrganisationFactory(name="Guest Org")
    eoi = make_eoi(programme, title="With a guest", members=[MemberInput(organisation=guest)])
    rep = factories.representative(guest)
    client.force_login(rep)
    listed = client.get(reverse("workspace:coalitions")).context["membership_invitations"]
    membership = eoi.memberships.get(organisation=guest)
    assert listed == [membership]
    response = client.post(
        reverse("workspace:coalition_membership_answer", args=[membership.pk, "accept"])
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MS.ACTIVE


def test_an_organisation_invited_by_email_joins_as_the_organisation_it_names(client, programme):
    fr = Country.objects.get(iso2="FR")
    eoi = make_eoi(
        programme,
        title="Open invitation",
        members=[
            MemberInput(
                email="newcomer@example.org", name="Newcomer", category=Category.OTHER, country=fr
            )
        ],
    )
    newcomer = factories.UserFactory(username="newcomer@example.org", email="newcomer@example.org")
    org = factories.OrganisationFactory(name="Newcomer Foundation")
    factories.representative(org, newcomer)
    membership = eoi.memberships.get(invited_email="newcomer@example.org")
    client.force_login(newcomer)
    client.post(
        reverse("workspace:coalition_membership_answer", args=[membership.pk, "accept"]),
        {"organisation": org.pk},
    )
    membership.refresh_from_db()
    assert (membership.status, membership.organisation) == (MS.ACTIVE, org)


def test_someone_else_cannot_answer_an_invitation(client, programme):
    guest = factories.OrganisationFactory(name="Guest Org")
    eoi = make_eoi(programme, title="With a guest", members=[MemberInput(organisation=guest)])
    membership = eoi.memberships.get(organisation=guest)
    client.force_login(factories.UserFactory())
    response = client.post(
        reverse("workspace:coalition_membership_answer", args=[membership.pk, "accept"])
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == MS.INVITED


# Partners --------------------------------------------------------------------------------------


def test_partners_are_members_of_similar_coalitions_not_yet_members_here(programme, secretariat):
    from pledgebook.coalitions.similar import Suggestion, partners_for

    here = make_coalition(programme, secretariat, title="Plastic-free islands")
    near = make_coalition(programme, secretariat, title="Ocean plastics")
    far = make_coalition(programme, secretariat, title="Reef finance")
    shared = near.memberships.get(role="lead").organisation
    # The lead of "near" is also a member here: not suggested.
    Membership.objects.create(coalition=here, organisation=shared, status=MS.ACTIVE)
    newcomer = factories.OrganisationFactory(name="Atoll Youth")
    Membership.objects.create(coalition=near, organisation=newcomer, status=MS.ACTIVE)
    Membership.objects.create(coalition=far, organisation=newcomer, status=MS.ACTIVE)
    invited_only = factories.OrganisationFactory(name="Not yet in")
    Membership.objects.create(coalition=near, organisation=invited_only, status=MS.INVITED)
    far_lead = far.memberships.get(role="lead").organisation
    suggestions = [
        Suggestion(kind="coalition", obj=near, score=0.91),
        Suggestion(kind="coalition", obj=far, score=0.8),
    ]
    partners = partners_for(here, suggestions)
    assert [(p.organisation.name, p.score, p.reasons) for p in partners] == [
        (
            "Atoll Youth",
            0.91,
            [
                "Member of “Ocean plastics” (similarity 0.91)",
                "Member of “Reef finance” (similarity 0.80)",
            ],
        ),
        (far_lead.name, 0.8, ["Member of “Reef finance” (similarity 0.80)"]),
    ]


def test_the_coalition_page_lists_partners(client, coalition):
    response = client.get(reverse("public:coalition", kwargs={"slug": coalition.slug}))
    assert response.status_code == 200
    # Alone in the network: no similar coalition, so nobody to suggest, and the page says why.
    assert response.context["partners"] == []
    assert b"they come from the members of similar coalitions" in response.content
