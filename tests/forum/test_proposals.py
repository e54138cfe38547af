"""Side-event proposals: proposed by an organisation's representative, withdrawn, accepted by
the secretariat (a side-event session joins the schedule) or declined with a reason; the room's
capacity and clashes refused at their field; mails; the workspace and console pages."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from pledgebook.forum.domain import proposals
from pledgebook.forum.models import Session, SideEventProposal
from pledgebook.reference.models import Goal
from tests import factories

pytestmark = pytest.mark.django_db
S = SideEventProposal.Status


def at(event, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """``hour`` on the event's ``day`` (0: the first), venue time."""
    return dt.datetime.combine(
        event.starts_on + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=event.zone
    )


@pytest.fixture
def event():
    return factories.upcoming_event(proposals_open=True, in_person_capacity=100)


@pytest.fixture
def room(event):
    return factories.RoomFactory(event=event, name="Conference Room 4", capacity=50)


@pytest.fixture
def proposer(event):
    organisation = factories.OrganisationFactory(name="Women's Network for Water")
    return factories.representative(organisation), organisation


@pytest.fixture
def secretariat(event):
    return factories.staff(event.programme)


def propose(event, proposer, room=None, **overrides):
    user, organisation = proposer
    values = {
        "actor": user,
        "event": event,
        "organisation": organisation,
        "title": "Water for all by 2030",
        "description": "Partners share what worked.",
        "starts_at": at(event, 1, 13),
        "ends_at": at(event, 1, 14, 30),
        "expected_participants": 40,
        "room": room,
    }
    values.update(overrides)
    return proposals.propose_side_event(**values)


