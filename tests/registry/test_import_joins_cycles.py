"""Commitments imported from a registry while a reporting cycle is open join it, as a commitment
confirmed then does: each maker gets its personal link (mailed to the people who act for it;
an organisation created by the import has none: the console lists it with nobody to write to),
and the import is in the cycle's audit trail.  With no open cycle, nothing is created: they
are invited when the next cycle opens, as every maker."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Organisation
from pledgebook.reference.models import Country
from pledgebook.registry import importing
from pledgebook.reporting import domain as reporting
from pledgebook.reporting.models import Invitation, ReportingCycle
from tests import factories
from tests.registry.test_importing import jsonl, ocean, upload
from tests.reporting.factories import cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(programme: Any) -> Any:
    factories.ThemeFactory(programme=programme, name="Marine pollution")
    return factories.staff(programme)


@pytest.fixture
def on_the_platform(programme: Any) -> tuple[Organisation, Any]:
    """The lead of the first record, already on the platform with a representative."""
    organisation = factories.OrganisationFactory(
        name="Pacific Clean Seas (PCS)", country=Country.objects.get(iso2="FJ")
    )
    person = factories.member_of(programme.themes.first(), organisation=organisation)
    return organisation, person


def two_records() -> Any:
    return jsonl(
        ocean(),
        ocean(
            title="Seagrass of Tonga",
            node_id="2",
            ocean_action_id="#OceanAction2",
            lead_entity="Tonga Seagrass Trust",
            headquarters="Nuku'alofa, Tonga",
            countries=["Tonga"],
        ),
    )


def test_imported_while_a_cycle_is_open_they_join_it(programme, secretariat, on_the_platform):
    organisation, person = on_the_platform
    open_cycle = cycle(programme)
    reporting.open_cycle(actor=secretariat, cycle=open_cycle)
    mail.outbox.clear()
    run = importing.start_import(
        actor=secretariat, run=upload(secretariat, programme, two_records())
    )
    assert run.counts["imported"] == 2
    created = Organisation.objects.get(name="Tonga Seagrass Trust")
    assert set(
        Invitation.objects.filter(cycle=open_cycle).values_list("organisation", flat=True)
    ) == {
        organisation.pk,
        created.pk,
    }
    # One mail: to the person of the organisation on the platform, with the personal link.
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "/report/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="cycle.commitments_imported")
    assert entry.data == {"commitments": 2, "invited": 2, "mailed": 1}
    # Both are expected in the cycle: they count in its response rate as every maker does.
    assert Commitment.objects.filter(programme=programme).count() == 2


def test_a_maker_already_invited_is_not_invited_twice(programme, secretariat, on_the_platform):
    organisation, _person = on_the_platform
    open_cycle = cycle(programme)
    reporting.open_cycle(actor=secretariat, cycle=open_cycle)
    Invitation.objects.create(
        cycle=open_cycle, organisation=organisation, sent_at=open_cycle.opens_at
    )
    before = Invitation.objects.get(organisation=organisation)
    mail.outbox.clear()
    importing.start_import(actor=secretariat, run=upload(secretariat, programme, two_records()))
    assert Invitation.objects.filter(cycle=open_cycle).count() == 2
    assert Invitation.objects.get(organisation=organisation).nonce == before.nonce
    assert mail.outbox == []  # the new organisation has no one to mail


@pytest.mark.parametrize("status", [ReportingCycle.Status.SCHEDULED, ReportingCycle.Status.CLOSED])
def test_with_no_open_cycle_nothing_is_created(programme, secretariat, on_the_platform, status):
    cycle(programme, status=status)
    mail.outbox.clear()
    run = importing.start_import(
        actor=secretariat, run=upload(secretariat, programme, two_records())
    )
    assert run.counts["imported"] == 2
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="cycle.commitments_imported").exists()
    assert mail.outbox == []


def test_the_cycle_page_says_whose_link_could_not_be_sent(
    client, programme, secretariat, on_the_platform
):
    organisation, person = on_the_platform
    open_cycle = cycle(programme)
    reporting.open_cycle(actor=secretariat, cycle=open_cycle)
    importing.start_import(actor=secretariat, run=upload(secretariat, programme, two_records()))
    client.force_login(secretariat)
    url = reverse(
        "console:reporting_cycle", kwargs={"programme": programme.slug, "cycle": open_cycle.pk}
    )
    rows = {
        row.split("</th>")[0].rsplit(">", 1)[-1]: row
        for row in client.get(url).content.decode().split('<th scope="row">')[1:]
    }
    created = rows["Tonga Seagrass Trust"]
    assert "Nobody to write to" in created and "Not sent: nobody to write to" in created
    assert "Resend link" not in created
    known = rows[organisation.name]
    assert person.email in known and "Resend link" in known and "Not sent" not in known
