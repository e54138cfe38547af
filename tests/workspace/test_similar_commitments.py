"""The similar-commitments panel of the commitment form: the form posts its title and
description (HTMX, after a pause in the typing) and the registered commitments close to them
come back with their reasons.  Nothing is saved or indexed; only the organisation's people ask."""

import pytest
from django.urls import reverse

from pledgebook.commitments import duplicates
from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import Representative
from pledgebook.similarity import backlog
from pledgebook.similarity.models import Vector
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

URL = "/workspace/commitments/similar/"
TITLE = "Seagrass meadows of the Mediterranean protected from anchoring"
TEXT = (
    "Eco-moorings in 30 bays of Croatia and Greece will stop boats anchoring on Posidonia "
    "seagrass meadows, with volunteer divers mapping the meadows every summer."
)


@pytest.fixture
def registered(theme):
    c = commitment_in(theme, title=TITLE, description=TEXT)
    duplicates.reindex(commitment_ids=[c.pk])
    backlog.run_batch()
    return c


def query(member, programme) -> str:
    org = Representative.objects.get(user=member).organisation
    return f"?organisation={org.slug}&programme={programme.slug}"


def test_the_url_is_the_named_route():
    assert reverse("workspace:commitment_similar") == URL


def test_typing_a_near_copy_shows_the_registered_commitment(client, member, programme, registered):
    client.force_login(member)
    counts = (Commitment.objects.count(), Vector.objects.count())
    response = client.post(
        URL + query(member, programme),
        {"title": "Protecting Mediterranean seagrass meadows from anchoring", "description": TEXT},
    )
    assert response.status_code == 200
    assert [s.commitment for s in response.context["similar"]] == [registered]
    html = response.content.decode()
    assert TITLE in html
    assert "the same description" in html
    assert (Commitment.objects.count(), Vector.objects.count()) == counts


def test_nothing_typed_says_what_the_panel_is_for(client, member, programme, registered):
    client.force_login(member)
    response = client.post(URL + query(member, programme), {"title": " "})
    assert response.context["similar"] == []
    assert "As you write the title and description" in response.content.decode()


def test_the_form_has_the_panel(client, member, programme):
    client.force_login(member)
    org = Representative.objects.get(user=member).organisation
    page = client.get(
        reverse("workspace:commitment_create") + query(member, programme)
    ).content.decode()
    assert 'id="similar-commitments"' in page
    assert f"{URL}?organisation={org.slug}&amp;programme={programme.slug}" in page


def test_someone_who_does_not_act_for_the_organisation_gets_nothing(
    client, member, programme, registered
):
    client.force_login(factories.UserFactory())
    response = client.post(URL + query(member, programme), {"title": TITLE})
    assert response.status_code == 403
    other = commitment_in(registered.themes.get(), title="x", status="draft")
    response = client.post(URL + f"?commitment={other.pk}", {"title": TITLE})
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, member, programme):
    response = client.post(URL + query(member, programme), {"title": TITLE})
    assert response.status_code == 302


def test_the_panel_pauses_past_the_per_user_limit(client, member, programme, registered, settings):
    settings.SIMILAR_DRAFT_RATE = "2/m"
    client.force_login(member)
    typed = {"title": TITLE, "description": TEXT}
    for _ in range(2):
        assert client.post(URL + query(member, programme), typed).context["similar"] != []
    response = client.post(URL + query(member, programme), typed)
    assert response.status_code == 200
    assert response.context["throttled"] is True
    assert "The list is paused" in response.content.decode()