def entries(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


# Proposing -------------------------------------------------------------------------------------


def test_a_representative_proposes_a_side_event_with_co_organisers(event, room, proposer):
    partner = factories.OrganisationFactory(name="Youth Water Alliance")
    theme = factories.ThemeFactory(programme=event.programme)
    goal = Goal.objects.get(number=6)

    proposal = propose(event, proposer, room, co_organisers=[partner], themes=[theme], goals=[goal])

    stored = SideEventProposal.objects.get(pk=proposal.pk)
    assert (stored.status, stored.organisation, stored.proposed_by, stored.room) == (
        S.SUBMITTED,
        proposer[1],
        proposer[0],
        room,
    )
    assert list(stored.co_organisers.all()) == [partner]
    assert list(stored.themes.all()) == [theme]
    assert list(stored.goals.all()) == [goal]
    assert entries(stored) == ["side_event.proposed"]


def test_only_for_an_organisation_one_acts_for(event, proposer):
    other = factories.OrganisationFactory()
    with pytest.raises(PermissionDenied):
        propose(event, proposer, organisation=other)
    assert SideEventProposal.objects.count() == 0


def test_not_without_an_organisation_nor_when_the_event_takes_no_proposals(event, proposer):
    loner = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        propose(event, (loner, proposer[1]))
    event.proposals_open = False
    event.save()
    with pytest.raises(PermissionDenied):
        propose(event, proposer)
    assert SideEventProposal.objects.count() == 0


def test_a_room_too_small_is_refused_at_the_participants_field(event, room, proposer):
    with pytest.raises(ValidationError) as refused:
        propose(event, proposer, room, expected_participants=51)
    assert refused.value.message_dict == {
        "expected_participants": ["Conference Room 4 holds 50 people; 51 are expected."]
    }
    assert SideEventProposal.objects.count() == 0


def test_a_taken_room_and_time_is_refused_at_the_room_field(event, room, proposer):
    factories.SessionFactory(
        event=event,
        room=room,
        title="Oceans plenary",
        starts_at=at(event, 1, 12),
        ends_at=at(event, 1, 13, 30),
    )
    with pytest.raises(ValidationError) as refused:
        propose(event, proposer, room)
    (message,) = refused.value.message_dict["room"]
    assert message.startswith("Conference Room 4 is taken from ")
    assert message.endswith(" by “Oceans plenary”.")
    assert list(refused.value.message_dict) == ["room"]
    assert SideEventProposal.objects.count() == 0


def test_empty_fields_outside_days_and_self_as_co_organiser_are_refused(event, proposer):
    with pytest.raises(ValidationError) as refused:
        propose(
            event,
            proposer,
            title=" ",
            description="",
            expected_participants=0,
            starts_at=at(event, 5, 10),
            ends_at=at(event, 5, 11),
            co_organisers=[proposer[1]],
        )
    assert sorted(refused.value.message_dict) == [
        "co_organisers",
        "description",
        "expected_participants",
        "starts_at",
        "title",
    ]
    assert SideEventProposal.objects.count() == 0


# Withdrawing -----------------------------------------------------------------------------------


def test_the_proposer_withdraws_and_no_one_else(event, proposer):
    proposal = propose(event, proposer)
    with pytest.raises(PermissionDenied):
        proposals.withdraw_proposal(actor=factories.UserFactory(), proposal=proposal)
    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.SUBMITTED

    colleague = factories.representative(proposer[1], admin=False)
    proposals.withdraw_proposal(actor=colleague, proposal=proposal)

    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.WITHDRAWN
    assert entries(proposal) == ["side_event.proposed", "side_event.withdrawn"]
    with pytest.raises(ValidationError) as refused:
        proposals.withdraw_proposal(actor=colleague, proposal=proposal)
    assert refused.value.messages == ["This proposal is withdrawn: it can no longer be withdrawn."]


# Accepting -------------------------------------------------------------------------------------


@pytest.mark.dates
def test_accepting_schedules_a_side_event_and_tells_the_organisation(
    event, room, proposer, secretariat
):
    user, organisation = proposer
    partner = factories.OrganisationFactory()
    theme = factories.ThemeFactory(programme=event.programme)
    proposal = propose(event, proposer, room, co_organisers=[partner], themes=[theme])
    mail.outbox.clear()

    proposals.accept_proposal(actor=secretariat, proposal=proposal)

    stored = SideEventProposal.objects.get(pk=proposal.pk)
    session = stored.session
    assert (stored.status, stored.decided_by) == (S.ACCEPTED, secretariat)
    assert (session.kind, session.title, session.room, session.starts_at, session.ends_at) == (
        Session.Kind.SIDE_EVENT,
        "Water for all by 2030",
        room,
        at(event, 1, 13),
        at(event, 1, 14, 30),
    )
    assert set(session.organisations.all()) == {organisation, partner}
    assert list(session.organisers.all()) == [user]
    assert list(session.themes.all()) == [theme]
    assert entries(stored) == ["side_event.proposed", "side_event.accepted"]
    assert entries(session) == ["session.created"]
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == (f"Side event accepted: “Water for all by 2030” at {event.name}")
    assert "The side event “Water for all by 2030” that Women's Network for Water proposed" in (
        message.body
    )
    assert proposals.public_link(session) in message.body
    assert "Room: Conference Room 4" in message.body


def test_the_secretariat_may_set_another_room_and_time(event, room, proposer, secretariat):
    proposal = propose(event, proposer, room)
    bigger = factories.RoomFactory(event=event, name="Trusteeship Council", capacity=300)

    proposals.accept_proposal(
        actor=secretariat,
        proposal=proposal,
        room=bigger,
        starts_at=at(event, 2, 9),
        ends_at=at(event, 2, 10),
    )

    session = SideEventProposal.objects.get(pk=proposal.pk).session
    assert (session.room, session.starts_at, session.ends_at) == (
        bigger,
        at(event, 2, 9),
        at(event, 2, 10),
    )


def test_accepting_into_a_room_taken_since_is_refused_and_nothing_changes(
    event, room, proposer, secretariat
):
    first = propose(event, proposer, room)
    second = propose(event, proposer, room, title="Second")  # same slot, still free
    proposals.accept_proposal(actor=secretariat, proposal=first)

    with pytest.raises(ValidationError) as refused:
        proposals.accept_proposal(actor=secretariat, proposal=second)

    (message,) = refused.value.message_dict["room"]
    assert message.endswith("by “Water for all by 2030”.")
    assert SideEventProposal.objects.get(pk=second.pk).status == S.SUBMITTED
    assert Session.objects.count() == 1
    assert entries(second) == ["side_event.proposed"]


def test_only_the_secretariat_accepts(event, proposer):
    proposal = propose(event, proposer)
    other_programme = factories.staff(factories.ProgrammeFactory())
    for actor in (proposer[0], other_programme):
        with pytest.raises(PermissionDenied):
            proposals.accept_proposal(actor=actor, proposal=proposal)
    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.SUBMITTED
    assert Session.objects.count() == 0


def test_a_withdrawn_proposal_cannot_be_accepted(event, proposer, secretariat):
    proposal = propose(event, proposer)
    proposals.withdraw_proposal(actor=proposer[0], proposal=proposal)
    with pytest.raises(ValidationError) as refused:
        proposals.accept_proposal(actor=secretariat, proposal=proposal)
    assert refused.value.messages == ["This proposal is withdrawn: it can no longer be accepted."]
    assert Session.objects.count() == 0


# Declining -------------------------------------------------------------------------------------


def test_declining_needs_a_reason_and_tells_the_organisation(event, proposer, secretariat):
    proposal = propose(event, proposer)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        proposals.decline_proposal(actor=secretariat, proposal=proposal, reason="  ")
    assert refused.value.message_dict == {"reason": ["Give the reason: the organisation reads it."]}
    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.SUBMITTED
    assert mail.outbox == []

    proposals.decline_proposal(
        actor=secretariat, proposal=proposal, reason="The programme is full that afternoon."
    )

    stored = SideEventProposal.objects.get(pk=proposal.pk)
    assert (stored.status, stored.decision_reason, stored.session) == (
        S.DECLINED,
        "The programme is full that afternoon.",
        None,
    )
    (message,) = mail.outbox
    assert message.to == [proposer[0].email]
    assert message.subject == f"Side event not accepted: “Water for all by 2030” at {event.name}"
    assert "Their reason: The programme is full that afternoon." in message.body
    assert reverse("workspace:forum_proposals") in message.body
    assert entries(stored) == ["side_event.proposed", "side_event.declined"]


def test_only_the_secretariat_declines(event, proposer):
    proposal = propose(event, proposer)
    with pytest.raises(PermissionDenied):
        proposals.decline_proposal(actor=proposer[0], proposal=proposal, reason="No")
    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.SUBMITTED


# Two acceptances into one room at once (PostgreSQL) ----------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_acceptances_into_one_room_at_once_schedule_one():
    """Two secretariat members accept two proposals for the same room and time at once, each
    on its own connection. The first keeps its transaction open until the second waits on the
    room's lock; the second then reads the first's session and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are tested on PostgreSQL")
    event = factories.upcoming_event(proposals_open=True)
    room = factories.RoomFactory(event=event, name="Conference Room 4", capacity=50)
    organisation = factories.OrganisationFactory()
    user = factories.representative(organisation)
    first = propose(event, (user, organisation), room, title="First")
    second = propose(event, (user, organisation), room, title="Second")
    one, two = factories.staff(event.programme), factories.staff(event.programme)
    first_done = threading.Event()
    outcomes: dict[str, object] = {}

    def waiting_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is a snapshot taken at its first read.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    def accept_first() -> None:
        try:
            with transaction.atomic():
                proposals.accept_proposal(actor=one, proposal=first)
                first_done.set()
                for _attempt in range(200):
                    if waiting_on_a_lock():
                        outcomes["second waited"] = True
                        break
                    threading.Event().wait(0.05)
            outcomes["first"] = "done"
        except Exception as exc:
            outcomes["first"] = exc
        finally:
            first_done.set()
            connections.close_all()

    def accept_second() -> None:
        try:
            first_done.wait(timeout=30)
            proposals.accept_proposal(actor=two, proposal=second)
            outcomes["second"] = "done"
        except Exception as exc:
            outcomes["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept_first), threading.Thread(target=accept_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes["first"] == "done"
    assert outcomes.get("second waited") is True
    refused = outcomes["second"]
    assert isinstance(refused, ValidationError), refused
    assert refused.message_dict["room"][0].endswith("by “First”.")
    assert list(Session.objects.values_list("title", flat=True)) == ["First"]
    assert SideEventProposal.objects.get(pk=second.pk).status == S.SUBMITTED


# Pages -----------------------------------------------------------------------------------------


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_data(event, organisation, room=None, **overrides):
    data = {
        "organisation": organisation.pk,
        "title": "Water for all by 2030",
        "description": "Partners share what worked.",
        "day": (event.starts_on + dt.timedelta(days=1)).isoformat(),
        "starts_at": "13:00",
        "ends_at": "14:30",
        "room": room.pk if room else "",
        "expected_participants": "40",
    }
    data.update(overrides)
    return data


def propose_url(event) -> str:
    return reverse(
        "workspace:forum_propose",
        kwargs={"programme": event.programme.slug, "event": event.slug},
    )


@pytest.mark.dates
def test_the_propose_page_stores_a_proposal_in_venue_time(event, room, proposer):
    user, organisation = proposer
    client = client_for(user)
    assert client.get(propose_url(event)).status_code == 200

    response = client.post(propose_url(event), form_data(event, organisation, room))

    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:forum_proposals")
    proposal = SideEventProposal.objects.get()
    assert (proposal.starts_at, proposal.ends_at, proposal.room) == (
        at(event, 1, 13),
        at(event, 1, 14, 30),
        room,
    )
    listing = client.get(reverse("workspace:forum_proposals")).content.decode()
    assert "Water for all by 2030" in listing
    assert "Submitted" in listing


def test_the_propose_page_shows_a_taken_room_at_its_field_and_keeps_what_was_typed(
    event, room, proposer
):
    factories.SessionFactory(
        event=event, room=room, title="Oceans plenary", starts_at=at(event, 1, 13)
    )
    response = client_for(proposer[0]).post(
        propose_url(event),
        form_data(event, proposer[1], room, title="Kept title", expected_participants="60"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["room"][0].endswith("by “Oceans plenary”.")
    assert form.errors["expected_participants"] == [
        "Conference Room 4 holds 50 people; 60 are expected."
    ]
    assert 'value="Kept title"' in response.content.decode()
    assert SideEventProposal.objects.count() == 0


def test_the_propose_page_is_refused_to_people_of_no_organisation_and_when_closed(event, proposer):
    loner = client_for(factories.UserFactory())
    assert loner.get(propose_url(event)).status_code == 403
    assert loner.post(propose_url(event), form_data(event, proposer[1])).status_code == 403
    anonymous = client_for().get(propose_url(event))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    event.proposals_open = False
    event.save()
    assert client_for(proposer[0]).get(propose_url(event)).status_code == 403
    assert SideEventProposal.objects.count() == 0


def test_another_organisation_cannot_be_chosen_on_the_page(event, proposer):
    other = factories.OrganisationFactory()
    response = client_for(proposer[0]).post(propose_url(event), form_data(event, other))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organisation"]
    assert SideEventProposal.objects.count() == 0


def test_withdraw_from_the_workspace_only_ones_own(event, proposer):
    proposal = propose(event, proposer)
    url = reverse("workspace:forum_proposal_withdraw", kwargs={"pk": proposal.pk})
    assert client_for(factories.UserFactory()).post(url).status_code == 404
    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.SUBMITTED
    assert client_for(proposer[0]).post(url).status_code == 302
    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.WITHDRAWN


def console_urls(event, proposal) -> list[str]:
    kwargs = {"programme": event.programme.slug, "event": event.slug}
    return [
        reverse("console:forum_proposals", kwargs=kwargs),
        reverse("console:forum_proposal", kwargs={**kwargs, "pk": proposal.pk}),
        reverse("console:forum_participation", kwargs=kwargs),
    ]


def test_console_pages_for_the_secretariat_only(event, proposer, secretariat):
    from pledgebook.programmes.models import ProgrammeRole

    proposal = propose(event, proposer)
    reviewer = factories.staff(event.programme, ProgrammeRole.Role.REVIEWER)
    other_secretariat = factories.staff(factories.ProgrammeFactory())
    for url in console_urls(event, proposal):
        assert client_for(secretariat).get(url).status_code == 200, url
        for denied in (proposer[0], reviewer, other_secretariat):
            assert client_for(denied).get(url).status_code == 403, url
        assert client_for().get(url)["Location"].startswith("/accounts/login/")


def test_console_pages_of_another_programmes_event_are_404(event, proposer):
    proposal = propose(event, proposer)
    elsewhere = factories.ProgrammeFactory()
    secretariat = factories.staff(elsewhere)
    for url in console_urls(event, proposal):
        moved = url.replace(f"/{event.programme.slug}/", f"/{elsewhere.slug}/", 1)
        assert client_for(secretariat).get(moved).status_code == 404, moved
    other_event = factories.EventFactory(programme=event.programme)
    url = reverse(
        "console:forum_proposal",
        kwargs={"programme": event.programme.slug, "event": other_event.slug, "pk": proposal.pk},
    )
    assert client_for(factories.staff(event.programme)).get(url).status_code == 404


def test_console_filters_proposals_by_status(event, proposer, secretariat):
    propose(event, proposer, title="Kept one")
    gone = propose(event, proposer, title="Gone one")
    proposals.withdraw_proposal(actor=proposer[0], proposal=gone)
    url = console_urls(event, gone)[0]
    page = client_for(secretariat).get(url, {"status": "submitted"})
    assert [p.title for p in page.context["proposals"]] == ["Kept one"]
    page = client_for(secretariat).get(url)
    assert [p.title for p in page.context["proposals"]] == ["Kept one", "Gone one"]


@pytest.mark.dates
def test_console_accepts_with_another_room_and_declines_with_a_reason(
    event, room, proposer, secretariat
):
    first = propose(event, proposer, room)
    second = propose(event, proposer, room, title="Second")
    bigger = factories.RoomFactory(event=event, name="Trusteeship Council", capacity=300)
    client = client_for(secretariat)
    first_url, second_url = (console_urls(event, p)[1] for p in (first, second))

    response = client.post(
        first_url,
        {
            "decision": "accept",
            "accept-day": (event.starts_on + dt.timedelta(days=2)).isoformat(),
            "accept-starts_at": "09:00",
            "accept-ends_at": "10:00",
            "accept-room": bigger.pk,
        },
    )
    assert response.status_code == 302
    session = SideEventProposal.objects.get(pk=first.pk).session
    assert (session.room, session.starts_at) == (bigger, at(event, 2, 9))

    refused = client.post(second_url, {"decision": "decline", "decline-reason": ""})
    assert refused.status_code == 200
    assert refused.context["decline"].errors == {"reason": ["This field is required."]}
    assert SideEventProposal.objects.get(pk=second.pk).status == S.SUBMITTED

    client.post(second_url, {"decision": "decline", "decline-reason": "Full afternoon."})
    assert SideEventProposal.objects.get(pk=second.pk).status == S.DECLINED


def test_console_accept_into_a_taken_room_shows_the_clash_at_the_room(
    event, room, proposer, secretariat
):
    proposal = propose(event, proposer, room)
    factories.SessionFactory(
        event=event, room=room, title="Taken since", starts_at=at(event, 1, 13)
    )
    response = client_for(secretariat).post(
        console_urls(event, proposal)[1],
        {
            "decision": "accept",
            "accept-day": (event.starts_on + dt.timedelta(days=1)).isoformat(),
            "accept-starts_at": "13:00",
            "accept-ends_at": "14:30",
            "accept-room": room.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["accept"].errors["room"][0].endswith("by “Taken since”.")
    assert SideEventProposal.objects.get(pk=proposal.pk).status == S.SUBMITTED
