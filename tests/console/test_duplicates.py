"""The "same initiative" panel of the review (console/views/duplicates.py): the secretariat sees
the similar commitments with their reasons, links one (with a note), unlinks, marks the
primary; a refused link says why on the page and keeps the note; a reviewer sees but cannot
link; a maker or another programme's secretariat gets nothing and changes nothing."""

import pytest
from django.urls import reverse

from pledgebook.commitments import duplicates, initiatives
from pledgebook.commitments.models import Commitment, Initiative, Registration
from pledgebook.core.models import AuditEntry
from pledgebook.similarity import backlog
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

TEXT = (
    "Fishing cooperatives of the Gulf of Guinea will set up community patrols against "
    "illegal fishing in 12 coastal districts of Ghana and Togo by 2027."
)


@pytest.fixture
def pair(theme):
    registered = commitment_in(
        theme,
        title="Community patrols against illegal fishing in the Gulf of Guinea",
        description=TEXT,
        organisation=factories.OrganisationFactory(name="Ghana Fisheries Alliance"),
    )
    reviewed = commitment_in(
        theme,
        title="Community patrols against illegal fishing, Gulf of Guinea",
        description=TEXT,
        status=Commitment.Status.IN_REVIEW,
        organisation=factories.OrganisationFactory(name="Togo Coastal Network"),
    )
    duplicates.reindex(commitment_ids=[registered.pk, reviewed.pk])
    backlog.run_batch()
    return registered, reviewed


def url(commitment: Commitment, name: str) -> str:
    return reverse(
        f"console:commitment_{name}",
        kwargs={"programme": commitment.programme.slug, "pk": commitment.pk},
    )


def state():
    return (
        list(Registration.objects.values_list("commitment_id", "initiative_id", "is_primary")),
        Initiative.objects.count(),
        AuditEntry.objects.filter(action__startswith="commitment.").count(),
    )


def test_the_review_page_loads_the_panel(client, pair, programme):
    _registered, reviewed = pair
    client.force_login(factories.staff(programme))
    page = client.get(
        reverse("console:commitment", kwargs={"programme": programme.slug, "pk": reviewed.pk})
    ).content.decode()
    assert f'hx-get="{url(reviewed, "similar")}"' in page


def test_the_secretariat_sees_the_similar_commitment_and_links_it(client, pair, programme):
    registered, reviewed = pair
    secretary = factories.staff(programme)
    client.force_login(secretary)
    response = client.get(url(reviewed, "similar"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "console/_commitment_duplicates.html"
    assert [s.commitment for s, _form in response.context["similar"]] == [registered]
    html = response.content.decode()
    assert "nearly the same title" in html
    assert "Link with “Community patrols against illegal fishing in the Gulf …” as one" in html

    response = client.post(
        url(reviewed, "link"), {"other": registered.pk, "note": "Two partners, one project"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/commitments/{reviewed.pk}/#duplicates")
    row = Registration.objects.get(commitment=reviewed)
    assert (row.linked_with_id, row.linked_by, row.note) == (
        registered.pk,
        secretary,
        "Two partners, one project",
    )
    panel = client.get(url(reviewed, "similar")).content.decode()
    assert "Registrations of this initiative" in panel
    assert "Ghana Fisheries Alliance" in panel
    assert "Two partners, one project" in panel


def test_a_refused_link_says_why_where_the_secretary_is_and_keeps_the_note(client, pair, programme):
    _registered, reviewed = pair
    client.force_login(factories.staff(programme))
    before = state()
    response = client.post(url(reviewed, "link"), {"other": reviewed.pk, "note": "my note"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A commitment cannot be linked to itself." in html
    assert state() == before


def test_unlink_and_primary(client, pair, programme):
    registered, reviewed = pair
    secretary = factories.staff(programme)
    initiatives.link(actor=secretary, commitment=reviewed, other=registered)
    client.force_login(secretary)
    assert client.post(url(reviewed, "primary")).status_code == 302
    assert Registration.objects.get(commitment=reviewed).is_primary is True
    response = client.post(url(reviewed, "unlink"), {"note": "Different projects"})
    assert response.status_code == 302
    assert Registration.objects.count() == 0
    entry = AuditEntry.objects.get(action="commitment.unlinked")
    assert entry.reason == "Different projects"


@pytest.mark.parametrize("who", ["reviewer", "maker", "other secretariat"])
def test_others_cannot_link(client, pair, programme, who):
    registered, reviewed = pair
    user = {
        "reviewer": lambda: factories.staff(programme, role="reviewer"),
        "maker": lambda: factories.representative(reviewed.organisation),
        "other secretariat": lambda: factories.staff(factories.ProgrammeFactory()),
    }[who]()
    client.force_login(user)
    before = state()
    for name, data in (("link", {"other": registered.pk}), ("unlink", {}), ("primary", {})):
        assert client.post(url(reviewed, name), data).status_code in (403, 404)
    assert state() == before
    panel = client.get(url(reviewed, "similar"))
    if who == "reviewer":  # reviewers see the panel, without the buttons
        assert panel.status_code == 200
        assert "Link with" not in panel.content.decode()
    else:
        assert panel.status_code in (403, 404)


def test_anonymous_is_sent_to_sign_in(client, pair):
    before = state()
    response = client.post(url(pair[1], "link"), {"other": pair[0].pk})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert state() == before
