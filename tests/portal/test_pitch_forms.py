"""Bad input on the pitch pages: the error at the field, what was typed kept, nothing saved."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pledgebook.organisations.models import Category
from pledgebook.portal.models.pitch import InvestorProfile, ScaleUpPlan
from tests import factories
from tests.portal import factories_pitch as fp

pytestmark = pytest.mark.django_db


def _field_errors(html: str, name: str) -> list[str]:
    """The error messages shown in the field group of ``name``."""
    block = re.search(
        rf'<div class="field field-error">(?:(?!<div class="field).)*?name="{name}"', html, re.S
    )
    return re.findall(r"<li>(.*?)</li>", block.group(0)) if block else []


def test_a_profile_whose_minimum_exceeds_its_maximum_is_refused_at_the_field(db):
    org = factories.OrganisationFactory(category=Category.PHILANTHROPY)
    client = Client()
    client.force_login(factories.representative(org))
    response = client.post(
        reverse("workspace:pitch_profile", args=[org.slug]),
        {
            "kind": "foundation",
            "summary": "Oceans and women",
            "ticket_min": "900000",
            "ticket_max": "1000",
            "currency": "USD",
            "instruments": ["grant"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert _field_errors(html, "ticket_min") == [
        "The smallest ticket is larger than the largest: 900000 &gt; 1000."
    ]
    assert 'value="900000"' in html and "Oceans and women" in html
    assert not InvestorProfile.objects.exists()


def test_a_plan_without_amount_or_instrument_is_refused_at_each_field(theme):
    commitment, user = fp.maker(theme)
    client = Client()
    client.force_login(user)
    url = reverse("workspace:pitch_plan_new") + f"?kind=commitment&pk={commitment.pk}"
    response = client.post(
        url,
        {
            "title": "Cold rooms",
            "plan": "Ten more sites",
            "currency": "USD",
            "stage": "pilot",
            "countries": ["KE"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert _field_errors(html, "amount") == ["Give the funding sought."]
    assert _field_errors(html, "instruments") == ["Choose at least one instrument."]
    assert 'value="Cold rooms"' in html and "Ten more sites" in html
    assert not ScaleUpPlan.objects.exists()


def test_evidence_of_another_organisations_report_cannot_be_chosen(theme):
    commitment, user = fp.maker(theme)
    other, _ = fp.maker(theme)
    foreign = fp.submitted_report(other)
    client = Client()
    client.force_login(user)
    url = reverse("workspace:pitch_plan_new") + f"?kind=commitment&pk={commitment.pk}"
    response = client.post(
        url,
        {
            "title": "Cold rooms",
            "plan": "Ten more sites",
            "amount": "5000",
            "currency": "USD",
            "instruments": ["loan"],
            "stage": "pilot",
            "countries": ["KE"],
            "evidence_values": [foreign.values.get().pk],
        },
    )
    assert response.status_code == 400
    value = foreign.values.get()
    assert response.context["form"].errors == {
        "evidence_values": [
            f"Select a valid choice. {value.pk} is not one of the available choices."
        ]
    }
    assert not ScaleUpPlan.objects.exists()
