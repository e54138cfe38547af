"""The SDG suggestions of the commitment form (commitments.suggest): asked for, accepted,
dismissed, with and without HTMX; never saved by the suggestion view itself."""

import re

import pytest
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from tests import factories
from tests.workspace.test_commitments import form_data, snapshot

pytestmark = pytest.mark.django_db

OCEAN_TITLE = "Clean up plastic pollution on the beaches of Senegal"
OCEAN_DESCRIPTION = (
    "We will remove marine litter and plastic debris from 40 km of coast every month and "
    "train 300 fishers to recycle fishing nets, reducing marine pollution by 2028."
)


def create_url(org, programme) -> str:
    query = f"?organisation={org.slug}&programme={programme.slug}"
    return reverse("workspace:commitment_create") + query


def suggest_url(**query) -> str:
    return (
        reverse("workspace:commitment_sdg_suggest")
        + "?"
        + "&".join(f"{k}={v}" for k, v in query.items())
    )


def ocean_form(theme, **overrides) -> dict:
    fields = {"title": OCEAN_TITLE, "description": OCEAN_DESCRIPTION, "goals": [], "targets": []}
    return form_data(theme, **{**fields, **overrides})


def test_the_form_offers_the_suggestions(member_client, org, programme) -> None:
    body = member_client.get(create_url(org, programme)).content.decode()

    url = suggest_url(organisation=org.slug, programme=programme.slug).replace("&", "&amp;")
    assert f'formaction="{url}"' in body
    assert f'hx-post="{url}"' in body
    assert "Suggest goals and targets" in body


def test_suggestions_show_goals_with_their_evidence(member_client, org, programme, theme) -> None:
    response = member_client.post(
        suggest_url(organisation=org.slug, programme=programme.slug),
        {**ocean_form(theme), "sdg_suggest": "1"},
    )

    assert response.status_code == 200
    shown = response.context["sdg_suggestions"]
    assert len(shown) == 3
    assert shown[0]["goal"] == 14
    assert shown[0]["target"] == "14.1"
    assert {"plastic", "coast", "pollution"} <= {w.lower() for w in shown[0]["evidence"]}
    body = response.content.decode()
    assert "<mark>plastic</mark>" in body
    assert 'value="14:14.1"' in body
    # Everything typed comes back in the form, and nothing is stored.
    assert response.context["form"]["title"].value() == OCEAN_TITLE
    assert Commitment.objects.count() == 0


def test_accepting_ticks_the_goal_and_target_and_keeps_the_rest(
    member_client, org, programme, theme
) -> None:
    response = member_client.post(
        suggest_url(organisation=org.slug, programme=programme.slug),
        {**ocean_form(theme, goals=["5"]), "sdg_accept": "14:14.1"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(form["goals"].value()) == ["14", "5"]
    assert form["targets"].value() == ["14.1"]
    assert form["description"].value() == OCEAN_DESCRIPTION
    assert form["countries"].value() == ["KE"]
    accepted = {s["goal"]: s["accepted"] for s in response.context["sdg_suggestions"]}
    assert accepted[14] is True
    body = response.content.decode()
    assert re.search(r'name="goals" value="14" [^>]*checked', body)
    assert re.search(r'name="targets" value="14.1" [^>]*checked', body)
    assert Commitment.objects.count() == 0


def test_dismissing_hides_a_goal_and_remembers_it(member_client, org, programme, theme) -> None:
    response = member_client.post(
        suggest_url(organisation=org.slug, programme=programme.slug),
        {**ocean_form(theme), "sdg_dismiss": "14"},
    )

    goals = [s["goal"] for s in response.context["sdg_suggestions"]]
    assert 14 not in goals
    assert len(goals) == 3
    assert response.context["sdg_dismissed"] == ["14"]
    assert '<input type="hidden" name="sdg_dismissed" value="14">' in response.content.decode()


def test_no_text_gets_a_message_not_an_error(member_client, org, programme, theme) -> None:
    response = member_client.post(
        suggest_url(organisation=org.slug, programme=programme.slug),
        {**ocean_form(theme, title="  ", description="\n"), "sdg_suggest": "1"},
    )

    assert response.status_code == 200
    assert response.context["sdg_message"] == (
        "Write a title or a description first: suggestions are read from it."
    )
    assert response.context["sdg_suggestions"] is None
    assert "This field is required" not in response.content.decode()


def test_the_maker_gets_suggestions_for_a_draft(member_client, org, theme) -> None:
    commitment = factories.CommitmentFactory(theme=theme, organisation=org)
    commitment.goals.set([5])
    before = snapshot(commitment)

    response = member_client.post(
        suggest_url(commitment=commitment.pk), {**ocean_form(theme), "sdg_accept": "14"}
    )

    assert response.status_code == 200
    assert "14" in response.context["form"]["goals"].value()
    assert snapshot(commitment) == before  # accepted in the form only: saving stores it


def test_someone_elses_commitment_is_not_found_and_unchanged(client, theme) -> None:
    commitment = factories.CommitmentFactory(theme=theme)
    commitment.goals.set([5])
    before = snapshot(commitment)
    stranger = factories.member_of(theme, organisation=factories.OrganisationFactory(name="Other"))
    client.force_login(stranger)

    response = client.post(
        suggest_url(commitment=commitment.pk), {**ocean_form(theme), "sdg_accept": "14:14.1"}
    )

    assert response.status_code == 404
    assert snapshot(commitment) == before


def test_an_organisation_one_does_not_act_for_is_denied(client, theme, programme) -> None:
    other = factories.OrganisationFactory(name="Not Mine")
    stranger = factories.member_of(theme, organisation=factories.OrganisationFactory(name="Mine"))
    client.force_login(stranger)

    response = client.post(
        suggest_url(organisation=other.slug, programme=programme.slug), ocean_form(theme)
    )

    assert response.status_code == 403
    assert Commitment.objects.count() == 0


def test_saving_after_accepting_stores_the_goal(member_client, org, programme, theme) -> None:
    accepted = member_client.post(
        suggest_url(organisation=org.slug, programme=programme.slug),
        {**ocean_form(theme), "sdg_accept": "14:14.1"},
    )
    form = accepted.context["form"]
    data = {**ocean_form(theme), "goals": form["goals"].value(), "targets": form["targets"].value()}

    response = member_client.post(
        create_url(org, programme),
        {**data, "save": "1"},
    )

    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert list(commitment.goals.values_list("pk", flat=True)) == [14]
    assert list(commitment.targets.values_list("pk", flat=True)) == ["14.1"]


def test_a_submitted_commitment_gets_no_suggestions_and_is_unchanged(
    member_client, org, theme
) -> None:
    commitment = factories.CommitmentFactory(
        theme=theme, organisation=org, status=Commitment.Status.SUBMITTED
    )
    before = snapshot(commitment)

    response = member_client.post(
        suggest_url(commitment=commitment.pk), {**ocean_form(theme), "sdg_accept": "14:14.1"}
    )

    assert response.status_code == 403
    assert "sdg_suggestions" not in (response.context or {})
    assert snapshot(commitment) == before
