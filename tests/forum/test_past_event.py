"""An event that is over takes no registration, and no side event is proposed for a time
that has passed; nothing is stored (the event's last day as the venue reads the clock)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pledgebook.forum.domain import participation, proposals
from pledgebook.forum.models import Registration, SideEventProposal
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_an_event_that_is_over_takes_no_registration():
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    event = factories.EventFactory(starts_on=yesterday, ends_on=yesterday, time_zone="UTC")
    with pytest.raises(ValidationError) as refused:
        participation.register(
            actor=factories.UserFactory(), event=event, mode=Registration.Mode.ONLINE
        )
    assert refused.value.messages == ["This event is over: it takes no more registrations."]
    assert not Registration.objects.exists()


def test_an_event_on_its_last_day_still_takes_registrations():
    today = timezone.now().astimezone(dt.UTC).date()
    event = factories.EventFactory(starts_on=today, ends_on=today, time_zone="UTC")
    registration = participation.register(
        actor=factories.UserFactory(), event=event, mode=Registration.Mode.ONLINE
    )
    assert registration.status == Registration.Status.REGISTERED


def test_no_side_event_is_proposed_for_a_time_that_has_passed():
    event = factories.EventFactory(proposals_open=True, time_zone="UTC")
    organisation = factories.OrganisationFactory()
    proposer = factories.representative(organisation)
    starts = dt.datetime.combine(event.starts_on, dt.time(9), tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as refused:
        proposals.propose_side_event(
            actor=proposer,
            event=event,
            organisation=organisation,
            title="Water for all",
            description="A side event.",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            expected_participants=20,
        )
    assert refused.value.message_dict["starts_at"] == [
        "This time has passed: propose a side event still to come."
    ]
    assert not SideEventProposal.objects.exists()
