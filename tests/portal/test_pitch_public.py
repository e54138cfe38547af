"""What the public reads of the pitch pipeline: plans in the pipeline of published
programmes, public fields only (no e-mail, no person, no investor's note), and the outcome
figures, the same on the page and in the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from pledgebook.portal.pitch import domain
from pledgebook.portal.pitch.public import pitch_outcome_figures
from tests import factories
from tests.portal import factories_pitch as fp

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(theme):
    commitment, maker = fp.maker(theme)
    funded = fp.plan(commitment, maker, title="Funded plan")
    other, other_maker = fp.maker(theme)
    declined = fp.plan(other, other_maker, title="Declined plan")
    third, third_maker = fp.maker(theme)
    draft = fp.plan(third, third_maker, submit=False, title="Draft plan")
    profile, investor = fp.investor()
    domain.record_interest(actor=investor, investor=profile, plan=funded, note="Secret note")
    domain.record_outcome(
        actor=investor,
        plan=funded,
        investor=profile,
        status="funded",
        amount=Decimal("300000"),
        currency=fp.usd(),
        instrument="guarantee",
    )
    domain.record_outcome(
        actor=investor, plan=declined, investor=profile, status="declined", reason="Too early"
    )
    return {
        "programme": theme.programme,
        "people": [maker, other_maker, third_maker, investor],
        "draft": draft,
    }


def test_figures_count_outcomes_and_money_by_instrument(pipeline):
    figures = pitch_outcome_figures(pipeline["programme"])
    assert figures["plans_in_pipeline"] == 2
    assert figures["interests"] == 1
    assert figures["outcomes"] == {"met": 0, "due_diligence": 0, "funded": 1, "declined": 1}
    assert (figures["funded_count"], figures["funded_usd"]) == (1, Decimal("300000.00"))
    by = {
        row["instrument"]: (row["count"], row["amount_usd"])
        for row in figures["funded_by_instrument"]
    }
    assert by["guarantee"] == (1, Decimal("300000.00"))
    assert by["loan"] == (0, Decimal(0))
    assert pitch_outcome_figures(factories.ProgrammeFactory())["plans_in_pipeline"] == 0


def test_the_sdg_dashboard_shows_the_pitch_outcomes(pipeline):
    client = Client()
    html = client.get(reverse("public:sdgs")).content.decode()
    assert '<dd data-figure="pitch-plans">2</dd>' in html
    assert '<dd data-figure="pitch-funded">1</dd>' in html
    assert '<dd data-figure="pitch-funded-usd">300,000</dd>' in html
    programme = pipeline["programme"]
    html = client.get(reverse("public:sdgs"), {"programme": programme.slug}).content.decode()
    assert '<dd data-figure="pitch-funded">1</dd>' in html
    assert reverse("public:pitch_ready", args=[programme.slug]) in html
    # Another programme's dashboard has no pitch segment to show.
    other = factories.ProgrammeFactory(is_published=True)
    html = client.get(reverse("public:sdgs"), {"programme": other.slug}).content.decode()
    assert 'data-figure="pitch-plans"' not in html


def test_an_unpublished_programme_shows_nothing(pipeline):
    programme = pipeline["programme"]
    programme.is_published = False
    programme.save()
    assert pitch_outcome_figures()["plans_in_pipeline"] == 0
    client = Client()
    assert client.get(reverse("public:pitch_ready", args=[programme.slug])).status_code == 404
    assert client.get(reverse("api:pitch-ready"), {"programme": programme.slug}).status_code == 404


def test_page_and_api_show_public_fields_only(pipeline):
    client = Client()
    slug = pipeline["programme"].slug
    page = client.get(reverse("public:pitch_ready", args=[slug])).content.decode()
    api = client.get(reverse("api:pitch-ready"), {"programme": slug})
    figures = client.get(reverse("api:pitch-outcomes"), {"programme": slug})
    assert api.status_code == figures.status_code == 200
    titles = sorted(row["title"] for row in api.json()["results"])
    assert titles == ["Declined plan", "Funded plan"]
    assert "Funded plan" in page and "Draft plan" not in page
    assert set(api.json()["results"][0]) == {
        "id",
        "title",
        "plan",
        "programme",
        "partnership_kind",
        "partnership",
        "partnership_id",
        "organisation",
        "funding_sought",
        "currency",
        "instruments",
        "stage",
        "sdgs",
        "countries",
        "regions",
        "status",
        "evidence_count",
        "session",
        "submitted_at",
    }
    assert figures.json()["funded_count"] == 1
    for text in (page, api.content.decode(), figures.content.decode()):
        assert "@" not in text.replace("@media", "")
        assert "Secret note" not in text
        for person in pipeline["people"]:
            assert person.email not in text


@pytest.mark.parametrize("value", ["\x00(", "no slug", "../x"])
def test_a_programme_that_is_no_slug_is_not_found(value):
    """Not a server error: PostgreSQL refuses a NUL byte in a query."""
    client = Client()
    assert client.get(reverse("api:pitch-outcomes"), {"programme": value}).status_code == 404
    assert client.get(reverse("api:pitch-ready"), {"programme": value}).status_code == 404
