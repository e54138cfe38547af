"""Fixtures of the reporting pages: a programme with an indicator, an open cycle, two makers
with a commitment each (one with a co-maker), and the personal links of the makers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme
from pledgebook.reference.models import Currency
from pledgebook.reporting import domain, links
from pledgebook.reporting.models import Indicator, Invitation, ReportingCycle
from tests import factories
from tests.reporting.factories import confirmed, cycle

NARRATIVE = "We trained the first 200 teachers in two provinces this year."


@dataclass
class Reporting:
    programme: Programme
    cycle: ReportingCycle
    indicator: Indicator
    secretariat: Any
    commitment: Commitment  # led by ``org``, pledged in USD, with ``partner`` as co-maker
    user: Any
    org: Organisation
    other_commitment: Commitment  # led by ``other_org``
    other_user: Any
    other_org: Organisation
    partner: Organisation
    partner_user: Any

    def invitation(self, org: Organisation | None = None) -> Invitation:
        return Invitation.objects.get(cycle=self.cycle, organisation=org or self.org)

    def token(self, org: Organisation | None = None) -> str:
        return links.make_token(self.invitation(org))

    def link(self, name: str = "link", org: Organisation | None = None, **kwargs: Any) -> str:
        return reverse(f"reporting:{name}", kwargs={"token": self.token(org), **kwargs})

    def report_url(self, commitment: Commitment | None = None, **kwargs: Any) -> str:
        return self.link("report", commitment=(commitment or self.commitment).pk, **kwargs)


@pytest.fixture
def rp(programme, theme) -> Reporting:
    secretariat = factories.staff(programme)
    indicator = Indicator.objects.create(
        programme=programme, code="people", name="People reached", unit="people"
    )
    c, user = confirmed(theme, amount=Decimal("1000"), currency=Currency.objects.get(code="USD"))
    other, other_user = confirmed(theme)
    partner_user = factories.member_of(theme)
    partner = partner_user.organisations.get()
    CoMaker.objects.create(commitment=c, organisation=partner)
    cy = cycle(programme)
    domain.open_cycle(actor=secretariat, cycle=cy)
    mail.outbox.clear()
    return Reporting(
        programme=programme,
        cycle=cy,
        indicator=indicator,
        secretariat=secretariat,
        commitment=c,
        user=user,
        org=c.organisation,
        other_commitment=other,
        other_user=other_user,
        other_org=other.organisation,
        partner=partner,
        partner_user=partner_user,
    )


def form_data(rp: Reporting, **overrides: Any) -> dict[str, Any]:
    """A complete report, as the form posts it."""
    data = {
        "implementation_status": "on_track",
        "narrative": NARRATIVE,
        "challenges": "Rains closed the roads for a month.",
        f"indicator_{rp.indicator.pk}_baseline": "0",
        f"indicator_{rp.indicator.pk}_target": "500",
        f"indicator_{rp.indicator.pk}_value": "200",
        "disbursed_amount": "250",
        "disbursed_currency": "USD",
        "exchange_rate": "",
        "evidence_links": "https://example.org/photos",
    }
    data.update(overrides)
    return data
